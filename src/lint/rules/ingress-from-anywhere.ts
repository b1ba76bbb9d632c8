import { PolicyPeer } from '../../model/network-policy';
import { parseCidrSloppy } from '../../net/cidr';
import { LintCheck } from '../private/lint-check';
import { broadIngressFindings } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP006: ingress from every address (no `from`, or 0.0.0.0/0 or ::/0) to pods not marked public. */
export const INGRESS_FROM_ANYWHERE: LintCheck = {
  id: 'NP006',
  name: 'ingress-from-anywhere',
  severity: Severity.ERROR,
  summary: 'Ingress is allowed from every address (no `from`, or 0.0.0.0/0 or ::/0) to pods not marked public.',
  explanation:
    'An ingress rule without `from`, or an ipBlock with a /0 prefix (0.0.0.0/0 or ::/0, with or without `except`), '
    + 'opens the selected pods to the whole internet (and the whole cluster). That is right only for pods meant to be '
    + 'public, such as an ingress controller. It is an error: a rule without `from` is the commonest way to open a pod '
    + 'to everything by accident, and exposure to the internet is the costliest mistake. Ingress from every namespace '
    + '(`namespaceSelector: {}`), which stays inside the cluster and is usually deliberate, is NP011, a warning. Pods are public when '
    + 'they carry the label `netpol.cdk8s.io/public: "true"` (on the Pod, or on the pod template of a workload); a '
    + 'NetworkPolicy annotated `netpol.cdk8s.io/public: "true"` declares every pod it selects public. The rule reports '
    + 'each such peer of an enforced ingress rule whose policy selects pods in the input that are not public, or, '
    + 'when the policy\'s namespace has no pods in the input, every such peer of a policy not annotated public.',
  fix: 'Narrow the peer to the namespaces and pods that need access (`Peer.namespace(\'ingress-nginx\')`, a CIDR of '
    + 'your load balancers); if the pods are meant to be public, label them (or annotate the policy) '
    + '`netpol.cdk8s.io/public: "true"`.',
  check: ctx => broadIngressFindings(ctx, broadSource, true),
};

/** What a peer opens, if it is a /0 ipBlock. */
function broadSource(peer: PolicyPeer): string | undefined {
  if (peer.ipBlock) {
    const cidr = parseCidrSloppy(peer.ipBlock.cidr);
    if (!cidr || cidr.prefixLength !== 0) return undefined;
    const family = cidr.family === 'ipv4' ? 'IPv4' : 'IPv6';
    return peer.ipBlock.except.length > 0 ? `every ${family} address but the excepted ranges` : `every ${family} address`;
  }
  return undefined;
}
