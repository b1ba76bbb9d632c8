import * as ipaddr from 'ipaddr.js';

/**
 * IP address and CIDR parsing for both families, as the Kubernetes API server does it.
 *
 * Two modes:
 * - **lenient** (older servers, and the `StrictIPCIDRValidation` feature gate off):
 *   the "sloppy" parser of `k8s.io/utils/net` (a fork of Go's old `net.ParseCIDR`),
 *   which accepts leading zeros in IPv4 octets and in the prefix length, IPv4-mapped
 *   IPv6 addresses, and bits set beyond the prefix length (`10.0.0.1/8` means `10.0.0.0/8`);
 * - **strict** (current upstream): the same, then rejects leading zeros, IPv4-mapped
 *   IPv6 addresses and bits set beyond the prefix length, reporting only the first
 *   of these problems, as upstream does.
 *
 * The textual checks (leading zeros, group lengths, zones) are done here; the final
 * parse of the normalised text is done by ipaddr.js. ipaddr.js is never given dotted
 * quads inside IPv6 text (it reads `::1.2.3.4` as `::ffff:1.2.3.4`) nor IPv4 forms
 * other than four decimal parts (it reads `010.0.0.1` as octal).
 */

/** An address family. */
export type IpFamily = 'ipv4' | 'ipv6';

/** A parsed IP address. */
export interface ParsedIp {
  /** The text as given. */
  readonly text: string;
  /**
   * The family the server matches it as: an IPv4-mapped IPv6 address
   * (`::ffff:1.2.3.4`) is IPv4, as Go's `net.IP.To4()` makes it.
   */
  readonly family: IpFamily;
  /** The address as an unsigned integer of 32 (IPv4) or 128 (IPv6) bits. */
  readonly value: bigint;
  /** An IPv4 octet (or a too-long IPv6 group) had leading zeros. */
  readonly leadingZeros: boolean;
  /** Written as an IPv4-mapped IPv6 address. */
  readonly ipv4Mapped: boolean;
}

/** A parsed CIDR. */
export interface ParsedCidr {
  /** The text as given. */
  readonly text: string;
  /**
   * The family the server matches it as. An IPv4-mapped IPv6 CIDR with a prefix of
   * at least 96 bits (`::ffff:10.0.0.0/104`) is the IPv4 network `10.0.0.0/8`.
   */
  readonly family: IpFamily;
  /** The prefix length within `family` (0–32 or 0–128). */
  readonly prefixLength: number;
  /** The prefix length as written (for `::ffff:10.0.0.0/104`, 104). */
  readonly maskSize: number;
  /** The address as written, within `family`, host bits kept. */
  readonly address: bigint;
  /** The network address: `address` with the host bits cleared. */
  readonly network: bigint;
  /** `address` has bits set beyond the prefix length (`10.0.0.1/8`). */
  readonly hostBitsSet: boolean;
  /** Leading zeros in an IPv4 octet or in the prefix length. */
  readonly leadingZeros: boolean;
  /** Written as an IPv4-mapped IPv6 address. */
  readonly ipv4Mapped: boolean;
  /** The canonical form of the network, e.g. `10.0.0.0/8` or `2001:db8::/32`. */
  readonly canonical: string;
}

/** The server's detail for an unparseable CIDR. */
export const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
/** The server's detail for an unparseable IP address. */
export const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };
const MAPPED_PREFIX = 0xffffn; // the upper 96 bits of ::ffff:a.b.c.d

interface RawIp {
  /** Family as written. */
  readonly family: IpFamily;
  readonly value: bigint;
  readonly leadingZeros: boolean;
}

function parseDottedQuad(text: string): { octets: number[]; leadingZeros: boolean } | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!m) return undefined;
  let leadingZeros = false;
  const octets: number[] = [];
  for (const part of m.slice(1)) {
    // Go's dtoi gives up at 0xFFFFFF; any count of leading zeros is fine below that
    const n = part.length > 12 ? Number.NaN : parseInt(part, 10);
    if (!(n <= 255)) return undefined;
    if (part.length > 1 && part.startsWith('0')) leadingZeros = true;
    octets.push(n);
  }
  return { octets, leadingZeros };
}

// Address arithmetic is done on bigints with powers of two (no bitwise operators).

/** 2 to the power `n`. */
/** `2n ** n` for n in 0-128, computed once (BigInt exponentiation is slow, and every mask needs one). */
const POWERS_OF_TWO: readonly bigint[] = Array.from({ length: 129 }, (_, n) => 2n ** BigInt(n));

function pow2(n: number): bigint {
  return POWERS_OF_TWO[n] ?? 2n ** BigInt(n);
}

function bytesToBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = v * 256n + BigInt(b);
  return v;
}

function bigintToBytes(v: bigint, length: number): number[] {
  const out: number[] = new Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v % 256n);
    v /= 256n;
  }
  return out;
}

function parseRawIp(text: string): RawIp | undefined {
  if (!text.includes(':')) {
    const quad = parseDottedQuad(text);
    if (!quad) return undefined;
    const addr = ipaddr.IPv4.parse(quad.octets.join('.'));
    return { family: 'ipv4', value: bytesToBigint(addr.toByteArray()), leadingZeros: quad.leadingZeros };
  }
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return undefined; // no zones, brackets or spaces
  let leadingZeros = false;
  const groups = text.split(':');
  const last = groups[groups.length - 1];
  if (last.includes('.')) {
    const quad = parseDottedQuad(last);
    if (!quad) return undefined;
    leadingZeros = quad.leadingZeros;
    const [a, b, c, d] = quad.octets;
    groups.splice(groups.length - 1, 1, (a * 256 + b).toString(16), (c * 256 + d).toString(16));
  }
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g === '') continue; // part of "::", left to ipaddr.js
    if (!/^[0-9A-Fa-f]+$/.test(g)) return undefined;
    if (g.length > 4) {
      // Go's old parser accepts "00001" (value <= 0xFFFF); netip does not
      const stripped = g.replace(/^0+(?=.)/, '');
      if (stripped.length > 4) return undefined;
      leadingZeros = true;
      groups[i] = stripped;
    }
  }
  try {
    const addr = ipaddr.IPv6.parse(groups.join(':'));
    return { family: 'ipv6', value: bytesToBigint(addr.toByteArray()), leadingZeros };
  } catch {
    return undefined;
  }
}

function isMapped(raw: RawIp): boolean {
  return raw.family === 'ipv6' && raw.value / pow2(32) === MAPPED_PREFIX;
}

/** Formats an address of a family as text (IPv6 in RFC 5952 form). */
export function formatIp(value: bigint, family: IpFamily): string {
  if (family === 'ipv4') {
    const n = Number(value); // exact: below 2^32
    return `${Math.floor(n / 16777216)}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
  }
  return new ipaddr.IPv6(bigintToBytes(value, 16)).toRFC5952String();
}

/** `value` with every bit after the first `prefixLength` cleared. */
function mask(value: bigint, family: IpFamily, prefixLength: number): bigint {
  return value - (value % pow2(BITS[family] - prefixLength));
}

/**
 * Parses an IP address leniently, as `netutils.ParseIPSloppy` does.
 *
 * @returns the address, or undefined when it does not parse at all
 */
export function parseIpSloppy(text: string): ParsedIp | undefined {
  const raw = parseRawIp(text);
  if (!raw) return undefined;
  const mapped = isMapped(raw);
  return {
    text,
    family: mapped ? 'ipv4' : raw.family,
    value: mapped ? raw.value % pow2(32) : raw.value,
    leadingZeros: raw.leadingZeros,
    ipv4Mapped: mapped,
  };
}

/**
 * Parses an IP address as Go's `net.ParseIP` does (Go 1.17 and later, so kubectl, the API
 * server's strict checks and the CNI plugins): as `parseIpSloppy`, but leading zeros
 * (`010.0.0.1`) are refused, being ambiguous (the old parser read them as decimal, C's
 * `inet_aton` as octal). IPv4-mapped IPv6 addresses are accepted, as Go accepts them.
 *
 * @returns the address, or undefined when Go would not parse it
 */
export function parseIpGo(text: string): ParsedIp | undefined {
  const ip = parseIpSloppy(text);
  return ip && !ip.leadingZeros ? ip : undefined;
}

/** Why a text is not an IP address Go would parse: the server's detail, or the leading zeros. */
export function ipAddressProblem(text: string): string {
  const sloppy = parseIpSloppy(text);
  if (sloppy?.leadingZeros) {
    return `must not have leading zeros (Go refuses them; some parsers read 010 as octal 8): write ${formatIp(sloppy.value, sloppy.family)}`;
  }
  return INVALID_IP;
}

/**
 * Parses an IP address.
 *
 * @param strict reject leading zeros and IPv4-mapped IPv6 addresses (current servers)
 * @returns the address, or the server's detail message for why it is invalid
 */
export function parseIp(text: string, strict: boolean): ParsedIp | string {
  const ip = parseIpSloppy(text);
  if (!ip) return INVALID_IP;
  if (strict && ip.leadingZeros) return 'must not have leading 0s';
  if (strict && ip.ipv4Mapped) return 'must not be an IPv4-mapped IPv6 address';
  return ip;
}

/**
 * Parses a CIDR leniently, as `netutils.ParseCIDRSloppy` does: bits beyond the
 * prefix are kept in `address` and cleared in `network`.
 *
 * @returns the CIDR, or undefined when it does not parse at all
 */
export function parseCidrSloppy(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const maskText = text.slice(slash + 1);
  if (!/^\d+$/.test(maskText)) return undefined; // no sign, no second '/', not empty
  const raw = parseRawIp(text.slice(0, slash));
  if (!raw) return undefined;
  const maskSize = maskText.length > 3 ? Number.NaN : parseInt(maskText, 10);
  if (!(maskSize <= BITS[raw.family])) return undefined;

  const writtenNetwork = mask(raw.value, raw.family, maskSize);
  const mapped = isMapped(raw);
  // Go's IPNet.Contains treats a mapped network with a >= 96-bit mask as IPv4
  const asV4 = mapped && maskSize >= 96;
  const family: IpFamily = asV4 ? 'ipv4' : raw.family;
  const prefixLength = asV4 ? maskSize - 96 : maskSize;
  const address = asV4 ? raw.value % pow2(32) : raw.value;
  const network = mask(address, family, prefixLength);
  return {
    text,
    family,
    prefixLength,
    maskSize,
    address,
    network,
    hostBitsSet: writtenNetwork !== raw.value,
    leadingZeros: raw.leadingZeros || (maskText.length > 1 && maskText.startsWith('0')),
    ipv4Mapped: mapped,
    canonical: `${formatIp(network, family)}/${prefixLength}`,
  };
}

/**
 * The first strict-mode problem of a leniently parsed CIDR, in the server's words,
 * or undefined if it has none.
 */
export function strictCidrProblem(cidr: ParsedCidr): string | undefined {
  if (cidr.leadingZeros) return 'must not have leading 0s in IP or prefix length';
  if (cidr.ipv4Mapped) return 'must not have an IPv4-mapped IPv6 address';
  if (cidr.hostBitsSet) return 'must not have bits set beyond the prefix length';
  return undefined;
}

/**
 * Parses a CIDR.
 *
 * @param strict apply current upstream's strict checks (no leading zeros, no
 *   IPv4-mapped IPv6, no bits set beyond the prefix)
 * @returns the CIDR, or the server's detail message for why it is invalid
 */
export function parseCidr(text: string, strict: boolean): ParsedCidr | string {
  const cidr = parseCidrSloppy(text);
  if (!cidr) return INVALID_CIDR;
  if (strict) {
    const problem = strictCidrProblem(cidr);
    if (problem) return problem;
  }
  return cidr;
}

/** Whether `ip` lies inside `cidr` (always false across families). */
export function ipInCidr(ip: ParsedIp | string, cidr: ParsedCidr): boolean {
  const parsed = typeof ip === 'string' ? parseIpSloppy(ip) : ip;
  if (!parsed || parsed.family !== cidr.family) return false;
  return mask(parsed.value, cidr.family, cidr.prefixLength) === cidr.network;
}

/** Whether every address of `inner` is in `outer` (a CIDR contains itself). */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  return outer.family === inner.family
    && outer.prefixLength <= inner.prefixLength
    && mask(inner.network, outer.family, outer.prefixLength) === outer.network;
}

/** Whether two CIDRs share an address (of one family, one contains the other). */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/**
 * Whether `inner` is a strict subset of `outer` as the API server checks an
 * `ipBlock.except` entry: the same family, the inner network address inside the
 * outer network, and a longer prefix as written. For ordinary CIDRs this is
 * "contained and not equal"; it differs from `cidrContains` only for odd lenient
 * IPv4-mapped forms, where it follows the server.
 */
export function isStrictSubset(outer: ParsedCidr, inner: ParsedCidr): boolean {
  // exactly the server's `cidr.Contains(except.IP) && cidrMaskLen < exceptMaskLen`
  return outer.family === inner.family
    && mask(inner.network, outer.family, outer.prefixLength) === outer.network
    && outer.maskSize < inner.maskSize;
}

/** The number of addresses in a CIDR. */
export function cidrSize(cidr: ParsedCidr): bigint {
  return pow2(BITS[cidr.family] - cidr.prefixLength);
}
