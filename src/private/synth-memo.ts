import { IConstruct } from 'constructs';

/**
 * cdk8s validates the whole app once per chart it synthesizes (`App._synthChart`), so a
 * validation that looks at the whole app runs once per chart: quadratic with one chart per
 * namespace. Whole-app checks of this library memoize their result per tree instead, and
 * recompute it when the tree may have changed: when a construct was added anywhere in it, or
 * when this library changed a policy (a rule added, a suppression recorded).
 */
let epoch = 0;

/** Records that something a whole-app check reads has changed. */
export function markChanged(): void {
  epoch++;
}

const memos = new WeakMap<object, { fingerprint: string; value: unknown }>();

/**
 * The value of `compute` for `root`'s tree, computed again only when the tree may have
 * changed since the last call with the same `key`.
 */
export function memoizeForTree<T>(key: object, root: IConstruct, compute: () => T): T {
  const fingerprint = `${epoch}/${countConstructs(root)}`;
  const memo = memos.get(key);
  if (memo && memo.fingerprint === fingerprint) return memo.value as T;
  const value = compute();
  memos.set(key, { fingerprint, value });
  return value;
}

function countConstructs(root: IConstruct): number {
  let n = 0;
  const stack: IConstruct[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    n++;
    for (const child of c.node.children) stack.push(child);
  }
  return n;
}
