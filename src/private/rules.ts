import { Peer, PeerConfig } from '../peer';
import { Port, PortConfig } from '../port';

/** One rule in Kubernetes form: `from` (or `to`) and `ports`; a missing list means "all". */
export interface RenderedRule {
  readonly peers?: PeerConfig[];
  readonly ports?: PortConfig[];
  /** The canonical keys of `peers`, in order (empty without a peer list). */
  readonly peerKeys: string[];
  /** The canonical keys of `ports`, in order (empty without a port list). */
  readonly portKeys: string[];
  /** Equal for rules that mean the same: the same sets of peers and ports, in any order. */
  readonly key: string;
}

/**
 * Renders one rule. Lists are deduplicated, keeping first occurrences in order;
 * `Peer.anywhere()` drops the peer list and `Port.allTraffic()` the port list, as only they may.
 */
export function renderRule(peers: Peer[], ports: Port[]): RenderedRule {
  // read from the library's own record of each value, never from fields a subclass could change
  const peerStates = peers.map(p => Peer._stateOf(p));
  const portStates = ports.map(p => Port._stateOf(p));
  const anyPeer = peerStates.some(p => p.config === undefined);
  const anyPort = portStates.some(p => p.config === undefined);
  const uniquePeers = anyPeer ? [] : unique(peerStates);
  const uniquePorts = anyPort ? [] : unique(portStates);
  const peerKeys = uniquePeers.map(p => p.key);
  const portKeys = uniquePorts.map(p => p.key);
  return {
    peers: anyPeer ? undefined : uniquePeers.map(p => p.config!),
    ports: anyPort ? undefined : uniquePorts.map(p => p.config!),
    peerKeys,
    portKeys,
    key: `${anyPeer ? '*' : sortedJoin(peerKeys)} ${anyPort ? '*' : sortedJoin(portKeys)}`,
  };
}

function sortedJoin(keys: string[]): string {
  return keys.length === 1 ? keys[0] : [...keys].sort().join('|');
}

function unique<T extends { readonly key: string }>(items: T[]): T[] {
  if (items.length === 1) return items;
  const seen = new Set<string>();
  return items.filter(item => {
    const key = item.key;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
