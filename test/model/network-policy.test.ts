import { Direction } from '../../src/direction';
import { ParsedPolicy, policyErrorMessage, readNetworkPolicy } from '../../src/model/network-policy';
import { Protocol } from '../../src/port';

function parse(spec: any): ParsedPolicy {
  const obj = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'x' }, spec };
  const read = readNetworkPolicy(obj, { defaultNamespace: 'default' });
  if (!read.policy) throw new Error(policyErrorMessage(obj, read.errors, 'default'));
  return read.policy;
}

describe('NetworkPolicy defaulting', () => {
  test('missing policyTypes become Ingress, plus Egress when there are egress rules', () => {
    expect(parse({ podSelector: {} })).toMatchObject({ isolatesIngress: true, isolatesEgress: false });
    expect(parse({ podSelector: {}, egress: [] })).toMatchObject({ isolatesIngress: true, isolatesEgress: false });
    expect(parse({ podSelector: {}, egress: [{}] })).toMatchObject({ isolatesIngress: true, isolatesEgress: true });
    expect(parse({ podSelector: {}, policyTypes: [], egress: [{}] })).toMatchObject({ isolatesIngress: true, isolatesEgress: true });
  });

  test('explicit policyTypes are kept, and rules of other directions are ignored', () => {
    const p = parse({ podSelector: {}, policyTypes: ['Egress'], ingress: [{}], egress: [{}] });
    expect(p).toMatchObject({ isolatesIngress: false, isolatesEgress: true });
    expect(p.ingress).toEqual([]);
    expect(p.egress).toHaveLength(1);
  });

  test('a port without protocol is TCP; an empty port entry is every TCP port', () => {
    const p = parse({ podSelector: {}, ingress: [{ ports: [{ port: 80 }, {}, { protocol: 'UDP', port: 'dns' }, { port: 8000, endPort: 8080 }] }] });
    expect(p.ingress[0].ports).toEqual([
      { index: 0, protocol: Protocol.TCP, port: 80, text: 'TCP/80' },
      { index: 1, protocol: Protocol.TCP, text: 'TCP/*' },
      { index: 2, protocol: Protocol.UDP, name: 'dns', text: 'UDP/"dns"' },
      { index: 3, protocol: Protocol.TCP, port: 8000, endPort: 8080, text: 'TCP/8000-8080' },
    ]);
  });

  test('empty from/to and ports lists mean every peer and every port', () => {
    const p = parse({ podSelector: {}, ingress: [{ from: [], ports: [] }], egress: [{}] });
    expect(p.ingress[0]).toEqual({ direction: Direction.INGRESS, index: 0, peers: undefined, ports: undefined });
    expect(p.egress[0]).toEqual({ direction: Direction.EGRESS, index: 0, peers: undefined, ports: undefined });
  });

  test('peers are described for explanations', () => {
    const p = parse({
      podSelector: {},
      ingress: [{
        from: [
          { namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { app: 'web' } } },
          { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
        ],
      }],
    });
    expect(p.ingress[0].peers!.map(peer => peer.text)).toEqual([
      'namespaceSelector {team=a} AND podSelector {app=web}',
      'ipBlock 10.0.0.0/8 except 10.1.0.0/16',
    ]);
  });
});

describe('NetworkPolicy input errors', () => {
  test.each([
    [{ ingress: [{ from: [{}] }] }, 'NetworkPolicy x/p: spec.ingress[0].from[0]: Required value: must specify a peer'],
    [{ egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }, 'spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer'],
    [{ ingress: [{ ports: [{ port: 0 }] }] }, 'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    [{ ingress: [{ ports: [{ port: '80' }] }] }, 'spec.ingress[0].ports[0].port: Invalid value: "80": must contain at least one letter (a-z)'],
    [{ ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }, 'spec.ingress[0].ports[0].endPort: Invalid value: 90: may not be specified when `port` is non-numeric'],
    [{ ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }, 'spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`'],
    [{ ingress: [{ ports: [{ protocol: 'tcp' }] }] }, 'spec.ingress[0].ports[0].protocol: Unsupported value: "tcp"'],
    [{ ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0' } }] }] }, 'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR'],
    [{ policyTypes: ['ingress'] }, 'spec.policyTypes[0]: Unsupported value: "ingress"'],
    [{ ingress: {} }, 'spec.ingress: Invalid value: {}: must be a list'],
    // what an evaluator that skips validation would read wider than written
    [{ ingress: [{ ports: [80] }] }, 'spec.ingress[0].ports[0]: Invalid value: 80: must be an object, not an integer'],
    [{ ingress: ['from'] }, 'spec.ingress[0]: Invalid value: "from": must be an object, not a string'],
    [{ ingress: [1] }, 'spec.ingress[0]: Invalid value: 1: must be an object, not an integer'],
    [{ ingress: [[]] }, 'spec.ingress[0]: Invalid value: []: must be an object, not a list'],
    [{ podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] } }, 'spec.podSelector.matchExpressions[0].values: Invalid value: "x": must be a list'],
  ])('throws for %j', (spec, message) => {
    expect(() => parse({ podSelector: {}, ...spec })).toThrow(message);
  });
});

describe('NetworkPolicy readings shared by equal specs', () => {
  const read = (spec: any) => readNetworkPolicy({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'x' }, spec }, { defaultNamespace: 'default' });

  test('a spec whose JSON text stands for another value never takes that value\'s reading', () => {
    // first a valid spec: port null is absent (every TCP port)...
    expect(read({ podSelector: {}, ingress: [{ ports: [{ port: null }] }] }).errors).toEqual([]);
    // ...then specs whose JSON text is the same, but which are not that value
    expect(read({ podSelector: {}, ingress: [{ ports: [{ port: NaN }] }] }).policy).toBeUndefined();
    expect(read({ podSelector: {}, ingress: [{ ports: [{ port: Infinity }] }] }).policy).toBeUndefined();
    expect(read({ podSelector: {}, ingress: [{ ports: [{ port: new Date(0) }] }] }).policy).toBeUndefined();
    expect(read({ podSelector: {}, ingress: [{ ports: [{ protocol: 'TCP', port: () => 80 }] }] }).policy).toBeUndefined();
    expect(read({ podSelector: {}, ingress: [{ ports: [{ protocol: 'TCP' }] }] }).errors).toEqual([]);
  });

  test('equal specs share one frozen reading of their rules', () => {
    const spec = { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 80 }] }] };
    const a = read(spec).policy!;
    const b = read(JSON.parse(JSON.stringify(spec))).policy!;
    expect(a.ingress).toBe(b.ingress);
    expect(Object.isFrozen(a.ingress[0].ports![0])).toBe(true);
  });
});
