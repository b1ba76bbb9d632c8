import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AllowEgressTo, AllowFromNamespace, AllowMonitoring, AllowSameNamespace, BlockMetadata, DenyExternalEgress, NamespaceBaseline, NetpolLint,
  Peer, Policy, Port, SameNamespaceOnly, TieredApp,
} from '../../src';
import { treeWalks } from '../../src/private/synth-memo';
import { secondCopy } from '../fixtures/second-copy';

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

/**
 * Within one `app.synth()` the checks walk the tree once when nothing but cdk8s and this library
 * can run until the synthesis ends, and for every chart otherwise: each way user code can run
 * between two charts is tried with a change the checks must see (the fast path must not take it).
 */
describe('whole-app checks within one synthesis', () => {
  const LEAK = /BlockMetadata: NetworkPolicy ns-2\/open \(ns-2\/Open\) spec\.egress\[0\]\.to\[1\] ipBlock 169\.254\.0\.0\/16 covers 169\.254\.169\.254\/32/;

  /** Charts ns-0..ns-{n-1}, each with a BlockMetadata and a policy `Open` that reaches pods only. */
  function guardedApp(n: number, app: App = Testing.app()): { app: App; charts: Chart[]; open: Policy[] } {
    const charts = Array.from({ length: n }, (_, i) => new Chart(app, `ns-${i}`, { namespace: `ns-${i}` }));
    const open = charts.map(chart => {
      new BlockMetadata(chart, 'Block');
      return new Policy(chart, 'Open', { egress: [{ to: [Peer.pods({ app: 'db' })], ports: [Port.tcp(5432)] }] });
    });
    return { app, charts, open };
  }

  /** Opens the last chart's policy to the metadata endpoints, bypassing the library (a JSON patch), once. */
  function leakOnce(open: Policy[]): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      open[open.length - 1].addJsonPatch(JsonPatch.add('/spec/egress/0/to/-', { ipBlock: { cidr: '169.254.0.0/16' } }));
    };
  }

  function walksOf(synth: () => unknown): number {
    const before = treeWalks();
    synth();
    return treeWalks() - before;
  }

  test('with only this library in the app, the checks walk the tree once per synthesis, however many charts', () => {
    const small = guardedApp(2).app;
    const large = guardedApp(12).app;
    NetpolLint.addTo(large, { printWarnings: false });
    // GIVEN apps of 2 and 12 charts (one with the linter) WHEN they synthesize THEN each check walks at most once
    expect(walksOf(() => small.synthYaml())).toBe(1); // names; the metadata guard reads what that walk saw
    expect(walksOf(() => large.synthYaml())).toBe(2); // names (the guard reads its walk), lint (it renders what it reads)
    expect(walksOf(() => large.synth())).toBe(2);
    // and a chart rendered on its own (no synthesis of the app) walks every time
    expect(walksOf(() => { Testing.synth(large.charts[0]); Testing.synth(large.charts[1]); })).toBe(6);
  });

  /**
   * Each namespace-scoped pattern, in a chart that also has a `NamespaceBaseline` (the patterns
   * variant of the benchmark is `NamespaceBaseline` + `TieredApp`): a tree of these holds only
   * this library's validations and tracked policies, so it is inert.
   */
  const PATTERNS: [string, (chart: Chart) => void][] = [
    ['TieredApp', c => new TieredApp(c, 'App', {
      entry: [Peer.namespace('ingress-nginx')],
      tiers: [{ name: 'frontend', ports: [Port.tcp(8080)] }, { name: 'backend', ports: [Port.tcp(9000)] }, { name: 'database', ports: [Port.tcp(5432)] }],
    })],
    ['AllowSameNamespace', c => new AllowSameNamespace(c, 'Same')],
    ['AllowFromNamespace', c => new AllowFromNamespace(c, 'From', { fromNamespace: 'frontend' })],
    ['AllowMonitoring', c => new AllowMonitoring(c, 'Scrape', { ports: [Port.tcp(9090)] })],
    ['AllowEgressTo', c => new AllowEgressTo(c, 'Out', { to: [Peer.ipBlock('203.0.113.0/24')], ports: [Port.HTTPS] })],
    ['DenyExternalEgress', c => new DenyExternalEgress(c, 'NoExternal')],
    ['SameNamespaceOnly', c => new SameNamespaceOnly(c, 'Only')],
  ];

  test.each(PATTERNS)('NamespaceBaseline and %s in every chart: the checks walk the tree once per synthesis, however many charts', (_, add) => {
    const walksWith = (n: number): number => {
      const app = Testing.app();
      for (let i = 0; i < n; i++) {
        const chart = new Chart(app, `ns-${i}`, { namespace: `ns-${i}` });
        new NamespaceBaseline(chart, 'Baseline', { allowInternet: true });
        add(chart);
      }
      return walksOf(() => app.synthYaml());
    };
    // GIVEN apps of 2 and 8 charts WHEN they synthesize THEN the names check walks once, and the metadata guard reads that walk
    expect(walksWith(2)).toBe(1);
    expect(walksWith(8)).toBe(1);
  });

  test('a tree the app cannot change during synthesis still fails on what it holds', () => {
    const { app, open } = guardedApp(4);
    open[3].addEgress({ to: [Peer.ipBlock('169.254.0.0/16')], ports: [Port.HTTP] });
    expect(() => app.synthYaml()).toThrow(/BlockMetadata: NetworkPolicy ns-3\/open \(ns-3\/Open\) spec\.egress\[1\]/);
  });

  test('only the app that holds the library\'s constructs gets its own synth(), and nothing shared is changed', () => {
    const plain = Testing.app();
    new Chart(plain, 'c');
    const { app } = guardedApp(1);
    expect(Object.prototype.hasOwnProperty.call(plain, 'synth')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(app, 'synth')).toBe(true);
    expect(plain.synth).toBe(App.prototype.synth);
    expect(plain.synthYaml).toBe(App.prototype.synthYaml);
  });

  test.each([
    ['a validation of the user', (app: App, leak: () => void) => {
      let calls = 0;
      app.node.findChild('ns-0').node.addValidation({ validate: () => { if (++calls === 2) leak(); return []; } });
    }],
    ['a validation that removes the reporting block and changes a policy', (app: App, leak: () => void) => {
      let calls = 0;
      app.node.findChild('ns-1').node.addValidation({
        validate: () => {
          if (++calls === 2) {
            app.node.findChild('ns-0').node.tryRemoveChild('Block');
            leak();
          }
          return [];
        },
      });
    }],
    ['a Lazy of a raw object, while its chart renders', (app: App, leak: () => void) => {
      new ApiObject(app.node.findChild('ns-0'), 'Config', {
        apiVersion: 'v1', kind: 'ConfigMap', data: Lazy.any({ produce: () => { leak(); return { a: 'b' }; } }),
      });
    }],
    ['a chart that renders with its own toJson()', (app: App, leak: () => void) => {
      class LeakingChart extends Chart {
        public toJson(): any[] {
          leak();
          return super.toJson();
        }
      }
      new LeakingChart(app, 'aaa', { namespace: 'aaa' });
    }],
  ])('the checks see a change made during synthesis by %s', (_, install) => {
    const { app, open } = guardedApp(3);
    expect(() => app.synthYaml()).not.toThrow();
    install(app, leakOnce(open));
    expect(() => app.synthYaml()).toThrow(LEAK);
  });

  test('the checks see a change made during synthesis by a resolver of the app', () => {
    let leak: () => void = () => {};
    const resolver: IResolver = { resolve: (_c: ResolutionContext) => leak() };
    const { app, open } = guardedApp(3, new App({ outdir: Testing.app().outdir, resolvers: [resolver] }));
    leak = leakOnce(open);
    // the first chart's objects render before the last chart's checks run
    expect(() => app.synthYaml()).toThrow(LEAK);
  });

  test('the checks see a change made during synthesis by a construct of another copy of the library', () => {
    const copy = secondCopy();
    const { app, charts, open } = guardedApp(3);
    const other = new copy.Policy(charts[0], 'Other', { egress: [{ to: [copy.Peer.pods({ app: 'x' })], ports: [copy.Port.HTTP] }] });
    expect(() => app.synthYaml()).not.toThrow();
    const leak = leakOnce(open);
    new Construct(other, 'Hook').node.addValidation({ validate: () => { leak(); return []; } });
    expect(() => app.synthYaml()).toThrow(LEAK);
  });

  test('removing the construct that hosts a whole-app check keeps the check, reported by the app', () => {
    const app = Testing.app();
    const c = new Chart(app, 'c', { namespace: 'shop' });
    new Policy(c, 'First', { ingress: [{ from: [Peer.pods({ a: 'b' })], ports: [Port.HTTP] }] });
    new Policy(c, 'Second', { ingress: [{ from: [Peer.pods({ a: 'b' })], ports: [Port.HTTP] }] });
    expect(c.node.tryRemoveChild('First')).toBe(true);
    new k8s.KubeNetworkPolicy(c, 'Raw', { metadata: { name: 'second' }, spec: { podSelector: {} } });
    expect(() => app.synthYaml()).toThrow(/\n {2}\[\] metadata\.name "second" is used in namespace "shop" by 'c\/Second' and 'c\/Raw'/);
  });

  /*
   * Within a synthesis, the checks of a tree found inert read what the first check's walk saw (the
   * API objects, all trusted, and the fingerprint), instead of walking it again: each test below
   * changes what that shortcut skips, and the checks must see the change.
   */
  test('an object added after an inert synthesis is read by both checks of the next, which walks again', () => {
    // GIVEN an app of this library's constructs only, synthesized once (its tree inert)
    const { app, charts } = guardedApp(2);
    expect(() => app.synthYaml()).not.toThrow();
    // WHEN a raw NetworkPolicy that reuses a name and opens the metadata endpoints is added
    new k8s.KubeNetworkPolicy(charts[1], 'Raw', {
      metadata: { name: 'open' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '169.254.0.0/16' } }] }] },
    });
    // THEN the next synthesis reports both, from a walk of the tree as it is now
    const walks = treeWalks();
    expect(() => app.synthYaml()).toThrow(/metadata\.name "open" is used in namespace "ns-1" by 'ns-1\/Open' and 'ns-1\/Raw'/);
    expect(() => app.synthYaml()).toThrow(/BlockMetadata: NetworkPolicy ns-1\/open \(ns-1\/Raw\) spec\.egress\[0\]\.to\[0\] ipBlock 169\.254\.0\.0\/16 covers/);
    expect(treeWalks() - walks).toBeGreaterThanOrEqual(4); // two synthesizes, two checks each
  });

  test('a policy whose metadata is changed in place after an inert synthesis is read as it renders by the next', () => {
    // GIVEN two policies of this library in one namespace, synthesized once (the tree inert)
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new Policy(chart, 'First', { ingress: [{ from: [Peer.pods({ a: 'b' })], ports: [Port.HTTP] }] });
    const second = new Policy(chart, 'Second', { ingress: [{ from: [Peer.pods({ a: 'b' })], ports: [Port.HTTP] }] });
    expect(() => app.synthYaml()).not.toThrow();
    // WHEN the second one's name is changed in its metadata, bypassing the library (no epoch change)
    (second.metadata as unknown as { name: string }).name = 'first';
    // THEN the names check reads it as it renders (not trusted), and finds the clash
    expect(() => app.synthYaml()).toThrow(/metadata\.name "first" is used in namespace "shop" by 'c\/First' and 'c\/Second'/);
  });

  test('the checks report in the same order whether they read the walk of a synthesis or walk the tree themselves', () => {
    // GIVEN an inert app with a leak in each of three charts
    const { app, open } = guardedApp(3);
    for (const p of open) p.addEgress({ to: [Peer.ipBlock('169.254.0.0/16')], ports: [Port.HTTP] });
    const errorOf = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    // WHEN the app synthesizes (the guard reads the walk) and a chart is rendered on its own (the guard walks)
    const inSynthesis = errorOf(() => app.synthYaml());
    const alone = errorOf(() => Testing.synth(app.charts[0]));
    // THEN both list the leaks in tree order
    expect(inSynthesis).toBe(alone);
    const order = ['ns-0', 'ns-1', 'ns-2'].map(ns => inSynthesis.indexOf(`NetworkPolicy ${ns}/open`));
    expect(order.every(i => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('a synthesis that fails ends: a change after it is seen by a chart rendered on its own', () => {
    const { app, charts, open } = guardedApp(2);
    new Policy(charts[1], 'Empty'); // only this library's constructs, and an error
    expect(() => app.synthYaml()).toThrow(/\[ns-1\/Empty\] this policy has no rules/);
    charts[1].node.tryRemoveChild('Empty');
    expect(() => Testing.synth(charts[1])).not.toThrow();
    leakOnce(open)();
    expect(() => Testing.synth(charts[1])).toThrow(/BlockMetadata: NetworkPolicy ns-1\/open/);
  });
});
