import { cnp } from '../../fixtures/cluster-policies';
import { findingsOf, lint, suppressedOf } from '../lint-helpers';

const web = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } };
const withRules = (ingress: any[], annotations?: Record<string, string>) => {
  const o = cnp('p', { subject: { namespaces: {} }, ingress });
  if (annotations) o.metadata.annotations = annotations;
  return o;
};

describe('NP014 cluster-rule-shadowed: a rule an earlier rule always decides first', () => {
  test('compliant: the narrow Accept before the broad Deny', () => {
    expect(findingsOf(lint([withRules([{ action: 'Accept', from: [web] }, { action: 'Deny', from: [{ namespaces: {} }] }])]), 'NP014')).toEqual([]);
  });

  test('non-compliant: the broad Deny first', () => {
    const report = lint([withRules([{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }, { name: 'web', action: 'Accept', from: [web] }])]);
    expect(findingsOf(report, 'NP014').map(f => [f.field, f.message])).toEqual([[
      'spec.ingress[1]',
      'ingress rule 1 "web" (Accept) never decides anything: rule 0 "deny-all" (Deny) comes first and matches all of its traffic',
    ]]);
  });

  test('suppressed: by the annotation', () => {
    const report = lint([withRules([{ action: 'Deny', from: [{ namespaces: {} }] }, { action: 'Accept', from: [web] }], { 'netpol.cdk8s.io/suppress': 'NP014: kept for later' })]);
    expect(findingsOf(report, 'NP014')).toEqual([]);
    expect(suppressedOf(report, 'NP014')).toHaveLength(1);
  });

  test('not applicable: the earlier rule has ports', () => {
    const rules = [{ action: 'Deny', from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 22 } } }] }, { action: 'Accept', from: [web] }];
    expect(findingsOf(lint([withRules(rules)]), 'NP014')).toEqual([]);
  });
});
