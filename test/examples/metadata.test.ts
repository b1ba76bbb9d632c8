import { MetadataChart } from '../../examples/charts/metadata';
import { Peer, Policy, Port, Protocol } from '../../src';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, INTERNET, METADATA, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

describe('metadata blocking example', () => {
  test('the default mode emits "everything but metadata"; the guarantee-only mode emits nothing', () => {
    const policies = synthPolicies(exampleChart(MetadataChart));
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'metadata-open/block-metadata', 'metadata-open/allow-dns',
      'metadata-guarded/guarded-allow-dns', 'metadata-guarded/guarded-https-everywhere',
    ]);
    expect(policyNamed(policies, 'block-metadata').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [
          { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '100.100.100.200/32'] } },
          { ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128'] } },
        ],
      }],
    });
    expect(policyNamed(policies, 'guarded-https-everywhere').spec.egress).toEqual([{
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '100.100.100.200/32'] } }],
      ports: [{ protocol: 'TCP', port: 443 }],
    }]);
  });

  test('the guarantee fails synthesis when a policy in a guarded namespace opens a metadata endpoint', () => {
    const chart = exampleChart(MetadataChart);
    new Policy(chart, 'Leaky', { namespace: 'metadata-guarded', egress: [{ to: [Peer.anyIpv4()], ports: [Port.HTTP] }] });
    expect(() => chart.toJson()).toThrow(
      /BlockMetadata: NetworkPolicy metadata-guarded\/leaky \(metadata\/Leaky\) spec\.egress\[0\]\.to\[0\] ipBlock 0\.0\.0\.0\/0 covers 169\.254\.169\.254\/32, 100\.100\.100\.200\/32 without excepting it/,
    );
  });

  test('the guarantee holds in the default mode too: a rule with no `to` is refused', () => {
    const chart = exampleChart(MetadataChart);
    new Policy(chart, 'Anywhere', { namespace: 'metadata-open', egress: [{ to: [Peer.anywhere()], ports: [Port.HTTPS] }] });
    expect(() => chart.toJson()).toThrow(/NetworkPolicy metadata-open\/anywhere .* has no `to`, so it allows every address/);
  });

  const world = worldOf(exampleChart(MetadataChart), [
    { ns: 'metadata-open', name: 'app' },
    { ns: 'metadata-guarded', name: 'app' },
    { ns: 'web', name: 'server', ip: '10.244.1.7' },
  ]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('metadata-open: every address but the metadata endpoints, on every port', () => {
    expect(world).toAllowTraffic({ from: 'metadata-open/app', to: INTERNET, port: 443 });
    expect(world).toAllowTraffic({ from: 'metadata-open/app', to: INTERNET, port: 5000, protocol: Protocol.UDP });
    expect(world).toAllowTraffic({ from: 'metadata-open/app', to: '2001:db8::1', port: 443 });
    expect(world).toDenyTraffic({ from: 'metadata-open/app', to: METADATA, port: 80 });
    expect(world).toDenyTraffic({ from: 'metadata-open/app', to: '100.100.100.200', port: 80 });
    expect(world).toDenyTraffic({ from: 'metadata-open/app', to: 'fd00:ec2::254', port: 80 });
  });

  test('metadata-open: pods are reached through 0.0.0.0/0 only where ipBlocks match pod IPs; DNS always', () => {
    // Calico (and the upstream conformance tests) match pod IPs with ipBlocks.
    expect(world).toAllowTraffic({ from: 'metadata-open/app', to: 'web/server', port: 80 }, { ipBlockMatchesPodIps: true });
    // Cilium does not: the explicit DNS policy is what keeps name resolution working there.
    expect(world).toDenyTraffic({ from: 'metadata-open/app', to: 'web/server', port: 80 }, { ipBlockMatchesPodIps: false });
    expect(world).toAllowTraffic({ from: 'metadata-open/app', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP }, { ipBlockMatchesPodIps: false });
  });

  test('metadata-guarded: HTTPS to every IPv4 address but the endpoints, and DNS', () => {
    expect(world).toAllowTraffic({ from: 'metadata-guarded/app', to: INTERNET, port: 443 });
    expect(world).toDenyTraffic({ from: 'metadata-guarded/app', to: INTERNET, port: 80 });
    expect(world).toDenyTraffic({ from: 'metadata-guarded/app', to: METADATA, port: 443 });
    expect(world).toDenyTraffic({ from: 'metadata-guarded/app', to: '100.100.100.200', port: 443 });
    expect(world).toAllowTraffic({ from: 'metadata-guarded/app', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
  });
});
