import { ConnectivityFilter } from './connectivity-filter';
import { flowFilter, isExternalName } from './flow-filter';
import { PortSet } from './port-set';
import { namespaceSeparator } from './representative';
import { csvField, dotId, markdownCell, mermaidLabel } from '../io/output-escape';

/** One allowed flow: a source, a destination and every connection allowed between them. */
export interface Connection {
  /** The source: `namespace/name` of a pod or workload, an external IP, or an address range `first-last`. */
  readonly from: string;
  /** The destination, named as `from`. */
  readonly to: string;
  /** The connections allowed from `from` to `to` (never empty). */
  readonly allowed: PortSet;
}

/**
 * Why a flow is allowed, per direction: the rules whose peers match the other end and whose
 * ports share some of the flow's allowed ports (`shop/web-to-db egress rule 0`, rules numbered
 * from 0 in the policy's list), or a note that the direction is not isolated
 * (`egress from shop/web: not isolated`). An external end has no entry for its direction: no
 * NetworkPolicy applies to it.
 *
 * With cluster-wide policies, the Accept rules of the Admin or Baseline tier that allowed part
 * of the flow come first, named as `explain` names them
 * (`Admin tier: ClusterNetworkPolicy/dns (priority 5) egress rule 0 "dns" (Accept)`), and
 * NetworkPolicy rules are named only for the ports that reached the NetworkPolicy tier.
 */
export interface FlowRules {
  /** What allows the flow out of its source. */
  readonly egress: string[];
  /** What allows the flow into its destination. */
  readonly ingress: string[];
}

/** The rules allowing a flow, from the evaluation that listed it. */
type Attribution = (from: string, to: string, allowed: PortSet) => { egress: readonly string[]; ingress: readonly string[] } | undefined;

const ARROW = '=>';


/**
 * Every allowed flow of a cluster, for every port of every protocol: for each ordered pair of
 * endpoints with anything allowed, the allowed connections as a `PortSet`. Pairs with nothing
 * allowed are left out, and so is an endpoint's traffic to itself when it is always allowed
 * (`SelfTraffic.ALLOW`); flows between two external addresses never cross the cluster and are
 * never listed.
 *
 * Get one with `ClusterModel.connectivity()`; compare two with `ConnectivityDiff.between()`.
 */
export class Connectivity {
  /**
   * Reads the JSON form that `toJson()` writes (`{"connections":[{"from","to","allowed"}]}`).
   *
   * @throws if the document does not have that form
   */
  public static fromJson(json: any): Connectivity {
    if (!json || typeof json !== 'object' || !Array.isArray(json.connections)) {
      throw new RangeError('a connectivity document must be an object with a "connections" list');
    }
    const connections: Connection[] = json.connections.map((c: any, i: number) => {
      if (!c || typeof c.from !== 'string' || typeof c.to !== 'string') {
        throw new RangeError(`connections[${i}]: must have "from" and "to" endpoint names`);
      }
      return { from: c.from, to: c.to, allowed: PortSet.fromJson(c.allowed) };
    });
    const endpoints = Array.isArray(json.endpoints) ? json.endpoints.map(String) : [...new Set(connections.flatMap(c => [c.from, c.to]))];
    return new Connectivity(endpoints, connections);
  }

  /**
   * A connectivity from flows that are already valid and sorted (each pair once, non-empty,
   * in `endpoints` order), without checking or sorting them again.
   *
   * @internal
   */
  public static _fromSorted(endpoints: string[], connections: Connection[], attribution?: Attribution): Connectivity {
    const list: Connectivity = Object.create(Connectivity.prototype);
    Object.assign(list, { endpoints, connections, attribution });
    return list;
  }

  /** Every endpoint, flows or not: pods and workloads, external IPs, then the derived address ranges. */
  public readonly endpoints: string[];
  /** The allowed flows, sorted by source then destination in the order of `endpoints`. */
  public readonly connections: Connection[];

  private byPair?: Map<string, PortSet>;
  private attribution?: Attribution;

  /**
   * @param endpoints every endpoint, in order
   * @param connections the allowed flows (each pair at most once, with a non-empty port set)
   */
  constructor(endpoints: string[], connections: Connection[]) {
    if (!Array.isArray(endpoints) || !Array.isArray(connections)) throw new TypeError('Connectivity: endpoints and connections must be arrays');
    this.endpoints = [...endpoints];
    const order = new Map<string, number>();
    this.endpoints.forEach((e, i) => { if (!order.has(e)) order.set(e, i); });
    const rank = (name: string) => order.get(name) ?? Number.MAX_SAFE_INTEGER;
    const seen = new Set<string>();
    for (const c of connections) {
      if (!c || typeof c.from !== 'string' || typeof c.to !== 'string' || !(c.allowed instanceof PortSet)) {
        throw new TypeError('Connectivity: a connection needs from, to (strings) and allowed (a PortSet)');
      }
      const key = `${c.from}\u0000${c.to}`;
      if (seen.has(key)) throw new RangeError(`Connectivity: the flow ${c.from} ${ARROW} ${c.to} is listed twice`);
      seen.add(key);
    }
    this.connections = connections.filter(c => !c.allowed.isEmpty).sort((a, b) =>
      rank(a.from) - rank(b.from) || compare(a.from, b.from) || rank(a.to) - rank(b.to) || compare(a.to, b.to));
  }

  /** The connections allowed from one endpoint to another (`PortSet.NONE` when the pair is not listed). */
  public allowed(from: string, to: string): PortSet {
    if (!this.byPair) {
      this.byPair = new Map();
      for (const c of this.connections) this.byPair.set(`${c.from}\u0000${c.to}`, c.allowed);
    }
    return this.byPair.get(`${from}\u0000${to}`) ?? PortSet.NONE;
  }

  /**
   * The flows that pass a filter (the endpoints stay).
   *
   * @throws if `from` or `to` names no endpoint, namespace or address of this connectivity, or the port is not 1-65535
   */
  public filter(filter: ConnectivityFilter): Connectivity {
    const test = flowFilter(filter, this.endpoints);
    // a subsequence of valid, sorted flows is valid and sorted: no need to check and sort again
    return Connectivity._fromSorted([...this.endpoints], this.connections.filter(c => test(c.from, c.to, [c.allowed])), this.attribution);
  }

  /**
   * The policy rules that allow a listed flow, per direction (see `FlowRules`), from the same
   * evaluation that listed it.
   *
   * @returns the rules, or `undefined` when the flow is not listed or this connectivity was not
   * computed by `ClusterModel.connectivity()` (one read with `fromJson`)
   */
  public allowedBy(from: string, to: string): FlowRules | undefined {
    const allowed = this.allowed(from, to);
    if (allowed.isEmpty || !this.attribution) return undefined;
    const rules = this.attribution(from, to, allowed);
    return rules ? { egress: [...rules.egress], ingress: [...rules.ingress] } : undefined;
  }

  /** One line per flow, `shop/frontend => shop/backend : TCP 8080`; empty when nothing is allowed. */
  public toText(): string {
    return this.connections.map(c => `${c.from} ${ARROW} ${c.to} : ${c.allowed}\n`).join('');
  }

  /**
   * The JSON form (documented by `schemas/list.schema.json`):
   * `{"connections":[{"from":"shop/web","to":"shop/db","allowed":{"TCP":[[5432,5432]]}}]}`.
   */
  public toJson(): any {
    return { connections: this.connections.map(c => ({ from: c.from, to: c.to, allowed: c.allowed.toJson() })) };
  }

  /** CSV with a header: `from,to,allowed`. */
  public toCsv(): string {
    return ['from,to,allowed\n', ...this.connections.map(c => `${csvField(c.from)},${csvField(c.to)},${csvField(c.allowed.toString())}\n`)].join('');
  }

  /** A Markdown table: `| from | to | allowed |`. */
  public toMarkdown(): string {
    if (this.connections.length === 0) return 'No allowed flows.\n';
    return ['| from | to | allowed |\n', '| --- | --- | --- |\n',
      ...this.connections.map(c => `| ${markdownCell(c.from)} | ${markdownCell(c.to)} | ${markdownCell(c.allowed.toString())} |\n`)].join('');
  }

  /** A Mermaid `flowchart LR`: one subgraph per namespace (and one for external addresses), one labelled arrow per flow. */
  public toMermaid(): string {
    const { groups, ids } = this.nodes();
    const lines = ['flowchart LR'];
    let g = 0;
    for (const [group, members] of groups) {
      lines.push(`  subgraph g${g++} ["${group === '' ? 'external' : mermaidLabel(group)}"]`);
      for (const name of members) lines.push(`    n${ids.get(name)}["${mermaidLabel(name)}"]`);
      lines.push('  end');
    }
    for (const c of this.connections) lines.push(`  n${ids.get(c.from)} -->|"${mermaidLabel(c.allowed.toString())}"| n${ids.get(c.to)}`);
    return lines.join('\n') + '\n';
  }

  /** A Graphviz `digraph`: one cluster per namespace, one labelled edge per flow. */
  public toDot(): string {
    const { groups } = this.nodes();
    const lines = ['digraph connectivity {', '  rankdir=LR;', '  node [shape=box];'];
    let g = 0;
    for (const [group, members] of groups) {
      lines.push(`  subgraph cluster_${g++} {`, `    label=${dotId(group === '' ? 'external' : group)};`);
      for (const name of members) lines.push(`    ${dotId(name)};`);
      lines.push('  }');
    }
    for (const c of this.connections) lines.push(`  ${dotId(c.from)} -> ${dotId(c.to)} [label=${dotId(c.allowed.toString())}];`);
    lines.push('}');
    return lines.join('\n') + '\n';
  }

  /** The endpoints that take part in a flow, grouped by namespace ('' for external ones), with ids. */
  private nodes(): { groups: Map<string, string[]>; ids: Map<string, number> } {
    const used = new Set(this.connections.flatMap(c => [c.from, c.to]));
    const groups = new Map<string, string[]>();
    const ids = new Map<string, number>();
    for (const name of this.endpoints) {
      if (!used.has(name) || ids.has(name)) continue;
      ids.set(name, ids.size);
      const group = isExternalName(name) ? '' : name.slice(0, namespaceSeparator(name));
      const members = groups.get(group);
      if (members) members.push(name);
      else groups.set(group, [name]);
    }
    return { groups, ids };
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
