import { DEFAULT_DNS_NAMESPACE, DEFAULT_DNS_POD_LABELS } from '../../constants';
import { Peer } from '../../peer';
import type { EgressRule } from '../../policy';
import { Port } from '../../port';
import type { DnsOptions } from '../allow-dns';


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
