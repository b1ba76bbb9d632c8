import { mermaidFlowchart } from './mermaid-flowchart';
import { Protocol } from '../port';

/**
 * Which endpoints may open connections to which, for one port and protocol: the answer for every
 * ordered pair of endpoints of a `ClusterModel` (its pods, workloads and external IPs).
 *
 * Rows are sources, columns destinations. Get one with `ClusterModel.truthTable()`.
 */
export abstract class TruthTable {
  /** The destination port. */
  public readonly port: number;
  /** The protocol. */
  public readonly protocol: Protocol;
  /** The endpoints, in order (pods and workloads sorted by name, then external IPs). */
  public readonly endpoints: string[];

  protected constructor(port: number, protocol: Protocol, endpoints: string[]) {
    this.port = port;
    this.protocol = protocol;
    this.endpoints = endpoints;
  }

  /**
   * Whether traffic from one endpoint to another is allowed.
   *
   * @param from the source's name (as in `endpoints`)
   * @param to the destination's name (as in `endpoints`)
   */
  public abstract isAllowed(from: string, to: string): boolean;

  /**
   * Whether traffic from one endpoint to another is allowed, by position in `endpoints`.
   *
   * @param fromIndex the source's index in `endpoints`
   * @param toIndex the destination's index in `endpoints`
   */
  public abstract isAllowedAt(fromIndex: number, toIndex: number): boolean;

  /** The number of allowed ordered pairs, the diagonal included. */
  public abstract countAllowed(): number;

  /**
   * The table as a grid like the Kubernetes conformance tooling prints: a header row of
   * destinations, then one row per source, `.` where traffic is allowed and `X` where it is denied.
   */
  public toGrid(): string {
    const names = this.endpoints;
    const width = Math.max(1, ...names.map(n => n.length));
    const pad = (text: string, w: number) => text + ' '.repeat(Math.max(0, w - text.length));
    const lines = [[pad('-', width), ...names.map(n => pad(n, n.length))].join(' ').trimEnd()];
    names.forEach((from, i) => {
      const cells = names.map((to, j) => pad(this.isAllowedAt(i, j) ? '.' : 'X', to.length));
      lines.push([pad(from, width), ...cells].join(' ').trimEnd());
    });
    return lines.join('\n') + '\n';
  }

  /**
   * The table as JSON: `{ port, protocol, pods: [names], allowed: { from: { to: true|false } } }`,
   * covering every ordered pair.
   */
  public toJson(): any {
    const allowed: Record<string, Record<string, boolean>> = {};
    this.endpoints.forEach((from, i) => {
      const row: Record<string, boolean> = {};
      this.endpoints.forEach((to, j) => { row[to] = this.isAllowedAt(i, j); });
      allowed[from] = row;
    });
    return { port: this.port, protocol: this.protocol, pods: [...this.endpoints], allowed };
  }

  /**
   * The allowed flows as a Mermaid `flowchart LR`: one subgraph per namespace (and one for
   * external endpoints), one arrow per allowed pair. Traffic from an endpoint to itself is left out.
   */
  public toMermaid(): string {
    return [...mermaidFlowchart(this.endpoints, (i, j) => this.isAllowedAt(i, j))].join('\n') + '\n';
  }
}
