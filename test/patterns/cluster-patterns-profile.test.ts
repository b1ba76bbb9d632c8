import { Chart, Testing } from 'cdk8s';
import { ClusterModel } from '../../src/analysis/cluster-model';
import { ClusterProfile } from '../../src/cluster-profile';
import { ClusterBaselineDeny } from '../../src/patterns/cluster-baseline-deny';
import { ClusterDnsAccess } from '../../src/patterns/cluster-dns-access';
import { ClusterMetadataGuard } from '../../src/patterns/cluster-metadata-guard';
import { Protocol } from '../../src/port';
import { ClusterNetworkPolicyValidator, CrdChannel } from '../../src/validation/cluster-network-policy-validator';
import { namespace, pod, policy } from '../fixtures/manifests';

/*
 * The cluster-wide patterns read the cluster profile (a `profile` prop, else the scope's), as
 * the NetworkPolicy patterns do: metadata addresses and exceptions, where DNS is and its ports.
 * Each proven by the engine for GENERIC, GKE_CLOUD_DNS and EKS.
 */

const CLUSTER = [
  namespace('kube-system'), namespace('shop'), namespace('open'),
  pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }),
  pod('shop', 'web', { app: 'web' }),
  pod('open', 'app', { app: 'app' }),
  // shop's owners isolate egress completely
  policy('shop', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
];

function model(build: (chart: Chart) => void): ClusterModel {
  const chart = Testing.chart();
  build(chart);
  const objects = Testing.synth(chart);
  for (const o of objects) expect(ClusterNetworkPolicyValidator.validate(o, { channel: CrdChannel.STANDARD }).errors).toEqual([]);
  return ClusterModel.fromObjects([...CLUSTER, ...objects]);
}

describe('ClusterMetadataGuard | the cluster profile', () => {
  test.each([
    ['GENERIC', ClusterProfile.GENERIC, ['169.254.169.254', '100.100.100.200', 'fd00:ec2::254'], ['fd20:ce::254']],
    ['GKE_CLOUD_DNS', ClusterProfile.GKE_CLOUD_DNS, ['169.254.169.254', 'fd20:ce::254'], ['100.100.100.200', 'fd00:ec2::254']],
    ['EKS', ClusterProfile.EKS, ['169.254.169.254', 'fd00:ec2::254'], ['100.100.100.200', 'fd20:ce::254']],
  ])('%s: its metadata addresses are denied to every pod, other addresses are not', (_, profile, denied, open) => {
    const m = model(chart => new ClusterMetadataGuard(chart, 'Guard', { profile }));
    for (const ip of denied) {
      expect(m.isAllowed('open/app', ip, 80)).toBe(false);
      expect(m.allowed({ from: 'open/app', to: ip, port: 80 }).egress.decidedBy?.ruleName).toBe('deny-cloud-metadata');
    }
    for (const ip of open) expect(m.isAllowed('open/app', ip, 80)).toBe(true);
  });

  test('GKE_CLOUD_DNS: its exception (DNS on 169.254.169.254) is accepted before the deny; GENERIC and EKS have none', () => {
    const gke = model(chart => new ClusterMetadataGuard(chart, 'Guard', { profile: ClusterProfile.GKE_CLOUD_DNS }));
    expect(gke.isAllowed('open/app', '169.254.169.254', 53, Protocol.UDP)).toBe(true);
    expect(gke.isAllowed('open/app', '169.254.169.254', 53, Protocol.TCP)).toBe(true);
    expect(gke.allowed({ from: 'open/app', to: '169.254.169.254', port: 53, protocol: Protocol.UDP }).egress.decidedBy?.ruleName).toBe('accept-dns-resolver');
    expect(gke.isAllowed('open/app', '169.254.169.254', 54, Protocol.UDP)).toBe(false);
    for (const profile of [ClusterProfile.GENERIC, ClusterProfile.EKS]) {
      expect(model(chart => new ClusterMetadataGuard(chart, 'Guard', { profile })).isAllowed('open/app', '169.254.169.254', 53, Protocol.UDP)).toBe(false);
    }
  });

  test('the scope\'s profile (ClusterProfile.use) is read when no profile prop is given; the prop wins', () => {
    const m = model(chart => {
      ClusterProfile.use(chart, ClusterProfile.GKE_CLOUD_DNS);
      new ClusterMetadataGuard(chart, 'Guard');
    });
    expect(m.isAllowed('open/app', '169.254.169.254', 53, Protocol.UDP)).toBe(true);
    expect(m.isAllowed('open/app', 'fd20:ce::254', 80)).toBe(false);
    const eks = model(chart => {
      ClusterProfile.use(chart, ClusterProfile.GKE_CLOUD_DNS);
      new ClusterMetadataGuard(chart, 'Guard', { profile: ClusterProfile.EKS });
    });
    expect(eks.isAllowed('open/app', 'fd00:ec2::254', 80)).toBe(false);
    expect(eks.isAllowed('open/app', '169.254.169.254', 53, Protocol.UDP)).toBe(false);
  });

  test('allowDnsResolver and the profile\'s exception make one rule, not two', () => {
    const chart = Testing.chart();
    new ClusterMetadataGuard(chart, 'Guard', { profile: ClusterProfile.GKE_CLOUD_DNS, allowDnsResolver: true });
    const [cnp] = Testing.synth(chart);
    expect(cnp.spec.egress.map((r: any) => r.name)).toEqual(['accept-dns-resolver', 'deny-cloud-metadata']);
  });

  test('a profile that is not a ClusterProfile is refused, naming the construct and quoting the value', () => {
    const chart = Testing.chart();
    expect(() => new ClusterMetadataGuard(chart, 'Guard', { profile: 'gke' as any })).toThrow(/test\/Guard.*profile.*"gke"/);
    expect(() => new ClusterMetadataGuard(chart, 'Guard2', { profile: null as any })).toThrow(/test\/Guard2.*profile.*null/);
  });
});

describe('ClusterDnsAccess | the cluster profile', () => {
  test.each([
    ['GENERIC', ClusterProfile.GENERIC],
    ['EKS', ClusterProfile.EKS],
  ])('%s: DNS to the kube-dns pods is accepted even out of a namespace that denies all egress', (_, profile) => {
    const m = model(chart => new ClusterDnsAccess(chart, 'Dns', { profile }));
    expect(m.isAllowed('shop/web', 'kube-system/coredns', 53, Protocol.UDP)).toBe(true);
    expect(m.isAllowed('shop/web', 'kube-system/coredns', 80)).toBe(false);
    expect(m.isAllowed('shop/web', '169.254.169.254', 53, Protocol.UDP)).toBe(false);
  });

  test('GKE_CLOUD_DNS: DNS is 169.254.169.254 (no DNS pods): accepted there, and no ingress policy', () => {
    const chart = Testing.chart();
    const dns = new ClusterDnsAccess(chart, 'Dns', { profile: ClusterProfile.GKE_CLOUD_DNS });
    expect(dns.ingress).toBeUndefined();
    const m = model(c => new ClusterDnsAccess(c, 'Dns', { profile: ClusterProfile.GKE_CLOUD_DNS }));
    expect(m.isAllowed('shop/web', '169.254.169.254', 53, Protocol.UDP)).toBe(true);
    expect(m.isAllowed('shop/web', '169.254.169.254', 53, Protocol.TCP)).toBe(true);
    expect(m.isAllowed('shop/web', 'kube-system/coredns', 53, Protocol.UDP)).toBe(false);
  });

  test('dnsNamespace and dnsPodLabels still take precedence over the profile\'s DNS pods', () => {
    const m = model(chart => new ClusterDnsAccess(chart, 'Dns', { profile: ClusterProfile.EKS, dnsNamespace: 'open', dnsPodLabels: { app: 'app' } }));
    expect(m.isAllowed('shop/web', 'open/app', 53, Protocol.UDP)).toBe(true);
    expect(m.isAllowed('shop/web', 'kube-system/coredns', 53, Protocol.UDP)).toBe(false);
  });
});

describe('ClusterBaselineDeny | the cluster profile', () => {
  test.each([
    ['GENERIC', ClusterProfile.GENERIC, 'kube-system/coredns'],
    ['EKS', ClusterProfile.EKS, 'kube-system/coredns'],
    ['GKE_CLOUD_DNS', ClusterProfile.GKE_CLOUD_DNS, '169.254.169.254'],
  ])('%s: a namespace without policies resolves names where the profile says DNS is, and nothing else leaves it', (_, profile, dnsTarget) => {
    const m = model(chart => new ClusterBaselineDeny(chart, 'Baseline', { profile }));
    // egress: kube-system's own ingress is default-denied by the same pattern (it has no policies)
    const egress = (to: string, port: number, protocol = Protocol.TCP) => m.allowed({ from: 'open/app', to, port, protocol }).egress.allowed;
    expect(egress(dnsTarget, 53, Protocol.UDP)).toBe(true);
    expect(egress(dnsTarget, 53, Protocol.TCP)).toBe(true);
    expect(egress(dnsTarget, 80)).toBe(false);
    expect(m.isAllowed('open/app', '8.8.8.8', 53, Protocol.UDP)).toBe(false);
  });
});
