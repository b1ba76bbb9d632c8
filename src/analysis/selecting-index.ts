/**
 * Which policies of a namespace select a pod, without testing every policy of the namespace for
 * every pod: a namespace with thousands of policies, each selecting its own pods, would make that
 * quadratic. Policies are indexed by one `In` requirement of their pod selector (every pod they
 * select has one of its `key=value` labels); only the policies indexed under the pod's own labels,
 * and those without such a requirement, are tested. Same answer, same order (the policies' order).
 */
import { Labels } from '../model/selector';

/** What the index needs of a policy: its pod selector. */
export interface HasPodSelector {
  readonly podSelector: {
    readonly requirements: readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[];
    matches(labels: Labels): boolean;
  };
}

interface PolicyIndex {
  /** `key\0value` to the positions of the policies indexed under it. */
  readonly byLabel: ReadonlyMap<string, readonly number[]>;
  /** The positions of the policies with no `In` requirement (tested for every pod). */
  readonly always: readonly number[];
}

const indexes = new WeakMap<readonly HasPodSelector[], PolicyIndex>();

/** Below this many policies, testing each is as fast as the index. */
const INDEX_THRESHOLD = 16;

function indexOf(policies: readonly HasPodSelector[]): PolicyIndex {
  let index = indexes.get(policies);
  if (index) return index;
  const byLabel = new Map<string, number[]>();
  const always: number[] = [];
  policies.forEach((p, i) => {
    // the requirement with the fewest values narrows most
    let best: { key: string; values: readonly string[] } | undefined;
    for (const r of p.podSelector.requirements) {
      if (r.operator === 'In' && (!best || r.values.length < best.values.length)) best = r;
    }
    if (!best) {
      always.push(i);
      return;
    }
    for (const value of best.values) {
      const key = `${best.key}\u0000${value}`;
      const list = byLabel.get(key);
      if (list) list.push(i);
      else byLabel.set(key, [i]);
    }
  });
  index = { byLabel, always };
  indexes.set(policies, index);
  return index;
}

/**
 * The policies (of one namespace, in their order) whose pod selector matches the labels and that
 * pass `accept`. The index is built on first use and kept as long as the array: do not change
 * the array afterwards.
 */
export function policiesSelecting<P extends HasPodSelector>(policies: readonly P[], labels: Labels, accept: (p: P) => boolean): P[] {
  if (policies.length < INDEX_THRESHOLD) return policies.filter(p => accept(p) && p.podSelector.matches(labels));
  const index = indexOf(policies);
  const positions: number[] = [...index.always];
  for (const [key, value] of Object.entries(labels)) {
    const found = index.byLabel.get(`${key}\u0000${value}`);
    if (found) for (const i of found) positions.push(i);
  }
  positions.sort((a, b) => a - b);
  const out: P[] = [];
  for (const i of positions) {
    const p = policies[i];
    if (accept(p) && p.podSelector.matches(labels)) out.push(p);
  }
  return out;
}
