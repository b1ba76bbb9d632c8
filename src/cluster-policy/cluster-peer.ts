import { LabelSelector } from '../label-selector';
import { lockInstance, lockPrototypes } from '../private/canonical';
import { PolicyError } from '../private/errors';
import { VALUE_BRAND, fail, isPlainObject, strings } from '../private/runtime-check';

const PEERS = new WeakSet<ClusterPeer>();

/**
 * A peer of a `ClusterNetworkPolicy` rule (`from` of an ingress rule, `to` of an egress rule):
 * exactly one of namespaces, pods, networks, or (experimental channel) nodes or domain names.
 *
 * Unlike a NetworkPolicy peer, `pods` without a namespace selector means pods of every namespace
 * (a ClusterNetworkPolicy has no namespace of its own), and `networks` match pod IPs too.
 * An immutable value.
 */
export class ClusterPeer {
  /** Every pod of the namespaces the selector matches (`namespaces: <selector>`). */
  public static namespaces(selector: LabelSelector): ClusterPeer {
    return new ClusterPeer({ namespaces: LabelSelector._from('ClusterPeer.namespaces', 'selector', selector)._config() });
  }

  /** Every pod of every namespace (`namespaces: {}`); host-network pods are never included. */
  public static allNamespaces(): ClusterPeer {
    return new ClusterPeer({ namespaces: {} });
  }

  /**
   * The pods the pod selector matches, in the namespaces the namespace selector matches.
   *
   * @param podSelector the pods (`LabelSelector.all()` for every pod of the namespaces)
   * @param namespaceSelector the namespaces; `LabelSelector.all()` for every namespace
   */
  public static pods(podSelector: LabelSelector, namespaceSelector: LabelSelector): ClusterPeer {
    const pods = LabelSelector._from('ClusterPeer.pods', 'podSelector', podSelector)._config();
    const namespaces = LabelSelector._from('ClusterPeer.pods', 'namespaceSelector', namespaceSelector)._config();
    return new ClusterPeer({ pods: { namespaceSelector: namespaces, podSelector: pods } });
  }

  /**
   * Addresses by CIDR, egress only (`networks`). They match pod IPs too: `0.0.0.0/0` is every
   * IPv4 pod as well as the internet.
   *
   * @param cidrs 1 to 25 CIDRs, e.g. `['169.254.169.254/32']`
   */
  public static networks(cidrs: string[]): ClusterPeer {
    const list = strings('ClusterPeer.networks', 'cidrs', cidrs, 'CIDRs (strings)');
    if (list.length === 0) fail('ClusterPeer.networks', 'cidrs', cidrs, 'must list at least one CIDR: an empty list is never read as "everywhere"');
    return new ClusterPeer({ networks: [...list] });
  }

  /**
   * Nodes by label (`nodes`), egress only: experimental channel only; the policy must opt in
   * with `experimental: true`.
   */
  public static nodes(selector: LabelSelector): ClusterPeer {
    return new ClusterPeer({ nodes: LabelSelector._from('ClusterPeer.nodes', 'selector', selector)._config() }, true);
  }

  /**
   * Domain names (`domainNames`, e.g. `*.example.com`), egress Accept rules only: experimental
   * channel only; the policy must opt in with `experimental: true`.
   */
  public static domainNames(names: string[]): ClusterPeer {
    const list = strings('ClusterPeer.domainNames', 'names', names, 'domain names (strings)');
    if (list.length === 0) fail('ClusterPeer.domainNames', 'names', names, 'must list at least one domain name');
    return new ClusterPeer({ domainNames: [...list] }, true);
  }

  /**
   * A real peer of this library from `value`; anything else fails.
   *
   * @internal
   */
  public static _from(where: string, field: string, value: unknown): ClusterPeer {
    if (PEERS.has(value as ClusterPeer)) return value as ClusterPeer;
    return fail(where, field, value, 'must be a ClusterPeer (ClusterPeer.namespaces(), ClusterPeer.pods(), ClusterPeer.networks(), ...)');
  }

  /** Whether the peer exists only in the experimental channel (`nodes`, `domainNames`). */
  public readonly experimental: boolean;
  /** The peer's one field: `namespaces`, `pods`, `networks`, `nodes` or `domainNames`. */
  public readonly field: string;
  private readonly config: { [key: string]: unknown };

  private constructor(config: { [key: string]: unknown }, experimental = false) {
    if (!isPlainObject(config)) throw new PolicyError('ClusterPeer', 'internal error: a peer without a form');
    this.config = deepFreeze(config);
    this.field = Object.keys(config)[0];
    this.experimental = experimental;
    PEERS.add(this);
    lockInstance(this);
  }

  /** The Kubernetes form of the peer (a copy). */
  public toPeerConfig(): any {
    return JSON.parse(JSON.stringify(this.config));
  }

  /**
   * The Kubernetes form, shared and frozen.
   *
   * @internal
   */
  public _config(): any {
    return this.config;
  }

  /** `networks 10.0.0.0/8`, `namespaces {...}`: stable and readable. */
  public toString(): string {
    return `${this.field} ${JSON.stringify(this.config[this.field])}`;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}

Object.defineProperty(ClusterPeer.prototype, VALUE_BRAND, { value: 'ClusterPeer' });
lockPrototypes(ClusterPeer);
