import { App, Chart, Testing } from 'cdk8s';
import { ClusterModel, Protocol } from '../../src';
import { PolicyError } from '../../src/private/errors';
import { assertValidPolicies } from '../util';

/**
 * A small cluster to prove "never wider" with the connectivity engine: pods in the policy's
 * namespace (`shop`), in a monitoring namespace, in kube-system and elsewhere, plus external
 * addresses (the metadata endpoint included), asked about on a few ports of each protocol.
 */
export const NAMESPACE = 'shop';

const PODS: { ns: string; name: string; labels: { [key: string]: string }; nsLabels?: { [key: string]: string } }[] = [
  { ns: NAMESPACE, name: 'web', labels: { app: 'web', tier: 'frontend' } },
  { ns: NAMESPACE, name: 'api', labels: { app: 'api', tier: 'backend' } },
  { ns: 'monitoring', name: 'prometheus', labels: { app: 'prometheus' }, nsLabels: { team: 'obs' } },
  { ns: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' } },
  { ns: 'other', name: 'client', labels: { app: 'client' } },
];
const EXTERNAL = ['8.8.8.8', '169.254.169.254', '10.1.2.3'];
const QUERIES: [number, Protocol][] = [[22, Protocol.TCP], [80, Protocol.TCP], [8080, Protocol.TCP], [53, Protocol.UDP], [9899, Protocol.SCTP]];

/** The namespaces and pods of the world, as Kubernetes objects. */
export function worldObjects(): any[] {
  const namespaces = [...new Set(PODS.map(p => p.ns))].map(ns => ({
    apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: PODS.find(p => p.ns === ns)?.nsLabels ?? {} },
  }));
  const pods = PODS.map(p => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.ns, labels: p.labels },
    spec: { containers: [{ name: 'main', image: 'x', ports: [{ name: 'http', containerPort: 80 }, { name: 'metrics', containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }, { containerPort: 22 }, { containerPort: 9899, protocol: 'SCTP' }] }] },
  }));
  return [...namespaces, ...pods];
}

/** Every allowed connection of the world with these NetworkPolicies, as `from -> to proto/port`. */
export function allowedSet(policies: any[]): Set<string> {
  const model = ClusterModel.fromObjects([...worldObjects(), ...policies], { externalIps: EXTERNAL });
  const endpoints = [...PODS.map(p => `${p.ns}/${p.name}`), ...EXTERNAL];
  const out = new Set<string>();
  for (const from of endpoints) {
    for (const to of endpoints) {
      if (from === to) continue;
      for (const [port, protocol] of QUERIES) {
        if (model.isAllowed(from, to, port, protocol)) out.add(`${from} -> ${to} ${protocol}/${port}`);
      }
    }
  }
  return out;
}

/** The members of `a` that are not in `b` (what `a` allows beyond `b`). */
export function beyond(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter(x => !b.has(x)).sort();
}

/** A chart with the world's namespace, in a fresh app. */
export function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: NAMESPACE });
}

/**
 * The NetworkPolicies an app synthesizes, each checked with the API server's validation and the
 * Kubernetes schema; `undefined` when synthesis fails (a failure must be this library's error
 * or cdk8s's validation error, never a TypeError).
 */
export function synthOrFail(app: App): any[] | undefined {
  let objects: any[];
  try {
    objects = app.charts.flatMap(c => Testing.synth(c));
  } catch (e) {
    expectLibraryError(e);
    return undefined;
  }
  const policies = objects.filter(o => o.kind === 'NetworkPolicy');
  assertValidPolicies(policies);
  return policies;
}

/**
 * Asserts that `e` is an error this library (or cdk8s's validation of it) throws on purpose:
 * a `PolicyError`, or an `Error` whose message names a construct path or an API in brackets.
 * Never a `TypeError`, `RangeError` or `ReferenceError` from inside the library.
 */
export function expectLibraryError(e: unknown): asserts e is Error {
  if (!(e instanceof Error)) throw new Error(`expected an Error, got ${String(e)}`);
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError) {
    throw new Error(`expected a clear error from the library, got a raw ${e.name}: ${e.message}\n${e.stack}`);
  }
  if (e.name === 'LintInputError' || e.name === 'AnalysisInputError') return; // the analysis and lint input errors, with the field first
  if (!(e instanceof PolicyError) && !/^(\[[^\]]*\] |Validation failed with the following errors:\n {2}\[)/.test(e.message)) {
    throw new Error(`expected a PolicyError or an error naming where it happened, got ${e.name}: ${e.message}`);
  }
}
