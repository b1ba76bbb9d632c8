import { Direction, Peer, Policy, Port } from '../../../src';
import { Severity } from '../../../src/lint';
import { chartIn } from '../../util';
import { FILE, findingsOf, lint, policy, suppressedOf } from '../lint-helpers';

describe('NP007 rules-ignored-by-policy-types: rules for a direction policyTypes does not list', () => {
  test('compliant: policyTypes lists both directions, or is left to the server\'s defaulting', () => {
    const report = lint([
      policy('shop', 'both', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] }),
      policy('shop', 'defaulted', { podSelector: {}, ingress: [{}], egress: [{}] }),
    ]);
    expect(findingsOf(report, 'NP007')).toEqual([]);
  });

  test('non-compliant: egress rules under policyTypes [Ingress]', () => {
    const report = lint([policy('shop', 'web', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}], egress: [{ ports: [{ port: 443 }] }] })]);
    expect(findingsOf(report, 'NP007')).toEqual([{
      ruleId: 'NP007',
      ruleName: 'rules-ignored-by-policy-types',
      severity: Severity.ERROR,
      message: 'policyTypes is ["Ingress"], so the API server accepts this egress rule but never enforces it: add "Egress" to policyTypes, or remove spec.egress',
      fix: 'Add the direction to `policyTypes`, or remove the rules if they are not wanted.',
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'web',
      field: 'spec.egress',
      file: FILE,
      documentIndex: 0,
    }]);
  });

  test('non-compliant: ingress rules under policyTypes [Egress]', () => {
    const report = lint([policy('shop', 'web', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}, { ports: [{ port: 80 }] }] })]);
    expect(findingsOf(report, 'NP007').map(f => [f.field, f.message])).toEqual([[
      'spec.ingress',
      'policyTypes is ["Egress"], so the API server accepts these 2 ingress rules but never enforces them: add "Ingress" to policyTypes, or remove spec.ingress',
    ]]);
  });

  test('suppressed: by the annotation on the policy', () => {
    const report = lint([policy('shop', 'web', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}] }, {
      'netpol.cdk8s.io/suppress': 'NP007: egress is switched on in the next release',
    })]);
    expect(findingsOf(report, 'NP007')).toEqual([]);
    expect(suppressedOf(report, 'NP007').map(f => f.suppressionReason)).toEqual(['egress is switched on in the next release']);
  });

  test('not applicable: the Policy construct cannot build such a policy', () => {
    expect(() => new Policy(chartIn('shop'), 'Web', {
      policyTypes: [Direction.INGRESS],
      egress: [{ to: [Peer.anywhere()], ports: [Port.HTTPS] }],
    })).toThrow(/the API server would silently ignore the rule/);
  });
});
