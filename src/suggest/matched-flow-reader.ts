import { PROTOCOLS } from '../constants';
import { Protocol } from '../port';
import type { MatchedFlow } from './matched-flow';
import { describeValue } from '../private/errors';
import { kindOf } from '../private/runtime-check';

/** The keys of `MatchedFlow`. */
const FLOW_KEYS = ['from', 'to', 'protocol', 'port', 'count'];

/**
 * Reads one matched flow, once, into a checked copy; returns the problem (naming the field,
 * quoting the value, saying what would be valid) instead when it is not one.
 *
 * @param field where the flow is (`flows[3]`, or `flows.jsonl:4`)
 */
export function readMatchedFlow(field: string, value: unknown): MatchedFlow | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `${field}: ${describeValue(value)}: must be an object { from, to, protocol, port, count? }, not ${kindOf(value)}`;
  }
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) copy[key] = (value as Record<string, unknown>)[key];
  const unknown = Object.keys(copy).find(k => !FLOW_KEYS.includes(k));
  if (unknown !== undefined) return `${field}: unknown field ${JSON.stringify(unknown)}: a matched flow has only ${FLOW_KEYS.join(', ')}`;
  for (const end of ['from', 'to']) {
    const v = copy[end];
    if (typeof v !== 'string' || v === '') return `${field}.${end}: ${describeValue(v)}: required: an endpoint name (namespace/name) or an IP address`;
  }
  const protocol = copy.protocol;
  if (typeof protocol !== 'string' || !PROTOCOLS.includes(protocol as Protocol)) {
    return `${field}.protocol: ${describeValue(protocol)}: must be "TCP", "UDP" or "SCTP"`;
  }
  const port = copy.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return `${field}.port: ${describeValue(port)}: must be a port number, 1 to 65535 (a missing port is never "all ports")`;
  }
  const count = copy.count;
  if (count !== undefined && (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1)) {
    return `${field}.count: ${describeValue(count)}: must be a whole number of times seen, 1 or more (or left out for 1)`;
  }
  const flow = { from: copy.from as string, to: copy.to as string, protocol: protocol as Protocol, port };
  return Object.freeze(count !== undefined ? { ...flow, count } : flow);
}
