import { conformanceModel, conformanceObjects, policy } from './conformance-fixture';
import { ClusterModel, SelfTraffic } from '../../src/analysis';
import { Direction } from '../../src/direction';
import { Protocol } from '../../src/port';

const podA = { matchLabels: { pod: 'a' } };
const denyAllIngress = policy('y', 'deny-all', { podSelector: {}, ingress: [] });
const allowFromX = policy('y', 'allow-from-x', {
  podSelector: { matchLabels: { pod: 'b' } },
  ingress: [{
    from: [{ podSelector: { matchLabels: { pod: 'q' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }],
    ports: [{ port: 80 }, { port: 'serve-81-tcp' }],
  }],
});

describe('Verdict | explanations', () => {
  const model = conformanceModel([denyAllIngress, allowFromX]);

  test('an allowed connection names the rule, peer and port that allow it', () => {
    const v = model.allowed({ from: 'x/a', to: 'y/b', port: 80 });
    expect(v.allowed).toBe(true);
    expect(v.ingress).toEqual({
      direction: Direction.INGRESS,
      endpoint: 'y/b',
      external: false,
      isolated: true,
      isolatedBy: ['y/allow-from-x', 'y/deny-all'],
      allowed: true,
      allowedBy: [{
        policy: 'y/allow-from-x',
        direction: Direction.INGRESS,
        ruleIndex: 0,
        peerIndex: 1,
        portIndex: 0,
        description: 'y/allow-from-x ingress rule 0 (from[1] namespaceSelector {kubernetes.io/metadata.name=x}, ports[0] TCP/80)',
      }],
      unmatched: [],
      reason: 'ingress to y/b: isolated by y/allow-from-x, y/deny-all; allowed by y/allow-from-x ingress rule 0 (from[1] namespaceSelector {kubernetes.io/metadata.name=x}, ports[0] TCP/80)',
    });
    expect(v.explanation).toEqual([
      'x/a -> y/b TCP/80: allowed',
      '  egress from x/a: not isolated (no policy in namespace x selects it for Egress); allowed',
      '  ingress to y/b: isolated by y/allow-from-x, y/deny-all; allowed by y/allow-from-x ingress rule 0 (from[1] namespaceSelector {kubernetes.io/metadata.name=x}, ports[0] TCP/80)',
    ].join('\n'));
  });

  test('a denied connection says why each rule of the selecting policies does not match', () => {
    const v = model.allowed({ from: 'z/a', to: 'y/b', port: 82 });
    expect(v.allowed).toBe(false);
    expect(v.explanation).toEqual([
      'z/a -> y/b TCP/82: denied by ingress',
      '  egress from z/a: not isolated (no policy in namespace z selects it for Egress); allowed',
      '  ingress to y/b: isolated by y/allow-from-x, y/deny-all; no rule of the 2 policies that select y/b allows it',
      '    - y/allow-from-x ingress rule 0: no peer matches z/a (from[0] podSelector {pod=q}; from[1] namespaceSelector {kubernetes.io/metadata.name=x})',
      '    - y/deny-all: no ingress rules (it only isolates)',
    ].join('\n'));
  });

  test('a matching peer on the wrong port is reported as a port mismatch', () => {
    const v = model.allowed({ from: 'x/a', to: 'y/b', port: 82, protocol: Protocol.TCP });
    expect(v.ingress.unmatched[0]).toEqual('y/allow-from-x ingress rule 0: no port matches TCP/82 (ports: TCP/80, TCP/"serve-81-tcp")');
  });

  test('a single isolating policy is named in the singular', () => {
    expect(model.allowed({ from: 'x/a', to: 'y/a', port: 80 }).ingress.reason)
      .toEqual('ingress to y/a: isolated by y/deny-all; no rule of the policy that selects y/a allows it');
  });

  test('a rule without peers or ports says so', () => {
    const m = conformanceModel([policy('x', 'open', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })]);
    expect(m.allowed({ from: 'x/a', to: 'y/a', port: 80 }).egress.allowedBy[0]).toEqual({
      policy: 'x/open',
      direction: Direction.EGRESS,
      ruleIndex: 0,
      peerIndex: undefined,
      portIndex: undefined,
      description: 'x/open egress rule 0 (to any peer, any port)',
    });
  });

  test('explanations are deterministic whatever the input order', () => {
    const reversed = ClusterModel.fromObjects([allowFromX, denyAllIngress, ...conformanceObjects().reverse()]);
    expect(reversed.allowed({ from: 'z/a', to: 'y/b', port: 82 }).explanation).toEqual(model.allowed({ from: 'z/a', to: 'y/b', port: 82 }).explanation);
  });
});

describe('Verdict | named ports', () => {
  const model = conformanceModel([allowFromX]);

  test('a named port in the query resolves on the destination pod', () => {
    const v = model.allowed({ from: 'x/a', to: 'y/b', portName: 'serve-81-tcp' });
    expect(v).toMatchObject({ allowed: true, port: 81, portName: 'serve-81-tcp', protocol: Protocol.TCP });
    expect(v.ingress.allowedBy[0].description).toEqual(
      'y/allow-from-x ingress rule 0 (from[1] namespaceSelector {kubernetes.io/metadata.name=x}, ports[1] TCP/"serve-81-tcp" = 81 on y/b)');
    expect(v.explanation.split('\n')[0]).toEqual('x/a -> y/b TCP/81 ("serve-81-tcp"): allowed');
  });

  test('a named port resolves by name and protocol', () => {
    expect(model.allowed({ from: 'x/a', to: 'y/b', portName: 'serve-81-udp', protocol: Protocol.UDP }).port).toBe(81);
    expect(() => model.allowed({ from: 'x/a', to: 'y/b', portName: 'serve-81-udp' }))
      .toThrow(/portName: Invalid value: "serve-81-udp": y\/b has no TCP container port of that name; its named ports: serve-80-tcp \(TCP\/80\)/);
  });

  test('a named port can not be resolved on an external address', () => {
    expect(() => model.allowed({ from: 'x/a', to: '203.0.113.9', portName: 'http' })).toThrow(/203.0.113.9 is an external address/);
  });

  test('port and portName must agree', () => {
    expect(() => model.allowed({ from: 'x/a', to: 'y/b', port: 80, portName: 'serve-81-tcp' })).toThrow(/portName "serve-81-tcp" is port 81 on y\/b/);
    expect(model.allowed({ from: 'x/a', to: 'y/b', port: 81, portName: 'serve-81-tcp' }).allowed).toBe(true);
  });

  test('a named egress port never matches an external address', () => {
    const m = conformanceModel([policy('x', 'egress-named', { podSelector: podA, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })]);
    expect(m.isAllowed('x/a', 'y/a', 80)).toBe(true);
    const v = m.allowed({ from: 'x/a', to: '203.0.113.9', port: 80 });
    expect(v.allowed).toBe(false);
    expect(v.egress.unmatched).toEqual([
      'x/egress-named egress rule 0: no port matches TCP/80 (ports: TCP/"serve-80-tcp"); named ports never match an external address',
    ]);
  });
});

describe('Verdict | external endpoints and ipBlock', () => {
  test('a rule without peers matches external addresses; namespaceSelector {} does not', () => {
    const m = conformanceModel([
      policy('x', 'open-a', { podSelector: podA, ingress: [{}] }),
      policy('x', 'cluster-only-b', { podSelector: { matchLabels: { pod: 'b' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
    ]);
    expect(m.isAllowed('198.51.100.7', 'x/a', 80)).toBe(true);
    expect(m.isAllowed('198.51.100.7', 'x/b', 80)).toBe(false);
    expect(m.isAllowed('y/c', 'x/b', 80)).toBe(true);
  });

  test('traffic between external addresses is not subject to any policy', () => {
    const v = conformanceModel([]).allowed({ from: '198.51.100.7', to: '203.0.113.9', port: 443 });
    expect(v.allowed).toBe(true);
    expect(v.egress.reason).toEqual('egress from 198.51.100.7: outside the cluster, no NetworkPolicy applies; allowed');
    expect(v.egress.external).toBe(true);
  });

  test('ipBlock except carves addresses out of the CIDR', () => {
    const m = conformanceModel([policy('x', 'egress-cidr', {
      podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] } }] }],
    })]);
    expect(m.isAllowed('x/a', '203.0.113.127', 443)).toBe(true);
    expect(m.isAllowed('x/a', '203.0.113.128', 443)).toBe(false);
    expect(m.isAllowed('x/a', '198.51.100.1', 443)).toBe(false);
    // address families never mix
    expect(m.isAllowed('x/a', '2001:db8::1', 443)).toBe(false);
  });

  test('IPv6 ipBlocks match IPv6 addresses', () => {
    const m = conformanceModel([policy('x', 'egress-v6', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32' } }] }] })]);
    expect(m.isAllowed('x/a', '2001:db8::1', 443)).toBe(true);
    expect(m.isAllowed('x/a', '2001:db9::1', 443)).toBe(false);
  });

  test('ipBlock matches pod IPs unless ipBlockMatchesPodIps is false', () => {
    const policies = [policy('x', 'egress-cidr', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.1.0/24' } }] }] })];
    expect(conformanceModel(policies).isAllowed('x/a', 'y/a', 80)).toBe(true);
    expect(conformanceModel(policies, { ipBlockMatchesPodIps: false }).isAllowed('x/a', 'y/a', 80)).toBe(false);
    // external addresses match either way
    expect(conformanceModel(policies, { ipBlockMatchesPodIps: false }).isAllowed('x/a', '10.0.1.200', 80)).toBe(true);
  });

  test('pods without an IP never match an ipBlock', () => {
    const m = ClusterModel.fromObjects([
      { kind: 'Pod', metadata: { name: 'a', namespace: 'x' } },
      { kind: 'Pod', metadata: { name: 'b', namespace: 'x' } },
      policy('x', 'any-ip', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
    ]);
    expect(m.isAllowed('x/a', 'x/b', 80)).toBe(false);
    expect(m.isAllowed('192.0.2.1', 'x/b', 80)).toBe(true);
  });

  test('a query by IP address resolves to the pod with that IP', () => {
    const m = conformanceModel([]);
    expect(m.allowed({ from: '10.0.0.1', to: '10.0.2.3', port: 80 })).toMatchObject({ from: 'x/a', to: 'z/c' });
  });
});

describe('Verdict | self-traffic', () => {
  const policies = [policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })];

  test('by default, traffic from a pod to itself is allowed whatever the policies', () => {
    const v = conformanceModel(policies).allowed({ from: 'x/a', to: 'x/a', port: 80 });
    expect(v).toMatchObject({ allowed: true, selfTraffic: true });
    expect(v.egress.allowed).toBe(false);
    expect(v.explanation.split('\n')[0]).toEqual('x/a -> x/a TCP/80: allowed (traffic from an endpoint to itself is always allowed: selfTraffic ALLOW)');
  });

  test('with SelfTraffic.EVALUATE, it is evaluated like any other traffic', () => {
    const v = conformanceModel(policies, { selfTraffic: SelfTraffic.EVALUATE }).allowed({ from: 'x/a', to: 'x/a', port: 80 });
    expect(v).toMatchObject({ allowed: false, selfTraffic: true });
    expect(v.explanation.split('\n')[0]).toEqual('x/a -> x/a TCP/80: denied by egress and ingress');
  });

  test('another pod of the same shape is not self-traffic', () => {
    const m = ClusterModel.fromObjects([
      { kind: 'Pod', metadata: { name: 'a1', namespace: 'x', labels: { app: 'a' } } },
      { kind: 'Pod', metadata: { name: 'a2', namespace: 'x', labels: { app: 'a' } } },
      ...policies,
    ]);
    expect(m.isAllowed('x/a1', 'x/a1', 80)).toBe(true);
    expect(m.isAllowed('x/a1', 'x/a2', 80)).toBe(false);
    expect(m.truthTable(80).isAllowed('x/a1', 'x/a2')).toBe(false);
    expect(m.truthTable(80).isAllowed('x/a2', 'x/a2')).toBe(true);
  });
});

describe('Verdict | query errors', () => {
  const model = conformanceModel([]);

  test('throws for an unknown endpoint, listing the known ones', () => {
    expect(() => model.allowed({ from: 'x/q', to: 'y/a', port: 80 }))
      .toThrow('from: unknown endpoint "x/q": not a pod, a workload or an IP address; known endpoints: x/a, x/b, x/c, y/a, y/b, y/c, z/a, z/b, z/c');
  });

  test('throws for a missing, invalid or out-of-range port', () => {
    expect(() => model.allowed({ from: 'x/a', to: 'y/a' })).toThrow('port: Required value: give a port number or a portName');
    expect(() => model.allowed({ from: 'x/a', to: 'y/a', port: 0 })).toThrow('port: Invalid value: 0: must be between 1 and 65535, inclusive');
    expect(() => model.allowed({ from: 'x/a', to: 'y/a', port: 65536 })).toThrow(/must be between 1 and 65535/);
  });

  test('throws for an unsupported protocol', () => {
    expect(() => model.allowed({ from: 'x/a', to: 'y/a', port: 80, protocol: 'ICMP' as Protocol })).toThrow('Unsupported protocol "ICMP": use TCP, UDP or SCTP');
    expect(() => model.truthTable(80, 'tcp' as Protocol)).toThrow(/Unsupported protocol "tcp"/);
  });
});
