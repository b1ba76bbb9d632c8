import { MonitoringChart } from '../../examples/charts/monitoring';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

describe('monitoring scrape example', () => {
  test('an ingress default deny, then the scrapers on a named port and on a numbered one', () => {
    const policies = synthPolicies(exampleChart(MonitoringChart));
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'metrics-demo/deny-ingress', 'metrics-demo/scrape-metrics-port', 'metrics-demo/scrape-redis-exporter',
    ]);
    expect(policyNamed(policies, 'scrape-metrics-port').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
        }],
        ports: [{ protocol: 'TCP', port: 'metrics' }],
      }],
    });
    expect(policyNamed(policies, 'scrape-redis-exporter').spec).toEqual({
      podSelector: { matchLabels: { app: 'redis' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports: [{ protocol: 'TCP', port: 9121 }] }],
    });
  });

  const world = worldOf(exampleChart(MonitoringChart), [
    { ns: 'metrics-demo', name: 'web', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }] },
    { ns: 'metrics-demo', name: 'redis', ports: [{ name: 'redis', containerPort: 6379 }, { name: 'exporter', containerPort: 9121 }] },
    { ns: 'observability', name: 'collector' },
  ]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('Prometheus reaches the port named metrics, whatever its number, and no other port', () => {
    expect(world).toAllowTraffic({ from: 'monitoring/prometheus', to: 'metrics-demo/web', port: 'metrics' });
    expect(world).toAllowTraffic({ from: 'monitoring/prometheus', to: 'metrics-demo/web', port: 9100 });
    expect(world).toDenyTraffic({ from: 'monitoring/prometheus', to: 'metrics-demo/web', port: 8080 });
    // redis has no port named metrics: the named port matches nothing there.
    expect(world).toDenyTraffic({ from: 'monitoring/prometheus', to: 'metrics-demo/redis', port: 9121 });
    expect(world).toDenyTraffic({ from: 'monitoring/grafana', to: 'metrics-demo/web', port: 'metrics' });
  });

  test('every pod of observability reaches the redis exporter on 9121, and nothing more', () => {
    expect(world).toAllowTraffic({ from: 'observability/collector', to: 'metrics-demo/redis', port: 9121 });
    expect(world).toDenyTraffic({ from: 'observability/collector', to: 'metrics-demo/redis', port: 6379 });
    expect(world).toDenyTraffic({ from: 'observability/collector', to: 'metrics-demo/web', port: 9100 });
    expect(world).toDenyTraffic({ from: 'elsewhere/outsider', to: 'metrics-demo/redis', port: 9121 });
  });
});
