import { Severity } from '../../../src/lint';
import { cnp } from '../../fixtures/cluster-policies';
import { namespace, pod } from '../../fixtures/manifests';
import { FILE, findingsOf, lint, suppressedOf } from '../lint-helpers';

const PODS = [namespace('a', { team: 'a' }), pod('a', 'web', { app: 'web' })];
const deny = (name: string, priority: number, annotations?: Record<string, string>) => {
  const o = cnp(name, { priority, subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
  if (annotations) o.metadata.annotations = annotations;
  return o;
};

describe('NP013 cluster-priority-overlap: two policies of one tier at one priority select the same pods', () => {
  test('compliant: distinct priorities', () => {
    expect(findingsOf(lint([...PODS, deny('a', 1), deny('b', 2)]), 'NP013')).toEqual([]);
  });

  test('non-compliant: same tier and priority, a common pod', () => {
    expect(findingsOf(lint([...PODS, deny('a', 1), deny('b', 1)]), 'NP013')).toEqual([{
      ruleId: 'NP013',
      ruleName: 'cluster-priority-overlap',
      severity: Severity.WARNING,
      message: 'ClusterNetworkPolicy/b and ClusterNetworkPolicy/a are both Admin tier at priority 1 and both select Pod a/web: '
        + 'which one decides a connection they both match is undefined',
      fix: 'Give the policies distinct priorities, in the order they are meant to apply.',
      kind: 'ClusterNetworkPolicy',
      name: 'b',
      field: 'spec.priority',
      file: FILE,
      documentIndex: 3,
    }]);
  });

  test('suppressed: by the annotation on the policy', () => {
    const report = lint([...PODS, deny('a', 1), deny('b', 1, { 'netpol.cdk8s.io/suppress': 'NP013: both deny the same, order does not matter' })]);
    expect(findingsOf(report, 'NP013')).toEqual([]);
    expect(suppressedOf(report, 'NP013')).toHaveLength(1);
  });

  test('not applicable: no pod selected by both', () => {
    const other = cnp('c', { priority: 1, subject: { namespaces: { matchLabels: { team: 'z' } } }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    expect(findingsOf(lint([...PODS, deny('a', 1), other]), 'NP013')).toEqual([]);
  });
});
