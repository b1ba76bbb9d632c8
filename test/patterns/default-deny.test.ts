import { DefaultDeny, Direction, LabelSelector } from '../../src';
import { chartIn, synthPolicies, yamlOf } from '../util';

describe('DefaultDeny', () => {
  test('denies ingress and egress for every pod of the namespace by default', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'DefaultDeny');
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies).toHaveLength(1);
    expect(policies[0].metadata).toEqual({ name: 'default-deny', namespace: 'shop' });
    expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test.each([
    [[Direction.INGRESS], ['Ingress']],
    [[Direction.EGRESS], ['Egress']],
    [[Direction.EGRESS, Direction.INGRESS], ['Ingress', 'Egress']],
  ])('directions %j isolate exactly those directions, with no rules', (directions, types) => {
    const chart = chartIn();
    new DefaultDeny(chart, 'Deny', { directions });
    const [policy] = synthPolicies(chart);
    expect(policy.spec.policyTypes).toEqual(types);
    expect(policy.spec).not.toHaveProperty('ingress');
    expect(policy.spec).not.toHaveProperty('egress');
  });

  test('can isolate selected pods only, in another namespace, under another name', () => {
    const chart = chartIn();
    const deny = new DefaultDeny(chart, 'Deny', {
      namespace: 'payments',
      name: 'isolate-card-vault',
      podSelector: LabelSelector.labels({ app: 'card-vault' }),
    });
    const [policy] = synthPolicies(chart);
    expect(policy.metadata).toEqual({ name: 'isolate-card-vault', namespace: 'payments' });
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'card-vault' } });
    expect(deny.name).toBe('isolate-card-vault');
  });
});
