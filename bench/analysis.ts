import { ClusterModel } from '../src';
import { plainPolicies } from './workload/plain';
import { DNS_NAMESPACE, DNS_POD_LABELS, ENTRY_NAMESPACE, NAMESPACE_NAME_LABEL, TIERS, TIER_LABEL, namespaceNames } from './workload/spec';

/**
 * The analysis workload: the synthesis workload's eight policies per namespace (as plain
 * objects, the same documents the generators print) plus Namespace objects and ten pods per
 * namespace: 4 frontend, 3 backend, 2 database and 1 batch pod without a tier. The ingress
 * controller and CoreDNS run as one pod each in `ingress-nginx` and `kube-system`, which have
 * no policies.
 *
 * Two pod flavours:
 * - without IPs (manifests as cdk8s synthesizes them): ipBlocks match no pod, and the pods of a
 *   tier are one shape, four shapes per namespace;
 * - with IPs (`status.podIP`, as read from a live cluster): the metadata policy's
 *   `0.0.0.0/0` ipBlock matches every pod (the default `ipBlockMatchesPodIps`, Calico's
 *   semantics). Pods are told apart by which ipBlocks contain their IP; here every pod's IP is
 *   in the same ones, so there are still four shapes per namespace, but every IP is read and
 *   tested, and the truth table has twice as many allowed pairs.
 */
export const POD_MIX: readonly { readonly tier?: string; readonly count: number; readonly port: number }[] = [
  { tier: TIERS[0].name, count: 4, port: TIERS[0].port },
  { tier: TIERS[1].name, count: 3, port: TIERS[1].port },
  { tier: TIERS[2].name, count: 2, port: TIERS[2].port },
  { tier: undefined, count: 1, port: 8000 },
];

export const PODS_PER_NAMESPACE = POD_MIX.reduce((sum, p) => sum + p.count, 0);

/** The port the truth table is computed for: the backend's, so that frontend → backend shows up. */
export const TRUTH_TABLE_PORT = TIERS[1].port;

function namespace(name: string): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [NAMESPACE_NAME_LABEL]: name } } };
}

function pod(ns: string, name: string, labels: { [key: string]: string }, port: number, ip?: string): any {
  const out: any = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels },
    spec: { containers: [{ name: 'main', image: 'registry.example/app:1', ports: [{ containerPort: port, protocol: 'TCP' }] }] },
  };
  if (ip !== undefined) out.status = { podIP: ip, podIPs: [{ ip }] };
  return out;
}

/** The `i`-th pod IP: 10.0.0.1, 10.0.0.2, ... */
function podIp(i: number): string {
  const v = i + 1;
  return `10.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

/** Every object of the organisation with `n` team namespaces. */
export function organisationObjects(n: number, withIps = false): any[] {
  let pods = 0;
  const ip = () => (withIps ? podIp(pods++) : undefined);
  const objects: any[] = [
    namespace(ENTRY_NAMESPACE),
    pod(ENTRY_NAMESPACE, 'controller', { 'app.kubernetes.io/name': 'ingress-nginx' }, 443, ip()),
    namespace(DNS_NAMESPACE),
    pod(DNS_NAMESPACE, 'coredns', { ...DNS_POD_LABELS }, 53, ip()),
  ];
  for (const ns of namespaceNames(n)) {
    objects.push(namespace(ns));
    for (const mix of POD_MIX) {
      for (let i = 0; i < mix.count; i++) {
        const name = `${mix.tier ?? 'batch'}-${i}`;
        objects.push(pod(ns, name, mix.tier ? { [TIER_LABEL]: mix.tier, app: 'shop' } : { app: 'batch' }, mix.port, ip()));
      }
    }
    objects.push(...plainPolicies(ns));
  }
  return objects;
}

/**
 * The number of allowed ordered pairs for TCP `TRUTH_TABLE_PORT`, worked out by hand: every
 * endpoint to itself; in each team namespace, each frontend pod to each backend pod (frontend
 * egress and backend ingress both allow it); and traffic into the two pods of the namespaces
 * without policies (they are not isolated for ingress). Without IPs, only those two pods reach
 * them (team pods' egress is isolated); with IPs, the metadata policy's `0.0.0.0/0` lets every
 * pod reach them. Team pods are isolated for ingress, so nothing else gets in.
 */
export function expectedAllowed(n: number, withIps = false): number {
  const endpoints = n * PODS_PER_NAMESPACE + 2;
  const intoUnisolated = withIps ? 2 * (endpoints - 1) : 2;
  return endpoints + n * POD_MIX[0].count * POD_MIX[1].count + intoUnisolated;
}

export interface AnalysisMeasurement {
  readonly namespaces: number;
  /** Whether pods carry IPs (see `organisationObjects`). */
  readonly withIps: boolean;
  readonly pods: number;
  readonly policies: number;
  /** `ClusterModel.fromObjects()`, ms. */
  readonly modelMs: number;
  /** `model.truthTable(port)`: shapes, selectors and the shape-pair table, ms. */
  readonly truthTableMs: number;
  /** `table.countAllowed()` over every ordered pod pair, ms (a check that the table is complete). */
  readonly countMs: number;
  readonly allowed: number;
  readonly expectedAllowed: number;
}

export interface LintMeasurement {
  readonly namespaces: number;
  readonly pods: number;
  readonly policies: number;
  /** `Linter.lintObjects()` over every object, ms. */
  readonly lintMs: number;
  readonly findings: number;
}

/**
 * Lints the organisation with `Linter.lintObjects` from src/lint (issue 5), if that exists:
 * it is loaded at run time so that the benchmarks build without it.
 */
export function runLint(n: number): LintMeasurement {
  let lint: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lint = require('../src/lint');
  } catch (e) {
    throw new Error(`netpol lint is not available (src/lint): ${(e as Error).message}`);
  }
  if (typeof lint?.Linter?.lintObjects !== 'function') throw new Error('netpol lint is not available: src/lint has no Linter.lintObjects(objects)');
  const objects = organisationObjects(n);
  const t0 = performance.now();
  const report = lint.Linter.lintObjects(objects);
  const lintMs = performance.now() - t0;
  return {
    namespaces: n,
    pods: objects.filter(o => o.kind === 'Pod').length,
    policies: objects.filter(o => o.kind === 'NetworkPolicy').length,
    lintMs,
    findings: Array.isArray(report?.findings) ? report.findings.length : -1,
  };
}

/** Builds the model and the full truth table for one port; objects are generated before timing. */
export function runAnalysis(n: number, withIps = false): AnalysisMeasurement {
  const objects = organisationObjects(n, withIps);
  const t0 = performance.now();
  const model = ClusterModel.fromObjects(objects);
  const t1 = performance.now();
  const table = model.truthTable(TRUTH_TABLE_PORT);
  const t2 = performance.now();
  const allowed = table.countAllowed();
  const t3 = performance.now();
  return {
    namespaces: n,
    withIps,
    pods: objects.filter(o => o.kind === 'Pod').length,
    policies: objects.filter(o => o.kind === 'NetworkPolicy').length,
    modelMs: t1 - t0,
    truthTableMs: t2 - t1,
    countMs: t3 - t2,
    allowed,
    expectedAllowed: expectedAllowed(n, withIps),
  };
}
