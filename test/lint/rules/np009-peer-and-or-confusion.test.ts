import { ApiObject } from 'cdk8s';
import { LabelSelector, Peer, Policy, Port } from '../../../src';
import { Linter, NetpolLint, Severity } from '../../../src/lint';
import { chartIn } from '../../util';
import { FILE, deployment, findingsOf, lint, namespace, policy } from '../lint-helpers';

const byName = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
const web = deployment('shop', 'web', { app: 'web' });
const api = deployment('shop', 'api', { app: 'api' });
const toApi = (from: any[]) => policy('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from, ports: [{ port: 8443 }] }] });

describe('NP009 peer-and-or-confusion: one peer (AND) where two (OR) were probably meant', () => {
  test('compliant: two peers', () => {
    const report = lint([web, api, toApi([{ namespaceSelector: byName('monitoring') }, { podSelector: { matchLabels: { app: 'web' } } }])]);
    expect(findingsOf(report, 'NP009')).toEqual([]);
  });

  test('compliant: an AND whose pods live in the selected namespace', () => {
    const report = lint([web, api, deployment('monitoring', 'web-probe', { app: 'web' }),
      toApi([{ namespaceSelector: byName('monitoring'), podSelector: { matchLabels: { app: 'web' } } }])]);
    expect(findingsOf(report, 'NP009')).toEqual([]);
  });

  test('compliant: an AND with labels that do not exist in the policy\'s namespace', () => {
    const report = lint([web, api, toApi([{ namespaceSelector: byName('ingress-nginx'), podSelector: { matchLabels: { app: 'lb' } } }])]);
    expect(findingsOf(report, 'NP009')).toEqual([]);
  });

  test('compliant: an AND that selects the policy\'s own namespace', () => {
    const report = lint([namespace('shop', { team: 'shop' }), web, api, toApi([{ namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'web' } } }])]);
    expect(findingsOf(report, 'NP009')).toEqual([]);
  });

  test('non-compliant: the pod labels exist only in the policy\'s namespace, which the namespaceSelector does not select', () => {
    const report = lint([web, api, toApi([{ namespaceSelector: byName('monitoring'), podSelector: { matchLabels: { app: 'web' } } }])]);
    expect(findingsOf(report, 'NP009')).toEqual([{
      ruleId: 'NP009',
      ruleName: 'peer-and-or-confusion',
      severity: Severity.WARNING,
      message: 'one peer with namespaceSelector {kubernetes.io/metadata.name=monitoring} AND podSelector {app=web}. '
        + 'As written (AND) it matches pods labelled {app=web} in namespace monitoring: none in the input. '
        + 'As two peers (OR) it would match every pod in namespace monitoring, or pods labelled {app=web} in namespace shop: Deployment shop/web',
      fix: 'If two peers were meant, split the entry into two list items (`- namespaceSelector: ...` and `- podSelector: ...`); '
        + 'if the AND was meant, suppress the finding with the reason.',
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'api',
      field: 'spec.ingress[0].from[0]',
      file: FILE,
      documentIndex: 2,
    }]);
    // reported once: NP005 leaves the peer to NP009
    expect(findingsOf(report, 'NP005')).toEqual([]);
  });

  test('non-compliant: namespaces selected by label, in the input', () => {
    const report = lint([namespace('shop'), namespace('ops', { team: 'ops' }), namespace('sre', { team: 'ops' }), web, api,
      toApi([{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: 'web' } } }])]);
    expect(findingsOf(report, 'NP009').map(f => f.message)).toEqual([
      'one peer with namespaceSelector {team=ops} AND podSelector {app=web}. As written (AND) it matches pods labelled {app=web} in '
      + 'namespaces ops and sre: none in the input. As two peers (OR) it would match every pod in namespaces ops and sre, or pods '
      + 'labelled {app=web} in namespace shop: Deployment shop/web',
    ]);
  });

  test('suppressed: on the chart', () => {
    const chart = chartIn('shop');
    new ApiObject(chart, 'Web', web);
    new Policy(chart, 'Probe', { podSelector: LabelSelector.labels({ app: 'web' }), ingress: [{ from: [Peer.podsInNamespace('monitoring', { app: 'web' })], ports: [Port.HTTP] }] });
    NetpolLint.suppress(chart, [{ id: 'NP009', reason: 'the blackbox exporter reuses the app label' }]);
    const report = Linter.lintChart(chart);
    expect(findingsOf(report, 'NP009')).toEqual([]);
    expect(report.suppressedFindings.filter(f => f.ruleId === 'NP009').map(f => f.constructPath)).toEqual(['test/Probe']);
  });

  test('not applicable: no pods in the policy\'s namespace in the input', () => {
    const report = lint([toApi([{ namespaceSelector: byName('monitoring'), podSelector: { matchLabels: { app: 'web' } } }])]);
    expect(findingsOf(report, 'NP009')).toEqual([]);
  });

  test('not applicable: an empty namespaceSelector (pods with those labels in every namespace is a common AND)', () => {
    const report = lint([web, api, toApi([{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }])]);
    expect(findingsOf(report, 'NP009')).toEqual([]);
  });
});
