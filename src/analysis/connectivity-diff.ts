import { ClusterModel } from './cluster-model';
import { Connectivity, FlowRules } from './connectivity';
import { ConnectivityFilter } from './connectivity-filter';
import { diffScope } from './diff-scope';
import { flowFilter, isExternalName } from './flow-filter';
import { markdownCell } from './markdown-cell';
import { PortSet } from './port-set';
import { DIFF_MARKDOWN_MAX_CHARS, DIFF_MARKDOWN_SHOWN_ROWS } from '../constants';
import { MarkdownComment } from '../io/markdown-comment';
import { markdownCode } from '../io/output-escape';
import { AddressRange } from '../net/address-ranges';
import { describeAddressRanges, parseAddressRangeName } from '../net/cidr-cover';
import { fail, optionalBoolean, props } from '../private/runtime-check';

/** How `ConnectivityDiff.betweenModels` compares two versions. */
export interface ConnectivityDiffOptions {
  /**
   * Compare only the input's own endpoints, without the representative endpoints that stand for
   * pods the input does not contain (see `ConnectivityOptions.inputOnly`).
   *
   * @default false
   */
  readonly inputOnly?: boolean;
  /**
   * The most flows either version may have among those the diff evaluates (the flows with an
   * end in a namespace that changed): above it, a RangeError that gives the count, before any
   * flow is made, instead of holding both lists in memory.
   *
   * @default - no limit
   */
  readonly maxFlows?: number;
}

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
  /**
   * The rules that allowed the flow before, per direction.
   *
   * @default - none: nothing was allowed (an added flow), or the before connectivity does not
   * know its rules (it was read with `Connectivity.fromJson`)
   */
  readonly allowedBefore?: FlowRules;
  /**
   * The rules that allow the flow after, per direction.
   *
   * @default - none: nothing is allowed (a removed flow), or the after connectivity does not
   * know its rules
   */
  readonly allowedAfter?: FlowRules;
}

/** One row of the text and Markdown forms: one change, or changes alike but for adjacent address ranges. */
interface DiffRow {
  /** `added`, `removed`, `widened`, `narrowed`, or `widened and narrowed`. */
  readonly label: string;
  readonly symbol: string;
  readonly from: string;
  readonly to: string;
  readonly before?: PortSet;
  readonly after?: PortSet;
  readonly allowedBefore?: FlowRules;
  readonly allowedAfter?: FlowRules;
  /** Whether it opens something (added or widened). */
  readonly opens: boolean;
  /** Whether it closes something (removed or narrowed). */
  readonly closes: boolean;
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
   *
   * @param options `maxFlows`: refuse versions with more flows to compare than this
   */
  public static betweenModels(before: ClusterModel, after: ClusterModel, options: ConnectivityDiffOptions = {}): ConnectivityDiff {
    if (!(before instanceof ClusterModel) || !(after instanceof ClusterModel)) {
      fail('ConnectivityDiff.betweenModels', before instanceof ClusterModel ? 'after' : 'before', before instanceof ClusterModel ? after : before,
        'must be a ClusterModel (ClusterModel.fromObjects(), fromChart() or fromApp())');
    }
    const read = props<ConnectivityDiffOptions>('ConnectivityDiff.betweenModels', 'options', options, ['inputOnly', 'maxFlows'], { optional: true });
    const inputOnly = optionalBoolean('ConnectivityDiff.betweenModels', 'options.inputOnly', read.inputOnly) ?? false;
    const maxFlows = read.maxFlows;
    if (maxFlows !== undefined && !(Number.isSafeInteger(maxFlows) && maxFlows >= 0)) {
      fail('ConnectivityDiff.betweenModels', 'options.maxFlows', maxFlows, 'must be a whole number of flows, 0 or more');
    }
    // cluster-wide policies may select any namespace, the representatives' too: a change to them is evaluated whole
    if (!before._sameSettings(after) || before._clusterPoliciesFingerprint() !== after._clusterPoliciesFingerprint()) {
      return ConnectivityDiff.between(
        before.connectivity({ alignWith: [after], inputOnly, maxFlows }),
        after.connectivity({ alignWith: [before], inputOnly, maxFlows }),
      );
    }
    // Only flows with an end in a namespace whose labels, policies or endpoints changed can differ.
    const a = before._namespaceFingerprints();
    const b = after._namespaceFingerprints();
    const changed = new Set<string>();
    for (const [ns, print] of a) if (b.get(ns) !== print) changed.add(ns);
    for (const ns of b.keys()) if (!a.has(ns)) changed.add(ns);
    // ... and only pods of namespaces that can hold the other end of such a flow need evaluating
    const versions = [before._scopeVersion(), after._scopeVersion()];
    const scope = versions[0] && versions[1] ? diffScope([versions[0], versions[1]], changed, before.ipBlockMatchesPodIps) : undefined;
    const beforeFlows = before._connectivityTouching(changed, [after], inputOnly, maxFlows, scope);
    const afterFlows = after._connectivityTouching(changed, [before], inputOnly, maxFlows, scope);
    const diff = ConnectivityDiff.between(beforeFlows, afterFlows);
    if (!scope) return diff;
    // a filter may name what the scope left out (none of its flows changed)
    const known = (name: string) => [before, after].some(m => m.namespaceLabels(name) !== undefined || m.findEndpoint(name) !== undefined);
    return new ConnectivityDiff(diff.endpoints, diff.changes, diff.addedEndpoints, diff.removedEndpoints, known);
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
        changes.push({
          change: ChangeKind.ADDED,
          from: c.from,
          to: c.to,
          after: c.allowed,
          opened: c.allowed,
          closed: PortSet.NONE,
          ...attributionOf(undefined, after.allowedBy(c.from, c.to)),
        });
      } else if (!old.sameAs(c.allowed)) {
        changes.push({
          change: ChangeKind.CHANGED,
          from: c.from,
          to: c.to,
          before: old,
          after: c.allowed,
          opened: c.allowed.subtract(old),
          closed: old.subtract(c.allowed),
          ...attributionOf(before.allowedBy(c.from, c.to), after.allowedBy(c.from, c.to)),
        });
      }
    }
    for (const c of before.connections) {
      if (matched.has(`${c.from}\u0000${c.to}`)) continue;
      changes.push({
        change: ChangeKind.REMOVED,
        from: c.from,
        to: c.to,
        before: c.allowed,
        opened: PortSet.NONE,
        closed: c.allowed,
        ...attributionOf(before.allowedBy(c.from, c.to), undefined),
      });
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
  /** Names a filter may use beyond `endpoints` (see `flowFilter`). */
  private readonly known?: (name: string) => boolean;

  private constructor(
    endpoints: string[], changes: ConnectionChange[], addedEndpoints: string[], removedEndpoints: string[], known?: (name: string) => boolean,
  ) {
    this.endpoints = endpoints;
    this.known = known;
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

  /** The number of added flows (nothing was allowed before). */
  public get addedCount(): number {
    return this.changes.filter(c => c.change === ChangeKind.ADDED).length;
  }

  /** The number of removed flows (nothing is allowed after). */
  public get removedCount(): number {
    return this.changes.filter(c => c.change === ChangeKind.REMOVED).length;
  }

  /** The number of changed flows (something is allowed before and after, but not the same): widened, narrowed, or both. */
  public get changedCount(): number {
    return this.changes.filter(c => c.change === ChangeKind.CHANGED).length;
  }

  /** The number of changed flows that allow something they did not (they may also have lost something). */
  public get widenedCount(): number {
    return this.changes.filter(c => c.change === ChangeKind.CHANGED && !c.opened.isEmpty).length;
  }

  /** The number of changed flows that no longer allow something they did (they may also have gained something). */
  public get narrowedCount(): number {
    return this.changes.filter(c => c.change === ChangeKind.CHANGED && !c.closed.isEmpty).length;
  }

  /** The number of flows that opened something: added plus widened (what `--fail-on opened` counts). */
  public get openedCount(): number {
    return this.changes.filter(c => !c.opened.isEmpty).length;
  }

  /** The number of flows that closed something: removed plus narrowed (what `--fail-on closed` counts). */
  public get closedCount(): number {
    return this.changes.filter(c => !c.closed.isEmpty).length;
  }

  /** Whether some flow allows a connection it did not before (an added or a widened flow). */
  public get opensConnections(): boolean {
    return this.openedCount > 0;
  }

  /** Whether some flow no longer allows a connection it did before (a removed or a narrowed flow). */
  public get closesConnections(): boolean {
    return this.closedCount > 0;
  }

  /**
   * One line, in the words of the gate: `2 flows opened (1 added, 1 widened), 1 closed (1 narrowed)`
   * (a changed flow that gains ports is widened and counts as opened, one that loses ports is
   * narrowed and counts as closed, one that does both counts in both), then the endpoints that
   * appeared or disappeared, if any; `No change in connectivity` when empty.
   */
  public summary(): string {
    if (this.isEmpty) return 'No change in connectivity';
    const parts = (counts: [number, string][]) => {
      const shown = counts.filter(([n]) => n > 0).map(([n, word]) => `${n} ${word}`);
      return shown.length > 0 ? ` (${shown.join(', ')})` : '';
    };
    const opened = this.openedCount;
    let text = `${opened} flow${opened === 1 ? '' : 's'} opened${parts([[this.addedCount, 'added'], [this.widenedCount, 'widened']])}`
      + `, ${this.closedCount} closed${parts([[this.removedCount, 'removed'], [this.narrowedCount, 'narrowed']])}`;
    const endpoints: string[] = [];
    if (this.addedEndpoints.length > 0) endpoints.push(`${this.addedEndpoints.length} endpoint${this.addedEndpoints.length === 1 ? '' : 's'} appeared`);
    if (this.removedEndpoints.length > 0) endpoints.push(`${this.removedEndpoints.length} endpoint${this.removedEndpoints.length === 1 ? '' : 's'} disappeared`);
    if (endpoints.length > 0) text += `; ${endpoints.join(', ')}`;
    return text;
  }

  /**
   * The changes that pass a filter (a port matches when it was or is allowed); the endpoint
   * lists are filtered by `from` or `to` when given.
   */
  public filter(filter: ConnectivityFilter): ConnectivityDiff {
    const test = flowFilter(filter, this.endpoints, this.known);
    const kept = this.changes.filter(c => test(c.from, c.to, [c.before, c.after]));
    const focus = [filter.from, filter.to].filter((f): f is string => f !== undefined);
    const keepEndpoint = (name: string) => focus.length === 0 || focus.some(f => name === f || name.startsWith(`${f}/`));
    return new ConnectivityDiff(
      this.endpoints, kept, this.addedEndpoints.filter(keepEndpoint), this.removedEndpoints.filter(keepEndpoint), this.known);
  }

  /**
   * Human text: the summary, then one line per row, the rows that open something first
   * (`+ a => b : TCP 80`, `- a => b : TCP 80`, `~ a => b : TCP 80 -> TCP 80,443 (widened)`),
   * each followed by the rules that allow it (`allowed by:`, `was allowed by:`), then the
   * endpoints. Changes alike but for their external address ranges are one row, the ranges
   * merged into the fewest CIDRs (`0.0.0.0/0 except 10.0.0.0/8`).
   */
  public toText(): string {
    const lines = [this.summary()];
    for (const r of this.rows()) {
      lines.push(`${r.symbol} ${r.from} => ${r.to} : ${portsText(r)}`);
      for (const [label, rules] of attribution(r)) lines.push(`    ${label}: ${rules.join('; ')}`);
    }
    for (const e of this.addedEndpoints) lines.push(`endpoint appeared: ${e}`);
    for (const e of this.removedEndpoints) lines.push(`endpoint disappeared: ${e}`);
    return lines.join('\n') + '\n';
  }

  /**
   * The JSON form (documented by `schemas/diff.schema.json`): the summary's counts, then every
   * changed flow exactly (address ranges as `netpol list` names them) with what it allowed
   * before and after, what opened and closed, and the rules that allow it in each version:
   * `{"summary":{...},"changes":[{"change":"added","from","to","before":null,"after":{"TCP":[[80,80]]},
   * "opened":{"TCP":[[80,80]]},"closed":null,"allowedBy":{"before":null,"after":{"egress":[],"ingress":[...]}}}],
   * "endpoints":{"added":[],"removed":[]}}`.
   */
  public toJson(): any {
    const ports = (set: PortSet | undefined) => (set && !set.isEmpty ? set.toJson() : null);
    const rules = (r: FlowRules | undefined) => (r ? { egress: [...r.egress], ingress: [...r.ingress] } : null);
    return {
      summary: {
        text: this.summary(),
        opened: this.openedCount,
        added: this.addedCount,
        widened: this.widenedCount,
        closed: this.closedCount,
        removed: this.removedCount,
        narrowed: this.narrowedCount,
      },
      changes: this.changes.map(c => ({
        change: c.change,
        from: c.from,
        to: c.to,
        before: ports(c.before),
        after: ports(c.after),
        opened: ports(c.opened),
        closed: ports(c.closed),
        allowedBy: { before: rules(c.allowedBefore), after: rules(c.allowedAfter) },
      })),
      endpoints: { added: [...this.addedEndpoints], removed: [...this.removedEndpoints] },
    };
  }

  /**
   * Markdown for a pull-request comment, at most `DIFF_MARKDOWN_MAX_CHARS` (60,000) characters:
   * a heading, the summary in bold, a table `| change | from | to | before | after | allowed by |`
   * of the first rows (those that open something first; changes alike but for adjacent
   * address ranges are one row), the other rows folded in `<details>` with their counts, then
   * the endpoints that appeared or disappeared. Rows that would pass the limit are left out
   * and counted in a last line.
   */
  public toMarkdown(): string {
    const rows = this.rows();
    const endpointLines = [
      ...endpointLine('Endpoints that appeared', this.addedEndpoints),
      ...endpointLine('Endpoints that disappeared', this.removedEndpoints),
    ];
    const md = new MarkdownComment(DIFF_MARKDOWN_MAX_CHARS, 400 + endpointLines.reduce((n, l) => n + l.length + 1, 0));
    md.add('### Connectivity change');
    md.add('');
    md.add(`**${markdownCell(this.summary())}**`);
    const written = md.table(
      ['| change | from | to | before | after | allowed by |', '| --- | --- | --- | --- | --- | --- |'],
      rows.map(markdownRow),
      DIFF_MARKDOWN_SHOWN_ROWS,
      count => {
        const folded = rows.slice(DIFF_MARKDOWN_SHOWN_ROWS);
        return `${count} more row${count === 1 ? '' : 's'} (${folded.filter(r => r.opens).length} opening, ${folded.filter(r => r.closes).length} closing)`;
      });
    if (written < rows.length) {
      md.end('', `_${rows.length - written} more row${rows.length - written === 1 ? '' : 's'} not shown: this comment is kept under ${DIFF_MARKDOWN_MAX_CHARS} characters; `
        + 'run `netpol diff` (or `--format json`) for every change._');
    }
    for (const line of endpointLines) md.end('', line);
    return md.toString();
  }

  /**
   * The rows of the text and Markdown forms: the changes that open something first, then the
   * others, each in change order; changes of one kind with the same other end, the same ports
   * before and after and the same rules, whose external ends are address ranges, are one row
   * whose external end is the union of those ranges in the fewest CIDRs.
   */
  private rows(): DiffRow[] {
    const groups = new Map<string, { row: DiffRow; ranges: AddressRange[]; external: 'from' | 'to' }>();
    const rows: (DiffRow | string)[] = [];
    for (const c of this.changes) {
      const row = toRow(c);
      const external = isExternalName(c.from) ? 'from' : isExternalName(c.to) ? 'to' : undefined;
      const range = external ? parseAddressRangeName(c[external]) : undefined;
      if (!external || !range) {
        rows.push(row);
        continue;
      }
      const key = JSON.stringify([row.label, external, external === 'from' ? c.to : c.from, String(c.before), String(c.after),
        c.allowedBefore ?? null, c.allowedAfter ?? null]);
      const group = groups.get(key);
      if (group) {
        group.ranges.push(range);
      } else {
        groups.set(key, { row, ranges: [range], external });
        rows.push(key);
      }
    }
    const merged = rows.map(r => {
      if (typeof r !== 'string') return r;
      const g = groups.get(r)!;
      return g.ranges.length === 1 ? g.row : { ...g.row, [g.external]: describeAddressRanges(g.ranges) };
    });
    return [...merged.filter(r => r.opens), ...merged.filter(r => !r.opens)];
  }
}

/** The attribution fields of a change. */
function attributionOf(before: FlowRules | undefined, after: FlowRules | undefined): { allowedBefore?: FlowRules; allowedAfter?: FlowRules } {
  return { ...(before ? { allowedBefore: before } : {}), ...(after ? { allowedAfter: after } : {}) };
}

function toRow(c: ConnectionChange): DiffRow {
  const opens = !c.opened.isEmpty;
  const closes = !c.closed.isEmpty;
  let label: string = c.change;
  const symbol = c.change === ChangeKind.ADDED ? '+' : c.change === ChangeKind.REMOVED ? '-' : '~';
  if (c.change === ChangeKind.CHANGED) label = opens && closes ? 'widened and narrowed' : opens ? 'widened' : 'narrowed';
  const { from, to, before, after, allowedBefore, allowedAfter } = c;
  return { label, symbol, from, to, before, after, allowedBefore, allowedAfter, opens, closes };
}

/** `TCP 80`, or `TCP 80 -> TCP 80,443 (widened)`. */
function portsText(r: DiffRow): string {
  if (r.label === ChangeKind.ADDED) return String(r.after);
  if (r.label === ChangeKind.REMOVED) return String(r.before);
  return `${r.before} -> ${r.after} (${r.label})`;
}

/** The rule lists of a row, labelled: `allowed by`, `was allowed by`, or both for a changed flow. */
function attribution(r: DiffRow): [string, string[]][] {
  const list = (f: FlowRules) => [...f.egress, ...f.ingress];
  const out: [string, string[]][] = [];
  if (r.allowedBefore) out.push([r.label === ChangeKind.REMOVED ? 'was allowed by' : 'allowed before by', list(r.allowedBefore)]);
  if (r.allowedAfter) out.push([r.label === ChangeKind.ADDED ? 'allowed by' : 'allowed after by', list(r.allowedAfter)]);
  return out;
}

function markdownRow(r: DiffRow): string {
  const why = attribution(r).map(([label, list]) => `${label}: ${list.map(markdownCell).join(', ')}`).join('<br>');
  return `| ${r.label} | ${markdownCell(r.from)} | ${markdownCell(r.to)} | ${r.before ? markdownCell(r.before.toString()) : ''} | `
    + `${r.after ? markdownCell(r.after.toString()) : ''} | ${why} |`;
}

/** `Endpoints that appeared: \`a\`, \`b\``, at most 50 names and a count of the rest. */
function endpointLine(label: string, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const shown = names.slice(0, 50).map(markdownCode).join(', ');
  return [`${label}: ${shown}${names.length > 50 ? `, and ${names.length - 50} more` : ''}`];
}
