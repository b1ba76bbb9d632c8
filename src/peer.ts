import { NAMESPACE_NAME_LABEL } from './constants';
import { LabelExpression, LabelSelector, LabelSelectorConfig } from './label-selector';
import { IPodSelectorSource } from './pod-selector-source';
import { BoundedCache } from './private/bounded-cache';
import { canonical, deepFreeze, lockInstance, lockPrototypes } from './private/canonical';
import { kplusSelectorToKube, podSelectorConfig } from './private/kplus';
import {
  EMPTY_NAMESPACE_LABELS, EMPTY_POD_LABELS, VALUE_BRAND, Where, brandOf, fail, given, isPlainObject, kindOf, labels as checkLabels,
  namespaceName, notAnInstance, props, string, strings,
} from './private/runtime-check';

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

  /** Pods with these labels (at least one), in the policy's own namespace. */
  public static pods(labels: { [key: string]: string }): Peer {
    return Peer.podsMatching(LabelSelector._ofCheckedLabels(checkLabels('Peer.pods', 'labels', labels, EMPTY_POD_LABELS)));
  }

  /** Pods matching a selector, in the policy's own namespace. */
  public static podsMatching(selector: LabelSelector): Peer {
    const s = LabelSelector._from('Peer.podsMatching', 'selector', selector);
    return bySelector(PODS, s, () => make({ podSelector: s._config() }));
  }

  /** Every pod in the policy's own namespace (`podSelector: {}`). */
  public static sameNamespace(): Peer {
    return Peer.podsMatching(LabelSelector.all());
  }

  /** Every pod in the namespace with this name (by its `kubernetes.io/metadata.name` label). */
  public static namespace(name: string): Peer {
    return Peer.namespacesMatching(namespaceByName('Peer.namespace', 'name', name));
  }

  /** Every pod in the namespaces with these labels (at least one). */
  public static namespaces(labels: { [key: string]: string }): Peer {
    return Peer.namespacesMatching(LabelSelector._ofCheckedLabels(checkLabels('Peer.namespaces', 'labels', labels, EMPTY_NAMESPACE_LABELS)));
  }

  /** Every pod in the namespaces matching a selector. */
  public static namespacesMatching(selector: LabelSelector): Peer {
    const s = LabelSelector._from('Peer.namespacesMatching', 'selector', selector);
    return bySelector(NAMESPACES, s, () => make({ namespaceSelector: s._config() }));
  }

  /** Every pod in every namespace (`namespaceSelector: {}`); no address outside the cluster. */
  public static allNamespaces(): Peer {
    return Peer.namespacesMatching(LabelSelector.all());
  }

  /** Pods with these labels in the namespace with this name (one peer: both must hold). */
  public static podsInNamespace(namespace: string, podLabels: { [key: string]: string }): Peer {
    const namespaces = namespaceByName('Peer.podsInNamespace', 'namespace', namespace);
    return Peer.selectors({ namespaces, pods: LabelSelector.labels(checkLabels('Peer.podsInNamespace', 'podLabels', podLabels, EMPTY_POD_LABELS)) });
  }

  /** Pods with these labels in the namespaces with those labels (one peer: both must hold). */
  public static podsInNamespaces(namespaceLabels: { [key: string]: string }, podLabels: { [key: string]: string }): Peer {
    return Peer.selectors({
      namespaces: LabelSelector.labels(checkLabels('Peer.podsInNamespaces', 'namespaceLabels', namespaceLabels, EMPTY_NAMESPACE_LABELS)),
      pods: LabelSelector.labels(checkLabels('Peer.podsInNamespaces', 'podLabels', podLabels, EMPTY_POD_LABELS)),
    });
  }

  /** Pods with these labels in every namespace. */
  public static podsInAllNamespaces(podLabels: { [key: string]: string }): Peer {
    return Peer.selectors({ namespaces: LabelSelector.all(), pods: LabelSelector.labels(checkLabels('Peer.podsInAllNamespaces', 'podLabels', podLabels, EMPTY_POD_LABELS)) });
  }

  /** One peer from a pod selector and a namespace selector (at least one), both of which must hold. */
  public static selectors(options: PeerSelectorOptions): Peer {
    const o = props<PeerSelectorOptions>('Peer.selectors', 'options', options, ['pods', 'namespaces']);
    const config: { podSelector?: LabelSelectorConfig; namespaceSelector?: LabelSelectorConfig } = {};
    if (given(o.pods)) config.podSelector = LabelSelector._from('Peer.selectors', 'options.pods', o.pods)._config();
    if (given(o.namespaces)) config.namespaceSelector = LabelSelector._from('Peer.selectors', 'options.namespaces', o.namespaces)._config();
    if (config.podSelector === undefined && config.namespaceSelector === undefined) {
      fail('Peer.selectors', 'options', options, 'set `pods`, `namespaces` or both (for every pod of every namespace, use Peer.allNamespaces())');
    }
    return make(config);
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
    return ipBlockPeer(ipBlockOf('Peer.ipBlock', cidr, except));
  }

  /** Every IPv4 address (`0.0.0.0/0`), optionally leaving some out. */
  public static anyIpv4(except?: string[]): Peer {
    return ipBlockPeer(ipBlockOf('Peer.anyIpv4', '0.0.0.0/0', except));
  }

  /** Every IPv6 address (`::/0`), optionally leaving some out. */
  public static anyIpv6(except?: string[]): Peer {
    return ipBlockPeer(ipBlockOf('Peer.anyIpv6', '::/0', except));
  }

  /**
   * A real `Peer` of this library from `value`: the value itself, or (for a `Peer` of another
   * copy of the library in the process) a `Peer` read from its Kubernetes form and checked.
   * Anything else fails, naming `where` and `field`.
   *
   * @internal
   */
  public static _from(where: Where, field: string, value: unknown): Peer {
    if (STATE.has(value as Peer)) return value as Peer;
    // an object that inherits this copy's brand without having been made by it is a forgery
    if (value instanceof Peer || brandOf(value) !== 'Peer') notAnInstance(where, field, value, 'Peer', 'Peer.pods(), Peer.namespace(), Peer.ipBlock(), Peer.anywhere(), ...');
    let anywhere: unknown;
    let config: unknown;
    try {
      anywhere = (value as Peer).isAnywhere;
      config = (value as Peer).toPeerConfig();
    } catch (e) {
      fail(where, field, value, `is a Peer of another copy of cdk8s-netpol that could not be read (${(e as Error)?.message}): make it with this copy's factories`);
    }
    if (anywhere === true && config === undefined) return Peer.anywhere();
    if (anywhere !== false) fail(where, field, value, 'is a Peer of another copy of cdk8s-netpol whose Kubernetes form could not be read: make it with this copy\'s factories');
    return make(peerConfigOf(where, field, config));
  }

  /**
   * The Kubernetes form (shared, frozen; `undefined` for anywhere) and the key of a peer, from
   * this library's own record of it: a subclass cannot change what a peer renders.
   *
   * @internal
   */
  public static _stateOf(peer: Peer): { readonly config?: PeerConfig; readonly key: string } {
    const state = STATE.get(peer);
    if (state === undefined) throw new Error(`internal error: ${kindOf(peer)} is not a Peer of this library`);
    return state;
  }

  /** Whether this is `Peer.anywhere()`. */
  public readonly isAnywhere: boolean;

  protected constructor(config: PeerConfig | undefined, text?: string) {
    // a subclass may call this directly: its config is checked and copied like any input
    const checked = config === undefined ? undefined : trusted ? config : deepFreeze(peerConfigOf('Peer', 'config', config));
    trusted = false;
    this.isAnywhere = checked === undefined;
    STATE.set(this, { config: checked, key: canonical(checked ?? '*') });
    if (text !== undefined) TEXT.set(this, String(text));
    if (new.target === Peer) lockInstance(this);
  }

  /**
   * The Kubernetes form of this peer.
   *
   * @returns the peer, or `undefined` for `Peer.anywhere()` (no `from`/`to` list)
   */
  public toPeerConfig(): PeerConfig | undefined {
    const config = Peer._stateOf(this).config;
    return config === undefined ? undefined : JSON.parse(JSON.stringify(config));
  }

  /**
   * The Kubernetes form, shared and frozen (no copy).
   *
   * @internal
   */
  public _config(): PeerConfig | undefined {
    return Peer._stateOf(this).config;
  }

  /**
   * A key equal for peers that mean the same (canonical JSON), computed once.
   *
   * @internal
   */
  public _key(): string {
    return Peer._stateOf(this).key;
  }

  /**
   * A stable, readable form, e.g. `pods(app=web)`, `namespaces(kubernetes.io/metadata.name=monitoring)`,
   * `pods(app=web) in namespaces(team=a)`, `ipBlock(10.0.0.0/8 except 10.1.0.0/16)` or `anywhere`.
   */
  public toString(): string {
    let text = TEXT.get(this);
    if (text === undefined) TEXT.set(this, text = describe(Peer._stateOf(this).config!));
    return text;
  }
}

// The brand every copy of the library recognizes (see runtime-check.ts); not enumerable.
Object.defineProperty(Peer.prototype, VALUE_BRAND, { value: 'Peer' });
lockPrototypes(Peer);

/** What this library knows of each peer; the only state it reads (see `Peer._stateOf`). */
const STATE = new WeakMap<Peer, { readonly config?: PeerConfig; readonly key: string }>();
/**
 * Set while a factory creates a peer from parts it has checked (frozen selector configs, a
 * checked ipBlock), so that the constructor does not check them again; a subclass calling the
 * constructor always has its config checked.
 */
let trusted = false;

/** A peer from a config this module built from checked parts. */
function make(config: PeerConfig): Peer {
  trusted = true;
  try {
    return new (Peer as unknown as new (config: PeerConfig) => Peer)(deepFreeze(config));
  } finally {
    trusted = false;
  }
}

/**
 * The peer of each selector, for `podsMatching()` and `namespacesMatching()`: peers are
 * immutable values, so one serves every call with the same (shared) selector.
 */
const PODS = new WeakMap<LabelSelector, Peer>();
const NAMESPACES = new WeakMap<LabelSelector, Peer>();

function bySelector(cache: WeakMap<LabelSelector, Peer>, selector: LabelSelector, create: () => Peer): Peer {
  let peer = cache.get(selector);
  if (peer === undefined) cache.set(selector, peer = create());
  return peer;
}

/** The readable form of each peer, computed on first use. */
const TEXT = new WeakMap<Peer, string>();

function namespaceByName(where: Where, field: string, name: unknown): LabelSelector {
  return LabelSelector._ofCheckedLabels({ [NAMESPACE_NAME_LABEL]: namespaceName(where, field, name) });
}

/**
 * The peers made by `ipBlock()`, `anyIpv4()` and `anyIpv6()`, by their checked block: peers are
 * immutable values, so one serves every call (`BlockMetadata` makes the same two in every namespace).
 */
const BY_IP_BLOCK = new BoundedCache<string, Peer>();

function ipBlockPeer(ipBlock: IpBlockConfig): Peer {
  // JSON: unambiguous whatever the strings hold; `except: undefined` and `[]` are keyed apart
  return BY_IP_BLOCK.get(JSON.stringify([ipBlock.cidr, ipBlock.except ?? null]), () => make({ ipBlock }));
}

function ipBlockOf(where: Where, cidr: unknown, except: unknown): IpBlockConfig {
  const ipBlock: { cidr: string; except?: string[] } = { cidr: string(where, 'cidr', cidr, { what: 'a CIDR such as "10.0.0.0/8"' }) };
  if (except !== undefined) ipBlock.except = strings(where, 'except', except, 'CIDRs (strings)');
  return ipBlock;
}

/**
 * Checks and copies the Kubernetes form of a peer: only `podSelector`, `namespaceSelector`
 * and `ipBlock`, at least one, each of the right shape. The API server's rules (CIDR syntax,
 * label syntax, ipBlock not with a selector) are the validator's, where the peer is used.
 */
function peerConfigOf(where: Where, field: string, value: unknown): PeerConfig {
  const c = props<PeerConfig>(where, field, value as PeerConfig, ['podSelector', 'namespaceSelector', 'ipBlock']);
  const out: { podSelector?: LabelSelectorConfig; namespaceSelector?: LabelSelectorConfig; ipBlock?: IpBlockConfig } = {};
  if (given(c.podSelector)) out.podSelector = LabelSelector._fromConfig(where, `${field}.podSelector`, c.podSelector)._config();
  if (given(c.namespaceSelector)) out.namespaceSelector = LabelSelector._fromConfig(where, `${field}.namespaceSelector`, c.namespaceSelector)._config();
  if (given(c.ipBlock)) {
    const b = props<IpBlockConfig>(where, `${field}.ipBlock`, c.ipBlock, ['cidr', 'except']);
    out.ipBlock = ipBlockOf(where, b.cidr, b.except);
  }
  if (!isPlainObject(value) || Object.keys(out).length === 0) {
    fail(where, field, value, 'a peer must set podSelector, namespaceSelector or ipBlock (for every source or destination, use Peer.anywhere())');
  }
  return out;
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
