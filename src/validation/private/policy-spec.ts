import { child, index, invalid, isAbsent, isObject, listOf, notSupported, warning, wrongType } from './field';
import { validateLabelSelector } from './label-selector';
import { cidrSuggestion, PeerValidationOptions, validatePeer } from './peer';
import { validatePort } from './port';
import { formatIp, parseCidrSloppy } from '../../net/cidr';
import { FieldError, FieldWarning } from '../field-error';

/** Options of the spec validators. */
export type SpecValidationOptions = PeerValidationOptions;

/** The policy types, in the order the server lists them. */
export const POLICY_TYPES: readonly string[] = ['Ingress', 'Egress'];

/** The two directions: the spec field, the peer field and the policy type. */
const DIRECTIONS = [
  { field: 'ingress', peers: 'from', type: 'Ingress' },
  { field: 'egress', peers: 'to', type: 'Egress' },
] as const;

/**
 * A copy of `spec` with the API server's defaulting applied
 * (`SetDefaults_NetworkPolicy` and `SetDefaults_NetworkPolicyPort` upstream):
 * - a port entry without `protocol` (missing or null) gets `TCP`;
 * - a missing, null or empty `policyTypes` becomes `["Ingress"]`, plus `"Egress"`
 *   when `egress` has at least one rule.
 *
 * Malformed parts are kept unchanged, so validation still sees them. Only what
 * defaulting changes is copied (the rules and port entries it touches); the rest is
 * shared with `spec`, which is never modified.
 */
export function defaultSpec(spec: any): any {
  if (!isObject(spec)) return spec;
  const out: any = { ...spec };
  for (const { field } of DIRECTIONS) {
    if (!Array.isArray(out[field])) continue;
    out[field] = out[field].map((rule: unknown) => {
      if (!isObject(rule) || !Array.isArray(rule.ports)) return rule;
      if (!rule.ports.some(p => isObject(p) && isAbsent(p.protocol))) return rule;
      return { ...rule, ports: rule.ports.map(p => (isObject(p) && isAbsent(p.protocol) ? { ...p, protocol: 'TCP' } : p)) };
    });
  }
  if (isAbsent(out.policyTypes) || (Array.isArray(out.policyTypes) && out.policyTypes.length === 0)) {
    out.policyTypes = ['Ingress'];
    if (Array.isArray(out.egress) && out.egress.length > 0) out.policyTypes.push('Egress');
  }
  return out;
}

/**
 * Validates a NetworkPolicy spec after the server's defaulting
 * (`ValidateNetworkPolicySpec` upstream): `podSelector`, every port and peer of
 * every ingress and egress rule, and `policyTypes` (at most two, each `Ingress` or
 * `Egress`; duplicates are accepted).
 *
 * @param d the spec after `defaultSpec`
 * @param path its field path, usually `spec`
 */
export function validateSpec(d: any, path: string, opts: SpecValidationOptions): FieldError[] {
  if (isAbsent(d)) return [];
  if (!isObject(d)) return [wrongType(path, d, 'an object')];
  const errs: FieldError[] = [];
  errs.push(...validateLabelSelector(d.podSelector, child(path, 'podSelector')));

  for (const { field, peers } of DIRECTIONS) {
    const rulesPath = child(path, field);
    listOf(d[field], rulesPath, errs).forEach((rule, i) => {
      const rulePath = index(rulesPath, i);
      if (!isObject(rule)) {
        errs.push(wrongType(rulePath, rule, 'an object'));
        return;
      }
      const portsPath = child(rulePath, 'ports');
      listOf(rule.ports, portsPath, errs).forEach((port, j) => {
        errs.push(...validatePort(port, index(portsPath, j)));
      });
      const peersPath = child(rulePath, peers);
      listOf(rule[peers], peersPath, errs).forEach((peer, j) => {
        errs.push(...validatePeer(peer, index(peersPath, j), opts));
      });
    });
  }

  const typesPath = child(path, 'policyTypes');
  const types = listOf(d.policyTypes, typesPath, errs);
  if (types.length > POLICY_TYPES.length) {
    errs.push(invalid(typesPath, types, 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (!POLICY_TYPES.includes(t as string)) {
      errs.push(notSupported(index(typesPath, i), t, POLICY_TYPES));
    }
  });
  return errs;
}

function cidrWarnings(value: unknown, path: string): FieldWarning[] {
  if (typeof value !== 'string') return [];
  const cidr = parseCidrSloppy(value);
  if (!cidr) return [];
  const out: FieldWarning[] = [];
  if (cidr.hostBitsSet) {
    out.push(warning(path, 'HostBitsSet',
      `CIDR value ${JSON.stringify(value)} has bits set beyond the prefix length; the API server treats it as `
      + `"${cidr.canonical}" and newer servers reject it: ${cidrSuggestion({ ...cidr, leadingZeros: false, ipv4Mapped: false })}`, value));
  }
  if (cidr.leadingZeros || cidr.ipv4Mapped) {
    out.push(warning(path, 'NonStandardCidr',
      `non-standard CIDR value ${JSON.stringify(value)} (${cidr.leadingZeros ? 'leading zeros' : 'an IPv4-mapped IPv6 address'}) `
      + `is rejected by newer API servers: use "${cidr.canonical}"`, value));
  }
  return out;
}

/**
 * What the API server accepts in a spec but is almost certainly a mistake:
 * - `IgnoredRules`: rules for a direction that the (defaulted) `policyTypes` does
 *   not list; the server keeps them but they are never enforced;
 * - `DuplicatePolicyType`: a policy type listed twice;
 * - `HostBitsSet` and `NonStandardCidr` (lenient mode only; strict mode makes them
 *   errors): CIDRs that newer servers reject;
 * - `NonCanonicalCidr`: an IPv6 CIDR not in RFC 5952 form (`2001:0db8::/32`), as the server warns.
 *
 * Unknown fields are found apart (`findUnknownFields`): whether they are errors or warnings is
 * the caller's `FieldValidation`.
 *
 * @param spec the spec, as written
 * @param d the spec after `defaultSpec`
 * @param path its field path, usually `spec`
 */
export function specWarnings(spec: any, d: any, path: string, opts: SpecValidationOptions): FieldWarning[] {
  if (!isObject(spec)) return [];
  const out: FieldWarning[] = [];
  const types: unknown[] | undefined = Array.isArray(d.policyTypes) ? d.policyTypes : undefined;

  for (const { field, type } of DIRECTIONS) {
    const rules = spec[field];
    if (types && Array.isArray(rules) && rules.length > 0 && !types.includes(type)) {
      out.push(warning(child(path, field), 'IgnoredRules',
        `policyTypes is ${JSON.stringify(types)}, so the API server accepts ${rules.length === 1 ? 'this' : `these ${rules.length}`} `
        + `${field} rule${rules.length === 1 ? '' : 's'} but never enforces ${rules.length === 1 ? 'it' : 'them'}: `
        + `add "${type}" to policyTypes, or remove ${child(path, field)}`));
    }
  }

  const written = spec.policyTypes;
  if (Array.isArray(written)) {
    written.forEach((t: unknown, i: number) => {
      if (written.indexOf(t) < i) {
        out.push(warning(index(child(path, 'policyTypes'), i), 'DuplicatePolicyType',
          `${JSON.stringify(t)} is listed more than once in policyTypes; the duplicate has no effect`, t));
      }
    });
  }

  if (!opts.strictCidr) {
    for (const { field, peers } of DIRECTIONS) {
      if (!Array.isArray(spec[field])) continue;
      spec[field].forEach((rule: unknown, i: number) => {
        if (!isObject(rule) || !Array.isArray(rule[peers])) return;
        rule[peers].forEach((peer: unknown, j: number) => {
          if (!isObject(peer) || !isObject(peer.ipBlock)) return;
          const ipBlockPath = child(index(child(index(child(path, field), i), peers), j), 'ipBlock');
          out.push(...cidrWarnings(peer.ipBlock.cidr, child(ipBlockPath, 'cidr')));
          if (Array.isArray(peer.ipBlock.except)) {
            peer.ipBlock.except.forEach((e: unknown, k: number) => {
              out.push(...cidrWarnings(e, index(child(ipBlockPath, 'except'), k)));
            });
          }
        });
      });
    }
  }

  for (const { field, peers } of DIRECTIONS) {
    if (!Array.isArray(spec[field])) continue;
    spec[field].forEach((rule: unknown, i: number) => {
      if (!isObject(rule) || !Array.isArray(rule[peers])) return;
      rule[peers].forEach((peer: unknown, j: number) => {
        if (!isObject(peer) || !isObject(peer.ipBlock)) return;
        const ipBlockPath = child(index(child(index(child(path, field), i), peers), j), 'ipBlock');
        out.push(...nonCanonicalIpv6Warnings(peer.ipBlock.cidr, child(ipBlockPath, 'cidr')));
        if (Array.isArray(peer.ipBlock.except)) {
          peer.ipBlock.except.forEach((e: unknown, k: number) => {
            out.push(...nonCanonicalIpv6Warnings(e, index(child(ipBlockPath, 'except'), k)));
          });
        }
      });
    });
  }
  return out;
}

/**
 * An IPv6 CIDR not written in RFC 5952 canonical form (`2001:0db8:0000::/32` for `2001:db8::/32`),
 * which the API server accepts with a warning (KEP-4858): it means the same network, but a
 * reader comparing texts (a review, a grep, another tool) can miss it.
 */
function nonCanonicalIpv6Warnings(value: unknown, path: string): FieldWarning[] {
  if (typeof value !== 'string') return [];
  const cidr = parseCidrSloppy(value);
  // leading zeros beyond four digits and mapped addresses are NonStandardCidr (or strict errors)
  if (!cidr || cidr.family !== 'ipv6' || cidr.leadingZeros || cidr.ipv4Mapped) return [];
  const canonical = `${formatIp(cidr.address, 'ipv6')}/${cidr.maskSize}`;
  if (value === canonical) return [];
  return [warning(path, 'NonCanonicalCidr',
    `IPv6 CIDR value ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)}), `
    + 'as the API server warns: it is the same network, but a reader comparing the text can miss it', value)];
}
