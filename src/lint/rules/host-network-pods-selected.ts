import { HostNetworkPods } from '../../analysis/analysis-options';
import { policyRef } from '../../analysis/cluster-queries';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { workloadList } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP016: a policy whose podSelector selects hostNetwork pods, which it does not protect. */
export const HOST_NETWORK_PODS_SELECTED: LintCheck = {
  id: 'NP016',
  name: 'host-network-pods-selected',
  severity: Severity.WARNING,
  summary: 'A policy selects hostNetwork pods, which NetworkPolicies do not protect in the common implementations.',
  explanation:
    'A pod with `spec.hostNetwork: true` shares its node\'s network namespace and IP. Kubernetes leaves NetworkPolicy for '
    + 'such pods undefined; the common implementations cannot tell their traffic from the node\'s, so they neither '
    + 'isolate them nor match them with `podSelector` or `namespaceSelector` peers. A policy whose podSelector selects '
    + 'them therefore restricts nothing of theirs, whatever its rules say, and the analysis (explain, list, diff, the '
    + 'probe plan, NP004) treats them as not isolated. The rule reports every NetworkPolicy whose podSelector selects a '
    + 'hostNetwork pod or workload of the input, with the pods it does not protect. It is a warning: the policy still '
    + 'applies to the other pods it selects. Clusters whose network plugin does apply policies to hostNetwork pods set '
    + 'a cluster profile with `hostNetworkPodsIsolated: true`; the rule is then silent.',
  fix: 'Protect the node instead (host firewall, the cloud\'s security groups), or run the workload without `hostNetwork`; '
    + 'narrow the podSelector if the hostNetwork pods were selected by accident.',
  check: ctx => {
    if (ctx.options.hostNetworkPods === HostNetworkPods.ISOLATED) return [];
    const findings: CheckFinding[] = [];
    for (const policy of ctx.policies) {
      const host = ctx.selectedBy(policy).filter(w => w.hostNetwork);
      if (host.length === 0) continue;
      const one = host.length === 1;
      findings.push({
        subject: policyRef(policy),
        field: 'spec.podSelector',
        message: `the podSelector selects hostNetwork ${workloadList(host)}: NetworkPolicies do not apply to hostNetwork pods in the `
          + `common implementations, so this policy neither isolates ${one ? 'it' : 'them'} nor restricts ${one ? 'its' : 'their'} traffic`,
      });
    }
    return findings;
  },
};
