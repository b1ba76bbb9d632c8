import { AddressRange } from './address-ranges';
import { IpFamily, formatIp, parseIpSloppy } from './cidr';

/**
 * Describing a set of addresses in the fewest CIDRs: either the CIDRs that cover it exactly
 * (`10.0.0.0/8, 192.168.0.0/16`) or the smallest CIDR around it with the CIDRs it leaves out
 * (`0.0.0.0/0 except 10.0.0.0/8, 169.254.169.254/32`), whichever needs fewer.
 */

const BITS: Record<IpFamily, number> = { ipv4: 32, ipv6: 128 };

/** A CIDR as a network address and a prefix length. */
export interface CidrBlock {
  readonly family: IpFamily;
  readonly network: bigint;
  readonly prefixLength: number;
}

/** `10.0.0.0/8`. */
export function formatCidrBlock(block: CidrBlock): string {
  return `${formatIp(block.network, block.family)}/${block.prefixLength}`;
}

/** The fewest CIDRs whose union is exactly the inclusive range `first`-`last` (the usual greedy split). */
export function rangeToCidrs(family: IpFamily, first: bigint, last: bigint): CidrBlock[] {
  const bits = BITS[family];
  const out: CidrBlock[] = [];
  let start = first;
  while (start <= last) {
    // the largest block aligned at `start` that does not pass `last`
    let size = 1n;
    let prefix = bits;
    while (prefix > 0 && start % (size * 2n) === 0n && start + size * 2n - 1n <= last) {
      size *= 2n;
      prefix--;
    }
    out.push({ family, network: start, prefixLength: prefix });
    start += size;
  }
  return out;
}

/** Sorted, disjoint, non-adjacent ranges of one family with the same addresses. */
function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: { family: IpFamily; first: bigint; last: bigint }[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.first <= prev.last + 1n) {
      if (r.last > prev.last) prev.last = r.last;
    } else {
      out.push({ family: r.family, first: r.first, last: r.last });
    }
  }
  return out;
}

/** How a set of addresses of one family is described: `cidr except [...]`, or the covering CIDRs alone. */
export interface CidrCover {
  /** The enclosing CIDR, when the description is "this CIDR except the others". */
  readonly within?: CidrBlock;
  /** The covering CIDRs (no `within`), or the CIDRs left out of `within`. */
  readonly cidrs: readonly CidrBlock[];
}

/** The shorter description of the addresses of one family in the ranges (which must all be of that family, and not none). */
function coverFamily(family: IpFamily, ranges: readonly AddressRange[]): CidrCover {
  const merged = mergeRanges(ranges);
  const exact = merged.flatMap(r => rangeToCidrs(family, r.first, r.last));
  const bits = BITS[family];
  const low = merged[0].first;
  const high = merged[merged.length - 1].last;
  // the smallest CIDR holding both ends: their common prefix
  let prefix = 0;
  while (prefix < bits) {
    const block = 2n ** BigInt(bits - prefix - 1);
    if (low / block !== high / block) break;
    prefix++;
  }
  const size = 2n ** BigInt(bits - prefix);
  const network = (low / size) * size;
  const end = network + size - 1n;
  const gaps: CidrBlock[] = [];
  let next = network;
  for (const r of merged) {
    if (r.first > next) gaps.push(...rangeToCidrs(family, next, r.first - 1n));
    next = r.last + 1n;
  }
  if (next <= end) gaps.push(...rangeToCidrs(family, next, end));
  if (gaps.length === 0 || exact.length <= gaps.length + 1) return { cidrs: exact };
  return { within: { family, network, prefixLength: prefix }, cidrs: gaps };
}

/**
 * The fewest-CIDR description of some address ranges, per family (IPv4 first):
 * `0.0.0.0/0 except 10.0.0.0/8, 169.254.169.254/32`, or `10.0.0.0/8, 192.168.0.0/16`; the two
 * families joined by `; `. Empty for no range.
 */
export function describeAddressRanges(ranges: readonly AddressRange[]): string {
  const parts: string[] = [];
  for (const family of ['ipv4', 'ipv6'] as const) {
    const own = ranges.filter(r => r.family === family);
    if (own.length === 0) continue;
    const cover = coverFamily(family, own);
    const list = cover.cidrs.map(formatCidrBlock).join(', ');
    parts.push(cover.within ? `${formatCidrBlock(cover.within)} except ${list}` : list);
  }
  return parts.join('; ');
}

/**
 * Reads an external endpoint's name back into its range: `first-last` (as `formatAddressRange`
 * writes it) or one address.
 *
 * @returns the range, or `undefined` when the name is not one (or an end is written IPv4-mapped,
 * whose family would be ambiguous)
 */
export function parseAddressRangeName(name: string): AddressRange | undefined {
  const dash = name.indexOf('-');
  const first = parseIpSloppy(dash < 0 ? name : name.slice(0, dash));
  const last = parseIpSloppy(dash < 0 ? name : name.slice(dash + 1));
  if (!first || !last || first.ipv4Mapped || last.ipv4Mapped || first.family !== last.family || first.value > last.value) return undefined;
  return { family: first.family, first: first.value, last: last.value };
}
