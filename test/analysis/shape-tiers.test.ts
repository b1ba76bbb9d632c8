import * as fc from 'fast-check';
import { Bitset } from '../../src/analysis/bitset';
import { readClusterObjects } from '../../src/analysis/object-reader';
import { ShapeSet } from '../../src/analysis/pod-shape';
import { PortSet } from '../../src/analysis/port-set';
import { ShapeTiers, clusterNetworkBlocks } from '../../src/analysis/shape-tiers';
import { TierContext, TierDecision, TierOutcome, decideTiers, tierCandidates, tierRulesSelecting } from '../../src/analysis/tiers';
import { Direction } from '../../src/direction';
import { Protocol } from '../../src/port';
import { cnp } from '../fixtures/cluster-policies';
import { namespace, pod } from '../fixtures/manifests';
import { fcRuns } from '../fixtures/property-runs';

/*
 * ShapeTiers (the tiers over pod shapes, for truth tables and `list`) keeps what does not depend
 * on the pair: each selection's shapes (namespace selectors matched once per namespace), one rule
 * list per set of policies selecting a subject, and the tiers' outcome per set of rules matching
 * a pair. Each of those would answer wrongly if it were keyed too coarsely (a stale or too-wide
 * answer), so every answer is compared with the per-endpoint evaluation (`tierRulesSelecting`,
 * `tierCandidates`, `decideTiers`, what `allowed()` and `explain` use), pair by pair.
 */

const NAMESPACES = ['n0', 'n1', 'n2'];
/** More than eight names, so that `Selector` matches them through its value set. */
const MANY_NAMES = ['n0', 'n2', ...Array.from({ length: 9 }, (_, i) => `absent-${i}`)];

const podSelector = fc.constantFrom<any>({}, { matchLabels: { app: 'web' } }, { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] });
const namespaceSelector = fc.constantFrom<any>(
  {},
  { matchLabels: { team: 'a' } },
  { matchLabels: { 'kubernetes.io/metadata.name': 'n1' } },
  { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: MANY_NAMES }] },
  { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: MANY_NAMES }] },
);
const selection = fc.oneof(
  namespaceSelector.map(namespaces => ({ namespaces })),
  fc.record({ namespaceSelector, podSelector }).map(pods => ({ pods })),
);
const protocols = fc.option(fc.uniqueArray(fc.constantFrom<any>(
  { tcp: { destinationPort: { number: 80 } } },
  { tcp: { destinationPort: { range: { start: 1, end: 1024 } } } },
  { udp: { destinationPort: { number: 53 } } },
  { destinationNamedPort: 'http' },
  { destinationNamedPort: 'dns' },
), { minLength: 1, maxLength: 2, selector: p => JSON.stringify(p) }), { nil: undefined });
const action = fc.constantFrom('Accept', 'Deny', 'Pass');
const ingressRule = fc.record({ action, from: fc.array(selection, { minLength: 1, maxLength: 2 }), protocols });
const egressRule = fc.record({
  action,
  to: fc.array(fc.oneof(selection, fc.constantFrom({ networks: ['10.0.0.0/24'] }, { networks: ['10.0.1.0/24', '203.0.113.0/24'] })), { minLength: 1, maxLength: 2 }),
  protocols,
}).map(rule => {
  // the CRD allows no named port beside a networks peer
  if (!rule.to.some((peer: any) => peer.networks) || !rule.protocols) return rule;
  const numbered = rule.protocols.filter((p: any) => !p.destinationNamedPort);
  return { ...rule, protocols: numbered.length > 0 ? numbered : undefined };
});
const clusterPolicy = (name: string) => fc.record({
  tier: fc.constantFrom('Admin', 'Baseline'),
  // few priorities, so that equal priorities (undefined order, the most open outcome) are drawn too
  priority: fc.integer({ min: 0, max: 2 }),
  subject: selection,
  ingress: fc.array(ingressRule, { maxLength: 2 }),
  egress: fc.array(egressRule, { maxLength: 2 }),
}).map(spec => cnp(name, JSON.parse(JSON.stringify({
  ...spec,
  ingress: spec.ingress.length > 0 ? spec.ingress : undefined,
  egress: spec.egress.length > 0 ? spec.egress : undefined,
}))));

const podObject = (index: number) => fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  app: fc.constantFrom('web', 'db', undefined),
  ports: fc.subarray([{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'http', containerPort: 9090, protocol: 'UDP' }]),
  ip: fc.boolean(),
  hostNetwork: fc.boolean(),
}).map(p => {
  const object = pod(p.namespace, `pod${index}`, p.app ? { app: p.app } : {}, {
    ports: p.ports,
    ...(p.ip ? { ip: `10.0.${NAMESPACES.indexOf(p.namespace)}.${index + 1}` } : {}),
  });
  return p.hostNetwork ? { ...object, spec: { ...object.spec, hostNetwork: true } } : object;
});

const world = fc.record({
  teams: fc.array(fc.constantFrom('a', 'b', undefined), { minLength: 3, maxLength: 3 }),
  pods: fc.integer({ min: 1, max: 7 }).chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => podObject(i)))),
  policies: fc.integer({ min: 1, max: 4 }).chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => clusterPolicy(`c${i}`)))),
}).map(({ teams, pods, policies }) => [
  ...NAMESPACES.map((name, i) => namespace(name, teams[i] ? { team: teams[i]! } : {})),
  ...pods,
  ...policies,
]);

/** The shapes of the objects, as the truth table builds them, with the ShapeTiers over them. */
function shapeTiers(objects: any[], ipBlockMatchesPodIps = true) {
  const read = readClusterObjects(objects, 'default', ['10.0.1.7', '203.0.113.9', '192.0.2.1']);
  const shapes = ShapeSet.build(read.endpoints, ipBlockMatchesPodIps ? clusterNetworkBlocks(read.clusterPolicies) : []);
  const ctx: TierContext = { namespaces: read.namespaces, ipBlockMatchesPodIps };
  return { read, shapes, ctx, tiers: new ShapeTiers(shapes, read.clusterPolicies, ctx) };
}

/** The per-endpoint evaluation of one direction between two shapes' representatives. */
function expected(
  { read, shapes, ctx }: ReturnType<typeof shapeTiers>, direction: Direction, subject: number, peer: number, np: PortSet | undefined,
): TierDecision | undefined {
  const subjectEnd = shapes.shapes[subject].representative;
  if (subjectEnd.external) return undefined;
  const peerEnd = shapes.shapes[peer].representative;
  const destination = direction === Direction.INGRESS ? subjectEnd : peerEnd;
  const admin = tierCandidates(tierRulesSelecting(read.clusterPolicies, 'Admin', subjectEnd, direction, ctx), peerEnd, destination, ctx);
  const baseline = tierCandidates(tierRulesSelecting(read.clusterPolicies, 'Baseline', subjectEnd, direction, ctx), peerEnd, destination, ctx);
  return admin.length === 0 && baseline.length === 0 ? undefined : decideTiers(admin, np, baseline);
}

/** An outcome as comparable text: its sets, and who claimed which ports. */
function outcomeText(o: TierOutcome): string {
  const claims = o.claims.map(c => `${c.ref.policy.id}/${c.ref.rule.direction}/${c.ref.rule.index} ${c.action} ${c.ports}`);
  return `accepted ${o.accepted} denied ${o.denied} passed ${o.passed} claims [${claims.join('; ')}] conflicts ${o.conflicts.length}`;
}

function decisionText(d: TierDecision | undefined): string {
  if (!d) return 'none';
  return `allowed ${d.allowed} after-admin ${d.afterAdmin} np ${d.networkPolicySelects}\n admin ${outcomeText(d.admin)}\n baseline ${outcomeText(d.baseline)}`;
}

const NP_VALUES = [undefined, PortSet.NONE, PortSet.range(Protocol.TCP, 80), PortSet.ALL];

describe('ShapeTiers | the same decisions as the per-endpoint evaluation', () => {
  test('for every pair of shapes, both directions and several NetworkPolicy answers: allowed ports, claims and conflicts', () => {
    fc.assert(fc.property(world, fc.boolean(), (objects, podIps) => {
      const built = shapeTiers(objects, podIps);
      const count = built.shapes.shapes.length;
      for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
        for (let subject = 0; subject < count; subject++) {
          for (let peer = 0; peer < count; peer++) {
            for (const np of NP_VALUES) {
              // asked twice: the second answer comes from what the first kept
              for (let again = 0; again < 2; again++) {
                const got = built.tiers.decide(direction, subject, peer, np);
                expect(decisionText(got)).toBe(decisionText(expected(built, direction, subject, peer, np)));
              }
            }
          }
        }
      }
    }), { numRuns: fcRuns(150) });
  });

  test('one port\'s reachability per subject (reachable) is the per-pair answer, and leaves the NetworkPolicies\' set unchanged', () => {
    const probes: [Protocol, number][] = [[Protocol.TCP, 80], [Protocol.TCP, 8080], [Protocol.UDP, 53], [Protocol.TCP, 2000]];
    fc.assert(fc.property(world, fc.integer({ min: 0, max: 2 ** 30 }), (objects, seed) => {
      const built = shapeTiers(objects);
      const count = built.shapes.shapes.length;
      for (const [protocol, port] of probes) {
        const within = PortSet.range(protocol, port);
        for (const direction of [Direction.INGRESS, Direction.EGRESS]) {
          for (let subject = 0; subject < count; subject++) {
            // what NetworkPolicies allow: nothing selects the subject, or a pseudo-random set of peers
            const bit = (i: number) => Math.floor(seed / 2 ** (i % 30)) % 2 === 1;
            const np = (seed + subject) % 3 === 0 ? undefined : Bitset.of(count, Array.from({ length: count }, (_, i) => i).filter(bit));
            const before = np?.toArray();
            const got = built.tiers.reachable(direction, subject, np, protocol, port);
            expect(np?.toArray()).toEqual(before);
            for (let peer = 0; peer < count; peer++) {
              const npPorts = np === undefined ? undefined : np.has(peer) ? within : PortSet.NONE;
              const decision = expected(built, direction, subject, peer, npPorts);
              const want = decision ? decision.allowed.has(protocol, port) : npPorts === undefined || npPorts.has(protocol, port);
              expect(got === undefined ? true : got.has(peer)).toBe(want);
            }
          }
        }
      }
    }), { numRuns: fcRuns(100) });
  });
});

describe('ShapeTiers | what it keeps is keyed finely enough', () => {
  const objects = [
    namespace('n0', { team: 'a' }),
    namespace('n1', { team: 'b' }),
    pod('n0', 'web', { app: 'web' }, { ports: [{ name: 'http', containerPort: 8080 }] }),
    pod('n0', 'web-udp', { app: 'web', proto: 'udp' }, { ports: [{ name: 'http', containerPort: 9090, protocol: 'UDP' }] }),
    pod('n1', 'api', { app: 'web' }, { ports: [{ name: 'http', containerPort: 8080 }] }),
    { ...pod('n0', 'host', { app: 'web' }), spec: { ...pod('n0', 'host', { app: 'web' }).spec, hostNetwork: true } },
    cnp('tenants', {
      priority: 1,
      subject: { namespaces: {} },
      ingress: [
        { action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'b' } } }] },
        { action: 'Accept', from: [{ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: MANY_NAMES }] } }], protocols: [{ destinationNamedPort: 'http' }] },
      ],
    }),
  ];
  const built = shapeTiers(objects);
  const shapeOf = (name: string) => built.shapes.shapeOf[built.read.endpoints.findIndex(e => e.name === name)];
  const ingress = (to: string, from: string) => built.tiers.decide(Direction.INGRESS, shapeOf(to), shapeOf(from), undefined);

  test('two peers of one subject that different rules match get different decisions', () => {
    expect(ingress('n0/web', 'n1/api')!.allowed.has(Protocol.TCP, 8080)).toBe(false); // the Deny
    expect(ingress('n0/web', 'n0/web-udp')!.allowed.isAll).toBe(true); // the Accept: allowed, and the rest unmatched
    expect(ingress('n0/web', 'n0/web-udp')!.admin.accepted.sameAs(PortSet.range(Protocol.TCP, 8080))).toBe(true);
  });

  test('a named port resolves on each destination, though the same rules match the peer', () => {
    const tcp = ingress('n0/web', 'n0/web-udp')!.admin.accepted;
    const udp = ingress('n0/web-udp', 'n0/web')!.admin.accepted;
    expect(tcp.sameAs(PortSet.range(Protocol.TCP, 8080))).toBe(true);
    expect(udp.sameAs(PortSet.range(Protocol.UDP, 9090))).toBe(true);
  });

  test('namespace selectors are matched on each namespace\'s labels, and host-network pods are never selected', () => {
    // n1 is not in the fifty-name list and is team b: only the Deny matches it
    expect(ingress('n1/api', 'n0/web')!.admin.claims.map(c => c.ref.rule.action)).toEqual(['Accept']);
    expect(ingress('n1/api', 'n1/api')!.admin.claims.map(c => c.ref.rule.action)).toEqual(['Deny']);
    // the host-network pod is neither subject nor peer
    expect(built.tiers.selects(Direction.INGRESS, shapeOf('n0/host'))).toBe(false);
    expect(ingress('n0/web', 'n0/host')).toBeUndefined();
    expect(built.tiers.matchedPeers(Direction.INGRESS, shapeOf('n0/web')).has(shapeOf('n0/host'))).toBe(false);
  });
});
