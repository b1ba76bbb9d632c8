import { ClusterModel } from '../../src/analysis/cluster-model';
import { ConnectivityDiff } from '../../src/analysis/connectivity-diff';
import { Protocol } from '../../src/port';
import { cnp } from '../fixtures/cluster-policies';

/*
 * Representative endpoints from cluster-wide policies: their subjects and their
 * namespaces/pods peers, so that a cluster with only ClusterNetworkPolicies (no pods, no
 * NetworkPolicies) still shows what `{tenant=a}/*` may do.
 */

const tenantA = { matchLabels: { tenant: 'a' } };
const tenantB = { matchLabels: { tenant: 'b' } };
/** Tenant a's namespaces accept nothing from tenant b's; DNS pods of kube-system are reachable on 53 only from tenant a. */
const ONLY_CLUSTER_POLICIES = [
  cnp('tenants', { priority: 10, subject: { namespaces: tenantA }, ingress: [{ action: 'Deny', name: 'no-b', from: [{ namespaces: tenantB }] }] }),
  cnp('dns', {
    priority: 20,
    subject: { namespaces: tenantA },
    egress: [
      {
        action: 'Accept',
        to: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
        protocols: [{ udp: { destinationPort: { number: 53 } } }],
      },
      { action: 'Deny', to: [{ namespaces: {} }] },
    ],
  }),
];

describe('representatives | cluster-wide policies', () => {
  test('the subjects and peers of cluster-wide policies are representatives, and their flows follow the tiers', () => {
    const list = ClusterModel.fromObjects(ONLY_CLUSTER_POLICIES).connectivity();
    expect(list.endpoints).toEqual(expect.arrayContaining(['{tenant=a}/*', '{tenant=b}/*', 'kube-system/{k8s-app=kube-dns}', '*/*']));
    // tenant b is denied into tenant a; any other namespace is not
    expect(list.allowed('{tenant=b}/*', '{tenant=a}/*').isEmpty).toBe(true);
    expect(list.allowed('*/*', '{tenant=a}/*').isAll).toBe(true);
    // tenant a's egress to pods: DNS only
    expect(list.allowed('{tenant=a}/*', 'kube-system/{k8s-app=kube-dns}').toString()).toBe('UDP 53');
    expect(list.allowed('{tenant=a}/*', '{tenant=b}/*').isEmpty).toBe(true);
    // external addresses are not pods: the Deny of namespaces does not reach them
    expect(list.allowed('{tenant=a}/*', '0.0.0.0-255.255.255.255').isAll).toBe(true);
  });

  test('the representatives\' flows are those of a real pod of that description added to the input', () => {
    const list = ClusterModel.fromObjects(ONLY_CLUSTER_POLICIES).connectivity();
    const real = ClusterModel.fromObjects([
      ...ONLY_CLUSTER_POLICIES,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a1', labels: { tenant: 'a' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b1', labels: { tenant: 'b' } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a1' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', namespace: 'b1' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    ]);
    for (const [port, protocol] of [[53, Protocol.UDP], [80, Protocol.TCP]] as const) {
      expect(list.allowed('{tenant=b}/*', '{tenant=a}/*').has(protocol, port)).toBe(real.isAllowed('b1/q', 'a1/p', port, protocol));
      expect(list.allowed('{tenant=a}/*', '{tenant=b}/*').has(protocol, port)).toBe(real.isAllowed('a1/p', 'b1/q', port, protocol));
    }
  });

  test('allowed() resolves a representative a cluster-wide policy calls for, named as the list names it', () => {
    const model = ClusterModel.fromObjects(ONLY_CLUSTER_POLICIES);
    expect(model.allowed({ from: '{tenant=b}/*', to: '{tenant=a}/*', port: 80 }).ingress.decidedBy?.ruleName).toBe('no-b');
  });

  test('diff between two versions of the cluster-wide policies shows the change on the representatives', () => {
    const before = ClusterModel.fromObjects(ONLY_CLUSTER_POLICIES);
    const after = ClusterModel.fromObjects(ONLY_CLUSTER_POLICIES.filter(o => o.metadata.name !== 'tenants'));
    const diff = ConnectivityDiff.betweenModels(before, after);
    expect(diff.changes.some(c => c.from === '{tenant=b}/*' && c.to === '{tenant=a}/*' && c.opened.isAll)).toBe(true);
  });
});
