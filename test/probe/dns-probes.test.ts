import { Testing } from 'cdk8s';
import { ShopChart } from '../../examples/charts/shop';
import { ClusterProfile, ProbeKind, ProbePlan } from '../../src';
import { pod } from '../fixtures/manifests';

function shopObjects(profile: ClusterProfile): any[] {
  const app = Testing.app();
  ClusterProfile.use(app, profile);
  return new ShopChart(app, 'shop').toJson();
}

describe('DNS probes', () => {
  test('without a profile, a plan has no DNS probes (plans stay as they were)', () => {
    const plan = ProbePlan.fromObjects(shopObjects(ClusterProfile.GENERIC), { maxFlows: 0 });
    expect(plan.probes.some(p => p.kind === ProbeKind.DNS)).toBe(false);
  });

  test('with no DNS pod in the input, the probes go to the profile\'s DNS pods by their labels', () => {
    const plan = ProbePlan.fromObjects(shopObjects(ClusterProfile.OPENSHIFT), { maxFlows: 0, profile: ClusterProfile.OPENSHIFT });
    const dns = plan.probes.filter(p => p.kind === ProbeKind.DNS && p.from === 'shop/frontend');
    expect(dns.map(p => [p.to, p.destinationNamespace, p.destinationLabels, `${p.protocol}/${p.port}`, p.expectAllowed])).toEqual([
      ['openshift-dns/netpol-probe-dns', 'openshift-dns', { 'dns.operator.openshift.io/daemonset-dns': 'default' }, 'UDP/5353', true],
      ['openshift-dns/netpol-probe-dns', 'openshift-dns', { 'dns.operator.openshift.io/daemonset-dns': 'default' }, 'TCP/5353', true],
    ]);
    expect(plan.toText()).toContain('to cluster DNS: shop/frontend -> openshift-dns/netpol-probe-dns UDP/5353: expected allowed');
  });

  test('a plan built for the wrong profile shows DNS expected denied, which is the point of probing it', () => {
    // policies written for GENERIC (kube-dns on 53), probed as OpenShift (dns-default on 5353)
    const plan = ProbePlan.fromObjects(shopObjects(ClusterProfile.GENERIC), { maxFlows: 0, profile: ClusterProfile.OPENSHIFT });
    const dns = plan.probes.filter(p => p.kind === ProbeKind.DNS);
    expect(dns.length).toBeGreaterThan(0);
    for (const p of dns) expect(p.expectAllowed).toBe(false);
  });

  test('DNS addresses are probed as external destinations, and an input pod with the assumed name is refused', () => {
    const plan = ProbePlan.fromObjects(shopObjects(ClusterProfile.GKE_CLOUD_DNS), { maxFlows: 0, profile: ClusterProfile.GKE_CLOUD_DNS });
    const dns = plan.probes.filter(p => p.kind === ProbeKind.DNS && p.from === 'shop/backend');
    expect(dns.map(p => [p.to, p.destinationNamespace, `${p.protocol}/${p.port}`, p.expectAllowed])).toEqual([
      ['169.254.169.254', undefined, 'UDP/53', true], ['169.254.169.254', undefined, 'TCP/53', true],
    ]);
    const clash = [...shopObjects(ClusterProfile.GENERIC), pod('kube-system', 'netpol-probe-dns', { app: 'x' })];
    expect(() => ProbePlan.fromObjects(clash, { profile: ClusterProfile.GENERIC })).toThrow(/kube-system\/netpol-probe-dns, the name the probe plan gives the DNS pod/);
    expect(() => ProbePlan.fromObjects([], { profile: 'gke' as any })).toThrow(/must be a ClusterProfile/);
  });
});
