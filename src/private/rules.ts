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
  const anyPeer = peers.some(p => p.isAnywhere);
  const anyPort = ports.some(p => p.isAllTraffic);
  const uniquePeers = anyPeer ? [] : unique(peers);
  const uniquePorts = anyPort ? [] : unique(ports);
  const peerKeys = uniquePeers.map(p => p._key());
  const portKeys = uniquePorts.map(p => p._key());
  return {
    peers: anyPeer ? undefined : uniquePeers.map(p => p._config()!),
    ports: anyPort ? undefined : uniquePorts.map(p => p._config()!),
    peerKeys,
    portKeys,
    key: `${anyPeer ? '*' : sortedJoin(peerKeys)} ${anyPort ? '*' : sortedJoin(portKeys)}`,
  };
}

function sortedJoin(keys: string[]): string {
  return keys.length === 1 ? keys[0] : [...keys].sort().join('|');
}

function unique<T extends { _key(): string }>(items: T[]): T[] {
  if (items.length === 1) return items;
  const seen = new Set<string>();
  return items.filter(item => {
    const key = item._key();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
