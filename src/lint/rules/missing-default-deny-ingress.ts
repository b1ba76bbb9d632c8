import { Direction } from '../../direction';
import { missingDefaultDeny } from '../private/default-deny-check';
import { LintCheck } from '../private/lint-check';
import { Severity } from '../severity';

/** NP001: a namespace with pods where some pods are not isolated for ingress. */
export const MISSING_DEFAULT_DENY_INGRESS: LintCheck = {
  id: 'NP001',
  name: 'missing-default-deny-ingress',
  severity: Severity.ERROR,
  summary: 'A namespace has pods that no NetworkPolicy isolates for ingress (no default deny).',
  explanation:
    'A pod accepts every connection until some NetworkPolicy in its namespace selects it with Ingress in its '
    + '(defaulted) policyTypes. Without a default deny, allow rules only restrict the pods they happen to select; '
    + 'every other pod stays open to the whole cluster and beyond. The rule looks at the pods and workloads in the '
    + 'input (a workload stands for its pods) and reports each namespace where at least one of them is not isolated '
    + 'for ingress. It does not apply to namespaces without pods in the input. A catch-all default deny '
    + '(podSelector {}) also covers pods added later; policies that select each current pod by label do not.'
    + ' It is an error: a pod without ingress isolation is open to every pod of the cluster and beyond, whatever the allow policies next to it say. The platform\'s own namespaces (the cluster profile\'s `systemNamespaces`: kube-system, openshift-*, ...) are left out: their policies are the platform\'s business.'
    + ' hostNetwork pods are not counted unless the cluster profile says its plugin isolates them (`hostNetworkPodsIsolated`): no default deny can help them, so the message names them and NP016 reports policies that select them.',
  fix: 'Add a default deny for ingress to the namespace: `new DefaultDeny(chart, \'DefaultDeny\')` (or `NamespaceBaseline`), '
    + 'or a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]`, then allow what each pod needs.',
  check: ctx => missingDefaultDeny(ctx, Direction.INGRESS),
};
