import * as fc from 'fast-check';
import { PortSet } from '../../src/analysis/port-set';
import { TierCandidate, claimInOrder, decideTiers } from '../../src/analysis/tiers';
import { PROTOCOLS } from '../../src/constants';
import { Protocol } from '../../src/port';

/*
 * The tier algebra (`tiers.ts`), as properties: rules claim disjoint parts in precedence order,
 * and the tiers combine as the network-policy-api describes them.
 */

const portSet = fc.array(
  fc.tuple(fc.constantFrom(...PROTOCOLS), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 2000 })),
  { maxLength: 4 },
).map(parts => parts.reduce((set, [p, start, len]) => set.union(PortSet.range(p as Protocol, start, Math.min(65535, start + len))), PortSet.NONE));
const action = fc.constantFrom<'Accept' | 'Deny' | 'Pass'>('Accept', 'Deny', 'Pass');
const candidates = fc.array(fc.tuple(action, fc.oneof(portSet, fc.constant(PortSet.ALL))), { maxLength: 6 })
  .map(list => list.map(([a, ports], i): TierCandidate => ({ ref: { index: i } as any, action: a, ports })));

describe('tiers | claimInOrder', () => {
  test('accepted, denied and passed are disjoint, and together are what the rules match', () => {
    fc.assert(fc.property(candidates, list => {
      const out = claimInOrder(list, PortSet.ALL);
      expect(out.accepted.intersect(out.denied).isEmpty).toBe(true);
      expect(out.accepted.intersect(out.passed).isEmpty).toBe(true);
      expect(out.denied.intersect(out.passed).isEmpty).toBe(true);
      const matched = list.reduce((s, c) => s.union(c.ports), PortSet.NONE);
      expect(out.accepted.union(out.denied).union(out.passed).sameAs(matched)).toBe(true);
    }), { numRuns: 200 });
  });

  test('the first rule that matches a port decides it (rule order is precedence)', () => {
    fc.assert(fc.property(candidates, fc.constantFrom(...PROTOCOLS), fc.integer({ min: 1, max: 65535 }), (list, protocol, port) => {
      const out = claimInOrder(list, PortSet.ALL);
      const first = list.find(c => c.ports.has(protocol as Protocol, port));
      const decided = out.accepted.has(protocol as Protocol, port) ? 'Accept' : out.denied.has(protocol as Protocol, port) ? 'Deny' : out.passed.has(protocol as Protocol, port) ? 'Pass' : undefined;
      expect(decided).toBe(first?.action);
      const claim = out.claims.find(c => c.ports.has(protocol as Protocol, port));
      expect(claim?.ref).toBe(first?.ref);
    }), { numRuns: 300 });
  });

  test('an Accept before a Deny of the same port wins, and the reverse', () => {
    const http = PortSet.range(Protocol.TCP, 80);
    const accept: TierCandidate = { ref: {} as any, action: 'Accept', ports: http };
    const deny: TierCandidate = { ref: {} as any, action: 'Deny', ports: PortSet.ALL };
    expect(claimInOrder([accept, deny], PortSet.ALL).accepted.sameAs(http)).toBe(true);
    expect(claimInOrder([accept, deny], PortSet.ALL).denied.sameAs(PortSet.ALL.subtract(http))).toBe(true);
    expect(claimInOrder([deny, accept], PortSet.ALL).accepted.isEmpty).toBe(true);
  });
});

describe('tiers | decideTiers', () => {
  test('matches the specification port by port', () => {
    const anyPort = fc.integer({ min: 1, max: 65535 });
    fc.assert(fc.property(candidates, fc.option(portSet, { nil: undefined }), candidates, fc.constantFrom(...PROTOCOLS), anyPort,
      (admin, np, baseline, protocol, port) => {
        const p = protocol as Protocol;
        const decision = decideTiers(admin, np, baseline);
        // the specification, for one port: first matching Admin rule; then NetworkPolicy; then first Baseline rule; then allow
        const expected = (() => {
          const a = admin.find(c => c.ports.has(p, port));
          if (a && a.action !== 'Pass') return a.action === 'Accept';
          if (np !== undefined) return np.has(p, port);
          const b = baseline.find(c => c.ports.has(p, port));
          return !b || b.action !== 'Deny';
        })();
        expect(decision.allowed.has(p, port)).toBe(expected);
      }), { numRuns: 400 });
  });

  test('no cluster-wide rule leaves NetworkPolicies (or the default) alone', () => {
    const np = PortSet.range(Protocol.UDP, 53);
    expect(decideTiers([], np, []).allowed.sameAs(np)).toBe(true);
    expect(decideTiers([], undefined, []).allowed.isAll).toBe(true);
  });

  test('a NetworkPolicy that selects the pod hides the Baseline tier', () => {
    const deny: TierCandidate = { ref: {} as any, action: 'Deny', ports: PortSet.ALL };
    const d = decideTiers([], PortSet.ALL, [deny]);
    expect(d.allowed.isAll).toBe(true);
    expect(d.networkPolicySelects).toBe(true);
    expect(d.baseline.claims).toEqual([]);
  });
});

describe('tiers | equal priorities (undefined order): the most open outcome any order gives', () => {
  const policyAt = (id: string, priority: number) => ({ id, priority, tier: 'Admin' }) as any;
  /** Candidates of two policies at one priority: each policy's rules keep their order. */
  const twoPolicies = fc.tuple(candidates, candidates).map(([a, b]) => {
    const [pa, pb] = [policyAt('A', 5), policyAt('B', 5)];
    const tag = (list: TierCandidate[], policy: any) => list.map((c, i): TierCandidate => ({ ...c, ref: { policy, rule: { index: i } } as any }));
    return { a: tag(a, pa), b: tag(b, pb) };
  });

  test('what is accepted is the union over both orders; denied only where every order denies', () => {
    fc.assert(fc.property(twoPolicies, ({ a, b }) => {
      const out = claimInOrder([...a, ...b], PortSet.ALL);
      const ab = claimInOrder([...a, ...b].map(c => ({ ...c, ref: { ...c.ref, policy: undefined } as any })), PortSet.ALL);
      const ba = claimInOrder([...b, ...a].map(c => ({ ...c, ref: { ...c.ref, policy: undefined } as any })), PortSet.ALL);
      expect(out.accepted.sameAs(ab.accepted.union(ba.accepted))).toBe(true);
      expect(out.passed.sameAs(ab.passed.union(ba.passed).subtract(out.accepted))).toBe(true);
      expect(out.denied.sameAs(ab.denied.intersect(ba.denied))).toBe(true);
      // the conflict is exactly where the two orders differ
      const differ = (x: PortSet, y: PortSet) => x.subtract(y).union(y.subtract(x));
      const expected = differ(ab.accepted, ba.accepted).union(differ(ab.denied, ba.denied)).union(differ(ab.passed, ba.passed));
      const conflict = out.conflicts.reduce((s, c) => s.union(c.ports), PortSet.NONE);
      expect(conflict.sameAs(expected)).toBe(true);
    }), { numRuns: 300 });
  });

  test('an Accept and a Deny of two policies at one priority: accepted, with the conflict naming both', () => {
    const http = PortSet.range(Protocol.TCP, 80);
    const accept: TierCandidate = { ref: { policy: policyAt('A', 5), rule: { index: 0 } } as any, action: 'Accept', ports: http };
    const deny: TierCandidate = { ref: { policy: policyAt('B', 5), rule: { index: 0 } } as any, action: 'Deny', ports: PortSet.ALL };
    for (const order of [[accept, deny], [deny, accept]]) {
      const out = claimInOrder(order, PortSet.ALL);
      expect(out.accepted.sameAs(http)).toBe(true);
      expect(out.denied.sameAs(PortSet.ALL.subtract(http))).toBe(true);
      expect(out.conflicts).toHaveLength(1);
      expect(out.conflicts[0].ports.sameAs(http)).toBe(true);
      expect(out.conflicts[0].claims.map(c => c.action).sort()).toEqual(['Accept', 'Deny']);
    }
    // distinct priorities keep their order: the Deny at 4 wins
    const first: TierCandidate = { ...deny, ref: { policy: policyAt('B', 4), rule: { index: 0 } } as any };
    const out = claimInOrder([first, accept], PortSet.ALL);
    expect(out.accepted.isEmpty).toBe(true);
    expect(out.conflicts).toEqual([]);
  });

  test('a Pass and a Deny at one priority: passed (the next tier may allow it)', () => {
    const pass: TierCandidate = { ref: { policy: policyAt('A', 5), rule: { index: 0 } } as any, action: 'Pass', ports: PortSet.ALL };
    const deny: TierCandidate = { ref: { policy: policyAt('B', 5), rule: { index: 0 } } as any, action: 'Deny', ports: PortSet.ALL };
    const d = decideTiers([deny, pass], PortSet.range(Protocol.TCP, 443), []);
    expect(d.allowed.sameAs(PortSet.range(Protocol.TCP, 443))).toBe(true);
    expect(d.admin.conflicts[0].ports.isAll).toBe(true);
  });
});
