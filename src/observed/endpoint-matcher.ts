/**
 * Matches an observed endpoint to the input's endpoints, as the engine names them. Not part of
 * the public API; `FlowReplay` documents the order:
 * 1. namespace + pod name: a Pod of the input of that name;
 * 2. namespace + workload name: a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob,
 *    ReplicaSet, ReplicationController) of the reported workload name, else of a name the pod's
 *    name derives from by its controller's naming (`web-7d4b9c8f6-x2x9k` -> `web-7d4b9c8f6` ->
 *    `web`; `db-0` -> `db`; `agent-x2x9k` -> `agent`);
 * 3. namespace + labels: the one endpoint of the namespace whose labels (a workload's pod
 *    template labels) are all among the observed labels (a live pod carries more:
 *    `pod-template-hash`...); the endpoint with the most labels wins, a tie is ambiguous and
 *    matches nothing unless the tied endpoints have the same labels (a workload's pods: policies
 *    select by namespace and labels, so the first by name stands for them); an endpoint without
 *    labels never matches by labels;
 * 4. IP: the pod of the input with that IP (`status.podIP`/`podIPs`);
 * 5. an end with an IP and no namespace is an external address, evaluated as that address.
 * Anything else is unmatched, with the reason.
 */
import { ObservedEndpoint, ObservedFlow } from './observed-flow';
import { describeObservedEndpoint, endpointKey } from './private/flow-keys';
import type { UnmatchedFlow } from './replay-report';
import { ClusterModel, Endpoint } from '../analysis';
import { addressKey, parseIpAddress } from '../model/ip-block';

/** How an observed end was matched. */
export enum MatchedBy {
  POD = 'POD',
  WORKLOAD = 'WORKLOAD',
  LABELS = 'LABELS',
  IP = 'IP',
  EXTERNAL = 'EXTERNAL',
}

/** The result of matching one end. */
export type EndMatch = { readonly name: string; readonly by: MatchedBy } | { readonly unmatched: string };

/** One observed flow, its ends as the engine names them. */
export interface MatchedObservedFlow {
  readonly flow: ObservedFlow;
  readonly from: string;
  readonly to: string;
}

/**
 * Matches every flow to the model's endpoints (the one matching of `FlowReplay` and
 * `PolicySuggestion.fromObserved`): the matched flows in the order given; each flow an end of
 * which matches nothing is appended to `unmatched`, with the reason (after `prefix`) and where it
 * was first seen.
 */
export function matchFlows(model: ClusterModel, flows: readonly ObservedFlow[], unmatched: UnmatchedFlow[], prefix: string = ''): MatchedObservedFlow[] {
  const matcher = new EndpointMatcher(model);
  const out: MatchedObservedFlow[] = [];
  for (const flow of flows) {
    const from = matcher.match(flow.source, endpointKey(flow.source));
    const to = matcher.match(flow.destination, endpointKey(flow.destination));
    if ('name' in from && 'name' in to) {
      out.push({ flow, from: from.name, to: to.name });
      continue;
    }
    unmatched.push({
      source: describeObservedEndpoint(flow.source),
      destination: describeObservedEndpoint(flow.destination),
      protocol: flow.protocol,
      port: flow.port,
      count: flow.count,
      reason: prefix + [from, to].filter((m): m is { unmatched: string } => 'unmatched' in m).map(m => m.unmatched).join('; '),
      firstSeen: flow.firstSeen,
    });
  }
  return out;
}

/** The names a pod's controller gives it: ReplicaSet `<rs>-<5>`, Deployment `<dep>-<hash>-<5>`, StatefulSet `<sts>-<n>`. */
export function ownerCandidates(pod: string): string[] {
  const out: string[] = [];
  const five = /^(.+)-[a-z0-9]{5}$/.exec(pod);
  if (five) {
    out.push(five[1]);
    const hash = /^(.+)-[a-z0-9]{6,10}$/.exec(five[1]);
    if (hash) out.push(hash[1]);
  }
  const ordinal = /^(.+)-[0-9]+$/.exec(pod);
  if (ordinal) out.push(ordinal[1]);
  return out;
}

/** The matcher over one model's endpoints. */
export class EndpointMatcher {
  private readonly pods = new Map<string, string>();
  private readonly workloads = new Map<string, Endpoint[]>();
  private readonly byNamespace = new Map<string, Endpoint[]>();
  private readonly byIp = new Map<string, string>();
  private readonly memo = new Map<string, EndMatch>();

  constructor(model: ClusterModel) {
    for (const e of model.endpoints) {
      if (e.external || e.namespace === undefined) continue;
      const short = e.name.split('/').pop()!;
      if (e.kind === 'Pod') {
        this.pods.set(`${e.namespace}/${short}`, e.name);
        for (const ip of e.ips) {
          const address = parseIpAddress(ip);
          if (address) this.byIp.set(addressKey(address), e.name);
        }
      } else {
        const key = `${e.namespace}/${short}`;
        const list = this.workloads.get(key);
        if (list) list.push(e);
        else this.workloads.set(key, [e]);
      }
      const list = this.byNamespace.get(e.namespace);
      if (list) list.push(e);
      else this.byNamespace.set(e.namespace, [e]);
    }
  }

  /** Matches one end (memoized by its key). */
  public match(e: ObservedEndpoint, key: string): EndMatch {
    const known = this.memo.get(key);
    if (known) return known;
    const found = this.find(e);
    this.memo.set(key, found);
    return found;
  }

  private find(e: ObservedEndpoint): EndMatch {
    const ns = e.namespace;
    if (ns !== undefined) {
      if (e.pod !== undefined) {
        const pod = this.pods.get(`${ns}/${e.pod}`);
        if (pod) return { name: pod, by: MatchedBy.POD };
      }
      const names = [
        ...(e.workload !== undefined ? [e.workload, ...ownerCandidates(e.workload)] : []),
        ...(e.pod !== undefined ? ownerCandidates(e.pod) : []),
      ];
      for (const name of names) {
        const list = this.workloads.get(`${ns}/${name}`);
        if (!list) continue;
        const chosen = list.find(w => w.kind === e.workloadKind) ?? list[0];
        return { name: chosen.name, by: MatchedBy.WORKLOAD };
      }
      const byLabels = this.byLabels(ns, e.labels);
      if (byLabels && 'name' in byLabels) return byLabels;
      const ip = this.ipMatch(e.ip);
      if (ip) return ip;
      const why = byLabels ? byLabels.unmatched : Object.keys(e.labels).length > 0 ? `no endpoint of namespace ${ns} has labels among ${labelText(e.labels)}` : 'no labels reported to match by';
      return { unmatched: `${describeObservedEndpoint(e)}: ${this.byNamespace.has(ns) ? 'no pod or workload of that name' : `the input has no endpoint in namespace ${ns}`}; ${why}${e.ip ? `; no pod has IP ${e.ip}` : ''}` };
    }
    const ip = this.ipMatch(e.ip);
    if (ip) return ip;
    if (e.ip !== undefined) return { name: e.ip, by: MatchedBy.EXTERNAL };
    return { unmatched: `${describeObservedEndpoint(e)}: no namespace and no IP address reported` };
  }

  private ipMatch(ip: string | undefined): EndMatch | undefined {
    if (ip === undefined) return undefined;
    const address = parseIpAddress(ip);
    const pod = address ? this.byIp.get(addressKey(address)) : undefined;
    return pod ? { name: pod, by: MatchedBy.IP } : undefined;
  }

  private byLabels(ns: string, labels: Readonly<Record<string, string>>): EndMatch | undefined {
    if (Object.keys(labels).length === 0) return undefined;
    let best: Endpoint[] = [];
    let bestSize = 0;
    for (const c of this.byNamespace.get(ns) ?? []) {
      const keys = Object.keys(c.labels);
      if (keys.length === 0 || keys.length < bestSize || !keys.every(k => labels[k] === c.labels[k])) continue;
      if (keys.length > bestSize) {
        best = [c];
        bestSize = keys.length;
      } else {
        best.push(c);
      }
    }
    // pods of one workload share its labels, and policies select by labels and namespace alone: any of them stands for all
    const same = best.every(b => labelText(b.labels) === labelText(best[0].labels));
    if (best.length > 0 && same) return { name: best[0].name, by: MatchedBy.LABELS };
    if (best.length > 1) return { unmatched: `labels ${labelText(labels)} match ${best.length} endpoints equally (${best.slice(0, 3).map(b => b.name).join(', ')}${best.length > 3 ? ', ...' : ''})` };
    return undefined;
  }
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return `{${Object.keys(labels).sort().map(k => `${k}=${labels[k]}`).join(',')}}`;
}
