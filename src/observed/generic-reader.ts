/**
 * The generic flow form, for any other recorder: JSON lines
 * `{"source": "shop/web", "destination": "shop/db", "protocol": "TCP", "port": 5432, "count": 12}`,
 * or CSV with a header naming the same columns (`source,destination,protocol,port,count`, any
 * order; `count` optional, 1 when absent; RFC 4180 quoting on one line). An endpoint is
 * `namespace/name` (a pod or a workload: matched by pod name first, then by workload name) or an
 * IP address. `protocol` is TCP, UDP or SCTP (any case; absent: TCP). Documented in
 * docs/observed-traffic.md. Not part of the public API.
 */
import { ObservedEndpoint } from './observed-flow';
import { RecordError, RecordOutcome, countOf, ipOf, namespaceOf, objectNameOf, portOf, protocolOf } from './record-fields';
import { quote } from '../io/quote';
import { parseIpAddress } from '../model/ip-block';

/** The columns of the generic form. */
export const GENERIC_COLUMNS: readonly string[] = ['source', 'destination', 'protocol', 'port', 'count'];

/** Whether a parsed JSON record looks like the generic form. */
export function isGenericRecord(record: any): boolean {
  return record !== null && typeof record === 'object' && typeof record.source === 'string' && typeof record.destination === 'string';
}

function endpointOf(field: string, value: unknown): ObservedEndpoint {
  if (typeof value !== 'string' || value === '') throw new RecordError(`${field}: Required value: "namespace/name" or an IP address`);
  if (parseIpAddress(value)) return { labels: Object.create(null), ip: ipOf(field, value) };
  const parts = value.split('/');
  if (parts.length !== 2) throw new RecordError(`${field}: Invalid value: ${quote(value)}: must be "namespace/name" (a pod or a workload) or an IP address`);
  const namespace = namespaceOf(`${field} (namespace)`, parts[0]);
  const name = objectNameOf(`${field} (name)`, parts[1]);
  if (namespace === undefined || name === undefined) throw new RecordError(`${field}: Invalid value: ${quote(value)}: must be "namespace/name" (a pod or a workload) or an IP address`);
  return { namespace, pod: name, workload: name, labels: Object.create(null) };
}

/** Reads one generic record (a parsed JSON object, or a CSV row as an object of its columns). */
export function readGenericRecord(record: any): RecordOutcome {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) throw new RecordError('must be a JSON object with source, destination, protocol, port and count');
  const unknown = Object.keys(record).filter(k => !GENERIC_COLUMNS.includes(k));
  if (unknown.length > 0) throw new RecordError(`${unknown[0]}: Unknown field: the generic form has ${GENERIC_COLUMNS.join(', ')}`);
  const protocol = protocolOf('protocol', record.protocol ?? 'TCP');
  if (typeof protocol !== 'string') return protocol;
  return {
    source: endpointOf('source', record.source),
    destination: endpointOf('destination', record.destination),
    protocol,
    port: portOf('port', record.port),
    count: countOf('count', record.count),
  };
}

/** The fields of one CSV line (RFC 4180 quoting, on one line). */
export function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new RecordError('a quoted CSV field is not closed on its line');
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(value);
      if (i === line.length) return out;
      if (line[i] !== ',') throw new RecordError(`a quoted CSV field is followed by ${quote(line[i])}, not a comma`);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/**
 * The columns of a CSV header line: each a generic column, `source`, `destination` and `port`
 * required.
 */
export function csvHeader(line: string): string[] {
  const columns = csvFields(line).map(c => c.trim().toLowerCase());
  for (const c of columns) {
    if (!GENERIC_COLUMNS.includes(c)) throw new RecordError(`the CSV header has the unknown column ${quote(c)}: the columns are ${GENERIC_COLUMNS.join(', ')}`);
  }
  for (const c of ['source', 'destination', 'port']) {
    if (!columns.includes(c)) throw new RecordError(`the CSV header has no ${c} column: the columns are ${GENERIC_COLUMNS.join(', ')} (count and protocol optional)`);
  }
  return columns;
}

/** A CSV row as a record of its columns. */
export function csvRecord(columns: readonly string[], line: string): Record<string, string> {
  const fields = csvFields(line);
  if (fields.length !== columns.length) throw new RecordError(`the row has ${fields.length} fields, the header ${columns.length}`);
  const record: Record<string, string> = Object.create(null);
  columns.forEach((c, i) => { record[c] = fields[i]; });
  return record;
}
