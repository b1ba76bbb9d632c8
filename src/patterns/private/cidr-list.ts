import { ParsedCidr, parseCidr, parseIpSloppy } from '../../net/cidr';
import { PolicyError } from '../../private/errors';
import { Where, strings } from '../../private/runtime-check';

/**
 * Checks a list of CIDRs a pattern is given (addresses to block or to leave out): an array of
 * strings, read once, each a CIDR the API server accepts (strict checks). A bare address is an
 * error with the CIDR it most likely means (`169.254.169.254` → `169.254.169.254/32`): read as
 * anything else, it would silently protect nothing.
 *
 * @returns the CIDRs as given, each with its parsed form
 */
export function cidrList(where: Where, field: string, value: unknown): { readonly text: string; readonly cidr: ParsedCidr }[] {
  return strings(where, field, value, 'CIDRs (strings)').map((text, i) => {
    const parsed = parseCidr(text, true);
    if (typeof parsed !== 'string') return { text, cidr: parsed };
    const ip = text.includes('/') ? undefined : parseIpSloppy(text);
    const guess = ip ? `; did you mean ${JSON.stringify(`${text}/${ip.family === 'ipv4' ? 32 : 128}`)} (that one address)?` : '';
    throw new PolicyError(where, `${field}[${i}]: Invalid value: ${JSON.stringify(text)}: ${parsed}${guess}`);
  });
}
