import { expectedAllowed, organisationObjects, runAnalysis } from '../../bench/analysis';
import { checkEquivalence } from '../../bench/check';
import { expectedChanges, expectedFlows, runDiff, runList } from '../../bench/connectivity';
import { compareOutputs, normalizeObjects, normalizeYaml } from '../../bench/equivalence';
import { Driver, Impl, LAYOUTS, Layout, synthesize } from '../../bench/workload';
import { plainPolicies } from '../../bench/workload/plain';

// The benchmark's generators must agree before their timings mean anything; these run them at
// a tiny N. The benchmark itself (npm run bench) checks the same at 3 namespaces before timing.

describe('benchmark workload generators', () => {
  test('every implementation, in both layouts and with both drivers, produces equivalent policies', () => {
    // GIVEN / WHEN
    const report = checkEquivalence(2);

    // THEN
    expect(report.variants.filter(v => v.differences.length > 0)).toEqual([]);
    expect(report.variants).toHaveLength(26);
    // the eight-policy workload, and the patterns workload (NamespaceBaseline + TieredApp: 6 per namespace)
    const patterns = report.variants.filter(v => v.variant.startsWith('patterns'));
    expect(patterns.map(v => v.variant).sort()).toEqual([
      'patterns-raw/chart-per-namespace/app', 'patterns-raw/chart-per-namespace/helper', 'patterns-raw/one-chart/app', 'patterns-raw/one-chart/helper',
      'patterns/chart-per-namespace/app', 'patterns/chart-per-namespace/helper', 'patterns/one-chart/app', 'patterns/one-chart/helper',
    ]);
    expect(patterns.every(v => v.policies === 12)).toBe(true);
    expect(report.variants.filter(v => !patterns.includes(v)).every(v => v.policies === 16)).toBe(true);
    expect(report.helperMatchesApp).toEqual({ 'netpol': true, 'netpol-lint': true, 'kube': true, 'plus': true, 'patterns': true, 'patterns-raw': true });
    expect(report.equivalent).toBe(true);
  });

  test('the raw objects of the patterns variant print exactly the YAML of the patterns, in both layouts', () => {
    for (const layout of LAYOUTS) {
      const patterns = synthesize(Impl.PATTERNS, layout, 2, Driver.APP);
      const raw = synthesize(Impl.PATTERNS_RAW, layout, 2, Driver.APP);
      expect(patterns.join('')).toContain('kind: NetworkPolicy');
      expect(raw).toEqual(patterns);
    }
  });

  test('cdk8s-plus-28 differs only in spelling: one peer per rule, `ports: []`, `podSelector: {}` beside a namespace selector', () => {
    const plus = checkEquivalence(1).variants.find(v => v.variant === 'plus/one-chart/app')!;
    expect(Object.keys(plus.normalizations).sort()).toEqual([
      '`podSelector: {}` next to a namespaceSelector dropped',
      '`ports: []` read as every port',
    ]);
  });

  test('the comparison notices a changed port', () => {
    // GIVEN
    const expected = normalizeObjects(plainPolicies('team-a'));
    const changed = plainPolicies('team-a');
    changed[3].spec.ingress[0].ports[0].port = 8081;

    // WHEN
    const differences = compareOutputs(expected, normalizeObjects(changed));

    // THEN
    expect(differences).toHaveLength(2);
    expect(differences[0]).toMatch(/^team-a: missing .*8080/);
    expect(differences[1]).toMatch(/^team-a: unexpected .*8081/);
  });

  test('the comparison notices a policy in the wrong namespace, and a missing policy', () => {
    const expected = normalizeObjects(plainPolicies('team-a'));
    const moved = plainPolicies('team-a');
    moved[0].metadata.namespace = 'team-b';
    expect(compareOutputs(expected, normalizeObjects(moved))).toEqual(expect.arrayContaining([
      expect.stringMatching(/^team-a: missing /),
      expect.stringMatching(/^team-b: unexpected /),
    ]));
    expect(compareOutputs(expected, normalizeObjects(plainPolicies('team-a').slice(1)))[0]).toBe('7 NetworkPolicies, expected 8');
  });

  test('the comparison reads a rule with two peers as two rules, but not two ports as two rules', () => {
    const policy = (egress: any[]) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress } });
    const a = { podSelector: { matchLabels: { app: 'a' } } };
    const b = { podSelector: { matchLabels: { app: 'b' } } };
    const tcp = (port: number) => ({ port, protocol: 'TCP' });
    const together = normalizeObjects([policy([{ to: [a, b], ports: [tcp(1)] }])]);
    expect(compareOutputs(together, normalizeObjects([policy([{ to: [a], ports: [tcp(1)] }, { to: [b], ports: [tcp(1)] }])]))).toEqual([]);
    // {to: [a], ports: [1, 2]} is not {to: [a], ports: [1]} + {to: [b], ports: [2]}
    const mixed = normalizeObjects([policy([{ to: [a, b], ports: [tcp(1), tcp(2)] }])]);
    expect(compareOutputs(mixed, normalizeObjects([policy([{ to: [a], ports: [tcp(1)] }, { to: [b], ports: [tcp(2)] }])]))).not.toEqual([]);
  });

  test('each implementation prints 8 policies per namespace, whatever the layout', () => {
    for (const impl of [Impl.NETPOL, Impl.KUBE, Impl.PLUS]) {
      for (const layout of [Layout.ONE_CHART, Layout.CHART_PER_NAMESPACE]) {
        const out = normalizeYaml(synthesize(impl, layout, 3, Driver.APP));
        expect(out.policies).toBe(24);
        expect([...out.byNamespace.keys()].sort()).toEqual(['team-00000', 'team-00001', 'team-00002']);
      }
    }
  });
});

describe('analysis workload', () => {
  test.each([false, true])('the truth table allows exactly the pairs worked out by hand (pods with IPs: %s)', withIps => {
    const result = runAnalysis(3, withIps);
    expect(result.pods).toBe(32);
    expect(result.policies).toBe(24);
    expect(result.allowed).toBe(expectedAllowed(3, withIps));
  });

  test('pods carry IPs only when asked', () => {
    const pods = (withIps: boolean) => organisationObjects(1, withIps).filter(o => o.kind === 'Pod');
    expect(pods(false).every(p => p.status === undefined)).toBe(true);
    expect(new Set(pods(true).map(p => p.status.podIP)).size).toBe(12);
  });
});

describe('connectivity benchmark workload', () => {
  test('netpol list finds the hand-counted flows, with and without pod IPs', () => {
    for (const withIps of [false, true]) {
      const r = runList(3, withIps);
      expect(r.flows).toBe(expectedFlows(3, withIps));
    }
  });

  test('netpol diff finds exactly the flows the changed policies alter', () => {
    const r = runDiff(20, 5);
    expect(r.changedPolicies).toBe(8);
    expect(r.changes).toBe(expectedChanges(20, 5));
    expect(r.changes).toBe(32);
  });
});
