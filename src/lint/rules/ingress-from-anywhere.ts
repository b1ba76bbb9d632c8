import { policyRef } from '../../analysis/cluster-queries';
import { NAMESPACE_NAME_LABEL, PUBLIC_MARKER } from '../../constants';
import { PolicyPeer } from '../../model/network-policy';
import { Selector } from '../../model/selector';
import { parseCidrSloppy } from '../../net/cidr';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { isPublicWorkload, peerField, ruleField, workloadList } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP006: ingress from every namespace, or from 0.0.0.0/0 or ::/0, to pods not marked public. */
export const INGRESS_FROM_ANYWHERE: LintCheck = {
  id: 'NP006',
  name: 'ingress-from-anywhere',
  severity: Severity.ERROR,
  summary: 'Ingress is allowed from every namespace, or from 0.0.0.0/0 or ::/0, to pods not marked public.',
  explanation:
    'An ingress rule without `from`, a peer whose namespaceSelector matches every namespace (`{}`, or only '
    + '`kubernetes.io/metadata.name` Exists) with no podSelector or an empty one, or an ipBlock with a /0 prefix '
    + '(0.0.0.0/0 or ::/0, with or without `except`) opens the selected pods to the whole cluster or the whole '
    + 'internet. That is right only for pods meant to be public, such as an ingress controller. Pods are public when '
    + 'they carry the label `netpol.cdk8s.io/public: "true"` (on the Pod, or on the pod template of a workload); a '
    + 'NetworkPolicy annotated `netpol.cdk8s.io/public: "true"` declares every pod it selects public. The rule reports '
    + 'each such peer of an enforced ingress rule whose policy selects pods in the input that are not public, or, '
    + 'when the policy\'s namespace has no pods in the input, every such peer of a policy not annotated public.',
  fix: 'Narrow the peer to the namespaces and pods that need access (`Peer.namespace(\'ingress-nginx\')`, a CIDR of '
    + 'your load balancers); if the pods are meant to be public, label them (or annotate the policy) '
    + '`netpol.cdk8s.io/public: "true"`.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    for (const policy of ctx.policies) {
      if (policy.ingress.length === 0 || policy.annotations[PUBLIC_MARKER] === 'true') continue;
      const local = ctx.workloadsIn(policy.namespace);
      const exposed = ctx.selectedBy(policy).filter(w => !isPublicWorkload(w));
      if (local.length > 0 && exposed.length === 0) continue;
      const target = local.length > 0
        ? `pods not marked public: ${workloadList(exposed)}`
        : `the pods it selects (podSelector ${policy.podSelector}), none of them marked public`;
      for (const rule of policy.ingress) {
        if (!rule.peers) {
          findings.push({
            subject: policyRef(policy),
            field: ruleField(rule),
            message: `the rule has no \`from\`, so it allows ingress from every pod and every address to ${target}`,
          });
          continue;
        }
        for (const peer of rule.peers) {
          const source = broadSource(peer);
          if (source) findings.push({ subject: policyRef(policy), field: peerField(rule, peer), message: `${peer.text} allows ingress from ${source} to ${target}` });
        }
      }
    }
    return findings;
  },
};

/** What a peer opens, if it is one of the broad forms. */
function broadSource(peer: PolicyPeer): string | undefined {
  if (peer.ipBlock) {
    const cidr = parseCidrSloppy(peer.ipBlock.cidr);
    if (!cidr || cidr.prefixLength !== 0) return undefined;
    const family = cidr.family === 'ipv4' ? 'IPv4' : 'IPv6';
    return peer.ipBlock.except.length > 0 ? `every ${family} address but the excepted ranges` : `every ${family} address`;
  }
  if (peer.namespaceSelector && everyNamespace(peer.namespaceSelector) && (!peer.podSelector || peer.podSelector.isEmpty)) {
    return 'every pod in every namespace';
  }
  return undefined;
}

/** Whether a namespace selector matches every namespace, whatever its labels. */
function everyNamespace(selector: Selector): boolean {
  return selector.requirements.every(r => r.key === NAMESPACE_NAME_LABEL && r.operator === 'Exists');
}
