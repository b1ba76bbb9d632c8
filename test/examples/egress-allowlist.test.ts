import { DATABASE_SUBNET, EgressAllowlistChart, PARTNER_API_ADDRESSES } from '../../examples/charts/egress-allowlist';
import { Protocol } from '../../src';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, INTERNET, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

const ORDERS = { matchLabels: { app: 'orders' } };

describe('egress allowlist example (AllowEgressTo)', () => {
  test('an egress default deny, DNS, then one policy per destination: CIDRs, pods elsewhere, pods here', () => {
    const policies = synthPolicies(exampleChart(EgressAllowlistChart));
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'orders/deny-egress', 'orders/allow-dns', 'orders/to-database-subnet', 'orders/to-partner-api', 'orders/to-inventory-api', 'orders/to-cache',
    ]);
    expect(policyNamed(policies, 'deny-egress').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
    expect(policyNamed(policies, 'to-database-subnet').spec).toEqual({
      podSelector: ORDERS,
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: DATABASE_SUBNET } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    expect(policyNamed(policies, 'to-partner-api').spec.egress).toEqual([{
      to: PARTNER_API_ADDRESSES.map(cidr => ({ ipBlock: { cidr } })),
      ports: [{ protocol: 'TCP', port: 443 }],
    }]);
    expect(policyNamed(policies, 'to-inventory-api').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'inventory' } }, podSelector: { matchLabels: { app: 'inventory-api' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
    expect(policyNamed(policies, 'to-cache').spec.egress).toEqual([{
      to: [{ podSelector: { matchLabels: { app: 'cache' } } }],
      ports: [{ protocol: 'TCP', port: 6379 }],
    }]);
    for (const name of ['to-database-subnet', 'to-partner-api', 'to-inventory-api', 'to-cache']) {
      expect(policyNamed(policies, name).spec.podSelector).toEqual(ORDERS);
      expect(policyNamed(policies, name).spec.ingress).toBeUndefined();
    }
  });

  const world = worldOf(exampleChart(EgressAllowlistChart), [
    { ns: 'orders', name: 'orders' },
    { ns: 'orders', name: 'worker' },
    { ns: 'orders', name: 'cache', ports: [{ containerPort: 6379 }] },
    { ns: 'inventory', name: 'inventory-api', ports: [{ containerPort: 8080 }] },
    { ns: 'inventory', name: 'inventory-db', ports: [{ containerPort: 5432 }] },
  ]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('the orders pods reach exactly their four destinations, and DNS', () => {
    expect(world).toAllowTraffic({ from: 'orders/orders', to: '10.20.1.5', port: 5432 });
    expect(world).toAllowTraffic({ from: 'orders/orders', to: '203.0.113.10', port: 443 });
    expect(world).toAllowTraffic({ from: 'orders/orders', to: '203.0.113.11', port: 443 });
    expect(world).toAllowTraffic({ from: 'orders/orders', to: 'inventory/inventory-api', port: 8080 });
    expect(world).toAllowTraffic({ from: 'orders/orders', to: 'orders/cache', port: 6379 });
    expect(world).toAllowTraffic({ from: 'orders/orders', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
  });

  test('and nothing next to them: other ports, addresses, pods', () => {
    expect(world).toDenyTraffic({ from: 'orders/orders', to: '10.20.1.5', port: 22 });
    expect(world).toDenyTraffic({ from: 'orders/orders', to: '10.21.0.1', port: 5432 });
    expect(world).toDenyTraffic({ from: 'orders/orders', to: '203.0.113.12', port: 443 });
    expect(world).toDenyTraffic({ from: 'orders/orders', to: '203.0.113.10', port: 80 });
    expect(world).toDenyTraffic({ from: 'orders/orders', to: 'inventory/inventory-db', port: 5432 });
    expect(world).toDenyTraffic({ from: 'orders/orders', to: 'inventory/inventory-api', port: 6379 });
    expect(world).toDenyTraffic({ from: 'orders/orders', to: INTERNET, port: 443 });
  });

  test('the other pods of the namespace only resolve names', () => {
    expect(world).toAllowTraffic({ from: 'orders/worker', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
    expect(world).toDenyTraffic({ from: 'orders/worker', to: 'orders/cache', port: 6379 });
    expect(world).toDenyTraffic({ from: 'orders/worker', to: '10.20.1.5', port: 5432 });
    expect(world).toDenyTraffic({ from: 'orders/worker', to: 'inventory/inventory-api', port: 8080 });
  });
});
