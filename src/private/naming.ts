import { createHash } from 'crypto';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Construct ids that never show in a derived name (the conventional ids of a default child). */
const HIDDEN_IDS = new Set(['Default', 'Resource']);

/** The longest derived name; readable, and well under the 253 characters a name may have. */
const MAX_NAME = 63;

/** Names taken per app (root construct): `namespace/name` → construct path. */
const taken = new WeakMap<IConstruct, Map<string, string>>();

/**
 * A readable, deterministic `metadata.name` for a construct: its path below its chart,
 * kebab-cased (`Shop/DefaultDeny` → `shop-default-deny`). A short hash of the full path is
 * added only when needed: when the name would be too long, or is already taken in the same
 * namespace by another construct of the same app.
 */
export function deriveName(scope: IConstruct, namespace: string): string {
  const chart = Chart.of(scope);
  const ids = scope.node.scopes
    .slice(scope.node.scopes.indexOf(chart) + 1)
    .map(s => s.node.id)
    .filter(id => id !== '' && !HIDDEN_IDS.has(id));
  let name = ids.map(kebab).filter(s => s.length > 0).join('-');
  if (name.length === 0) name = kebab(chart.node.id) || 'network-policy';
  if (name.length > MAX_NAME) name = `${name.slice(0, MAX_NAME - 9).replace(/[-.]+$/, '')}-${hash(scope.node.path)}`;
  if (isTaken(scope, namespace, name)) name = `${name.slice(0, MAX_NAME - 9).replace(/[-.]+$/, '')}-${hash(scope.node.path)}`;
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
  if (owner !== undefined && owner !== scope.node.path) {
    throw new Error(
      `[${scope.node.path}] metadata.name ${JSON.stringify(name)} is already used in namespace ${JSON.stringify(namespace)} by '${owner}': `
      + 'two NetworkPolicies with one name replace each other when applied; give one of them another `name`',
    );
  }
  names.set(key, scope.node.path);
}

function isTaken(scope: IConstruct, namespace: string, name: string): boolean {
  const owner = registry(scope).get(`${namespace}/${name}`);
  return owner !== undefined && owner !== scope.node.path;
}

function registry(scope: IConstruct): Map<string, string> {
  const root = scope.node.root;
  let names = taken.get(root);
  if (!names) {
    names = new Map();
    taken.set(root, names);
  }
  return names;
}

/** `DefaultDeny` → `default-deny`, `allow_DNS` → `allow-dns`; only DNS-1123 characters survive. */
export function kebab(id: string): string {
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
