import { AllowFromNamespace, LabelSelector, Port } from '../../src';
import { chartIn, synthPolicies, yamlOf } from '../util';

describe('AllowFromNamespace', () => {
  test('allows ingress from a namespace by name, optionally ANDed with pod labels, on some ports', () => {
    const chart = chartIn('shop');
    new AllowFromNamespace(chart, 'FromIngress', {
      fromNamespace: 'ingress-nginx',
      fromPodLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
      podSelector: LabelSelector.labels({ app: 'web' }),
      ports: [Port.tcp(8080)],
    });
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies[0].spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
    });
  });

  test('by labels, every pod, every port', () => {
    const chart = chartIn();
    new AllowFromNamespace(chart, 'FromTeam', { fromNamespaceLabels: { team: 'payments' } });
    const [policy] = synthPolicies(chart);
    expect(policy.spec.podSelector).toEqual({});
    expect(policy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { team: 'payments' } } }] }]);
  });

  test('fails unless exactly one of fromNamespace and fromNamespaceLabels is set', () => {
    expect(() => new AllowFromNamespace(chartIn(), 'X', {}))
      .toThrow('[test/X] set exactly one of `fromNamespace` (a namespace name) and `fromNamespaceLabels` (namespace labels); got neither');
    expect(() => new AllowFromNamespace(chartIn(), 'X', { fromNamespace: 'a', fromNamespaceLabels: { b: 'c' } }))
      .toThrow(/got both$/);
  });
});
