import { FlowFormat } from './flow-format';
import { fileLines, splitLines } from './line-reader';
import { ObservedFlow, ObservedFlowProblem, SkippedRecords } from './observed-flow';
import { LineOutcome, observedRecords } from './observed-records';
import { deepFreeze, endpointKey } from './private/flow-keys';
import { MAX_FLOW_LINE_BYTES, MAX_KEPT_FLOW_PROBLEMS } from '../io/input-limits';
import { InputReadError } from '../io/read-input';
import { enumValue, fail, integer, props, strings } from '../private/runtime-check';

/** Options of `ObservedFlows.fromFiles()` and `ObservedFlows.fromText()`. */
export interface ObservedFlowsOptions {
  /**
   * The format of every file.
   *
   * @default - detected per file from its first record (a CSV header is the generic form)
   */
  readonly format?: FlowFormat;
  /**
   * The longest line read, in bytes; a longer line is a problem (reported with its line), not read.
   *
   * @default 1048576 (1 MiB)
   */
  readonly maxLineBytes?: number;
}

const WHERE = 'ObservedFlows';

/**
 * Observed network flows, read from the files of a flow recorder and aggregated: identical
 * flows (same two ends as observed, protocol, port and observed verdict) are one `ObservedFlow`
 * with the sum of their counts, in the order they were first seen.
 *
 * Formats (see `FlowFormat`): Cilium Hubble's `hubble observe -o json`, Calico's flow logs,
 * Inspektor Gadget's network traces, and a generic JSON-lines or CSV form. Files are streamed
 * line by line (regular files only; a line longer than `maxLineBytes` is not read), so a file of
 * millions of flows takes memory in proportion to its distinct flows, not its lines. Nothing read
 * is dropped silently: a line that cannot be read is a `problem` (file, line, why); a record that
 * is not a flow a NetworkPolicy decides (a reply, ICMP, a non-flow event) is counted in `skipped`.
 *
 * @example
 * void ObservedFlows.fromFiles(['flows.json']).then(observed => console.log(observed.flows.length));
 */
export class ObservedFlows {
  /**
   * Reads flow files.
   *
   * @param files the files (regular files; each read as `options.format`, or its detected format)
   * @throws if a file cannot be opened or is not a regular file (the message names it)
   */
  public static async fromFiles(files: string[], options: ObservedFlowsOptions = {}): Promise<ObservedFlows> {
    const list = strings(WHERE, 'files', files, 'file names');
    const read = readOptions(options);
    const builder = new FlowAggregator();
    for (const file of list) {
      try {
        await builder.addAll(file, observedRecords(fileLines(file, read.maxLineBytes), read.format));
      } catch (err) {
        if (err instanceof InputReadError) throw new InputReadError(`${file}: ${err.message}`);
        throw err;
      }
    }
    return builder.build();
  }

  /**
   * Reads the text of one flow file (e.g. standard input).
   *
   * @param text the content
   * @param name what problems call it (`-`, standard input, when not given)
   */
  public static async fromText(text: string, name: string = '-', options: ObservedFlowsOptions = {}): Promise<ObservedFlows> {
    if (typeof text !== 'string') fail(WHERE, 'text', text, 'must be the text of a flow file');
    if (typeof name !== 'string') fail(WHERE, 'name', name, 'must be a string');
    const read = readOptions(options);
    const builder = new FlowAggregator();
    await builder.addAll(name, observedRecords(splitLines([Buffer.from(text, 'utf8')], read.maxLineBytes), read.format));
    return builder.build();
  }

  /** @internal */
  public static _of(value: Omit<ObservedFlows, never>): ObservedFlows {
    return Object.freeze(Object.assign(Object.create(ObservedFlows.prototype), value));
  }

  /** The flows, aggregated, in the order first seen. */
  public readonly flows!: ObservedFlow[];
  /** The lines that could not be read, with why (at most 1,000; see `problemCount`). */
  public readonly problems!: ObservedFlowProblem[];
  /** How many lines could not be read. */
  public readonly problemCount!: number;
  /** Records read that are not flows a NetworkPolicy decides, by reason. */
  public readonly skipped!: SkippedRecords[];
  /** The non-empty lines read. */
  public readonly lines!: number;
  /** The observations of all flows (the sum of their counts). */
  public readonly observations!: number;

  private constructor() {}
}

function readOptions(options: ObservedFlowsOptions): { format?: FlowFormat; maxLineBytes: number } {
  const o = props<ObservedFlowsOptions>(WHERE, 'options', options, ['format', 'maxLineBytes'], { optional: true });
  const format = o.format === undefined ? undefined : enumValue(WHERE, 'options.format', o.format, Object.values(FlowFormat), 'FlowFormat');
  const maxLineBytes = o.maxLineBytes === undefined ? MAX_FLOW_LINE_BYTES : integer(WHERE, 'options.maxLineBytes', o.maxLineBytes, 'a whole number of bytes');
  if (maxLineBytes < 1) fail(WHERE, 'options.maxLineBytes', maxLineBytes, 'must be 1 or more');
  return { format, maxLineBytes };
}

/** Aggregates the records of one or more files. */
class FlowAggregator {
  private readonly flows = new Map<string, { flow: ObservedFlow; count: number }>();
  private readonly problems: ObservedFlowProblem[] = [];
  private problemCount = 0;
  private readonly skipped = new Map<string, { count: number; firstSeen: string }>();
  private lines = 0;
  private readonly keys = new WeakMap<object, string>();

  public async addAll(file: string, records: AsyncIterable<LineOutcome>): Promise<void> {
    for await (const r of records) this.add(file, r);
  }

  public add(file: string, r: LineOutcome): void {
    this.lines++;
    if ('problem' in r) {
      this.problemCount++;
      if (this.problems.length < MAX_KEPT_FLOW_PROBLEMS) this.problems.push({ file, line: r.line, message: r.problem });
      return;
    }
    if ('skip' in r) {
      const s = this.skipped.get(r.skip);
      if (s) s.count++;
      else this.skipped.set(r.skip, { count: 1, firstSeen: `${file}:${r.line}` });
      return;
    }
    const f = r.flow;
    // a reader returns the same object for a flow it read before: its key is known
    let key = this.keys.get(f);
    if (key === undefined) {
      key = `${endpointKey(f.source)}\u0000${endpointKey(f.destination)}\u0000${f.protocol}\u0000${f.port}\u0000${f.verdict ?? ''}`;
      this.keys.set(f, key);
    }
    const known = this.flows.get(key);
    if (known) {
      known.count += f.count;
      return;
    }
    this.flows.set(key, {
      count: f.count,
      flow: {
        source: clean(f.source),
        destination: clean(f.destination),
        protocol: f.protocol,
        port: f.port,
        count: 0,
        ...(f.verdict ? { verdict: f.verdict } : {}),
        firstSeen: `${file}:${r.line}`,
      },
    });
  }

  public build(): ObservedFlows {
    const flows = [...this.flows.values()].map(({ flow, count }) => ({ ...flow, count }));
    return ObservedFlows._of(deepFreeze({
      flows,
      problems: this.problems,
      problemCount: this.problemCount,
      skipped: [...this.skipped].map(([reason, s]) => ({ reason, count: s.count, firstSeen: s.firstSeen })),
      lines: this.lines,
      observations: flows.reduce((n, f) => n + f.count, 0),
    }));
  }
}

/** The endpoint without absent fields, its labels a plain sorted object. */
function clean<T extends { labels: Record<string, string> }>(e: T): T {
  const out: any = {};
  for (const [k, v] of Object.entries(e)) if (v !== undefined && k !== 'labels') out[k] = v;
  const labels: Record<string, string> = {};
  for (const k of Object.keys(e.labels).sort()) labels[k] = e.labels[k];
  out.labels = labels;
  return out;
}
