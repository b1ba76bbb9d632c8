/**
 * The construct paths of synthesized objects, from the `construct-metadata.json` cdk8s writes
 * next to the manifests when it records construct metadata (`cdk8s synth` with validation
 * plugins, `CDK8S_RECORD_CONSTRUCT_METADATA=true`, or `Synthesis.synth` of such an app):
 * `{ "version": "1.0.0", "resources": { "<metadata.name>": { "path": "<construct path>" } } }`.
 *
 * cdk8s records only the path (no source file or line), so findings on manifests gain the
 * construct path and nothing more.
 */
import * as fs from 'fs';
import * as path from 'path';

export const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';

/**
 * A lookup of construct paths for objects read from `files`: by the directory of the file and
 * the object's `metadata.name`. The path is the construct that owns the object when the object
 * has the conventional id `Resource` (as for objects linted in-app). Unreadable or unknown
 * metadata files are ignored: the construct path is an extra, never a reason to fail.
 */
export function constructPathLookup(files: readonly string[]): (file: string, manifest: any) => string | undefined {
  const byDir = new Map<string, Map<string, string> | undefined>();
  const forDir = (dir: string) => {
    if (!byDir.has(dir)) byDir.set(dir, read(path.join(dir, CONSTRUCT_METADATA_FILE)));
    return byDir.get(dir);
  };
  for (const f of files) forDir(path.dirname(f));
  return (file, manifest) => {
    const name = manifest?.metadata?.name;
    if (typeof name !== 'string') return undefined;
    return forDir(path.dirname(file))?.get(name);
  };
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
  for (const [name, entry] of Object.entries<any>(json.resources)) {
    if (typeof entry?.path === 'string') out.set(name, entry.path.replace(/\/Resource$/, ''));
  }
  return out;
}
