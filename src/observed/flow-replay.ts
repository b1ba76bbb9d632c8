import { MatchedObservedFlow as Matched, matchFlows, ownerCandidates } from './endpoint-matcher';
import { ObservedVerdict } from './observed-flow';
import { ObservedFlows } from './observed-flows';
import { deepFreeze } from './private/flow-keys';
import { NeverSeenPath, ReplayGroup, ReplayReport, UnmatchedFlow } from './replay-report';
import { ClusterModel, PortSet, Verdict } from '../analysis';
import { isExternalName } from '../analysis/flow-filter';
import { fail, props } from '../private/runtime-check';

/** Options of `FlowReplay.replay()`. */
export interface ReplayOptions {
  /**
   * A changed version of the policies (the same cluster with the policies of a pull request):
   * the flows it newly denies are what the change breaks.
   *
   * @default - only the current policies are judged
   */
  readonly against?: ClusterModel;
}

const WHERE = 'FlowReplay.replay';

/**
 * Replays observed traffic against policies: every observed flow is matched to the input's
 * endpoints and evaluated by the engine (`ClusterModel.allowed()`, the evaluation of
 * `netpol explain`, with the deciding policy and rule), giving what the current policies deny
 * ("broken now"), what a changed version newly denies ("the change breaks"), the flows that
 * match nothing in the input (kept, with the reason), and the paths the policies allow between
 * the input's endpoints that no observed flow used ("allowed but never seen": candidates to close).
 *
 * An observed end is matched, in this order: by namespace and pod name; by namespace and
 * workload name (reported, or derived from the pod's name by its controller's naming:
 * `web-7d4b9c8f6-x2x9k` is Deployment `web`'s, `db-0` StatefulSet `db`'s); by namespace and
 * labels (the endpoint whose labels are all among the observed ones; the most labels wins; a tie
 * between endpoints with different labels matches nothing); by IP (a pod's `status.podIP`); an
 * end with an IP and no namespace is an external address. Flows a recorder reports as replies are
 * never evaluated (replies are always allowed).
 *
 * @example
 * const before = ClusterModel.fromChart(chart);
 * void ObservedFlows.fromFiles(['flows.json']).then(observed => {
 *   console.log(FlowReplay.replay(before, observed).toText());
 * });
 */
export class FlowReplay {
  /**
   * Replays observed flows against the policies of `before` (and `options.against`).
   *
   * @param before the cluster and its current policies
   * @param observed the observed flows (`ObservedFlows.fromFiles()`)
   */
  public static replay(before: ClusterModel, observed: ObservedFlows, options: ReplayOptions = {}): ReplayReport {
    if (!(before instanceof ClusterModel)) fail(WHERE, 'before', before, 'must be a ClusterModel (ClusterModel.fromObjects())');
    if (!(observed instanceof ObservedFlows)) fail(WHERE, 'observed', observed, 'must be ObservedFlows (ObservedFlows.fromFiles())');
    const o = props<ReplayOptions>(WHERE, 'options', options, ['against'], { optional: true });
    const against = o.against;
    if (against !== undefined && !(against instanceof ClusterModel)) fail(WHERE, 'options.against', against, 'must be a ClusterModel, or absent');

    const unmatched: UnmatchedFlow[] = [];
    const now = matchFlows(before, observed.flows, unmatched);
    const brokenNow = new Groups();
    const changeBreaks = new Groups();
    const judge = verdicts(before);
    for (const m of now) {
      const v = judge(m);
      if (!v.allowed) brokenNow.add(m, v);
    }
    if (against) {
      // only a flow matched and allowed now can be newly broken (a flow unmatched now is reported once)
      const judgeAfter = verdicts(against);
      const allowedNow = now.filter(m => judge(m).allowed).map(m => m.flow);
      for (const m of matchFlows(against, allowedNow, unmatched, 'with --against: ')) {
        const v = judgeAfter(m);
        if (!v.allowed) changeBreaks.add(m, v);
      }
    }
    const neverSeen = unusedPaths(against ?? before, now);
    return ReplayReport._of(deepFreeze({
      againstGiven: against !== undefined,
      flows: observed.flows.length,
      observations: observed.observations,
      matchedFlows: now.length,
      brokenNow: brokenNow.list(),
      changeBreaks: changeBreaks.list(),
      unmatched,
      neverSeen,
      problems: observed.problems.map(p => ({ ...p })),
      problemCount: observed.problemCount,
      skipped: observed.skipped.map(s => ({ ...s })),
    }));
  }
}

/** The engine's verdict for a matched flow, memoized by ends, protocol and port. */
function verdicts(model: ClusterModel): (m: Matched) => Verdict {
  const memo = new Map<string, Verdict>();
  return (m) => {
    const key = `${m.from}\u0000${m.to}\u0000${m.flow.protocol}\u0000${m.flow.port}`;
    let v = memo.get(key);
    if (!v) {
      v = model.allowed({ from: m.from, to: m.to, port: m.flow.port, protocol: m.flow.protocol });
      memo.set(key, v);
    }
    return v;
  };
}

/** Denied flows grouped by their two ends, protocol and port. */
class Groups {
  private readonly groups = new Map<string, { group: Omit<ReplayGroup, 'observations' | 'flows' | 'observedDenied'>; observations: number; flows: number; observedDenied: number }>();

  public add(m: Matched, v: Verdict): void {
    const key = `${m.from}\u0000${m.to}\u0000${m.flow.protocol}\u0000${m.flow.port}`;
    let g = this.groups.get(key);
    if (!g) {
      const denying = [v.egress, v.ingress].filter(d => !d.allowed);
      g = {
        group: {
          from: m.from,
          to: m.to,
          protocol: m.flow.protocol,
          port: m.flow.port,
          firstSeen: m.flow.firstSeen,
          deniedBy: denying.flatMap(d => [d.reason, ...d.unmatched.map(u => `  ${u}`)]),
        },
        observations: 0,
        flows: 0,
        observedDenied: 0,
      };
      this.groups.set(key, g);
    }
    g.observations += m.flow.count;
    g.flows++;
    if (m.flow.verdict === ObservedVerdict.DENIED) g.observedDenied += m.flow.count;
  }

  /** The groups, the most observed first (then by name), each frozen. */
  public list(): ReplayGroup[] {
    return [...this.groups.values()]
      .map(g => ({ ...g.group, observations: g.observations, flows: g.flows, observedDenied: g.observedDenied }))
      .sort((a, b) => b.observations - a.observations || cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.protocol, b.protocol) || a.port - b.port);
  }
}

/**
 * The paths the model allows between the input's own endpoints (pods and workloads, not
 * external addresses) with the ports no observed flow used.
 */
function unusedPaths(model: ClusterModel, matched: readonly Matched[]): NeverSeenPath[] {
  const connectivity = model.connectivity({ inputOnly: true });
  const listed = new Set(connectivity.endpoints);
  // connectivity lists a controller's pods under the controller's name: the same name for the observed ends
  const listedName = (name: string): string => {
    if (listed.has(name) || isExternalName(name)) return name;
    const slash = name.indexOf('/');
    const found = ownerCandidates(name.slice(slash + 1)).map(c => `${name.slice(0, slash)}/${c}`).find(c => listed.has(c));
    return found ?? name;
  };
  const used = new Map<string, PortSet>();
  for (const m of matched) {
    const key = `${listedName(m.from)}\u0000${listedName(m.to)}`;
    const ports = PortSet.range(m.flow.protocol, m.flow.port);
    const known = used.get(key);
    used.set(key, known ? known.union(ports) : ports);
  }
  const out: NeverSeenPath[] = [];
  for (const c of connectivity.connections) {
    if (isExternalName(c.from) || isExternalName(c.to)) continue;
    const seen = used.get(`${c.from}\u0000${c.to}`);
    const unused = seen ? c.allowed.subtract(seen) : c.allowed;
    if (unused.isEmpty) continue;
    out.push({ from: c.from, to: c.to, allowed: c.allowed.toString(), unused: unused.toString(), used: seen !== undefined });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
