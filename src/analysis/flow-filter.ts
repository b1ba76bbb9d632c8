/**
 * Focusing a list of flows (`Connectivity.filter`, `ConnectivityDiff.filter`): by endpoint,
 * namespace or address at either end, by where the flow crosses the cluster boundary, and by
 * destination port. Not part of the public API.
 */
import { MAX_PORT, MIN_PORT } from '../constants';
import { parseIpGo, parseIpSloppy, ParsedIp } from '../net/cidr';
import { Protocol } from '../port';
import { ConnectivityFilter, FlowDirection } from './connectivity-filter';
import { PortSet } from './port-set';
import { props } from '../private/runtime-check';

/** Whether an endpoint name is an external address or address range (pods and workloads are `namespace/...`). */
export function isExternalName(name: string): boolean {
  return !name.includes('/');
}

/** Whether an external endpoint (`a.b.c.d`, or a range `first-last`) contains the address. */
function externalContains(name: string, address: ParsedIp): boolean {
  const dash = name.indexOf('-');
  const first = parseIpSloppy(dash < 0 ? name : name.slice(0, dash));
  const last = parseIpSloppy(dash < 0 ? name : name.slice(dash + 1));
  if (!first || !last || first.family !== address.family || last.family !== address.family) return false;
  return first.value <= address.value && address.value <= last.value;
}

/**
 * A test for endpoint names: the endpoint itself, every pod and workload of a namespace, or the
 * external endpoints (ranges and IPs) that contain an address.
 */
function endpointMatcher(
  focus: unknown, endpoints: readonly string[], field: string, alsoKnown?: (name: string) => boolean,
): (name: string) => boolean {
  if (typeof focus !== 'string' || focus === '') throw new RangeError(`${field}: Required value: an endpoint name, a namespace or an IP address`);
  if (endpoints.includes(focus)) return name => name === focus;
  if (!focus.includes('/') && endpoints.some(e => e.startsWith(`${focus}/`))) return name => name.startsWith(`${focus}/`);
  if (alsoKnown?.(focus)) return name => name === focus || name.startsWith(`${focus}/`);
  const address = parseIpGo(focus);
  if (address) {
    const hits = new Set(endpoints.filter(e => isExternalName(e) && externalContains(e, address)));
    if (hits.size > 0) return name => hits.has(name);
  }
  const shown = endpoints.slice(0, 20).join(', ') + (endpoints.length > 20 ? `, ... (${endpoints.length - 20} more)` : '');
  throw new RangeError(`${field}: unknown endpoint or namespace ${JSON.stringify(focus.length > 80 ? focus.slice(0, 80) + '...' : focus)}`
    + (endpoints.length > 0 ? `; known endpoints: ${shown}` : '; there are no endpoints'));
}

function directionMatches(direction: FlowDirection, from: string, to: string): boolean {
  switch (direction) {
    case FlowDirection.INGRESS: return isExternalName(from);
    case FlowDirection.EGRESS: return isExternalName(to);
    case FlowDirection.INTERNAL: return !isExternalName(from) && !isExternalName(to);
    default: return true;
  }
}

/** Whether a flow passes: its two ends, and the port sets that must hold the port of the filter (any of them). */
export type FlowTest = (from: string, to: string, ports: readonly (PortSet | undefined)[]) => boolean;

/**
 * The test a filter stands for: `(from, to, portSets)` passes when the ends match and, with a
 * port, one of the port sets holds it.
 *
 * @param alsoKnown names (endpoints or namespaces) that are not among `endpoints` but exist
 * (those of the namespaces a diff left out of its evaluation): they match by name or namespace
 * @throws RangeError if an end names nothing among `endpoints`, or the direction, port or protocol is invalid
 */
/** The keys of `ConnectivityFilter`. */
const FILTER_KEYS = ['from', 'to', 'direction', 'port', 'protocol'] as const;

export function flowFilter(filter: ConnectivityFilter, endpoints: readonly string[], alsoKnown?: (name: string) => boolean): FlowTest {
  // an unknown key (a typo such as `frm`) would silently keep every flow: refuse it
  props('ConnectivityFilter', 'filter', filter, FILTER_KEYS);
  const matchFrom = filter.from === undefined ? undefined : endpointMatcher(filter.from, endpoints, 'from', alsoKnown);
  const matchTo = filter.to === undefined ? undefined : endpointMatcher(filter.to, endpoints, 'to', alsoKnown);
  const direction = filter.direction ?? FlowDirection.ALL;
  if (!Object.values(FlowDirection).includes(direction)) {
    throw new RangeError(`direction: Unsupported value: ${JSON.stringify(direction)}: supported values: ${Object.values(FlowDirection).map(d => JSON.stringify(d)).join(', ')}`);
  }
  let probe: PortSet | undefined;
  if (filter.port !== undefined || filter.protocol !== undefined) {
    const protocol = typeof filter.protocol === 'string' ? filter.protocol.toUpperCase() : filter.protocol ?? Protocol.TCP;
    // a protocol alone keeps the flows that allow any port of it
    probe = filter.port !== undefined ? PortSet.range(protocol as Protocol, filter.port) : PortSet.range(protocol as Protocol, MIN_PORT, MAX_PORT);
  }
  return (from, to, ports) =>
    (!matchFrom || matchFrom(from))
    && (!matchTo || matchTo(to))
    && directionMatches(direction, from, to)
    && (!probe || ports.some(p => p !== undefined && !p.intersect(probe!).isEmpty));
}
