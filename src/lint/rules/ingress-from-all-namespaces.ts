import { NAMESPACE_NAME_LABEL } from '../../constants';
import { PolicyPeer } from '../../model/network-policy';
import { Selector } from '../../model/selector';
import { LintCheck } from '../private/lint-check';
import { broadIngressFindings } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP011: ingress from every pod of every namespace to pods not marked public. */
export const INGRESS_FROM_ALL_NAMESPACES: LintCheck = {
  id: 'NP011',
  name: 'ingress-from-all-namespaces',
  severity: Severity.WARNING,
  summary: 'Ingress is allowed from every pod of every namespace (`namespaceSelector: {}`) to pods not marked public.',
  explanation:
    'A peer whose namespaceSelector matches every namespace (`{}`, or only `kubernetes.io/metadata.name` Exists) with '
    + 'no podSelector or an empty one opens the selected pods to every pod of the cluster, present and future. It stays '
    + 'inside the cluster and is usually written on purpose (a shared service, a cluster-wide DNS or metrics endpoint), '
    + 'so it is a warning, not an error as ingress from every address is (NP006): review that the whole cluster should '
    + 'reach these pods. Pods are public when they carry the label `netpol.cdk8s.io/public: "true"` (on the Pod, or on '
    + 'the pod template of a workload); a NetworkPolicy annotated `netpol.cdk8s.io/public: "true"` declares every pod '
    + 'it selects public, and then nothing is reported.',
  fix: 'Narrow the peer to the namespaces that need access (`Peer.namespace(\'frontend\')`, `Peer.namespaces({ team: '
    + '\'shop\' })`); if the whole cluster should reach the pods, label them (or annotate the policy) '
    + '`netpol.cdk8s.io/public: "true"`, or suppress the finding with the reason.',
  check: ctx => broadIngressFindings(ctx, everyNamespacePeer, false),
};

/** What a peer opens when it selects every pod of every namespace. */
function everyNamespacePeer(peer: PolicyPeer): string | undefined {
  if (peer.namespaceSelector && everyNamespace(peer.namespaceSelector) && (!peer.podSelector || peer.podSelector.isEmpty)) {
    return 'every pod in every namespace';
  }
  return undefined;
}

/** Whether a namespace selector matches every namespace, whatever its labels. */
function everyNamespace(selector: Selector): boolean {
  return selector.requirements.every(r => r.key === NAMESPACE_NAME_LABEL && r.operator === 'Exists');
}
