/**
 * Properties of the suggestion on random small clusters and random flows, checked with the
 * engine independently of the suggestion's own proof: the input's workloads with the suggested
 * policies allow every observed flow, and between the input's workloads nothing more.
 */
import * as fc from 'fast-check';
import { ClusterModel, PolicySuggestion, PortSet, Protocol } from '../../src';
import { deployment, namespace } from '../fixtures/manifests';

const NAMESPACES = ['n0', 'n1'];
const PORTS = [53, 80, 81, 82, 443];
const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];
const ADDRESSES = ['198.51.100.1', '2001:db8::7'];

/** Workloads `n<i>/w<j>`, each with labels drawn from a small vocabulary. */
const workloads = (distinct: boolean) => fc.uniqueArray(
  fc.record({
    ns: fc.constantFrom(...NAMESPACES),
    name: fc.constantFrom('w0', 'w1', 'w2', 'w3'),
    tier: fc.constantFrom('front', 'back'),
    team: fc.constantFrom('a', 'b'),
  }),
  { minLength: 1, maxLength: 6, selector: w => `${w.ns}/${w.name}` },
).map(list => list.map(w => {
  const labels: Record<string, string> = distinct ? { app: w.name, tier: w.tier } : { tier: w.tier, team: w.team };
  return { ...w, labels };
}));

function flowsOver(names: string[]) {
  const end = fc.constantFrom(...names, ...ADDRESSES);
  return fc.array(fc.record({ from: end, to: end, protocol: fc.constantFrom(...PROTOCOLS), port: fc.constantFrom(...PORTS) }), { maxLength: 12 })
    .map(list => list.filter(f => f.from.includes('/') || f.to.includes('/')));
}

const cluster = (distinct: boolean) => workloads(distinct).chain(ws => flowsOver(ws.map(w => `${w.ns}/${w.name}`)).map(flows => ({ ws, flows })));

function objectsOf(ws: { ns: string; name: string; labels: Record<string, string> }[]): any[] {
  return [...NAMESPACES.map(n => namespace(n)), ...ws.map(w => deployment(w.ns, w.name, w.labels))];
}

/** What the engine allows between the input's workloads, with the suggested policies applied. */
function allowedAfter(objects: any[], suggestion: PolicySuggestion): ClusterModel {
  return ClusterModel.fromObjects([...objects, ...suggestion.toObjects()]);
}

/** The pairs of workloads the model allows beyond the flows, with what. */
function beyondObserved(after: ClusterModel, flows: { from: string; to: string; protocol: Protocol; port: number }[]) {
  const observed = new Map<string, PortSet>();
  for (const f of flows) {
    const key = `${f.from} ${f.to}`;
    observed.set(key, (observed.get(key) ?? PortSet.NONE).union(PortSet.range(f.protocol, f.port)));
  }
  return after.connectivity({ inputOnly: true }).connections
    .filter(c => c.from.includes('/') && c.to.includes('/'))
    .map(c => ({ from: c.from, to: c.to, extra: c.allowed.subtract(observed.get(`${c.from} ${c.to}`) ?? PortSet.NONE) }))
    .filter(c => !c.extra.isEmpty);
}

describe('PolicySuggestion properties', () => {
  test('workloads told apart by labels: every observed flow is allowed, and nothing more between workloads', () => {
    fc.assert(fc.property(cluster(true), ({ ws, flows }) => {
      const objects = objectsOf(ws);
      const suggestion = PolicySuggestion.fromFlows(ClusterModel.fromObjects(objects), flows);
      const after = allowedAfter(objects, suggestion);
      for (const f of flows) expect(after.isAllowed(f.from, f.to, f.port, f.protocol)).toBe(true);
      for (const c of beyondObserved(after, flows)) expect(`${c.from} ${c.to} ${c.extra}`).toBe('nothing beyond the observed flows');
      expect(suggestion.proof.holds).toBe(true);
      expect(suggestion.skipped).toEqual([]);
    }), { numRuns: 60 });
  });

  test('labels shared between workloads: still every flow allowed, and every pair beyond them is in the proof', () => {
    fc.assert(fc.property(cluster(false), ({ ws, flows }) => {
      const objects = objectsOf(ws);
      const suggestion = PolicySuggestion.fromFlows(ClusterModel.fromObjects(objects), flows);
      const after = allowedAfter(objects, suggestion);
      const skipped = new Set(suggestion.skipped.map(s => JSON.stringify([s.flow.from, s.flow.to, s.flow.protocol, s.flow.port])));
      for (const f of flows) {
        const canonical = suggestion.flows.find(x => x.protocol === f.protocol && x.port === f.port
          && (x.from === f.from || f.from.includes(':')) && (x.to === f.to || f.to.includes(':')))!;
        if (skipped.has(JSON.stringify([canonical.from, canonical.to, canonical.protocol, canonical.port]))) continue;
        expect(after.isAllowed(f.from, f.to, f.port, f.protocol)).toBe(true);
      }
      expect(suggestion.proof.denied.length).toBe(suggestion.skipped.length);
      const listed = new Set(suggestion.proof.extraPairs.map(x => `${x.from} ${x.to}`));
      for (const c of beyondObserved(after, flows)) expect(listed).toContain(`${c.from} ${c.to}`);
    }), { numRuns: 60 });
  });
});
