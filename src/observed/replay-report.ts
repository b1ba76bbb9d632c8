import { ObservedFlowProblem, SkippedRecords } from './observed-flow';
import { DIFF_MARKDOWN_MAX_CHARS, DIFF_MARKDOWN_SHOWN_ROWS } from '../constants';
import { MarkdownComment } from '../io/markdown-comment';
import { markdownCell } from '../io/output-escape';
import { Protocol } from '../port';

/** Observed flows the policies deny, grouped by their two ends, protocol and port. */
export interface ReplayGroup {
  /** The source, as the engine names it (`namespace/name`, or an IP address). */
  readonly from: string;
  /** The destination, named as `from`. */
  readonly to: string;
  /** The protocol. */
  readonly protocol: Protocol;
  /** The destination port. */
  readonly port: number;
  /** How many times these flows were observed. */
  readonly observations: number;
  /** How many distinct observed flows (different pods or labels as observed) the group holds. */
  readonly flows: number;
  /** The observations the recorder itself reported as denied (dropped). */
  readonly observedDenied: number;
  /** Where the first one was read: `file:line`. */
  readonly firstSeen: string;
  /** Why: the denying directions' reasons and the rules that did not match, as `netpol explain` gives them. */
  readonly deniedBy: string[];
}

/** An observed flow that matches nothing in the input: kept, not evaluated. */
export interface UnmatchedFlow {
  /** The source as observed. */
  readonly source: string;
  /** The destination as observed. */
  readonly destination: string;
  /** The protocol. */
  readonly protocol: Protocol;
  /** The destination port. */
  readonly port: number;
  /** How many times it was observed. */
  readonly count: number;
  /** Why it matches nothing. */
  readonly reason: string;
  /** Where it was first read: `file:line`. */
  readonly firstSeen: string;
}

/** A path the policies allow between two of the input's endpoints with ports no observed flow used. */
export interface NeverSeenPath {
  /** The source. */
  readonly from: string;
  /** The destination. */
  readonly to: string;
  /** Everything allowed (`TCP 80, 443`). */
  readonly allowed: string;
  /** What of it no observed flow used. */
  readonly unused: string;
  /** Whether some observed flow used the path (on other ports). */
  readonly used: boolean;
}

/**
 * What `FlowReplay.replay()` found, as text, JSON or a pull-request comment.
 */
export class ReplayReport {
  /** @internal */
  public static _of(value: Omit<ReplayReport, 'toText' | 'toJson' | 'toMarkdown' | 'summary'>): ReplayReport {
    return Object.freeze(Object.assign(Object.create(ReplayReport.prototype), value));
  }

  /** Whether a changed version (`against`) was judged. */
  public readonly againstGiven!: boolean;
  /** The distinct observed flows. */
  public readonly flows!: number;
  /** The observations (the sum of the flows' counts). */
  public readonly observations!: number;
  /** The distinct flows whose both ends matched the input. */
  public readonly matchedFlows!: number;
  /** The flows the current policies deny. */
  public readonly brokenNow!: ReplayGroup[];
  /** The flows the current policies allow and `against` denies. */
  public readonly changeBreaks!: ReplayGroup[];
  /** The flows that match nothing in the input. */
  public readonly unmatched!: UnmatchedFlow[];
  /** Allowed paths between the input's endpoints no observed flow used (in `against` when given). */
  public readonly neverSeen!: NeverSeenPath[];
  /** Lines of the flow files that could not be read (at most 1,000). */
  public readonly problems!: ObservedFlowProblem[];
  /** How many lines could not be read. */
  public readonly problemCount!: number;
  /** Records that are not flows a NetworkPolicy decides, by reason. */
  public readonly skipped!: SkippedRecords[];

  private constructor() {}

  /** One line: `3 observed flows broken now (12 observations); 1 the change breaks; ...`. */
  public summary(): string {
    const parts = [
      `${count(this.flows, 'observed flow')} (${count(this.observations, 'observation')})`,
      `${count(this.brokenNow.length, 'group')} denied now (${count(sum(this.brokenNow), 'observation')})`,
    ];
    if (this.againstGiven) parts.push(`${count(this.changeBreaks.length, 'group')} the change breaks (${count(sum(this.changeBreaks), 'observation')})`);
    parts.push(`${count(this.unmatched.length, 'unmatched flow')}`, `${count(this.neverSeen.length, 'allowed path')} never seen`);
    if (this.problemCount > 0) parts.push(`${count(this.problemCount, 'unreadable line')}`);
    const skipped = this.skipped.reduce((n, s) => n + s.count, 0);
    if (skipped > 0) parts.push(`${count(skipped, 'record')} skipped`);
    return parts.join('; ');
  }

  /** Readable text: the summary, then each section. */
  public toText(): string {
    const out = [`replay: ${this.summary()}`];
    const groups = (title: string, list: readonly ReplayGroup[]) => {
      if (list.length === 0) return;
      out.push('', title);
      for (const g of list) {
        out.push(`  ${g.from} -> ${g.to} ${g.protocol}/${g.port}: ${observed(g)}, first at ${g.firstSeen}`);
        for (const why of g.deniedBy) out.push(`    ${why}`);
      }
    };
    if (this.againstGiven) groups('The change breaks (allowed now, denied with the change):', this.changeBreaks);
    groups('Broken now (denied by the current policies):', this.brokenNow);
    if (this.unmatched.length > 0) {
      out.push('', 'Unmatched (nothing in the input; not evaluated):');
      for (const u of this.unmatched) out.push(`  ${u.source} -> ${u.destination} ${u.protocol}/${u.port}: ${count(u.count, 'observation')}, first at ${u.firstSeen}: ${u.reason}`);
    }
    if (this.neverSeen.length > 0) {
      out.push('', `Allowed but never seen (candidates to close${this.againstGiven ? ', with the change' : ''}):`);
      for (const p of this.neverSeen) out.push(`  ${p.from} => ${p.to} : ${p.unused}${p.used ? ` (of ${p.allowed})` : ''}`);
    }
    if (this.skipped.length > 0) {
      out.push('', 'Skipped records (not flows a NetworkPolicy decides):');
      for (const s of this.skipped) out.push(`  ${count(s.count, 'record')}: ${s.reason}, first at ${s.firstSeen}`);
    }
    return out.join('\n') + '\n';
  }

  /** The JSON form: every field of the report, and the summary. */
  public toJson(): any {
    return JSON.parse(JSON.stringify({
      summary: this.summary(),
      againstGiven: this.againstGiven,
      flows: this.flows,
      observations: this.observations,
      matchedFlows: this.matchedFlows,
      changeBreaks: this.changeBreaks,
      brokenNow: this.brokenNow,
      unmatched: this.unmatched,
      neverSeen: this.neverSeen,
      problemCount: this.problemCount,
      problems: this.problems,
      skipped: this.skipped,
    }));
  }

  /**
   * Markdown for a pull-request comment, as `ConnectivityDiff.toMarkdown()` writes one: a heading,
   * the summary in bold, the flows the change breaks, then those broken now, then the unmatched
   * ones and the paths never seen, each table's first 25 rows shown and the rest folded in
   * `<details>`, at most 60,000 characters (rows past the limit are counted in a last line).
   */
  public toMarkdown(): string {
    const md = new MarkdownComment(DIFF_MARKDOWN_MAX_CHARS);
    md.add('### Observed traffic replay');
    md.add('');
    md.add(`**${markdownCell(this.summary())}**`);
    let rows = 0;
    let written = 0;
    const section = (title: string, header: string[], list: string[]) => {
      if (list.length === 0) return;
      rows += list.length;
      md.add('');
      md.add(`#### ${title}`);
      written += md.table(header, list, DIFF_MARKDOWN_SHOWN_ROWS, n => `${n} more row${n === 1 ? '' : 's'}`);
    };
    const groupHeader = ['| from | to | port | observed | first seen | denied by |', '| --- | --- | --- | ---: | --- | --- |'];
    const groupRow = (g: ReplayGroup) => `| ${markdownCell(g.from)} | ${markdownCell(g.to)} | ${g.protocol}/${g.port} | ${g.observations} | `
      + `${markdownCell(g.firstSeen)} | ${g.deniedBy.filter(d => !d.startsWith(' ')).map(markdownCell).join('<br>')} |`;
    if (this.againstGiven) section('The change breaks', groupHeader, this.changeBreaks.map(groupRow));
    section('Broken now', groupHeader, this.brokenNow.map(groupRow));
    section('Unmatched flows (not evaluated)', ['| source | destination | port | observed | first seen | why |', '| --- | --- | --- | ---: | --- | --- |'],
      this.unmatched.map(u => `| ${markdownCell(u.source)} | ${markdownCell(u.destination)} | ${u.protocol}/${u.port} | ${u.count} | ${markdownCell(u.firstSeen)} | ${markdownCell(u.reason)} |`));
    section('Allowed but never seen (candidates to close)', ['| from | to | unused | allowed |', '| --- | --- | --- | --- |'],
      this.neverSeen.map(p => `| ${markdownCell(p.from)} | ${markdownCell(p.to)} | ${markdownCell(p.unused)} | ${markdownCell(p.allowed)} |`));
    if (written < rows) {
      md.end('', `_${rows - written} more row${rows - written === 1 ? '' : 's'} not shown: this comment is kept under ${DIFF_MARKDOWN_MAX_CHARS} characters; `
        + 'run `netpol replay` (or `--format json`) for every row._');
    }
    return md.toString();
  }
}

function sum(groups: readonly ReplayGroup[]): number {
  return groups.reduce((n, g) => n + g.observations, 0);
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function observed(g: ReplayGroup): string {
  const parts = [count(g.observations, 'observation')];
  if (g.flows > 1) parts.push(`${g.flows} distinct flows`);
  if (g.observedDenied > 0) parts.push(`${g.observedDenied} reported dropped`);
  return parts.join(', ');
}
