/**
 * A process-wide cache of values that depend on their key alone (parsed CIDRs, kebab-cased
 * ids, ...). It stops growing at `limit` entries, so that a long-lived process with ever new
 * keys does not grow without bound; later keys are computed each time.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  public constructor(private readonly limit: number = 10_000) {}

  /** The value for `key`, computed (and kept, while there is room) on first use. */
  public get(key: K, compute: (key: K) => V): V {
    // one lookup for a hit (a key may be a long text, compared in full by each lookup)
    const found = this.entries.get(key);
    if (found !== undefined || this.entries.has(key)) return found as V;
    const value = compute(key);
    if (this.entries.size < this.limit) this.entries.set(key, value);
    return value;
  }
}
