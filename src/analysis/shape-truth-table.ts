import { Protocol } from '../port';
import { ShapeReachability } from './reachability';
import { TruthTable } from './truth-table';

/** A truth table computed over pod shapes and expanded on demand. */
export class ShapeTruthTable extends TruthTable {
  constructor(
    port: number,
    protocol: Protocol,
    endpoints: string[],
    private readonly reachability: ShapeReachability,
    private readonly shapeOf: Int32Array,
    private readonly shapeMembers: readonly (readonly number[])[],
    private readonly selfAlwaysAllowed: boolean,
    private readonly indexOf: (name: string) => number,
  ) {
    super(port, protocol, endpoints);
  }

  public isAllowed(from: string, to: string): boolean {
    return this.isAllowedAt(this.indexOf(from), this.indexOf(to));
  }

  public isAllowedAt(fromIndex: number, toIndex: number): boolean {
    if (!Number.isInteger(fromIndex) || fromIndex < 0 || fromIndex >= this.endpoints.length) {
      throw new RangeError(`fromIndex ${fromIndex} is out of range (0-${this.endpoints.length - 1})`);
    }
    if (!Number.isInteger(toIndex) || toIndex < 0 || toIndex >= this.endpoints.length) {
      throw new RangeError(`toIndex ${toIndex} is out of range (0-${this.endpoints.length - 1})`);
    }
    if (fromIndex === toIndex && this.selfAlwaysAllowed) return true;
    return this.reachability.allowed(this.shapeOf[fromIndex], this.shapeOf[toIndex]);
  }

  public countAllowed(): number {
    let count = 0;
    const n = this.shapeMembers.length;
    for (let s = 0; s < n; s++) {
      const from = this.shapeMembers[s].length;
      for (let d = 0; d < n; d++) {
        if (this.reachability.allowed(s, d)) count += from * this.shapeMembers[d].length;
      }
      if (this.selfAlwaysAllowed && !this.reachability.allowed(s, s)) count += from;
    }
    return count;
  }
}
