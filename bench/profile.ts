/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): self time by function and by file, and total
 * (inclusive) time of the functions whose name matches a pattern.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof <build>/bench/worker.js synth netpol chart-per-namespace 300 app
 *   npx ts-node --transpile-only bench/profile.ts /tmp/prof/<file>.cpuprofile [top=25] [pattern]
 */
import * as fs from 'fs';
import * as path from 'path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: { name: string; selfMs: number }[];
  readonly byFile: { file: string; selfMs: number }[];
  readonly inclusive: { name: string; totalMs: number }[];
}

export function summarizeProfile(profile: Profile, pattern?: RegExp): ProfileSummary {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    totalMs += ms;
    fn.set(label(n), (fn.get(label(n)) ?? 0) + ms);
    const f = shortUrl(n.callFrame.url) || n.callFrame.functionName;
    file.set(f, (file.get(f) ?? 0) + ms);
    if (pattern) {
      // Charge the sample once to every distinct matching function on its stack.
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const node = byId.get(cur)!;
        const name = label(node);
        if (pattern.test(name) && !seen.has(name)) {
          seen.add(name);
          inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
        }
      }
    }
  }
  const sorted = <T>(m: Map<string, number>, make: (k: string, v: number) => T) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => make(k, v));
  return {
    totalMs,
    byFunction: sorted(fn, (name, selfMs) => ({ name, selfMs })),
    byFile: sorted(file, (f, selfMs) => ({ file: f, selfMs })),
    inclusive: sorted(inclusive, (name, totalMs2) => ({ name, totalMs: totalMs2 })),
  };
}

function shortUrl(url: string): string {
  const i = url.indexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const m = url.match(/\/(src|bench)\/.*$/);
  return m ? m[0].slice(1) : path.basename(url);
}

if (require.main === module) {
  const [file, top = '25', pattern] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: profile.ts <file.cpuprofile> [top] [inclusive-pattern]\n');
    process.exit(2);
  }
  const summary = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')), pattern ? new RegExp(pattern) : undefined);
  const n = Number(top);
  const pct = (ms: number) => `${ms.toFixed(0).padStart(7)} ms ${(100 * ms / summary.totalMs).toFixed(1).padStart(5)}%`;
  console.log(`total ${summary.totalMs.toFixed(0)} ms\n\nself time by file:`);
  for (const f of summary.byFile.slice(0, n)) console.log(`${pct(f.selfMs)}  ${f.file}`);
  console.log('\nself time by function:');
  for (const f of summary.byFunction.slice(0, n)) console.log(`${pct(f.selfMs)}  ${f.name}`);
  if (pattern) {
    console.log(`\ninclusive time of functions matching /${pattern}/:`);
    for (const f of summary.inclusive.slice(0, n)) console.log(`${pct(f.totalMs)}  ${f.name}`);
  }
}
