/**
 * Issue 24's walk-through on the flagship shop, end to end through the library: flows recorded
 * from the shop's own connectivity plus flows its policies deny, replayed against the shop and
 * against a narrowed version, then policies suggested from them and proven by the engine.
 */
import { buildApp } from '../../examples/app';
import { ShopChart } from '../../examples/charts/shop';
import { ClusterModel, FlowFormat, FlowReplay, ObservedFlows, PolicySuggestion, Protocol } from '../../src';
import { chartOf } from '../examples/cluster';

const objects: any[] = chartOf(buildApp(), ShopChart).toJson();
const shop = ClusterModel.fromObjects(objects);
const isWorkload = (name: string) => name.startsWith('shop/') && !/[*{]/.test(name);

/** What the cluster carried: one flow per protocol and allowed range between the shop's workloads (its first port). */
const allowedFlows = shop.connectivity({ inputOnly: true }).connections
  .filter(c => isWorkload(c.from) && isWorkload(c.to))
  .flatMap(c => [Protocol.TCP, Protocol.UDP, Protocol.SCTP].flatMap(protocol => {
    const ranges = (c.allowed.toJson() as Record<string, number[][] | undefined>)[protocol] ?? [];
    return ranges.map(([first]) => ({ source: c.from, destination: c.to, protocol, port: first, count: 10 }));
  }));
/** ... and what the shop's policies deny: the frontend straight to the database, the backend to the frontend. */
const deniedFlows = [
  { source: 'shop/frontend', destination: 'shop/postgres', protocol: Protocol.TCP, port: 5432, count: 3 },
  { source: 'shop/backend', destination: 'shop/frontend', protocol: Protocol.TCP, port: 8080, count: 2 },
];
const recording = [...allowedFlows, ...deniedFlows].map(f => JSON.stringify(f)).join('\n') + '\n';

async function observed(): Promise<ObservedFlows> {
  return ObservedFlows.fromText(recording, 'shop-flows.jsonl', { format: FlowFormat.GENERIC });
}

describe('observed traffic on the flagship shop', () => {
  test('the recording: every allowed flow between the shop\'s workloads, and two its policies deny', async () => {
    expect(allowedFlows.length).toBeGreaterThanOrEqual(3);
    expect(allowedFlows).toContainEqual({ source: 'shop/frontend', destination: 'shop/backend', protocol: 'TCP', port: 9000, count: 10 });
    for (const f of deniedFlows) expect(shop.allowed({ from: f.source, to: f.destination, port: f.port }).allowed).toBe(false);
    const flows = await observed();
    expect(flows.problemCount).toBe(0);
    expect(flows.flows).toHaveLength(allowedFlows.length + deniedFlows.length);
  });

  test('replayed against the shop: exactly the two denied flows are broken now, each with its deciding policy', async () => {
    const report = FlowReplay.replay(shop, await observed());
    expect(report.unmatched).toEqual([]);
    expect(report.brokenNow.map(g => `${g.from} -> ${g.to} ${g.protocol}/${g.port} x${g.observations}`).sort()).toEqual([
      'shop/backend -> shop/frontend TCP/8080 x2',
      'shop/frontend -> shop/postgres TCP/5432 x3',
    ]);
    for (const g of report.brokenNow) expect(g.deniedBy.length).toBeGreaterThan(0);
    expect(report.changeBreaks).toEqual([]);
  });

  test('replayed against a narrowed shop (the backend\'s tier policy removed): the change breaks what that policy allowed', async () => {
    const narrowed = ClusterModel.fromObjects(objects.filter(o => !(o.kind === 'NetworkPolicy' && o.metadata.name === 'shop-backend')));
    const report = FlowReplay.replay(shop, await observed(), { against: narrowed });
    const breaks = report.changeBreaks.map(g => `${g.from} -> ${g.to} ${g.protocol}/${g.port}`);
    expect(breaks).toContain('shop/frontend -> shop/backend TCP/9000');
    // each is allowed by the shop and denied by the narrowed version, as the engine says
    for (const g of report.changeBreaks) {
      expect(shop.allowed({ from: g.from, to: g.to, port: g.port, protocol: g.protocol }).allowed).toBe(true);
      expect(narrowed.allowed({ from: g.from, to: g.to, port: g.port, protocol: g.protocol }).allowed).toBe(false);
    }
    // and nothing the narrowed version still allows is reported
    const kept = allowedFlows.filter(f => narrowed.allowed({ from: f.source, to: f.destination, port: f.port, protocol: f.protocol }).allowed);
    for (const f of kept) expect(breaks).not.toContain(`${f.source} -> ${f.destination} ${f.protocol}/${f.port}`);
  });

  test('suggested from the recording, on the shop\'s workloads without policies: the proof holds, and the engine agrees', async () => {
    const workloads = objects.filter(o => o.kind !== 'NetworkPolicy');
    const suggestion = PolicySuggestion.fromObserved(ClusterModel.fromObjects(workloads), await observed());
    expect(suggestion.unmatched).toEqual([]);
    expect(suggestion.proof.holds).toBe(true);
    expect(suggestion.proof.denied).toEqual([]);
    // checked again, independently of the suggestion's own proof: every observed flow is allowed ...
    const withSuggestion = ClusterModel.fromObjects([...workloads, ...suggestion.toObjects()]);
    for (const f of [...allowedFlows, ...deniedFlows]) {
      expect({ f, allowed: withSuggestion.allowed({ from: f.source, to: f.destination, port: f.port, protocol: f.protocol }).allowed })
        .toEqual({ f, allowed: true });
    }
    // ... and between the shop's workloads nothing beyond what was observed
    const observedPairs = new Set([...allowedFlows, ...deniedFlows].map(f => `${f.source} -> ${f.destination}`));
    const extra = withSuggestion.connectivity({ inputOnly: true }).connections
      .filter(c => isWorkload(c.from) && isWorkload(c.to) && !observedPairs.has(`${c.from} -> ${c.to}`));
    expect(extra.map(c => `${c.from} -> ${c.to}`)).toEqual([]);
  });
});
