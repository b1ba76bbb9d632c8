import { Direction } from '../../direction';
import { missingDefaultDeny } from '../private/default-deny-check';
import { LintCheck } from '../private/lint-check';
import { Severity } from '../severity';

/** NP002: a namespace with pods where some pods are not isolated for egress. */
export const MISSING_DEFAULT_DENY_EGRESS: LintCheck = {
  id: 'NP002',
  name: 'missing-default-deny-egress',
  severity: Severity.WARNING,
  summary: 'A namespace has pods that no NetworkPolicy isolates for egress (no default deny).',
  explanation:
    'A pod may open connections anywhere (other namespaces, the internet, cloud metadata endpoints) until some '
    + 'NetworkPolicy in its namespace selects it with Egress in its policyTypes. The rule reports each namespace with '
    + 'pods or workloads in the input where at least one of them is not isolated for egress. It is a warning, not an '
    + 'error: egress isolation needs an allow-list of every dependency (DNS first), and teams often adopt it after '
    + 'ingress isolation. It does not apply to namespaces without pods in the input, nor to the cluster profile\'s '
    + 'system namespaces (kube-system, openshift-*, ...).'
    + ' hostNetwork pods are not counted unless the cluster profile says its plugin isolates them (`hostNetworkPodsIsolated`): no default deny can help them, so the message names them and NP016 reports policies that select them.',
  fix: 'Add a default deny for egress together with DNS: `new NamespaceBaseline(chart, \'Baseline\')`, or `DefaultDeny` '
    + 'plus `AllowDns`, then allow the destinations each pod needs.',
  check: ctx => missingDefaultDeny(ctx, Direction.EGRESS),
};
