import { Peer, PeerConfig } from '../peer';
import { Port, PortConfig } from '../port';

/** One rule in Kubernetes form: `from` (or `to`) and `ports`; a missing list means "all". */
export interface KubeRule {
  peers?: PeerConfig[];
  ports?: PortConfig[];
}

/**
 * Renders one rule. Lists are deduplicated, keeping first occurrences in order;
 * `Peer.anywhere()` drops the peer list and `Port.allTraffic()` the port list, as only they may.
 */
export function renderRule(peers: Peer[], ports: Port[]): KubeRule {
  const rule: KubeRule = {};
  if (!peers.some(p => p.isAnywhere)) rule.peers = unique(peers.map(p => p.toPeerConfig()!));
  if (!ports.some(p => p.isAllTraffic)) rule.ports = unique(ports.map(p => p.toPortConfig()!));
  return rule;
}

/**
 * A key equal for rules that mean the same: the same sets of peers and ports, in any order.
 */
export function ruleKey(rule: KubeRule): string {
  const peers = rule.peers ? rule.peers.map(canonical).sort() : ['*'];
  const ports = rule.ports ? rule.ports.map(canonical).sort() : ['*'];
  return `${peers.join('|')} ${ports.join('|')}`;
}

/** JSON with object keys sorted, so equal values give equal strings. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v))
    ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]]))
    : v);
}

function unique<T>(items: T[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const key = canonical(item);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(item);
    }
  }
  return out;
}
