import { TiersChart } from '../../examples/charts/tiers';
import { Protocol } from '../../src';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, INTERNET, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

const DNS_RULE = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

describe('frontend → backend → database example', () => {
  test('one policy per tier, each isolated both ways, selecting pods by their tier label', () => {
    const policies = synthPolicies(exampleChart(TiersChart));
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => p.metadata.name)).toEqual(['web-app-frontend', 'web-app-backend', 'web-app-database']);
    for (const p of policies) {
      expect(p.metadata.namespace).toBe('webapp');
      expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    }
    const tier = (name: string) => ({ podSelector: { matchLabels: { tier: name } } });

    const frontend = policyNamed(policies, 'web-app-frontend').spec;
    expect(frontend.podSelector).toEqual(tier('frontend').podSelector);
    expect(frontend.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(frontend.egress).toEqual([{ to: [tier('backend')], ports: [{ protocol: 'TCP', port: 9000 }] }, DNS_RULE]);

    const backend = policyNamed(policies, 'web-app-backend').spec;
    expect(backend.ingress).toEqual([{ from: [tier('frontend')], ports: [{ protocol: 'TCP', port: 9000 }] }]);
    expect(backend.egress).toEqual([{ to: [tier('database')], ports: [{ protocol: 'TCP', port: 5432 }] }, DNS_RULE]);

    const database = policyNamed(policies, 'web-app-database').spec;
    expect(database.ingress).toEqual([{ from: [tier('backend')], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    expect(database.egress).toEqual([DNS_RULE]);
  });

  const world = worldOf(exampleChart(TiersChart), [
    { ns: 'webapp', name: 'frontend', labels: { tier: 'frontend' }, ports: [{ containerPort: 8080 }] },
    { ns: 'webapp', name: 'backend', labels: { tier: 'backend' }, ports: [{ containerPort: 9000 }] },
    { ns: 'webapp', name: 'database', labels: { tier: 'database' }, ports: [{ containerPort: 5432 }] },
    { ns: 'webapp', name: 'debug', labels: { app: 'debug' } },
  ]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('every pod of ingress-nginx reaches the frontend, and nothing else does', () => {
    expect(world).toAllowTraffic({ from: 'ingress-nginx/controller', to: 'webapp/frontend', port: 8080 });
    expect(world).toAllowTraffic({ from: 'ingress-nginx/default-backend', to: 'webapp/frontend', port: 8080 });
    expect(world).toDenyTraffic({ from: 'ingress-nginx/controller', to: 'webapp/frontend', port: 9000 });
    expect(world).toDenyTraffic({ from: 'elsewhere/outsider', to: 'webapp/frontend', port: 8080 });
    expect(world).toDenyTraffic({ from: 'ingress-nginx/controller', to: 'webapp/backend', port: 9000 });
  });

  test('each tier reaches the next one on its port, and nothing skips or reverses', () => {
    expect(world).toAllowTraffic({ from: 'webapp/frontend', to: 'webapp/backend', port: 9000 });
    expect(world).toAllowTraffic({ from: 'webapp/backend', to: 'webapp/database', port: 5432 });
    expect(world).toDenyTraffic({ from: 'webapp/frontend', to: 'webapp/database', port: 5432 });
    expect(world).toDenyTraffic({ from: 'webapp/backend', to: 'webapp/frontend', port: 8080 });
    expect(world).toDenyTraffic({ from: 'webapp/database', to: 'webapp/backend', port: 9000 });
    // A pod that is no tier is not isolated, but no tier accepts it.
    expect(world).toDenyTraffic({ from: 'webapp/debug', to: 'webapp/database', port: 5432 });
  });

  test('every tier resolves names, and reaches nothing outside', () => {
    for (const tier of ['webapp/frontend', 'webapp/backend', 'webapp/database']) {
      expect(world).toAllowTraffic({ from: tier, to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
      expect(world).toDenyTraffic({ from: tier, to: INTERNET, port: 443 });
    }
  });
});
