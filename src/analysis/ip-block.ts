import * as ipaddr from 'ipaddr.js';
import { AnalysisInputError } from './analysis-input-error';

/** A parsed IPv4 or IPv6 address. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses an IP address written the usual way (dotted-quad IPv4 or IPv6).
 *
 * @returns the address, or `undefined` if the text is not an IP address
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
}

function parseCidr(text: unknown, field: string): [IpAddress, number] {
  if (typeof text !== 'string' || text === '') {
    throw new AnalysisInputError(`${field}: Required value`);
  }
  const valid = ipaddr.IPv4.isValidCIDRFourPartDecimal(text) || (text.includes(':') && ipaddr.IPv6.isValidCIDR(text));
  if (!valid) {
    throw new AnalysisInputError(`${field}: Invalid value: ${JSON.stringify(text)}: must be a valid CIDR (e.g. 10.0.0.0/8 or fd00::/8)`);
  }
  return ipaddr.parseCIDR(text);
}

/** Whether the address lies inside the range (addresses of another family never do). */
function inRange(address: IpAddress, range: [IpAddress, number]): boolean {
  return address.kind() === range[0].kind() && address.match(range);
}

/**
 * An `ipBlock` peer: a CIDR minus its `except` CIDRs.
 */
export class IpBlock {
  /**
   * Parses the `ipBlock` object of a peer.
   *
   * @param raw `{ cidr, except? }`
   * @param where the object and field, for error messages
   */
  public static parse(raw: any, where: string): IpBlock {
    if (!raw || typeof raw !== 'object') {
      throw new AnalysisInputError(`${where}: Invalid value: ${JSON.stringify(raw)}: must be an object with a cidr`);
    }
    const range = parseCidr(raw.cidr, `${where}.cidr`);
    const except = (raw.except ?? []) as unknown[];
    if (!Array.isArray(except)) {
      throw new AnalysisInputError(`${where}.except: Invalid value: ${JSON.stringify(except)}: must be a list of CIDRs`);
    }
    const exceptRanges = except.map((e, i) => parseCidr(e, `${where}.except[${i}]`));
    return new IpBlock(raw.cidr, except.map(String), range, exceptRanges);
  }

  private constructor(
    public readonly cidr: string,
    public readonly except: readonly string[],
    private readonly range: [IpAddress, number],
    private readonly exceptRanges: readonly [IpAddress, number][],
  ) {}

  /** Whether the address is in `cidr` and in none of the `except` ranges. */
  public contains(address: IpAddress): boolean {
    if (!inRange(address, this.range)) return false;
    return !this.exceptRanges.some(r => inRange(address, r));
  }

  /** `ipBlock 10.0.0.0/8 except 10.1.0.0/16, 10.2.0.0/16`. */
  public toString(): string {
    return this.except.length > 0 ? `ipBlock ${this.cidr} except ${this.except.join(', ')}` : `ipBlock ${this.cidr}`;
  }
}
