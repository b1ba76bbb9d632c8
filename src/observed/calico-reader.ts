/**
 * Calico's flow logs, one JSON object per line, as Calico Enterprise and Calico Cloud export
 * them: `source_namespace`, `source_name` (the pod, or `-` when aggregated), `source_name_aggr`
 * (the pod name prefix, `frontend-5d8f7c9b4-*`; `pvt`/`pub` for a network), `source_ip`,
 * `source_labels` (`{"labels": ["app=web"]}`), the same `dest_*` fields, `proto` (`tcp`, or the
 * IANA number), `dest_port`, `action` (`allow`/`deny`), `reporter`, `num_flows`. A `-` is none.
 * The count of a record is its `num_flows`.
 * Not part of the public API.
 *
 * @see https://docs.tigera.io/calico-enterprise/3.21/visibility/elastic/flow/datatypes
 */
import { ObservedEndpoint, ObservedVerdict } from './observed-flow';
import { RecordError, RecordOutcome, countOf, endpoint, ipOf, labelListOf, labelMapOf, namespaceOf, objectNameOf, optionalText, portOf, protocolOf } from './record-fields';

/** Calico's labels: `{"labels": ["k=v", ...]}`, a list, or an object. */
function labelsOf(field: string, value: unknown): Record<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as any).labels)) return labelListOf(`${field}.labels`, (value as any).labels);
  if (Array.isArray(value)) return labelListOf(field, value);
  if (typeof value === 'string' && value !== '-' && value !== '') return labelListOf(field, value.split(','));
  return labelMapOf(field, value === '-' || value === '' ? undefined : value);
}

/** The workload part of an aggregated name: `frontend-5d8f7c9b4-*` -> `frontend-5d8f7c9b4`. */
function aggregatedName(field: string, value: unknown): string | undefined {
  const text = optionalText(field, value);
  if (text === undefined || text === 'pvt' || text === 'pub') return undefined;
  return objectNameOf(field, text.endsWith('-*') ? text.slice(0, -2) : text);
}

function endpointOf(prefix: 'source' | 'dest', r: any): ObservedEndpoint {
  const namespace = namespaceOf(`${prefix}_namespace`, r[`${prefix}_namespace`]);
  const e: ObservedEndpoint = {
    namespace,
    pod: objectNameOf(`${prefix}_name`, r[`${prefix}_name`]),
    workload: aggregatedName(`${prefix}_name_aggr`, r[`${prefix}_name_aggr`]),
    labels: labelsOf(`${prefix}_labels`, r[`${prefix}_labels`]),
    ip: ipOf(`${prefix}_ip`, r[`${prefix}_ip`]),
  };
  if (namespace === undefined) {
    // a network (pvt/pub) or a host: only its address means anything to a NetworkPolicy
    if (e.ip === undefined) throw new AggregatedNetwork();
    return endpoint(prefix === 'source' ? 'source' : 'destination', { labels: Object.create(null), ip: e.ip });
  }
  return endpoint(prefix === 'source' ? 'source' : 'destination', e);
}

/** An end that is a network aggregated without its address (`pub`/`pvt`, `dest_ip` null). */
class AggregatedNetwork extends Error {}

/** Whether a parsed record looks like a Calico flow log. */
export function isCalicoRecord(record: any): boolean {
  return record !== null && typeof record === 'object' && ('source_namespace' in record || 'dest_namespace' in record || 'num_flows' in record);
}

/** Reads one Calico flow log record. */
export function readCalicoRecord(record: any): RecordOutcome {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new RecordError('must be a JSON object (a Calico flow log)');
  const protocol = protocolOf('proto', record.proto);
  if (typeof protocol !== 'string') return protocol;
  const action = optionalText('action', record.action);
  if (action !== undefined && action !== 'allow' && action !== 'deny') {
    throw new RecordError(`action: Unsupported value: ${JSON.stringify(action)}: allow or deny`);
  }
  const port = portOf('dest_port', record.dest_port);
  let source: ObservedEndpoint;
  let destination: ObservedEndpoint;
  try {
    source = endpointOf('source', record);
    destination = endpointOf('dest', record);
  } catch (err) {
    if (err instanceof AggregatedNetwork) return { skip: 'Calico flows with a network end aggregated without its address (pub/pvt, no IP): nothing to evaluate' };
    throw err;
  }
  return {
    source,
    destination,
    protocol,
    port,
    count: countOf('num_flows', record.num_flows),
    ...(action ? { verdict: action === 'allow' ? ObservedVerdict.ALLOWED : ObservedVerdict.DENIED } : {}),
  };
}
