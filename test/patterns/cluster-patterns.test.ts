import { Chart, Testing } from 'cdk8s';
import { ClusterModel } from '../../src/analysis/cluster-model';
import { ClusterBaselineDeny } from '../../src/patterns/cluster-baseline-deny';
import { ClusterDnsAccess } from '../../src/patterns/cluster-dns-access';
import { ClusterMetadataGuard } from '../../src/patterns/cluster-metadata-guard';
import { TenantIsolation } from '../../src/patterns/tenant-isolation';
import { Protocol } from '../../src/port';
import { ClusterNetworkPolicyValidator, CrdChannel } from '../../src/validation/cluster-network-policy-validator';
import { namespace, pod, policy } from '../fixtures/manifests';

/*
 * The cluster-wide patterns, each proven by the engine on a small cluster: what it promises
 * holds whatever the namespaces' NetworkPolicies say.
 */

const CLUSTER = [
  namespace('kube-system'),
  namespace('acme-web', { tenant: 'acme' }),
  namespace('acme-db', { tenant: 'acme' }),
  namespace('globex', { tenant: 'globex' }),
  namespace('shared'),
  pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }),
  pod('acme-web', 'web', { app: 'web' }),
  pod('acme-db', 'db', { app: 'db' }),
  pod('globex', 'app', { app: 'app' }),
  pod('shared', 'proxy', { app: 'proxy' }),
];

/** The cluster-wide policies a chart renders, valid for the standard channel's CRD. */
function synth(chart: Chart): any[] {
  const objects = Testing.synth(chart);
  for (const o of objects.filter(x => x.kind === 'ClusterNetworkPolicy')) {
    expect(ClusterNetworkPolicyValidator.validate(o, { channel: CrdChannel.STANDARD }).errors).toEqual([]);
  }
  return objects;
}

/** A NetworkPolicy that allows everything in both directions for every pod of a namespace (an owner who opened up). */
const openNamespace = (ns: string) => policy(ns, 'open', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });

describe('ClusterMetadataGuard', () => {
  test('no pod reaches the metadata endpoints, even with NetworkPolicies that allow all egress; the rest is untouched', () => {
    const chart = Testing.chart();
    new ClusterMetadataGuard(chart, 'Guard');
    const model = ClusterModel.fromObjects([...CLUSTER, openNamespace('acme-web'), ...synth(chart)]);
    for (const ip of ['169.254.169.254', '100.100.100.200', 'fd00:ec2::254']) {
      expect(model.isAllowed('acme-web/web', ip, 80)).toBe(false);
      expect(model.isAllowed('globex/app', ip, 53, Protocol.UDP)).toBe(false);
    }
    expect(model.isAllowed('acme-web/web', '8.8.8.8', 443)).toBe(true);
    expect(model.allowed({ from: 'acme-web/web', to: '169.254.169.254', port: 80 }).egress.decidedBy?.ruleName).toBe('deny-cloud-metadata');
  });

  test('allowDnsResolver accepts only DNS to 169.254.169.254 (GKE with Cloud DNS)', () => {
    const chart = Testing.chart();
    new ClusterMetadataGuard(chart, 'Guard', { allowDnsResolver: true });
    const model = ClusterModel.fromObjects([...CLUSTER, ...synth(chart)]);
    expect(model.isAllowed('acme-web/web', '169.254.169.254', 53, Protocol.UDP)).toBe(true);
    expect(model.isAllowed('acme-web/web', '169.254.169.254', 53, Protocol.TCP)).toBe(true);
    expect(model.isAllowed('acme-web/web', '169.254.169.254', 80)).toBe(false);
  });
});

describe('ClusterDnsAccess', () => {
  test('every pod reaches the cluster DNS on 53, even in namespaces whose NetworkPolicies deny everything', () => {
    const chart = Testing.chart();
    new ClusterDnsAccess(chart, 'Dns');
    const denyAll = (ns: string) => policy(ns, 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const model = ClusterModel.fromObjects([...CLUSTER, denyAll('acme-web'), denyAll('kube-system'), ...synth(chart)]);
    expect(model.isAllowed('acme-web/web', 'kube-system/coredns', 53, Protocol.UDP)).toBe(true);
    expect(model.isAllowed('acme-web/web', 'kube-system/coredns', 53, Protocol.TCP)).toBe(true);
    expect(model.isAllowed('acme-web/web', 'kube-system/coredns', 80)).toBe(false);
    expect(model.isAllowed('acme-web/web', 'globex/app', 53, Protocol.UDP)).toBe(false);
  });
});

describe('TenantIsolation', () => {
  test('namespaces of different tenants never talk; the same tenant and untenanted namespaces are left to NetworkPolicies', () => {
    const chart = Testing.chart();
    new TenantIsolation(chart, 'Tenants', { tenants: ['acme', 'globex'] });
    const model = ClusterModel.fromObjects([...CLUSTER, openNamespace('acme-web'), openNamespace('globex'), ...synth(chart)]);
    expect(model.isAllowed('acme-web/web', 'globex/app', 80)).toBe(false);
    expect(model.isAllowed('globex/app', 'acme-db/db', 5432)).toBe(false);
    expect(model.isAllowed('acme-web/web', 'acme-db/db', 5432)).toBe(true);
    expect(model.isAllowed('acme-web/web', 'shared/proxy', 80)).toBe(true);
    expect(model.isAllowed('shared/proxy', 'globex/app', 80)).toBe(true);
    // the all-ports view agrees: nothing at all between tenants
    expect(model.connectivity().allowed('acme-web/web', 'globex/app').isEmpty).toBe(true);
    expect(model.connectivity().allowed('acme-web/web', 'acme-db/db').isAll).toBe(true);
  });

  test('refuses an empty or repeated tenant list', () => {
    expect(() => new TenantIsolation(Testing.chart(), 'T', { tenants: [] })).toThrow(/must list at least one tenant/);
    expect(() => new TenantIsolation(Testing.chart(), 'T', { tenants: ['a', 'a'] })).toThrow(/must not repeat a tenant/);
  });
});

describe('ClusterBaselineDeny', () => {
  test('namespaces without NetworkPolicies are default-denied (DNS excepted); a namespace with its own policies decides', () => {
    const chart = Testing.chart();
    new ClusterBaselineDeny(chart, 'Baseline');
    const model = ClusterModel.fromObjects([...CLUSTER, openNamespace('acme-web'), ...synth(chart)]);
    expect(model.isAllowed('globex/app', 'shared/proxy', 80)).toBe(false);
    expect(model.isAllowed('globex/app', '8.8.8.8', 443)).toBe(false);
    expect(model.isAllowed('globex/app', 'kube-system/coredns', 53, Protocol.UDP)).toBe(false); // kube-system's ingress is default-denied too
    expect(model.allowed({ from: 'globex/app', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP }).egress.allowed).toBe(true);
    expect(model.isAllowed('acme-web/web', '8.8.8.8', 443)).toBe(true);
    expect(model.isAllowed('acme-web/web', 'globex/app', 80)).toBe(false); // globex's ingress: baseline deny
    expect(model.allowed({ from: 'globex/app', to: 'acme-web/web', port: 80 }).ingress.tier).toBe('NetworkPolicy');
  });
});
