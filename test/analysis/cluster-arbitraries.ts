/**
 * fast-check generators of small random clusters: namespaces, pods and valid NetworkPolicies
 * drawn from a vocabulary small enough that selectors often match.
 */
import * as fc from 'fast-check';
import { Protocol } from '../../src/port';

export const NAMESPACES = ['n0', 'n1', 'n2'];
export const EXTERNAL_IPS = ['10.0.9.9', '203.0.113.1'];
/** The ports and protocols the properties look at. */
export const PROBES: [number, Protocol][] = [[80, Protocol.TCP], [53, Protocol.UDP], [9090, Protocol.TCP], [443, Protocol.TCP], [80, Protocol.SCTP]];

const CONTAINER_PORTS = [
  { name: 'http', containerPort: 80 },
  { name: 'dns', containerPort: 53, protocol: 'UDP' },
  { name: 'metrics', containerPort: 9090 },
  { containerPort: 443 },
];

const labelValue = fc.constantFrom('web', 'db', 'api');
const labels = fc.record({ app: labelValue, tier: fc.constantFrom('front', 'back') }, { requiredKeys: [] });

const expression = fc.oneof(
  fc.record({ key: fc.constantFrom('app', 'tier', 'team'), operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(fc.constantFrom('web', 'db', 'front', 'a'), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constantFrom('app', 'tier', 'team'), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);

/** A label selector: `{}`, matchLabels, matchExpressions or both. */
export const selector = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: labels }),
  fc.record({ matchExpressions: fc.array(expression, { minLength: 1, maxLength: 2 }) }),
  fc.record({ matchLabels: fc.record({ app: labelValue }), matchExpressions: fc.array(expression, { maxLength: 1 }) }),
);

const namespaceSelector = fc.oneof(
  fc.constant({}),
  fc.record({ matchLabels: fc.record({ 'kubernetes.io/metadata.name': fc.constantFrom(...NAMESPACES) }) }),
  fc.record({ matchLabels: fc.record({ team: fc.constantFrom('a', 'b') }) }),
  fc.record({ matchExpressions: fc.array(expression, { minLength: 1, maxLength: 1 }) }),
);

const ipBlock = fc.oneof(
  fc.constant({ cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] }),
  fc.constant({ cidr: '10.0.0.0/8' }),
  fc.constant({ cidr: '203.0.113.0/24' }),
  fc.constant({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }),
  // Ranges that split one namespace's pods (pod IPs are 10.0.<namespace>.<pod + 1>)
  fc.constant({ cidr: '10.0.0.0/30' }),
  fc.constant({ cidr: '10.0.2.0/29', except: ['10.0.2.2/31'] }),
);

/** A valid peer: selectors (alone or ANDed) or an ipBlock. */
export const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector }),
  fc.record({ podSelector: selector, namespaceSelector }),
  fc.record({ ipBlock }),
);

/**
 * A valid port entry. Rules whose ports are all UDP or all SCTP (numbered, named, ranged or the
 * whole protocol) are drawn as often as TCP ones: the CLI once dropped every flow without a TCP
 * port, and `test/cli/list-diff-property.test.ts` checks these reach its output.
 */
export const portEntry = fc.constantFrom<any>(
  {}, { port: 80 }, { port: 'http' }, { port: 'metrics' }, { protocol: 'UDP', port: 53 }, { protocol: 'UDP', port: 'dns' },
  { port: 80, endPort: 9090 }, { protocol: 'UDP' }, { protocol: 'SCTP' }, { port: 443 },
  { protocol: 'SCTP', port: 80 }, { protocol: 'UDP', port: 52, endPort: 54 },
);

const rule = (peerField: 'from' | 'to') => fc.record({
  [peerField]: fc.array(peer, { maxLength: 2 }),
  ports: fc.array(portEntry, { maxLength: 2 }),
}, { requiredKeys: [] });

/** A valid NetworkPolicy spec. */
export const policySpec = fc.record({
  podSelector: selector,
  policyTypes: fc.oneof(fc.constant(undefined), fc.subarray(['Ingress', 'Egress'], { minLength: 1 })),
  ingress: fc.option(fc.array(rule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule('to'), { maxLength: 2 }), { nil: undefined }),
}, { requiredKeys: ['podSelector'] }).map(spec => JSON.parse(JSON.stringify(spec)));

/** A NetworkPolicy object. */
export const policyObject = (name: string) => fc.record({ namespace: fc.constantFrom(...NAMESPACES), spec: policySpec })
  .map(({ namespace, spec }) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec }));

const podObject = (index: number) => fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  labels,
  ports: fc.subarray(CONTAINER_PORTS),
  withIp: fc.boolean(),
}).map(p => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `pod${index}`, namespace: p.namespace, labels: p.labels },
  spec: { containers: [{ name: 'c', image: 'i', ports: p.ports }] },
  ...(p.withIp ? { status: { podIP: `10.0.${NAMESPACES.indexOf(p.namespace)}.${index + 1}` } } : {}),
}));

/** Namespaces with random team labels, 1-6 pods and 0-5 policies. */
export const cluster = fc.record({
  teams: fc.array(fc.constantFrom('a', 'b', undefined), { minLength: 3, maxLength: 3 }),
  pods: fc.integer({ min: 1, max: 6 }).chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => podObject(i)))),
  policies: fc.integer({ min: 0, max: 5 }).chain(n => (n === 0 ? fc.constant<any[]>([]) : fc.tuple(...Array.from({ length: n }, (_, i) => policyObject(`p${i}`))) as fc.Arbitrary<any[]>)),
}).map(({ teams, pods, policies }) => ({
  namespaces: NAMESPACES.map((name, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: teams[i] ? { team: teams[i] } : {} } })),
  pods: pods as any[],
  policies: policies as any[],
}));

/**
 * `cluster` with some pods in the host's network namespace (`spec.hostNetwork: true`): each pod
 * is one with probability 1/3.
 */
export const clusterWithHostNetwork = cluster.chain(c => fc
  .array(fc.integer({ min: 0, max: 2 }), { minLength: c.pods.length, maxLength: c.pods.length })
  .map(flags => ({ ...c, pods: c.pods.map((p, i) => (flags[i] === 0 ? { ...p, spec: { ...p.spec, hostNetwork: true } } : p)) })));
