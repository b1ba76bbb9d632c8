import { ExternalEgressChart } from '../../examples/charts/external-egress';
import { Protocol } from '../../src';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, INTERNET, METADATA, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

describe('external egress restriction example', () => {
  test('one egress policy: the private ranges and every pod of the cluster, on every port', () => {
    const policies = synthPolicies(exampleChart(ExternalEgressChart));
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies).toHaveLength(1);
    expect(policies[0].metadata).toEqual({ name: 'no-internet', namespace: 'internal-only' });
    expect(policies[0].spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [
          { ipBlock: { cidr: '10.0.0.0/8' } },
          { ipBlock: { cidr: '172.16.0.0/12' } },
          { ipBlock: { cidr: '192.168.0.0/16' } },
          { ipBlock: { cidr: 'fc00::/7', except: ['fd00:ec2::254/128'] } },
          { namespaceSelector: {} },
        ],
      }],
    });
  });

  const world = worldOf(exampleChart(ExternalEgressChart), [{ ns: 'internal-only', name: 'app' }]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('private addresses and cluster pods are reachable, on any port', () => {
    expect(world).toAllowTraffic({ from: 'internal-only/app', to: '10.20.1.5', port: 5432 });
    expect(world).toAllowTraffic({ from: 'internal-only/app', to: '172.31.255.254', port: 443 });
    expect(world).toAllowTraffic({ from: 'internal-only/app', to: '192.168.0.1', port: 53, protocol: Protocol.UDP });
    expect(world).toAllowTraffic({ from: 'internal-only/app', to: 'fd12:3456::1', port: 443 });
    expect(world).toAllowTraffic({ from: 'internal-only/app', to: 'elsewhere/outsider', port: 8080 });
    expect(world).toAllowTraffic({ from: 'internal-only/app', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
  });

  test('public addresses and the link-local metadata endpoint are not', () => {
    expect(world).toDenyTraffic({ from: 'internal-only/app', to: INTERNET, port: 443 });
    expect(world).toDenyTraffic({ from: 'internal-only/app', to: '172.32.0.1', port: 443 });
    expect(world).toDenyTraffic({ from: 'internal-only/app', to: '2001:db8::1', port: 443 });
    expect(world).toDenyTraffic({ from: 'internal-only/app', to: METADATA, port: 80 });
    expect(world).toDenyTraffic({ from: 'internal-only/app', to: 'fd00:ec2::254', port: 80 });
  });

  test('ingress is left alone', () => {
    expect(world).toAllowTraffic({ from: 'elsewhere/outsider', to: 'internal-only/app', port: 80 });
  });
});
