import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * cdk8s validates the whole app once per chart it synthesizes (`App._synthChart`), so a
 * validation that looks at the whole app runs once per chart: quadratic with one chart per
 * namespace. Whole-app checks of this library memoize their result per tree instead, and
 * recompute it whenever anything they read may have changed.
 *
 * What "may have changed" means, failing closed (anything not tracked is compared as rendered):
 * - the tree: the constructs in it (each has a serial number, so removing one with
 *   `node.tryRemoveChild()` and adding another in its place is a change), with their metadata;
 * - every API object's number of JSON patches;
 * - objects this library tracks (its own `Policy`, which changes only through methods that call
 *   `markChanged()`, whose state no caller can reach and whose name, namespace and kind cannot be
 *   reassigned) by that epoch, when they have no JSON patches (a patch may hold an object its
 *   caller mutates later);
 * - every other relevant object (a raw `ApiObject` or `KubeNetworkPolicy` whose spec object the
 *   caller may mutate in place, a `Policy` of another copy of this library, anything with a JSON
 *   patch) by its rendered JSON, each time.
 *
 * Every copy of the library in a process has its own memos and epoch; what another copy's
 * constructs render is compared as rendered, so a guarantee of one copy holds for the objects
 * of the other.
 */
let epoch = 0;

/** Records that something a whole-app check reads has changed (a rule added, a suppression recorded). */
export function markChanged(): void {
  epoch++;
}

/** Objects that change only through this library's methods, which call `markChanged()`. */
const tracked = new WeakSet<object>();

/** Declares that `o` changes only through methods that call `markChanged()` (this library's `Policy`). */
export function trackChanges(o: object): void {
  tracked.add(o);
}

/**
 * A serial number per construct, so that a construct replaced by another counts as a change.
 * Kept on the construct under a symbol of this copy (faster than a WeakMap on the hot path).
 */
const SERIAL = Symbol('cdk8s-netpol.serial');
let nextSerial = 0;

function serialOf(c: object): number {
  const holder = c as { [SERIAL]?: number };
  return holder[SERIAL] ??= ++nextSerial;
}

/** Which API objects a whole-app check reads. */
export interface MemoOptions {
  /**
   * Whether the check reads `o` (then a change to it must invalidate the memo).
   *
   * @default every API object
   */
  readonly reads?: (o: ApiObject) => boolean;
  /**
   * Whether the check reads only what a tracked object's changes go through (its rules; its
   * name, namespace and kind cannot change), so that a tracked object without JSON patches
   * need not be rendered.
   *
   * @default false
   */
  readonly trustTracked?: boolean;
  /**
   * Whether the check reads construct metadata (suppressions).
   *
   * @default true
   */
  readonly readsMetadata?: boolean;
}

/** What a memo depends on: counts and sums that change with any change to the tree, and the rendered objects it reads. */
interface Fingerprint {
  readonly scalars: number[];
  readonly rendered: string[];
}

const memos = new WeakMap<object, { fingerprint?: Fingerprint; value: unknown }>();

/**
 * The value of `compute` for `root`'s tree, computed again whenever what it reads may have
 * changed since the last call with the same `key` (see above).
 */
export function memoizeForTree<T>(key: object, root: IConstruct, compute: () => T, options: MemoOptions = {}): T {
  const fingerprint = fingerprintOf(root, options);
  const memo = memos.get(key);
  if (memo && fingerprint !== undefined && memo.fingerprint !== undefined && sameFingerprint(memo.fingerprint, fingerprint)) {
    return memo.value as T;
  }
  const value = compute();
  memos.set(key, { fingerprint, value });
  return value;
}

/**
 * Everything the memo depends on; `undefined` when it cannot be known (then nothing is
 * memoized). The constructs are summed by serial number: constructs are only ever added with a
 * new serial or removed, so the count and the sum together change with every change to the tree.
 */
function fingerprintOf(root: IConstruct, options: MemoOptions): Fingerprint | undefined {
  const reads = options.reads ?? (() => true);
  const readsMetadata = options.readsMetadata ?? true;
  const trustTracked = options.trustTracked === true;
  let count = 0;
  let serialSum = 0;
  let patchSum = 0;
  let metadataSum = 0;
  const rendered: string[] = [];
  const stack: IConstruct[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    count++;
    serialSum += serialOf(c);
    if (readsMetadata) metadataSum += c.node.metadata.length;
    if (ApiObject.isApiObject(c)) {
      const patches = patchCount(c);
      if (patches === undefined) return undefined;
      patchSum += patches;
      const trusted = trustTracked && patches === 0 && tracked.has(c);
      if (!trusted && (patches > 0 || reads(c))) rendered.push(renderedText(c));
    }
    const children = c.node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return { scalars: [epoch, count, serialSum, patchSum, metadataSum], rendered };
}

/** The object as it renders (an error while rendering is part of what it renders). */
function renderedText(o: ApiObject): string {
  try {
    return JSON.stringify(o.toJson());
  } catch (e) {
    return `error: ${(e as Error)?.message}`;
  }
}

function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return sameList(a.scalars, b.scalars) && sameList(a.rendered, b.rendered);
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

/**
 * How many JSON patches an API object has: cdk8s keeps them in a private array. `undefined`
 * if that ever changes, so that callers fail closed (recompute, or render the object).
 */
export function patchCount(o: ApiObject): number | undefined {
  const patches = (o as unknown as { patches?: unknown }).patches;
  return Array.isArray(patches) ? patches.length : undefined;
}

/**
 * Whether `c` is still in its tree: every construct on its path is still the child of its
 * parent (`node.tryRemoveChild()` detaches a construct without telling it).
 */
export function isAttached(c: IConstruct): boolean {
  for (let child = c, parent = c.node.scope; parent !== undefined; child = parent, parent = parent.node.scope) {
    if (childOf(parent, child.node.id) !== child) return false;
  }
  return true;
}

/**
 * The child `id` of `parent`: from constructs' own map of children when it has one (this runs
 * for every policy in every validation), else through `tryFindChild()`.
 */
function childOf(parent: IConstruct, id: string): IConstruct | undefined {
  const children = (parent.node as unknown as { _children?: unknown })._children;
  if (children !== null && typeof children === 'object' && !(children instanceof Map)) {
    return Object.prototype.hasOwnProperty.call(children, id) ? (children as { [id: string]: IConstruct })[id] : undefined;
  }
  return parent.node.tryFindChild(id);
}
