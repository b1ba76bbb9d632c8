import { clusterPolicyRef } from './cluster-priority-overlap';
import { PeerSample, WorkloadView } from '../../analysis/cluster-queries';
import { Direction } from '../../direction';
import { ClusterRule, ParsedClusterPolicy } from '../../model/cluster-network-policy';
import { parseIpAddress } from '../../model/ip-block';
import { ParsedPolicy, PolicyRule } from '../../model/network-policy';
import { formatIp, parseCidrSloppy } from '../../net/cidr';
import { Protocol } from '../../port';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { LintContext, ProtocolPort } from '../private/lint-context';
import { listText } from '../private/rule-helpers';
import { Severity } from '../severity';

const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

/**
 * The ports to ask about for a connection an Accept rule matches: one in every stretch where
 * neither the rule's ports nor what the NetworkPolicies allow change (the start of each of the
 * rule's ranges, and every start and end + 1 of the policies' port entries and the destination's
 * container ports inside it), so that a port the Accept opens and the policies deny is found
 * when there is one.
 */
function samplePorts(rule: ClusterRule, destination: WorkloadView | undefined, npRules: readonly PolicyRule[]): ProtocolPort[] {
  const ranges: [Protocol, number, number][] = [];
  if (!rule.ports) {
    for (const protocol of PROTOCOLS) ranges.push([protocol, 1, 65535]);
  } else {
    for (const entry of rule.ports) {
      if (entry.unknown) continue; // an Accept fails closed on it: it matches nothing
      if (entry.name !== undefined) {
        for (const p of destination?.ports ?? []) if (p.name === entry.name) ranges.push([p.protocol, p.port, p.port]);
      } else if (entry.protocol !== undefined) {
        ranges.push([entry.protocol, entry.start!, entry.end!]);
      }
    }
  }
  const cuts: [Protocol, number][] = [];
  for (const r of npRules) {
    for (const p of r.ports ?? []) if (p.port !== undefined) cuts.push([p.protocol, p.port], [p.protocol, (p.endPort ?? p.port) + 1]);
  }
  // named ports of the policies resolve on the destination's container ports
  for (const p of destination?.ports ?? []) cuts.push([p.protocol, p.port], [p.protocol, p.port + 1]);
  const out = new Map<string, ProtocolPort>();
  for (const [protocol, start, end] of ranges) {
    out.set(`${protocol}/${start}`, { protocol, port: start });
    for (const [p, n] of cuts) if (p === protocol && n > start && n <= end) out.set(`${protocol}/${n}`, { protocol, port: n });
  }
  return [...out.values()];
}

/** The first address of each `networks` CIDR of the rule that the block contains: external peers to ask about. */
function networkAddresses(rule: ClusterRule): string[] {
  const out = new Set<string>();
  for (const peer of rule.peers) {
    for (const block of peer.networks ?? []) {
      const cidr = parseCidrSloppy(block.cidr);
      if (!cidr) continue;
      const first = formatIp(cidr.network, cidr.family);
      if (block.contains(parseIpAddress(first)!)) out.add(first);
    }
  }
  return [...out].sort();
}

/**
 * The peers to ask about for an Accept rule: one workload of each shape its `namespaces`/`pods`
 * peers select (only those can it let through; a peer with no known field matches nothing in an
 * Accept), and the first address of each of its `networks`.
 */
function peerSamples(ctx: LintContext, rule: ClusterRule): PeerSample[] {
  const selected = new Set(rule.peers.flatMap(p => ctx.clusterPeerSelects(p)).map(w => w.name));
  const seen = new Set<string>();
  const peers: PeerSample[] = [];
  for (const w of ctx.workloads) {
    if (!selected.has(w.name)) continue;
    const key = ctx.shapeKey(w);
    if (seen.has(key)) continue;
    seen.add(key);
    peers.push({ workload: w });
  }
  for (const address of networkAddresses(rule)) peers.push({ address });
  return peers;
}

/** One flow the Accept rule lets through for `subject` that its isolating NetworkPolicies deny, as text. */
function bypassedFlow(
  ctx: LintContext, policy: ParsedClusterPolicy, rule: ClusterRule, subject: WorkloadView,
  isolating: readonly ParsedPolicy[], peers: readonly PeerSample[],
): string | undefined {
  const direction = rule.direction;
  const ingress = direction === Direction.INGRESS;
  const npRules = isolating.flatMap(p => (ingress ? p.ingress : p.egress).map(r => ({ policy: p, rule: r })));
  for (const peer of peers) {
    if (peer.workload?.name === subject.name) continue; // a pod reaching itself is not subject to cluster-wide policies
    const destination = ingress ? subject : peer.workload;
    for (const { protocol, port } of samplePorts(rule, destination, npRules.map(r => r.rule))) {
      const verdict = ctx.directionVerdict(direction, subject, peer, port, protocol);
      const by = verdict.decidedBy;
      if (!by || by.policy !== policy.id || by.direction !== direction || by.ruleIndex !== rule.index || verdict.allowed !== true) continue;
      if (npRules.some(r => ctx.ruleAllows(r.policy, r.rule, subject, peer, port, protocol))) continue;
      const other = peer.workload?.name ?? peer.address!;
      return `${ingress ? `${other} => ${subject.name}` : `${subject.name} => ${other}`} ${protocol}/${port}`;
    }
  }
  return undefined;
}

/** NP018: an Admin `Accept` rule that lets through traffic the NetworkPolicies of an isolated namespace deny. */
export const CLUSTER_ADMIN_ACCEPT_BYPASSES_ISOLATION: LintCheck = {
  id: 'NP018',
  name: 'cluster-admin-accept-bypasses-isolation',
  severity: Severity.WARNING,
  summary: 'An Admin Accept rule lets through traffic that a namespace\'s own NetworkPolicies deny: it overrides the namespace owners\' isolation.',
  explanation:
    'The Admin tier decides before NetworkPolicies: an Admin Accept allows a connection even into (or out of) a pod '
    + 'that its namespace\'s NetworkPolicies isolate and do not allow it for. Sometimes that is the point (monitoring, '
    + 'cluster DNS); often it silently defeats a default deny the namespace\'s owners rely on, and nothing in their '
    + 'namespace tells them. The rule asks the engine, for each Admin rule with action Accept and each workload its '
    + 'policy\'s subject selects that NetworkPolicies isolate for the rule\'s direction, whether some connection with '
    + 'a workload of the input its peers select (or the first address of one of its `networks`) is decided by that Accept while '
    + 'no rule of the isolating NetworkPolicies allows it; ports are tried in every stretch where the rule\'s ports or '
    + 'the policies\' ports change. One finding per rule and namespace, with one such connection. Suppress it with '
    + 'the reason when the bypass is intended.',
  fix: 'Narrow the Accept (subject, peers or protocols) to what must bypass the namespaces\' policies, use Pass to let '
    + 'the namespaces decide, or suppress the finding with the reason the bypass is intended.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    for (const policy of ctx.clusterPolicies) {
      if (policy.tier !== 'Admin') continue;
      const subjects = ctx.clusterSubjectSelects(policy);
      for (const rule of [...policy.ingress, ...policy.egress]) {
        if (rule.action !== 'Accept') continue;
        const field = rule.direction === Direction.INGRESS ? 'ingress' : 'egress';
        const flows = new Map<string, { flow: string; isolatedBy: string[] }>();
        const tried = new Set<string>();
        let peers: PeerSample[] | undefined;
        for (const subject of subjects) {
          if (flows.has(subject.namespace)) continue;
          const isolatedBy = ctx.isolatedBy(subject, rule.direction);
          if (isolatedBy.length === 0) continue;
          const key = ctx.shapeKey(subject);
          if (tried.has(key)) continue;
          tried.add(key);
          const isolating = ctx.policies.filter(p => isolatedBy.includes(p.id));
          const flow = bypassedFlow(ctx, policy, rule, subject, isolating, peers ??= peerSamples(ctx, rule));
          if (flow) flows.set(subject.namespace, { flow, isolatedBy });
        }
        for (const namespace of [...flows.keys()].sort()) {
          const { flow, isolatedBy } = flows.get(namespace)!;
          findings.push({
            subject: clusterPolicyRef(policy),
            namespace,
            field: `spec.${field}[${rule.index}]`,
            message: `${field} rule ${rule.index}${rule.name !== undefined ? ` ${JSON.stringify(rule.name)}` : ''} (${rule.actionText}) `
              + `bypasses the isolation of namespace ${namespace}: it allows ${flow}, which ${listText(isolatedBy)} `
              + `${isolatedBy.length === 1 ? 'does' : 'do'} not allow`,
          });
        }
      }
    }
    return findings;
  },
};
