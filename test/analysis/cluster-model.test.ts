import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { ClusterModel } from '../../src/analysis';
import { Protocol } from '../../src/port';
import { pod, podTemplate, policy } from '../fixtures/manifests';

const template = podTemplate;
const netpol = policy;

describe('ClusterModel | reading objects', () => {
  test('workloads stand for their pods under their own name, with the pod template labels and ports', () => {
    // GIVEN one of each workload kind
    const objects = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 3, template: template({ app: 'web' }, [{ containerPort: 8080, name: 'http' }]) } },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: { template: template({ app: 'db' }) } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'ops' }, spec: { template: template({ app: 'agent' }) } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'ops' }, spec: { template: template({ app: 'rs' }) } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' }, spec: { template: template({ app: 'migrate' }) } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop' }, spec: { jobTemplate: { spec: { template: template({ app: 'report' }, [{ containerPort: 53, protocol: 'UDP' }]) } } } },
    ];

    // WHEN
    const model = ClusterModel.fromObjects(objects);

    // THEN
    expect(model.endpoints.map(e => `${e.name} ${e.kind}`)).toEqual([
      'ops/agent DaemonSet', 'ops/rs ReplicaSet',
      'shop/db StatefulSet', 'shop/migrate Job', 'shop/report CronJob', 'shop/web Deployment',
    ]);
    expect(model.findEndpoint('shop/web')).toEqual({
      name: 'shop/web',
      kind: 'Deployment',
      namespace: 'shop',
      labels: { app: 'web' },
      ports: [{ port: 8080, protocol: Protocol.TCP, name: 'http' }],
      ips: [],
      external: false,
    });
    expect(model.findEndpoint('shop/report')?.ports).toEqual([{ port: 53, protocol: Protocol.UDP }]);
  });

  test('a workload is selected through its pod template labels', () => {
    const model = ClusterModel.fromObjects([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: template({ app: 'web' }) } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'db', namespace: 'shop' }, spec: { template: template({ app: 'db' }) } },
      netpol('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
    ]);
    expect(model.isAllowed('shop/web', 'shop/db', 5432)).toBe(true);
    expect(model.isAllowed('shop/db', 'shop/db', 5432)).toBe(true); // self-traffic
    expect(model.allowed({ from: 'shop/db', to: 'shop/db', port: 5432 }).ingress.allowed).toBe(false);
  });

  test('namespaces referenced but not declared exist with only their name label', () => {
    const model = ClusterModel.fromObjects([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', labels: { 'env': 'prod', 'kubernetes.io/metadata.name': 'spoofed' } } },
      pod('shop', 'web'),
      netpol('policies-only', 'p', { podSelector: {} }),
    ]);
    expect(model.namespaces).toEqual(['policies-only', 'prod', 'shop']);
    expect(model.namespaceLabels('prod')).toEqual({ 'env': 'prod', 'kubernetes.io/metadata.name': 'prod' });
    expect(model.namespaceLabels('shop')).toEqual({ 'kubernetes.io/metadata.name': 'shop' });
    expect(model.namespaceLabels('nope')).toBeUndefined();
  });

  test('objects without a namespace go to the defaultNamespace option', () => {
    const objects = [pod(undefined, 'a'), netpol(undefined as any, 'deny', { podSelector: {} })];
    expect(ClusterModel.fromObjects(objects).endpoints.map(e => e.name)).toEqual(['default/a']);
    expect(ClusterModel.fromObjects(objects).policies).toEqual(['default/deny']);
    const model = ClusterModel.fromObjects(objects, { defaultNamespace: 'team' });
    expect(model.endpoints.map(e => e.name)).toEqual(['team/a']);
    // a bare name in a query is looked up in the default namespace
    expect(model.allowed({ from: '10.1.1.1', to: 'a', port: 80 }).to).toBe('team/a');
  });

  test('List objects are flattened; other kinds and non-Kubernetes NetworkPolicies are ignored', () => {
    const model = ClusterModel.fromObjects([
      { apiVersion: 'v1', kind: 'List', items: [pod('x', 'a'), pod('x', 'b')] },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'x' } },
      { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'calico', namespace: 'x' }, spec: { selector: 'all()' } },
      null,
    ]);
    expect(model.endpoints.map(e => e.name)).toEqual(['x/a', 'x/b']);
    expect(model.policies).toEqual([]);
  });

  test('objects of different kinds with the same name are named namespace/kind/name', () => {
    const model = ClusterModel.fromObjects([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'x' }, spec: { template: template({ app: 'web' }) } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'web', namespace: 'x' }, spec: { template: template({ app: 'web-job' }) } },
      pod('x', 'solo'),
    ]);
    expect(model.endpoints.map(e => e.name)).toEqual(['x/deployment/web', 'x/job/web', 'x/solo']);
    // the long form is accepted for every endpoint
    expect(model.findEndpoint('x/pod/solo')?.name).toBe('x/solo');
    expect(model.findEndpoint('x/web')).toBeUndefined();
  });

  test('pod IPs are read from status.podIP and status.podIPs', () => {
    const model = ClusterModel.fromObjects([
      { ...pod('x', 'a'), status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] } },
    ]);
    expect(model.findEndpoint('x/a')?.ips).toEqual(['10.0.0.1', 'fd00::1']);
    // a query by IP resolves to the pod
    expect(model.allowed({ from: 'fd00::1', to: '10.0.0.1', port: 80 }).from).toBe('x/a');
  });

  test('replicas with the same labels are told apart by their IPs when a policy ipBlock splits them', () => {
    const replicas = Array.from({ length: 6 }, (_, i) => ({ ...pod('shop', `web-${i}`, { app: 'web' }), status: { podIP: `10.0.0.${i + 1}` } }));
    const model = ClusterModel.fromObjects([
      ...replicas,
      pod('shop', 'db', { app: 'db' }),
      netpol('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/30', except: ['10.0.0.2/32'] } }] }] }),
    ]);
    const table = model.truthTable(5432);
    // 10.0.0.0/30 minus .2: replicas 0 (.1) and 2 (.3) only
    expect(replicas.map(r => table.isAllowed(`shop/${r.metadata.name}`, 'shop/db'))).toEqual([true, false, true, false, false, false]);
    expect(replicas.map(r => model.allowed({ from: `shop/${r.metadata.name}`, to: 'shop/db', port: 5432 }).allowed)).toEqual([true, false, true, false, false, false]);
  });

  test('external IPs of the options become endpoints after the pods', () => {
    const model = ClusterModel.fromObjects([pod('x', 'a')], { externalIps: ['203.0.113.9', '2001:db8::1'] });
    expect(model.endpoints.map(e => [e.name, e.kind, e.external])).toEqual([
      ['x/a', 'Pod', false], ['203.0.113.9', 'External', true], ['2001:db8::1', 'External', true],
    ]);
  });

  test('fromChart and fromApp read what cdk8s synthesizes', () => {
    // GIVEN two charts
    const app = Testing.app();
    const web = new Chart(app, 'web');
    web.toJson = () => [pod('x', 'a')];
    const db = new Chart(app, 'db');
    db.toJson = () => [pod('y', 'b'), netpol('y', 'deny', { podSelector: {} })];

    // THEN
    expect(ClusterModel.fromChart(web).endpoints.map(e => e.name)).toEqual(['x/a']);
    const model = ClusterModel.fromApp(app);
    expect(model.endpoints.map(e => e.name)).toEqual(['x/a', 'y/b']);
    expect(model.isAllowed('x/a', 'y/b', 80)).toBe(false);
  });

  test('fromChart synthesizes a real chart', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    new ApiObject(chart, 'pod', pod(undefined, 'web', { app: 'web' }));
    const model = ClusterModel.fromChart(chart);
    expect(model.endpoints.map(e => e.name)).toEqual(['shop/web']);
  });
});

describe('ClusterModel | input errors', () => {
  test('throws for objects without a name', () => {
    expect(() => ClusterModel.fromObjects([{ kind: 'Pod', metadata: { namespace: 'x' } }])).toThrow('Pod in namespace x: metadata.name: Required value');
  });

  test('throws for a policy defined twice', () => {
    const p = netpol('x', 'p', { podSelector: {} });
    expect(() => ClusterModel.fromObjects([p, p])).toThrow('NetworkPolicy x/p is defined more than once');
  });

  test('throws for two workloads of one kind and name', () => {
    expect(() => ClusterModel.fromObjects([pod('x', 'a'), pod('x', 'a')])).toThrow('Pod x/a is defined more than once');
  });

  test('throws for an invalid container port', () => {
    expect(() => ClusterModel.fromObjects([pod('x', 'a', {}, { ports: [{ containerPort: 0 }] })]))
      .toThrow('Pod x/a: containers[0].ports[0].containerPort: Invalid value: 0: must be between 1 and 65535, inclusive');
  });

  test('throws for an invalid pod IP or external IP', () => {
    expect(() => ClusterModel.fromObjects([{ ...pod('x', 'a'), status: { podIP: '10.0.0.300' } }])).toThrow(/status.podIP: Invalid value: "10.0.0.300"/);
    expect(() => ClusterModel.fromObjects([], { externalIps: ['example.com'] })).toThrow(/externalIps: Invalid value: "example.com"/);
  });

  test('throws when the objects are not an array', () => {
    expect(() => ClusterModel.fromObjects({} as any)).toThrow(/must be an array/);
  });
});

describe('ClusterModel | arguments', () => {
  test('throws if an option is unknown, of the wrong type, or null', () => {
    expect(() => ClusterModel.fromObjects([], { ipBlockMatchesPodIp: false } as any)).toThrow(/options\.ipBlockMatchesPodIp: unknown prop .*did you mean `ipBlockMatchesPodIps`/);
    expect(() => ClusterModel.fromObjects([], { selfTraffic: 'allow' } as any)).toThrow(/options\.selfTraffic: "allow": .*ALLOW/);
    expect(() => ClusterModel.fromObjects([], { ipBlockMatchesPodIps: null } as any)).toThrow(/options\.ipBlockMatchesPodIps: null: must be true or false/);
    expect(() => ClusterModel.fromObjects([], { defaultNamespace: 'Shop' })).toThrow(/options\.defaultNamespace: "Shop": is not a namespace name/);
  });

  test('throws if the chart or app is not one', () => {
    expect(() => ClusterModel.fromChart({} as any)).toThrow(/\[ClusterModel\.fromChart\] chart: .*must be a cdk8s Chart/);
    expect(() => ClusterModel.fromApp(undefined as any)).toThrow(/\[ClusterModel\.fromApp\] app: undefined: must be a cdk8s App/);
  });
});
