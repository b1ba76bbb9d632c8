import { NAMESPACE_NAME_LABEL } from './constants';
import { LabelExpression, LabelSelector, LabelSelectorConfig } from './label-selector';
import { IPodSelectorSource } from './pod-selector-source';
import { canonical, deepFreeze } from './private/canonical';
import { kplusSelectorToKube, podSelectorConfig } from './private/kplus';

/**
 * The Kubernetes form of an `ipBlock`.
 */
export interface IpBlockConfig {
  /** The CIDR, e.g. `10.0.0.0/8` or `2001:db8::/32`. */
  readonly cidr: string;
  /**
   * CIDRs inside `cidr` that are left out.
   *
   * @default - none
   */
  readonly except?: string[];
}

/**
 * The Kubernetes form of one peer (`from` or `to` entry) of a NetworkPolicy rule.
 */
export interface PeerConfig {
  /**
   * Selects pods (in the policy's namespace, unless `namespaceSelector` is set too).
   *
   * @default - not a pod selector
   */
  readonly podSelector?: LabelSelectorConfig;
  /**
   * Selects namespaces (all their pods, unless `podSelector` is set too).
   *
   * @default - not a namespace selector
   */
  readonly namespaceSelector?: LabelSelectorConfig;
  /**
   * A range of IP addresses.
   *
   * @default - not an IP block
   */
  readonly ipBlock?: IpBlockConfig;
}

/**
 * Options for `Peer.selectors()`: one peer whose selectors must all hold (AND).
 */
export interface PeerSelectorOptions {
  /**
   * Pods to select. Without `namespaces`, only pods in the policy's own namespace.
   *
   * @default - every pod of the selected namespaces (requires `namespaces`)
   */
  readonly pods?: LabelSelector;
  /**
   * Namespaces to select.
   *
   * @default - the policy's own namespace (requires `pods`)
   */
  readonly namespaces?: LabelSelector;
}

/**
 * The other end of a connection in a NetworkPolicy rule: an immutable value.
 *
 * One peer's selectors are ANDed; a rule's peers are ORed. Use `Peer.podsInNamespace()`
 * for "these pods in that namespace" (one peer), and list `Peer.namespace()` and
 * `Peer.pods()` separately for "that namespace, or these pods" (two peers).
 *
 * @example
 * Peer.pods({ app: 'web' });
 * Peer.namespace('monitoring');
 * Peer.podsInNamespace('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
 * Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']);
 */
export class Peer {
  /**
   * Every source or destination, inside and outside the cluster. A rule with this peer
   * renders without `from`/`to`, which is how Kubernetes spells "anywhere". It must be
   * asked for: an empty peer list is an error, never a silent "anywhere".
   */
  public static anywhere(): Peer {
    return new Peer(undefined, 'anywhere');
  }

  /** Pods with these labels, in the policy's own namespace. */
  public static pods(labels: { [key: string]: string }): Peer {
    return Peer.podsMatching(LabelSelector.labels(labels));
  }

  /** Pods matching a selector, in the policy's own namespace. */
  public static podsMatching(selector: LabelSelector): Peer {
    return new Peer({ podSelector: selector._config() });
  }

  /** Every pod in the policy's own namespace (`podSelector: {}`). */
  public static sameNamespace(): Peer {
    return Peer.podsMatching(LabelSelector.all());
  }

  /** Every pod in the namespace with this name (by its `kubernetes.io/metadata.name` label). */
  public static namespace(name: string): Peer {
    return Peer.namespacesMatching(namespaceByName(name));
  }

  /** Every pod in the namespaces with these labels. */
  public static namespaces(labels: { [key: string]: string }): Peer {
    return Peer.namespacesMatching(LabelSelector.labels(labels));
  }

  /** Every pod in the namespaces matching a selector. */
  public static namespacesMatching(selector: LabelSelector): Peer {
    return new Peer({ namespaceSelector: selector._config() });
  }

  /** Every pod in every namespace (`namespaceSelector: {}`); no address outside the cluster. */
  public static allNamespaces(): Peer {
    return Peer.namespacesMatching(LabelSelector.all());
  }

  /** Pods with these labels in the namespace with this name (one peer: both must hold). */
  public static podsInNamespace(namespace: string, podLabels: { [key: string]: string }): Peer {
    return Peer.selectors({ namespaces: namespaceByName(namespace), pods: LabelSelector.labels(podLabels) });
  }

  /** Pods with these labels in the namespaces with those labels (one peer: both must hold). */
  public static podsInNamespaces(namespaceLabels: { [key: string]: string }, podLabels: { [key: string]: string }): Peer {
    return Peer.selectors({ namespaces: LabelSelector.labels(namespaceLabels), pods: LabelSelector.labels(podLabels) });
  }

  /** Pods with these labels in every namespace. */
  public static podsInAllNamespaces(podLabels: { [key: string]: string }): Peer {
    return Peer.selectors({ namespaces: LabelSelector.all(), pods: LabelSelector.labels(podLabels) });
  }

  /** One peer from a pod selector and a namespace selector, both of which must hold. */
  public static selectors(options: PeerSelectorOptions): Peer {
    const config: { podSelector?: LabelSelectorConfig; namespaceSelector?: LabelSelectorConfig } = {};
    if (options.pods) config.podSelector = options.pods._config();
    if (options.namespaces) config.namespaceSelector = options.namespaces._config();
    return new Peer(config);
  }

  /**
   * The pods of a cdk8s-plus workload (Deployment, StatefulSet, ...) or `Pods` selection,
   * keeping the namespace restriction it carries. Any cdk8s-plus-2x package works
   * (cdk8s-plus-28 ... cdk8s-plus-33).
   *
   * @param selector a cdk8s-plus workload or pod selection
   */
  public static fromPodSelector(selector: IPodSelectorSource): Peer {
    const config = podSelectorConfig('Peer.fromPodSelector', selector);
    const pods = LabelSelector.fromConfig(kplusSelectorToKube(config.labelSelector));
    const namespaces = config.namespaces;
    if (!namespaces) return Peer.podsMatching(pods);
    const nsSelector = namespaces.labelSelector
      ? LabelSelector.fromConfig(kplusSelectorToKube(namespaces.labelSelector))
      : LabelSelector.all();
    const names = namespaces.names ?? [];
    if (names.length === 0) return Peer.selectors({ pods, namespaces: nsSelector });
    const { matchLabels, matchExpressions } = nsSelector;
    const byName = names.length === 1
      ? LabelSelector.of({ labels: { ...matchLabels, [NAMESPACE_NAME_LABEL]: names[0] }, expressions: matchExpressions })
      : LabelSelector.of({ labels: matchLabels, expressions: [...matchExpressions, LabelExpression.in(NAMESPACE_NAME_LABEL, names)] });
    return Peer.selectors({ pods, namespaces: byName });
  }

  /**
   * Addresses in a CIDR, optionally leaving some out. Meant for addresses outside the
   * cluster: whether an ipBlock also matches pod IPs depends on the network plugin
   * (Calico: yes; Cilium: no).
   *
   * @param cidr an IPv4 or IPv6 CIDR, such as `10.0.0.0/8`
   * @param except CIDRs strictly inside `cidr` to leave out
   */
  public static ipBlock(cidr: string, except?: string[]): Peer {
    const ipBlock: { cidr: string; except?: string[] } = { cidr };
    if (except !== undefined) ipBlock.except = [...except];
    return new Peer({ ipBlock });
  }

  /** Every IPv4 address (`0.0.0.0/0`), optionally leaving some out. */
  public static anyIpv4(except?: string[]): Peer {
    return Peer.ipBlock('0.0.0.0/0', except);
  }

  /** Every IPv6 address (`::/0`), optionally leaving some out. */
  public static anyIpv6(except?: string[]): Peer {
    return Peer.ipBlock('::/0', except);
  }

  /** Whether this is `Peer.anywhere()`. */
  public readonly isAnywhere: boolean;
  private readonly config?: PeerConfig;
  private text?: string;
  private key?: string;

  protected constructor(config: PeerConfig | undefined, text?: string) {
    this.config = config === undefined ? undefined : deepFreeze(config);
    this.isAnywhere = config === undefined;
    this.text = text;
  }

  /**
   * The Kubernetes form of this peer.
   *
   * @returns the peer, or `undefined` for `Peer.anywhere()` (no `from`/`to` list)
   */
  public toPeerConfig(): PeerConfig | undefined {
    return this.config === undefined ? undefined : JSON.parse(JSON.stringify(this.config));
  }

  /**
   * The Kubernetes form, shared and frozen (no copy).
   *
   * @internal
   */
  public _config(): PeerConfig | undefined {
    return this.config;
  }

  /**
   * A key equal for peers that mean the same (canonical JSON), computed once.
   *
   * @internal
   */
  public _key(): string {
    return this.key ??= canonical(this.config ?? '*');
  }

  /**
   * A stable, readable form, e.g. `pods(app=web)`, `namespaces(kubernetes.io/metadata.name=monitoring)`,
   * `pods(app=web) in namespaces(team=a)`, `ipBlock(10.0.0.0/8 except 10.1.0.0/16)` or `anywhere`.
   */
  public toString(): string {
    return this.text ??= describe(this.config!);
  }
}

function namespaceByName(name: string): LabelSelector {
  return LabelSelector.labels({ [NAMESPACE_NAME_LABEL]: name });
}

function describe(config: PeerConfig): string {
  const parts: string[] = [];
  if (config.podSelector) parts.push(`pods(${LabelSelector.fromConfig(config.podSelector).toString()})`);
  if (config.namespaceSelector) parts.push(`namespaces(${LabelSelector.fromConfig(config.namespaceSelector).toString()})`);
  if (config.ipBlock) {
    const except = config.ipBlock.except?.length ? ` except ${config.ipBlock.except.join(',')}` : '';
    parts.push(`ipBlock(${config.ipBlock.cidr}${except})`);
  }
  return parts.length > 0 ? parts.join(' in ') : 'nothing';
}
