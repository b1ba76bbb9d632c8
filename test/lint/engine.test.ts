import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DefaultDeny, LabelSelector, Peer, Policy, Port } from '../../src';
import { Linter, NetpolLint, Severity } from '../../src/lint';
import { runLint } from '../../src/lint/private/engine';
import { LintCheck } from '../../src/lint/private/lint-check';
import { ALL_RULES } from '../../src/lint/rules';
import { chartIn } from '../util';
import { FILE, deployment, lint, namespace, policy } from './lint-helpers';

/** A chart whose only finding is NP010 on the policy `test/Wide`. */
function wideChart(): { chart: Chart; wide: Policy } {
  const chart = chartIn('shop');
  const wide = new Policy(chart, 'Wide', { ingress: [{ from: [Peer.pods({ app: 'x' })], ports: [Port.tcpRange(1, 5000)] }] });
  return { chart, wide };
}

describe('Linter | rules', () => {
  test('ids are unique, stable and in order; every rule has its metadata', () => {
    const rules = Linter.rules();
    expect(rules.map(r => r.id)).toEqual(['NP001', 'NP002', 'NP003', 'NP004', 'NP005', 'NP006', 'NP007', 'NP008', 'NP009', 'NP010', 'NP011', 'NP012', 'NP013', 'NP014', 'NP015', 'NP016', 'NP017', 'NP018', 'NP900', 'NP901', 'NP902']);
    expect(new Set(rules.map(r => r.name)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect([Severity.ERROR, Severity.WARNING]).toContain(r.severity);
      expect(r.summary).toMatch(/^[A-Z].*\.$/);
      expect(r.explanation.length).toBeGreaterThan(100);
      expect(r.fix).toMatch(/\.$/);
    }
  });
});

describe('Linter | a rule that throws', () => {
  const boom: LintCheck = { ...ALL_RULES[0], id: 'NP099', name: 'boom', check: () => { throw new Error('kaboom'); } };

  test('is reported as NP900, and the other rules still run', () => {
    const manifest = policy('shop', 'w', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 1, endPort: 5000 }] }] });
    const report = runLint([{ manifest }], {}, [], [boom, ...ALL_RULES]);
    expect(report.findings.map(f => [f.ruleId, f.severity, f.message])).toEqual([
      ['NP010', Severity.WARNING, 'TCP/1-5000 opens 5000 ports, more than the 1000 allowed (maxPortRangeWidth)'],
      ['NP900', Severity.ERROR, 'rule NP099 (boom) failed, so its findings are missing: kaboom'],
    ]);
  });

  test('does not make its suppressions unused', () => {
    const report = runLint([{ manifest: policy('shop', 'w', { podSelector: {} }, { 'netpol.cdk8s.io/suppress': 'NP001: x' }) }], {}, [],
      [{ ...boom, id: 'NP001' }]);
    expect(report.findings.map(f => f.ruleId)).toEqual(['NP900']);
  });

  test('fails synthesis through the validation, instead of crashing it', () => {
    const report = runLint([], {}, [], [boom]);
    expect(report.hasErrors).toBe(true);
  });
});

describe('Linter | locations', () => {
  test('a Policy is named by its construct path, not its Resource child; a cdk8s-plus workload by its own', () => {
    const chart = chartIn('shop');
    const web = new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    new Policy(chart, 'Egress', { podSelector: LabelSelector.fromPodSelector(web), egress: [{ to: [Peer.pods({ app: 'none' })], ports: [Port.HTTPS] }] });
    const report = Linter.lintChart(chart);
    expect(report.findings.map(f => [f.ruleId, f.constructPath, `${f.kind} ${f.namespace}/${f.name}`])).toEqual([
      ['NP005', 'test/Egress', 'NetworkPolicy shop/egress'],
      ['NP001', 'test/Web', expect.stringMatching(/^Deployment shop\/test-web-/)],
      ['NP003', 'test/Web', expect.stringMatching(/^Deployment shop\/test-web-/)],
    ]);
  });

  test('file, document index and line when the inputs carry them', () => {
    const report = Linter.lint([
      { manifest: namespace('shop'), file: 'a.yaml', documentIndex: 0, line: 1 },
      { manifest: deployment('shop', 'web', { app: 'web' }), file: 'b.yaml', documentIndex: 3, line: 40 },
    ]);
    expect(report.findings.map(f => [f.ruleId, f.file, f.documentIndex, f.line])).toEqual([
      ['NP001', 'a.yaml', 0, 1],
      ['NP002', 'a.yaml', 0, 1],
    ]);
  });

  test('List objects are expanded, each item keeping the origin of the list', () => {
    const report = Linter.lint([{ manifest: { apiVersion: 'v1', kind: 'List', items: [deployment('shop', 'web', { app: 'web' })] }, file: 'list.json', documentIndex: 0 }]);
    expect(report.objectCount).toBe(1);
    expect(report.findings.map(f => [f.ruleId, f.kind, f.file])).toEqual([['NP001', 'Deployment', 'list.json'], ['NP002', 'Deployment', 'list.json']]);
  });

  test('plain objects: named by kind, namespace and name only', () => {
    const report = Linter.lintObjects([deployment('shop', 'web', { app: 'web' })]);
    expect(report.findings[0]).toEqual(expect.objectContaining({ kind: 'Deployment', namespace: 'shop', name: 'web' }));
    expect(report.findings[0].file).toBeUndefined();
    expect(report.findings[0].constructPath).toBeUndefined();
  });

  test('the order is stable: by location, then rule', () => {
    const objects = [deployment('shop', 'web', { app: 'web' }), policy('shop', 'w', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] })];
    expect(lint(objects).findings.map(f => `${f.documentIndex} ${f.ruleId}`)).toEqual(['0 NP001', '0 NP003', '1 NP007']);
    expect(lint([...objects].reverse()).findings.map(f => `${f.documentIndex} ${f.ruleId}`)).toEqual(['0 NP007', '1 NP001', '1 NP003']);
  });
});

describe('Linter | input it cannot analyse', () => {
  test('throws with the engine\'s message', () => {
    const twice = policy('shop', 'w', { podSelector: {} });
    expect(() => Linter.lintObjects([twice, twice])).toThrow('NetworkPolicy shop/w is defined more than once');
    expect(() => Linter.lintObjects([policy('shop', 'w', { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] })])).toThrow(/port: Invalid value: 0/);
  });

  test('throws on bad options', () => {
    expect(() => Linter.lintObjects([], { metadataAddresses: ['169.254.169.254/32'] })).toThrow(
      'metadataAddresses: Invalid value: "169.254.169.254/32": must be an IP address such as 169.254.169.254');
    expect(() => Linter.lintObjects([], { dnsPodLabels: {} })).toThrow(/dnsPodLabels: Required value/);
  });

  test('objects of other API groups (Calico NetworkPolicy) and unknown kinds are ignored', () => {
    const calico = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'x', namespace: 'shop', annotations: { 'netpol.cdk8s.io/suppress': 'bogus' } }, spec: {} };
    expect(Linter.lintObjects([calico, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]).findings).toEqual([]);
  });
});

describe('Suppressions | constructs', () => {
  test('apply to the construct and everything below it', () => {
    const { chart } = wideChart();
    NetpolLint.suppress(chart, [{ id: 'NP010', reason: 'legacy range' }]);
    const report = Linter.lintChart(chart);
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings.map(f => [f.ruleId, f.constructPath, f.suppressionReason])).toEqual([['NP010', 'test/Wide', 'legacy range']]);
  });

  test('accept the rule name, in any case for the id', () => {
    const { chart, wide } = wideChart();
    NetpolLint.suppress(wide, [{ id: 'wide-port-range', reason: 'legacy range' }]);
    expect(Linter.lintChart(chart).findings).toEqual([]);
    const other = wideChart();
    NetpolLint.suppress(other.wide, [{ id: 'np010', reason: 'legacy range' }]);
    expect(Linter.lintChart(other.chart).findings).toEqual([]);
  });

  test('do not apply to siblings', () => {
    const { chart, wide } = wideChart();
    const sibling = new Policy(chart, 'Sibling', { ingress: [{ from: [Peer.pods({ app: 'x' })], ports: [Port.tcpRange(1, 5000)] }] });
    NetpolLint.suppress(wide, [{ id: 'NP010', reason: 'legacy range' }]);
    expect(Linter.lintChart(chart).findings.map(f => [f.ruleId, f.constructPath])).toEqual([['NP010', sibling.node.path]]);
  });

  test('one that matches nothing is an error (NP901), named at its construct', () => {
    const chart = chartIn('shop');
    const deny = new DefaultDeny(chart, 'DefaultDeny');
    NetpolLint.suppress(deny, [{ id: 'NP004', reason: 'just in case' }]);
    const report = Linter.lintChart(chart);
    expect(report.findings).toEqual([{
      ruleId: 'NP901',
      ruleName: 'unused-suppression',
      severity: Severity.ERROR,
      message: 'the suppression of NP004 (metadata-reachable) on construct test/DefaultDeny matches no finding at or below it (reason given: "just in case")',
      fix: 'Remove the suppression, or move it to the construct or object the finding is about.',
      constructPath: 'test/DefaultDeny',
    }]);
  });

  test('those of ancestors apply, but are not checked when linting a part of the app', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'a' });
    new Policy(a, 'Wide', { ingress: [{ from: [Peer.pods({ app: 'x' })], ports: [Port.tcpRange(1, 5000)] }] });
    const b = new Chart(app, 'b', { namespace: 'b' });
    new DefaultDeny(b, 'DefaultDeny');
    NetpolLint.suppress(app, [{ id: 'NP010', reason: 'legacy ranges' }]);
    expect(Linter.lintChart(a).findings).toEqual([]);
    expect(Linter.lintChart(b).findings).toEqual([]);
    expect(Linter.lintApp(app).findings).toEqual([]);
  });

  test('a suppression without a reason is rejected with a clear message', () => {
    const { wide } = wideChart();
    expect(() => NetpolLint.suppress(wide, [{ id: 'NP010', reason: '  ' }])).toThrow(
      'NetpolLint.suppress(test/Wide): the suppression of NP010 (wide-port-range) has no reason: say why its findings are acceptable, '
      + 'e.g. { id: \'NP010\', reason: \'DNS is reached through NodeLocal DNSCache on 169.254.20.10\' }');
    expect(() => NetpolLint.suppress(wide, [{ id: 'NP010' } as any])).toThrow(/has no reason/);
  });

  test('an unknown rule, or an engine finding, is rejected', () => {
    const { wide } = wideChart();
    expect(() => NetpolLint.suppress(wide, [{ id: 'NP999', reason: 'x' }])).toThrow(
      'NetpolLint.suppress(test/Wide): unknown rule "NP999": use NP001-NP018, or rule names such as egress-without-dns; see RULES.md');
    expect(() => NetpolLint.suppress(wide, [{ id: 'NP901', reason: 'x' }])).toThrow('NetpolLint.suppress(test/Wide): NP901 (unused-suppression) cannot be suppressed');
    expect(() => NetpolLint.suppress(wide, [{ id: '', reason: 'x' }])).toThrow(/needs a rule `id`/);
  });
});

describe('Suppressions | annotations', () => {
  const SUPPRESS = 'netpol.cdk8s.io/suppress';
  const wide = (annotations?: Record<string, string>) => policy('shop', 'wide', {
    podSelector: {},
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'x' } } }], ports: [{ port: 1, endPort: 5000 }] }],
  }, annotations);

  test('one suppression per line, by id or name', () => {
    const report = lint([wide({ [SUPPRESS]: 'NP010: legacy range\n\nrules-ignored-by-policy-types: migrating' }),
      policy('shop', 'x', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}] }, { [SUPPRESS]: 'rules-ignored-by-policy-types: migrating' })]);
    expect(report.findings.map(f => [f.ruleId, f.name, f.message])).toEqual([
      ['NP901', 'wide', 'the suppression of NP007 (rules-ignored-by-policy-types) matches no finding on this object'],
    ]);
    expect(report.suppressedFindings.map(f => [f.ruleId, f.name, f.suppressionReason])).toEqual([['NP010', 'wide', 'legacy range'], ['NP007', 'x', 'migrating']]);
  });

  test('on a Namespace, they cover every object of the namespace', () => {
    const report = lint([namespace('shop', {}, { [SUPPRESS]: 'NP010: legacy ranges everywhere here' }), wide()]);
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings.map(f => f.ruleId)).toEqual(['NP010']);
  });

  test('an unused one on a Namespace says so', () => {
    const report = lint([namespace('shop', {}, { [SUPPRESS]: 'NP003: nothing to see' })]);
    expect(report.findings.map(f => [f.ruleId, f.kind, f.name, f.field, f.message])).toEqual([[
      'NP901', 'Namespace', 'shop', 'metadata.annotations["netpol.cdk8s.io/suppress"]',
      'the suppression of NP003 (egress-without-dns) matches no finding on any object of namespace shop',
    ]]);
  });

  test('a line without a reason, an unknown rule, or an empty annotation is an error (NP902), and suppresses nothing', () => {
    const report = lint([wide({ [SUPPRESS]: 'NP010\nNP777: why not\nNP901: hush' }), policy('shop', 'empty', { podSelector: {} }, { [SUPPRESS]: ' ' })]);
    expect(report.findings.map(f => [f.ruleId, f.name, f.message])).toEqual([
      ['NP010', 'wide', 'TCP/1-5000 opens 5000 ports, more than the 1000 allowed (maxPortRangeWidth)'],
      ['NP902', 'wide', '"NP777: why not": unknown rule "NP777": use NP001-NP018, or rule names such as egress-without-dns; see RULES.md'],
      ['NP902', 'wide', '"NP901: hush": NP901 (unused-suppression) cannot be suppressed'],
      ['NP902', 'wide', 'the suppression of NP010 (wide-port-range) has no reason: write "NP010: <why its findings are acceptable>"'],
      ['NP902', 'empty', 'the annotation is empty: write one "<rule id>: <reason>" per line, or remove it'],
    ]);
    expect(report.findings[1]).toEqual(expect.objectContaining({ severity: Severity.ERROR, file: FILE, documentIndex: 0, field: 'metadata.annotations["netpol.cdk8s.io/suppress"]' }));
  });

  test('apply to constructs too (set through the construct\'s annotations)', () => {
    const chart = chartIn('shop');
    new Policy(chart, 'Wide', {
      annotations: { [SUPPRESS]: 'NP010: the partner needs the range' },
      ingress: [{ from: [Peer.pods({ app: 'x' })], ports: [Port.tcpRange(1, 5000)] }],
    });
    const report = Linter.lintChart(chart);
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings.map(f => [f.constructPath, f.suppressionReason])).toEqual([['test/Wide', 'the partner needs the range']]);
  });

  test('a Namespace declared in a chart (cdk8s stamps it with the chart\'s namespace) is matched by name', () => {
    const chart = chartIn('shop');
    new ApiObject(chart, 'Ns', namespace('shop', {}, { [SUPPRESS]: 'NP001: demo namespace' }));
    new ApiObject(chart, 'Web', deployment('shop', 'web', { app: 'web' }));
    const report = Linter.lintChart(chart);
    expect(report.suppressedFindings.map(f => [f.ruleId, f.constructPath])).toEqual([['NP001', 'test/Ns']]);
  });
});
