/**
 * The construct paths of synthesized objects, from the `construct-metadata.json` cdk8s writes
 * next to the manifests when it records construct metadata (`cdk8s synth` with validation
 * plugins, `CDK8S_RECORD_CONSTRUCT_METADATA=true`, or `Synthesis.synth` of such an app):
 * `{ "version": "1.0.0", "resources": { "<metadata.name>": { "path": "<construct path>" } } }`.
 *
 * cdk8s keys the resources by `metadata.name` alone, so with names that repeat (the same policy
 * in every namespace, one chart each) the entry is the last object's. `Synthesis.synth` also
 * writes each object under its `constructMetadataKeyOf` (kind, namespace and name, which no name
 * can imitate: a name has no space). A path is given only when it is certainly the object's: by
 * that key, or by a name no other object read from the same directory has.
 *
 * cdk8s records only the path (no source file or line), so findings on manifests gain the
 * construct path and nothing more.
 */
import * as fs from 'fs';
import * as path from 'path';

export const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';

/**
 * The key of an object in `construct-metadata.json` beside its name, from the object as it
 * renders or was read: `NetworkPolicy shop/web` (`Namespace shop` when cluster-scoped);
 * `undefined` when it has no kind or no name.
 */
export function constructMetadataKeyOf(manifest: unknown): string | undefined {
  return identityOf(manifest)?.key;
}

/** One synthesized object, for `writeConstructMetadata`. */
export interface ConstructMetadataEntry {
  /** The object's name as cdk8s keys it (`ApiObject.name`). */
  readonly name: string;
  /** Its construct path. */
  readonly path: string;
  /** Its `constructMetadataKeyOf`, from what it renders; `undefined` when that has no kind or name. */
  readonly key: string | undefined;
}

/**
 * Writes `<outdir>/construct-metadata.json` as cdk8s 2.x's `App.synth()` does when it records
 * construct metadata (`CDK8S_RECORD_CONSTRUCT_METADATA=true`, set by `cdk8s synth` for validation
 * plugins): every object's name mapped to its construct path (the last object's, where names
 * repeat), and also every object's `constructMetadataKeyOf`, which the cdk8s CLI finds when a
 * validation plugin reports it (it ignores the keys it is not asked for). `entries` are in chart
 * and dependency order.
 */
export function writeConstructMetadata(outdir: string, entries: readonly ConstructMetadataEntry[]): void {
  // no prototype: a name such as `__proto__` is a key like any other
  const resources: { [key: string]: { path: string } } = Object.create(null);
  for (const e of entries) resources[e.name] = { path: e.path };
  for (const e of entries) if (e.key !== undefined) resources[e.key] = { path: e.path };
  fs.writeFileSync(path.join(outdir, CONSTRUCT_METADATA_FILE), JSON.stringify({ version: '1.0.0', resources }));
}

/** What `construct-metadata.json` says about one object read from a manifest. */
export interface RecordedConstruct {
  /** The object's construct path, when the metadata names it certainly; `undefined` otherwise. */
  readonly path: string | undefined;
  /**
   * The key by which the cdk8s CLI finds the object's construct path in the metadata (the
   * `resourceName` of a validation plugin's violation): the name where the metadata names the
   * object by it, otherwise the kind, namespace and name (which finds nothing rather than another
   * object's path).
   */
  readonly resourceName: string;
}

/** What `construct-metadata.json` says about an object read from `file`. */
export type ConstructMetadataLookup = (file: string, manifest: unknown) => RecordedConstruct;

interface DirMetadata {
  /** The entries of construct-metadata.json, key to construct path (without a trailing `/Resource`). */
  readonly paths: Map<string, string> | undefined;
  /** How many of the objects read from the directory have each name, and each kind-namespace-name key. */
  readonly counts: Map<string, number>;
}

/**
 * A lookup of construct paths for `objects` (every object read, with its file: the names that
 * repeat among them are not looked up by name). The metadata file is the one in the directory
 * of each object's file. The path is the construct that owns the object when the object has the
 * conventional id `Resource` (as for objects linted in-app). Unreadable or unknown metadata files
 * are ignored: the construct path is an extra, never a reason to fail.
 */
export function constructPathLookup(objects: readonly { readonly file: string; readonly object: unknown }[]): ConstructMetadataLookup {
  const byDir = new Map<string, DirMetadata>();
  const forDir = (dir: string): DirMetadata => {
    let found = byDir.get(dir);
    if (found === undefined) byDir.set(dir, found = { paths: read(path.join(dir, CONSTRUCT_METADATA_FILE)), counts: new Map() });
    return found;
  };
  const count = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const { file, object } of objects) {
    const { counts } = forDir(path.dirname(file));
    const id = identityOf(object);
    if (id === undefined) continue;
    count(counts, `name ${id.name}`);
    count(counts, `key ${id.key}`);
  }
  return (file, manifest) => {
    const id = identityOf(manifest);
    if (id === undefined) {
      const name: unknown = (manifest as any)?.metadata?.name;
      return { path: undefined, resourceName: typeof name === 'string' ? name : '' };
    }
    const { paths, counts } = forDir(path.dirname(file));
    const unique = (key: string) => (counts.get(key) ?? 0) <= 1;
    if (paths?.has(id.key) && unique(`key ${id.key}`)) return { path: paths.get(id.key), resourceName: id.key };
    if (paths?.has(id.name) && unique(`name ${id.name}`)) return { path: paths.get(id.name), resourceName: id.name };
    return { path: undefined, resourceName: unique(`name ${id.name}`) ? id.name : id.key };
  };
}

/** An object's name and its key (see `constructMetadataKeyOf`), read once from the manifest. */
function identityOf(manifest: unknown): { readonly name: string; readonly key: string } | undefined {
  const m = manifest as { kind?: unknown; metadata?: { namespace?: unknown; name?: unknown } } | null | undefined;
  const [kind, namespace, name] = [m?.kind, m?.metadata?.namespace, m?.metadata?.name];
  if (typeof name !== 'string' || name === '' || typeof kind !== 'string') return undefined;
  return { name, key: `${kind} ${typeof namespace === 'string' && namespace !== '' ? `${namespace}/` : ''}${name}` };
}

function read(file: string): Map<string, string> | undefined {
  let json: any;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (json?.version !== '1.0.0' || !json.resources || typeof json.resources !== 'object') return undefined;
  const out = new Map<string, string>();
  for (const [key, entry] of Object.entries<any>(json.resources)) {
    if (typeof entry?.path === 'string') out.set(key, entry.path.replace(/\/Resource$/, ''));
  }
  return out;
}
