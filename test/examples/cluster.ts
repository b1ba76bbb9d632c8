import { App, Chart } from 'cdk8s';
import { buildApp } from '../../examples/app';
import { INGRESS_CONTROLLER_LABELS, PROMETHEUS_LABELS } from '../../examples/charts/shop';
import { ClusterModel, Protocol } from '../../src';
import { namespace, pod } from '../fixtures/manifests';

/**
 * The rest of the cluster the example charts run in, as bare Pods: the example apps ship
 * policies (and, in the flagship, workloads), not CoreDNS or the ingress controller.
 */
export interface PodFixture {
  readonly ns: string;
  readonly name: string;
  /** @default { app: name } */
  readonly labels?: { [key: string]: string };
  /** @default TCP 80 */
  readonly ports?: { name?: string; containerPort: number; protocol?: string }[];
  /** `status.podIP`; pods without one never match an ipBlock. */
  readonly ip?: string;
}

/** CoreDNS, as kubeadm and most distributions label it. */
export const COREDNS: PodFixture = {
  ns: 'kube-system',
  name: 'coredns',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }],
};

/** The ingress-nginx controller, and another pod of its namespace that is not the controller. */
export const INGRESS_CONTROLLER: PodFixture = { ns: 'ingress-nginx', name: 'controller', labels: INGRESS_CONTROLLER_LABELS };
export const INGRESS_DEFAULT_BACKEND: PodFixture = { ns: 'ingress-nginx', name: 'default-backend', labels: { 'app.kubernetes.io/name': 'default-backend' } };

/** Prometheus, and another pod of the monitoring namespace that is not a scraper. */
export const PROMETHEUS: PodFixture = { ns: 'monitoring', name: 'prometheus', labels: PROMETHEUS_LABELS, ports: [{ name: 'web', containerPort: 9090 }] };
export const GRAFANA: PodFixture = { ns: 'monitoring', name: 'grafana', labels: { 'app.kubernetes.io/name': 'grafana' }, ports: [{ name: 'http', containerPort: 3000 }] };

/** A pod in a namespace no example touches. */
export const OUTSIDER: PodFixture = { ns: 'elsewhere', name: 'outsider', ports: [{ containerPort: 8080 }] };

/** The pods every world starts with. */
export const CLUSTER: PodFixture[] = [COREDNS, INGRESS_CONTROLLER, INGRESS_DEFAULT_BACKEND, PROMETHEUS, GRAFANA, OUTSIDER];

/** A public address, the metadata endpoint, and a NodeLocal DNSCache address. */
export const INTERNET = '8.8.8.8';
export const METADATA = '169.254.169.254';

/** Pod objects for fixtures. */
export function podObjects(pods: PodFixture[]): any[] {
  return pods.map(p => pod(p.ns, p.name, p.labels ?? { app: p.name }, { ports: p.ports ?? [{ containerPort: 80 }], ip: p.ip }));
}

/** A Namespace object, for namespaces that exist in the cluster but not in the example. */
export const namespaceObject = namespace;

/**
 * What one chart synthesizes (validations included), in the cluster (`CLUSTER`), plus more
 * pods and objects.
 */
export function worldOf(chart: Chart, pods: PodFixture[] = [], objects: any[] = []): any[] {
  return [...chart.toJson(), ...podObjects([...CLUSTER, ...pods]), ...objects];
}

/** The chart of this class in a fresh example app. */
export function exampleChart<T extends Chart>(type: new (...args: any[]) => T): T {
  return chartOf(buildApp(), type);
}

/** The chart of this class in the app. */
export function chartOf<T extends Chart>(app: App, type: new (...args: any[]) => T): T {
  // `instanceof` would not do: cdk8s's Chart answers it for every chart (Symbol.hasInstance).
  const found = app.charts.filter((c): c is T => c.constructor === type);
  if (found.length !== 1) throw new Error(`expected one ${type.name} in the app, found ${found.length}`);
  return found[0];
}

/**
 * Checks the flow list against the one-connection evaluator: each listed flow is allowed at the
 * first and last port of each of its ranges (an address range is queried at its first address).
 */
export function expectListedFlowsAllowed(world: any[]): void {
  const model = ClusterModel.fromObjects(world);
  const list = model.connectivity();
  const address = (name: string) => (!name.includes('/') && name.includes('-') ? name.slice(0, name.indexOf('-')) : name);
  expect(list.connections.length).toBeGreaterThan(0);
  for (const c of list.connections) {
    for (const protocol of [Protocol.TCP, Protocol.UDP, Protocol.SCTP]) {
      for (const r of c.allowed.ranges(protocol)) {
        for (const port of [r.start, r.end]) {
          const verdict = model.allowed({ from: address(c.from), to: address(c.to), port, protocol });
          if (!verdict.allowed) throw new Error(`listed ${c.from} => ${c.to} : ${c.allowed}, but ${protocol}/${port} is denied:\n${verdict.explanation}`);
        }
      }
    }
  }
}
