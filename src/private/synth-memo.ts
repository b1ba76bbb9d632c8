import { ApiObject } from 'cdk8s';
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

const memos = new WeakMap<object, { fingerprint?: string; value: unknown }>();

/**
 * The value of `compute` for `root`'s tree, computed again only when the tree may have
 * changed since the last call with the same `key`: a construct was added, this library changed
 * a policy, or a JSON patch was added to an API object.
 */
export function memoizeForTree<T>(key: object, root: IConstruct, compute: () => T): T {
  const counts = countConstructs(root);
  const fingerprint = counts === undefined ? undefined : `${epoch}/${counts}`;
  const memo = memos.get(key);
  if (memo && fingerprint !== undefined && memo.fingerprint === fingerprint) return memo.value as T;
  const value = compute();
  memos.set(key, { fingerprint, value });
  return value;
}

/**
 * The number of constructs, and of JSON patches on API objects, in the tree; `undefined` when
 * the patches cannot be counted (then nothing is memoized).
 */
function countConstructs(root: IConstruct): string | undefined {
  let n = 0;
  let patches = 0;
  const stack: IConstruct[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    n++;
    if (ApiObject.isApiObject(c)) {
      const count = patchCount(c);
      if (count === undefined) return undefined;
      patches += count;
    }
    for (const child of c.node.children) stack.push(child);
  }
  return `${n}/${patches}`;
}

/**
 * How many JSON patches an API object has: cdk8s keeps them in a private array. `undefined`
 * if that ever changes, so that callers fail closed (recompute, or render the object).
 */
export function patchCount(o: ApiObject): number | undefined {
  const patches = (o as unknown as { patches?: unknown }).patches;
  return Array.isArray(patches) ? patches.length : undefined;
}
