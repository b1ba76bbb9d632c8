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
/** IANA_SVC_NAME's characters, no '-' at either end (the length, a letter and no '--' are checked apart). */
const PORT_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
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

/** Per protocol, sorted distinct port names. */
type Names = readonly string[];

function unionNames(a: Names, b: Names): Names {
  if (a.length === 0) return b;
  if (b.length === 0 || a === b) return a;
  return [...new Set([...a, ...b])].sort();
}

/** A name of `a` survives when `b` has the same name or every port number of the protocol. */
function intersectNames(a: Names, aRanges: Ranges, b: Names, bRanges: Ranges): Names {
  if (a.length === 0 && b.length === 0) return EMPTY_NAMES;
  const out = new Set<string>();
  for (const n of a) if (sameRanges(bRanges, FULL) || b.includes(n)) out.add(n);
  for (const n of b) if (sameRanges(aRanges, FULL) || a.includes(n)) out.add(n);
  return out.size === 0 ? EMPTY_NAMES : [...out].sort();
}

const EMPTY_NAMES: Names = Object.freeze([]);
const NO_NAMES: readonly [Names, Names, Names] = Object.freeze([EMPTY_NAMES, EMPTY_NAMES, EMPTY_NAMES]) as readonly [Names, Names, Names];

/**
 * A set of connections by protocol and destination port: for each of TCP, UDP and SCTP, a
 * minimal list of sorted, disjoint, inclusive port ranges, and the named ports that could not
 * be resolved to numbers (a named port towards a representative endpoint, whose container
 * ports are unknown). Immutable.
 *
 * Reads as `All Connections`, `No Connections`, or protocol by protocol, e.g.
 * `TCP 1-79,81-65535; UDP 53` (a protocol with no port is left out); named ports follow the
 * numbers of their protocol, `TCP 8080,http`.
 *
 * A named port `http` in a set means the destination's container port named `http` of that
 * protocol, whatever its number. Named ports combine as names: a union keeps both sides' names;
 * an intersection keeps a name that the other side also names or whose protocol the other side
 * holds entirely (whatever number the port has, both sides then allow it); a protocol whose
 * every port number is in the set holds all its names already, and lists none.
 */
export class PortSet {
  /** No connection at all. */
  public static readonly NONE: PortSet = new PortSet(EMPTY, EMPTY, EMPTY);

  /** Every port of every protocol. */
  public static readonly ALL: PortSet = new PortSet(FULL, FULL, FULL);

  /**
   * The container port of that name and protocol, whatever its number (a named port that could
   * not be resolved, because the destination's container ports are unknown).
   *
   * @param protocol TCP, UDP or SCTP
   * @param name the port name (an IANA_SVC_NAME)
   */
  public static named(protocol: Protocol, name: string): PortSet {
    const p = checkProtocol(protocol);
    if (typeof name !== 'string' || !PORT_NAME.test(name) || name.length > 15 || name.includes('--') || !/[a-z]/.test(name)) {
      throw new RangeError(`name: Invalid value: ${JSON.stringify(name)}: a port name has at most 15 characters, only a-z, 0-9 and '-', at least one letter, no '--', and no '-' at either end`);
    }
    const names: Names = [name];
    const of = (q: Protocol) => (p === q ? names : EMPTY_NAMES);
    return new PortSet(EMPTY, EMPTY, EMPTY, [of(Protocol.TCP), of(Protocol.UDP), of(Protocol.SCTP)]);
  }

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
      if (protocol === 'named') {
        if (!ranges || typeof ranges !== 'object' || Array.isArray(ranges)) {
          throw new RangeError(`named: must be an object like {"TCP":["http"]}, not ${JSON.stringify(ranges)}`);
        }
        for (const [p, names] of Object.entries(ranges)) {
          checkProtocol(p);
          if (!Array.isArray(names)) throw new RangeError(`named.${p}: must be a list of port names, not ${JSON.stringify(names)}`);
          for (const n of names) set = set.union(PortSet.named(p as Protocol, n));
        }
        continue;
      }
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
  /** The unresolved named ports of TCP, UDP and SCTP (none of a protocol whose ranges are full). */
  private readonly names: readonly [Names, Names, Names];
  private text?: string;

  private constructor(tcp: Ranges, udp: Ranges, sctp: Ranges, names?: readonly [Names, Names, Names]) {
    this.tcp = tcp;
    this.udp = udp;
    this.sctp = sctp;
    this.names = names
      ? [tcp, udp, sctp].map((r, i) => (sameRanges(r, FULL) ? EMPTY_NAMES : names[i])) as unknown as [Names, Names, Names]
      : NO_NAMES;
  }

  /** Whether no connection is in the set. */
  public get isEmpty(): boolean {
    return this.tcp.length === 0 && this.udp.length === 0 && this.sctp.length === 0 && !this.hasNamedPorts;
  }

  /** Whether the set holds a named port that could not be resolved (see `namedPorts`). */
  public get hasNamedPorts(): boolean {
    return this.names !== NO_NAMES && (this.names[0].length > 0 || this.names[1].length > 0 || this.names[2].length > 0);
  }

  /** The named ports of one protocol the set holds without a number, sorted. */
  public namedPorts(protocol: Protocol): string[] {
    return [...this.names[PROTOCOLS.indexOf(checkProtocol(protocol))]];
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
    const names = this.names === NO_NAMES && other.names === NO_NAMES ? undefined
      : [0, 1, 2].map(i => unionNames(this.names[i], other.names[i])) as unknown as [Names, Names, Names];
    return new PortSet(unionRanges(this.tcp, other.tcp), unionRanges(this.udp, other.udp), unionRanges(this.sctp, other.sctp), names);
  }

  /**
   * The connections in both sets. A named port is in both when the other set names it too or
   * holds every port number of its protocol (see the class).
   */
  public intersect(other: PortSet): PortSet {
    if (other === this || other === PortSet.ALL) return this;
    if (this === PortSet.ALL) return other;
    const names = this.names === NO_NAMES && other.names === NO_NAMES ? undefined
      : PROTOCOLS.map((p, i) => intersectNames(this.names[i], this.of(p), other.names[i], other.of(p))) as unknown as [Names, Names, Names];
    return new PortSet(intersectRanges(this.tcp, other.tcp), intersectRanges(this.udp, other.udp), intersectRanges(this.sctp, other.sctp), names);
  }

  /** The connections in this set and not in the other (a named port is taken away by the same name only). */
  public subtract(other: PortSet): PortSet {
    if (other.isEmpty) return this;
    const names = this.names === NO_NAMES ? undefined
      : [0, 1, 2].map(i => {
        // a protocol whose every number the other set holds takes every name of it
        if (sameRanges(other.of(PROTOCOLS[i]), FULL)) return EMPTY_NAMES;
        return this.names[i].filter(n => !other.names[i].includes(n));
      }) as unknown as [Names, Names, Names];
    return new PortSet(subtractRanges(this.tcp, other.tcp), subtractRanges(this.udp, other.udp), subtractRanges(this.sctp, other.sctp), names);
  }

  /** Whether both sets hold the same connections. */
  public sameAs(other: PortSet): boolean {
    return other === this || (sameRanges(this.tcp, other.tcp) && sameRanges(this.udp, other.udp) && sameRanges(this.sctp, other.sctp)
      && [0, 1, 2].every(i => this.names[i].join(',') === other.names[i].join(',')));
  }

  /**
   * The JSON form: each protocol with at least one port, as a list of `[start, end]` ranges,
   * e.g. `{"TCP":[[1,79],[81,65535]],"UDP":[[53,53]]}`; `{}` when empty. Unresolved named ports
   * are beside the ranges, per protocol: `{"TCP":[[8080,8080]],"named":{"TCP":["http"]}}`.
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
    if (this.hasNamedPorts) {
      const named: Record<string, string[]> = {};
      PROTOCOLS.forEach((p, i) => { if (this.names[i].length > 0) named[p] = [...this.names[i]]; });
      (out as any).named = named;
    }
    return out;
  }

  /** `All Connections`, `No Connections`, or e.g. `TCP 1-79,81-65535; UDP 53`. */
  public toString(): string {
    if (this.text === undefined) {
      if (this.isEmpty) {this.text = 'No Connections';} else if (this.isAll) {this.text = 'All Connections';} else {
        this.text = PROTOCOLS.map((p, i) => {
          const parts = [formatRanges(this.of(p)), this.names[i].join(',')].filter(x => x !== '');
          return parts.length === 0 ? '' : `${p} ${parts.join(',')}`;
        }).filter(x => x !== '').join('; ');
      }
    }
    return this.text;
  }

  private of(protocol: Protocol): Ranges {
    return protocol === Protocol.TCP ? this.tcp : protocol === Protocol.UDP ? this.udp : this.sctp;
  }
}
