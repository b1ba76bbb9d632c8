import { ApiObject, ApiObjectMetadataDefinition, Chart, JsonPatch, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { allowedSet, beyond, chart, NAMESPACE, synthOrFail } from './world';
import { BlockMetadata, DefaultDeny, DenyExternalEgress, LabelExpression, LabelSelector, Peer, Policy, Port, Protocol } from '../../src';
import { CDK8S_HAS_CLASS_FIELDS } from '../fixtures/cdk8s-under-test';
import { isReadOnlyValue } from '../fixtures/read-only';
import { secondCopy } from '../fixtures/second-copy';

const LEAK = /BlockMetadata: NetworkPolicy shop\/\S+ \(test\/\S+\) spec\.egress\[\d\]/;

describe('values are deeply frozen: no caller can change what they render', () => {
  test('a shared constant cannot be poisoned', () => {
    expect(() => { (Port.HTTP as any).number = undefined; }).toThrow(TypeError);
    expect(() => { (Port.DNS_UDP as any).isAllTraffic = true; }).toThrow(TypeError);
    expect(Port.HTTP.toPortConfig()).toEqual({ protocol: 'TCP', port: 80 });
    const c = chart();
    new Policy(c, 'P', { ingress: [{ from: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] }] });
    expect(synthOrFail(c.node.root as any)![0].spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 80 }]);
  });

  test('throws if a peer, a port, a selector or an expression is changed after it was made', () => {
    const peer = Peer.pods({ app: 'web' });
    const selector = LabelSelector.of({ labels: { app: 'web' }, expressions: [LabelExpression.in('tier', ['a'])] });
    expect(() => { (peer as any).isAnywhere = true; }).toThrow(TypeError);
    expect(() => { (Port.tcp(22) as any).isAllTraffic = true; }).toThrow(TypeError);
    expect(() => { (selector.matchLabels as any).app = 'other'; }).toThrow(TypeError);
    expect(() => { (selector.matchExpressions as any).push(LabelExpression.exists('x')); }).toThrow(TypeError);
    expect(() => { (selector.matchExpressions[0].values as any).push('b'); }).toThrow(TypeError);
    expect(() => { (peer.toPeerConfig() as any).podSelector.matchLabels.app = 'x'; }).not.toThrow(); // a copy
    expect(peer.toPeerConfig()).toEqual({ podSelector: { matchLabels: { app: 'web' } } });
    expect([peer, selector, Port.HTTP, selector.matchExpressions[0]].every(isReadOnlyValue)).toBe(true);
  });

  test('a policy\'s selector cannot be swapped, and its rules are out of reach', () => {
    const c = chart();
    const policy = new Policy(c, 'P', { podSelector: LabelSelector.labels({ app: 'web' }), ingress: [{ from: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] }] });
    expect(() => { (policy as any).podSelector = LabelSelector.all(); }).toThrow(TypeError);
    expect((policy as any).ingress).toBeUndefined();
    expect((policy as any).explicitTypes).toBeUndefined();
    expect(synthOrFail(c.node.root as any)![0].spec.podSelector).toEqual({ matchLabels: { app: 'web' } });
  });

  test('a subclass cannot change what a port or a peer renders', () => {
    const PortClass = Port as unknown as new (...args: any[]) => any;
    const PeerClass = Peer as unknown as new (...args: any[]) => any;
    class AllPorts extends PortClass {
      public _config() { return undefined; }
      public _key() { return '*'; }
      public get isAllTraffic() { return true; }
    }
    class Everyone extends PeerClass {
      public _config() { return undefined; }
    }
    const port = new AllPorts({ protocol: Protocol.TCP, port: 22 }) as unknown as Port;
    const peer = new Everyone({ podSelector: { matchLabels: { app: 'api' } } }) as unknown as Peer;
    const c = chart();
    new Policy(c, 'P', { podSelector: LabelSelector.labels({ app: 'web' }), ingress: [{ from: [peer], ports: [port] }] });
    expect(synthOrFail(c.node.root as any)![0].spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 22 }] }]);
    expect(() => new Everyone({ podSelector: {}, bogus: 1 })).toThrow(/^\[Peer\] config\.bogus: unknown prop "bogus"/);
    expect(() => new Everyone({})).toThrow(/^\[Peer\] config: \{\}: a peer must set podSelector, namespaceSelector or ipBlock/);
  });

  test('BlockMetadata guards what it was given, whatever its fields are changed to', () => {
    const c = chart();
    const block = new BlockMetadata(c, 'Guard', { allowInternet: false });
    expect(() => (block.addresses as string[]).push('10.0.0.0/8')).toThrow(TypeError);
    (block as any).namespace = 'elsewhere';
    new Policy(c, 'Open', { egress: [{ to: [Peer.anywhere()], ports: [Port.HTTP] }] });
    expect(() => Testing.synth(c)).toThrow(LEAK);
  });
});

describe('the whole-app guarantees are recomputed whenever what they read may have changed', () => {
  test('a raw NetworkPolicy\'s spec mutated after one synthesis is seen by the next', () => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const spec: any = { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] };
    new ApiObject(c, 'Raw', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'raw' }, spec });
    expect(() => Testing.synth(c)).not.toThrow();
    spec.egress[0].to = [{ ipBlock: { cidr: '0.0.0.0/0' } }];
    expect(() => Testing.synth(c)).toThrow(/NetworkPolicy shop\/raw \(test\/Raw\) spec\.egress\[0\]\.to\[0\] ipBlock 0\.0\.0\.0\/0 covers 169\.254\.169\.254\/32/);
  });

  test('a construct removed and another added in its place is seen by the next synthesis', () => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    new Policy(c, 'Egress', { egress: [{ to: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] }] });
    expect(() => Testing.synth(c)).not.toThrow();
    expect(c.node.tryRemoveChild('Egress')).toBe(true);
    new Policy(c, 'Egress', { egress: [{ to: [Peer.anyIpv4()], ports: [Port.HTTP] }] });
    expect(() => Testing.synth(c)).toThrow(/NetworkPolicy shop\/egress \(test\/Egress\) spec\.egress\[0\]\.to\[0\] ipBlock 0\.0\.0\.0\/0/);
  });

  test('removing the BlockMetadata that reports keeps the guard of the others, and drops its own', () => {
    const c = chart();
    new BlockMetadata(c, 'First', { allowInternet: false, podSelector: LabelSelector.labels({ app: 'db' }) });
    new BlockMetadata(c, 'Second', { allowInternet: false, podSelector: LabelSelector.labels({ app: 'web' }) });
    new Policy(c, 'Db', { podSelector: LabelSelector.labels({ app: 'db' }), egress: [{ to: [Peer.anywhere()], ports: [Port.HTTP] }] });
    expect(() => Testing.synth(c)).toThrow(/^Validation failed with the following errors:\n {2}\[test\/First\] BlockMetadata: NetworkPolicy shop\/db/);
    c.node.tryRemoveChild('First');
    expect(() => Testing.synth(c)).not.toThrow(); // web is not db: nothing reaches the endpoints from web
    new Policy(c, 'Web', { podSelector: LabelSelector.labels({ app: 'web' }), egress: [{ to: [Peer.anywhere()], ports: [Port.HTTP] }] });
    // the guard is one validation of the app: with its first block gone, the app reports it
    expect(() => Testing.synth(c)).toThrow(/\n {2}\[\] BlockMetadata: NetworkPolicy shop\/web \(test\/Web\)/);
  });

  test('throws at synthesis if a JSON patch gives a policy the name of another', () => {
    const c = chart();
    new Policy(c, 'A', { egress: [{ to: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] }] });
    const b = new Policy(c, 'B', { egress: [{ to: [Peer.pods({ app: 'web' })], ports: [Port.HTTP] }] });
    expect(() => Testing.synth(c)).not.toThrow();
    b.addJsonPatch(JsonPatch.replace('/metadata/name', 'a'));
    expect(() => Testing.synth(c)).toThrow(/\[test\/A\] metadata\.name "a" is used in namespace "shop" by 'test\/A' and 'test\/B': two NetworkPolicies with one name replace each other/);
  });

  test('throws at synthesis if a raw NetworkPolicy has the name of a Policy', () => {
    const c = chart();
    new Policy(c, 'Web', { egress: [{ to: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] }] });
    new k8s.KubeNetworkPolicy(c, 'Raw', { metadata: { name: 'web' }, spec: { podSelector: {} } });
    expect(() => Testing.synth(c)).toThrow(/metadata\.name "web" is used in namespace "shop" by 'test\/Web' and 'test\/Raw'/);
  });

  test('a name is free again once its policy was removed from the tree', () => {
    const c = chart();
    new Policy(c, 'Old', { name: 'web', egress: [{ to: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] }] });
    c.node.tryRemoveChild('Old');
    new Policy(c, 'New', { name: 'web', egress: [{ to: [Peer.pods({ app: 'db' })], ports: [Port.HTTP] }] });
    expect(synthOrFail(c.node.root as any)!.map(p => p.metadata.name)).toEqual(['web']);
  });
});

describe('two copies of the library in one process', () => {
  const b = secondCopy();

  test('the copies are distinct (the test would prove nothing otherwise)', () => {
    expect(b.Peer).not.toBe(Peer);
    expect(b.Peer.pods({ app: 'x' }) instanceof Peer).toBe(false);
  });

  test('values of the other copy are read through their Kubernetes form and checked', () => {
    const c = chart();
    new Policy(c, 'P', {
      podSelector: b.LabelSelector.of({ labels: { app: 'web' }, expressions: [b.LabelExpression.notIn('tier', ['x'])] }) as any,
      ingress: [{ from: [b.Peer.podsInNamespace('monitoring', { app: 'prometheus' }) as any, b.Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']) as any], ports: [b.Port.tcpRange(80, 90) as any, b.Port.named('metrics') as any] }],
      egress: [{ to: [b.Peer.anywhere() as any], ports: [b.Port.allTraffic() as any] }],
    });
    const reference = chart();
    new Policy(reference, 'P', {
      podSelector: LabelSelector.of({ labels: { app: 'web' }, expressions: [LabelExpression.notIn('tier', ['x'])] }),
      ingress: [{ from: [Peer.podsInNamespace('monitoring', { app: 'prometheus' }), Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16'])], ports: [Port.tcpRange(80, 90), Port.named('metrics')] }],
      egress: [{ to: [Peer.anywhere()], ports: [Port.allTraffic()] }],
    });
    expect(synthOrFail(c.node.root as any)).toEqual(synthOrFail(reference.node.root as any));
  });

  test('a value of the other copy that was tampered with is rejected', () => {
    const forged = Object.create(b.Peer.prototype);
    expect(() => new Policy(chart(), 'P', { ingress: [{ from: [forged], ports: [Port.HTTP] }] }))
      .toThrow(/^\[test\/P\] spec\.ingress\[0\]\.from\[0\]: \{\}: is a Peer of another copy of cdk8s-netpol that could not be read/);
  });

  test('BlockMetadata of one copy sees the policies of the other, also after one synthesis', () => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const other = new b.Policy(c, 'Other', { egress: [{ to: [b.Peer.pods({ app: 'api' })], ports: [b.Port.HTTP] }] });
    expect(() => Testing.synth(c)).not.toThrow();
    other.addEgress({ to: [b.Peer.anyIpv4()], ports: [b.Port.HTTP] });
    expect(() => Testing.synth(c)).toThrow(/NetworkPolicy shop\/other \(test\/Other\) spec\.egress\[1\]\.to\[0\] ipBlock 0\.0\.0\.0\/0/);
  });

  test('throws if the two copies give two policies one name', () => {
    const c = chart();
    new Policy(c, 'A', { name: 'web', egress: [{ to: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] }] });
    expect(() => new b.Policy(c, 'B', { name: 'web', egress: [{ to: [b.Peer.pods({ app: 'api' })], ports: [b.Port.HTTP] }] }))
      .toThrow(/metadata\.name "web" is already used in namespace "shop" by 'test\/A'/);
  });

  test('what the other copy synthesizes is never wider than the same code with one copy', () => {
    const c = chart();
    new b.DefaultDeny(c, 'Deny');
    new Policy(c, 'Api', { podSelector: b.LabelSelector.labels({ app: 'api' }) as any, ingress: [{ from: [b.Peer.pods({ app: 'web' }) as any], ports: [b.Port.HTTP as any] }] });
    const one = chart();
    new DefaultDeny(one, 'Deny');
    new Policy(one, 'Api', { podSelector: LabelSelector.labels({ app: 'api' }), ingress: [{ from: [Peer.pods({ app: 'web' })], ports: [Port.HTTP] }] });
    expect(beyond(allowedSet(synthOrFail(c.node.root as any)!), allowedSet(synthOrFail(one.node.root as any)!))).toEqual([]);
    expect(NAMESPACE).toBe((c as Chart).namespace);
  });
});

describe('shared constants cannot be replaced or changed', () => {
  test.each([
    ['Port.HTTP', () => { (Port as any).HTTP = Port.allTraffic(); }],
    ['Port.DNS_UDP', () => { (Port as any).DNS_UDP = Port.allTraffic(); }],
    ['BlockMetadata.CLOUD_METADATA_CIDRS', () => { (BlockMetadata as any).CLOUD_METADATA_CIDRS = ['10.0.0.0/32']; }],
    ['BlockMetadata.CLOUD_METADATA_CIDRS[0]', () => { BlockMetadata.CLOUD_METADATA_CIDRS.splice(0, 1, '10.0.0.0/32'); }],
    ['DenyExternalEgress.PRIVATE_RANGES', () => { DenyExternalEgress.PRIVATE_RANGES.push('0.0.0.0/0'); }],
  ])('throws if %s is changed, and what it stands for stays', (_name, change) => {
    expect(change).toThrow(TypeError);
    expect(Port.HTTP.toString()).toBe('TCP/80');
    expect(Port.DNS_UDP.toString()).toBe('UDP/53');
    expect(BlockMetadata.CLOUD_METADATA_CIDRS).toEqual(['169.254.169.254/32', '100.100.100.200/32', 'fd00:ec2::254/128']);
    expect(DenyExternalEgress.PRIVATE_RANGES).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']);
  });
});

describe('a Policy\'s identity: what the whole-app checks read without rendering it', () => {
  /** The fields cdk8s's `ApiObject` constructor assigns (own properties of the instance where cdk8s has class fields). */
  const IDENTITY_FIELDS = ['apiVersion', 'kind', 'name', 'metadata', 'props'];
  const egressTo = (peer: Peer) => ({ egress: [{ to: [peer], ports: [Port.HTTP] }] });

  test.each(['kind', 'apiVersion', 'name', 'metadata', 'props', 'namespace', 'podSelector', '_toKube', 'policyTypes'])(
    'assigning %s on a constructed policy throws a TypeError and changes nothing it renders', field => {
      const c = chart();
      const p = new Policy(c, 'P', { podSelector: LabelSelector.labels({ app: 'web' }), ...egressTo(Peer.pods({ app: 'api' })) });
      const before = p.toJson();
      expect(() => { (p as any)[field] = (p as any)[field]; }).toThrow(TypeError);
      expect(() => { (p as any)[field] = {}; }).toThrow(TypeError);
      const own = Object.getOwnPropertyDescriptor(p, field);
      if (CDK8S_HAS_CLASS_FIELDS && IDENTITY_FIELDS.includes(field)) {
        // cdk8s's class fields are own properties of the instance: locked in place at construction
        expect(own).toMatchObject({ writable: false, configurable: false });
        expect(() => Object.defineProperty(p, field, { value: {} })).toThrow(TypeError);
      } else {
        expect(own).toBeUndefined();
      }
      expect(p.toJson()).toEqual(before);
      expect(synthOrFail(c.node.root as any)![0]).toEqual(before);
    });

  test('metadata.name changed after a synthesis is read as it renders: a name it takes is a duplicate', () => {
    const c = chart();
    new Policy(c, 'A', egressTo(Peer.pods({ app: 'api' })));
    const b = new Policy(c, 'B', egressTo(Peer.pods({ app: 'api' })));
    b.metadata.addLabel('team', 'shop');
    expect(synthOrFail(c.node.root as any)![1].metadata).toEqual({ name: 'b', namespace: 'shop', labels: { team: 'shop' } });
    (b.metadata as any).name = 'a';
    expect(() => Testing.synth(c)).toThrow(/metadata\.name "a" is used in namespace "shop" by 'test\/A' and 'test\/B'/);
  });

  test.each([
    ['assigned', (p: Policy) => { (p.metadata as any).namespace = 'shop'; }],
    ['an accessor', (p: Policy) => { Object.defineProperty(p.metadata, 'namespace', { get: () => 'shop' }); }],
    ['a renderer of its own', (p: Policy) => {
      const original = p.metadata.toJson.bind(p.metadata);
      (p.metadata as any).toJson = () => ({ ...original(), namespace: 'shop' });
    }],
  ])('a metadata namespace changed after a synthesis (%s) is judged where it renders', (_how, change) => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const p = new Policy(c, 'P', { namespace: 'other', ...egressTo(Peer.anyIpv4()) });
    expect(() => Testing.synth(c)).not.toThrow();
    change(p);
    expect(p.toJson().metadata.namespace).toBe('shop');
    expect(() => Testing.synth(c)).toThrow(/BlockMetadata: NetworkPolicy shop\/p \(test\/P\) spec\.egress\[0\]\.to\[0\] ipBlock 0\.0\.0\.0\/0/);
  });

  test('a renderer defined on the instance after a synthesis is judged as it renders by the next', () => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const p = new Policy(c, 'P', egressTo(Peer.pods({ app: 'api' })));
    expect(() => Testing.synth(c)).not.toThrow();
    Object.defineProperty(p, '_toKube', { value: () => ({ podSelector: {}, policyTypes: ['Egress'], egress: [{}] }) });
    expect(() => Testing.synth(c)).toThrow(/BlockMetadata: NetworkPolicy shop\/p \(test\/P\) spec\.egress\[0\] has no `to`/);
  });

  test('a toJson() defined on the instance after a synthesis is judged as it renders by the next', () => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const p = new Policy(c, 'P', egressTo(Peer.pods({ app: 'api' })));
    expect(() => Testing.synth(c)).not.toThrow();
    const honest = p.toJson();
    Object.defineProperty(p, 'toJson', { configurable: true, value: () => ({ ...honest, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{}] } }) });
    expect(() => Testing.synth(c)).toThrow(/BlockMetadata: NetworkPolicy shop\/p \(test\/P\) spec\.egress\[0\] has no `to`/);
  });

  test('a toJson() defined on a subclass prototype after construction is judged as it renders', () => {
    class Later extends Policy {}
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const p = new Later(c, 'P', egressTo(Peer.pods({ app: 'api' })));
    expect(() => Testing.synth(c)).not.toThrow();
    const honest = p.toJson();
    Object.defineProperty(Later.prototype, 'toJson', { value: () => ({ ...honest, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{}] } }) });
    expect(() => Testing.synth(c)).toThrow(/BlockMetadata: NetworkPolicy shop\/p \(test\/P\) spec\.egress\[0\] has no `to`/);
  });

  test('metadata defined on the instance is read as it renders: a name it takes is a duplicate', () => {
    const c = chart();
    new Policy(c, 'A', egressTo(Peer.pods({ app: 'api' })));
    const b = new Policy(c, 'B', egressTo(Peer.pods({ app: 'api' })));
    expect(() => Testing.synth(c)).not.toThrow();
    const define = () => Object.defineProperty(b, 'metadata', { value: new ApiObjectMetadataDefinition({ name: 'a', namespace: 'shop', apiObject: b }) });
    if (CDK8S_HAS_CLASS_FIELDS) {
      // metadata is an own property locked at construction: it cannot be redefined, and nothing changes
      expect(define).toThrow(TypeError);
      expect(b.toJson().metadata.name).toBe('b');
      expect(() => Testing.synth(c)).not.toThrow();
      return;
    }
    define();
    expect(b.toJson().metadata.name).toBe('a');
    expect(() => Testing.synth(c)).toThrow(/metadata\.name "a" is used in namespace "shop" by 'test\/A' and 'test\/B'/);
  });

  test('a kind defined on the instance does not hide the NetworkPolicy it renders from BlockMetadata', () => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const p = new Policy(c, 'P', egressTo(Peer.anyIpv4()));
    if (CDK8S_HAS_CLASS_FIELDS) {
      // kind and name are own properties locked at construction: they cannot be redefined
      expect(() => Object.defineProperty(p, 'kind', { value: 'ConfigMap' })).toThrow(TypeError);
      expect(() => Object.defineProperty(p, 'name', { value: 'elsewhere' })).toThrow(TypeError);
      expect([p.kind, p.name]).toEqual(['NetworkPolicy', 'p']);
    } else {
      Object.defineProperty(p, 'kind', { value: 'ConfigMap' });
      Object.defineProperty(p, 'name', { value: 'elsewhere' });
    }
    expect(() => Testing.synth(c)).toThrow(/BlockMetadata: NetworkPolicy shop\/p \(test\/P\) spec\.egress\[0\]\.to\[0\] ipBlock 0\.0\.0\.0\/0/);
  });

  test('a subclass getter over what the checks read is rendered and judged, not believed', () => {
    class Sneaky extends Policy {
      public get podSelector(): LabelSelector {
        return LabelSelector.labels({ app: 'nothing-the-guard-protects' });
      }
    }
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false, podSelector: LabelSelector.labels({ app: 'web' }) });
    new Sneaky(c, 'P', { podSelector: LabelSelector.labels({ app: 'web' }), ...egressTo(Peer.anyIpv4()) });
    expect(() => Testing.synth(c)).toThrow(/BlockMetadata: NetworkPolicy shop\/p \(test\/P\) spec\.egress\[0\]\.to\[0\] ipBlock 0\.0\.0\.0\/0/);
  });

  test('a subclass that redefines a field cdk8s assigns fails at construction with a clear error, or is shadowed', () => {
    // in JavaScript (TypeScript refuses an accessor over a property): a getter and a setter that swallows
    class Renamed extends Policy {}
    Object.defineProperty(Renamed.prototype, 'metadata', { get: () => undefined, set: () => undefined });
    const make = () => new Renamed(chart(), 'P', egressTo(Peer.pods({ app: 'api' })));
    if (CDK8S_HAS_CLASS_FIELDS) {
      // cdk8s's class field is an own property of the instance, which the accessor never sees: it has no effect
      const p = make();
      expect(p.metadata).toBeInstanceOf(ApiObjectMetadataDefinition);
      expect(p.toJson().metadata).toEqual({ name: 'p', namespace: 'shop' });
      expect(synthOrFail(p.node.root as any)![0].metadata).toEqual({ name: 'p', namespace: 'shop' });
      return;
    }
    expect(make).toThrow(/^\[test\/P\] metadata never reached the Policy: a subclass of Policy cannot redefine apiVersion, kind, name, metadata, props/);
  });

  test('a policy whose prototype was changed is read as it renders', () => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const p = new Policy(c, 'P', egressTo(Peer.pods({ app: 'api' })));
    expect(() => Testing.synth(c)).not.toThrow();
    const proto = Object.create(Policy.prototype, { _toKube: { value: () => ({ podSelector: {}, policyTypes: ['Egress'], egress: [{}] }) } });
    Object.setPrototypeOf(p, proto);
    expect(() => Testing.synth(c)).toThrow(/spec\.egress\[0\] has no `to`/);
  });
});
