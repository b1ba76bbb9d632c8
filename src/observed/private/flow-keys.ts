/** Helpers over observed flows. Not part of the public API. */
import { ObservedEndpoint } from '../observed-flow';

/** Deeply frozen copy of a plain value. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value as object)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A stable key for an observed endpoint (labels sorted). */
export function endpointKey(e: ObservedEndpoint): string {
  // names, kinds, addresses and labels hold no control character (they are validated): \u0001 separates them
  let key = `${e.namespace ?? ''}\u0001${e.pod ?? ''}\u0001${e.workload ?? ''}\u0001${e.workloadKind ?? ''}\u0001${e.ip ?? ''}`;
  for (const k of Object.keys(e.labels).sort()) key += `\u0001${k}=${e.labels[k]}`;
  return key;
}

/** How an endpoint is shown in messages: `ns/pod`, `ns/workload`, the IP, or `ns/{labels}`. */
export function describeObservedEndpoint(e: ObservedEndpoint): string {
  const name = e.pod ?? e.workload;
  if (e.namespace !== undefined && name !== undefined) return `${e.namespace}/${name}`;
  const labels = Object.keys(e.labels).sort().map(k => `${k}=${e.labels[k]}`).join(',');
  if (e.namespace !== undefined) return `${e.namespace}/{${labels}}${e.ip ? ` (${e.ip})` : ''}`;
  if (e.ip !== undefined) return e.ip;
  return labels ? `{${labels}}` : '(nothing reported)';
}
