import { ApiObject } from 'cdk8s';
import { LabelSelector, Peer, Policy, Port } from '../../../src';
import { Linter, NetpolLint, Severity } from '../../../src/lint';
import { chartIn } from '../../util';
import { FILE, deployment, findingsOf, lint, policy } from '../lint-helpers';

const FIX = 'Narrow the peer to the namespaces and pods that need access (`Peer.namespace(\'ingress-nginx\')`, a CIDR of '
  + 'your load balancers); if the pods are meant to be public, label them (or annotate the policy) `netpol.cdk8s.io/public: "true"`.';
const web = deployment('shop', 'web', { app: 'web' });
const ingress = (from: any[] | undefined, annotations?: Record<string, string>) =>
  policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [from ? { from } : {}] }, annotations);

describe('NP006 ingress-from-anywhere: ingress from every address to pods not marked public', () => {
  test('compliant: a named namespace and a narrow CIDR', () => {
    const report = lint([web, ingress([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      { ipBlock: { cidr: '203.0.113.0/24' } },
    ])]);
    expect(findingsOf(report, 'NP006')).toEqual([]);
  });

  test('compliant: the pods are labelled public', () => {
    const report = lint([deployment('shop', 'web', { 'app': 'web', 'netpol.cdk8s.io/public': 'true' }), ingress([{ ipBlock: { cidr: '0.0.0.0/0' } }])]);
    expect(findingsOf(report, 'NP006')).toEqual([]);
  });

  test('compliant: the policy is annotated public', () => {
    expect(findingsOf(lint([web, ingress(undefined, { 'netpol.cdk8s.io/public': 'true' })]), 'NP006')).toEqual([]);
  });

  test('non-compliant: 0.0.0.0/0', () => {
    const report = lint([web, ingress([{ ipBlock: { cidr: '0.0.0.0/0' } }])]);
    expect(findingsOf(report, 'NP006')).toEqual([{
      ruleId: 'NP006',
      ruleName: 'ingress-from-anywhere',
      severity: Severity.ERROR,
      message: 'ipBlock 0.0.0.0/0 allows ingress from every IPv4 address to pods not marked public: Deployment shop/web',
      fix: FIX,
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'web',
      field: 'spec.ingress[0].from[0]',
      file: FILE,
      documentIndex: 1,
    }]);
  });

  test('non-compliant: ::/0 with except and a rule without from (every namespace is NP011\'s, a warning)', () => {
    const report = lint([
      web,
      policy('shop', 'web', {
        podSelector: {},
        ingress: [
          { from: [{ ipBlock: { cidr: '::/0', except: ['fd00::/8'] } }, { namespaceSelector: {} }, { namespaceSelector: {}, podSelector: { matchLabels: { app: 'x' } } }] },
          {},
        ],
      }),
    ]);
    expect(findingsOf(report, 'NP006').map(f => [f.field, f.message])).toEqual([
      ['spec.ingress[0].from[0]', 'ipBlock ::/0 except fd00::/8 allows ingress from every IPv6 address but the excepted ranges to pods not marked public: Deployment shop/web'],
      ['spec.ingress[1]', 'the rule has no `from`, so it allows ingress from every pod and every address to pods not marked public: Deployment shop/web'],
    ]);
    expect(findingsOf(report, 'NP011').map(f => [f.field, f.severity])).toEqual([['spec.ingress[0].from[1]', Severity.WARNING]]);
  });

  test('non-compliant: without pods in the input, the policy is judged by itself', () => {
    const report = lint([ingress([{ ipBlock: { cidr: '0.0.0.0/0' } }])]);
    expect(findingsOf(report, 'NP006').map(f => f.message)).toEqual([
      'ipBlock 0.0.0.0/0 allows ingress from every IPv4 address to the pods it selects (podSelector {app=web}), none of them marked public',
    ]);
  });

  test('suppressed: on the Policy construct', () => {
    const chart = chartIn('shop');
    new ApiObject(chart, 'Web', web);
    const open = new Policy(chart, 'WebIngress', { podSelector: LabelSelector.labels({ app: 'web' }), ingress: [{ from: [Peer.anyIpv4()], ports: [Port.HTTP] }] });
    NetpolLint.suppress(open, [{ id: 'NP006', reason: 'behind the cloud load balancer' }]);
    const report = Linter.lintChart(chart);
    expect(findingsOf(report, 'NP006')).toEqual([]);
    expect(report.suppressedFindings.filter(f => f.ruleId === 'NP006').map(f => f.constructPath)).toEqual(['test/WebIngress']);
  });

  test('not applicable: policies whose pods in the input are all public, or that select none of them', () => {
    const report = lint([web, policy('shop', 'other', { podSelector: { matchLabels: { app: 'other' } }, ingress: [{}] })]);
    expect(findingsOf(report, 'NP006')).toEqual([]);
  });
});
