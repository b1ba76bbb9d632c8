/**
 * Cilium Hubble's flows, as `hubble observe -o json` prints them: one JSON object per line,
 * `{"flow": {...}, "node_name": ..., "time": ...}` (older versions print the flow itself).
 * Read: `source`/`destination` (`namespace`, `pod_name`, `labels` such as `k8s:app=web`,
 * `workloads` `[{name, kind}]`), `IP.source`/`IP.destination`, `l4.TCP|UDP|SCTP.destination_port`,
 * `verdict` (`FORWARDED`, `DROPPED`...), `is_reply`. A reply (`is_reply: true`) is the answer
 * to a connection, always allowed, and is skipped (counted); ICMP flows are skipped (counted);
 * records that are not flows (`lost_events`, agent or debug events) are skipped (counted).
 * Not part of the public API.
 *
 * @see https://docs.cilium.io/en/stable/observability/hubble/hubble-cli/index.html
 * @see https://github.com/cilium/cilium/blob/main/api/v1/flow/README.md (the Flow message)
 */
import { ObservedEndpoint, ObservedVerdict } from './observed-flow';
import { RecordError, RecordOutcome, endpoint, ipOf, labelListOf, namespaceOf, objectNameOf, optionalText, portOf, protocolOf } from './record-fields';

/** Cilium's label sources; only `k8s:` labels are the pod's own. */
function podLabel(entry: string): string | undefined {
  const colon = entry.indexOf(':');
  const source = colon < 0 ? '' : entry.slice(0, colon);
  if (source !== 'k8s') return undefined; // reserved:world, reserved:host, cidr:..., container:...
  const rest = entry.slice(colon + 1);
  // Cilium's meta labels: the namespace, the service account, the cluster name, the namespace's labels
  if (rest.startsWith('io.kubernetes.pod.') || rest.startsWith('io.cilium.')) return undefined;
  return rest;
}

function endpointOf(field: string, e: any, ip: unknown): ObservedEndpoint {
  const value = e && typeof e === 'object' ? e : {};
  const workloads = Array.isArray(value.workloads) ? value.workloads : [];
  const first = workloads[0] && typeof workloads[0] === 'object' ? workloads[0] : {};
  const workload = objectNameOf(`${field}.workloads[0].name`, first.name);
  const workloadKind = optionalText(`${field}.workloads[0].kind`, first.kind);
  if (workloadKind !== undefined && !/^[A-Za-z]{1,63}$/.test(workloadKind)) {
    throw new RecordError(`${field}.workloads[0].kind: Invalid value: ${JSON.stringify(workloadKind).slice(0, 80)}: a kind is letters only (Deployment)`);
  }
  const out: ObservedEndpoint = {
    namespace: namespaceOf(`${field}.namespace`, value.namespace),
    pod: objectNameOf(`${field}.pod_name`, value.pod_name),
    workload,
    workloadKind: workload === undefined ? undefined : workloadKind,
    labels: labelListOf(`${field}.labels`, value.labels, podLabel),
    ip: ipOf(field === 'source' ? 'IP.source' : 'IP.destination', ip),
  };
  return endpoint(field, out);
}

const VERDICTS: Record<string, ObservedVerdict | undefined> = {
  FORWARDED: ObservedVerdict.ALLOWED,
  DROPPED: ObservedVerdict.DENIED,
  ERROR: undefined,
  AUDIT: undefined,
  REDIRECTED: ObservedVerdict.ALLOWED,
  TRACED: undefined,
  TRANSLATED: undefined,
};

/** Whether a parsed record looks like Hubble's. */
export function isHubbleRecord(record: any): boolean {
  return record !== null && typeof record === 'object' && (typeof record.flow === 'object' || ('l4' in record && 'source' in record && typeof record.source === 'object'));
}

/** Reads one record of `hubble observe -o json`. */
export function readHubbleRecord(record: any): RecordOutcome {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new RecordError('must be a JSON object (a Hubble flow)');
  const flow = 'flow' in record ? record.flow : ('l4' in record || 'IP' in record) ? record : undefined;
  if (flow === undefined) {
    const kind = Object.keys(record).find(k => k !== 'node_name' && k !== 'time') ?? 'empty';
    return { skip: `Hubble records that are not flows (${kind})` };
  }
  if (flow === null || typeof flow !== 'object') throw new RecordError('flow: Invalid value: must be an object');
  if (flow.is_reply === true) return { skip: 'reply flows (is_reply: replies are always allowed)' };
  const l4 = flow.l4;
  if (l4 === null || typeof l4 !== 'object') {
    if (l4 === undefined) return { skip: 'flows without a layer-4 header (no l4)' };
    throw new RecordError('flow.l4: Invalid value: must be an object');
  }
  const name = Object.keys(l4)[0];
  if (name === undefined) throw new RecordError('flow.l4: Required value: TCP, UDP or SCTP');
  const protocol = protocolOf(`flow.l4.${name}`, name);
  if (typeof protocol !== 'string') return protocol;
  const port = portOf(`flow.l4.${name}.destination_port`, l4[name]?.destination_port);
  const verdict = typeof flow.verdict === 'string' ? VERDICTS[flow.verdict] : undefined;
  const ip = flow.IP && typeof flow.IP === 'object' ? flow.IP : {};
  // a recording repeats the same flows: read each distinct one once (the same object is returned)
  const key = readKey(flow, ip, name, port);
  const known = key === undefined ? undefined : READ.get(key);
  if (known) return known;
  const read: RecordOutcome = {
    source: endpointOf('source', flow.source, ip.source),
    destination: endpointOf('destination', flow.destination, ip.destination),
    protocol,
    port,
    count: 1,
    ...(verdict ? { verdict } : {}),
  };
  if (key !== undefined) {
    if (READ.size >= MAX_READ) READ.clear();
    READ.set(key, read);
  }
  return read;
}

/** The flows read so far, by `readKey`: bounded, cleared when full. */
const READ = new Map<string, RecordOutcome>();
const MAX_READ = 100000;

/** Absent, or a string without the key's separators. */
function plain(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && !/[\u0000-\u0002]/.test(value));
}

/**
 * One end's fields that the reader reads, as text; undefined when one is not of the expected
 * type or holds a separator (such a record is read the slow way, and refused there).
 */
function endKey(e: any, ip: unknown): string | undefined {
  if (!plain(ip)) return undefined;
  if (e === null || typeof e !== 'object') return e === undefined ? `\u0002${ip}` : undefined;
  const { namespace, pod_name: pod, labels, workloads } = e;
  if (!plain(namespace) || !plain(pod)) return undefined;
  if (!(labels === undefined || (Array.isArray(labels) && labels.every(l => typeof l === 'string' && plain(l))))) return undefined;
  let workload = '';
  if (workloads !== undefined) {
    if (!Array.isArray(workloads)) return undefined;
    const w = workloads[0];
    if (w !== undefined && (w === null || typeof w !== 'object' || !plain(w.name) || !plain(w.kind))) return undefined;
    if (w) workload = `${w.name}\u0001${w.kind}`;
  }
  return `${namespace}\u0001${pod}\u0001${ip}\u0001${workload}\u0001${labels === undefined ? '' : labels.join('\u0001')}`;
}

/** Everything a flow's reading depends on (its two ends, protocol, port, verdict) as one string. */
function readKey(flow: any, ip: any, protocol: string, port: number): string | undefined {
  const source = endKey(flow.source, ip.source);
  const destination = endKey(flow.destination, ip.destination);
  if (source === undefined || destination === undefined || !plain(flow.verdict)) return undefined;
  return `${protocol}/${port}/${flow.verdict}\u0000${source}\u0000${destination}`;
}
