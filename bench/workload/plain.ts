import * as YAML from 'yaml';
import {
  DNS_NAMESPACE, DNS_POD_LABELS, DNS_PORT, ENTRY_NAMESPACE, Layout, METADATA_V4, METADATA_V6, NAMESPACE_NAME_LABEL,
  TIER_LABEL, TIER_POLICIES, namespaceNames,
} from './spec';

/** The eight NetworkPolicies of one namespace as plain objects. */
export function plainPolicies(ns: string): any[] {
  const policy = (name: string, spec: any) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec,
  });
  const out = [
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns', {
      egress: [{
        ports: [{ port: DNS_PORT, protocol: 'UDP' }, { port: DNS_PORT, protocol: 'TCP' }],
        to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: DNS_NAMESPACE } }, podSelector: { matchLabels: { ...DNS_POD_LABELS } } }],
      }],
      podSelector: {},
      policyTypes: ['Egress'],
    }),
    policy('block-metadata', {
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...METADATA_V4] } }, { ipBlock: { cidr: '::/0', except: [...METADATA_V6] } }] }],
      podSelector: {},
      policyTypes: ['Egress'],
    }),
  ];
  for (const p of TIER_POLICIES) {
    const peer = p.peerTier === undefined
      ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ENTRY_NAMESPACE } } }
      : { podSelector: { matchLabels: { [TIER_LABEL]: p.peerTier } } };
    const rule = p.direction === 'Ingress'
      ? { from: [peer], ports: [{ port: p.port, protocol: 'TCP' }] }
      : { ports: [{ port: p.port, protocol: 'TCP' }], to: [peer] };
    out.push(policy(p.name, {
      [p.direction === 'Ingress' ? 'ingress' : 'egress']: [rule],
      podSelector: { matchLabels: { [TIER_LABEL]: p.tier } },
      policyTypes: [p.direction],
    }));
  }
  return out;
}

/** The options cdk8s's `Yaml.stringify` uses, so that the floor prints the same YAML. */
const YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };

function stringify(docs: any[]): string {
  return docs.map(d => YAML.stringify(d, YAML_OPTIONS)).join('---\n');
}

/**
 * The floor: plain objects printed with the `yaml` package, no construct tree. The layouts
 * only change how the documents are grouped into strings (one, or one per namespace).
 */
export function synthPlain(n: number, layout: Layout): string[] {
  const names = namespaceNames(n);
  if (layout === Layout.ONE_CHART) return [stringify(names.flatMap(plainPolicies))];
  return names.map(ns => stringify(plainPolicies(ns)));
}
