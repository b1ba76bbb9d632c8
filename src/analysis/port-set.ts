import { MAX_PORT, MIN_PORT } from '../constants';
import { Protocol } from '../port';

/** The protocols a NetworkPolicy knows, in the order every port set prints them. */
const PROTOCOLS: readonly Protocol[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

/** An inclusive range of port numbers. */
export interface PortRange {
  /** The first port (1-65535). */
  readonly start: number;
  /** The last port, inclusive (`start`-65535). */
  readonly end: number;
}

/** Flat `[start, end, start, end, ...]`: sorted, disjoint, not adjacent. */
type Ranges = readonly number[];

const EMPTY: Ranges = Object.freeze([]);
const FULL: Ranges = Object.freeze([MIN_PORT, MAX_PORT]);

function unionRanges(a: Ranges, b: Ranges): Ranges {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let start: number;
    let end: number;
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      start = a[i]; end = a[i + 1]; i += 2;
    } else {
      start = b[j]; end = b[j + 1]; j += 2;
    }
    const last = out.length - 1;
    if (last > 0 && start <= out[last] + 1) out[last] = Math.max(out[last], end);
    else out.push(start, end);
  }
  return out;
}

function intersectRanges(a: Ranges, b: Ranges): Ranges {
  if (a.length === 0 || b.length === 0) return EMPTY;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i], b[j]);
    const end = Math.min(a[i + 1], b[j + 1]);
    if (start <= end) out.push(start, end);
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return out;
}

function subtractRanges(a: Ranges, b: Ranges): Ranges {
  if (a.length === 0 || b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let start = a[i];
    const end = a[i + 1];
    while (j < b.length && b[j + 1] < start) j += 2;
    let k = j;
    while (k < b.length && b[k] <= end && start <= end) {
      if (b[k] > start) out.push(start, b[k] - 1);
      start = b[k + 1] + 1;
      k += 2;
    }
    if (start <= end) out.push(start, end);
  }
  return out;
}

function sameRanges(a: Ranges, b: Ranges): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function formatRanges(r: Ranges): string {
  const parts: string[] = [];
  for (let i = 0; i < r.length; i += 2) parts.push(r[i] === r[i + 1] ? String(r[i]) : `${r[i]}-${r[i + 1]}`);
  return parts.join(',');
}

function checkPort(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_PORT || value > MAX_PORT) {
    throw new RangeError(`${what}: Invalid value: ${JSON.stringify(value)}: must be a port number between ${MIN_PORT} and ${MAX_PORT}, inclusive`);
  }
  return value;
}

function checkProtocol(protocol: unknown): Protocol {
  if (!PROTOCOLS.includes(protocol as Protocol)) {
    throw new RangeError(`protocol: Unsupported value: ${JSON.stringify(protocol)}: supported values: "TCP", "UDP", "SCTP"`);
  }
  return protocol as Protocol;
}

/**
 * A set of connections by protocol and destination port: for each of TCP, UDP and SCTP, a
 * minimal list of sorted, disjoint, inclusive port ranges. Immutable.
 *
 * Reads as `All Connections`, `No Connections`, or protocol by protocol, e.g.
 * `TCP 1-79,81-65535; UDP 53` (a protocol with no port is left out).
 */
export class PortSet {
  /** No connection at all. */
  public static readonly NONE: PortSet = new PortSet(EMPTY, EMPTY, EMPTY);

  /** Every port of every protocol. */
  public static readonly ALL: PortSet = new PortSet(FULL, FULL, FULL);

  /**
   * The ports `start` to `end` (inclusive) of one protocol.
   *
   * @param protocol TCP, UDP or SCTP
   * @param start the first port (1-65535)
   * @param end the last port, inclusive
   * @default end - `start`: one port
   */
  public static range(protocol: Protocol, start: number, end?: number): PortSet {
    const p = checkProtocol(protocol);
    const first = checkPort(start, 'start');
    const last = end === undefined ? first : checkPort(end, 'end');
    if (last < first) throw new RangeError(`end: Invalid value: ${last}: must be at least start (${first})`);
    return PortSet.fromRanges(p, [first, last]);
  }

  /** Every port of one protocol. */
  public static protocol(protocol: Protocol): PortSet {
    return PortSet.fromRanges(checkProtocol(protocol), FULL);
  }

  /**
   * Reads the JSON form (`{"TCP":[[1,79],[81,65535]],"UDP":[[53,53]]}`), as `toJson()` writes it.
   *
   * @throws if a key is not a protocol, or a range is not `[start, end]` with 1 <= start <= end <= 65535
   */
  public static fromJson(json: any): PortSet {
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      throw new RangeError(`a port set must be an object like {"TCP":[[80,80]]}, not ${JSON.stringify(json)}`);
    }
    let set = PortSet.NONE;
    for (const [protocol, ranges] of Object.entries(json)) {
      checkProtocol(protocol);
      if (!Array.isArray(ranges)) throw new RangeError(`${protocol}: must be a list of [start, end] ranges, not ${JSON.stringify(ranges)}`);
      for (const r of ranges) {
        if (!Array.isArray(r) || r.length !== 2) throw new RangeError(`${protocol}: Invalid value: ${JSON.stringify(r)}: a range is [start, end]`);
        set = set.union(PortSet.range(protocol as Protocol, r[0], r[1]));
      }
    }
    return set;
  }

  private static fromRanges(protocol: Protocol, ranges: Ranges): PortSet {
    return new PortSet(
      protocol === Protocol.TCP ? ranges : EMPTY,
      protocol === Protocol.UDP ? ranges : EMPTY,
      protocol === Protocol.SCTP ? ranges : EMPTY,
    );
  }

  private readonly tcp: Ranges;
  private readonly udp: Ranges;
  private readonly sctp: Ranges;
  private text?: string;

  private constructor(tcp: Ranges, udp: Ranges, sctp: Ranges) {
    this.tcp = tcp;
    this.udp = udp;
    this.sctp = sctp;
  }

  /** Whether no connection is in the set. */
  public get isEmpty(): boolean {
    return this.tcp.length === 0 && this.udp.length === 0 && this.sctp.length === 0;
  }

  /** Whether every port of every protocol is in the set. */
  public get isAll(): boolean {
    return sameRanges(this.tcp, FULL) && sameRanges(this.udp, FULL) && sameRanges(this.sctp, FULL);
  }

  /** The ranges of one protocol, sorted, disjoint and not adjacent. */
  public ranges(protocol: Protocol): PortRange[] {
    const r = this.of(checkProtocol(protocol));
    const out: PortRange[] = [];
    for (let i = 0; i < r.length; i += 2) out.push({ start: r[i], end: r[i + 1] });
    return out;
  }

  /** Whether the set holds `port` of `protocol`. */
  public has(protocol: Protocol, port: number): boolean {
    const r = this.of(checkProtocol(protocol));
    for (let i = 0; i < r.length && r[i] <= port; i += 2) if (port <= r[i + 1]) return true;
    return false;
  }

  /** The connections in this set or the other. */
  public union(other: PortSet): PortSet {
    if (other.isEmpty || other === this) return this;
    if (this.isEmpty) return other;
    return new PortSet(unionRanges(this.tcp, other.tcp), unionRanges(this.udp, other.udp), unionRanges(this.sctp, other.sctp));
  }

  /** The connections in both sets. */
  public intersect(other: PortSet): PortSet {
    if (other === this || other === PortSet.ALL) return this;
    if (this === PortSet.ALL) return other;
    return new PortSet(intersectRanges(this.tcp, other.tcp), intersectRanges(this.udp, other.udp), intersectRanges(this.sctp, other.sctp));
  }

  /** The connections in this set and not in the other. */
  public subtract(other: PortSet): PortSet {
    if (other.isEmpty) return this;
    return new PortSet(subtractRanges(this.tcp, other.tcp), subtractRanges(this.udp, other.udp), subtractRanges(this.sctp, other.sctp));
  }

  /** Whether both sets hold the same connections. */
  public sameAs(other: PortSet): boolean {
    return other === this || (sameRanges(this.tcp, other.tcp) && sameRanges(this.udp, other.udp) && sameRanges(this.sctp, other.sctp));
  }

  /**
   * The JSON form: each protocol with at least one port, as a list of `[start, end]` ranges,
   * e.g. `{"TCP":[[1,79],[81,65535]],"UDP":[[53,53]]}`; `{}` when empty.
   */
  public toJson(): any {
    const out: Record<string, number[][]> = {};
    for (const p of PROTOCOLS) {
      const r = this.of(p);
      if (r.length === 0) continue;
      const list: number[][] = [];
      for (let i = 0; i < r.length; i += 2) list.push([r[i], r[i + 1]]);
      out[p] = list;
    }
    return out;
  }

  /** `All Connections`, `No Connections`, or e.g. `TCP 1-79,81-65535; UDP 53`. */
  public toString(): string {
    if (this.text === undefined) {
      if (this.isEmpty) this.text = 'No Connections';
      else if (this.isAll) this.text = 'All Connections';
      else this.text = PROTOCOLS.filter(p => this.of(p).length > 0).map(p => `${p} ${formatRanges(this.of(p))}`).join('; ');
    }
    return this.text;
  }

  private of(protocol: Protocol): Ranges {
    return protocol === Protocol.TCP ? this.tcp : protocol === Protocol.UDP ? this.udp : this.sctp;
  }
}
