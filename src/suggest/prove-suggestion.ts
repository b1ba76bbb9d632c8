import { ClusterModel } from '../analysis/cluster-model';
import { PortSet } from '../analysis/port-set';
import { Protocol } from '../port';
import type { MatchedFlow } from './matched-flow';
import type { SuggestionPlan } from './suggestion-plan';
import type { ExtraPair, SuggestionProof } from './suggestion-proof';

/** Checks `plan` with the engine: `model` is the input, `after` the input with the suggested policies. */
export function proveSuggestion(model: ClusterModel, after: ClusterModel, plan: SuggestionPlan): SuggestionProof {
  const denied: { flow: MatchedFlow; reason: string }[] = [];
  const observed = new Map<string, PortSet>();
  for (const flow of plan.flows) {
    const verdict = after.allowed({ from: flow.from, to: flow.to, port: flow.port, protocol: flow.protocol });
    if (!verdict.allowed) denied.push({ flow, reason: `${verdict.egress.reason}; ${verdict.ingress.reason}` });
    const key = `${flow.from}\u0000${flow.to}`;
    observed.set(key, (observed.get(key) ?? PortSet.NONE).union(PortSet.range(flow.protocol, flow.port)));
  }
  // what the profile's DNS handling allows by design: every pod of a namespace (or the workload) where DNS was observed
  let dnsPorts = PortSet.NONE;
  for (const p of plan.dnsPorts) dnsPorts = dnsPorts.union(PortSet.range(p.protocol, p.port, p.endPort ?? p.port));
  const dnsNamespaces = new Set(plan.baselines.filter(b => b.allowDns).map(b => b.namespace));
  const dnsWorkloads = new Set(plan.dnsAccess.map(d => d.workload));
  const byDns = (from: string, to: string, extra: PortSet) => plan.dnsEndpoints.includes(to) && extra.subtract(dnsPorts).isEmpty
    && (dnsNamespaces.has(from.slice(0, from.indexOf('/'))) || dnsWorkloads.has(from));
  const before = plan.additions ? model.connectivity({ inputOnly: true }) : undefined;
  const extraPairs: ExtraPair[] = [];
  for (const c of after.connectivity({ inputOnly: true }).connections) {
    // pods and workloads are namespace/name; addresses and address ranges have no slash
    if (!c.from.includes('/') || !c.to.includes('/')) continue;
    let extra = c.allowed.subtract(observed.get(`${c.from}\u0000${c.to}`) ?? PortSet.NONE);
    if (before) extra = extra.subtract(before.allowed(c.from, c.to));
    if (extra.isEmpty) continue;
    const sample = [Protocol.TCP, Protocol.UDP, Protocol.SCTP].map(protocol => ({ protocol, ranges: extra.ranges(protocol) }))
      .find(x => x.ranges.length > 0);
    let reason = 'allowed on named ports only';
    if (sample) {
      const verdict = after.allowed({ from: c.from, to: c.to, port: sample.ranges[0].start, protocol: sample.protocol });
      reason = `${verdict.egress.reason}; ${verdict.ingress.reason}`;
    }
    extraPairs.push({ from: c.from, to: c.to, allowed: extra.toString(), dns: byDns(c.from, c.to, extra), reason });
  }
  return {
    holds: denied.length === 0 && extraPairs.every(x => x.dns),
    flowsChecked: plan.flows.length,
    flowsAllowed: plan.flows.length - denied.length,
    denied,
    extraPairs,
  };
}
