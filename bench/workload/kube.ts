import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  DNS_NAMESPACE, DNS_POD_LABELS, DNS_PORT, ENTRY_NAMESPACE, Layout, METADATA_V4, METADATA_V6, NAMESPACE_NAME_LABEL,
  TIER_LABEL, TIER_POLICIES, namespaceNames, pascal,
} from './spec';

/**
 * The workload as raw cdk8s L1 objects: `KubeNetworkPolicy` (cdk8s-plus-28 re-exports the
 * generated `k8s` module) with explicit names; with one chart, explicit namespaces too.
 */
export function buildKube(app: App, n: number, layout: Layout): void {
  const org = layout === Layout.ONE_CHART ? new Chart(app, 'org') : undefined;
  for (const ns of namespaceNames(n)) {
    const scope: Construct = org ? new Construct(org, ns) : new Chart(app, ns, { namespace: ns });
    const meta = (name: string): k8s.ObjectMeta => (org ? { name, namespace: ns } : { name });
    new k8s.KubeNetworkPolicy(scope, 'DefaultDeny', {
      metadata: meta('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new k8s.KubeNetworkPolicy(scope, 'AllowDns', {
      metadata: meta('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: DNS_NAMESPACE } },
            podSelector: { matchLabels: { ...DNS_POD_LABELS } },
          }],
          ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(DNS_PORT) }, { protocol: 'TCP', port: k8s.IntOrString.fromNumber(DNS_PORT) }],
        }],
      },
    });
    new k8s.KubeNetworkPolicy(scope, 'BlockMetadata', {
      metadata: meta('block-metadata'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...METADATA_V4] } }, { ipBlock: { cidr: '::/0', except: [...METADATA_V6] } }] }],
      },
    });
    for (const p of TIER_POLICIES) {
      const peer: k8s.NetworkPolicyPeer = p.peerTier === undefined
        ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ENTRY_NAMESPACE } } }
        : { podSelector: { matchLabels: { [TIER_LABEL]: p.peerTier } } };
      const ports = [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p.port) }];
      new k8s.KubeNetworkPolicy(scope, pascal(p.name), {
        metadata: meta(p.name),
        spec: {
          podSelector: { matchLabels: { [TIER_LABEL]: p.tier } },
          policyTypes: [p.direction],
          ingress: p.direction === 'Ingress' ? [{ from: [peer], ports }] : undefined,
          egress: p.direction === 'Egress' ? [{ to: [peer], ports }] : undefined,
        },
      });
    }
  }
}
