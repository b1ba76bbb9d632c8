/**
 * A Markdown document kept under a size limit, for a pull-request comment: lines are added
 * until the next would pass the limit (minus what is reserved for the end), then refused, so
 * the writer can count what it left out. Tables whose first rows are shown and the rest folded in
 * `<details>` are written by `table()`.
 */
export class MarkdownComment {
  private readonly out: string[] = [];
  private size = 0;

  /**
   * @param maxChars the most characters written
   * @param reserve characters kept for the closing lines (`end()`)
   */
  constructor(private readonly maxChars: number, private readonly reserve: number = 400) {}

  /** Adds a line if it fits; returns whether it did. */
  public add(line: string): boolean {
    if (this.size + line.length + 1 > this.maxChars - this.reserve) return false;
    this.out.push(line);
    this.size += line.length + 1;
    return true;
  }

  /**
   * A table: a blank line, the header, the first `shown` rows, the others folded in
   * `<details>` under `foldedSummary(count)`. Returns how many rows were written.
   */
  public table(header: readonly string[], rows: readonly string[], shown: number, foldedSummary: (count: number) => string): number {
    if (rows.length === 0) return 0;
    let written = 0;
    this.add('');
    header.forEach(h => this.add(h));
    for (const r of rows.slice(0, shown)) {
      if (!this.add(r)) return written;
      written++;
    }
    const folded = rows.slice(shown);
    if (folded.length === 0) return written;
    if (!this.add('') || !this.add(`<details><summary>${foldedSummary(folded.length)}</summary>`) || !this.add('')) return written;
    header.forEach(h => this.add(h));
    for (const r of folded) {
      if (!this.add(r)) break;
      written++;
    }
    this.end('', '</details>');
    return written;
  }

  /** Adds lines whatever the limit (from the reserve: the closing lines). */
  public end(...lines: string[]): void {
    for (const l of lines) {
      this.out.push(l);
      this.size += l.length + 1;
    }
  }

  /** The document. */
  public toString(): string {
    return this.out.join('\n') + '\n';
  }
}
