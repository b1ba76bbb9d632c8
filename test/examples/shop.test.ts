import { buildApp } from '../../examples/app';
import { INGRESS_CONTROLLER_LABELS, PROMETHEUS_LABELS, ShopChart } from '../../examples/charts/shop';
import { ClusterModel, Protocol } from '../../src';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { chartOf, expectListedFlowsAllowed, INTERNET, METADATA, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

const NAME_LABEL = 'kubernetes.io/metadata.name';
const ADDRESS_LABEL = 'cdk8s.io/metadata.addr';
const DNS_RULE = {
  to: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

function shop() {
  const chart = chartOf(buildApp(), ShopChart);
  const objects = chart.toJson();
  const workload = (kind: string, name: string) => objects.find(o => o.kind === kind && o.metadata.name === name);
  /** The pod labels of a workload, as its pod template carries them. */
  const podLabels = (kind: string, name: string) => workload(kind, name).spec.template.metadata.labels;
  /** The selector of a workload's pods: cdk8s-plus's address label, from the pod template. */
  const selector = (kind: string, name: string) => ({ matchLabels: { [ADDRESS_LABEL]: podLabels(kind, name)[ADDRESS_LABEL] } });
  return { chart, objects, workload, podLabels, selector };
}

describe('the flagship example: the shop namespace', () => {
  test('synthesizes the baseline, one policy per tier, the scrape and the migrations pair', () => {
    const { chart } = shop();
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => p.metadata.name)).toEqual([
      'baseline-default-deny', 'baseline-allow-dns',
      'shop-frontend', 'shop-backend', 'shop-database',
      'allow-prometheus',
      'migrations-to-database', 'database-from-migrations',
    ]);
    for (const p of policies) expect(p.metadata.namespace).toBe('shop');
  });

  test('the baseline denies both ways, allows DNS to kube-dns, and leaves the metadata guarantee in place', () => {
    const policies = synthPolicies(shop().chart);
    expect(policyNamed(policies, 'baseline-default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policyNamed(policies, 'baseline-allow-dns').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [DNS_RULE] });
    // allowInternet is off: the guarantee emits no policy of its own.
    expect(policies.some(p => p.metadata.name.includes('metadata'))).toBe(false);
  });

  test('each tier selects its workload\'s own pods and reaches only the next tier', () => {
    const { chart, selector } = shop();
    const policies = synthPolicies(chart);
    const frontend = selector('Deployment', 'frontend');
    const backend = selector('Deployment', 'backend');
    const database = selector('StatefulSet', 'postgres');

    expect(policyNamed(policies, 'shop-frontend').spec).toEqual({
      podSelector: frontend,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'ingress-nginx' } }, podSelector: { matchLabels: INGRESS_CONTROLLER_LABELS } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
      egress: [{ to: [{ podSelector: backend }], ports: [{ protocol: 'TCP', port: 9000 }] }],
    });
    expect(policyNamed(policies, 'shop-backend').spec).toEqual({
      podSelector: backend,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: frontend }], ports: [{ protocol: 'TCP', port: 9000 }] }],
      egress: [{ to: [{ podSelector: database }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    // The last tier: egress isolated with no rule (the baseline's DNS rule is all it gets).
    expect(policyNamed(policies, 'shop-database').spec).toEqual({
      podSelector: database,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: backend }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
  });

  test('the selectors taken from cdk8s-plus match the labels of the pods it creates', () => {
    const { chart, workload, podLabels, selector } = shop();
    const policies = synthPolicies(chart);
    // What the policies select is what the workloads themselves select.
    expect(workload('Deployment', 'frontend').spec.selector).toEqual(selector('Deployment', 'frontend'));
    expect(workload('StatefulSet', 'postgres').spec.selector).toEqual(selector('StatefulSet', 'postgres'));
    const selects = (policy: string, labels: { [key: string]: string }) =>
      Object.entries(policyNamed(policies, policy).spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v);
    expect(selects('shop-frontend', podLabels('Deployment', 'frontend'))).toBe(true);
    expect(selects('shop-backend', podLabels('Deployment', 'backend'))).toBe(true);
    expect(selects('shop-database', podLabels('StatefulSet', 'postgres'))).toBe(true);
    expect(selects('migrations-to-database', podLabels('Job', 'migrations'))).toBe(true);
    expect(selects('shop-frontend', podLabels('Deployment', 'backend'))).toBe(false);
  });

  test('Prometheus scrapes the named metrics port of every pod', () => {
    const spec = policyNamed(synthPolicies(shop().chart), 'allow-prometheus').spec;
    expect(spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'monitoring' } }, podSelector: { matchLabels: PROMETHEUS_LABELS } }],
        ports: [{ protocol: 'TCP', port: 'metrics' }],
      }],
    });
  });

  test('the migrations pair uses the workloads\' peers, namespace included (Peer.fromPodSelector)', () => {
    const { chart, selector } = shop();
    const policies = synthPolicies(chart);
    const inShop = { namespaceSelector: { matchLabels: { [NAME_LABEL]: 'shop' } } };
    expect(policyNamed(policies, 'migrations-to-database').spec).toEqual({
      podSelector: selector('Job', 'migrations'),
      policyTypes: ['Egress'],
      egress: [{ to: [{ ...inShop, podSelector: selector('StatefulSet', 'postgres') }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    expect(policyNamed(policies, 'database-from-migrations').spec).toEqual({
      podSelector: selector('StatefulSet', 'postgres'),
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ...inShop, podSelector: selector('Job', 'migrations') }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
  });

  test('declares the shop namespace with its labels, without a namespace of its own', () => {
    const ns = shop().objects.find(o => o.kind === 'Namespace');
    expect(ns.metadata).toEqual({ name: 'shop', labels: { 'team': 'shop', 'pod-security.kubernetes.io/enforce': 'restricted' } });
  });
});

describe('the flagship example: the flows it means', () => {
  const world = worldOf(shop().chart);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
    // the shop's pods reach only DNS and the next tier, and nothing outside the cluster reaches them
    const shopFlows = ClusterModel.fromObjects(world).connectivity().filter({ from: 'shop' }).toText();
    expect(shopFlows).toBe([
      'shop/backend => kube-system/coredns : TCP 53; UDP 53',
      'shop/backend => shop/postgres : TCP 5432',
      'shop/frontend => kube-system/coredns : TCP 53; UDP 53',
      'shop/frontend => shop/backend : TCP 9000',
      'shop/migrations => kube-system/coredns : TCP 53; UDP 53',
      'shop/migrations => shop/postgres : TCP 5432',
      'shop/postgres => kube-system/coredns : TCP 53; UDP 53',
      // a new pod in shop without labels (the baseline's subject) gets DNS and nothing else
      'shop/* => kube-system/coredns : TCP 53; UDP 53',
      '',
    ].join('\n'));
  });

  test('the flows of pods the input does not contain: Prometheus and the ingress controller are representatives', () => {
    // the shop chart alone: its peers in other namespaces are representative endpoints
    const flows = ClusterModel.fromChart(shop().chart).connectivity();
    expect(flows.allowed('ingress-nginx/{app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx}', 'shop/frontend').toString()).toBe('TCP 8080');
    expect(flows.allowed('monitoring/{app.kubernetes.io/name=prometheus}', 'shop/backend').toString()).toBe('TCP 9090');
    // a new pod of the shop: its metrics port, whatever its number
    expect(flows.allowed('monitoring/{app.kubernetes.io/name=prometheus}', 'shop/*').toString()).toBe('TCP metrics');
    expect(flows.allowed('shop/*', 'kube-system/{k8s-app=kube-dns}').toString()).toBe('TCP 53; UDP 53');
    // the workloads' own selectors stand for pods the input has: no representative duplicates them
    expect(flows.endpoints.filter(e => e.startsWith('shop/'))).toEqual(['shop/backend', 'shop/frontend', 'shop/migrations', 'shop/postgres', 'shop/*']);
  });

  test('the ingress controller reaches the frontend, and nothing else does', () => {
    expect(world).toAllowTraffic({ from: 'ingress-nginx/controller', to: 'shop/frontend', port: 8080 });
    expect(world).toDenyTraffic({ from: 'ingress-nginx/default-backend', to: 'shop/frontend', port: 8080 });
    expect(world).toDenyTraffic({ from: 'elsewhere/outsider', to: 'shop/frontend', port: 8080 });
    expect(world).toDenyTraffic({ from: INTERNET, to: 'shop/frontend', port: 8080 });
    expect(world).toDenyTraffic({ from: 'ingress-nginx/controller', to: 'shop/frontend', port: 9090 });
    expect(world).toDenyTraffic({ from: 'ingress-nginx/controller', to: 'shop/backend', port: 9000 });
  });

  test('frontend → backend → database, one hop at a time, forwards only', () => {
    expect(world).toAllowTraffic({ from: 'shop/frontend', to: 'shop/backend', port: 9000 });
    expect(world).toAllowTraffic({ from: 'shop/backend', to: 'shop/postgres', port: 5432 });
    expect(world).toDenyTraffic({ from: 'shop/frontend', to: 'shop/postgres', port: 5432 });
    expect(world).toDenyTraffic({ from: 'shop/frontend', to: 'shop/backend', port: 9090 });
    expect(world).toDenyTraffic({ from: 'shop/backend', to: 'shop/frontend', port: 8080 });
    expect(world).toDenyTraffic({ from: 'shop/postgres', to: 'shop/backend', port: 9000 });
  });

  test('the migrations Job reaches the database and nothing else in the shop', () => {
    expect(world).toAllowTraffic({ from: 'shop/migrations', to: 'shop/postgres', port: 5432 });
    expect(world).toDenyTraffic({ from: 'shop/migrations', to: 'shop/backend', port: 9000 });
    expect(world).toDenyTraffic({ from: 'shop/frontend', to: 'shop/migrations', port: 80 });
  });

  test('Prometheus scrapes the metrics port of each workload, by name, whatever its number', () => {
    expect(world).toAllowTraffic({ from: 'monitoring/prometheus', to: 'shop/frontend', port: 'metrics' });
    expect(world).toAllowTraffic({ from: 'monitoring/prometheus', to: 'shop/backend', port: 9090 });
    expect(world).toAllowTraffic({ from: 'monitoring/prometheus', to: 'shop/postgres', port: 'metrics' });
    expect(world).toAllowTraffic({ from: 'monitoring/prometheus', to: 'shop/postgres', port: 9187 });
    expect(world).toDenyTraffic({ from: 'monitoring/prometheus', to: 'shop/postgres', port: 5432 });
    expect(world).toDenyTraffic({ from: 'monitoring/prometheus', to: 'shop/frontend', port: 8080 });
    expect(world).toDenyTraffic({ from: 'monitoring/grafana', to: 'shop/frontend', port: 'metrics' });
  });

  test('every workload resolves names through cluster DNS, and reaches nothing outside', () => {
    for (const workload of ['shop/frontend', 'shop/backend', 'shop/postgres', 'shop/migrations']) {
      expect(world).toAllowTraffic({ from: workload, to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
      expect(world).toAllowTraffic({ from: workload, to: 'kube-system/coredns', port: 53, protocol: Protocol.TCP });
      expect(world).toDenyTraffic({ from: workload, to: INTERNET, port: 443 });
      expect(world).toDenyTraffic({ from: workload, to: METADATA, port: 80 });
      expect(world).toDenyTraffic({ from: workload, to: 'elsewhere/outsider', port: 8080 });
    }
  });

  test('each allowed flow is allowed by the policy meant for it', () => {
    const model = ClusterModel.fromObjects(world);
    const entry = model.allowed({ from: 'ingress-nginx/controller', to: 'shop/frontend', port: 8080 });
    expect(entry.ingress.allowedBy.map(r => r.policy)).toEqual(['shop/shop-frontend']);
    const migrations = model.allowed({ from: 'shop/migrations', to: 'shop/postgres', port: 5432 });
    expect(migrations.egress.allowedBy.map(r => r.policy)).toEqual(['shop/migrations-to-database']);
    expect(migrations.ingress.allowedBy.map(r => r.policy)).toEqual(['shop/database-from-migrations']);
    const scrape = model.allowed({ from: 'monitoring/prometheus', to: 'shop/backend', portName: 'metrics' });
    expect(scrape.allowed).toBe(true);
  });
});
