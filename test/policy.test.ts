import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { AllowDns, DefaultDeny, Direction, LabelExpression, LabelSelector, Peer, Policy, Port } from '../src';
import { chartIn, policyNamed, synthPolicies } from './util';

describe('Policy', () => {
  test('renders one NetworkPolicy with the chart namespace, a readable name and explicit policyTypes', () => {
    // GIVEN
    const chart = chartIn('shop');
    // WHEN
    new Policy(chart, 'WebIngress', {
      podSelector: LabelSelector.labels({ app: 'web' }),
      ingress: [{ from: [Peer.namespace('ingress-nginx')], ports: [Port.tcp(8080)] }],
    });
    // THEN
    const policies = synthPolicies(chart);
    expect(policies).toHaveLength(1);
    expect(policies[0]).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web-ingress', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        }],
      },
    });
  });

  test('rules added after construction take effect, and policyTypes follows them', () => {
    const chart = chartIn();
    const policy = new Policy(chart, 'Api');
    policy.addEgress({ to: [Peer.pods({ app: 'db' })], ports: [Port.tcp(5432)] });
    policy.addIngress({ from: [Peer.pods({ app: 'web' })], ports: [Port.tcp(8080), Port.named('metrics')] });
    expect(policy.policyTypes).toEqual([Direction.INGRESS, Direction.EGRESS]);
    const [spec] = synthPolicies(chart).map(p => p.spec);
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.podSelector).toEqual({});
    expect(spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 'metrics' }] }]);
    expect(spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });

  test('equal rules added twice are emitted once, whatever the order of their peers and ports', () => {
    const chart = chartIn();
    const policy = new Policy(chart, 'P');
    const a = Peer.pods({ app: 'a' });
    const b = Peer.namespace('b');
    policy.addIngress({ from: [a, b], ports: [Port.tcp(80), Port.udp(53)] });
    policy.addIngress({ from: [b, a], ports: [Port.udp(53), Port.tcp(80)] });
    policy.addIngress({ from: [Peer.pods({ app: 'a' }), Peer.namespace('b')], ports: [Port.tcp(80), Port.udp(53)] });
    const spec = synthPolicies(chart)[0].spec;
    expect(spec.ingress).toHaveLength(1);
    expect(spec.ingress[0].from).toEqual([a.toPeerConfig(), b.toPeerConfig()]);
  });

  test('duplicate peers and ports inside one rule are emitted once', () => {
    const chart = chartIn();
    new Policy(chart, 'P', { egress: [{ to: [Peer.pods({ x: 'y' }), Peer.pods({ x: 'y' })], ports: [Port.tcp(1), Port.tcp(1)] }] });
    const rule = synthPolicies(chart)[0].spec.egress[0];
    expect(rule.to).toEqual([{ podSelector: { matchLabels: { x: 'y' } } }]);
    expect(rule.ports).toEqual([{ protocol: 'TCP', port: 1 }]);
  });

  test('different rules stay separate and keep the order they were added in', () => {
    const chart = chartIn();
    const policy = new Policy(chart, 'P');
    policy.addIngress({ from: [Peer.pods({ n: '2' })], ports: [Port.tcp(2)] });
    policy.addIngress({ from: [Peer.pods({ n: '1' })], ports: [Port.tcp(1)] });
    expect(synthPolicies(chart)[0].spec.ingress.map((r: any) => r.ports[0].port)).toEqual([2, 1]);
  });

  test('Peer.anywhere() drops the peer list and Port.allTraffic() drops the port list, only when asked', () => {
    const chart = chartIn();
    new Policy(chart, 'P', {
      ingress: [{ from: [Peer.anywhere()], ports: [Port.tcp(443)] }],
      egress: [{ to: [Peer.pods({ a: 'b' }), Peer.anywhere()], ports: [Port.allTraffic(), Port.tcp(1)] }],
    });
    const spec = synthPolicies(chart)[0].spec;
    expect(spec.ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(spec.egress).toEqual([{}]);
  });

  test('explicit policyTypes with no rules isolates (deny all in those directions)', () => {
    const chart = chartIn();
    new Policy(chart, 'Isolate', { policyTypes: [Direction.EGRESS, Direction.INGRESS] });
    const spec = synthPolicies(chart)[0].spec;
    expect(spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('namespace and name can be set per construct, so one chart holds many namespaces', () => {
    const chart = new Chart(Testing.app(), 'multi');
    new Policy(chart, 'A', { namespace: 'team-a', name: 'custom', policyTypes: [Direction.INGRESS] });
    new Policy(chart, 'B', { namespace: 'team-b', policyTypes: [Direction.INGRESS] });
    const policies = synthPolicies(chart);
    expect(policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['team-a/custom', 'team-b/b']);
  });

  test('names come from the construct path below the chart, kebab-cased', () => {
    const chart = chartIn();
    const group = new Policy(chart, 'Shop_Frontend', { policyTypes: [Direction.INGRESS] });
    new Policy(group, 'AllowFromLB', { policyTypes: [Direction.INGRESS] });
    expect(synthPolicies(chart).map(p => p.metadata.name)).toEqual(['shop-frontend', 'shop-frontend-allow-from-lb']);
  });

  test('a number after a word becomes a word of its own; one digit stays with its word', () => {
    const chart = chartIn();
    for (const id of ['ApiAllow5000', 'AllowIpv4', 'K8sApi', 'Http2Only', 'Port80Tcp']) new Policy(chart, id, { policyTypes: [Direction.INGRESS] });
    expect(synthPolicies(chart).map(p => p.metadata.name).sort()).toEqual(['allow-ipv4', 'api-allow-5000', 'http2-only', 'k8s-api', 'port-80-tcp']);
  });

  test('a derived name that is taken in the namespace gets a short hash; other namespaces keep it', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'shop' });
    const c = new Chart(app, 'c', { namespace: 'other' });
    for (const chart of [a, b, c]) new Policy(chart, 'DefaultDeny', { policyTypes: [Direction.INGRESS] });
    expect(synthPolicies(a)[0].metadata.name).toBe('default-deny');
    expect(synthPolicies(b)[0].metadata.name).toMatch(/^default-deny-[0-9a-f]{8}$/);
    expect(synthPolicies(c)[0].metadata.name).toBe('default-deny');
  });

  test('synthesis is deterministic', () => {
    const build = () => {
      const chart = chartIn();
      new Policy(chart, 'P', {
        podSelector: LabelSelector.of({ labels: { z: '1', a: '2' }, expressions: [LabelExpression.exists('k')] }),
        ingress: [{ from: [Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']), Peer.pods({ b: '1', a: '2' })], ports: [Port.tcpRange(1000, 2000)] }],
      });
      return Testing.synth(chart);
    };
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
  });

  test('labels and annotations reach the object', () => {
    const chart = chartIn();
    new Policy(chart, 'P', { policyTypes: [Direction.INGRESS], labels: { owner: 'team-a' }, annotations: { 'example.com/reason': 'audit' } });
    const [policy] = synthPolicies(chart);
    expect(policy.metadata.labels).toEqual({ owner: 'team-a' });
    expect(policy.metadata.annotations).toEqual({ 'example.com/reason': 'audit' });
    expect(policyNamed([policy], 'p')).toBe(policy);
  });

  describe('is the ApiObject it synthesizes', () => {
    test('one construct per object: no child, ApiObject.of returns the policy, patterns are policies', () => {
      const chart = chartIn();
      const policy = new Policy(chart, 'P', { policyTypes: [Direction.INGRESS] });
      const deny = new DefaultDeny(chart, 'Deny');
      expect(policy.node.children).toEqual([]);
      expect(deny.node.children).toEqual([]);
      expect(ApiObject.of(policy)).toBe(policy);
      expect(policy.kind).toBe('NetworkPolicy');
      expect(policy.apiVersion).toBe('networking.k8s.io/v1');
      expect(policy.name).toBe('p');
      expect(synthPolicies(chart).map(p => p.metadata.name)).toEqual(['p', 'deny']);
    });

    test('instanceof keeps its ordinary meaning (cdk8s answers true for any ApiObject)', () => {
      const chart = chartIn();
      const deny = new DefaultDeny(chart, 'Deny');
      const plain = new Policy(chart, 'P', { policyTypes: [Direction.INGRESS] });
      const other = new ApiObject(chart, 'Other', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'other' } });
      expect([deny instanceof Policy, deny instanceof DefaultDeny, deny instanceof ApiObject]).toEqual([true, true, true]);
      expect([plain instanceof DefaultDeny, deny instanceof AllowDns]).toEqual([false, false]);
      expect(other instanceof Policy).toBe(false);
      expect(other instanceof ApiObject).toBe(true);
    });

    test('escape hatches of ApiObject apply to the rendered object, after the spec is rendered', () => {
      const chart = chartIn();
      const policy = new Policy(chart, 'P', { policyTypes: [Direction.INGRESS] });
      policy.metadata.addLabel('team', 'a');
      policy.addJsonPatch(JsonPatch.add('/spec/podSelector/matchLabels', { app: 'web' }));
      const [obj] = synthPolicies(chart);
      expect(obj.metadata.labels).toEqual({ team: 'a' });
      expect(obj.spec.podSelector).toEqual({ matchLabels: { app: 'web' } });
    });

    test('errors raised before the object exists name the path it would have had', () => {
      const chart = chartIn();
      expect(() => new Policy(chart, 'Bad', { namespace: 'Not_A_Label' })).toThrow(/^\[test\/Bad\] metadata\.namespace: Invalid value: "Not_A_Label"/);
      expect(chart.node.tryFindChild('Bad')).toBeUndefined();
    });
  });

  describe('never silently wider', () => {
    test('fails when a rule lists no peers', () => {
      const chart = chartIn();
      const policy = new Policy(chart, 'P');
      expect(() => policy.addIngress({ from: [], ports: [Port.tcp(80)] }))
        .toThrow('[test/P] spec.ingress[0].from: []: a rule must list at least one peer. Use [Peer.anywhere()] to allow every source: an empty list is never read as "anywhere"');
      expect(() => policy.addEgress({ to: [], ports: [Port.tcp(80)] })).toThrow(/spec\.egress\[0\]\.to: \[\]: .*Peer\.anywhere\(\)/);
    });

    test('fails when a rule lists no ports', () => {
      const policy = new Policy(chartIn(), 'P');
      expect(() => policy.addIngress({ from: [Peer.pods({ a: 'b' })], ports: [] }))
        .toThrow('[test/P] spec.ingress[0].ports: []: a rule must list at least one port. Use [Port.allTraffic()] to allow every port and protocol: an empty list is never read as "all ports"');
      expect(() => policy.addEgress({ to: [Peer.pods({ a: 'b' })], ports: undefined as any })).toThrow(/spec\.egress\[0\]\.ports: undefined: /);
    });

    test('fails when a rule is added for a direction that policyTypes leaves out', () => {
      const policy = new Policy(chartIn(), 'P', { policyTypes: [Direction.INGRESS] });
      expect(() => policy.addEgress({ to: [Peer.anywhere()], ports: [Port.tcp(53)] }))
        .toThrow('[test/P] spec.egress[0]: an egress rule was added, but policyTypes is [Ingress]: the API server would silently ignore the rule. Add Direction.EGRESS to policyTypes, or drop the rule');
    });

    test('fails when policyTypes is empty', () => {
      expect(() => new Policy(chartIn(), 'P', { policyTypes: [] })).toThrow(/\[test\/P\] policyTypes is empty/);
    });

    test('fails synthesis when a policy has neither rules nor policyTypes', () => {
      const chart = chartIn();
      new Policy(chart, 'Nothing');
      expect(() => Testing.synth(chart)).toThrow(/\[test\/Nothing\] this policy has no rules and no policyTypes/);
    });

    test('fails without a namespace', () => {
      const chart = new Chart(Testing.app(), 'nons');
      expect(() => new Policy(chart, 'P')).toThrow('[nons/P] no namespace: set `namespace` on this construct or on its chart, so that it is clear which pods the policy isolates');
    });

    test('fails when an explicit name is already taken in the namespace', () => {
      const chart = chartIn();
      new Policy(chart, 'A', { name: 'same', policyTypes: [Direction.INGRESS] });
      expect(() => new Policy(chart, 'B', { name: 'same', policyTypes: [Direction.INGRESS] }))
        .toThrow('[test/B] metadata.name "same" is already used in namespace "shop" by \'test/A\': two NetworkPolicies with one name replace each other when applied; give one of them another `name`');
    });
  });
});

describe('rules are rendered and validated once per distinct list of peers and ports', () => {
  test('an invalid rule fails every time, naming each policy, and a valid one renders the same in every policy', () => {
    const chart = chartIn('shop');
    const bad = { egress: [{ to: [Peer.ipBlock('10.0.0.1/8')], ports: [Port.tcp(443)] }] };
    expect(() => new Policy(chart, 'A', bad)).toThrow(/^\[test\/A\] spec\.egress\[0\]\.to\[0\]\.ipBlock\.cidr: Invalid value: "10\.0\.0\.1\/8"/);
    expect(() => new Policy(chart, 'B', bad)).toThrow(/^\[test\/B\] spec\.egress\[0\]\.to\[0\]\.ipBlock\.cidr: Invalid value: "10\.0\.0\.1\/8"/);
    const good = { to: [Peer.pods({ app: 'db' }), Peer.anyIpv4()], ports: [Port.tcp(5432)] };
    new Policy(chart, 'C', { egress: [good] });
    new Policy(chart, 'D', { egress: [good, { to: [Peer.anyIpv4(), Peer.pods({ app: 'db' })], ports: [Port.tcp(5432)] }] });
    const c = policyNamed(synthPolicies(chart), 'c');
    const d = policyNamed(synthPolicies(chart), 'd');
    expect(c.spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: 'db' } } }, { ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    // the same peers in another order are the same rule: written once, as first given
    expect(d.spec.egress).toEqual(c.spec.egress);
  });
});
