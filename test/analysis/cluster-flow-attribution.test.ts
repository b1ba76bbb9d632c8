import { ClusterModel } from '../../src/analysis/cluster-model';
import { ConnectivityDiff } from '../../src/analysis/connectivity-diff';
import { Protocol } from '../../src/port';
import { cnp } from '../fixtures/cluster-policies';
import { namespace, pod, policy } from '../fixtures/manifests';

/*
 * Connectivity.allowedBy (diff's attribution) with cluster-wide policies: the Admin or Baseline
 * Accept that allowed a flow is named as explain names it, and NetworkPolicy rules only for the
 * ports that reached the NetworkPolicy tier.
 */

const monitoring = { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
const world = (...extra: any[]) => [
  namespace('shop'), namespace('monitoring'),
  pod('shop', 'web', { app: 'web' }), pod('monitoring', 'prometheus', { app: 'prometheus' }),
  policy('shop', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
  ...extra,
];
const scrape = cnp('scrape', {
  priority: 20,
  subject: { namespaces: {} },
  ingress: [{ action: 'Accept', name: 'metrics', from: [monitoring], protocols: [{ tcp: { destinationPort: { number: 9090 } } }] }],
});
const ADMIN_ACCEPT = 'Admin tier: ClusterNetworkPolicy/scrape (priority 20) ingress rule 0 "metrics" (Accept)';

describe('Connectivity.allowedBy | cluster-wide policies', () => {
  test('names the Admin Accept that let the flow into an isolated pod, as explain names the rule that decided', () => {
    const model = ClusterModel.fromObjects(world(scrape));
    const list = model.connectivity();
    expect(list.allowed('monitoring/prometheus', 'shop/web').toString()).toBe('TCP 9090');
    expect(list.allowedBy('monitoring/prometheus', 'shop/web')).toEqual({
      egress: ['egress from monitoring/prometheus: not isolated'],
      ingress: [ADMIN_ACCEPT],
    });
    expect(model.allowed({ from: 'monitoring/prometheus', to: 'shop/web', port: 9090 }).ingress.decidedBy?.description).toBe(ADMIN_ACCEPT);
  });

  test('the Admin Accept for its ports, the NetworkPolicy rule for the ports that reached the NetworkPolicy tier', () => {
    const allowWeb = policy('shop', 'allow-web', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80 }] }] });
    const list = ClusterModel.fromObjects(world(scrape, allowWeb)).connectivity();
    expect(list.allowed('monitoring/prometheus', 'shop/web').toString()).toBe('TCP 80,9090');
    expect(list.allowedBy('monitoring/prometheus', 'shop/web')!.ingress).toEqual([ADMIN_ACCEPT, 'shop/allow-web ingress rule 0']);
  });

  test('a Baseline Accept over a Baseline Deny, and the default for what the Baseline tier passes or leaves', () => {
    const baseline = cnp('baseline', {
      tier: 'Baseline',
      priority: 1,
      subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
      egress: [
        { action: 'Accept', name: 'dns', to: [{ namespaces: {} }], protocols: [{ udp: { destinationPort: { number: 53 } } }] },
        { action: 'Deny', to: [{ namespaces: {} }], protocols: [{ udp: { destinationPort: { range: { start: 1, end: 1000 } } } }] },
      ],
    });
    // shop's ingress policy allows nothing, so only shop/web's own egress flows are listed: drop it
    const outOfMonitoring = ClusterModel.fromObjects(world(baseline).filter(o => o.metadata.name !== 'deny-ingress')).connectivity();
    expect(outOfMonitoring.allowed('monitoring/prometheus', 'shop/web').has(Protocol.UDP, 500)).toBe(false);
    expect(outOfMonitoring.allowedBy('monitoring/prometheus', 'shop/web')!.egress).toEqual([
      'Baseline tier: ClusterNetworkPolicy/baseline (priority 1) egress rule 0 "dns" (Accept)',
      'egress from monitoring/prometheus: not isolated',
    ]);
  });

  test('diff names the cluster-wide rule that opened a flow', () => {
    const before = ClusterModel.fromObjects(world());
    const after = ClusterModel.fromObjects(world(scrape));
    const diff = ConnectivityDiff.betweenModels(before, after);
    const change = diff.changes.find(c => c.from === 'monitoring/prometheus' && c.to === 'shop/web')!;
    expect(change.allowedAfter?.ingress).toEqual([ADMIN_ACCEPT]);
    expect(diff.toText()).toContain(`+ monitoring/prometheus => shop/web : TCP 9090\n    allowed by: egress from monitoring/prometheus: not isolated; ${ADMIN_ACCEPT}\n`);
  });
});
