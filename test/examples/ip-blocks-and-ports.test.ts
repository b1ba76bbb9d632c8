import { GUEST_WIFI_CIDR, IpBlocksAndPortsChart, NON_PUBLIC_CIDRS, OFFICE_CIDR, PARTNER_CIDR } from '../../examples/charts/ip-blocks-and-ports';
import { Protocol } from '../../src';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, INTERNET, METADATA, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

describe('ipBlock, port range and named port example', () => {
  test('an ipBlock with except and a named port, a port range, and egress to 0.0.0.0/0 minus private ranges', () => {
    const policies = synthPolicies(exampleChart(IpBlocksAndPortsChart));
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'edge/admin-from-office', 'edge/ftp-from-partner', 'edge/crawlers-to-internet',
    ]);

    expect(policyNamed(policies, 'admin-from-office').spec).toEqual({
      podSelector: { matchLabels: { app: 'admin' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: OFFICE_CIDR, except: [GUEST_WIFI_CIDR] } }], ports: [{ protocol: 'TCP', port: 'https' }] }],
    });
    expect(policyNamed(policies, 'ftp-from-partner').spec.ingress).toEqual([{
      from: [{ ipBlock: { cidr: PARTNER_CIDR } }],
      ports: [{ protocol: 'TCP', port: 21 }, { protocol: 'TCP', port: 30000, endPort: 30100 }],
    }]);
    expect(policyNamed(policies, 'crawlers-to-internet').spec).toEqual({
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['crawler', 'fetcher'] }] },
      policyTypes: ['Egress'],
      egress: [{
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NON_PUBLIC_CIDRS } }],
        ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 443 }],
      }],
    });
  });

  const world = worldOf(exampleChart(IpBlocksAndPortsChart), [
    { ns: 'edge', name: 'admin', ports: [{ name: 'https', containerPort: 8443 }, { name: 'debug', containerPort: 6060 }] },
    { ns: 'edge', name: 'ftp', ports: [{ name: 'ftp', containerPort: 21 }] },
    { ns: 'edge', name: 'crawler' },
    { ns: 'edge', name: 'fetcher' },
    { ns: 'edge', name: 'indexer' },
  ]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('the office reaches the admin console on its https port, the guest Wi-Fi does not', () => {
    expect(world).toAllowTraffic({ from: '198.51.100.10', to: 'edge/admin', port: 'https' });
    expect(world).toAllowTraffic({ from: '198.51.100.191', to: 'edge/admin', port: 8443 });
    expect(world).toDenyTraffic({ from: '198.51.100.200', to: 'edge/admin', port: 'https' });
    expect(world).toDenyTraffic({ from: '198.51.100.10', to: 'edge/admin', port: 6060 });
    expect(world).toDenyTraffic({ from: INTERNET, to: 'edge/admin', port: 8443 });
  });

  test('the partner reaches FTP on 21 and the whole passive range, both ends included', () => {
    for (const port of [21, 30000, 30050, 30100]) {
      expect(world).toAllowTraffic({ from: '192.0.2.7', to: 'edge/ftp', port });
    }
    expect(world).toDenyTraffic({ from: '192.0.2.7', to: 'edge/ftp', port: 29999 });
    expect(world).toDenyTraffic({ from: '192.0.2.7', to: 'edge/ftp', port: 30101 });
    expect(world).toDenyTraffic({ from: '192.0.2.7', to: 'edge/ftp', port: 30050, protocol: Protocol.UDP });
    expect(world).toDenyTraffic({ from: '192.0.3.7', to: 'edge/ftp', port: 21 });
  });

  test('the crawlers reach public addresses on HTTP and HTTPS, never private or link-local ones', () => {
    for (const crawler of ['edge/crawler', 'edge/fetcher']) {
      expect(world).toAllowTraffic({ from: crawler, to: INTERNET, port: 443 });
      expect(world).toAllowTraffic({ from: crawler, to: '93.184.216.34', port: 80 });
      expect(world).toDenyTraffic({ from: crawler, to: INTERNET, port: 22 });
      expect(world).toDenyTraffic({ from: crawler, to: '10.1.2.3', port: 443 });
      expect(world).toDenyTraffic({ from: crawler, to: '172.20.0.1', port: 443 });
      expect(world).toDenyTraffic({ from: crawler, to: '192.168.1.1', port: 80 });
      expect(world).toDenyTraffic({ from: crawler, to: METADATA, port: 80 });
    }
    // Not selected by the expression: not isolated for egress.
    expect(world).toAllowTraffic({ from: 'edge/indexer', to: '10.1.2.3', port: 443 });
  });
});
