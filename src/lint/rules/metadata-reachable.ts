import { WorkloadView, policyRef } from '../../analysis/cluster-queries';
import { Direction } from '../../direction';
import { Protocol } from '../../port';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { listText, ruleField, workloadList } from '../private/rule-helpers';
import { Severity } from '../severity';

/** The port the metadata services listen on (plain HTTP). */
const METADATA_PORT = 80;

/** NP004: egress rules that let egress-isolated pods reach a cloud metadata address. */
export const METADATA_REACHABLE: LintCheck = {
  id: 'NP004',
  name: 'metadata-reachable',
  severity: Severity.ERROR,
  summary: 'An egress rule lets egress-isolated pods reach a cloud metadata endpoint.',
  explanation:
    'Cloud instance-metadata services (169.254.169.254 on AWS, GCP, Azure and OpenStack, 100.100.100.200 on Alibaba '
    + 'Cloud, fd00:ec2::254 for AWS over IPv6) hand out the node\'s credentials to anyone who asks over HTTP. A broad '
    + 'egress rule (no `to`, or an ipBlock such as 0.0.0.0/0 without the endpoints in `except`) reaches them. For every '
    + 'egress-isolated pod or workload in the input and every metadata address, the rule asks the connectivity engine '
    + 'whether the pod may connect to the address on TCP/80, and reports each policy rule that allows it, with the pods '
    + 'it exposes. Pods that are not isolated for egress reach the endpoints too; NP002 reports those. The addresses '
    + 'are the cluster profile\'s (AKS adds the WireServer 168.63.129.16, GKE the IPv6 fd20:ce::254), and its '
    + 'documented exceptions are not findings: on GKE with Cloud DNS, 169.254.169.254 on port 53 is the pods\' DNS '
    + 'server, while TCP/80 there stays a finding. It is an error: the node\'s credentials are one request away.',
  fix: 'Add the metadata endpoints to the ipBlock\'s `except` (`Peer.anyIpv4([\'169.254.169.254/32\', \'100.100.100.200/32\'])`), '
    + 'narrow the rule, or use `BlockMetadata`, which also guarantees it at synthesis.',
  check: ctx => {
    const hits = new Map<string, { policy: string; field: string; peer: string; addresses: Set<string>; workloads: Set<WorkloadView> }>();
    const policies = new Map(ctx.policies.map(p => [p.id, p]));
    for (const workload of ctx.workloads) {
      if (ctx.isolatedBy(workload, Direction.EGRESS).length === 0) continue;
      for (const address of ctx.options.metadataAddresses) {
        // a port the cluster profile documents as legitimate is not a finding (none is TCP/80 in the built-ins)
        if (ctx.options.metadataExceptions.get(address)?.some(p => p.protocol === Protocol.TCP && p.port === METADATA_PORT)) continue;
        for (const ref of ctx.egressAllowedBy(workload, address, METADATA_PORT, Protocol.TCP)) {
          const policy = policies.get(ref.policy)!;
          const rule = policy.egress[ref.ruleIndex];
          const peer = ref.peerIndex !== undefined ? rule.peers![ref.peerIndex] : undefined;
          const field = peer ? `${ruleField(rule)}.to[${peer.index}]` : ruleField(rule);
          const key = `${ref.policy}\u0000${field}`;
          let hit = hits.get(key);
          if (!hit) {
            hit = { policy: ref.policy, field, peer: peer ? peer.text : 'the rule, which has no `to`,', addresses: new Set(), workloads: new Set() };
            hits.set(key, hit);
          }
          hit.addresses.add(address);
          hit.workloads.add(workload);
        }
      }
    }
    const findings: CheckFinding[] = [];
    for (const hit of hits.values()) {
      const policy = policies.get(hit.policy)!;
      const addresses = ctx.options.metadataAddresses.filter(a => hit.addresses.has(a));
      findings.push({
        subject: policyRef(policy),
        field: hit.field,
        message: `${hit.peer} lets ${workloadList([...hit.workloads])} reach the cloud metadata `
          + `${addresses.length === 1 ? 'endpoint' : 'endpoints'} ${listText(addresses)} (TCP/${METADATA_PORT})`,
      });
    }
    return findings;
  },
};
