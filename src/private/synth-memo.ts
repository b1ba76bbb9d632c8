import { ApiObject, App, Chart, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';

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
 *   reassigned, nor shadowed without it being seen) by that epoch, when they have no JSON patches (a patch may hold an object its
 *   caller mutates later);
 * - every other relevant object (a raw `ApiObject` or `KubeNetworkPolicy` whose spec object the
 *   caller may mutate in place, a `Policy` of another copy of this library, anything with a JSON
 *   patch) by its rendered JSON, each time.
 *
 * Every copy of the library in a process has its own memos and epoch; what another copy's
 * constructs render is compared as rendered, so a guarantee of one copy holds for the objects
 * of the other.
 *
 * Within one `app.synth()` / `app.synthYaml()` (see `watchSynthesis`), a tree found *inert* by
 * a walk stays as it was until the synthesis ends, so the checks reuse what they computed
 * instead of walking the tree again for every chart, and the checks that trust tracked objects
 * read what that one walk saw (`apiObjectsOf`) instead of walking it themselves. Inert means that nothing but cdk8s and
 * this copy of the library runs until then: every validation in the tree is this copy's, every
 * API object is a tracked object without JSON patches (rendered by this copy's renderer), every
 * chart renders with cdk8s's own `Chart.toJson()`, the root is a plain cdk8s `App` and it has
 * cdk8s's default resolvers only. Anything else (a validation of the user or of another copy, a
 * raw API object whose `Lazy` or `toJson()` may run user code, a custom resolver) could change
 * the tree between two charts, so the checks walk it for every chart, as before.
 */
let epoch = 0;

/** Records that something a whole-app check reads has changed (a rule added, a suppression recorded). */
export function markChanged(): void {
  epoch++;
}

/**
 * Of an object, whether this copy of the library tracks it (it changes only through methods that
 * call `markChanged()`): `undefined` when it does not, else whether it is intact (nothing shadows
 * what the checks read of it). Answered by the tracked objects' own module (see `trackChanges`).
 */
let trackedIntact: (o: object) => boolean | undefined = () => undefined;

/**
 * Declares which objects change only through methods that call `markChanged()` (this library's
 * `Policy`, which knows its own instances: no table of every policy), and whether each is intact:
 * `intactIfTracked(o)` is `undefined` for an object that is not tracked.
 */
export function trackChanges(intactIfTracked: (o: object) => boolean | undefined): void {
  trackedIntact = intactIfTracked;
}

/** Validations this copy of the library registers: they read the tree and change nothing another check reads. */
const OWN_VALIDATIONS = new WeakSet<IValidation>();

/** A validation of this library (see `watchSynthesis`): one a tree may hold and still be inert. */
export function libraryValidation(validate: () => string[]): IValidation {
  const validation: IValidation = { validate };
  OWN_VALIDATIONS.add(validation);
  return validation;
}

/** What is known of a tree's synthesis. */
interface TreeState {
  /** How many of the app's `synth()`/`synthYaml()` calls are running (they may nest). */
  depth: number;
  /** The number of the running (or last) synthesis. */
  session: number;
  /** The synthesis during which a walk found the tree inert, and the epoch then. */
  stableSession: number;
  stableEpoch: number;
  /** What that walk saw: it still holds while `isStable`, and every check of the synthesis reads it instead of walking again. */
  inertWalk?: TreeWalk;
}

/**
 * What a walk of a tree saw: what every fingerprint is made of except renderings (an inert tree's
 * API objects are all trusted, so a check that trusts tracked objects renders none of them), and
 * the API objects in the order of `node.findAll()`.
 */
interface TreeWalk {
  readonly count: number;
  readonly serialSum: number;
  readonly patchSum: number;
  readonly metadataSum: number;
  readonly apiObjects: readonly ApiObject[];
}

const TREES = new WeakMap<IConstruct, TreeState>();
let sessions = 0;

/** The methods of `App` that synthesize the whole app (each validates it once per chart). */
const SYNTH_METHODS = ['synth', 'synthYaml'] as const;

/**
 * Makes the whole-app checks of `root`'s tree know when its app synthesizes: the app's own
 * `synth()` and `synthYaml()` (own properties of this one app, calling the methods it had;
 * nothing shared with other apps or constructs is changed) mark the start and end of a
 * synthesis. A root that is not a cdk8s `App` of this copy of cdk8s is not watched (its checks
 * walk the tree every time).
 */
export function watchSynthesis(root: IConstruct): TreeState {
  let tree = TREES.get(root);
  if (tree) return tree;
  const state: TreeState = { depth: 0, session: 0, stableSession: -1, stableEpoch: -1 };
  tree = state;
  TREES.set(root, state);
  if (!(root instanceof App)) return state;
  for (const method of SYNTH_METHODS) {
    const original = (root as unknown as { [m: string]: unknown })[method];
    if (typeof original !== 'function') continue;
    Object.defineProperty(root, method, {
      value: function synthesize(this: App, ...args: unknown[]): unknown {
        if (state.depth++ === 0) state.session = ++sessions;
        try {
          return original.apply(this, args);
        } finally {
          state.depth--;
        }
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return state;
}

/** Whether nothing has changed in the tree since a walk found it inert during the synthesis running now. */
function isStable(tree: TreeState): boolean {
  return tree.depth > 0 && tree.stableSession === tree.session && tree.stableEpoch === epoch;
}

/**
 * `compute` (a function of `root`'s tree), computed again unless the app is synthesizing and
 * nothing has changed since it was last computed (see `watchSynthesis`). For the cheap
 * per-construct parts of the whole-app checks, which run for every chart (which construct
 * reports a check); they need no walk of their own.
 */
export function cachedInSynthesis<T>(root: IConstruct, compute: () => T): () => T {
  const tree = watchSynthesis(root);
  let cached: { readonly session: number; readonly epoch: number; readonly value: T } | undefined;
  return () => {
    const stable = isStable(tree);
    if (stable && cached !== undefined && cached.session === tree.session && cached.epoch === epoch) return cached.value;
    const value = compute();
    cached = stable ? { session: tree.session, epoch, value } : undefined;
    return value;
  };
}

/**
 * Registers a whole-app check once per app: on `first`, the first construct that needs it (its
 * errors read `[<its path>] ...`), and on the root, which reports the check only when `first` is
 * no longer in the tree (`node.tryRemoveChild()`), so that removing it never drops the check.
 * One validation per app, not one per construct: cdk8s runs every validation once per chart.
 */
export function addWholeAppValidation(first: IConstruct, check: () => string[]): void {
  const root = first.node.root;
  first.node.addValidation(libraryValidation(check));
  if (first === root) return;
  const firstAttached = cachedInSynthesis(root, () => isAttached(first));
  root.node.addValidation(libraryValidation(() => firstAttached() ? [] : check()));
}

/**
 * Whether a whole-app check may read `o` through its library state instead of rendering it:
 * it is tracked (this library's `Policy`, whose renderers are fixed on its prototype, so that
 * it renders exactly its rules while intact) and has no JSON patches.
 */
export function isTrusted(o: ApiObject): boolean {
  return patchCount(o) === 0 && trackedIntact(o) === true;
}

/**
 * Whether `o` is tracked but something now shadows what the checks read of it (an own property
 * defined on the instance, a changed prototype): then only what it renders can be believed, and
 * every check reads it as rendered, like an object with JSON patches.
 */
export function isTampered(o: object): boolean {
  return trackedIntact(o) === false;
}

/**
 * A whole-app check of one rendered object: what is wrong with it (`[]`: nothing). It is given
 * the object as rendered (plain JSON data).
 */
export type RenderJudge = (o: ApiObject, rendered: any) => string[];

/**
 * What is known of an object whose renderings are judged, shared by every copy of the library
 * in the process (under a `Symbol.for` key), so that one wrapper serves them all.
 */
interface JudgedRenders {
  /** The object's own renderer, as found when it was first judged. */
  readonly original: () => any;
  /** The checks every rendering must pass. */
  readonly judges: RenderJudge[];
  /** The JSON text of the last rendering the checks passed. */
  judged?: string;
}

const JUDGED: unique symbol = Symbol.for('cdk8s-netpol.judged-renders') as any;

/**
 * Renders `o` for a whole-app check and makes sure that what is written is what was checked.
 *
 * A whole-app check runs as a validation, before cdk8s (or `Synthesis`) renders the objects it
 * writes; an object can render differently each time (a `Lazy` that changes after its first
 * renders, a subclass's `toJson()`). So the first time an object is judged, its `toJson()` is
 * wrapped (a non-configurable own property: it cannot be replaced afterwards): every rendering
 * whose JSON differs from the last one judged is judged again by every check registered on it,
 * and a failing rendering throws cdk8s's validation error instead of being written. The wrapper
 * returns a copy of exactly the JSON that was judged.
 *
 * @returns what `judge` finds wrong with the object as it renders now, or why it cannot be read
 */
export function renderJudged(o: ApiObject, judge: RenderJudge): { readonly messages?: string[]; readonly problem?: string } {
  const state = judgedState(o);
  if (typeof state === 'string') return { problem: state };
  if (!state.judges.includes(judge)) state.judges.push(judge);
  const text = renderText(state);
  if (typeof text !== 'string') return { problem: text.error };
  const messages = judge(o, JSON.parse(text));
  // only a rendering that passed may be written without being judged again
  if (messages.length === 0) state.judged = text;
  return { messages };
}

/** The renderer of `o`, unwrapped (the whole-app checks render without judging). */
export function renderUnjudged(o: ApiObject): any {
  const state = (o as unknown as { [JUDGED]?: JudgedRenders })[JUDGED];
  return state ? state.original() : o.toJson();
}

function renderText(state: JudgedRenders): string | { error: string } {
  let text: string | undefined;
  try {
    text = JSON.stringify(state.original());
  } catch (e) {
    return { error: `it cannot be rendered: ${(e as Error)?.message}` };
  }
  return text ?? 'null';
}

function judgedState(o: ApiObject): JudgedRenders | string {
  const holder = o as unknown as { [JUDGED]?: JudgedRenders; toJson: () => any };
  const existing = holder[JUDGED];
  if (existing) return existing;
  const own = Object.getOwnPropertyDescriptor(o, 'toJson');
  if (own && !own.configurable) return 'its toJson() cannot be observed (a non-configurable own property), so what it writes cannot be checked';
  const render = holder.toJson;
  if (typeof render !== 'function') return 'it has no toJson()';
  const state: JudgedRenders = { original: () => render.call(o), judges: [] };
  Object.defineProperty(o, JUDGED, { value: state, enumerable: false, writable: false, configurable: false });
  Object.defineProperty(o, 'toJson', {
    value: function toJson(this: ApiObject): any {
      if (state.judges.length === 0) return state.original();
      const text = renderText(state);
      if (typeof text !== 'string') throw new Error(`Failed serializing construct at path '${o.node.path}': ${text.error}`);
      if (text !== state.judged) {
        const rendered = JSON.parse(text);
        const messages = state.judges.flatMap(j => j(o, rendered));
        if (messages.length > 0) {
          throw new Error(`Validation failed with the following errors:\n  ${messages.map(m => `[${o.node.path}] ${m} (seen when the object was rendered `
            + 'to be written: it rendered differently when it was checked)').join('\n  ')}`);
        }
        state.judged = text;
      }
      return JSON.parse(text);
    },
    enumerable: false,
    writable: false,
    configurable: false,
  });
  return state;
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

interface Memo {
  readonly fingerprint?: Fingerprint;
  readonly value: unknown;
  /** The synthesis during which the walk before `value` found the tree inert (-1: none), and the epoch then. */
  readonly stableSession: number;
  readonly epoch: number;
}

const memos = new WeakMap<object, Memo>();

/** How many times whole-app checks have walked a tree (for tests). */
let walks = 0;

/** How many times the whole-app checks of this copy have walked a tree so far (for tests). */
export function treeWalks(): number {
  return walks;
}

/**
 * The value of `compute` for `root`'s tree, computed again whenever what it reads may have
 * changed since the last call with the same `key` (see above).
 */
export function memoizeForTree<T>(key: object, root: IConstruct, compute: () => T, options: MemoOptions = {}): T {
  const tree = watchSynthesis(root);
  const memo = memos.get(key);
  if (memo && memo.stableSession === tree.session && memo.epoch === epoch && isStable(tree)) return memo.value as T;
  let fingerprint: Fingerprint | undefined;
  if (isStable(tree) && options.trustTracked === true) {
    // another check's walk found the tree inert during this synthesis, and nothing has changed since:
    // this check's own walk would find the same, and render nothing
    fingerprint = fingerprintFrom(tree.inertWalk!, options, []);
  } else {
    const walk = fingerprintOf(root, options);
    if (walk.inert && tree.depth > 0) {
      tree.stableSession = tree.session;
      tree.stableEpoch = epoch;
      tree.inertWalk = walk.walk;
    }
    fingerprint = walk.fingerprint;
  }
  if (memo && fingerprint !== undefined && memo.fingerprint !== undefined && sameFingerprint(memo.fingerprint, fingerprint)) {
    memos.set(key, { ...memo, stableSession: isStable(tree) ? tree.session : -1, epoch });
    return memo.value as T;
  }
  const value = compute();
  memos.set(key, { fingerprint, value, stableSession: isStable(tree) ? tree.session : -1, epoch });
  return value;
}

/**
 * Everything the memo depends on (`undefined` when it cannot be known: then nothing is
 * memoized), and whether the tree is inert (see above). The constructs are summed by serial
 * number: constructs are only ever added with a new serial or removed, so the count and the
 * sum together change with every change to the tree.
 */
function fingerprintOf(root: IConstruct, options: MemoOptions): WalkResult {
  walks++;
  const reads = options.reads ?? (() => true);
  const trustTracked = options.trustTracked === true;
  let inert = hasDefaultSynthesis(root);
  let count = 0;
  let serialSum = 0;
  let patchSum = 0;
  let metadataSum = 0;
  const rendered: string[] = [];
  const apiObjects: ApiObject[] = [];
  // children are pushed last first, so that constructs are visited in the order of `node.findAll()`
  const stack: IConstruct[] = [root];
  while (stack.length > 0) {
    const c = stack.pop()!;
    count++;
    serialSum += serialOf(c);
    metadataSum += metadataCount(c);
    if (inert && !ownValidationsOnly(c)) inert = false;
    if (ApiObject.isApiObject(c)) {
      const patches = patchCount(c);
      if (patches === undefined) return { inert: false };
      patchSum += patches;
      const trusted = patches === 0 && isTrusted(c);
      if (!trusted) inert = false;
      if (!(trustTracked && trusted) && (patches > 0 || reads(c) || isTampered(c))) rendered.push(renderedText(c));
      apiObjects.push(c);
    } else if (inert && Chart.isChart(c) && c.toJson !== Chart.prototype.toJson) {
      inert = false;
    }
    pushChildren(c.node, stack);
  }
  const walk: TreeWalk = { count, serialSum, patchSum, metadataSum, apiObjects };
  return { fingerprint: fingerprintFrom(walk, options, rendered), inert, walk };
}

/** The fingerprint of a walk for a check with `options`, given what it rendered. */
function fingerprintFrom(walk: TreeWalk, options: MemoOptions, rendered: string[]): Fingerprint {
  const metadataSum = options.readsMetadata ?? true ? walk.metadataSum : 0;
  return { scalars: [epoch, walk.count, walk.serialSum, walk.patchSum, metadataSum], rendered };
}

/**
 * The API objects of `root`'s tree, in the order of `node.findAll()`, for a whole-app check (call
 * it from the `compute` of `memoizeForTree`), and whether every one is trusted (`isTrusted`). While
 * the app synthesizes and the tree is stable, they are those of the walk that found it inert (all
 * trusted, and nothing has changed since); otherwise the tree is walked.
 */
export function apiObjectsOf(root: IConstruct): { readonly objects: readonly ApiObject[]; readonly allTrusted: boolean } {
  const tree = TREES.get(root);
  if (tree !== undefined && isStable(tree)) return { objects: tree.inertWalk!.apiObjects, allTrusted: true };
  return { objects: root.node.findAll().filter(ApiObject.isApiObject), allTrusted: false };
}

/** What `fingerprintOf` found (no fingerprint and no walk when an object's patches cannot be counted). */
interface WalkResult {
  readonly fingerprint?: Fingerprint;
  readonly inert: boolean;
  readonly walk?: TreeWalk;
}

/** Whether the root is a plain cdk8s `App` with the default resolvers only (no user code renders with them). */
function hasDefaultSynthesis(root: IConstruct): boolean {
  if (Object.getPrototypeOf(root) !== App.prototype) return false;
  const resolvers = (root as App).resolvers;
  return Array.isArray(resolvers) && resolvers.length === 3 && resolvers[0] instanceof LazyResolver
    && resolvers[1] instanceof ImplicitTokenResolver && resolvers[2] instanceof NumberStringUnionResolver;
}

/** Whether every validation of `c` is one of this copy of the library (constructs keeps them in a private array). */
function ownValidationsOnly(c: IConstruct): boolean {
  const validations = (c.node as unknown as { _validations?: unknown })._validations;
  if (!Array.isArray(validations)) return false;
  for (const v of validations) {
    if (!OWN_VALIDATIONS.has(v)) return false;
  }
  return true;
}

/** How many metadata entries `c` has, without the copy `node.metadata` makes. */
function metadataCount(c: IConstruct): number {
  const metadata = (c.node as unknown as { _metadata?: unknown })._metadata;
  return Array.isArray(metadata) ? metadata.length : c.node.metadata.length;
}

/** Pushes the children of `node`, last first, from constructs' own map when it has one (no copy of the list). */
function pushChildren(node: IConstruct['node'], stack: IConstruct[]): void {
  const children = (node as unknown as { _children?: unknown })._children;
  if (children !== null && typeof children === 'object' && !(children instanceof Map)) {
    const ids = Object.keys(children);
    for (let i = ids.length - 1; i >= 0; i--) stack.push((children as { [id: string]: IConstruct })[ids[i]]);
    return;
  }
  const list = node.children;
  for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]);
}

/** The object as it renders (an error while rendering is part of what it renders). */
function renderedText(o: ApiObject): string {
  try {
    return JSON.stringify(renderUnjudged(o));
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
