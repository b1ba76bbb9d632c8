import { SelfTraffic } from '../analysis/analysis-options';
import { ClusterModel } from '../analysis/cluster-model';
import { Connectivity } from '../analysis/connectivity';
import { compareStrings } from '../analysis/object-reader';
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
  // pods listed under their controller (namespace/owner): compared pod by pod, as the flows name them
  const groupOf = model._podGroups();
  const members = new Map<string, string[]>();
  for (const [pod, group] of groupOf) members.set(group, [...members.get(group) ?? [], pod]);
  const endpoints = new Set(model.endpoints.map(e => e.name));
  const expand = (name: string) => endpoints.has(name) ? [name] : members.get(name) ?? [name];
  /** What a connectivity allows from one pod or workload to another, whether it lists them or their groups. */
  const lookup = (list: Connectivity, from: string, to: string) => {
    let out = PortSet.NONE;
    for (const f of new Set([from, groupOf.get(from) ?? from])) {
      for (const t of new Set([to, groupOf.get(to) ?? to])) out = out.union(list.allowed(f, t));
    }
    return out;
  };
  const extraPairs: ExtraPair[] = [];
  for (const c of after.connectivity({ inputOnly: true }).connections) {
    // pods and workloads are namespace/name; addresses and address ranges have no slash
    if (!c.from.includes('/') || !c.to.includes('/')) continue;
    for (const from of expand(c.from)) {
      for (const to of expand(c.to)) {
        if (from === to && model.selfTraffic === SelfTraffic.ALLOW) continue;
        let extra = c.allowed.subtract(observed.get(`${from}\u0000${to}`) ?? PortSet.NONE);
        if (before) extra = extra.subtract(lookup(before, from, to));
        if (extra.isEmpty) continue;
        const sample = [Protocol.TCP, Protocol.UDP, Protocol.SCTP].map(protocol => ({ protocol, ranges: extra.ranges(protocol) }))
          .find(x => x.ranges.length > 0);
        let reason = 'allowed on named ports only';
        if (sample) {
          const verdict = after.allowed({ from, to, port: sample.ranges[0].start, protocol: sample.protocol });
          reason = `${verdict.egress.reason}; ${verdict.ingress.reason}`;
        }
        extraPairs.push({ from, to, allowed: extra.toString(), dns: byDns(from, to, extra), reason });
      }
    }
  }
  extraPairs.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  return {
    holds: denied.length === 0 && extraPairs.every(x => x.dns),
    flowsChecked: plan.flows.length,
    flowsAllowed: plan.flows.length - denied.length,
    denied,
    extraPairs,
  };
}
