import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/** The repository root (bench/..). */
export const REPO_ROOT = path.resolve(__dirname, '..');

/**
 * Transpiles `src/` and `bench/` to JavaScript in a fresh temporary directory (no type check:
 * `npx tsc --noEmit -p tsconfig.dev.json` does that), with a `node_modules` link to the
 * repository's, so that each measurement's process starts in plain `node` without a TypeScript
 * compiler in memory. Returns the directory; `bench/worker.js` in it is the worker.
 */
export function buildBench(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-netpol-bench-'));
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    experimentalDecorators: true,
    sourceMap: false,
    inlineSourceMap: false,
  };
  for (const dir of ['src', 'bench']) {
    for (const file of listTs(path.join(REPO_ROOT, dir))) {
      const relative = path.relative(REPO_ROOT, file);
      const result = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
      const target = path.join(out, relative.replace(/\.ts$/, '.js'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, result.outputText);
    }
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  return out;
}

/** Removes a directory made by `buildBench()`. */
export function removeBuild(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'results' && entry.name !== 'node_modules') out.push(...listTs(full));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      out.push(full);
    }
  }
  return out;
}
