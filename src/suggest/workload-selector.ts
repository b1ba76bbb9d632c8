/**
 * The labels a person would select a workload's pods by: the smallest set of its stable labels
 * that no other pod or workload of its namespace also carries. Not part of the public API.
 */

/** Labels that controllers set per revision or per pod: a selector on them breaks at the next rollout. */
const UNSTABLE_KEYS: ReadonlySet<string> = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'batch.kubernetes.io/job-completion-index',
]);

/** Keys people select workloads by, most usual first; other keys follow in code-unit order. */
const PREFERRED_KEYS = [
  'app.kubernetes.io/name', 'app', 'k8s-app', 'name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component',
  'component', 'tier', 'role',
];

/** Subsets larger than this are not searched: the workload is then selected by all its stable labels. */
const MAX_SUBSET = 3;

/** How a workload's pods are selected, and whether the selection is exact in its namespace. */
export interface WorkloadSelection {
  /** The labels (empty: every pod of the namespace). */
  readonly labels: Readonly<Record<string, string>>;
  /** The other endpoints of the namespace the labels also select. */
  readonly alsoSelects: readonly string[];
}

function rank(key: string): number {
  const i = PREFERRED_KEYS.indexOf(key);
  return i < 0 ? PREFERRED_KEYS.length : i;
}

function compareKeys(a: string, b: string): number {
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function selects(labels: Readonly<Record<string, string>>, keys: readonly string[], other: Readonly<Record<string, string>>): boolean {
  return keys.every(k => other[k] === labels[k]);
}

/**
 * The selection of `labels` among `others` (the other endpoints of the namespace, by name):
 * the first smallest subset of stable keys, in the order people prefer, that selects none of
 * them; else every stable label, with what it also selects.
 */
export function workloadSelection(
  labels: Readonly<Record<string, string>>, others: ReadonlyMap<string, Readonly<Record<string, string>>>,
): WorkloadSelection {
  const keys = Object.keys(labels).filter(k => !UNSTABLE_KEYS.has(k)).sort(compareKeys);
  const exact = (chosen: readonly string[]) => [...others.values()].every(o => !selects(labels, chosen, o));
  const pick = (chosen: readonly string[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const k of [...chosen].sort()) out[k] = labels[k];
    return out;
  };
  if (others.size === 0) return { labels: keys.length > 0 ? pick([keys[0]]) : {}, alsoSelects: [] };
  const search = (size: number, start: number, chosen: string[]): string[] | undefined => {
    if (chosen.length === size) return exact(chosen) ? chosen : undefined;
    for (let i = start; i < keys.length; i++) {
      const found = search(size, i + 1, [...chosen, keys[i]]);
      if (found) return found;
    }
    return undefined;
  };
  for (let size = 1; size <= Math.min(MAX_SUBSET, keys.length); size++) {
    const found = search(size, 0, []);
    if (found) return { labels: pick(found), alsoSelects: [] };
  }
  const all = pick(keys);
  return { labels: all, alsoSelects: [...others].filter(([, o]) => selects(labels, keys, o)).map(([name]) => name).sort() };
}
