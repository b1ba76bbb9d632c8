/**
 * Representative endpoints: pods the input does not contain, which the policies nevertheless
 * allow traffic from or to (another team's namespace, namespaces chosen by labels, the cluster
 * DNS, the subjects of a policy whose pods are not in the input). Not part of the public API;
 * `ClusterModel.connectivity()` and `allowed()` evaluate them as ordinary endpoints.
 *
 * A representative is named `<namespaces>/<pods>`:
 * - `<namespaces>`: a namespace name, `*` (any namespace), or a namespace label selector in
 *   kubectl's syntax in braces (`{team=data}`, `{env in (prod,staging),!legacy}`);
 * - `<pods>`: `*` (any pod) or a pod label selector in braces (`{app=worker}`).
 *
 * What it stands for: one pod that the input does not contain, with exactly the labels its pod
 * selector requires (see `minimalLabels`) and no named container ports, and no IP address (so,
 * like a workload without `status.podIP`, no ipBlock matches it). Its namespace is:
 * - for a name: that namespace; when the input has it, with its labels and its policies (the
 *   representative is a hypothetical pod there, which every policy of that namespace selecting
 *   its labels governs); otherwise a namespace with only its name label and no policies;
 * - for `*` or a selector: a namespace the input does not contain, with exactly the labels the
 *   selector requires, a name no policy refers to, and no policies.
 *
 * Its flows are therefore flows some real pod matching its description would have: add that
 * pod (and namespace) to the input and `allowed()` answers the same.
 */
import { NAMESPACE_NAME_LABEL } from '../constants';
import { EndpointRecord, compareStrings } from './object-reader';
import { ClusterPodSelection, ParsedClusterPolicy } from '../model/cluster-network-policy';
import { ParsedPolicy, PolicyPeer } from '../model/network-policy';
import { Labels, Selector, SelectorRequirement } from '../model/selector';
import { SelectorSyntaxError, parseSelectorText } from '../model/selector-syntax';
import { isDns1123Label } from '../validation/private/names';


/** The kind of a representative endpoint's record. */
export const REPRESENTATIVE_KIND = 'Representative';

/** The name label of the namespace a representative with `*` or a selector stands in, unless a policy names it. */
const FRESH_NAMESPACE_NAME = 'netpol-representative';

/** A representative endpoint, ready to evaluate. */
export interface Representative {
  /** `<namespaces>/<pods>`. */
  readonly name: string;
  /** The key of its namespace in the namespace map: the name, or `*`/`{...}` for one the input does not contain. */
  readonly namespace: string;
  /** Its namespace's labels, the name label included. */
  readonly namespaceLabels: Labels;
  /** Its pod's labels. */
  readonly labels: Labels;
}

/** The canonical text of a selector: requirements sorted by key and operator, `k=v` for one value. */
export function selectorText(selector: Selector): string {
  const order = { In: 0, NotIn: 1, Exists: 2, DoesNotExist: 3 };
  const parts = [...selector.requirements]
    .sort((a, b) => compareStrings(a.key, b.key) || order[a.operator] - order[b.operator] || compareStrings(a.values.join(','), b.values.join(',')))
    .map(r => {
      switch (r.operator) {
        case 'In': return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn': return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists': return r.key;
        default: return `!${r.key}`;
      }
    });
  return `{${[...new Set(parts)].join(',')}}`;
}

/**
 * The fewest labels that satisfy a selector: for each key with an `In` (or `=`), its first value
 * (in sorted order) that no `NotIn` of the key excludes; for a key that must only exist, the
 * empty value (or, when a `NotIn` excludes it, the first of `x`, `x1`, `x2`, ... that none
 * excludes); keys with only `NotIn` or `DoesNotExist` absent. `undefined` when no labels can
 * satisfy it (`k in (a)` with `k notin (a)`, `k` with `!k`).
 */
export function minimalLabels(selector: Selector): Record<string, string> | undefined {
  const byKey = new Map<string, SelectorRequirement[]>();
  for (const r of selector.requirements) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  const labels: Record<string, string> = {};
  for (const [key, reqs] of [...byKey].sort((a, b) => compareStrings(a[0], b[0]))) {
    const excluded = new Set(reqs.filter(r => r.operator === 'NotIn').flatMap(r => r.values));
    const absentRequired = reqs.some(r => r.operator === 'DoesNotExist');
    let candidates: string[] | undefined;
    for (const r of reqs) {
      if (r.operator !== 'In') continue;
      candidates = candidates ? candidates.filter(v => r.values.includes(v)) : [...r.values];
    }
    const mustExist = candidates !== undefined || reqs.some(r => r.operator === 'Exists');
    if (!mustExist) continue;
    if (absentRequired) return undefined;
    if (candidates) {
      const value = candidates.filter(v => !excluded.has(v)).sort(compareStrings)[0];
      if (value === undefined) return undefined;
      labels[key] = value;
    } else {
      let value = '';
      for (let n = 0; excluded.has(value); n++) value = n === 0 ? 'x' : `x${n}`;
      labels[key] = value;
    }
  }
  return labels;
}

/** The namespace a namespace selector names, when it is exactly `kubernetes.io/metadata.name=N`. */
function namedNamespaces(selector: Selector): string[] | undefined {
  if (selector.requirements.length !== 1) return undefined;
  const r = selector.requirements[0];
  return r.key === NAMESPACE_NAME_LABEL && r.operator === 'In' ? [...r.values] : undefined;
}

/** Builds representatives, each namespace part once. */
class RepresentativeBuilder {
  public readonly found = new Map<string, Representative>();
  private readonly freshName: string;
  /** Per selector (by key), its text and its fewest labels: policies repeat the same selectors. */
  private readonly described = new Map<string, { text: string; labels?: Record<string, string> }>();

  constructor(
    private readonly namespaces: ReadonlyMap<string, Labels>, policies: readonly ParsedPolicy[], clusterPolicies: readonly ParsedClusterPolicy[],
  ) {
    // a name that neither the input nor any selector of the policies mentions
    const mentioned = new Set<string>(namespaces.keys());
    const visit = (s: Selector | undefined) => s?.requirements.forEach(r => {
      if (r.key === NAMESPACE_NAME_LABEL) r.values.forEach(v => mentioned.add(v));
    });
    for (const p of policies) for (const r of [...p.ingress, ...p.egress]) for (const peer of r.peers ?? []) visit(peer.namespaceSelector);
    for (const selection of clusterSelections(clusterPolicies)) visit(selection.namespaces);
    let name = FRESH_NAMESPACE_NAME;
    for (let n = 2; mentioned.has(name); n++) name = `${FRESH_NAMESPACE_NAME}-${n}`;
    this.freshName = name;
  }

  /** Adds the representative of pods matching `pods` in the namespace `name`. */
  public named(namespace: string, pods: Selector): void {
    const { text, labels } = this.describe(pods);
    if (!labels) return;
    const name = `${namespace}/${text}`;
    if (this.found.has(name)) return;
    const namespaceLabels = this.namespaces.get(namespace) ?? { [NAMESPACE_NAME_LABEL]: namespace };
    this.found.set(name, { name, namespace, namespaceLabels, labels: { ...labels } });
  }

  /** Adds the representative of pods matching `pods` in namespaces matching `namespaces`. */
  public selected(namespaces: Selector, pods: Selector): void {
    const names = namedNamespaces(namespaces);
    if (names) {
      names.forEach(n => this.named(n, pods));
      return;
    }
    const { text: podsText, labels } = this.describe(pods);
    const { text: key, labels: namespaceLabels } = this.describe(namespaces);
    if (!labels || !namespaceLabels) return;
    const name = `${key}/${podsText}`;
    if (this.found.has(name)) return;
    const own = namespaceLabels[NAMESPACE_NAME_LABEL];
    // a selector that requires the name of a namespace of the input describes that namespace,
    // whose labels the input gives: it is not a namespace the input does not contain
    if (own !== undefined && this.namespaces.has(own)) return;
    const inNamespace = { [NAMESPACE_NAME_LABEL]: own ?? this.freshName, ...namespaceLabels };
    this.found.set(name, { name, namespace: key, namespaceLabels: inNamespace, labels: { ...labels } });
  }

  /** A selector's text in a name (`*` for `{}`) and its fewest labels, worked out once per selector. */
  private describe(selector: Selector): { text: string; labels?: Record<string, string> } {
    let found = this.described.get(selector.key);
    if (!found) {
      found = { text: selector.isEmpty ? '*' : selectorText(selector), labels: minimalLabels(selector) };
      this.described.set(selector.key, found);
    }
    return found;
  }

  /** Adds the representative of a cluster-wide policy's subject or `namespaces`/`pods` peer. */
  public clusterSelection(selection: ClusterPodSelection): void {
    this.selected(selection.namespaces, selection.pods ?? Selector.EVERYTHING);
  }

  public peer(peer: PolicyPeer, policyNamespace: string): void {
    if (peer.ipBlock) return;
    const pods = peer.podSelector ?? Selector.EVERYTHING;
    if (peer.namespaceSelector) this.selected(peer.namespaceSelector, pods);
    else this.named(policyNamespace, pods);
  }
}

/** The subjects and the `namespaces`/`pods` peers of cluster-wide policies. */
function clusterSelections(policies: readonly ParsedClusterPolicy[]): ClusterPodSelection[] {
  const out: ClusterPodSelection[] = [];
  for (const p of policies) {
    out.push(p.subject);
    for (const rule of [...p.ingress, ...p.egress]) for (const peer of rule.peers) if (peer.selection) out.push(peer.selection);
  }
  return out;
}

/**
 * The representatives the policies call for, sorted by name: `*\/*` (any pod of any other
 * namespace), each policy's subject (`<its namespace>/<its pod selector>`), and each selector
 * peer of each rule; and of each cluster-wide policy, its subject and its `namespaces`/`pods`
 * peers (`{tenant=a}/*`), so that a cluster with only cluster-wide policies still shows what
 * the namespaces they select may do. A rule without peers is represented by `*\/*`.
 * Descriptions no labels can satisfy are left out.
 *
 * @param namespaces the input's namespaces and their labels
 * @param policies the policies (of every version being compared)
 * @param clusterPolicies the cluster-wide policies (of every version being compared)
 */
export function deriveRepresentatives(
  namespaces: ReadonlyMap<string, Labels>, policies: readonly ParsedPolicy[], clusterPolicies: readonly ParsedClusterPolicy[] = [],
): Representative[] {
  const builder = new RepresentativeBuilder(namespaces, policies, clusterPolicies);
  builder.selected(Selector.EVERYTHING, Selector.EVERYTHING);
  for (const p of policies) {
    builder.named(p.namespace, p.podSelector);
    for (const rule of [...p.ingress, ...p.egress]) for (const peer of rule.peers ?? []) builder.peer(peer, p.namespace);
  }
  for (const selection of clusterSelections(clusterPolicies)) builder.clusterSelection(selection);
  return [...builder.found.values()].sort((a, b) => compareStrings(a.name, b.name));
}

/** The endpoint record a representative is evaluated as. */
export function representativeRecord(rep: Representative): EndpointRecord {
  return {
    name: rep.name,
    kind: REPRESENTATIVE_KIND,
    namespace: rep.namespace,
    labels: { ...rep.labels },
    ports: [],
    ips: [],
    external: false,
    addresses: [],
    aliases: [rep.name],
  };
}

/** The position of the `/` between a name's namespace part and the rest (outside braces); -1 when none. */
export function namespaceSeparator(name: string): number {
  let depth = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === '/' && depth === 0) return i;
  }
  return -1;
}

/** Whether a name has a representative's form (`*` or braces in either part). */
export function isRepresentativeName(name: string): boolean {
  const slash = namespaceSeparator(name);
  if (slash < 0) return false;
  const ns = name.slice(0, slash);
  const pods = name.slice(slash + 1);
  return ns === '*' || ns.startsWith('{') || pods === '*' || pods.startsWith('{');
}

/**
 * Reads a representative name (`tools/*`, `*\/{role=monitoring}`, `{team=data}/{app=worker}`)
 * into the representative it stands for in a cluster with these namespaces; `undefined` when
 * the name does not have that form.
 *
 * @throws SelectorSyntaxError when a selector does not parse or no labels can satisfy it
 */
export function parseRepresentative(
  name: string, namespaces: ReadonlyMap<string, Labels>, policies: readonly ParsedPolicy[], clusterPolicies: readonly ParsedClusterPolicy[] = [],
): Representative | undefined {
  if (!isRepresentativeName(name)) return undefined;
  const slash = namespaceSeparator(name);
  const nsPart = name.slice(0, slash);
  const podPart = name.slice(slash + 1);
  const selector = (part: string, what: string): Selector => {
    if (part === '*') return Selector.EVERYTHING;
    if (!part.startsWith('{') || !part.endsWith('}')) {
      throw new SelectorSyntaxError(`${JSON.stringify(name)}: the ${what} part must be "*" or a label selector in braces, such as {app=web}, not ${JSON.stringify(part)}`);
    }
    return parseSelectorText(part.slice(1, -1));
  };
  const pods = selector(podPart, 'pod');
  const builder = new RepresentativeBuilder(namespaces, policies, clusterPolicies);
  if (nsPart === '*' || nsPart.startsWith('{')) {
    builder.selected(selector(nsPart, 'namespace'), pods);
  } else if (isDns1123Label(nsPart).length > 0) {
    throw new SelectorSyntaxError(`${JSON.stringify(name)}: the namespace part must be a namespace name (a DNS-1123 label), "*" or a label selector in braces, not ${JSON.stringify(nsPart)}`);
  } else {
    builder.named(nsPart, pods);
  }
  const [rep] = builder.found.values();
  if (!rep) {
    throw new SelectorSyntaxError(`${JSON.stringify(name)}: no pod can match this description (its selectors contradict themselves, or require the name of a namespace of the input)`);
  }
  return rep; // named as the engine prints it (canonical selector text)
}
