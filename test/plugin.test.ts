import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ValidationContext } from 'cdk8s-cli/plugins';
import * as ts from 'typescript';
import { NetpolLintPlugin } from '../src';
import { buildBrokenApp } from './fixtures/lint/broken-app';

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'src');
// cdk8s-cli exports only `cdk8s-cli/plugins`; its loader is reached by file, as the CLI itself runs it
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationPlugin } = require(path.join(ROOT, 'node_modules/cdk8s-cli/lib/plugins/validation.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PluginManager } = require(path.join(ROOT, 'node_modules/cdk8s-cli/lib/plugins/_manager.js'));

/**
 * The modules loaded with a source file: the requires at the top level of what the compiler emits
 * (imports used only as types are erased; a require inside a function, as appCharts's of cdk8s,
 * runs only when it is called), followed through `src/`.
 */
function runtimeClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
      fileName: file,
    }).outputText;
    for (const m of js.matchAll(/^\S.*?\brequire\(["']([^"']+)["']\)/gm)) {
      const spec = m[1];
      if (!spec.startsWith('.')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        continue;
      }
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find(f => fs.existsSync(f));
      if (!target) throw new Error(`${path.relative(ROOT, file)} requires ${spec}, which does not resolve`);
      pending.push(target);
    }
  }
  return { files, packages };
}

let dir: string;
let manifest: string;
let metadata: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-plugin-entry-'));
  const outdir = path.join(dir, 'dist');
  buildBrokenApp({ outdir, recordConstructMetadata: true }).synth();
  manifest = path.join(outdir, 'broken.k8s.yaml');
  metadata = path.join(outdir, 'construct-metadata.json');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Loads the plugin as `cdk8s synth` does for a `package` path, runs it, and returns its report. */
async function reportOf(pkg: string): Promise<{ plugin: unknown; json: any; text: string }> {
  const { plugin, context } = ValidationPlugin.load(
    { package: pkg, version: '0.0.0', class: 'NetpolLintPlugin' },
    { manifests: [manifest], constructMetadata: metadata },
    false,
    new PluginManager(path.join(dir, 'plugins')),
  ) as { plugin: NetpolLintPlugin; context: ValidationContext };
  await plugin.validate(context as any);
  const json = context.report.toJson();
  const text = context.report.toString();
  // the title and the summary name the package path, which differs between the two entries
  return { plugin, json: { ...json, title: undefined, summary: { ...json.summary, plugin: undefined } }, text: text.slice(text.indexOf('(Violations)')) };
}

describe('plugin entry | lib/plugin.js, the validation plugin without the rest of the library', () => {
  test('cdk8s synth loads it from a file path, and it reports exactly what the package entry reports', async () => {
    const light = await reportOf(path.join(SRC, 'plugin.ts'));
    const full = await reportOf(SRC);
    expect(light.plugin).toBeInstanceOf(NetpolLintPlugin);
    expect(light.json.summary.status).toBe('failure');
    expect(light.json.violations.length).toBeGreaterThan(5);
    expect(light.json).toEqual(full.json);
    expect(light.text).toContain('NP003 egress-without-dns (error)');
    expect(light.text).toEqual(full.text);
  });

  test('loads neither cdk8s nor the library\'s constructs (Policy, the patterns)', () => {
    const { files, packages } = runtimeClosure(path.join(SRC, 'plugin.ts'));
    const parts = new Set([...files].map(f => path.relative(SRC, f).split(path.sep)[0].replace(/\.ts$/, '')));
    expect(files.has(path.join(SRC, 'lint', 'validation-plugin.ts'))).toBe(true);
    expect(files.has(path.join(SRC, 'io', 'manifest-loader.ts'))).toBe(true);
    expect([...packages].filter(p => p === 'cdk8s' || p === 'cdk8s-plus-28')).toEqual([]);
    expect([...parts].filter(p => ['index', 'patterns', 'policy', 'cluster-policy', 'synthesis', 'testing', 'cli'].includes(p))).toEqual([]);
  });

  test('the closure check sees what the whole library loads (it can fail)', () => {
    const { packages, files } = runtimeClosure(path.join(SRC, 'index.ts'));
    expect(packages.has('cdk8s')).toBe(true);
    expect(files.has(path.join(SRC, 'policy.ts'))).toBe(true);
  });
});
