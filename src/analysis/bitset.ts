/* eslint-disable no-bitwise */
// A fixed-size set of small integers (pod shape indices), packed 32 to a word.
// Bit operations are the point of this file, hence the lint exception above.

/**
 * A mutable set of integers in `[0, size)`, stored as a bit array. Not part of the public API.
 */
export class Bitset {
  /** A set holding every index in `[0, size)`. */
  public static full(size: number): Bitset {
    const set = new Bitset(size);
    set.addRange(0, size);
    return set;
  }

  /** A set holding the given indices. */
  public static of(size: number, indices: Iterable<number>): Bitset {
    const set = new Bitset(size);
    for (const i of indices) set.add(i);
    return set;
  }

  public readonly words: Uint32Array;

  constructor(public readonly size: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array((size + 31) >>> 5);
  }

  public add(i: number): void {
    this.words[i >>> 5] |= 1 << (i & 31);
  }

  public has(i: number): boolean {
    return (this.words[i >>> 5] & (1 << (i & 31))) !== 0;
  }

  /** Adds every index in `[start, end)`. */
  public addRange(start: number, end: number): void {
    if (end <= start) return;
    const first = start >>> 5;
    const last = (end - 1) >>> 5;
    const startMask = (0xffffffff << (start & 31)) >>> 0;
    const endMask = (0xffffffff >>> (31 - ((end - 1) & 31))) >>> 0;
    if (first === last) {
      this.words[first] |= startMask & endMask;
      return;
    }
    this.words[first] |= startMask;
    this.words.fill(0xffffffff, first + 1, last);
    this.words[last] |= endMask;
  }

  /** Adds every member of `other` (in place). */
  public or(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let w = 0; w < a.length; w++) a[w] |= b[w];
    return this;
  }

  /** Keeps only the members of `other` (in place). */
  public and(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let w = 0; w < a.length; w++) a[w] &= b[w];
    return this;
  }

  /** Removes every member of `other` (in place). */
  public andNot(other: Bitset): this {
    const a = this.words;
    const b = other.words;
    for (let w = 0; w < a.length; w++) a[w] &= ~b[w];
    return this;
  }

  /** Keeps only the members in `[start, end)` (in place). */
  public keepRange(start: number, end: number): this {
    const mask = new Bitset(this.size);
    mask.addRange(start, end);
    return this.and(mask);
  }

  public clone(): Bitset {
    return new Bitset(this.size, this.words.slice());
  }

  public isEmpty(): boolean {
    for (let w = 0; w < this.words.length; w++) if (this.words[w] !== 0) return false;
    return true;
  }

  public count(): number {
    let n = 0;
    for (let w = 0; w < this.words.length; w++) {
      let v = this.words[w];
      v = v - ((v >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** The members, in increasing order. */
  public toArray(): number[] {
    const out: number[] = [];
    for (let w = 0; w < this.words.length; w++) {
      let v = this.words[w];
      while (v !== 0) {
        const low = v & -v;
        out.push((w << 5) + 31 - Math.clz32(low));
        v ^= low;
      }
    }
    return out;
  }
}
