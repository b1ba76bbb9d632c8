import { child, forbidden, index, invalid, isAbsent, isObject, listOf, required, wrongType } from './field';
import { validateLabelSelector } from './label-selector';
import { formatIp, INVALID_CIDR, isStrictSubset, ParsedCidr, parseCidrSloppy, strictCidrProblem } from '../../net/cidr';
import { FieldError } from '../field-error';

/** Options shared by the spec-level validators. */
export interface PeerValidationOptions {
  /**
   * Apply current upstream's strict CIDR checks: no leading zeros, no IPv4-mapped
   * IPv6, no bits set beyond the prefix. Off matches older API servers.
   */
  readonly strictCidr: boolean;
}

/**
 * Validates one CIDR string field, returning its lenient parse (undefined when it
 * does not parse) so callers can go on checking, as the server does.
 */
export function validateCidrField(value: unknown, path: string, opts: PeerValidationOptions, errs: FieldError[]): ParsedCidr | undefined {
  if (typeof value !== 'string') {
    errs.push(wrongType(path, value, 'a string such as "10.0.0.0/8" or "2001:db8::/32"'));
    return undefined;
  }
  const cidr = parseCidrSloppy(value);
  if (!cidr) {
    errs.push(invalid(path, value, INVALID_CIDR));
    return undefined;
  }
  const problem = opts.strictCidr ? strictCidrProblem(cidr) : undefined;
  if (problem) {
    errs.push(invalid(path, value, `${problem} (${cidrSuggestion(cidr)})`));
  }
  return cidr;
}

/** What to write instead of a non-standard CIDR. */
export function cidrSuggestion(cidr: ParsedCidr): string {
  if (cidr.hostBitsSet && !cidr.leadingZeros && !cidr.ipv4Mapped) {
    const bits = cidr.family === 'ipv4' ? 32 : 128;
    const single = `${formatIp(cidr.address, cidr.family)}/${bits}`;
    return `write "${cidr.canonical}" for the whole network or "${single}" for the single address`;
  }
  return `write "${cidr.canonical}"`;
}

function whyNotStrictSubset(outer: ParsedCidr, inner: ParsedCidr): string {
  if (outer.family !== inner.family) {
    return `an ${inner.family === 'ipv4' ? 'IPv4' : 'IPv6'} range cannot be excepted from an ${outer.family === 'ipv4' ? 'IPv4' : 'IPv6'} cidr`;
  }
  if (outer.maskSize >= inner.maskSize) {
    return `its prefix length must be longer than /${outer.maskSize}`;
  }
  return `it is not inside ${outer.canonical}`;
}

/**
 * Validates an `ipBlock` (`ValidateIPBlock` upstream): `cidr` is required and a valid
 * CIDR; every `except` entry is a valid CIDR and a strict subset of `cidr` (same
 * family, inside it, longer prefix).
 *
 * @param ipBlock the ipBlock, e.g. `spec.egress[0].to[0].ipBlock`
 * @param path its field path
 */
export function validateIpBlock(ipBlock: any, path: string, opts: PeerValidationOptions): FieldError[] {
  if (!isObject(ipBlock)) return [wrongType(path, ipBlock, 'an object')];
  const errs: FieldError[] = [];
  const cidrPath = child(path, 'cidr');
  if (isAbsent(ipBlock.cidr) || ipBlock.cidr === '') {
    errs.push(required(cidrPath, 'a CIDR such as "10.0.0.0/8" or "2001:db8::/32" is required'));
    return errs;
  }
  const cidr = validateCidrField(ipBlock.cidr, cidrPath, opts, errs);
  if (!cidr) return errs;
  const exceptPath = child(path, 'except');
  listOf(ipBlock.except, exceptPath, errs).forEach((text, i) => {
    const p = index(exceptPath, i);
    const except = validateCidrField(text, p, opts, errs);
    if (except && !isStrictSubset(cidr, except)) {
      errs.push(invalid(p, text, `must be a strict subset of \`cidr\` (${whyNotStrictSubset(cidr, except)})`));
    }
  });
  return errs;
}

/**
 * Validates one peer of a rule's `from` or `to` (`ValidateNetworkPolicyPeer`
 * upstream): it sets at least one of `podSelector`, `namespaceSelector` and
 * `ipBlock`; `ipBlock` may not be combined with a selector (Forbidden); the two
 * selectors together are allowed (they are ANDed).
 *
 * @param peer the peer, e.g. `spec.ingress[0].from[0]`
 * @param path its field path
 */
export function validatePeer(peer: any, path: string, opts: PeerValidationOptions): FieldError[] {
  if (!isObject(peer)) return [wrongType(path, peer, 'an object')];
  const errs: FieldError[] = [];
  let numPeers = 0;
  if (!isAbsent(peer.podSelector)) {
    numPeers++;
    errs.push(...validateLabelSelector(peer.podSelector, child(path, 'podSelector')));
  }
  if (!isAbsent(peer.namespaceSelector)) {
    numPeers++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, child(path, 'namespaceSelector')));
  }
  if (!isAbsent(peer.ipBlock)) {
    numPeers++;
    errs.push(...validateIpBlock(peer.ipBlock, child(path, 'ipBlock'), opts));
  }
  if (numPeers === 0) {
    errs.push(required(path, 'must specify a peer (podSelector, namespaceSelector or ipBlock)'));
  } else if (numPeers > 1 && !isAbsent(peer.ipBlock)) {
    errs.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  }
  return errs;
}
