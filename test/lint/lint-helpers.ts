import { Finding, LintOptions, LintReport, Linter } from '../../src/lint';

/** The file name the helpers give objects. */
export const FILE = 'cluster.yaml';

/** A Namespace object. */
export function namespace(name: string, labels: Record<string, string> = {}, annotations?: Record<string, string>): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, ...(annotations ? { annotations } : {}) } };
}

/** Container ports and annotations of a pod or workload. */
export interface WorkloadOptions {
  /** @default none */
  readonly ports?: any[];
  /** @default none */
  readonly annotations?: Record<string, string>;
}

/** A Pod. */
export function pod(ns: string, name: string, labels: Record<string, string>, options: WorkloadOptions & { ip?: string } = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: { containers: [{ name: 'main', image: 'example', ports: options.ports ?? [] }] },
    ...(options.ip ? { status: { podIP: options.ip } } : {}),
  };
}

/** A Deployment whose pods carry the labels. */
export function deployment(ns: string, name: string, labels: Record<string, string>, options: WorkloadOptions = {}): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'example', ports: options.ports ?? [] }] } },
    },
  };
}

/** A NetworkPolicy. */
export function policy(ns: string, name: string, spec: any, annotations?: Record<string, string>): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns, ...(annotations ? { annotations } : {}) },
    spec,
  };
}

/** Isolates every pod of the namespace in both directions and allows DNS (the baseline). */
export function baseline(ns: string): any[] {
  return [
    policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy(ns, 'allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    }),
  ];
}

/** Lints the objects as the documents of one file, `cluster.yaml` (document i is object i). */
export function lint(objects: any[], options?: LintOptions): LintReport {
  return Linter.lint(objects.map((manifest, documentIndex) => ({ manifest, file: FILE, documentIndex })), options);
}

/** The findings of one rule. */
export function findingsOf(report: LintReport, ruleId: string): Finding[] {
  return report.findings.filter(f => f.ruleId === ruleId);
}

/** The suppressed findings of one rule. */
export function suppressedOf(report: LintReport, ruleId: string): Finding[] {
  return report.suppressedFindings.filter(f => f.ruleId === ruleId);
}
