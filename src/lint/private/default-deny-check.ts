import { CheckFinding } from './lint-check';
import { LintContext } from './lint-context';
import { workloadList } from './rule-helpers';
import { HostNetworkPods } from '../../analysis/analysis-options';
import { Direction } from '../../direction';

/**
 * NP001 and NP002: every namespace with pods (or workloads) in the input where some of them
 * are not isolated for the direction, except the cluster profile's system namespaces (kube-system,
 * openshift-*, ...). One finding per namespace, on its Namespace object when the input has one,
 * else on the first pod that is not isolated. hostNetwork pods are not counted when the plugin does
 * not isolate them (the default): no default deny can help them, so the advice would be wrong;
 * the message names them, and NP016 reports the policies that select them.
 */
export function missingDefaultDeny(ctx: LintContext, direction: Direction): CheckFinding[] {
  const word = direction === Direction.INGRESS ? 'ingress' : 'egress';
  const consequence = (n: number) => direction === Direction.INGRESS
    ? `${n === 1 ? 'accepts' : 'accept'} connections from every pod and every address`
    : 'may connect to every pod and every address';
  const findings: CheckFinding[] = [];
  for (const ns of ctx.namespaces) {
    // the platform's own namespaces (the cluster profile's) are its business, not the app's
    if (ctx.options.profile.isSystemNamespace(ns.name)) continue;
    const all = ctx.workloadsIn(ns.name);
    const unprotectable = ctx.options.hostNetworkPods === HostNetworkPods.ISOLATED ? [] : all.filter(w => w.hostNetwork);
    const workloads = all.filter(w => !unprotectable.includes(w));
    if (workloads.length === 0) continue;
    const open = workloads.filter(w => ctx.isolatedBy(w, direction).length === 0);
    if (open.length === 0) continue;
    const hostNote = unprotectable.length === 0 ? '' : `; hostNetwork ${workloadList(unprotectable)} ${unprotectable.length === 1 ? 'is' : 'are'} not `
      + `counted: no NetworkPolicy isolates ${unprotectable.length === 1 ? 'it' : 'them'} (protect the node instead)`;
    const subject = ns.ref ?? open[0].ref;
    const message = open.length === workloads.length
      ? `no NetworkPolicy in namespace ${ns.name} isolates its pods for ${word}, so ${workloadList(open)} ${consequence(open.length)}`
      : `in namespace ${ns.name}, no NetworkPolicy isolates ${workloadList(open)} for ${word} (${open.length} of ${workloads.length} `
        + `pods and workloads), so ${open.length === 1 ? 'it' : 'they'} ${consequence(open.length)}`;
    findings.push({ subject, namespace: ns.name, message: message + hostNote });
  }
  return findings;
}
