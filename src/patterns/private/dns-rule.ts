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

/** The egress rule that allows cluster DNS. */
export function dnsEgressRule(options: DnsOptions): EgressRule {
  const defaults = options.dnsNamespace === undefined && options.dnsPodLabels === undefined
    && options.nodeLocalDnsCidr === undefined && options.dnsPorts === undefined;
  if (defaults) {
    if (!DEFAULT_RULE) {
      // shared by every caller: frozen all the way down
      const { to, ports } = buildRule({});
      DEFAULT_RULE = Object.freeze({ to: Object.freeze(to) as Peer[], ports: Object.freeze(ports) as Port[] });
    }
    return DEFAULT_RULE;
  }
  return buildRule(options);
}

/** The rule with every option at its default: the same in every namespace, so built once. */
let DEFAULT_RULE: EgressRule | undefined;

function buildRule(options: DnsOptions): EgressRule {
  const to = [Peer.podsInNamespace(options.dnsNamespace ?? DEFAULT_DNS_NAMESPACE, options.dnsPodLabels ?? DEFAULT_DNS_POD_LABELS)];
  if (options.nodeLocalDnsCidr !== undefined) to.push(Peer.ipBlock(options.nodeLocalDnsCidr));
  return { to, ports: options.dnsPorts ?? [Port.DNS_UDP, Port.DNS_TCP] };
}
