import { cidrBounds } from './address-ranges';
import { IpFamily, ParsedCidr, ParsedIp } from './cidr';

/**
 * Which of many CIDR-minus-exceptions sets (ipBlocks) contain each of many addresses, in one
 * sweep over the sorted addresses and set boundaries instead of a test per address and set.
 * The answer for each address is a canonical id of the set of blocks containing it: equal ids
 * for equal sets, so the ids can key a grouping (pod shapes, address ranges treated alike) and
 * the members of each distinct id are listed only once.
 */

/** The addresses of `cidr` that are in none of the `except` CIDRs (an ipBlock's meaning). */
export interface CidrWithExceptions {
  readonly cidr: ParsedCidr;
  readonly except: readonly ParsedCidr[];
}

/** The largest number of trie nodes (ids are combined into one safe integer key). */
const MAX_NODES = 2 ** 26;

/**
 * Sets of integers in `[0, 2^depth)` as hash-consed binary tries: every set has exactly one
 * node id, so equal sets have equal ids. Id 0 is the empty set.
 */
class SetInterner {
  private readonly left: number[] = [0, 0];
  private readonly right: number[] = [0, 0];
  private readonly nodes = new Map<number, number>();

  constructor(private readonly depth: number) {}

  /** The set `node` with `index` added (`present`) or removed. */
  public with(node: number, index: number, present: boolean): number {
    return this.set(node, index, present, this.depth);
  }

  /** The union of two sets. */
  public union(a: number, b: number, level = this.depth): number {
    if (a === 0 || a === b) return b;
    if (b === 0) return a;
    if (level === 0) return 1;
    return this.make(this.union(this.left[a], this.left[b], level - 1), this.union(this.right[a], this.right[b], level - 1));
  }

  /** The members of a set, in increasing order. */
  public members(node: number): number[] {
    const out: number[] = [];
    const visit = (n: number, level: number, base: number) => {
      if (n === 0) return;
      if (level === 0) {
        out.push(base);
        return;
      }
      visit(this.left[n], level - 1, base);
      visit(this.right[n], level - 1, base + 2 ** (level - 1));
    };
    visit(node, this.depth, 0);
    return out;
  }

  private set(node: number, index: number, present: boolean, level: number): number {
    if (level === 0) return present ? 1 : 0;
    const half = 2 ** (level - 1);
    const l = this.left[node];
    const r = this.right[node];
    return index < half
      ? this.make(this.set(l, index, present, level - 1), r)
      : this.make(l, this.set(r, index - half, present, level - 1));
  }

  private make(l: number, r: number): number {
    if (l === 0 && r === 0) return 0;
    const key = l * MAX_NODES + r;
    let id = this.nodes.get(key);
    if (id === undefined) {
      id = this.left.length;
      if (id >= MAX_NODES) throw new RangeError(`more than ${MAX_NODES} distinct sets of ipBlocks`);
      this.left.push(l);
      this.right.push(r);
      this.nodes.set(key, id);
    }
    return id;
  }
}

/** One boundary of the sweep: where a block's CIDR or one of its exceptions starts or ends. */
interface Boundary {
  readonly at: bigint;
  readonly block: number;
  /** +1 entering, -1 leaving. */
  readonly step: 1 | -1;
  readonly except: boolean;
}

function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * For each address, the canonical id of the set of blocks that contain it (as `IpBlock.contains`
 * decides: in the block's CIDR, of the same family, and in none of its exceptions).
 */
export class AddressMembership {
  /** The id of the empty set: an address in no block. */
  public static readonly NONE = 0;

  /**
   * @param blocks the blocks, numbered by their position
   * @param addresses the addresses to place
   */
  public static of(blocks: readonly CidrWithExceptions[], addresses: readonly ParsedIp[]): AddressMembership {
    let depth = 0;
    while (2 ** depth < blocks.length) depth++;
    const interner = new SetInterner(depth);
    const ids = new Int32Array(addresses.length);
    for (const family of ['ipv4', 'ipv6'] as IpFamily[]) {
      const order = [...addresses.keys()].filter(i => addresses[i].family === family)
        .sort((a, b) => compareBigints(addresses[a].value, addresses[b].value));
      if (order.length === 0) continue;
      const boundaries: Boundary[] = [];
      blocks.forEach((b, block) => {
        for (const [cidr, except] of [[b.cidr, false], ...b.except.map(e => [e, true] as const)] as const) {
          if (cidr.family !== family) continue;
          const [start, end] = cidrBounds(cidr);
          boundaries.push({ at: start, block, step: 1, except }, { at: end, block, step: -1, except });
        }
      });
      boundaries.sort((a, b) => compareBigints(a.at, b.at));
      const inCidr = new Int32Array(blocks.length);
      const excepted = new Int32Array(blocks.length);
      let set = AddressMembership.NONE;
      let next = 0;
      for (const i of order) {
        const value = addresses[i].value;
        for (; next < boundaries.length && boundaries[next].at <= value; next++) {
          const { block, step, except } = boundaries[next];
          const before = inCidr[block] > 0 && excepted[block] === 0;
          if (except) excepted[block] += step;
          else inCidr[block] += step;
          const after = inCidr[block] > 0 && excepted[block] === 0;
          if (before !== after) set = interner.with(set, block, after);
        }
        ids[i] = set;
      }
    }
    return new AddressMembership(interner, ids);
  }

  /** Per address (in the order given), the id of the set of blocks containing it. */
  public readonly ids: Int32Array;

  private constructor(private readonly interner: SetInterner, ids: Int32Array) {
    this.ids = ids;
  }

  /** The id of the union of two sets (the blocks containing either of two addresses). */
  public union(a: number, b: number): number {
    return this.interner.union(a, b);
  }

  /** The blocks (their positions) of a set, in increasing order. */
  public blocks(id: number): number[] {
    return this.interner.members(id);
  }
}
