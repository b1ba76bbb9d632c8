/**
 * Witness pods for policy containment (`policy-containment.ts`): pods a peer selects that may
 * lie outside the input (in namespaces, or with labels, the input does not have). A policy that
 * allows such a peer has an effect unless the other policies also allow every witness.
 *
 * For each peer, witnesses are built from label values that decide selector outcomes: for each
 * key a selector tests, "absent", each value mentioned by the selectors involved, and one fresh
 * value. The first (smallest) labelling that satisfies the peer's selectors is the main witness;
 * variants then change one key at a time to the values the other policies' selectors test.
 */
import { ClusterQueries, NamespaceView, WitnessPod } from './cluster-queries';
import { NAMESPACE_NAME_LABEL } from '../constants';
import { ParsedPolicy, PolicyPeer } from '../model/network-policy';
import { Selector, labelValue, namespacesNamed } from '../model/selector';
import { Protocol } from '../port';

/** The most labellings enumerated for one selector before giving up. */
const MAX_COMBINATIONS = 4096;

/** The name of the namespace that stands for namespaces outside the input. */
export const WITNESS_NAMESPACE = 'netpol-lint-witness';

/** Key to the values the other policies' selectors test. */
export type KeyValues = ReadonlyMap<string, ReadonlySet<string>>;

/** The keys and values a set of selectors test. */
export function keyValues(selectors: readonly Selector[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of selectors) {
    for (const r of s.requirements) {
      const values = out.get(r.key) ?? new Set<string>();
      r.values.forEach(v => values.add(v));
      out.set(r.key, values);
    }
  }
  return out;
}

/**
 * Labellings that satisfy the selector: the smallest first, then one-key variants over
 * `others`; `undefined` when there are too many combinations to search, `[]` when none
 * satisfies the selector.
 */
export function labellings(
  selector: Selector | undefined,
  fixed: Readonly<Record<string, string>>,
  others: KeyValues,
): Record<string, string>[] | undefined {
  const requirements = selector?.requirements ?? [];
  const keys = [...new Set(requirements.map(r => r.key))].filter(k => labelValue(fixed, k) === undefined).sort();
  const candidates = keys.map(k => candidateValues(k, requirements.filter(r => r.key === k).flatMap(r => r.values), new Map()));
  if (candidates.reduce((n, c) => n * c.length, 1) > MAX_COMBINATIONS) return undefined;
  const matches = (labels: Record<string, string>) => !selector || selector.matches(labels);

  let base: Record<string, string> | undefined;
  const choice = new Array(keys.length).fill(0);
  for (;;) {
    const labels: Record<string, string> = { ...fixed };
    keys.forEach((k, i) => {
      const v = candidates[i][choice[i]];
      if (v !== undefined) labels[k] = v;
    });
    if (matches(labels)) {
      base = labels;
      break;
    }
    let i = keys.length - 1;
    while (i >= 0 && ++choice[i] === candidates[i].length) choice[i--] = 0;
    if (i < 0) break;
  }
  if (!base) return [];

  const out = [base];
  const seen = new Set([canonical(base)]);
  for (const [key, values] of others) {
    if (labelValue(fixed, key) !== undefined) continue;
    for (const v of candidateValues(key, [...values], new Map())) {
      const labels = { ...base };
      if (v === undefined) delete labels[key];
      else labels[key] = v;
      const id = canonical(labels);
      if (seen.has(id) || !matches(labels)) continue;
      seen.add(id);
      out.push(labels);
    }
  }
  return out;
}

/** Absent, the mentioned values, and a value no selector mentions. */
function candidateValues(key: string, mentioned: readonly string[], others: KeyValues): (string | undefined)[] {
  const values = [...new Set([...mentioned, ...(others.get(key) ?? [])])].sort();
  let fresh = 'netpol-lint-x';
  while (values.includes(fresh)) fresh += 'x';
  return [undefined, ...values, fresh];
}

function canonical(labels: Record<string, string>): string {
  return JSON.stringify(Object.keys(labels).sort().map(k => [k, labels[k]]));
}

/** The namespaces (name and labels) a peer's pods may live in, outside the input included. */
function witnessNamespaces(
  ctx: ClusterQueries,
  policy: ParsedPolicy,
  peer: PolicyPeer,
  others: KeyValues,
): { name: string; labels: Record<string, string> }[] | undefined {
  const labelsOf = (ns: NamespaceView | undefined, name: string) => ns ? { ...ns.labels } : { [NAMESPACE_NAME_LABEL]: name };
  const selector = peer.namespaceSelector;
  if (!selector) return [{ name: policy.namespace, labels: labelsOf(ctx.namespace(policy.namespace), policy.namespace) }];
  const out: { name: string; labels: Record<string, string> }[] = [];
  // namespaces of the input the selector matches (they may have pods the input does not show), one
  // of each kind the other rules can tell apart: by the labels they test, and being the policy's own
  const kinds = new Set<string>();
  for (const ns of ctx.namespacesMatching(selector)) {
    const kind = JSON.stringify([ns.name === policy.namespace, ...[...others.keys()].sort().map(k => labelValue(ns.labels, k) ?? null)]);
    if (kinds.has(kind)) continue;
    kinds.add(kind);
    out.push({ name: ns.name, labels: { ...ns.labels } });
  }
  // namespaces it names that the input does not declare
  for (const name of namespacesNamed(selector) ?? []) {
    const known = ctx.namespace(name);
    if (known?.ref) continue;
    const found = labellings(selector, { [NAMESPACE_NAME_LABEL]: name }, others);
    if (found === undefined) return undefined;
    for (const labels of found) if (!out.some(o => o.name === name && canonical(o.labels) === canonical(labels))) out.push({ name, labels });
  }
  // any other namespace with the labels it wants
  if (namespacesNamed(selector) === undefined) {
    const found = labellings(selector, { [NAMESPACE_NAME_LABEL]: WITNESS_NAMESPACE }, others);
    if (found === undefined) return undefined;
    for (const labels of found) out.push({ name: WITNESS_NAMESPACE, labels });
  }
  return out;
}

/**
 * The witness pods of one selector peer of a policy; `undefined` when a selector is too complex
 * to search (the caller must then assume the policy has an effect).
 *
 * @param others the keys and values the other policies' selectors test, on pods and on namespaces
 */
export function witnessPods(
  ctx: ClusterQueries,
  policy: ParsedPolicy,
  peer: PolicyPeer,
  others: { pods: KeyValues; namespaces: KeyValues },
  ports: WitnessPod['ports'],
): WitnessPod[] | undefined {
  if (peer.ipBlock) return [];
  const namespaces = witnessNamespaces(ctx, policy, peer, others.namespaces);
  if (namespaces === undefined) return undefined;
  const labels = labellings(peer.podSelector, {}, others.pods);
  if (labels === undefined) return undefined;
  return namespaces.flatMap(ns => labels.map(l => ({ namespace: ns.name, namespaceLabels: ns.labels, labels: l, ports })));
}

/**
 * Container ports for witnesses: one per named port the rules use, numbered so that no
 * numeric port entry covers it (a named port then matches only what allows it by name, or
 * every port).
 */
export function witnessPorts(entries: readonly { protocol: Protocol; port?: number; endPort?: number; name?: string }[]): WitnessPod['ports'] {
  const covered = (n: number) => entries.some(e => e.port !== undefined && n >= e.port && n <= (e.endPort ?? e.port));
  const named = [...new Map(entries.filter(e => e.name !== undefined).map(e => [`${e.name}/${e.protocol}`, e])).values()];
  const out: { port: number; protocol: Protocol; name: string }[] = [];
  let next = 65535;
  for (const e of named) {
    while (next > 1 && (covered(next) || out.some(o => o.port === next))) next--;
    out.push({ port: next, protocol: e.protocol, name: e.name! });
    next--;
  }
  return out;
}
