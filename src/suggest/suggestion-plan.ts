/**
 * From matched flows to the suggested objects: which flows need a rule, on which side, grouped
 * per workload and direction. Not part of the public API (`PolicySuggestion` is).
 */
import { SelfTraffic } from '../analysis/analysis-options';
import { ClusterModel } from '../analysis/cluster-model';
import { Endpoint } from '../analysis/endpoint';
import { compareStrings } from '../analysis/object-reader';
import { ClusterProfile } from '../cluster-profile';
import { Direction } from '../direction';
import { Protocol } from '../port';
import { MatchedFlow } from './matched-flow';
import { readMatchedFlow } from './matched-flow-reader';
import { mergePorts, portText } from './port-ranges';
import { SkippedFlow, SuggestedBaseline, SuggestedDnsAccess, SuggestedPeer, SuggestedPolicy, SuggestedRule } from './suggested-policy';
import type { SuggestedPort } from './suggested-port';
import { WorkloadSelection, workloadSelection } from './workload-selector';
import { AnalysisInputError } from '../analysis/analysis-input-error';
import { ParsedCidr, ParsedIp, formatIp, ipInCidr, parseCidrSloppy, parseIpGo } from '../net/cidr';

/** A flow that cannot be read or matched: the message names it; `flowIndex` is its place in the caller's list. */
export class FlowInputError extends AnalysisInputError {
  constructor(public readonly flowIndex: number, message: string) {
    super(message);
    this.name = 'FlowInputError';
  }
}

/** The checked settings of a suggestion. */
export interface SuggestSettings {
  readonly profile: ClusterProfile;
  readonly anywhereForExternal: boolean;
  readonly clusterCidrs: readonly ParsedCidr[];
}

/** What to suggest, before it becomes constructs. */
export interface SuggestionPlan {
  /** Whether the model has policies: then only what they deny is suggested. */
  readonly additions: boolean;
  /** The observed flows, checked, named canonically, merged (counts added) and sorted. */
  readonly flows: readonly MatchedFlow[];
  /** Flows the model (its current policies, or self-traffic) already allows. */
  readonly alreadyAllowed: readonly MatchedFlow[];
  readonly skipped: readonly SkippedFlow[];
  readonly baselines: readonly SuggestedBaseline[];
  readonly dnsAccess: readonly SuggestedDnsAccess[];
  readonly policies: readonly SuggestedPolicy[];
  /** The input's endpoints that are the profile's DNS pods. */
  readonly dnsEndpoints: readonly string[];
  /** The profile's DNS ports (numbers and ranges). */
  readonly dnsPorts: readonly SuggestedPort[];
}

/** One end of a flow: a workload of the input, or an address outside it. */
type End = { readonly endpoint: Endpoint; readonly ip?: undefined } | { readonly endpoint?: undefined; readonly ip: ParsedIp };

function flowText(f: { from: string; to: string; protocol: string; port: number }): string {
  return `${f.from} => ${f.to} ${f.protocol}/${f.port}`;
}

/** The suggestion's plan for `flows` (read once, checked) on `model`. */
export function planSuggestion(model: ClusterModel, rawFlows: readonly unknown[], settings: SuggestSettings): SuggestionPlan {
  const endpoints = model.endpoints;
  const workloads = new Map<string, Endpoint>();
  const byAddress = new Map<string, Endpoint>();
  for (const e of endpoints) {
    if (e.external) continue;
    workloads.set(e.name, e);
    for (const ip of e.ips) {
      const parsed = parseIpGo(ip);
      if (parsed && !byAddress.has(`${parsed.family} ${parsed.value}`)) byAddress.set(`${parsed.family} ${parsed.value}`, e);
    }
  }

  // pods that `netpol list` shows under their controller (`namespace/owner`): a flow of the group is one of each of its pods
  const groups = new Map<string, Endpoint[]>();
  for (const [member, group] of model._podGroups()) {
    if (workloads.has(group)) continue; // listed under a workload of the input, which stands for them
    groups.set(group, [...groups.get(group) ?? [], workloads.get(member)!]);
  }

  const resolve = (index: number, field: string, name: string, flow: MatchedFlow): End[] => {
    const known = workloads.get(name) ?? (() => {
      const found = model.findEndpoint(name);
      return found && !found.external ? workloads.get(found.name) : undefined;
    })();
    if (known) return [{ endpoint: known }];
    const members = groups.get(name);
    if (members) return members.map(endpoint => ({ endpoint }));
    const ip = parseIpGo(name);
    if (ip) {
      const pod = byAddress.get(`${ip.family} ${ip.value}`);
      return [pod ? { endpoint: pod } : { ip }];
    }
    const names = [...workloads.keys()];
    const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? `, ... (${names.length - 20} more)` : '');
    throw new FlowInputError(index, `flows[${index}] (${flowText(flow)}): ${field}: unknown endpoint ${JSON.stringify(name)}: `
      + 'not a pod or workload of the input (named as netpol list names them) nor an IP address'
      + (names.length > 0 ? `; known endpoints: ${shown}` : '; the input has no pods or workloads'));
  };

  // every flow read once, matched, named canonically, and merged with its duplicates
  const merged = new Map<string, { flow: MatchedFlow; from: End; to: End }>();
  rawFlows.forEach((raw, index) => {
    const flow = readMatchedFlow(`flows[${index}]`, raw);
    if (typeof flow === 'string') throw new FlowInputError(index, flow);
    const sources = resolve(index, 'from', flow.from, flow);
    const destinations = resolve(index, 'to', flow.to, flow);
    if (!sources[0].endpoint && !destinations[0].endpoint) {
      throw new FlowInputError(index, `flows[${index}] (${flowText(flow)}): neither end is a pod or workload of the input: `
        + 'a flow between two addresses outside the cluster needs no NetworkPolicy');
    }
    const name = (end: End) => end.endpoint ? end.endpoint.name : formatIp(end.ip!.value, end.ip!.family);
    for (const from of sources) {
      for (const to of destinations) {
        const canonical = { from: name(from), to: name(to), protocol: flow.protocol, port: flow.port };
        const key = `${canonical.from}\u0000${canonical.to}\u0000${canonical.protocol}\u0000${canonical.port}`;
        const before = merged.get(key);
        const count = (before?.flow.count ?? 0) + (flow.count ?? 1);
        merged.set(key, { flow: Object.freeze({ ...canonical, count }), from, to });
      }
    }
  });
  const entries = [...merged.values()].sort((a, b) => compareFlows(a.flow, b.flow));

  const profile = settings.profile;
  const additions = model.policies.length > 0;
  const dnsPorts = profile.dnsPorts.map(p => p.toPortConfig()).filter(c => c !== undefined);
  const isDnsPort = (protocol: Protocol, port: number) => dnsPorts.some(c => c!.protocol === protocol
    && (c!.port === undefined || (typeof c!.port === 'number' && port >= c!.port && port <= (c!.endPort ?? c!.port))));
  const dnsCidrs = profile.dnsCidrs().map(c => parseCidrSloppy(c)!).filter(c => c);
  const metadataCidrs = profile.metadataCidrs().map(c => parseCidrSloppy(c)!).filter(c => c);
  const isDnsPod = (e: Endpoint) => profile.dnsNamespace !== undefined && e.namespace === profile.dnsNamespace
    && profile.dnsPodLabels !== undefined && Object.entries(profile.dnsPodLabels).every(([k, v]) => e.labels[k] === v);
  const isDns = (flow: MatchedFlow, to: End) => isDnsPort(flow.protocol, flow.port)
    && (to.endpoint ? isDnsPod(to.endpoint) : dnsCidrs.some(c => ipInCidr(to.ip!, c)));
  const managed = (e: Endpoint) => !profile.isSystemNamespace(e.namespace!);

  const selections = new Map<string, WorkloadSelection>();
  const selectionOf = (e: Endpoint): WorkloadSelection => {
    let s = selections.get(e.name);
    if (!s) {
      const others = new Map<string, Readonly<Record<string, string>>>();
      for (const o of workloads.values()) if (o.namespace === e.namespace && o.name !== e.name) others.set(o.name, o.labels);
      s = workloadSelection(e.labels, others);
      selections.set(e.name, s);
    }
    return s;
  };
  /** Why a workload cannot be selected on its own, if it cannot. */
  const unselectable = (e: Endpoint) => Object.keys(selectionOf(e).labels).length === 0 && selectionOf(e).alsoSelects.length > 0
    ? `${e.name} has no labels that tell its pods apart from the other pods of namespace ${e.namespace}: label it, then suggest again`
    : undefined;

  const alreadyAllowed: MatchedFlow[] = [];
  const skipped: SkippedFlow[] = [];
  const dnsUsers = new Map<string, Endpoint>();
  /** subject name + direction -> peer key -> the peer and its observed ports */
  type PeerEntry = { peer: SuggestedPeer; order: string; ports: { protocol: Protocol; port: number }[] };
  const sides = new Map<string, { subject: Endpoint; direction: Direction; peers: Map<string, PeerEntry> }>();
  const add = (subject: Endpoint, direction: Direction, other: End, flow: MatchedFlow) => {
    const key = `${subject.name}\u0000${direction}`;
    let side = sides.get(key);
    if (!side) sides.set(key, side = { subject, direction, peers: new Map() });
    const { peer, order } = peerOf(other, selectionOf, settings);
    let entry = side.peers.get(order);
    if (!entry) side.peers.set(order, entry = { peer, order, ports: [] });
    entry.ports.push({ protocol: flow.protocol, port: flow.port });
  };

  for (const { flow, from, to } of entries) {
    if (from.endpoint && from.endpoint === to.endpoint && model.selfTraffic === SelfTraffic.ALLOW) {
      alreadyAllowed.push(flow);
      continue;
    }
    let needEgress = !!from.endpoint && managed(from.endpoint);
    let needIngress = !!to.endpoint && managed(to.endpoint);
    if (additions) {
      const verdict = model.allowed({ from: flow.from, to: flow.to, port: flow.port, protocol: flow.protocol });
      if (verdict.allowed) {
        alreadyAllowed.push(flow);
        continue;
      }
      needEgress = !!from.endpoint && !verdict.egress.allowed;
      needIngress = !!to.endpoint && !verdict.ingress.allowed;
    }
    const dns = isDns(flow, to);
    if (to.ip && !dns && metadataCidrs.some(c => ipInCidr(to.ip!, c))) {
      skipped.push({ flow, reason: `${flow.to} is a cloud metadata endpoint of profile ${profile.name}: the suggestion never opens it (NamespaceBaseline keeps it unreachable)` });
      continue;
    }
    // the workloads the rules select: the subjects, and the peers of their rules
    const used = [...(needEgress ? [from.endpoint, dns ? undefined : to.endpoint] : []), ...(needIngress ? [to.endpoint, from.endpoint] : [])];
    const problem = used.map(e => e && unselectable(e)).find(p => p !== undefined);
    if (problem) {
      skipped.push({ flow, reason: problem });
      continue;
    }
    if (needEgress) {
      if (dns) dnsUsers.set(from.endpoint!.name, from.endpoint!);
      else add(from.endpoint!, Direction.EGRESS, to, flow);
    }
    if (needIngress) add(to.endpoint!, Direction.INGRESS, from, flow);
  }

  const baselines: SuggestedBaseline[] = [];
  const dnsAccess: SuggestedDnsAccess[] = [];
  if (!additions) {
    const namespaces = [...new Set([...workloads.values()].filter(managed).map(e => e.namespace!))].sort();
    const dnsNamespaces = new Set([...dnsUsers.values()].map(e => e.namespace!));
    for (const namespace of namespaces) baselines.push({ namespace, allowDns: dnsNamespaces.has(namespace) });
  } else {
    for (const e of [...dnsUsers.values()].sort((a, b) => compareStrings(a.name, b.name))) {
      dnsAccess.push({ namespace: e.namespace!, name: policyName(e, 'allow-dns'), workload: e.name, podLabels: { ...selectionOf(e).labels } });
    }
  }

  const policies: SuggestedPolicy[] = [];
  const sideOrder = [...sides.values()].sort((a, b) => compareStrings(a.subject.name, b.subject.name)
    || (a.direction === b.direction ? 0 : a.direction === Direction.INGRESS ? -1 : 1));
  for (const side of sideOrder) {
    const rules = new Map<string, SuggestedRule & { peers: SuggestedPeer[] }>();
    for (const entry of [...side.peers.values()].sort((a, b) => compareStrings(a.order, b.order))) {
      const ports = mergePorts(entry.ports);
      const key = ports.map(portText).join(',');
      const rule = rules.get(key);
      if (rule) rule.peers.push(entry.peer);
      else rules.set(key, { peers: [entry.peer], ports });
    }
    const direction = side.direction === Direction.INGRESS ? 'ingress' : 'egress';
    policies.push({
      namespace: side.subject.namespace!,
      name: policyName(side.subject, direction),
      workload: side.subject.name,
      direction: side.direction,
      podLabels: { ...selectionOf(side.subject).labels },
      rules: [...rules.values()],
    });
  }
  return {
    additions,
    flows: entries.map(e => e.flow),
    alreadyAllowed,
    skipped,
    baselines,
    dnsAccess,
    policies,
    dnsEndpoints: [...workloads.values()].filter(isDnsPod).map(e => e.name),
    dnsPorts: dnsPorts.filter(c => typeof c!.port === 'number')
      .map(c => ({ protocol: c!.protocol as Protocol, port: c!.port as number, ...(c!.endPort !== undefined ? { endPort: c!.endPort } : {}) })),
  };
}

/** The peer for the other end of a flow, and a key that orders workloads before addresses. */
function peerOf(end: End, selectionOf: (e: Endpoint) => WorkloadSelection, settings: SuggestSettings): { peer: SuggestedPeer; order: string } {
  if (end.endpoint) {
    const labels = selectionOf(end.endpoint).labels;
    const peer: SuggestedPeer = Object.keys(labels).length > 0
      ? { endpoint: end.endpoint.name, namespace: end.endpoint.namespace, podLabels: { ...labels } }
      : { endpoint: end.endpoint.name, namespace: end.endpoint.namespace };
    return { peer, order: `0 ${end.endpoint.name}` };
  }
  const ip = end.ip;
  const address = formatIp(ip.value, ip.family);
  const inCluster = settings.clusterCidrs.some(c => ipInCidr(ip, c));
  if (settings.anywhereForExternal && !inCluster) {
    const cidr = ip.family === 'ipv4' ? '0.0.0.0/0' : '::/0';
    // the cluster's ranges, and the metadata endpoints that NamespaceBaseline keeps unreachable
    const excepted = [...settings.clusterCidrs, ...settings.profile.metadataCidrs().map(c => parseCidrSloppy(c)!)]
      .filter(c => c && c.family === ip.family);
    const except = [...new Set(excepted.map(c => `${formatIp(c.network, c.family)}/${c.prefixLength}`))];
    return { peer: except.length > 0 ? { endpoint: cidr, cidr, except } : { endpoint: cidr, cidr }, order: `2 ${ip.family} ${cidr}` };
  }
  const width = ip.family === 'ipv4' ? 32 : 128;
  return { peer: { endpoint: address, cidr: `${address}/${width}` }, order: `1 ${ip.family} ${ip.value.toString(16).padStart(width / 4, '0')}` };
}

/** `<workload>-<suffix>`, a valid `metadata.name` (`namespace/kind/name` gives `kind-name`). */
function policyName(e: Endpoint, suffix: string): string {
  const base = e.name.slice(e.name.indexOf('/') + 1).replace(/\//g, '-');
  const room = 253 - suffix.length - 1;
  return `${base.length > room ? base.slice(0, room).replace(/[-.]+$/, '') : base}-${suffix}`;
}

function compareFlows(a: MatchedFlow, b: MatchedFlow): number {
  return compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.protocol, b.protocol) || a.port - b.port;
}
