import { ClusterModel, ConnectivityDiff } from '../src';
import { POD_MIX, organisationObjects } from './analysis';
import { POLICIES_PER_NAMESPACE, TIERS, namespaceName } from './workload/spec';

/**
 * The all-ports connectivity benchmarks (issue 14) on the analysis organisation
 * (`organisationObjects`): `netpol list` (every allowed flow, every port, as text) and
 * `netpol diff` between the organisation and a copy with a share of its policies changed.
 */

/**
 * The number of flows `list` finds, worked out by hand. In each team namespace, each of the 10
 * pods reaches the 5 address ranges the metadata policy allows (3 IPv4, 2 IPv6: all but the
 * three metadata endpoints) and CoreDNS (TCP and UDP 53); 4 frontend pods reach 3 backend pods,
 * 3 backend pods 2 database pods, and the ingress controller the 4 frontend pods: 82 flows. With
 * pod IPs, `0.0.0.0/0` also matches the ingress controller's IP, which nothing isolates: 10 more.
 * The controller and CoreDNS (no policies) reach each other (2), and all 8 ranges both ways (32).
 */
export function expectedFlows(n: number, withIps = false): number {
  const perNamespace = POD_MIX.reduce((s, p) => s + p.count, 0) * 6 + POD_MIX[0].count * POD_MIX[1].count
    + POD_MIX[1].count * POD_MIX[2].count + POD_MIX[0].count;
  return (perNamespace + (withIps ? POD_MIX.reduce((s, p) => s + p.count, 0) : 0)) * n + 34;
}

/** How many namespaces get a changed policy for `percent` % of all policies (at least one). */
export function changedNamespaces(n: number, percent: number): number {
  return Math.max(1, Math.round((n * POLICIES_PER_NAMESPACE * percent) / 100));
}

/**
 * The organisation with `percent` % of its policies changed: in that many namespaces (spread
 * evenly), the frontend's ingress policy also opens the next port (TCP 8080-8081) to the ingress
 * controller, whose egress nothing isolates.
 */
export function changedOrganisationObjects(n: number, percent: number, withIps = false): any[] {
  const count = changedNamespaces(n, percent);
  const step = n / count;
  const changed = new Set(Array.from({ length: count }, (_, i) => namespaceName(Math.floor(i * step))));
  const port = TIERS[0].port;
  return organisationObjects(n, withIps).map(o => {
    if (o.kind !== 'NetworkPolicy' || o.metadata.name !== `${TIERS[0].name}-ingress` || !changed.has(o.metadata.namespace)) return o;
    const spec = JSON.parse(JSON.stringify(o.spec));
    spec.ingress[0].ports = [{ port, endPort: port + 1, protocol: 'TCP' }];
    return { ...o, spec };
  });
}

/** The flows the change alters: in each changed namespace, the ingress controller to each frontend pod. */
export function expectedChanges(n: number, percent: number): number {
  return changedNamespaces(n, percent) * POD_MIX[0].count;
}

/** A representative endpoint's name: `*` or a selector in braces in either part. */
const REPRESENTATIVE = /^(\*|\{)|\/(\*|\{)/;

export interface ListMeasurement {
  readonly namespaces: number;
  readonly withIps: boolean;
  readonly pods: number;
  readonly policies: number;
  /** `ClusterModel.fromObjects()`, ms. */
  readonly modelMs: number;
  /** `model.connectivity()`, ms. */
  readonly connectivityMs: number;
  /** `toText()`, what `netpol list` prints, ms. */
  readonly textMs: number;
  /** The flows between the input's own endpoints. */
  readonly flows: number;
  /** The flows with a representative endpoint (exposure, on by default). */
  readonly representativeFlows: number;
  readonly expectedFlows: number;
  readonly bytes: number;
}

/** Times `netpol list`'s work: read the objects, every flow on every port, the text. */
export function runList(n: number, withIps = false): ListMeasurement {
  const objects = organisationObjects(n, withIps);
  const t0 = performance.now();
  const model = ClusterModel.fromObjects(objects);
  const t1 = performance.now();
  const list = model.connectivity();
  const t2 = performance.now();
  const text = list.toText();
  const t3 = performance.now();
  return {
    namespaces: n,
    withIps,
    pods: objects.filter(o => o.kind === 'Pod').length,
    policies: objects.filter(o => o.kind === 'NetworkPolicy').length,
    modelMs: t1 - t0,
    connectivityMs: t2 - t1,
    textMs: t3 - t2,
    // the input's own flows (the hand count); the representative endpoints' flows besides
    flows: list.connections.filter(c => !REPRESENTATIVE.test(c.from) && !REPRESENTATIVE.test(c.to)).length,
    representativeFlows: list.connections.filter(c => REPRESENTATIVE.test(c.from) || REPRESENTATIVE.test(c.to)).length,
    expectedFlows: expectedFlows(n, withIps),
    bytes: text.length,
  };
}

export interface DiffMeasurement {
  readonly namespaces: number;
  readonly percent: number;
  readonly changedPolicies: number;
  /** Both `ClusterModel.fromObjects()`, ms. */
  readonly modelsMs: number;
  /** `ConnectivityDiff.betweenModels()` and its text, ms. */
  readonly diffMs: number;
  /** The changed flows between the input's own endpoints (the hand count). */
  readonly changes: number;
  /** The changed flows with a representative endpoint (exposure, on by default). */
  readonly representativeChanges: number;
  readonly expectedChanges: number;
}

/** Times `netpol diff`'s work: read both versions, the diff, its text. */
export function runDiff(n: number, percent: number): DiffMeasurement {
  const before = organisationObjects(n);
  const after = changedOrganisationObjects(n, percent);
  const t0 = performance.now();
  const a = ClusterModel.fromObjects(before);
  const b = ClusterModel.fromObjects(after);
  const t1 = performance.now();
  const diff = ConnectivityDiff.betweenModels(a, b);
  diff.toText();
  const t2 = performance.now();
  return {
    namespaces: n,
    percent,
    changedPolicies: changedNamespaces(n, percent),
    modelsMs: t1 - t0,
    diffMs: t2 - t1,
    changes: diff.changes.filter(c => !REPRESENTATIVE.test(c.from) && !REPRESENTATIVE.test(c.to)).length,
    representativeChanges: diff.changes.filter(c => REPRESENTATIVE.test(c.from) || REPRESENTATIVE.test(c.to)).length,
    expectedChanges: expectedChanges(n, percent),
  };
}
