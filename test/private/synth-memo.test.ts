import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { BlockMetadata, NetpolLint, Peer, Policy, Port } from '../../src';

/** cdk8s validates the whole app once per chart; whole-app checks must not redo their work per chart. */
describe('whole-app checks with one chart per namespace', () => {
  function appWithCharts(n: number): { app: App; charts: Chart[] } {
    const app = Testing.app();
    const charts = Array.from({ length: n }, (_, i) => new Chart(app, `ns-${i}`, { namespace: `ns-${i}` }));
    return { app, charts };
  }

  test('the linter reports its warnings once per synthesis, not once per chart', () => {
    const { app, charts } = appWithCharts(3);
    for (const chart of charts) new Policy(chart, 'Wide', { ingress: [{ from: [Peer.sameNamespace()], ports: [Port.tcpRange(1, 5000)] }] });
    NetpolLint.addTo(app, { failOnWarnings: false });
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((text: any) => { writes.push(String(text)); return true; });
    try {
      app.synthYaml();
    } finally {
      spy.mockRestore();
    }
    const lines = writes.join('').split('\n').filter(l => l.includes('NP010'));
    expect(lines).toHaveLength(3); // one per policy, printed once
  });

  test('a change after one synthesis is seen by the next', () => {
    const { app, charts } = appWithCharts(2);
    for (const chart of charts) new BlockMetadata(chart, 'Block');
    expect(() => app.synthYaml()).not.toThrow();
    const policy = new Policy(charts[1], 'Open', { egress: [{ to: [Peer.pods({ a: 'b' })], ports: [Port.HTTP] }] });
    expect(() => app.synthYaml()).not.toThrow();
    policy.addEgress({ to: [Peer.anywhere()], ports: [Port.HTTP] });
    expect(() => app.synthYaml()).toThrow(/NetworkPolicy ns-1\/open \(ns-1\/Open\) spec\.egress\[1\] has no `to`/);
  });

  test('a JSON patch added to a raw object after one synthesis is seen by the next', () => {
    const { app, charts } = appWithCharts(2);
    new BlockMetadata(charts[0], 'Block');
    const raw = new k8s.KubeNetworkPolicy(charts[0], 'Raw', {
      metadata: { name: 'raw' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '100.100.100.200/32'] } }] }] },
    });
    expect(() => app.synthYaml()).not.toThrow();
    raw.addJsonPatch(JsonPatch.remove('/spec/egress/0/to/0/ipBlock/except'));
    expect(() => app.synthYaml()).toThrow(/NetworkPolicy ns-0\/raw \(ns-0\/Raw\) spec\.egress\[0\]\.to\[0\] ipBlock 0\.0\.0\.0\/0 covers 169\.254\.169\.254\/32/);
  });

  test('a Policy with JSON patches is checked as it renders', () => {
    const { app, charts } = appWithCharts(1);
    new BlockMetadata(charts[0], 'Block');
    const policy = new Policy(charts[0], 'Web', { egress: [{ to: [Peer.pods({ app: 'db' })], ports: [Port.tcp(5432)] }] });
    expect(() => app.synthYaml()).not.toThrow();
    policy.addJsonPatch(JsonPatch.add('/spec/egress/0/to/-', { ipBlock: { cidr: '169.254.0.0/16' } }));
    expect(() => app.synthYaml()).toThrow(/NetworkPolicy ns-0\/web \(ns-0\/Web\) spec\.egress\[0\]\.to\[1\] ipBlock 169\.254\.0\.0\/16 covers 169\.254\.169\.254\/32/);
  });
});
