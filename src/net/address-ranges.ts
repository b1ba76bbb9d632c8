import { IpFamily, ParsedCidr, formatIp } from './cidr';

/**
 * Splitting the IPv4 and IPv6 address spaces into the disjoint ranges a set of CIDRs creates:
 * every address of one range lies in the same CIDRs, so anything defined by those CIDRs
 * (ipBlocks and their `except` lists) treats the whole range alike.
 */

/** An inclusive range of addresses of one family. */
export interface AddressRange {
  readonly family: IpFamily;
  /** The first address, as an unsigned integer of 32 or 128 bits. */
  readonly first: bigint;
  /** The last address, inclusive. */
  readonly last: bigint;
}

const SPACE_SIZE: Record<IpFamily, bigint> = { ipv4: 2n ** 32n, ipv6: 2n ** 128n };

/** The first and one-past-last address of a CIDR, within its family. */
export function cidrBounds(cidr: ParsedCidr): [bigint, bigint] {
  const size = 2n ** BigInt((cidr.family === 'ipv4' ? 32 : 128) - cidr.prefixLength);
  return [cidr.network, cidr.network + size];
}

/**
 * The IPv4 space, then the IPv6 space, cut at the first and one-past-last address of every
 * CIDR: sorted, disjoint ranges that cover both spaces exactly. With no CIDR, one range per
 * family (`0.0.0.0-255.255.255.255` and `::-ffff:...:ffff`).
 */
export function splitAddressSpace(cidrs: readonly ParsedCidr[]): AddressRange[] {
  const out: AddressRange[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const size = SPACE_SIZE[family];
    const cuts = new Set<bigint>([0n]);
    for (const c of cidrs) {
      if (c.family !== family) continue;
      const [start, end] = cidrBounds(c);
      cuts.add(start);
      if (end < size) cuts.add(end);
    }
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    sorted.forEach((start, i) => {
      const next = i + 1 < sorted.length ? sorted[i + 1] : size;
      out.push({ family, first: start, last: next - 1n });
    });
  }
  return out;
}

/** `10.0.0.0-10.0.255.255`, `::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff` (always both ends, even for one address). */
export function formatAddressRange(range: AddressRange): string {
  return `${formatIp(range.first, range.family)}-${formatIp(range.last, range.family)}`;
}
