import { ClusterModel } from './cluster-model';
import { Connectivity } from './connectivity';
import { ConnectivityFilter } from './connectivity-filter';
import { flowFilter } from './flow-filter';
import { PortSet } from './port-set';
import { markdownCell, markdownCode } from '../io/output-escape';
import { fail } from '../private/runtime-check';

/** How a flow changed between two versions. */
export enum ChangeKind {
  /** Nothing was allowed before; something is now. */
  ADDED = 'added',
  /** Something was allowed before; nothing is now. */
  REMOVED = 'removed',
  /** Something is allowed in both versions, but not the same. */
  CHANGED = 'changed',
}

/** One flow that differs between two versions. */
export interface ConnectionChange {
  /** Added, removed or changed. */
  readonly change: ChangeKind;
  /** The source. */
  readonly from: string;
  /** The destination. */
  readonly to: string;
  /**
   * What was allowed before.
   *
   * @default - nothing (an added flow)
   */
  readonly before?: PortSet;
  /**
   * What is allowed after.
   *
   * @default - nothing (a removed flow)
   */
  readonly after?: PortSet;
  /** What is allowed after and was not before (`PortSet.NONE` when nothing). */
  readonly opened: PortSet;
  /** What was allowed before and is not after (`PortSet.NONE` when nothing). */
  readonly closed: PortSet;
}

/**
 * The difference in meaning between two versions of a cluster's policies: the flows that were
 * added, removed or changed, with what each allowed before and after, and the endpoints that
 * appeared or disappeared. Equal connectivities have an empty diff; the order of the input
 * documents never matters.
 *
 * @example
 * const before = ClusterModel.fromObjects([]).connectivity();
 * const after = ClusterModel.fromChart(chart).connectivity();
 * const diff = ConnectivityDiff.between(before, after);
 * console.log(diff.summary());
 */
export class ConnectivityDiff {
  /**
   * What changed from one version of a cluster to another, with both versions' address ranges
   * cut at the ipBlock boundaries of both (so a new ipBlock shows as the flows it changes, not
   * as ranges that disappeared and appeared).
   *
   * Only flows with an end in a namespace whose labels, policies or pods changed are evaluated
   * (a flow depends on nothing else), so a small change costs little beyond reading both versions.
   */
  public static betweenModels(before: ClusterModel, after: ClusterModel): ConnectivityDiff {
    if (!(before instanceof ClusterModel) || !(after instanceof ClusterModel)) {
      fail('ConnectivityDiff.betweenModels', before instanceof ClusterModel ? 'after' : 'before', before instanceof ClusterModel ? after : before,
        'must be a ClusterModel (ClusterModel.fromObjects(), fromChart() or fromApp())');
    }
    if (!before._sameSettings(after)) {
      return ConnectivityDiff.between(before.connectivity({ alignWith: [after] }), after.connectivity({ alignWith: [before] }));
    }
    // Only flows with an end in a namespace whose labels, policies or endpoints changed can differ.
    const a = before._namespaceFingerprints();
    const b = after._namespaceFingerprints();
    const changed = new Set<string>();
    for (const [ns, print] of a) if (b.get(ns) !== print) changed.add(ns);
    for (const ns of b.keys()) if (!a.has(ns)) changed.add(ns);
    const beforeFlows = before._connectivityTouching(changed, [after]);
    const afterFlows = after._connectivityTouching(changed, [before]);
    return ConnectivityDiff.between(beforeFlows, afterFlows);
  }

  /**
   * What changed from `before` to `after`, flow by flow. Address ranges are compared by name:
   * compare connectivities computed with the same ranges (see `betweenModels`).
   */
  public static between(before: Connectivity, after: Connectivity): ConnectivityDiff {
    if (!(before instanceof Connectivity) || !(after instanceof Connectivity)) {
      fail('ConnectivityDiff.between', before instanceof Connectivity ? 'after' : 'before', before instanceof Connectivity ? after : before,
        'must be a Connectivity (from ClusterModel.connectivity())');
    }
    const beforeEndpoints = new Set(before.endpoints);
    const afterEndpoints = new Set(after.endpoints);
    const changes: ConnectionChange[] = [];
    const matched = new Set<string>();
    for (const c of after.connections) {
      const old = before.allowed(c.from, c.to);
      matched.add(`${c.from}\u0000${c.to}`);
      if (old.isEmpty) {
        changes.push({ change: ChangeKind.ADDED, from: c.from, to: c.to, after: c.allowed, opened: c.allowed, closed: PortSet.NONE });
      } else if (!old.sameAs(c.allowed)) {
        changes.push({
          change: ChangeKind.CHANGED,
          from: c.from,
          to: c.to,
          before: old,
          after: c.allowed,
          opened: c.allowed.subtract(old),
          closed: old.subtract(c.allowed),
        });
      }
    }
    for (const c of before.connections) {
      if (matched.has(`${c.from}\u0000${c.to}`)) continue;
      changes.push({ change: ChangeKind.REMOVED, from: c.from, to: c.to, before: c.allowed, opened: PortSet.NONE, closed: c.allowed });
    }
    const endpoints = [...after.endpoints, ...before.endpoints.filter(e => !afterEndpoints.has(e))];
    return new ConnectivityDiff(
      endpoints,
      changes,
      after.endpoints.filter(e => !beforeEndpoints.has(e)),
      before.endpoints.filter(e => !afterEndpoints.has(e)),
    );
  }

  /** The flows that differ, sorted by source then destination (the after version's endpoint order, then the removed endpoints). */
  public readonly changes: ConnectionChange[];
  /** Endpoints of the after version that the before version did not have. */
  public readonly addedEndpoints: string[];
  /** Endpoints of the before version that the after version does not have. */
  public readonly removedEndpoints: string[];

  private readonly endpoints: string[];

  private constructor(endpoints: string[], changes: ConnectionChange[], addedEndpoints: string[], removedEndpoints: string[]) {
    this.endpoints = endpoints;
    const order = new Map<string, number>();
    endpoints.forEach((e, i) => { if (!order.has(e)) order.set(e, i); });
    const rank = (name: string) => order.get(name) ?? Number.MAX_SAFE_INTEGER;
    this.changes = changes.sort((a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to));
    this.addedEndpoints = addedEndpoints;
    this.removedEndpoints = removedEndpoints;
  }

  /** Whether nothing changed: no flow and no endpoint. */
  public get isEmpty(): boolean {
    return this.changes.length === 0 && this.addedEndpoints.length === 0 && this.removedEndpoints.length === 0;
  }

  /** The number of added flows. */
  public get addedCount(): number {
    return this.changes.filter(c => c.change === ChangeKind.ADDED).length;
  }

  /** The number of removed flows. */
  public get removedCount(): number {
    return this.changes.filter(c => c.change === ChangeKind.REMOVED).length;
  }

  /** The number of changed flows. */
  public get changedCount(): number {
    return this.changes.filter(c => c.change === ChangeKind.CHANGED).length;
  }

  /** Whether some flow allows a connection it did not before (an added flow, or a changed one that opened ports). */
  public get opensConnections(): boolean {
    return this.changes.some(c => !c.opened.isEmpty);
  }

  /** Whether some flow no longer allows a connection it did before (a removed flow, or a changed one that closed ports). */
  public get closesConnections(): boolean {
    return this.changes.some(c => !c.closed.isEmpty);
  }

  /**
   * One line: `3 flows opened, 1 closed, 2 changed` (opened: added; closed: removed), then the
   * endpoints that appeared or disappeared, if any; `No change in connectivity` when empty.
   */
  public summary(): string {
    if (this.isEmpty) return 'No change in connectivity';
    const flows = (n: number) => `${n} flow${n === 1 ? '' : 's'}`;
    let text = `${flows(this.addedCount)} opened, ${this.removedCount} closed, ${this.changedCount} changed`;
    const parts: string[] = [];
    if (this.addedEndpoints.length > 0) parts.push(`${this.addedEndpoints.length} endpoint${this.addedEndpoints.length === 1 ? '' : 's'} appeared`);
    if (this.removedEndpoints.length > 0) parts.push(`${this.removedEndpoints.length} endpoint${this.removedEndpoints.length === 1 ? '' : 's'} disappeared`);
    if (parts.length > 0) text += `; ${parts.join(', ')}`;
    return text;
  }

  /**
   * The changes that pass a filter (a port matches when it was or is allowed); the endpoint
   * lists are filtered by `from` or `to` when given.
   */
  public filter(filter: ConnectivityFilter): ConnectivityDiff {
    const test = flowFilter(filter, this.endpoints);
    const kept = this.changes.filter(c => test(c.from, c.to, [c.before, c.after]));
    const focus = [filter.from, filter.to].filter((f): f is string => f !== undefined);
    const keepEndpoint = (name: string) => focus.length === 0 || focus.some(f => name === f || name.startsWith(`${f}/`));
    return new ConnectivityDiff(this.endpoints, kept, this.addedEndpoints.filter(keepEndpoint), this.removedEndpoints.filter(keepEndpoint));
  }

  /**
   * Human text: the summary, then one line per change
   * (`+ a => b : TCP 80`, `- a => b : TCP 80`, `~ a => b : TCP 80 -> TCP 80,443`), then the endpoints.
   */
  public toText(): string {
    const lines = [this.summary()];
    for (const c of this.changes) {
      if (c.change === ChangeKind.ADDED) lines.push(`+ ${c.from} => ${c.to} : ${c.after}`);
      else if (c.change === ChangeKind.REMOVED) lines.push(`- ${c.from} => ${c.to} : ${c.before}`);
      else lines.push(`~ ${c.from} => ${c.to} : ${c.before} -> ${c.after}`);
    }
    for (const e of this.addedEndpoints) lines.push(`endpoint appeared: ${e}`);
    for (const e of this.removedEndpoints) lines.push(`endpoint disappeared: ${e}`);
    return lines.join('\n') + '\n';
  }

  /**
   * The JSON form (documented by `schemas/diff.schema.json`): `{"changes":[{"change":"added",
   * "from","to","before":null,"after":{"TCP":[[80,80]]}}],"endpoints":{"added":[],"removed":[]}}`.
   */
  public toJson(): any {
    return {
      changes: this.changes.map(c => ({
        change: c.change,
        from: c.from,
        to: c.to,
        before: c.before ? c.before.toJson() : null,
        after: c.after ? c.after.toJson() : null,
      })),
      endpoints: { added: [...this.addedEndpoints], removed: [...this.removedEndpoints] },
    };
  }

  /**
   * Markdown for a pull-request comment: the summary in bold, then a table
   * `| change | from | to | before | after |`, then the endpoints that appeared or disappeared.
   */
  public toMarkdown(): string {
    const cell = markdownCell;
    const lines = [`**${this.summary()}**`];
    if (this.changes.length > 0) {
      lines.push('', '| change | from | to | before | after |', '| --- | --- | --- | --- | --- |');
      for (const c of this.changes) {
        lines.push(`| ${c.change} | ${cell(c.from)} | ${cell(c.to)} | ${c.before ? cell(c.before.toString()) : ''} | ${c.after ? cell(c.after.toString()) : ''} |`);
      }
    }
    if (this.addedEndpoints.length > 0) lines.push('', `Endpoints that appeared: ${this.addedEndpoints.map(markdownCode).join(', ')}`);
    if (this.removedEndpoints.length > 0) lines.push('', `Endpoints that disappeared: ${this.removedEndpoints.map(markdownCode).join(', ')}`);
    return lines.join('\n') + '\n';
  }
}
