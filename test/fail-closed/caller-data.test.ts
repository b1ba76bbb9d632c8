import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Lazy, Testing, Yaml } from 'cdk8s';
import { allowedSet, beyond, chart, expectLibraryError, synthOrFail, worldObjects } from './world';
import {
  BlockMetadata, ClusterModel, DenyExternalEgress, Direction, LabelExpression, LabelSelector, Linter, NetpolLintPlugin, Peer, Policy, Port,
  Protocol, Synthesis,
} from '../../src';

/**
 * Caller data that answers differently on each read (Proxies, accessors), keys that JavaScript
 * treats specially, and the holes the whole-app guarantees had: each case asserts the narrow
 * result or the library's clear error, and "never wider" with the connectivity engine.
 */

/** An array whose `length` is the real one on the first read and `after` on every later read. */
function shifting<T>(items: T[], after: number = 0): T[] {
  let reads = 0;
  return new Proxy(items, {
    get(target, key, receiver) {
      if (key === 'length') return reads++ === 0 ? target.length : after;
      return Reflect.get(target, key, receiver);
    },
  });
}

/** An object whose `key` answers `first` on the first read and `later` afterwards; counts reads. */
function twoFaced<T extends object>(base: T, key: string, first: unknown, later: unknown): T & { reads(): number } {
  let reads = 0;
  const o: any = { ...base };
  Object.defineProperty(o, key, { enumerable: true, get: () => (reads++ === 0 ? first : later) });
  Object.defineProperty(o, 'reads', { enumerable: false, value: () => reads });
  return o;
}

const WEB = () => LabelSelector.labels({ app: 'web' });
const LEAK = /BlockMetadata: NetworkPolicy shop\/\S+ \(test\/\S+/;

/** What the honest form of each case allows, to prove "never wider". */
function honestEgress(to: Peer[], ports: Port[]): Set<string> {
  const c = chart();
  new Policy(c, 'P', { podSelector: WEB(), egress: [{ to, ports }] });
  return allowedSet(synthOrFail(c.node.root as App)!);
}

describe('§3 every caller value is read once, into the snapshot that is checked and used', () => {
  const cases: [string, (c: Chart) => void, () => Set<string>][] = [
    ['a `to` whose length shrinks after the check', c => new Policy(c, 'P', { podSelector: WEB() })
      .addEgress({ to: shifting([Peer.pods({ app: 'api' })]), ports: [Port.tcp(80)] }), () => honestEgress([Peer.pods({ app: 'api' })], [Port.tcp(80)])],
    ['`ports` whose length shrinks after the check', c => new Policy(c, 'P', { podSelector: WEB() })
      .addEgress({ to: [Peer.pods({ app: 'api' })], ports: shifting([Port.tcp(80)]) }), () => honestEgress([Peer.pods({ app: 'api' })], [Port.tcp(80)])],
    ['a `to` whose length grows after the check', c => new Policy(c, 'P', { podSelector: WEB() })
      .addEgress({ to: shifting([Peer.pods({ app: 'api' }), Peer.anywhere()], 2).slice(0, 1), ports: [Port.tcp(80)] }),
    () => honestEgress([Peer.pods({ app: 'api' })], [Port.tcp(80)])],
    ['a rule whose `to` getter answers twice', c => new Policy(c, 'P', { podSelector: WEB() })
      .addEgress(twoFaced({ ports: [Port.tcp(80)] }, 'to', [Peer.pods({ app: 'api' })], [Peer.anywhere()]) as any),
    () => honestEgress([Peer.pods({ app: 'api' })], [Port.tcp(80)])],
    ['an `egress` prop whose getter answers twice', c => new Policy(c, 'P', twoFaced({ podSelector: WEB() }, 'egress',
      [{ to: [Peer.pods({ app: 'api' })], ports: [Port.tcp(80)] }], [{ to: [Peer.anywhere()], ports: [Port.allTraffic()] }]) as any),
    () => honestEgress([Peer.pods({ app: 'api' })], [Port.tcp(80)])],
    ['a podSelector getter that answers twice', c => new Policy(c, 'P', twoFaced({ egress: [{ to: [Peer.pods({ app: 'api' })], ports: [Port.tcp(80)] }] },
      'podSelector', WEB(), LabelSelector.all()) as any), () => honestEgress([Peer.pods({ app: 'api' })], [Port.tcp(80)])],
    ['`except` whose length shrinks after the check', c => new Policy(c, 'P', { podSelector: WEB() })
      .addEgress({ to: [Peer.ipBlock('0.0.0.0/0', shifting(['169.254.169.254/32']))], ports: [Port.tcp(80)] }),
    () => honestEgress([Peer.ipBlock('0.0.0.0/0', ['169.254.169.254/32'])], [Port.tcp(80)])],
    ['label values whose getter answers twice', c => new Policy(c, 'P', { podSelector: WEB() })
      .addEgress({ to: [Peer.pods(twoFaced({}, 'app', 'api', 'web') as any)], ports: [Port.tcp(80)] }),
    () => honestEgress([Peer.pods({ app: 'api' })], [Port.tcp(80)])],
    ['LabelSelector.fromConfig with a matchExpressions getter', c => new Policy(c, 'P', {
      podSelector: WEB(),
      egress: [{
        to: [Peer.podsMatching(LabelSelector.fromConfig(twoFaced({ matchLabels: {} }, 'matchExpressions',
          [{ key: 'app', operator: 'In', values: ['api'] }], undefined) as any))],
        ports: [Port.tcp(80)],
      }],
    }), () => honestEgress([Peer.podsMatching(LabelSelector.of({ expressions: [LabelExpression.in('app', ['api'])] }))], [Port.tcp(80)])],
    ['LabelExpression values whose length shrinks', c => new Policy(c, 'P', { podSelector: WEB() })
      .addEgress({ to: [Peer.podsMatching(LabelSelector.of({ expressions: [LabelExpression.notIn('app', shifting(['web']))] }))], ports: [Port.tcp(80)] }),
    () => honestEgress([Peer.podsMatching(LabelSelector.of({ expressions: [LabelExpression.notIn('app', ['web'])] }))], [Port.tcp(80)])],
  ];

  test.each(cases)('%s: the policy allows exactly what the first answer says', (_name, build, honest) => {
    const c = chart();
    build(c);
    const policies = synthOrFail(c.node.root as App)!;
    expect(policies).toHaveLength(1);
    const allowed = allowedSet(policies);
    expect(beyond(allowed, honest())).toEqual([]);
    expect(beyond(honest(), allowed)).toEqual([]);
  });

  test('each accessor runs once', () => {
    const rule = twoFaced({ ports: [Port.tcp(80)] }, 'to', [Peer.pods({ app: 'api' })], [Peer.anywhere()]);
    const props = twoFaced({ podSelector: WEB() }, 'name', 'web', 'Bad Name!');
    const p = new Policy(chart(), 'P', props as any);
    p.addEgress(rule as any);
    expect([rule.reads(), props.reads()]).toEqual([1, 1]);
  });

  test('a `name` getter cannot skip the name check: the name checked is the name written', () => {
    const c = chart();
    new Policy(c, 'P', twoFaced({ podSelector: WEB(), policyTypes: [Direction.INGRESS] }, 'name', 'web', 'Bad Name!') as any);
    expect(synthOrFail(c.node.root as App)!.map(p => p.metadata.name)).toEqual(['web']);
    expect(() => new Policy(chart(), 'Q', twoFaced({ podSelector: WEB(), policyTypes: [Direction.INGRESS] }, 'name', 'Bad Name!', 'web') as any))
      .toThrow(/^\[test\/Q\] metadata\.name: Invalid value: "Bad Name!"/);
  });

  test('a pattern\'s namespace getter is read once', () => {
    const props = twoFaced({}, 'namespace', 'shop', 'Shop');
    const c = chart();
    new BlockMetadata(c, 'Guard', props as any);
    expect(props.reads()).toBe(1);
    expect(synthOrFail(c.node.root as App)!.map(p => p.metadata.namespace)).toEqual(['shop']);
  });

  test('a Set of peers or ports is "must be an array", not "at least one peer"', () => {
    const policy = new Policy(chart(), 'P', { podSelector: WEB() });
    expect(() => policy.addIngress({ from: new Set([Peer.pods({ app: 'api' })]) as any, ports: [Port.HTTP] }))
      .toThrow(/^\[test\/P\] spec\.ingress\[0\]\.from: Set\(1\) \[.*\]: must be an array of Peers, not a Set$/);
    expect(() => policy.addIngress({ from: [Peer.pods({ app: 'api' })], ports: new Set([Port.HTTP]) as any }))
      .toThrow(/^\[test\/P\] spec\.ingress\[0\]\.ports: Set\(1\) \[.*\]: must be an array of Ports, not a Set$/);
  });

  test('a Port of another copy with `port: undefined` is refused, never every TCP port', () => {
    const foreign = (config: unknown) => Object.assign(Object.create({ [Symbol.for('cdk8s-netpol.value')]: 'Port' }), {
      isAllTraffic: false, toPortConfig: () => config,
    });
    const use = (port: unknown) => new Policy(chart(), 'P', { podSelector: WEB(), ingress: [{ from: [Peer.pods({ app: 'api' })], ports: [port as Port] }] });
    expect(() => use(foreign({ protocol: 'TCP', port: undefined })))
      .toThrow(/^\[test\/P\] spec\.ingress\[0\]\.ports\[0\]\.port: undefined: is a Port of another copy of cdk8s-netpol whose port is undefined/);
    expect(() => use(foreign({ protocol: 'TCP', port: 80, endPort: undefined }))).toThrow(/whose endPort is undefined/);
    expect(() => use(foreign({ port: 80 }))).toThrow(/without a protocol/);
    // the honest forms still work: a number, and the protocol alone (every port of it, as allTcp() renders)
    const c = chart();
    new Policy(c, 'P', { podSelector: WEB(), ingress: [{ from: [Peer.pods({ app: 'api' })], ports: [foreign({ protocol: 'TCP', port: 80 }), foreign({ protocol: 'UDP' })] }] });
    expect(synthOrFail(c.node.root as App)![0].spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 80 }, { protocol: 'UDP' }]);
  });

  test('a getter cannot poison the process-wide spec cache: later honest policies keep their reading', () => {
    const honest = () => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] },
    });
    const expected = allowedSet([honest()]);
    // a spec whose ingress is narrow on its first read and allow-all on every later one
    const hostile: any = honest();
    hostile.spec = twoFaced(hostile.spec, 'ingress', hostile.spec.ingress, [{}]);
    hostile.metadata = { name: 'hostile', namespace: 'other' };
    ClusterModel.fromObjects([...worldObjects(), hostile]);
    expect(hostile.spec.reads()).toBe(1);
    expect([...allowedSet([honest()])].sort()).toEqual([...expected].sort());
    // and a Proxy spec, whose every read of `ingress` after the first says allow-all
    let reads = 0;
    const proxied = { ...honest(), metadata: { name: 'proxied', namespace: 'other' } };
    proxied.spec = new Proxy(honest().spec, { get: (t, k) => (k === 'ingress' && reads++ > 0 ? [{}] : (t as any)[k]) });
    ClusterModel.fromObjects([...worldObjects(), proxied]);
    expect([...allowedSet([honest()])].sort()).toEqual([...expected].sort());
  });
});

describe('§3 the whole-app guarantees judge what is written', () => {
  /** A raw NetworkPolicy whose spec renders narrow `honest` times, then allows every destination. */
  function lazyPolicy(c: Chart, honest: number): void {
    let renders = 0;
    new ApiObject(c, 'Raw', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'raw' },
      spec: Lazy.any({
        produce: () => (renders++ < honest
          ? { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] }
          : { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
      }),
    });
  }

  const synths: [string, (app: App) => any[]][] = [
    ['Testing.synth', app => app.charts.flatMap(ch => Testing.synth(ch))],
    ['app.synthYaml', app => Yaml.load(writeTemp(app.synthYaml()))],
    ['app.synth', app => {
      (app as any).outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-'));
      app.synth();
      return fs.readdirSync(app.outdir).flatMap(f => Yaml.load(path.join(app.outdir, f)));
    }],
    ['Synthesis.synth', app => {
      (app as any).outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-'));
      Synthesis.synth(app);
      return fs.readdirSync(app.outdir).flatMap(f => Yaml.load(path.join(app.outdir, f)));
    }],
    ['Synthesis.charts', app => Synthesis.charts(app).flatMap(ch => ch.manifests)],
  ];

  const cases: [string, number][] = [0, 1, 2, 3, 4, 5, 6, 8].map(n => [`${synths.length}`, n]);
  test.each(synths.flatMap(([name, synth]) => cases.map(([, n]) => [name, n, synth] as const)))(
    '%s of a Lazy spec that turns allow-all after %d renders: fails, or writes only what passed', (_name, honest, synth) => {
      const c = chart();
      new BlockMetadata(c, 'Guard', { allowInternet: false });
      lazyPolicy(c, honest);
      let written: any[] | undefined;
      try {
        written = synth(c.node.root as App);
      } catch (e) {
        expectLibraryError(e);
        expect((e as Error).message).toMatch(LEAK);
        return;
      }
      expect(honest).toBeGreaterThan(0); // allow-all from the first render can never pass
      const policies = written.filter(o => o?.kind === 'NetworkPolicy');
      expect(policies.map(p => p.spec.egress)).toEqual([[{ to: [{ podSelector: {} }] }]]);
    });

  test.each(synths)('%s: a spec that changes only after the checks is caught when it is rendered to be written', (_name, synth) => {
    // the number of renders the checks take is cdk8s's business: some count of honest renders
    // passes every check and turns allow-all exactly when the object is written
    const caught: number[] = [];
    for (let honest = 1; honest <= 8; honest++) {
      const c = chart();
      new BlockMetadata(c, 'Guard', { allowInternet: false });
      lazyPolicy(c, honest);
      try {
        synth(c.node.root as App);
      } catch (e) {
        if (/rendered to be written/.test((e as Error).message)) caught.push(honest);
      }
    }
    expect(caught.length).toBeGreaterThan(0);
  });

  test.each([
    ['toJson()', class extends Policy {
      public toJson(): any {
        const json = super.toJson();
        json.spec.egress = [{}];
        return json;
      }
    }],
    ['_toKube()', class extends Policy {
      public _toKube(): any {
        return { ...super._toKube(), egress: [{}] };
      }
    }],
  ])('a Policy subclass overriding %s is judged as it renders', (_name, Evil) => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    new Evil(c, 'Evil', { egress: [{ to: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] }] });
    expect(() => Testing.synth(c)).toThrow(/BlockMetadata: NetworkPolicy shop\/evil \(test\/Evil\) spec\.egress\[0\] has no `to`/);
  });

  test('a Policy\'s renderers and rendered props cannot be replaced after construction', () => {
    const c = chart();
    const p = new Policy(c, 'P', { egress: [{ to: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] }] });
    expect(() => { (p as any).toJson = () => ({}); }).toThrow(TypeError);
    expect(() => { (p as any)._toKube = () => ({}); }).toThrow(TypeError);
    expect(() => { (p as any).props.spec = { podSelector: {}, egress: [{}] }; }).toThrow(TypeError);
    expect(synthOrFail(c.node.root as App)![0].spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 80 }] }]);
  });

  test('a raw NetworkPolicy mutated between syntheses is judged again, and an honest one written as judged', () => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const spec: any = { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] };
    const raw = new ApiObject(c, 'Raw', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'raw' }, spec });
    expect(Testing.synth(c)[0].spec).toEqual(spec);
    spec.egress = [{}];
    expect(() => Testing.synth(c)).toThrow(LEAK);
    // rendering it directly, outside synthesis, judges it too
    expect(() => raw.toJson()).toThrow(LEAK);
    spec.egress = [{ to: [{ podSelector: {} }] }];
    expect(raw.toJson().spec).toEqual(spec);
  });
});

describe('§4 keys that JavaScript treats specially', () => {
  const proto = () => JSON.parse('{"__proto__":"x"}');
  test.each([
    ['LabelSelector.labels', () => LabelSelector.labels(proto())],
    ['LabelSelector.of', () => LabelSelector.of({ labels: proto() })],
    ['LabelSelector.fromConfig', () => LabelSelector.fromConfig({ matchLabels: proto() })],
    ['Peer.pods', () => Peer.pods(proto())],
    ['Peer.namespaces', () => Peer.namespaces(proto())],
    ['Peer.podsInNamespace', () => Peer.podsInNamespace('shop', proto())],
    ['LabelExpression.exists', () => LabelExpression.exists('__proto__')],
    ['Policy labels', () => new Policy(chart(), 'P', { labels: proto(), policyTypes: [Direction.INGRESS] })],
    ['Policy annotations', () => new Policy(chart(), 'P', { annotations: proto(), policyTypes: [Direction.INGRESS] })],
  ])('%s refuses the key __proto__ (Kubernetes refuses it; JavaScript would drop it)', (_name, make) => {
    expect(make).toThrow(/"__proto__": is not a valid key: Kubernetes refuses it/);
  });

  test.each([
    ['LabelSelector.labels', () => LabelSelector.labels({ constructor: 'x' } as any)],
    ['Peer.pods', () => Peer.pods(JSON.parse('{"constructor":"x"}'))],
    ['Policy labels', () => new Policy(chart(), 'P', { labels: JSON.parse('{"constructor":"x"}'), policyTypes: [Direction.INGRESS] })],
  ])('%s refuses the key constructor with a clear error (cdk8s cannot render it)', (_name, make) => {
    expect(make).toThrow(/"constructor": cannot be written by cdk8s/);
  });

  test.each(['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'])('the label key %s is an ordinary key, from the library to the analysis', key => {
    const c = chart();
    new Policy(c, 'P', {
      podSelector: LabelSelector.labels({ app: 'web' }),
      labels: { [key]: 'v' },
      annotations: { [key]: 'v' },
      ingress: [{ from: [Peer.pods({ [key]: 'api' })], ports: [Port.tcp(80)] }],
    });
    const [policy] = synthOrFail(c.node.root as App)!;
    expect(policy.metadata.labels).toEqual({ [key]: 'v' });
    expect(policy.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { [key]: 'api' } } }]);
    const pod = (name: string, labels: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels }, spec: { containers: [{ name: 'm', image: 'x', ports: [{ containerPort: 80 }] }] } });
    const model = ClusterModel.fromObjects([pod('web', { app: 'web' }), pod('api', { [key]: 'api' }), pod('other', { app: 'api' }), policy]);
    expect(model.isAllowed('shop/api', 'shop/web', 80, Protocol.TCP)).toBe(true);
    expect(model.isAllowed('shop/other', 'shop/web', 80, Protocol.TCP)).toBe(false);
  });

  const pod = (name: string, labels: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels }, spec: { containers: [{ name: 'm', image: 'x', ports: [{ containerPort: 80 }] }] } });
  const np = (name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' }, spec });
  test.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])('NP008 reads the label key %s as an ordinary key', key => {
    const report = Linter.lintObjects([
      pod('web', { app: 'web' }), pod('api', { app: 'api' }),
      np('p1', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { [key]: 'x' } } }] }] }),
      np('p2', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }] }] }),
    ]);
    // p1 allows pods labelled key=x (none in the input, so a witness pod stands for them): it has an effect
    expect(report.findings.filter(f => f.ruleId === 'NP008')).toEqual([]);
  });

  test.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])('NP005\'s hint for the label key %s names no function', key => {
    const report = Linter.lintObjects([pod('web', { app: 'web' }), np('p', { podSelector: { matchLabels: { [key]: 'nope' } }, policyTypes: ['Ingress'] })]);
    const np005 = report.findings.filter(f => f.ruleId === 'NP005');
    expect(np005.map(f => f.message)).toEqual([`{${key}=nope} matches no pod in namespace shop (${key}: no pod has this label)`]);
  });

  test('a pod label __proto__ is an input error of the analysis, never dropped', () => {
    expect(() => ClusterModel.fromObjects([pod('web', JSON.parse('{"__proto__":"x","app":"web"}'))]))
      .toThrow(/^Pod shop\/web: metadata\.labels: Invalid value: "__proto__"/);
  });
});

describe('§5 guarantees without holes', () => {
  test.each([['Shop'], ['shop '], [''], ['\u200bshop'], ['-shop'], ['x'.repeat(64)]])('BlockMetadata refuses the namespace %j', namespace => {
    expect(() => new BlockMetadata(chart(), 'B', { namespace, allowInternet: false })).toThrow(/^\[test\/B\] namespace: .*(is not a namespace name|not empty)/);
    expect(() => new BlockMetadata(chart(), 'B', { namespace })).toThrow(/^\[test\/B\] namespace: /);
  });

  test('BlockMetadata refuses a chart namespace no namespace can have', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'Shop' });
    expect(() => new BlockMetadata(c, 'B', { allowInternet: false })).toThrow(/^\[test\/B\] namespace \(of the chart\): "Shop": is not a namespace name/);
    expect(c.node.tryFindChild('B')).toBeUndefined();
  });

  const open = (extra: any = {}) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'open', namespace: 'shop', ...extra }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{}] } });
  test.each([
    ['a List', { apiVersion: 'v1', kind: 'List', items: [open()] }],
    ['a NetworkPolicyList (items without kind)', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList', items: [{ metadata: { name: 'open', namespace: 'shop' }, spec: open().spec }] }],
    ['a List in a List', { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'List', items: [open()] }] }],
    ['a List whose item has no namespace (kubectl puts it in the context\'s)', { apiVersion: 'v1', kind: 'List', items: [{ ...open(), metadata: { name: 'open' } }] }],
  ])('BlockMetadata looks inside %s', (_name, list) => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    new ApiObject(c, 'Included', list as any);
    expect(() => Testing.synth(c)).toThrow(/BlockMetadata: NetworkPolicy (shop|\(no namespace\))\/open \(test\/Included, List item 0\) spec\.egress\[0\] has no `to`/);
  });

  test('BlockMetadata passes a List of narrow policies', () => {
    const c = chart();
    new BlockMetadata(c, 'Guard', { allowInternet: false });
    const narrow = { ...open(), spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }] }] } };
    new ApiObject(c, 'Included', { apiVersion: 'v1', kind: 'List', items: [narrow] } as any);
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test.each([
    ['169.254.169.254', '169.254.169.254/32'],
    ['fd00:ec2::254', 'fd00:ec2::254/128'],
  ])('DenyExternalEgress refuses the bare address %s, suggesting %s', (address, cidr) => {
    expect(() => new DenyExternalEgress(chart(), 'N', { excluded: [address] }))
      .toThrow(`[test/N] excluded[0]: Invalid value: ${JSON.stringify(address)}: must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64); did you mean ${JSON.stringify(cidr)} (that one address)?`);
    expect(() => new BlockMetadata(chart(), 'B', { addresses: [address] })).toThrow(`did you mean ${JSON.stringify(cidr)}`);
  });

  test.each([['not a cidr'], ['10.0.0.1/33'], ['10.0.0.1/8'], ['010.0.0.0/8']])('DenyExternalEgress refuses the excluded entry %j', entry => {
    expect(() => new DenyExternalEgress(chart(), 'N', { excluded: [entry] })).toThrow(/^\[test\/N\] excluded\[0\]: Invalid value: /);
  });

  test.each([
    ['equal to the range', ['10.0.0.0/8']],
    ['covering the range', ['10.0.0.0/7']],
  ])('DenyExternalEgress with an excluded entry %s leaves the range out: never more than asked', (_name, excluded) => {
    const c = chart();
    new DenyExternalEgress(c, 'N', { privateRanges: ['10.0.0.0/8', '192.168.0.0/16'], excluded });
    const policies = synthOrFail(c.node.root as App)!;
    expect(policies[0].spec.egress[0].to).toEqual([{ ipBlock: { cidr: '192.168.0.0/16' } }, { namespaceSelector: {} }]);
    // the pods of shop (which the policy selects) reach no address of 10/8, and still reach 192.168/16 and the cluster's pods
    const fromShop = [...allowedSet(policies)].filter(f => f.startsWith('shop/'));
    expect(fromShop.filter(f => f.includes('-> 10.1.2.3'))).toEqual([]);
    expect(fromShop).toContain('shop/web -> monitoring/prometheus TCP/80');
  });

  test('DenyExternalEgress fails when its excluded entries leave nothing to allow', () => {
    expect(() => new DenyExternalEgress(chart(), 'N', { privateRanges: ['10.0.0.0/8'], excluded: ['10.0.0.0/8'], allowClusterPods: false }))
      .toThrow(/^\[test\/N\] excluded: \["10\.0\.0\.0\/8"\] covers every private range, and allowClusterPods is false: nothing is left to allow/);
  });
});

describe('smaller ones', () => {
  test.each([
    ['metadataAddresses as a mapping', { metadataAddresses: { aws: '169.254.169.254' } }, /metadataAddresses: Invalid value: \{"aws":"169\.254\.169\.254"\}: must be a list of IP addresses/],
    ['metadataAddresses with a CIDR', { metadataAddresses: ['169.254.169.254/32'] }, /metadataAddresses: Invalid value: "169\.254\.169\.254\/32": must be an IP address/],
    ['dnsNamespace not a namespace name', { dnsNamespace: 'Kube System' }, /dnsNamespace: Invalid value: "Kube System": must be a namespace name/],
    ['defaultNamespace empty', { defaultNamespace: '' }, /defaultNamespace: Invalid value: "": must be a namespace name/],
    ['dnsPodLabels with a number', { dnsPodLabels: { 'k8s-app': 1 } }, /dnsPodLabels\["k8s-app"\]: Invalid value: 1: must be a string/],
  ])('NetpolLintPlugin refuses %s at construction, with a clear error', (_name, properties, message) => {
    let error: unknown;
    try {
      new NetpolLintPlugin(properties as any);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^NetpolLintPlugin: property /);
    expect((error as Error).message).toMatch(message);
  });

  test.each([
    ['dnsNamespace', 'Kube System'], ['defaultNamespace', 'Shop'], ['dnsNamespace', ''],
  ])('Linter.lintObjects refuses the option %s: %j', (key, value) => {
    expect(() => Linter.lintObjects([], { [key]: value })).toThrow(new RegExp(`^\\[Linter\\.lintObjects\\] options\\.${key}: `));
  });
});

function writeTemp(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-')), 'app.yaml');
  fs.writeFileSync(file, text);
  return file;
}
