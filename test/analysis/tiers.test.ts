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
