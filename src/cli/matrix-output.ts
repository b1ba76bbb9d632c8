/**
 * Streams a truth table to standard output row by row, in the formats of `TruthTable.toGrid()`,
 * `toJson()` and `toMermaid()` (the same text, never held whole in memory), and refuses tables
 * above a documented size.
 */
import { CliIo } from './cli-context';
import { mermaidFlowchart } from '../analysis/mermaid-flowchart';

/**
 * The most cells (ordered endpoint pairs) `netpol matrix` prints: 25,000,000, a table of
 * 5,000 endpoints. The JSON of such a table is close to 1 GB.
 */
export const MAX_MATRIX_CELLS = 25_000_000;

/** What a table to print is made of. */
export interface MatrixSource {
  /** The port, as printed (a number, or a container port name). */
  readonly port: number | string;
  readonly protocol: string;
  /** The endpoints' names, rows and columns alike. */
  readonly names: readonly string[];
  /** The verdict for one ordered pair: allowed, denied, or null when the destination has no such named port. */
  cell(from: number, to: number): boolean | null;
}

/** Writes rows in batches; stops early when the reader of standard output went away. */
export class RowWriter {
  private batch: string[] = [];
  private size = 0;
  constructor(private readonly io: CliIo) {}
  public get closed(): boolean {
    return this.io.stdoutClosed?.() ?? false;
  }
  public line(text: string): void {
    this.batch.push(text);
    this.size += text.length;
    if (this.size >= 256 * 1024) this.flush();
  }
  public flush(): void {
    if (this.batch.length > 0) this.io.stdout(this.batch.join('\n') + '\n');
    this.batch = [];
    this.size = 0;
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The grid, as `TruthTable.toGrid()` prints it (`-` where the destination has no such named port). */
export function writeGrid(source: MatrixSource, io: CliIo): void {
  const names = source.names;
  let width = 1;
  for (const n of names) width = Math.max(width, n.length);
  const out = new RowWriter(io);
  out.line([pad('-', width), ...names].join(' ').trimEnd());
  for (let i = 0; i < names.length && !out.closed; i++) {
    const cells: string[] = [pad(names[i], width)];
    for (let j = 0; j < names.length; j++) {
      const v = source.cell(i, j);
      cells.push(pad(v === null ? '-' : v ? '.' : 'X', names[j].length));
    }
    out.line(cells.join(' ').trimEnd());
  }
  out.flush();
}

/** The JSON, exactly as `JSON.stringify(table.toJson(), undefined, 2)` prints it (null for a missing named port). */
export function writeJson(source: MatrixSource, io: CliIo): void {
  const names = source.names;
  const quoted = names.map((n) => JSON.stringify(n));
  const out = new RowWriter(io);
  out.line('{');
  out.line(`  "port": ${JSON.stringify(source.port)},`);
  out.line(`  "protocol": ${JSON.stringify(source.protocol)},`);
  if (names.length === 0) {
    out.line('  "pods": [],');
    out.line('  "allowed": {}');
  } else {
    out.line('  "pods": [');
    quoted.forEach((q, i) => out.line(`    ${q}${i < names.length - 1 ? ',' : ''}`));
    out.line('  ],');
    out.line('  "allowed": {');
    // one string per row: the keys are quoted once, the cells are three constants
    const keys = quoted.map((q) => `      ${q}: `);
    const last = names.length - 1;
    for (let i = 0; i < names.length && !out.closed; i++) {
      let row = `    ${quoted[i]}: {\n`;
      for (let j = 0; j <= last; j++) {
        const v = source.cell(i, j);
        row += keys[j] + (v === null ? 'null' : v ? 'true' : 'false') + (j < last ? ',\n' : '\n');
      }
      out.line(`${row}    }${i < last ? ',' : ''}`);
    }
    out.line('  }');
  }
  out.line('}');
  out.flush();
}

/** The Mermaid flowchart, as `TruthTable.toMermaid()` prints it. */
export function writeMermaid(source: MatrixSource, io: CliIo): void {
  const out = new RowWriter(io);
  for (const line of mermaidFlowchart(source.names, (i, j) => source.cell(i, j) === true)) {
    if (out.closed) break;
    out.line(line);
  }
  out.flush();
}
