import { createHash } from 'crypto';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BoundedCache } from './bounded-cache';

/** Construct ids that never show in a derived name (the conventional ids of a default child). */
const HIDDEN_IDS = new Set(['Default', 'Resource']);

/** The longest derived name; readable, and well under the 253 characters a name may have. */
const MAX_NAME = 63;

/** Names taken per app (root construct): `namespace/name` → the construct. */
const taken = new WeakMap<IConstruct, Map<string, IConstruct>>();

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
  if (isTaken(scope, namespace, name)) name = `${name.slice(0, MAX_NAME - 9).replace(/[-.]+$/, '')}-${hash(childPath(scope, id))}`;
  return name;
}

/**
 * Records that `namespace/name` belongs to `scope`. Throws when another construct of the same
 * app already has it: two policies with one name would silently replace each other on apply.
 */
export function claimName(scope: IConstruct, namespace: string, name: string): void {
  const names = registry(scope);
  const key = `${namespace}/${name}`;
  const owner = names.get(key);
  if (owner !== undefined && owner !== scope) {
    throw new Error(
      `[${scope.node.path}] metadata.name ${JSON.stringify(name)} is already used in namespace ${JSON.stringify(namespace)} by '${owner.node.path}': `
      + 'two NetworkPolicies with one name replace each other when applied; give one of them another `name`',
    );
  }
  names.set(key, scope);
}

/** Whether another construct has the name (the construct `id` in `scope` does not exist yet). */
function isTaken(scope: IConstruct, namespace: string, name: string): boolean {
  return registry(scope).has(`${namespace}/${name}`);
}

function registry(scope: IConstruct): Map<string, IConstruct> {
  const root = scope.node.root;
  let names = taken.get(root);
  if (!names) {
    names = new Map();
    taken.set(root, names);
  }
  return names;
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
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
