import { App, Testing } from 'cdk8s';
import { CLUSTER, podObjects } from './cluster';
import { ShopChart } from '../../examples/charts/shop';
import { ClusterModel, ClusterProfile, ProbeKind, ProbePlan, Protocol } from '../../src';
import { pod } from '../fixtures/manifests';

/** The shop's workloads, as the engine names them. */
const SHOP = ['shop/frontend', 'shop/backend', 'shop/postgres', 'shop/migrations'];

/**
 * The flagship shop (NamespaceBaseline + TieredApp + the rest) synthesized for a cluster
 * profile, in the example cluster plus the profile's DNS pod (where it says DNS runs).
 */
function shopOn(profile: ClusterProfile): { app: App; world: any[]; dnsPod?: string } {
  const app = Testing.app();
  ClusterProfile.use(app, profile);
  const chart = new ShopChart(app, 'shop');
  const objects = [...chart.toJson(), ...podObjects(CLUSTER.filter(p => p.name !== 'coredns'))];
  let dnsPod: string | undefined;
  if (profile.dnsNamespace !== undefined) {
    dnsPod = `${profile.dnsNamespace}/dns`;
    objects.push(pod(profile.dnsNamespace, 'dns', profile.dnsPodLabels, {
      ports: profile.dnsPorts.map(p => ({ containerPort: p.number, protocol: p.protocol })),
    }));
  }
  return { app, world: objects, dnsPod };
}

describe.each(ClusterProfile.builtIns().map(p => [p.name, p] as const))('the flagship shop on %s', (_name, profile) => {
  const { app, world, dnsPod } = shopOn(profile);
  const addresses = [...profile.metadataAddresses, ...profile.dnsAddresses];
  const model = ClusterModel.fromObjects(world, { externalIps: [...new Set(addresses)] });
  const connectivity = model.connectivity();

  test('every workload resolves names: UDP and TCP, on the profile\'s DNS port, to each DNS target', () => {
    const targets = [...(dnsPod ? [dnsPod] : []), ...profile.dnsAddresses];
    expect(targets.length).toBeGreaterThan(0);
    const protocols = profile.dnsPorts.map(p => p.protocol).sort();
    expect(protocols).toEqual([Protocol.TCP, Protocol.UDP]);
    for (const from of SHOP) {
      for (const to of targets) {
        for (const port of profile.dnsPorts) {
          const verdict = model.allowed({ from, to, port: port.number!, protocol: port.protocol });
          if (!verdict.allowed) throw new Error(`${from} -> ${to} ${port} denied on ${profile.name}:\n${verdict.explanation}`);
        }
        // a port the profile does not name stays closed
        expect(model.allowed({ from, to, port: 8053, protocol: Protocol.UDP }).allowed).toBe(false);
      }
    }
  });

  test('the metadata endpoints are unreachable, except on the profile\'s documented exception ports', () => {
    for (const from of SHOP) {
      for (const address of profile.metadataAddresses) {
        const allowed = connectivity.allowed(from, address).toString();
        const exception = profile.metadataExceptions.find(e => e.address === address);
        // exactly the exception ports (every other port of every protocol is denied), or nothing
        expect(allowed).toBe(exception ? exception.ports.map(p => `${p.protocol} ${p.number}`).sort().join('; ') : 'No Connections');
      }
    }
  });

  test('the probe plan probes DNS from every egress-isolated workload, each probe expected allowed', () => {
    const plan = ProbePlan.fromObjects(world, { profile, maxFlows: 0 });
    const dns = plan.probes.filter(p => p.kind === ProbeKind.DNS);
    const targets = (dnsPod ? 1 : 0) + profile.dnsAddresses.length;
    expect(dns).toHaveLength(SHOP.length * targets * profile.dnsPorts.length);
    for (const p of dns) expect(p.expectAllowed).toBe(true);
    expect(new Set(dns.map(p => `${p.protocol}/${p.port}`))).toEqual(new Set(profile.dnsPorts.map(p => `${p.protocol}/${p.number}`)));
    // the metadata probe (TCP/80) stays expected denied, Cloud DNS included
    const metadata = plan.probes.filter(p => p.kind === ProbeKind.METADATA);
    expect(metadata.length).toBe(SHOP.length);
    for (const p of metadata) expect(p.expectAllowed).toBe(false);
    expect(app.charts).toHaveLength(1);
  });
});

describe('the flagship shop, on the platforms that differ from GENERIC', () => {
  test('on GKE with Cloud DNS, DNS goes to 169.254.169.254:53 and no kube-dns rule is written', () => {
    const { world } = shopOn(ClusterProfile.GKE_CLOUD_DNS);
    const dnsPolicy = world.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'baseline-allow-dns');
    expect(dnsPolicy.spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '169.254.169.254/32' } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });

  test('on OpenShift, DNS goes to the dns-default pods on 5353, which port 53 does not reach', () => {
    const { world } = shopOn(ClusterProfile.OPENSHIFT);
    const model = ClusterModel.fromObjects(world);
    expect(model.allowed({ from: 'shop/frontend', to: 'openshift-dns/dns', port: 5353, protocol: Protocol.UDP }).allowed).toBe(true);
    expect(model.allowed({ from: 'shop/frontend', to: 'openshift-dns/dns', port: 53, protocol: Protocol.UDP }).allowed).toBe(false);
  });

  test('GENERIC renders exactly what no profile renders', () => {
    const plain = new ShopChart(Testing.app(), 'shop').toJson();
    const app = Testing.app();
    ClusterProfile.use(app, ClusterProfile.GENERIC);
    expect(new ShopChart(app, 'shop').toJson()).toEqual(plain);
  });
});
