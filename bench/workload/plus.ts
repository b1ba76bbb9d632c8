import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  DNS_NAMESPACE, DNS_POD_LABELS, DNS_PORT, ENTRY_NAMESPACE, Layout, METADATA_V4, METADATA_V6,
  TIER_LABEL, TIER_POLICIES, TIERS, namespaceNames, pascal,
} from './spec';

/**
 * The workload with cdk8s-plus-28's `NetworkPolicy`, as its users write it: peers and
 * selectors are constructs (`Pods.select`, `Namespaces.select`, `NetworkPolicyIpBlock`), made
 * once per namespace and shared by the policies; one peer per rule, so the metadata policy
 * has two egress rules (IPv4 and IPv6), each without ports (all ports).
 */
export function buildPlus(app: App, n: number, layout: Layout): void {
  const org = layout === Layout.ONE_CHART ? new Chart(app, 'org') : undefined;
  for (const ns of namespaceNames(n)) {
    const scope: Construct = org ? new Construct(org, ns) : new Chart(app, ns, { namespace: ns });
    const metadata = (name: string) => (org ? { name, namespace: ns } : { name });
    const kubeDns = kplus.Pods.select(scope, 'KubeDns', {
      labels: { ...DNS_POD_LABELS },
      namespaces: kplus.Namespaces.select(scope, 'KubeSystem', { names: [DNS_NAMESPACE] }),
    });
    const entry = kplus.Namespaces.select(scope, 'Entry', { names: [ENTRY_NAMESPACE] });
    const tiers = new Map(TIERS.map(t => [t.name, kplus.Pods.select(scope, pascal(t.name), { labels: { [TIER_LABEL]: t.name } })]));

    new kplus.NetworkPolicy(scope, 'DefaultDeny', {
      metadata: metadata('default-deny'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    new kplus.NetworkPolicy(scope, 'AllowDns', {
      metadata: metadata('allow-dns'),
      egress: { rules: [{ peer: kubeDns, ports: [kplus.NetworkPolicyPort.udp(DNS_PORT), kplus.NetworkPolicyPort.tcp(DNS_PORT)] }] },
    });
    new kplus.NetworkPolicy(scope, 'BlockMetadata', {
      metadata: metadata('block-metadata'),
      egress: {
        rules: [
          { peer: kplus.NetworkPolicyIpBlock.ipv4(scope, 'AnyIpv4', '0.0.0.0/0', [...METADATA_V4]) },
          { peer: kplus.NetworkPolicyIpBlock.ipv6(scope, 'AnyIpv6', '::/0', [...METADATA_V6]) },
        ],
      },
    });
    for (const p of TIER_POLICIES) {
      const peer: kplus.INetworkPolicyPeer = p.peerTier === undefined ? entry : tiers.get(p.peerTier)!;
      const rules = [{ peer, ports: [kplus.NetworkPolicyPort.tcp(p.port)] }];
      new kplus.NetworkPolicy(scope, pascal(p.name), {
        metadata: metadata(p.name),
        selector: tiers.get(p.tier)!,
        ingress: p.direction === 'Ingress' ? { rules } : undefined,
        egress: p.direction === 'Egress' ? { rules } : undefined,
      });
    }
  }
}
