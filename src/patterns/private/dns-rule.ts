import { ClusterProfile } from '../../cluster-profile';
import { DEFAULT_DNS_NAMESPACE, DEFAULT_DNS_POD_LABELS } from '../../constants';
import { Peer } from '../../peer';
import type { EgressRule } from '../../policy';
import { Port } from '../../port';
import { EMPTY_POD_LABELS, given, labels, optionalArray, optionalNamespaceName, optionalString, props, Where } from '../../private/runtime-check';
import type { DnsOptions } from '../allow-dns';

/** The keys of `DnsOptions`. */
export const DNS_OPTION_KEYS = ['dnsNamespace', 'dnsPodLabels', 'dnsPorts', 'nodeLocalDnsCidr'] as const;

/**
 * Checks DNS options (types; `null` is never "the default"; the pod labels are not empty)
 * and returns them with their values copied.
 *
 * @param value the options, or props that include them (other keys are left to the caller)
 */
export function checkDnsOptions(where: Where, field: string, value: DnsOptions): DnsOptions {
  const dnsPorts = optionalArray(where, `${field}.dnsPorts`, value.dnsPorts, 'Ports', (p, f) => Port._from(where, f, p));
  return {
    dnsNamespace: optionalNamespaceName(where, `${field}.dnsNamespace`, value.dnsNamespace),
    dnsPodLabels: given(value.dnsPodLabels) ? labels(where, `${field}.dnsPodLabels`, value.dnsPodLabels, EMPTY_POD_LABELS) : undefined,
    dnsPorts,
    nodeLocalDnsCidr: optionalString(where, `${field}.nodeLocalDnsCidr`, value.nodeLocalDnsCidr, { what: 'a CIDR such as "169.254.20.10/32"' }),
  };
}

/** Checks a `dns` prop: an optional object with only the DNS option keys. */
export function checkDnsProp(where: Where, field: string, value: DnsOptions | undefined): DnsOptions {
  return checkDnsOptions(where, field, props<DnsOptions>(where, field, value, DNS_OPTION_KEYS, { optional: true }));
}

/**
 * The egress rule that allows cluster DNS: where the profile says it is, with the options
 * (given ones) taking precedence: `dnsNamespace`/`dnsPodLabels` replace the profile's DNS pods,
 * `dnsPorts` its ports, and `nodeLocalDnsCidr` adds an address to the profile's.
 */
export function dnsEgressRule(options: DnsOptions, profile: ClusterProfile = ClusterProfile.GENERIC): EgressRule {
  const defaults = options.dnsNamespace === undefined && options.dnsPodLabels === undefined
    && options.nodeLocalDnsCidr === undefined && options.dnsPorts === undefined;
  if (defaults) {
    // shared by every caller of the same profile: frozen all the way down
    let rule = DEFAULT_RULES.get(profile);
    if (!rule) {
      const { to, ports } = buildRule({}, profile);
      rule = Object.freeze({ to: Object.freeze(to) as Peer[], ports: Object.freeze(ports) as Port[] });
      DEFAULT_RULES.set(profile, rule);
    }
    return rule;
  }
  return buildRule(options, profile);
}

/** The rule with every option at its default: the same in every namespace, so built once per profile. */
const DEFAULT_RULES = new WeakMap<ClusterProfile, EgressRule>();

function buildRule(options: DnsOptions, profile: ClusterProfile): EgressRule {
  const to: Peer[] = [];
  // one of namespace and labels given: the other half from the profile, else kube-dns's
  const podsGiven = options.dnsNamespace !== undefined || options.dnsPodLabels !== undefined;
  const namespace = options.dnsNamespace ?? profile.dnsNamespace ?? (podsGiven ? DEFAULT_DNS_NAMESPACE : undefined);
  const podLabels = options.dnsPodLabels ?? profile.dnsPodLabels ?? (podsGiven ? DEFAULT_DNS_POD_LABELS : undefined);
  if (namespace !== undefined && podLabels !== undefined) to.push(Peer.podsInNamespace(namespace, podLabels));
  for (const cidr of profile.dnsCidrs()) to.push(Peer.ipBlock(cidr));
  if (options.nodeLocalDnsCidr !== undefined) to.push(Peer.ipBlock(options.nodeLocalDnsCidr));
  return { to, ports: options.dnsPorts ?? [...profile.dnsPorts] };
}
