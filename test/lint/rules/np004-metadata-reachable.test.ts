import { ApiObject } from 'cdk8s';
import { BlockMetadata, LabelSelector, Peer, Policy, Port } from '../../../src';
import { Linter, NetpolLint, Severity } from '../../../src/lint';
import { chartIn } from '../../util';
import { FILE, baseline, deployment, findingsOf, lint, pod, policy } from '../lint-helpers';

const FIX = 'Add the metadata endpoints to the ipBlock\'s `except` (`Peer.anyIpv4([\'169.254.169.254/32\', \'100.100.100.200/32\'])`), '
  + 'narrow the rule, or use `BlockMetadata`, which also guarantees it at synthesis.';
const web = deployment('shop', 'web', { app: 'web' });
const egress = (name: string, rule: any) => policy('shop', name, { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [rule] });

describe('NP004 metadata-reachable: egress-isolated pods can reach a cloud metadata endpoint', () => {
  test('compliant: 0.0.0.0/0 and ::/0 with the endpoints excepted', () => {
    const report = lint([web, ...baseline('shop'), egress('internet', {
      to: [
        { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '100.100.100.200/32'] } },
        { ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128'] } },
      ],
    })]);
    expect(findingsOf(report, 'NP004')).toEqual([]);
  });

  test('compliant: 0.0.0.0/0 on TCP 443 only (the metadata services listen on 80)', () => {
    const report = lint([web, ...baseline('shop'), egress('https', { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] })]);
    expect(findingsOf(report, 'NP004')).toEqual([]);
  });

  test('non-compliant: a rule without `to` reaches all three endpoints', () => {
    const report = lint([web, ...baseline('shop'), egress('anywhere', {})]);
    expect(findingsOf(report, 'NP004')).toEqual([{
      ruleId: 'NP004',
      ruleName: 'metadata-reachable',
      severity: Severity.ERROR,
      message: 'the rule, which has no `to`, lets Deployment shop/web reach the cloud metadata endpoints 169.254.169.254, '
        + '100.100.100.200 and fd00:ec2::254 (TCP/80)',
      fix: FIX,
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'anywhere',
      field: 'spec.egress[0]',
      file: FILE,
      documentIndex: 3,
    }]);
  });

  test('non-compliant: an ipBlock that covers an endpoint, named down to the peer', () => {
    const report = lint([web, ...baseline('shop'), egress('link-local', { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }, { ipBlock: { cidr: '169.254.0.0/16', except: ['169.254.20.10/32'] } }] })]);
    expect(findingsOf(report, 'NP004').map(f => [f.field, f.message])).toEqual([[
      'spec.egress[0].to[1]',
      'ipBlock 169.254.0.0/16 except 169.254.20.10/32 lets Deployment shop/web reach the cloud metadata endpoint 169.254.169.254 (TCP/80)',
    ]]);
  });

  test('non-compliant: a pod of the input with a metadata address is that endpoint, as the engine resolves it', () => {
    const impostor = pod('shop', 'impostor', { app: 'meta' }, { ip: '169.254.169.254', ports: [{ containerPort: 80 }] });
    const report = lint([web, impostor, ...baseline('shop'), egress('to-meta', { to: [{ podSelector: { matchLabels: { app: 'meta' } } }], ports: [{ port: 80 }] })]);
    expect(findingsOf(report, 'NP004').map(f => [f.field, f.message])).toEqual([[
      'spec.egress[0].to[0]',
      'podSelector {app=meta} lets Deployment shop/web reach the cloud metadata endpoint 169.254.169.254 (TCP/80)',
    ]]);
  });

  test('options: other metadata addresses', () => {
    const report = lint([web, ...baseline('shop'), egress('office', { to: [{ ipBlock: { cidr: '192.0.2.0/24' } }] })], { metadataAddresses: ['192.0.2.1'] });
    expect(findingsOf(report, 'NP004').map(f => f.message)).toEqual([
      'ipBlock 192.0.2.0/24 lets Deployment shop/web reach the cloud metadata endpoint 192.0.2.1 (TCP/80)',
    ]);
  });

  test('compliant with constructs: BlockMetadata', () => {
    const chart = chartIn('shop');
    new ApiObject(chart, 'Web', web);
    new BlockMetadata(chart, 'BlockMetadata');
    expect(findingsOf(Linter.lintChart(chart), 'NP004')).toEqual([]);
  });

  test('suppressed: on the Policy construct, which the finding names', () => {
    const chart = chartIn('shop');
    new ApiObject(chart, 'Web', web);
    const internet = new Policy(chart, 'Internet', {
      podSelector: LabelSelector.labels({ app: 'web' }),
      egress: [{ to: [Peer.anyIpv4()], ports: [Port.allTraffic()] }],
    });
    NetpolLint.suppress(internet, [{ id: 'NP004', reason: 'IMDSv2 with a hop limit of 1 protects the node role' }]);
    const report = Linter.lintChart(chart);
    expect(findingsOf(report, 'NP004')).toEqual([]);
    expect(report.suppressedFindings.filter(f => f.ruleId === 'NP004').map(f => [f.constructPath, f.field, f.suppressionReason])).toEqual([
      ['test/Internet', 'spec.egress[0].to[0]', 'IMDSv2 with a hop limit of 1 protects the node role'],
    ]);
  });

  test('not applicable: pods not isolated for egress (NP002 reports those)', () => {
    expect(findingsOf(lint([web]), 'NP004')).toEqual([]);
  });
});
