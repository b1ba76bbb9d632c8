/**
 * "Did you mean ...?": the one nearest-word helper, for unknown fields of manifests, unknown props
 * of constructs, and names that nearly match (lint).
 */

/** Levenshtein distance (insertions, deletions, substitutions), with one row of memory. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/**
 * The candidate nearest to `word` (case-insensitively; the first of equals), if it is at most
 * `maxDistance` edits away.
 */
export function nearest(word: string, candidates: Iterable<string>, maxDistance: number): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}

/**
 * Levenshtein distance if it is at most `max`, else `max + 1`: only the band of width `2 max + 1`
 * around the diagonal is computed, and the computation stops as soon as every cell of a row
 * exceeds `max`. `cells` counts the cells computed.
 */
function boundedDistance(a: string, b: string, max: number, cells: { n: number }): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const inf = max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j <= max ? j : inf;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    cur.fill(inf);
    cur[0] = i <= max ? i : inf;
    let rowMin = cur[0];
    for (let j = from; j <= to; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur[j] = v > inf ? inf : v;
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    cells.n += to - from + 1;
    if (rowMin > max) return inf;
    [prev, cur] = [cur, prev];
  }
  return Math.min(prev[b.length], inf);
}

/** The length of the grams `NearestIndex` indexes by: trigrams, of which there are many, so that few words share each. */
const Q = 3;

/** The q-grams of a word with their counts. */
function grams(word: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + Q <= word.length; i++) {
    const g = word.slice(i, i + Q);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/**
 * "Did you mean" over a fixed list of candidates, for many questions: `nearest` for each word, but
 * without comparing it with every candidate. Candidates are indexed by their trigrams; two words
 * within `d` edits share at least `length - 2 - 3d` trigrams (each edit breaks at most three),
 * so only the candidates that share that many are compared, with a distance computed only near
 * the diagonal (short words, for which that bound says nothing, are compared with the candidates
 * of a near length). Answers are remembered per word. The work of one index is capped (`budget`,
 * in trigram hits and distance cells): beyond it, `nearest` answers `undefined` (no suggestion),
 * so a hostile input of many near-identical names costs bounded time.
 */
export class NearestIndex {
  private readonly lowered: readonly string[];
  /** Trigram -> the ids of the candidates that have it, and how many times each has it. */
  private readonly postings = new Map<string, { readonly ids: number[]; readonly counts: number[] }>();
  /** Trigrams shared with the word being searched, by candidate id (zero between searches). */
  private sharedCounts?: Int32Array;
  /** Candidate ids by length, ascending. */
  private readonly byLength = new Map<number, number[]>();
  private readonly answers = new Map<string, string | undefined>();
  private readonly work = { n: 0 };

  /**
   * @param candidates the words suggested
   * @param budget the most work done, in trigram hits and distance cells
   */
  constructor(private readonly candidates: readonly string[], private readonly budget: number = 5_000_000) {
    this.lowered = candidates.map(c => c.toLowerCase());
    this.lowered.forEach((c, id) => {
      const same = this.byLength.get(c.length);
      if (same) same.push(id);
      else this.byLength.set(c.length, [id]);
      for (const [g, count] of grams(c)) {
        let list = this.postings.get(g);
        if (!list) this.postings.set(g, list = { ids: [], counts: [] });
        list.ids.push(id);
        list.counts.push(count);
      }
    });
  }

  /** Whether the budget ran out (some answers may then be missing). */
  public get exhausted(): boolean {
    return this.work.n > this.budget;
  }

  /**
   * The candidate nearest to `word` (case-insensitively; the first of equals), if it is at most
   * `maxDistance` edits away: the same answer as `nearest(word, candidates, maxDistance)`, within
   * the budget.
   */
  public nearest(word: string, maxDistance: number): string | undefined {
    const key = `${maxDistance} ${word}`;
    if (this.answers.has(key)) return this.answers.get(key);
    const answer = this.exhausted ? undefined : this.search(word.toLowerCase(), maxDistance);
    if (!this.exhausted) this.answers.set(key, answer);
    return answer;
  }

  private search(word: string, max: number): string | undefined {
    // a candidate within reach shares at least `floor` trigrams with the word (each edit breaks at
    // most three). Trigrams most candidates have (a common prefix or suffix) are not looked up: the
    // floor drops by their count instead. When it stays positive, only the candidates that share
    // that many of the other trigrams are compared; else those of a near length.
    const wordGrams = grams(word);
    const common = Math.max(32, Math.ceil(this.lowered.length / 16));
    let floor = word.length - (Q - 1) - Q * max;
    const looked: Array<[{ readonly ids: number[]; readonly counts: number[] }, number]> = [];
    for (const [g, count] of wordGrams) {
      const list = this.postings.get(g);
      if (!list) continue;
      if (list.ids.length > common) floor -= count;
      else looked.push([list, count]);
    }
    let ids: number[];
    if (floor > 0) {
      const shared = this.sharedCounts ??= new Int32Array(this.lowered.length);
      const touched: number[] = [];
      for (const [list, count] of looked) {
        this.work.n += list.ids.length;
        const { ids: having, counts } = list;
        for (let k = 0; k < having.length; k++) {
          const id = having[k];
          if (shared[id] === 0) touched.push(id);
          shared[id] += counts[k] < count ? counts[k] : count;
        }
      }
      this.work.n += touched.length;
      ids = touched.filter(id => shared[id] >= floor).sort((a, b) => a - b);
      for (const id of touched) shared[id] = 0;
      if (this.exhausted) return undefined;
    } else {
      ids = [];
      for (let length = Math.max(0, word.length - max); length <= word.length + max; length++) ids.push(...this.byLength.get(length) ?? []);
      ids.sort((a, b) => a - b);
    }
    this.work.n += ids.length;
    let best: number | undefined;
    let bestDistance = max + 1;
    for (const id of ids) {
      const c = this.lowered[id];
      if (Math.abs(c.length - word.length) > max) continue;
      const d = boundedDistance(word, c, Math.min(max, bestDistance - 1 < 0 ? 0 : bestDistance - 1), this.work);
      if (this.exhausted) return undefined;
      if (d < bestDistance) {
        best = id;
        bestDistance = d;
        if (d === 0) break;
      }
    }
    return best === undefined ? undefined : this.candidates[best];
  }
}
