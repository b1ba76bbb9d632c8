import * as fc from 'fast-check';
import { allowedSet, chart, expectLibraryError, NAMESPACE, synthOrFail } from './world';
import { LabelSelector, Peer, Policy, Port } from '../../src';

/**
 * For any sequence of library calls with arbitrary JavaScript values as arguments: either the
 * library throws its own error (never a TypeError), or what it synthesizes passes the API
 * server's validation and the connectivity engine's verdicts equal those of the policy the
 * values mean as typed, written out by hand here (an independent reading of the types).
 */

type Labels = { [key: string]: string };
/** One argument: usually a value of the declared type, sometimes anything at all. */
function arg<T>(typed: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  const anything = fc.anything({ withMap: true, withSet: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true });
  return fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: anything });
}
const portNumber = arg(fc.oneof(fc.constantFrom(22, 53, 80, 8080, 9899), fc.integer({ min: 0, max: 70000 })));
const portName = arg(fc.constantFrom('http', 'metrics', 'Bad_Name'));
const labels = arg(fc.constantFrom<Labels>({ app: 'web' }, { app: 'api' }, { app: 'prometheus' }, { tier: 'frontend' }, { 'k8s-app': 'kube-dns' }, { app: 'web', tier: 'frontend' },
  // keys that JavaScript treats specially: ordinary label keys, or refused with the library's error
  { toString: 'web' }, { valueOf: 'api', app: 'api' }, { hasOwnProperty: 'x' }, { constructor: 'web' } as any, JSON.parse('{"__proto__":"web"}'), JSON.parse('{"__proto__":"web","app":"web"}')));

/**
 * How a value reaches the library: as it is, or answering differently after its first read (an
 * array Proxy whose length drops to 0, an object whose every key is an accessor that answers
 * "other" after its first read). The library must use the first answer, or fail.
 */
type Wrap = 'plain' | 'proxy' | 'accessors';
const wrapMode = fc.constantFrom<Wrap>('plain', 'plain', 'proxy', 'accessors');

function wrap<T>(mode: Wrap, value: T): T {
  if (mode === 'plain' || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let reads = 0;
    return new Proxy(value, { get: (t, k, r) => (k === 'length' ? (reads++ === 0 ? t.length : 0) : Reflect.get(t, k, r)) }) as T;
  }
  if (mode === 'proxy') {
    const seen = new Set<PropertyKey>();
    return new Proxy(value, { get: (t, k, r) => (seen.has(k) ? 'other' : (seen.add(k), Reflect.get(t, k, r))) }) as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out = Object.create(proto);
  for (const key of Object.keys(value)) {
    let reads = 0;
    const v = (value as any)[key];
    Object.defineProperty(out, key, { enumerable: true, configurable: true, get: () => (reads++ === 0 ? v : 'other') });
  }
  return out;
}
const namespace = arg(fc.constantFrom('shop', 'monitoring', 'kube-system', 'other'));
const cidr = arg(fc.constantFrom('0.0.0.0/0', '8.8.8.0/24', '10.0.0.0/8', '169.254.169.254/32'));
const except = arg(fc.constantFrom<string[] | undefined>(undefined, ['10.1.0.0/16'], ['169.254.169.254/32'], []));

type Call = [string, ...unknown[]];
const portCall: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(fc.constantFrom('tcp', 'udp', 'sctp'), portNumber),
  fc.tuple(fc.constant('named'), portName),
  fc.tuple(fc.constantFrom('tcpRange', 'udpRange'), portNumber, portNumber),
  fc.tuple(fc.constant('allTraffic')),
);
const peerCall: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(fc.constantFrom('pods', 'namespaces'), labels),
  fc.tuple(fc.constant('namespace'), namespace),
  fc.tuple(fc.constant('podsInNamespace'), namespace, labels),
  fc.tuple(fc.constant('ipBlock'), cidr, except),
  fc.tuple(fc.constant('anywhere')),
);
const rule = fc.record({
  peers: fc.array(peerCall, { minLength: 1, maxLength: 3 }),
  ports: fc.array(portCall, { minLength: 1, maxLength: 2 }),
  wrap: wrapMode,
});
const policy = fc.record({
  wrap: wrapMode,
  podSelector: fc.option(labels, { nil: undefined }),
  ingress: fc.array(rule, { maxLength: 2 }),
  egress: fc.array(rule, { maxLength: 2 }),
});

function makePort([name, a, b]: Call): Port {
  switch (name) {
    case 'tcp': return Port.tcp(a as number);
    case 'udp': return Port.udp(a as number);
    case 'sctp': return Port.sctp(a as number);
    case 'named': return Port.named(a as string);
    case 'tcpRange': return Port.tcpRange(a as number, b as number);
    case 'udpRange': return Port.udpRange(a as number, b as number);
    default: return Port.allTraffic();
  }
}

function makePeer([name, a, b]: Call, mode: Wrap = 'plain'): Peer {
  switch (name) {
    case 'pods': return Peer.pods(wrap(mode, a) as Labels);
    case 'namespaces': return Peer.namespaces(wrap(mode, a) as Labels);
    case 'namespace': return Peer.namespace(a as string);
    case 'podsInNamespace': return Peer.podsInNamespace(a as string, wrap(mode, b) as Labels);
    case 'ipBlock': return Peer.ipBlock(a as string, wrap(mode, b) as string[] | undefined);
    default: return Peer.anywhere();
  }
}

/** Whether a value is of its declared type, as the library's contract reads it. */
const isInt = (v: unknown) => Number.isInteger(v);
const isString = (v: unknown) => typeof v === 'string';
const isLabels = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)
  && [Object.prototype, null].includes(Object.getPrototypeOf(v)) && Object.keys(v).length > 0
  && Object.values(v).every(isString) && Object.getOwnPropertySymbols(v).length === 0
  && !Object.keys(v).some(k => k === '__proto__' || k === 'constructor'); // refused: Kubernetes, or cdk8s, cannot take them
const isStrings = (v: unknown) => Array.isArray(v) && Object.keys(v).length === v.length && v.every(isString);

function typedCall([name, a, b]: Call): boolean {
  switch (name) {
    case 'tcp': case 'udp': case 'sctp': return isInt(a);
    case 'named': return isString(a);
    case 'tcpRange': case 'udpRange': return isInt(a) && isInt(b);
    case 'pods': case 'namespaces': return isLabels(a);
    case 'namespace': return isString(a);
    case 'podsInNamespace': return isString(a) && isLabels(b);
    case 'ipBlock': return isString(a) && (b === undefined || isStrings(b));
    default: return true;
  }
}

/** The Kubernetes form each call means, written out from the types (not from the library). */
function meantPort([name, a, b]: Call): any {
  switch (name) {
    case 'tcp': return { protocol: 'TCP', port: a };
    case 'udp': return { protocol: 'UDP', port: a };
    case 'sctp': return { protocol: 'SCTP', port: a };
    case 'named': return { protocol: 'TCP', port: a };
    case 'tcpRange': return { protocol: 'TCP', port: a, endPort: b };
    case 'udpRange': return { protocol: 'UDP', port: a, endPort: b };
    default: return undefined;
  }
}

function meantPeer([name, a, b]: Call): any {
  const byName = (ns: unknown) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
  switch (name) {
    case 'pods': return { podSelector: { matchLabels: a } };
    case 'namespaces': return { namespaceSelector: { matchLabels: a } };
    case 'namespace': return { namespaceSelector: byName(a) };
    case 'podsInNamespace': return { namespaceSelector: byName(a), podSelector: { matchLabels: b } };
    case 'ipBlock': return { ipBlock: b === undefined ? { cidr: a } : { cidr: a, except: b } };
    default: return undefined;
  }
}

function meantRule(r: { peers: Call[]; ports: Call[] }, field: 'from' | 'to'): any {
  const peers = r.peers.map(meantPeer);
  const ports = r.ports.map(meantPort);
  const out: any = {};
  if (!peers.includes(undefined)) out[field] = peers;
  if (!ports.includes(undefined)) out.ports = ports;
  return out;
}

describe('any sequence of calls with any values', () => {
  test('throws this library\'s error, or synthesizes a valid policy with the verdicts of the values as typed', () => {
    let synthesized = 0;
    fc.assert(fc.property(policy, p => {
      const c = chart();
      let error: unknown;
      try {
        const podSelector = p.podSelector === undefined ? undefined : LabelSelector.labels(wrap(p.wrap, p.podSelector) as Labels);
        const made = new Policy(c, 'P', wrap(p.wrap, { podSelector }));
        const peers = (r: typeof p.ingress[number]) => wrap(r.wrap, r.peers.map(call => makePeer(call, r.wrap)));
        const ports = (r: typeof p.ingress[number]) => wrap(r.wrap, r.ports.map(makePort));
        for (const r of p.ingress) made.addIngress(wrap(r.wrap, { from: peers(r), ports: ports(r) }));
        for (const r of p.egress) made.addEgress(wrap(r.wrap, { to: peers(r), ports: ports(r) }));
      } catch (e) {
        error = e;
      }
      if (error !== undefined) expectLibraryError(error);
      const policies = synthOrFail(c.node.root as any); // validated, or the library's error
      if (error !== undefined || policies === undefined) return;
      // accepted: every value was of its declared type
      const calls = [...p.ingress, ...p.egress].flatMap(r => [...r.peers, ...r.ports]);
      expect(calls.filter(call => !typedCall(call))).toEqual([]);
      if (p.podSelector !== undefined) expect(isLabels(p.podSelector)).toBe(true);
      const meant = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'meant', namespace: NAMESPACE },
        spec: {
          podSelector: p.podSelector === undefined ? {} : { matchLabels: p.podSelector },
          policyTypes: [...p.ingress.length ? ['Ingress'] : [], ...p.egress.length ? ['Egress'] : []],
          ingress: p.ingress.map(r => meantRule(r, 'from')),
          egress: p.egress.map(r => meantRule(r, 'to')),
        },
      };
      expect([...allowedSet(policies)].sort()).toEqual([...allowedSet([meant])].sort());
      synthesized++;
    }), { numRuns: 400 });
    // the comparison ran often enough to mean something: about one run in ten gets that far (40
    // to 60 of 400 seen), so fewer than 10 would mean the generators changed, not bad luck
    expect(synthesized).toBeGreaterThan(10);
  });
});
