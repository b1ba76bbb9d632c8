import { ApiObject } from 'cdk8s';
import { LabelSelector, Peer, Policy, Port } from '../../../src';
import { Linter, NetpolLint, Severity } from '../../../src/lint';
import { chartIn } from '../../util';
import { FILE, deployment, findingsOf, lint, namespace, policy } from '../lint-helpers';

const FIX = 'Correct the selector to the labels the pods (or namespaces) really have; if the pods are deployed from '
  + 'elsewhere, suppress the finding with the reason.';
const workloads = [
  namespace('shop', { team: 'shop' }),
  namespace('monitoring', { team: 'platform' }),
  deployment('shop', 'web', { app: 'web' }),
  deployment('shop', 'api', { app: 'api', tier: 'backend' }),
  deployment('monitoring', 'prometheus', { app: 'prometheus' }),
];
const ingressTo = (name: string, app: string, from: any[]) => policy('shop', name, { podSelector: { matchLabels: { app } }, ingress: [{ from }] });

describe('NP005 selector-matches-nothing: a selector matches no pod or namespace of the input', () => {
  test('compliant: every selector matches', () => {
    const report = lint([...workloads,
      ingressTo('api', 'api', [
        { podSelector: { matchLabels: { app: 'web' } } },
        { namespaceSelector: { matchLabels: { team: 'platform' } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } },
      ])]);
    expect(findingsOf(report, 'NP005')).toEqual([]);
  });

  test('non-compliant: a typo in spec.podSelector, with the values the pods have', () => {
    const report = lint([...workloads, policy('shop', 'typo', { podSelector: { matchLabels: { app: 'wbe' } }, policyTypes: ['Ingress'] })]);
    expect(findingsOf(report, 'NP005')).toEqual([{
      ruleId: 'NP005',
      ruleName: 'selector-matches-nothing',
      severity: Severity.ERROR,
      message: '{app=wbe} matches no pod in namespace shop (app: api and web)',
      fix: FIX,
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'typo',
      field: 'spec.podSelector',
      file: FILE,
      documentIndex: 5,
    }]);
  });

  test('non-compliant: a peer podSelector looks only in the policy\'s own namespace', () => {
    const report = lint([...workloads, ingressTo('api', 'api', [{ podSelector: { matchLabels: { app: 'prometheus' } } }])]);
    expect(findingsOf(report, 'NP005').map(f => [f.field, f.message])).toEqual([[
      'spec.ingress[0].from[0].podSelector',
      '{app=prometheus} matches no pod in namespace shop, the policy\'s own (a podSelector without a namespaceSelector selects only there) (app: api and web)',
    ]]);
  });

  test('non-compliant: a namespace label that no declared namespace has', () => {
    const report = lint([...workloads, ingressTo('api', 'api', [{ namespaceSelector: { matchLabels: { team: 'platfrom' } } }])]);
    expect(findingsOf(report, 'NP005').map(f => [f.field, f.message])).toEqual([[
      'spec.ingress[0].from[0].namespaceSelector',
      '{team=platfrom} matches no namespace in the input (namespaces: monitoring and shop)',
    ]]);
  });

  test('non-compliant: pods of a named namespace that the input has', () => {
    const report = lint([...workloads, ingressTo('api', 'api', [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      podSelector: { matchLabels: { app: 'prometheus-server' } },
    }])]);
    expect(findingsOf(report, 'NP005').map(f => [f.field, f.message])).toEqual([[
      'spec.ingress[0].from[0].podSelector',
      '{app=prometheus-server} matches no pod in the namespaces its namespaceSelector selects (monitoring) (app: prometheus)',
    ]]);
  });

  test('non-compliant: pods of namespaces selected by labels, when the input declares its namespaces', () => {
    const report = lint([...workloads, ingressTo('api', 'api', [{
      namespaceSelector: { matchLabels: { team: 'platform' } },
      podSelector: { matchLabels: { app: 'prometheus-server' } },
    }])]);
    expect(findingsOf(report, 'NP005').map(f => [f.field, f.message])).toEqual([[
      'spec.ingress[0].from[0].podSelector',
      '{app=prometheus-server} matches no pod in the namespaces its namespaceSelector selects (monitoring) (app: prometheus)',
    ]]);
  });

  test('not applicable: pods of namespaces selected by labels when a selected namespace has no pods in the input', () => {
    const report = lint([...workloads, namespace('tools', { team: 'platform' }), ingressTo('api', 'api', [{
      namespaceSelector: { matchLabels: { team: 'platform' } },
      podSelector: { matchLabels: { app: 'prometheus-server' } },
    }])]);
    expect(findingsOf(report, 'NP005')).toEqual([]);
  });

  test('non-compliant: a named namespace the input does not declare, near one it does: did you mean', () => {
    const report = lint([...workloads, namespace('payments'), ingressTo('api', 'api', [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'paymnets' } } },
    ])]);
    expect(findingsOf(report, 'NP005').map(f => [f.field, f.message])).toEqual([[
      'spec.ingress[0].from[0].namespaceSelector',
      'namespace "paymnets" is not in the input, which declares "payments": did you mean "payments"?',
    ]]);
  });

  test('issue 19: thousands of peers naming undeclared namespaces, thousands declared: each near name found, no pairwise comparison', () => {
    // 2,000 declared namespaces and 2,000 peers naming others (about 400 KB of YAML took 75 s when
    // every peer was compared with every namespace); the did-you-mean is indexed by trigrams
    const name = (prefix: string, i: number) => `${prefix}-${(i * 7919 % 104729).toString(36)}-${(i * 104723 % 1299709).toString(36)}-service`;
    const declared = Array.from({ length: 2000 }, (_, i) => namespace(name('team', i)));
    const peers = Array.from({ length: 2000 }, (_, i) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name('other', i) } } }));
    peers[1234] = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name('team', 777).replace('service', 'servcie') } } };
    const report = lint([...declared, policy('shop', 'many', { podSelector: {}, ingress: [{ from: peers }] })]);
    expect(findingsOf(report, 'NP005').map(f => [f.field, f.message])).toEqual([[
      'spec.ingress[0].from[1234].namespaceSelector',
      `namespace "${name('team', 777).replace('service', 'servcie')}" is not in the input, which declares "${name('team', 777)}": did you mean "${name('team', 777)}"?`,
    ]]);
  });

  test('non-compliant: a named namespace that can never exist', () => {
    const report = lint([deployment('shop', 'web', { app: 'web' }), ingressTo('web', 'web', [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'Ingress_Nginx' } } },
    ])]);
    expect(findingsOf(report, 'NP005').map(f => [f.field, f.message.slice(0, 91)])).toEqual([[
      'spec.ingress[0].from[0].namespaceSelector',
      'namespace "Ingress_Nginx" can never exist, so the selector matches nothing: namespace names',
    ]]);
  });

  test('not applicable: a named namespace outside the input with no near declared name', () => {
    const report = lint([...workloads, ingressTo('api', 'api', [
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
    ])]);
    expect(findingsOf(report, 'NP005')).toEqual([]);
  });

  test('suppressed: on the chart, inherited by the policy below it', () => {
    const chart = chartIn('shop');
    new ApiObject(chart, 'Web', deployment('shop', 'web', { app: 'web' }));
    new Policy(chart, 'Canary', { podSelector: LabelSelector.labels({ app: 'web-canary' }), ingress: [{ from: [Peer.pods({ app: 'web' })], ports: [Port.HTTP] }] });
    NetpolLint.suppress(chart, [{ id: 'selector-matches-nothing', reason: 'the canary is deployed by the rollout controller' }]);
    const report = Linter.lintChart(chart);
    expect(findingsOf(report, 'NP005')).toEqual([]);
    expect(report.suppressedFindings.filter(f => f.ruleId === 'NP005').map(f => [f.constructPath, f.field])).toEqual([['test/Canary', 'spec.podSelector']]);
  });

  test('not applicable: namespaces outside the input, and namespaces without pods', () => {
    const report = lint([
      namespace('shop'),
      deployment('shop', 'web', { app: 'web' }),
      // named namespaces may lie outside the input
      ingressTo('from-ingress', 'web', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { app: 'lb' } } }]),
      // any namespace: some may lie outside the input
      ingressTo('from-scrapers', 'web', [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'scraper' } } }]),
      // a namespace with no pods in the input
      policy('payments', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'x' } } }] }] }),
    ]);
    expect(findingsOf(report, 'NP005')).toEqual([]);
  });

  test('not applicable: label selectors on namespaces when the input declares no Namespace', () => {
    const report = lint([deployment('shop', 'web', { app: 'web' }), ingressTo('web', 'web', [{ namespaceSelector: { matchLabels: { team: 'a' } } }])]);
    expect(findingsOf(report, 'NP005')).toEqual([]);
  });
});
