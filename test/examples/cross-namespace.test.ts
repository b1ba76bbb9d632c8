import { CrossNamespaceChart } from '../../examples/charts/cross-namespace';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, namespaceObject, PodFixture, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

const byName = (namespace: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } });
const HTTPS_8443 = [{ protocol: 'TCP', port: 8443 }];

describe('cross-namespace example', () => {
  test('an ingress default deny for payments, then allows by name, by label, AND and OR', () => {
    const chart = exampleChart(CrossNamespaceChart);
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => p.metadata.name)).toEqual([
      'deny-ingress', 'api-from-checkout', 'ledger-from-finance', 'refunds-from-checkout-api', 'invoices-from-checkout-or-local-api',
    ]);
    for (const p of policies) {
      expect(p.metadata.namespace).toBe('payments');
      expect(p.spec.policyTypes).toEqual(['Ingress']);
    }
    expect(policyNamed(policies, 'deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });

    const api = policyNamed(policies, 'api-from-checkout').spec;
    expect(api.podSelector).toEqual({ matchLabels: { app: 'api' } });
    expect(api.ingress).toEqual([{ from: [byName('checkout')], ports: HTTPS_8443 }]);

    const ledger = policyNamed(policies, 'ledger-from-finance').spec;
    expect(ledger.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { team: 'finance' } } }], ports: HTTPS_8443 }]);
  });

  test('the AND form is one peer with both selectors; the OR form is two peers', () => {
    const policies = synthPolicies(exampleChart(CrossNamespaceChart));
    const and = policyNamed(policies, 'refunds-from-checkout-api').spec.ingress[0].from;
    expect(and).toEqual([{ ...byName('checkout'), podSelector: { matchLabels: { app: 'checkout-api' } } }]);
    const or = policyNamed(policies, 'invoices-from-checkout-or-local-api').spec.ingress[0].from;
    expect(or).toEqual([byName('checkout'), { podSelector: { matchLabels: { app: 'checkout-api' } } }]);
  });

  test('declares the namespaces with the labels the selectors match', () => {
    const namespaces = exampleChart(CrossNamespaceChart).toJson().filter(o => o.kind === 'Namespace').map(o => o.metadata);
    expect(namespaces).toEqual([
      { name: 'payments', labels: { team: 'payments' } },
      { name: 'checkout', labels: { team: 'shop' } },
      { name: 'reporting', labels: { team: 'finance' } },
      { name: 'audit', labels: { team: 'finance' } },
    ]);
  });

  const target = (name: string): PodFixture => ({ ns: 'payments', name, ports: [{ name: 'https', containerPort: 8443 }] });
  const world = worldOf(exampleChart(CrossNamespaceChart), [
    target('api'), target('ledger'), target('refunds'), target('invoices'),
    { ns: 'payments', name: 'checkout-api' },
    { ns: 'checkout', name: 'checkout-api' },
    { ns: 'checkout', name: 'cart' },
    { ns: 'reporting', name: 'reports' },
    { ns: 'audit', name: 'auditor' },
    { ns: 'treasury', name: 'cashflow' },
  ], [namespaceObject('treasury', { team: 'finance' })]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('by name: every pod of checkout reaches the api, on its port only', () => {
    expect(world).toAllowTraffic({ from: 'checkout/cart', to: 'payments/api', port: 8443 });
    expect(world).toAllowTraffic({ from: 'checkout/checkout-api', to: 'payments/api', port: 8443 });
    expect(world).toDenyTraffic({ from: 'checkout/cart', to: 'payments/api', port: 80 });
    expect(world).toDenyTraffic({ from: 'reporting/reports', to: 'payments/api', port: 8443 });
    expect(world).toDenyTraffic({ from: 'payments/checkout-api', to: 'payments/api', port: 8443 });
  });

  test('by label: every finance namespace reaches the ledger, one created later included', () => {
    expect(world).toAllowTraffic({ from: 'reporting/reports', to: 'payments/ledger', port: 8443 });
    expect(world).toAllowTraffic({ from: 'audit/auditor', to: 'payments/ledger', port: 8443 });
    expect(world).toAllowTraffic({ from: 'treasury/cashflow', to: 'payments/ledger', port: 8443 });
    expect(world).toDenyTraffic({ from: 'checkout/cart', to: 'payments/ledger', port: 8443 });
  });

  test('AND: only the checkout-api pods of checkout reach refunds', () => {
    expect(world).toAllowTraffic({ from: 'checkout/checkout-api', to: 'payments/refunds', port: 8443 });
    expect(world).toDenyTraffic({ from: 'checkout/cart', to: 'payments/refunds', port: 8443 });
    expect(world).toDenyTraffic({ from: 'payments/checkout-api', to: 'payments/refunds', port: 8443 });
  });

  test('OR: every pod of checkout, and the local checkout-api pods, reach invoices', () => {
    expect(world).toAllowTraffic({ from: 'checkout/checkout-api', to: 'payments/invoices', port: 8443 });
    expect(world).toAllowTraffic({ from: 'checkout/cart', to: 'payments/invoices', port: 8443 });
    expect(world).toAllowTraffic({ from: 'payments/checkout-api', to: 'payments/invoices', port: 8443 });
    expect(world).toDenyTraffic({ from: 'elsewhere/outsider', to: 'payments/invoices', port: 8443 });
    expect(world).toDenyTraffic({ from: 'payments/api', to: 'payments/invoices', port: 8443 });
  });
});
