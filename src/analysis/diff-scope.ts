/**
 * The scope of a diff: which namespaces can hold an end of a flow that touches the namespaces
 * that changed. Not part of the public API; see `ConnectivityDiff.betweenModels`.
 *
 * A flow from X to Y needs X's egress and Y's ingress to allow it. A pod's side allows the other
 * end only if the pod may be left unisolated in that direction (no policy of its namespace with
 * an empty pod selector isolates it) or a rule of a policy of its namespace has a peer that may
 * match the other end's namespace (a rule without peers; a namespace selector matching that
 * namespace's labels; an ipBlock containing an address of a pod there, when ipBlocks match pod
 * IPs; a pod selector alone matches only the policy's own namespace). Judged per namespace and
 * never more narrowly than the engine (pod selectors are ignored), so a namespace this leaves
 * out has no flow with a changed namespace in either version: leaving it out of the evaluation
 * changes nothing in the diff. Cluster-wide policies are not judged here: with them, every
 * namespace is in scope.
 */
import { Direction } from '../direction';
import { IpAddress, IpBlock } from '../model/ip-block';
import { ParsedPolicy, PolicyRule } from '../model/network-policy';
import { Labels, Selector } from '../model/selector';

/** What the scope reads of one version of the cluster. */
export interface ScopeVersion {
  /** The namespaces and their labels, the name label included. */
  readonly namespaces: ReadonlyMap<string, Labels>;
  /** The NetworkPolicies by namespace. */
  readonly policiesByNamespace: ReadonlyMap<string, readonly ParsedPolicy[]>;
  /** The addresses of the pods of each namespace (only those with addresses). */
  readonly addresses: ReadonlyMap<string, readonly IpAddress[]>;
}

/** Whether a namespace (by its key and labels) is in the scope. */
export type NamespaceScope = (namespace: string, labels: Labels) => boolean;

/** The peers of some rules, as far as namespaces are concerned. */
interface NamespacePeers {
  /** A rule without peers: every namespace (and every address). */
  all: boolean;
  readonly selectors: Map<string, Selector>;
  readonly ipBlocks: Map<string, IpBlock>;
}

/** The peers of the rules of one direction of some policies, without their pod-selector-only peers. */
function namespacePeers(policies: readonly ParsedPolicy[], direction: Direction): NamespacePeers {
  const out: NamespacePeers = { all: false, selectors: new Map(), ipBlocks: new Map() };
  for (const p of policies) {
    const rules: readonly PolicyRule[] = direction === Direction.INGRESS ? p.ingress : p.egress;
    for (const r of rules) {
      if (!r.peers) {
        out.all = true;
        continue;
      }
      for (const peer of r.peers) {
        if (peer.namespaceSelector) out.selectors.set(peer.namespaceSelector.key, peer.namespaceSelector);
        else if (peer.ipBlock) out.ipBlocks.set(peer.ipBlock.toString(), peer.ipBlock);
      }
    }
  }
  return out;
}

/** Whether some pod of a namespace with these policies may be left unisolated in a direction. */
function mayBeUnisolated(policies: readonly ParsedPolicy[], direction: Direction): boolean {
  return !policies.some(p => p.podSelector.isEmpty && (direction === Direction.INGRESS ? p.isolatesIngress : p.isolatesEgress));
}

/** One version's changed namespaces, taken together. */
interface Focus {
  readonly version: ScopeVersion;
  readonly labels: readonly Labels[];
  readonly addresses: readonly IpAddress[];
  readonly unisolated: { readonly ingress: boolean; readonly egress: boolean };
  readonly peers: { readonly ingress: NamespacePeers; readonly egress: NamespacePeers };
}

/**
 * The namespaces that can hold an end of a flow with an end in `changed`, in any of the versions.
 *
 * @param ipBlockMatchesPodIps whether ipBlocks match pod IPs
 * @returns a test over a namespace's key and labels: an input namespace, or the namespace of a
 * representative endpoint
 */
export function diffScope(versions: readonly ScopeVersion[], changed: ReadonlySet<string>, ipBlockMatchesPodIps: boolean): NamespaceScope {
  const focuses: Focus[] = versions.map(version => {
    const policies = [...changed].flatMap(ns => version.policiesByNamespace.get(ns) ?? []);
    const ingress = namespacePeers(policies, Direction.INGRESS);
    const egress = namespacePeers(policies, Direction.EGRESS);
    const of = (ns: string) => version.policiesByNamespace.get(ns) ?? [];
    return {
      version,
      labels: [...changed].map(ns => version.namespaces.get(ns) ?? { 'kubernetes.io/metadata.name': ns }),
      addresses: [...changed].flatMap(ns => version.addresses.get(ns) ?? []),
      unisolated: {
        ingress: [...changed].some(ns => mayBeUnisolated(of(ns), Direction.INGRESS)),
        egress: [...changed].some(ns => mayBeUnisolated(of(ns), Direction.EGRESS)),
      },
      peers: { ingress, egress },
    };
  });
  const holds = (block: IpBlock, addresses: readonly IpAddress[]) => ipBlockMatchesPodIps && addresses.some(a => block.contains(a));
  /** Whether some of `peers` may match a pod of a namespace with these labels and addresses. */
  const reaches = (peers: NamespacePeers, labels: readonly Labels[], addresses: readonly IpAddress[]) => peers.all
    || [...peers.selectors.values()].some(s => labels.some(l => s.matches(l)))
    || [...peers.ipBlocks.values()].some(b => holds(b, addresses));
  const judged = new Map<string, boolean>();
  return (namespace, labels) => {
    if (changed.has(namespace)) return true;
    // a namespace key has the same labels wherever it is asked about (representatives of a
    // selector have their own keys)
    const known = judged.get(namespace);
    if (known !== undefined) return known;
    const inScope = focuses.some(focus => {
      const policies = focus.version.policiesByNamespace.get(namespace) ?? [];
      const addresses = focus.version.addresses.get(namespace) ?? [];
      const own = (direction: Direction) => namespacePeers(policies, direction);
      // from this namespace into a changed one
      const into = (mayBeUnisolated(policies, Direction.EGRESS) || reaches(own(Direction.EGRESS), focus.labels, focus.addresses))
        && (focus.unisolated.ingress || reaches(focus.peers.ingress, [labels], addresses));
      // from a changed namespace into this one
      const out = (focus.unisolated.egress || reaches(focus.peers.egress, [labels], addresses))
        && (mayBeUnisolated(policies, Direction.INGRESS) || reaches(own(Direction.INGRESS), focus.labels, focus.addresses));
      return into || out;
    });
    judged.set(namespace, inScope);
    return inScope;
  };
}
