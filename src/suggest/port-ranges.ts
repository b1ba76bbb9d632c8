import { PROTOCOLS } from '../constants';
import { Protocol } from '../port';
import type { SuggestedPort } from './suggested-port';

/**
 * The observed ports as a person writes them: per protocol (TCP, UDP, SCTP), ascending; a run
 * of consecutive ports, every one of them observed, becomes a range; any gap starts a new entry.
 */
export function mergePorts(ports: Iterable<{ readonly protocol: Protocol; readonly port: number }>): SuggestedPort[] {
  const byProtocol = new Map<Protocol, Set<number>>();
  for (const p of ports) {
    const set = byProtocol.get(p.protocol) ?? new Set<number>();
    set.add(p.port);
    byProtocol.set(p.protocol, set);
  }
  const out: SuggestedPort[] = [];
  for (const protocol of PROTOCOLS as readonly Protocol[]) {
    const sorted = [...byProtocol.get(protocol) ?? []].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length;) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      out.push(j > i ? { protocol, port: sorted[i], endPort: sorted[j] } : { protocol, port: sorted[i] });
      i = j + 1;
    }
  }
  return out;
}

/** `TCP/80`, `TCP/8000-8002`: a stable text, for keys and messages. */
export function portText(p: SuggestedPort): string {
  return `${p.protocol}/${p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}`;
}
