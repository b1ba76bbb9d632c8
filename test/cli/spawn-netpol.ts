import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Runs the real `netpol` process, for what only a process shows: exit codes, a closed pipe, a
 * full disk, a closed standard input. The sources are transpiled once per test file (type-checking
 * is `tsc`'s job) into node_modules/.cache, where the project's dependencies resolve.
 */
const ROOT = path.join(__dirname, '..', '..');
let built: string | undefined;

function build(): string {
  if (built) return built;
  const out = path.join(ROOT, 'node_modules', '.cache', `netpol-cli-test-${process.pid}`);
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const js = ts.transpileModule(fs.readFileSync(full, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        const target = path.join(out, path.relative(path.join(ROOT, 'src'), full)).replace(/\.ts$/, '.js');
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, js);
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  built = out;
  return out;
}

/** Removes the transpiled sources (call in afterAll). */
export function cleanBuild(): void {
  if (built) fs.rmSync(built, { recursive: true, force: true });
  built = undefined;
}

/** The command that starts the CLI: `node <main.js>`. */
export function netpolCommand(): string[] {
  return [process.execPath, path.join(build(), 'cli', 'main.js')];
}

/** Runs the CLI with the given arguments, stdio and shell redirections handled by the caller. */
export function spawnNetpol(args: string[], options: SpawnSyncOptions = {}): { code: number | null; stdout: string; stderr: string } {
  const [node, main] = netpolCommand();
  const r = spawnSync(node, [main, ...args], { encoding: 'utf8', timeout: 60_000, ...options });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

/** Runs a shell command line in which `NETPOL` stands for the CLI. */
export function shell(script: string, options: SpawnSyncOptions = {}): { code: number | null; stdout: string; stderr: string } {
  const [node, main] = netpolCommand();
  const r = spawnSync('bash', ['-c', `set -o pipefail; NETPOL() { "${node}" "${main}" "$@"; }; ${script}`], { encoding: 'utf8', timeout: 60_000, ...options });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}
