import { Chart, Testing } from 'cdk8s';
import { ClusterProfile, Port } from '../src';
import { CLOUD_METADATA_ADDRESSES, DEFAULT_DNS_NAMESPACE, DEFAULT_DNS_POD_LABELS } from '../src/constants';
import { isReadOnlyValue } from './fixtures/read-only';

describe('ClusterProfile |', () => {
  test('GENERIC is what the library always assumed', () => {
    const p = ClusterProfile.GENERIC;
    expect(p.name).toBe('generic');
    expect(p.dnsNamespace).toBe(DEFAULT_DNS_NAMESPACE);
    expect(p.dnsPodLabels).toEqual(DEFAULT_DNS_POD_LABELS);
    expect(p.dnsAddresses).toEqual([]);
    expect(p.dnsPorts.map(String)).toEqual(['UDP/53', 'TCP/53']);
    expect(p.metadataAddresses).toEqual([...CLOUD_METADATA_ADDRESSES]);
    expect(p.metadataCidrs()).toEqual(['169.254.169.254/32', '100.100.100.200/32', 'fd00:ec2::254/128']);
    expect(p.metadataExceptions).toEqual([]);
    expect(p.hostNetworkPodsIsolated).toBe(false);
  });

  test('the built-ins carry their platforms\' documented facts', () => {
    expect(ClusterProfile.builtIns().map(p => p.name)).toEqual(['generic', 'gke', 'gke-cloud-dns', 'gke-nodelocal-dns', 'eks', 'aks', 'openshift', 'kind']);
    // GKE Cloud DNS: DNS is the metadata server on port 53, which is the only exception
    const cloud = ClusterProfile.GKE_CLOUD_DNS;
    expect(cloud.dnsNamespace).toBeUndefined();
    expect(cloud.dnsAddresses).toEqual(['169.254.169.254']);
    expect(cloud.metadataExceptions.map(e => [e.address, e.ports.map(String)])).toEqual([['169.254.169.254', ['UDP/53', 'TCP/53']]]);
    expect(cloud.metadataExceptions[0].reason).toMatch(/cloud-dns/);
    // NodeLocal DNSCache: the pods and the link-local cache
    expect(ClusterProfile.GKE_NODELOCAL_DNS.dnsNamespace).toBe('kube-system');
    expect(ClusterProfile.GKE_NODELOCAL_DNS.dnsAddresses).toEqual(['169.254.20.10']);
    // OpenShift: target port 5353 on the dns-default pods in openshift-dns
    expect(ClusterProfile.OPENSHIFT.dnsNamespace).toBe('openshift-dns');
    expect(ClusterProfile.OPENSHIFT.dnsPodLabels).toEqual({ 'dns.operator.openshift.io/daemonset-dns': 'default' });
    expect(ClusterProfile.OPENSHIFT.dnsPorts.map(String)).toEqual(['UDP/5353', 'TCP/5353']);
    expect(ClusterProfile.OPENSHIFT.isSystemNamespace('openshift-monitoring')).toBe(true);
    expect(ClusterProfile.OPENSHIFT.isSystemNamespace('openshiftish')).toBe(false);
    expect(ClusterProfile.EKS.metadataAddresses).toEqual(['169.254.169.254', 'fd00:ec2::254']);
    expect(ClusterProfile.AKS.metadataAddresses).toEqual(['169.254.169.254', '168.63.129.16']);
    expect(ClusterProfile.GKE.metadataAddresses).toContain('fd20:ce::254');
    expect(ClusterProfile.KIND.isSystemNamespace('local-path-storage')).toBe(true);
  });

  test('is frozen, and so are its lists and the shared built-ins', () => {
    const p = ClusterProfile.OPENSHIFT;
    expect(isReadOnlyValue(p)).toBe(true);
    expect(Object.isFrozen(p.dnsPorts)).toBe(true);
    expect(Object.isFrozen(p.metadataExceptions)).toBe(true);
    expect(() => { (ClusterProfile as any).GKE = ClusterProfile.GENERIC; }).toThrow();
    expect(ClusterProfile.GKE.name).toBe('gke');
  });

  test('named() finds a built-in and suggests the nearest name', () => {
    expect(ClusterProfile.named('eks')).toBe(ClusterProfile.EKS);
    expect(() => ClusterProfile.named('gke-clouddns')).toThrow(/did you mean "gke-cloud-dns"\?/);
    expect(() => ClusterProfile.named(null as any)).toThrow(/must be the name of a built-in profile, not null/);
  });

  test('custom() starts from a base and checks every prop', () => {
    const p = ClusterProfile.custom({ name: 'acme', base: ClusterProfile.GKE_CLOUD_DNS, dnsAddresses: ['169.254.169.254', '169.254.20.10'] });
    expect(p.dnsAddresses).toEqual(['169.254.169.254', '169.254.20.10']);
    expect(p.metadataExceptions).toHaveLength(1);
    expect(p.dnsCidrs()).toEqual(['169.254.169.254/32', '169.254.20.10/32']);
    expect(ClusterProfile.custom({ name: 'labs', dnsPodLabels: { app: 'coredns' } }).dnsNamespace).toBe('kube-system');
    expect(() => ClusterProfile.custom({ name: 'x', dnsPorts: [] })).toThrow(/at least one port/);
    expect(() => ClusterProfile.custom({ name: 'x', dnsPorts: [Port.named('dns')] })).toThrow(/numeric port/);
    expect(() => ClusterProfile.custom({ name: 'x', dnsPods: false })).toThrow(/has no DNS/);
    expect(() => ClusterProfile.custom({ name: 'x', metadataAddresses: ['169.254.169.254/32'] })).toThrow(/one address, without a prefix length/);
    expect(() => ClusterProfile.custom({ name: 'x', metadataExceptions: [{ address: '10.0.0.1', ports: [Port.DNS_UDP], reason: 'r' }] }))
      .toThrow(/not one of the metadata addresses/);
    expect(() => ClusterProfile.custom({ name: 'x', dnsNamspace: 'dns' } as any)).toThrow(/unknown prop "dnsNamspace"; did you mean `dnsNamespace`\?/);
    expect(() => ClusterProfile.custom({ name: 'Bad Name' })).toThrow(/profile name/);
    expect(() => ClusterProfile.custom({ name: 'x', systemNamespaces: ['*'] })).toThrow(/prefix/);
  });

  test('a custom profile from JSON (netpol.config.json) reads ports and a built-in base by name', () => {
    const p = ClusterProfile._fromJson('netpol.config.json', 'options.profile', {
      name: 'onprem', base: 'openshift', dnsPorts: [{ protocol: 'UDP', port: 5353 }, { port: 5353 }],
    });
    expect(p.dnsNamespace).toBe('openshift-dns');
    expect(p.dnsPorts.map(String)).toEqual(['UDP/5353', 'TCP/5353']);
    expect(ClusterProfile._fromJson('f', 'profile', 'aks')).toBe(ClusterProfile.AKS);
    expect(() => ClusterProfile._fromJson('f', 'profile', 'openshfit')).toThrow(/did you mean "openshift"/);
    expect(() => ClusterProfile._fromJson('f', 'profile', { name: 'x', dnsPorts: [{ protocol: 'UDP' }] })).toThrow(/set `port`/);
  });

  test('use() sets the profile of an app or chart; of() reads the nearest, a chart overriding its app', () => {
    const app = Testing.app();
    ClusterProfile.use(app, ClusterProfile.EKS);
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    ClusterProfile.use(b, ClusterProfile.OPENSHIFT);
    expect(ClusterProfile.of(a)).toBe(ClusterProfile.EKS);
    expect(ClusterProfile.of(b)).toBe(ClusterProfile.OPENSHIFT);
    expect(ClusterProfile.of(new Chart(Testing.app(), 'c'))).toBe(ClusterProfile.GENERIC);
    // setting the same again is harmless; another one is an error
    ClusterProfile.use(app, ClusterProfile.EKS);
    expect(() => ClusterProfile.use(app, ClusterProfile.AKS)).toThrow(/already uses profile "eks"/);
  });

  test('use() after constructs read the profile fails, so that no two policies disagree', () => {
    const chart = new Chart(Testing.app(), 'late');
    ClusterProfile.of(chart);
    expect(() => ClusterProfile.use(chart, ClusterProfile.GKE)).toThrow(/have already read the cluster profile/);
    expect(() => ClusterProfile.use(chart, { name: 'gke' } as any)).toThrow(/only looks like a ClusterProfile/);
    expect(() => ClusterProfile.use({} as any, ClusterProfile.GKE)).toThrow(/must be a construct/);
  });
});
