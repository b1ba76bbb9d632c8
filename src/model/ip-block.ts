/**
 * The `ipBlock` peers of the policy model, on the network maths of `net/cidr` (the API
 * server's parsing: an IPv4-mapped IPv6 address is IPv4, bits beyond the prefix are ignored).
 * They are built only from ipBlocks the validator accepted.
 */
import { AddressMembership } from '../net/address-membership';
import { ParsedCidr, ParsedIp, cidrContains, cidrsOverlap, ipInCidr, parseCidrSloppy, parseIpGo } from '../net/cidr';

/** A parsed IP address. */
export type IpAddress = ParsedIp;

/**
 * Parses an IP address (a pod IP or an external address to ask about) as Go's `net.ParseIP`
 * does: `010.0.0.1` is refused (ambiguous: decimal to the old parser, octal to others), never
 * read as `10.0.0.1` (`ipAddressProblem` says why).
 *
 * @returns the address, or `undefined` if the text is not an IP address
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  return typeof text === 'string' ? parseIpGo(text) : undefined;
}

/** A key equal for equal addresses, whatever their spelling (`::ffff:10.0.0.1` and `10.0.0.1`). */
export function addressKey(address: IpAddress): string {
  return `${address.family} ${address.value}`;
}

/**
 * An `ipBlock` peer: a CIDR minus its `except` CIDRs.
 */
export class IpBlock {
  /**
   * An ipBlock that the validator accepted (`validateIpBlock`, strict or lenient CIDRs).
   *
   * @param raw `{ cidr, except? }`
   */
  public static fromValid(raw: { cidr: string; except?: string[] | null }): IpBlock {
    const except = raw.except ?? [];
    return new IpBlock(raw.cidr, except, parseCidrSloppy(raw.cidr)!, except.map(e => parseCidrSloppy(e)!));
  }

  /**
   * Which of the blocks contain each address, in one sweep over the sorted addresses and block
   * boundaries (see `AddressMembership`): the same answers as `contains()`, address by address
   * and block by block, without the product of the two counts.
   *
   * @param blocks the blocks, numbered by their position in the answer
   * @param addresses the addresses to place
   */
  public static membership(blocks: readonly IpBlock[], addresses: readonly IpAddress[]): AddressMembership {
    return AddressMembership.of(blocks.map(b => ({ cidr: b.range, except: b.exceptRanges })), addresses);
  }

  public readonly except: readonly string[];
  private readonly exceptRanges: readonly ParsedCidr[];

  private constructor(
    public readonly cidr: string,
    except: readonly string[],
    private readonly range: ParsedCidr,
    exceptRanges: readonly ParsedCidr[],
  ) {
    this.except = Object.freeze([...except]);
    this.exceptRanges = Object.freeze(exceptRanges);
    Object.freeze(this);
  }

  /** Whether the address is in `cidr` and in none of the `except` ranges. */
  public contains(address: IpAddress): boolean {
    if (!ipInCidr(address, this.range)) return false;
    return !this.exceptRanges.some(r => ipInCidr(address, r));
  }

  /**
   * Whether some address of `target` may lie in the block: `cidr` overlaps it and no `except`
   * range covers it whole (exact for a single address; for a range, it may answer yes when
   * several `except` ranges cover it together, never no when an address is reachable).
   */
  public mayReach(target: ParsedCidr): boolean {
    if (!cidrsOverlap(this.range, target)) return false;
    return !this.exceptRanges.some(r => cidrContains(r, target));
  }

  /** `ipBlock 10.0.0.0/8 except 10.1.0.0/16, 10.2.0.0/16`. */
  public toString(): string {
    return this.except.length > 0 ? `ipBlock ${this.cidr} except ${this.except.join(', ')}` : `ipBlock ${this.cidr}`;
  }
}
