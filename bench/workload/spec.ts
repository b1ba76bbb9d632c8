/**
 * The organisation-scale workload every generator produces: per namespace, the same eight
 * NetworkPolicies (issue 6: "default deny, DNS, metadata, three tiers").
 *
 *  1. default deny, ingress and egress, every pod;
 *  2. DNS egress to `k8s-app=kube-dns` pods in `kube-system`, UDP and TCP 53;
 *  3. metadata: egress to every address except the cloud metadata endpoints
 *     (`0.0.0.0/0` except 169.254.169.254/32 and 100.100.100.200/32, `::/0` except fd00:ec2::254/128), all ports;
 *  4-8. three tiers, frontend → backend → database, one policy per tier and direction:
 *     frontend ingress from namespace `ingress-nginx` on TCP 8080; frontend egress to backend on TCP 9000;
 *     backend ingress from frontend on TCP 9000; backend egress to database on TCP 5432;
 *     database ingress from backend on TCP 5432.
 */

/** How the namespaces are spread over cdk8s charts. */
export enum Layout {
  /** Every namespace in one chart (a chart without a namespace; every construct names its own). */
  ONE_CHART = 'one-chart',
  /** One chart per namespace (the chart's namespace applies to its objects). */
  CHART_PER_NAMESPACE = 'chart-per-namespace',
}

export const LAYOUTS: readonly Layout[] = [Layout.ONE_CHART, Layout.CHART_PER_NAMESPACE];

export const POLICIES_PER_NAMESPACE = 8;

/** The patterns variant's: NamespaceBaseline (default deny, DNS, metadata) and TieredApp (one per tier). */
export const PATTERN_POLICIES_PER_NAMESPACE = 6;

/** `team-00042`: sorted names, equal length. */
export function namespaceName(i: number): string {
  return `team-${String(i).padStart(5, '0')}`;
}

export function namespaceNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => namespaceName(i));
}

export interface TierSpec {
  readonly name: string;
  /** The TCP port the tier serves. */
  readonly port: number;
}

export const TIERS: readonly TierSpec[] = [
  { name: 'frontend', port: 8080 },
  { name: 'backend', port: 9000 },
  { name: 'database', port: 5432 },
];

/** The label that tells the tiers' pods apart. */
export const TIER_LABEL = 'tier';

/** Who may reach the first tier. */
export const ENTRY_NAMESPACE = 'ingress-nginx';

export const DNS_NAMESPACE = 'kube-system';
export const DNS_POD_LABELS: { readonly [key: string]: string } = { 'k8s-app': 'kube-dns' };
export const DNS_PORT = 53;

export const METADATA_V4 = ['169.254.169.254/32', '100.100.100.200/32'];
export const METADATA_V6 = ['fd00:ec2::254/128'];

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The five tier policies, in order: which tier, which direction, the peer tier (or the entry namespace) and port. */
export interface TierPolicySpec {
  /** Used for names and ids: `frontend-ingress`. */
  readonly name: string;
  readonly tier: string;
  readonly direction: 'Ingress' | 'Egress';
  /** The peer tier, or undefined for the entry namespace. */
  readonly peerTier?: string;
  readonly port: number;
}

export const TIER_POLICIES: readonly TierPolicySpec[] = TIERS.flatMap((tier, i): TierPolicySpec[] => {
  const out: TierPolicySpec[] = [{
    name: `${tier.name}-ingress`,
    tier: tier.name,
    direction: 'Ingress',
    peerTier: i === 0 ? undefined : TIERS[i - 1].name,
    port: tier.port,
  }];
  if (i + 1 < TIERS.length) {
    out.push({ name: `${tier.name}-egress`, tier: tier.name, direction: 'Egress', peerTier: TIERS[i + 1].name, port: TIERS[i + 1].port });
  }
  return out;
});

/** `frontend-ingress` → `FrontendIngress`, for construct ids. */
export function pascal(name: string): string {
  return name.split('-').map(s => s.charAt(0).toUpperCase() + s.slice(1)).join('');
}
