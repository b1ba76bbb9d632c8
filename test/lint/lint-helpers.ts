import { Finding, LintOptions, LintReport, Linter } from '../../src/lint';
import { policy } from '../fixtures/manifests';

export { deployment, namespace, pod, policy } from '../fixtures/manifests';

/** The file name the helpers give objects. */
export const FILE = 'cluster.yaml';

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
