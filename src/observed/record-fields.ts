/**
 * The field checks every flow reader shares: names validated as Kubernetes validates them (so
 * nothing a CNI would never report reaches a report), protocols, ports, counts. Not part of the
 * public API.
 */
import { ObservedEndpoint, ObservedFlow } from './observed-flow';
import { quote } from '../io/quote';
import { parseIpAddress } from '../model/ip-block';
import { Protocol } from '../port';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from '../validation/private/names';

/** A record that cannot be read: the message says which field and why. */
export class RecordError extends Error {}

/** A record read but not a flow a NetworkPolicy decides: counted under `reason`. */
export interface SkippedRecord {
  readonly skip: string;
}

/** A flow read from one record, before aggregation (where it was first seen is the aggregator's). */
export type RecordFlow = Omit<ObservedFlow, 'firstSeen'>;

/** What a reader makes of one record. */
export type RecordOutcome = RecordFlow | SkippedRecord;

/** Reads one parsed record of a format. */
export type RecordReader = (record: any) => RecordOutcome;

/** The protocols by IANA number, as some tools write them. */
const PROTOCOL_NUMBERS: Record<string, Protocol> = { 6: Protocol.TCP, 17: Protocol.UDP, 132: Protocol.SCTP };

/**
 * The protocol of a record (any case, or its IANA number), or a skip for a protocol no
 * NetworkPolicy matches (ICMP...), or an error for something that is no protocol.
 */
export function protocolOf(field: string, value: unknown): Protocol | SkippedRecord {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || text === '') throw new RecordError(`${field}: Required value: a protocol (TCP, UDP or SCTP)`);
  const upper = text.toUpperCase();
  if (upper === 'TCP' || upper === 'UDP' || upper === 'SCTP') return upper as Protocol;
  if (PROTOCOL_NUMBERS[upper]) return PROTOCOL_NUMBERS[upper];
  if (/^[A-Z0-9_.-]{1,20}$/.test(upper)) return { skip: `${upper} flows (NetworkPolicies match only TCP, UDP and SCTP)` };
  throw new RecordError(`${field}: Unsupported value: ${quote(text)}: a protocol is TCP, UDP or SCTP`);
}

/** A destination port, 1-65535 (a number, or a string of digits). */
export function portOf(field: string, value: unknown): number {
  const n = typeof value === 'string' && /^[0-9]{1,5}$/.test(value) ? Number(value) : value;
  if (value === undefined || value === null || value === '') throw new RecordError(`${field}: Required value: a destination port (1-65535)`);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new RecordError(`${field}: Invalid value: ${quote(String(JSON.stringify(value)))}: a destination port is a whole number from 1 to 65535`);
  }
  return n;
}

/** A count of observations: a whole number from 1 (absent: 1). */
export function countOf(field: string, value: unknown): number {
  if (value === undefined || value === null || value === '') return 1;
  const n = typeof value === 'string' && /^[0-9]{1,15}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new RecordError(`${field}: Invalid value: ${quote(String(JSON.stringify(value)))}: a count is a whole number, 1 or more`);
  }
  return n;
}

function check(field: string, value: string, errors: string[]): string {
  if (errors.length > 0) throw new RecordError(`${field}: Invalid value: ${quote(value)}: ${errors[0]}`);
  return value;
}

/**
 * Values already found valid: a recording repeats the same few thousand labels and addresses
 * millions of times. Bounded: cleared when full.
 */
const VALID_LABELS = new Map<string, Set<string>>();
const VALID_IPS = new Set<string>();
const VALID_NAMES = new Set<string>();
const MAX_KNOWN_VALID = 100000;

/** Checks a name once: `errors` runs only for a name not seen valid before. */
function checkName(field: string, text: string, errors: (value: string) => string[], kind: string): string {
  const key = `${kind}/${text}`;
  if (VALID_NAMES.has(key)) return text;
  check(field, text, errors(text));
  if (VALID_NAMES.size >= MAX_KNOWN_VALID) VALID_NAMES.clear();
  VALID_NAMES.add(key);
  return text;
}

/** An optional string field: absent, empty or `-` is none. */
export function optionalText(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '' || value === '-') return undefined;
  if (typeof value !== 'string') throw new RecordError(`${field}: Invalid value: ${quote(JSON.stringify(value) ?? String(value))}: must be a string`);
  return value;
}

/** A namespace name (a DNS-1123 label), if given. */
export function namespaceOf(field: string, value: unknown): string | undefined {
  const text = optionalText(field, value);
  return text === undefined ? undefined : checkName(field, text, isDns1123Label, 'namespace');
}

/** A pod or workload name (a DNS-1123 subdomain), if given. */
export function objectNameOf(field: string, value: unknown): string | undefined {
  const text = optionalText(field, value);
  return text === undefined ? undefined : checkName(field, text, isDns1123Subdomain, 'name');
}

/** An IP address, if given. */
export function ipOf(field: string, value: unknown): string | undefined {
  const text = optionalText(field, value);
  if (text === undefined || VALID_IPS.has(text)) return text;
  if (!parseIpAddress(text)) throw new RecordError(`${field}: Invalid value: ${quote(text)}: must be an IPv4 or IPv6 address`);
  if (VALID_IPS.size >= MAX_KNOWN_VALID) VALID_IPS.clear();
  VALID_IPS.add(text);
  return text;
}

/** Adds a label, checked as the API server checks labels. */
export function addLabel(field: string, labels: Record<string, string>, key: string, value: string): void {
  let values = VALID_LABELS.get(key);
  if (!values?.has(value)) {
    check(`${field}[${JSON.stringify(key)}]`, key, isQualifiedName(key));
    check(`${field}[${JSON.stringify(key)}]`, value, isValidLabelValue(value));
    if (VALID_LABELS.size >= MAX_KNOWN_VALID) VALID_LABELS.clear();
    if (!values || values.size >= MAX_KNOWN_VALID) VALID_LABELS.set(key, values = new Set());
    values.add(value);
  }
  labels[key] = value;
}

/** Labels from an object of strings. */
export function labelMapOf(field: string, value: unknown): Record<string, string> {
  const labels: Record<string, string> = Object.create(null);
  if (value === undefined || value === null) return labels;
  if (typeof value !== 'object' || Array.isArray(value)) throw new RecordError(`${field}: Invalid value: must be an object of label keys to values`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new RecordError(`${field}[${JSON.stringify(k)}]: Invalid value: a label value must be a string`);
    addLabel(field, labels, k, v);
  }
  return labels;
}

/** Labels from a list of `key=value` strings; `rename` rewrites an entry (Cilium's `k8s:` prefix) or drops it (`undefined`). */
export function labelListOf(field: string, value: unknown, rename: (entry: string) => string | undefined = e => e): Record<string, string> {
  const labels: Record<string, string> = Object.create(null);
  if (value === undefined || value === null) return labels;
  if (!Array.isArray(value)) throw new RecordError(`${field}: Invalid value: must be a list of "key=value" strings`);
  value.forEach((entry, i) => {
    if (typeof entry !== 'string') throw new RecordError(`${field}[${i}]: Invalid value: must be a "key=value" string`);
    const kept = rename(entry);
    if (kept === undefined) return;
    const eq = kept.indexOf('=');
    addLabel(field, labels, eq < 0 ? kept : kept.slice(0, eq), eq < 0 ? '' : kept.slice(eq + 1));
  });
  return labels;
}

/** An endpoint with nothing reported is an error: a flow must say where it came from and went. */
export function endpoint(field: string, e: ObservedEndpoint): ObservedEndpoint {
  if (e.namespace === undefined && e.ip === undefined && e.pod === undefined && e.workload === undefined) {
    throw new RecordError(`${field}: Required value: a namespace and pod or workload, or an IP address`);
  }
  if (e.namespace === undefined && (e.pod !== undefined || e.workload !== undefined)) {
    throw new RecordError(`${field}: Required value: the namespace of ${quote(e.pod ?? e.workload!)}`);
  }
  return e;
}
