import { createHash } from 'crypto';
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BoundedCache } from './bounded-cache';
import { addWholeAppValidation, apiObjectsOf, isAttached, isTampered, memoizeForTree, patchCount } from './synth-memo';

/** Construct ids that never show in a derived name (the conventional ids of a default child). */
const HIDDEN_IDS = new Set(['Default', 'Resource']);

/** The longest derived name; readable, and well under the 253 characters a name may have. */
const MAX_NAME = 63;

/**
 * Names taken per app: `namespace/name` → the construct, in a `Map` kept on the root construct
 * under a key every copy of this library in the process shares (`Symbol.for`), so that two
 * copies (npm link, monorepos) see each other's names.
 */
const NAMES = Symbol.for('cdk8s-netpol.names');

/** The path the construct `id` will have once created in `scope`. */
export function childPath(scope: IConstruct, id: string): string {
  return scope.node.path ? `${scope.node.path}/${id}` : id;
}

/**
 * A readable, deterministic `metadata.name` for the construct `id` about to be created in
 * `scope`: its path below its chart, kebab-cased (`Shop/DefaultDeny` → `shop-default-deny`).
 * A short hash of the full path is added only when needed: when the name would be too long,
 * or is already taken in the same namespace by another construct of the same app.
 */
export function deriveName(scope: IConstruct, id: string, namespace: string): string {
  const chart = Chart.of(scope);
  let name = shown(id);
  for (let s: IConstruct | undefined = scope; s !== undefined && s !== chart; s = s.node.scope) {
    const part = shown(s.node.id);
    if (part) name = name ? `${part}-${name}` : part;
  }
  if (name.length === 0) name = kebab(chart.node.id) || 'network-policy';
  if (name.length > MAX_NAME) name = `${name.slice(0, MAX_NAME - 9).replace(/[-.]+$/, '')}-${hash(childPath(scope, id))}`;
  if (isTaken(rootOf(scope), namespace, name)) name = `${name.slice(0, MAX_NAME - 9).replace(/[-.]+$/, '')}-${hash(childPath(scope, id))}`;
  return name;
}

/**
 * Records that `namespace/name` belongs to `scope`. Throws when another construct of the same
 * app already has it: two policies with one name would silently replace each other on apply.
 */
export function claimName(scope: IConstruct, namespace: string, name: string): void {
  const root = rootOf(scope);
  const names = registry(root);
  const key = `${namespace}/${name}`;
  const owner = names.get(key);
  // a construct removed from the tree (node.tryRemoveChild) no longer holds its name
  if (owner !== undefined && owner !== scope && isAttached(owner)) {
    throw new Error(
      `[${scope.node.path}] metadata.name ${JSON.stringify(name)} is already used in namespace ${JSON.stringify(namespace)} by '${owner.node.path}': `
      + 'two NetworkPolicies with one name replace each other when applied; give one of them another `name`',
    );
  }
  names.set(key, scope);
  registerUniquenessCheck(scope, root);
}

/** Whether another construct of the app under `root` has the name. */
function isTaken(root: IConstruct, namespace: string, name: string): boolean {
  const owner = registry(root).get(`${namespace}/${name}`);
  return owner !== undefined && isAttached(owner);
}

/** The root of `c`'s tree, walking up (`node.root` builds the list of every scope on the way). */
function rootOf(c: IConstruct): IConstruct {
  let root = c;
  for (let s = c.node.scope; s !== undefined; s = s.node.scope) root = s;
  return root;
}

function registry(root: IConstruct): Map<string, IConstruct> {
  const holder = root as unknown as { [NAMES]?: unknown };
  const names = holder[NAMES];
  if (names instanceof Map) return names;
  const created = new Map<string, IConstruct>();
  Object.defineProperty(holder, NAMES, { value: created, enumerable: false });
  return created;
}

/**
 * The apps whose names are checked as they render (this copy of the library): the check at
 * construction (`claimName`) gives the early, precise error; this one sees what it cannot: JSON
 * patches, raw NetworkPolicy objects, constructs removed and added, and the objects of another
 * copy of the library. The first claimant of a name hosts it (see `addWholeAppValidation`).
 */
const checked = new WeakSet<IConstruct>();

function registerUniquenessCheck(scope: IConstruct, root: IConstruct): void {
  if (checked.has(root)) return;
  checked.add(root);
  const key = {};
  addWholeAppValidation(scope, () => memoizeForTree(key, root, () => duplicateNames(root), UNIQUENESS_MEMO));
}

/** The check reads the names and namespaces of NetworkPolicies (and what a JSON patch makes of any object). */
const UNIQUENESS_MEMO = { reads: (o: ApiObject) => o.kind === 'NetworkPolicy', trustTracked: true, readsMetadata: false };

/** A message for every `namespace/name` that two NetworkPolicies of the app share, as they render. */
function duplicateNames(root: IConstruct): string[] {
  const owners = new Map<string, IConstruct[]>();
  const { objects, allTrusted } = apiObjectsOf(root);
  for (const c of objects) {
    let kind: unknown = c.kind;
    let apiVersion: unknown = c.apiVersion;
    let name: unknown = c.name;
    let namespace: unknown = c.metadata.namespace;
    if (!allTrusted && (patchCount(c) !== 0 || isTampered(c))) {
      const rendered = c.toJson();
      ({ kind, apiVersion } = rendered ?? {});
      name = rendered?.metadata?.name;
      namespace = rendered?.metadata?.namespace;
    }
    if (kind !== 'NetworkPolicy' || apiVersion !== 'networking.k8s.io/v1') continue;
    const key = `${namespace ?? ''}/${name}`;
    const list = owners.get(key);
    if (list === undefined) owners.set(key, [c]);
    else list.push(c);
  }
  const messages: string[] = [];
  for (const [key, list] of owners) {
    if (list.length < 2) continue;
    const [namespace, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    messages.push(`metadata.name ${JSON.stringify(name)} is used in namespace ${JSON.stringify(namespace)} by ${list.map(c => `'${c.node.path}'`).join(' and ')}: `
      + 'two NetworkPolicies with one name replace each other when applied; give all but one of them another `name`');
  }
  return messages;
}

/** The kebab-cased id as it shows in a derived name ('' for hidden ids). */
function shown(id: string): string {
  return HIDDEN_IDS.has(id) ? '' : kebab(id);
}

/** Construct ids repeat (`DefaultDeny` in every namespace): each is kebab-cased once. */
const KEBAB = new BoundedCache<string, string>();

/** `DefaultDeny` → `default-deny`, `allow_DNS` → `allow-dns`; only DNS-1123 characters survive. */
export function kebab(id: string): string {
  return KEBAB.get(id, toKebab);
}

function toKebab(id: string): string {
  return id
    // a number of two or more digits after a word is a word of its own (`ApiAllow5000` ->
    // `api-allow-5000`); one digit stays with its word (`Ipv4`, `K8s`, `Http2`)
    .replace(/([A-Za-z])([0-9]{2,})(?![a-z])/g, '$1-$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
