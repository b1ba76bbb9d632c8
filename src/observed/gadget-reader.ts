/**
 * Inspektor Gadget's network traces, one JSON object per line (`-o json`):
 * - `trace network` (the events `advise network-policy` reads): the pod (`namespace`, `pod`,
 *   `podLabels`, `podIP`, or the same under `k8s`: `namespace`, `podName`, `podLabels`),
 *   `pktType` (`OUTGOING`: the pod connected out; `HOST`: it was connected to), `proto`, `port`
 *   (the remote port for outgoing packets, the pod's own for incoming ones), `remoteKind`
 *   (`pod`, `svc`, `other`), `remoteAddr`, `remoteName`, `remoteNamespace`, `remoteLabels`;
 * - `trace_tcp`-style events: `src` and `dst` (`addr`, `port`, `k8s`: `kind`, `namespace`,
 *   `name`, `labels`), `type` (`connect`, `accept`, `close`), `proto` (TCP unless given).
 *   Each connection counts once: `accept` and `close` events, the same connection seen again,
 *   are skipped (counted).
 * Not part of the public API.
 *
 * @see https://www.inspektor-gadget.io/docs/main/gadgets/
 * @see https://github.com/inspektor-gadget/inspektor-gadget/blob/main/docs/builtin-gadgets/trace/tcpconnect.md
 */
import { ObservedEndpoint } from './observed-flow';
import { RecordError, RecordOutcome, endpoint, ipOf, labelMapOf, namespaceOf, objectNameOf, optionalText, portOf, protocolOf } from './record-fields';

/** Whether a parsed record looks like Inspektor Gadget's. */
export function isGadgetRecord(record: any): boolean {
  if (record === null || typeof record !== 'object') return false;
  return 'remoteKind' in record || 'pktType' in record
    || (typeof record.src === 'object' && typeof record.dst === 'object' && record.src !== null && record.dst !== null);
}

function socketEnd(field: string, e: any): ObservedEndpoint {
  const value = e && typeof e === 'object' ? e : {};
  const k8s = value.k8s && typeof value.k8s === 'object' ? value.k8s : {};
  const kind = optionalText(`${field}.k8s.kind`, k8s.kind);
  const name = objectNameOf(`${field}.k8s.name`, k8s.name);
  const isPod = kind === undefined || kind === 'pod';
  const out: ObservedEndpoint = kind === 'raw' ? { labels: Object.create(null), ip: ipOf(`${field}.addr`, value.addr) } : {
    namespace: namespaceOf(`${field}.k8s.namespace`, k8s.namespace),
    pod: isPod ? name : undefined,
    labels: labelMapOf(`${field}.k8s.labels`, typeof k8s.labels === 'string' ? undefined : k8s.labels),
    ip: ipOf(`${field}.addr`, value.addr),
  };
  return endpoint(field, out);
}

function readSocketEvent(record: any): RecordOutcome {
  const type = optionalText('type', record.type);
  if (type !== undefined && type !== 'connect') return { skip: `Inspektor Gadget ${type} events (each connection counts once, at connect)` };
  const protocol = protocolOf('proto', record.proto ?? 'TCP');
  if (typeof protocol !== 'string') return protocol;
  return {
    source: socketEnd('src', record.src),
    destination: socketEnd('dst', record.dst),
    protocol,
    port: portOf('dst.port', record.dst?.port),
    count: 1,
  };
}

/** Reads one record of an Inspektor Gadget network trace. */
export function readGadgetRecord(record: any): RecordOutcome {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new RecordError('must be a JSON object (an Inspektor Gadget event)');
  if (!('remoteKind' in record || 'pktType' in record)) return readSocketEvent(record);
  const k8s = record.k8s && typeof record.k8s === 'object' ? record.k8s : {};
  const pod: ObservedEndpoint = endpoint('pod', {
    namespace: namespaceOf('namespace', record.namespace ?? k8s.namespace),
    pod: objectNameOf('pod', record.pod ?? k8s.podName ?? k8s.pod),
    labels: labelMapOf('podLabels', record.podLabels ?? k8s.podLabels),
    ip: ipOf('podIP', record.podIP),
  });
  const remoteKind = optionalText('remoteKind', record.remoteKind);
  if (remoteKind === 'svc') return { skip: 'Inspektor Gadget flows to a Service address (remoteKind svc: the pods behind it are not named)' };
  const remote: ObservedEndpoint = endpoint('remote', remoteKind === 'pod' ? {
    namespace: namespaceOf('remoteNamespace', record.remoteNamespace),
    pod: objectNameOf('remoteName', record.remoteName),
    labels: labelMapOf('remoteLabels', record.remoteLabels),
    ip: ipOf('remoteAddr', record.remoteAddr),
  } : { labels: Object.create(null), ip: ipOf('remoteAddr', record.remoteAddr) });
  const protocol = protocolOf('proto', record.proto);
  if (typeof protocol !== 'string') return protocol;
  const pktType = optionalText('pktType', record.pktType);
  if (pktType !== 'OUTGOING' && pktType !== 'HOST') {
    throw new RecordError(`pktType: Unsupported value: ${JSON.stringify(record.pktType)}: OUTGOING or HOST`);
  }
  const port = portOf('port', record.port);
  const outgoing = pktType === 'OUTGOING';
  return { source: outgoing ? pod : remote, destination: outgoing ? remote : pod, protocol, port, count: 1 };
}
