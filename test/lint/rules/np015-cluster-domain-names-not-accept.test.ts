import { Severity } from '../../../src/lint';
import { cnp } from '../../fixtures/cluster-policies';
import { findingsOf, lint, suppressedOf } from '../lint-helpers';

const withEgress = (action: string, annotations?: Record<string, string>) => {
  const o = cnp('p', { subject: { namespaces: {} }, egress: [{ action, to: [{ domainNames: ['*.example.com'] }] }] });
  if (annotations) o.metadata.annotations = annotations;
  return o;
};

describe('NP015 cluster-domain-names-not-accept: domainNames in a Deny or Pass rule', () => {
  test('compliant: an Accept', () => {
    expect(findingsOf(lint([withEgress('Accept')]), 'NP015')).toEqual([]);
  });

  test('non-compliant: a Deny', () => {
    const [f] = findingsOf(lint([withEgress('Deny')]), 'NP015');
    expect(f).toMatchObject({
      severity: Severity.ERROR,
      kind: 'ClusterNetworkPolicy',
      name: 'p',
      field: 'spec.egress[0].to[0].domainNames',
      message: 'egress rule 0 is a Deny with a domainNames peer (*.example.com): domain names are only supported for Accept rules',
    });
  });

  test('suppressed: by the annotation', () => {
    const report = lint([withEgress('Pass', { 'netpol.cdk8s.io/suppress': 'NP015: our plugin supports it' })]);
    expect(findingsOf(report, 'NP015')).toEqual([]);
    expect(suppressedOf(report, 'NP015')).toHaveLength(1);
  });
});
