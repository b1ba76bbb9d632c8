/**
 * Pod shapes: endpoints that no policy can tell apart, computed once.
 *
 * Two pods are equivalent for every NetworkPolicy question when they share a namespace, labels
 * and named container ports (and, when ipBlocks may match pod IPs, the same answer to "is one of
 * your addresses in this ipBlock?" for every ipBlock of the policies). A Deployment with a
 * thousand replicas, or a thousand pods of one template, is one shape, with or without pod IPs.
 */
import { EndpointRecord, compareStrings } from './object-reader';
import { REPRESENTATIVE_KIND } from './representative';
import { IpAddress, IpBlock } from '../model/ip-block';

/** A class of equivalent endpoints. */
export interface PodShape {
  readonly index: number;
  /** The namespace; `undefined` for an external endpoint. */
  readonly namespace?: string;
  /** One member, whose labels, ports and addresses stand for all. */
  readonly representative: EndpointRecord;
  /** Indices (into the endpoint list) of the members. */
  readonly members: number[];
}

/**
 * The shapes of a set of endpoints, with indexes for evaluating selectors over shapes.
 *
 * Pod shapes come first, sorted by namespace, so each namespace is a contiguous range of shape
 * indices; external endpoints (one shape each) come last.
 */
export class ShapeSet {
  /**
   * Groups endpoints into shapes.
   *
   * @param endpoints the endpoints
   * @param ipBlocks the distinct ipBlocks of the policies, when they may match pod IPs: pods
   * are then told apart by which of them contain one of their addresses (else not by address)
   * @param externalKey for an external endpoint, a key that external endpoints treated alike
   * share (they are then one shape); `undefined` (or no function) for one shape per endpoint
   */
  public static build(
    endpoints: readonly EndpointRecord[],
    ipBlocks: readonly IpBlock[] = [],
    externalKey?: (index: number) => string | undefined,
  ): ShapeSet {
    const addressKeys = ipBlocks.length > 0 ? addressSetKeys(endpoints, ipBlocks) : undefined;
    const byKey = new Map<string, { namespace?: string; members: number[] }>();
    endpoints.forEach((e, i) => {
      const shared = e.external ? externalKey?.(i) : undefined;
      const key = shared !== undefined ? `shared\u0000${shared}` : shapeKey(e, addressKeys?.[i] ?? '');
      const group = byKey.get(key);
      if (group) group.members.push(i);
      else byKey.set(key, { namespace: e.namespace, members: [i] });
    });
    const groups = [...byKey.values()].sort((a, b) => {
      if (a.namespace === undefined || b.namespace === undefined) {
        if (a.namespace !== b.namespace) return a.namespace === undefined ? 1 : -1;
      } else {
        const ns = compareStrings(a.namespace, b.namespace);
        if (ns !== 0) return ns;
      }
      return a.members[0] - b.members[0];
    });
    const shapes: PodShape[] = groups.map((g, index) => ({
      index,
      namespace: g.namespace,
      representative: endpoints[g.members[0]],
      members: g.members,
    }));
    return new ShapeSet(shapes, endpoints.length);
  }

  /** The shapes. */
  public readonly shapes: readonly PodShape[];
  /** The shape of each endpoint, by endpoint index. */
  public readonly shapeOf: Int32Array;
  /** The number of pod shapes; shapes from this index on are external endpoints. */
  public readonly podShapeCount: number;
  /** Each namespace's range `[start, end)` of shape indices. */
  public readonly namespaceRanges: ReadonlyMap<string, readonly [number, number]>;
  /** Label key to value to the (increasing) indices of the pod shapes with that label. */
  public readonly labelIndex: ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;
  /** Label key to the (increasing) indices of the pod shapes that have the key. */
  public readonly keyIndex: ReadonlyMap<string, readonly number[]>;

  private constructor(shapes: PodShape[], endpointCount: number) {
    this.shapes = shapes;
    this.shapeOf = new Int32Array(endpointCount);
    const ranges = new Map<string, [number, number]>();
    const labelIndex = new Map<string, Map<string, number[]>>();
    const keyIndex = new Map<string, number[]>();
    let podShapeCount = 0;
    for (const shape of shapes) {
      for (const m of shape.members) this.shapeOf[m] = shape.index;
      if (shape.namespace === undefined) continue;
      podShapeCount = shape.index + 1;
      const range = ranges.get(shape.namespace);
      if (range) range[1] = shape.index + 1;
      else ranges.set(shape.namespace, [shape.index, shape.index + 1]);
      for (const [key, value] of Object.entries(shape.representative.labels)) {
        let values = labelIndex.get(key);
        if (!values) labelIndex.set(key, values = new Map());
        let list = values.get(value);
        if (!list) values.set(value, list = []);
        list.push(shape.index);
        let keys = keyIndex.get(key);
        if (!keys) keyIndex.set(key, keys = []);
        keys.push(shape.index);
      }
    }
    this.podShapeCount = podShapeCount;
    this.namespaceRanges = ranges;
    this.labelIndex = labelIndex;
    this.keyIndex = keyIndex;
  }
}

/**
 * Per endpoint, which of the ipBlocks contain one of its addresses, as a key (equal keys for the
 * same blocks); `''` for an endpoint without addresses or outside the cluster.
 */
function addressSetKeys(endpoints: readonly EndpointRecord[], ipBlocks: readonly IpBlock[]): string[] {
  const owners: number[] = [];
  const addresses: IpAddress[] = [];
  endpoints.forEach((e, i) => {
    if (e.external) return;
    for (const a of e.addresses) {
      owners.push(i);
      addresses.push(a);
    }
  });
  const membership = IpBlock.membership(ipBlocks, addresses);
  const sets = new Map<number, number>();
  owners.forEach((owner, k) => {
    const found = sets.get(owner);
    sets.set(owner, found === undefined ? membership.ids[k] : membership.union(found, membership.ids[k]));
  });
  return endpoints.map((_, i) => {
    const set = sets.get(i);
    return set === undefined ? '' : `#${set}`;
  });
}

function shapeKey(e: EndpointRecord, addresses: string): string {
  if (e.external) return `external\u0000${e.name}`;
  // a representative is never one shape with an input pod: its named ports stay unresolved
  const kind = e.kind === REPRESENTATIVE_KIND ? 'r' : 'p';
  const labels = Object.keys(e.labels).sort().map(k => `${k}=${e.labels[k]}`).join('\u0001');
  // Only named ports can make a difference (through named ports in policies).
  const ports = e.ports.filter(p => p.name !== undefined).map(p => `${p.name}:${p.port}/${p.protocol}`).sort().join('\u0001');
  // Policies see addresses only through their ipBlocks: which of them contain an address.
  // cluster-wide policies never select host-network pods
  return `${kind}\u0000${e.namespace}\u0000${labels}\u0000${ports}\u0000${addresses}${e.hostNetwork ? '\u0000host' : ''}`;
}
