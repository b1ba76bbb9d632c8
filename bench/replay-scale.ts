/**
 * `netpol replay` at scale (issue 24, performance): one million observed flows in Hubble's
 * `hubble observe -o json` form replayed against the 10,002-pod organisation of
 * bench/analysis.ts (1,000 team namespaces, pods with IPs), at 250k, 500k and 1M flows to show
 * that the time grows linearly with the flows. Each size runs in a fresh process (time and peak
 * RSS of that process: reading the manifests' objects into a model, streaming and aggregating
 * the flows, matching and evaluating them, "allowed but never seen", the text report).
 *
 * Run: `npm run bench -- --only replay-scale [--flows 250000,500000,1000000]`;
 * results in bench/results/replay-scale.{json,md}. Target: 1M flows under 30 s and 1 GiB.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { organisationObjects } from './analysis';
import { ClusterModel, FlowReplay, ObservedFlows } from '../src';
import { namespaceNames } from './workload/spec';

const NAMESPACES = 1000;

/** The `i`-th flow of the generated recording, as a `hubble observe -o json` line. */
export function hubbleLine(i: number, namespaces: readonly string[]): string {
  const ns = namespaces[i % namespaces.length];
  const kind = Math.floor(i / namespaces.length) % 10;
  const pod = (name: string, app: Record<string, string>) => ({
    namespace: ns,
    pod_name: name,
    labels: [`k8s:io.kubernetes.pod.namespace=${ns}`, ...Object.entries(app).map(([k, v]) => `k8s:${k}=${v}`)],
    workloads: [],
  });
  const frontend = pod(`frontend-${i % 4}`, { app: 'shop', tier: 'frontend' });
  const backend = pod(`backend-${i % 3}`, { app: 'shop', tier: 'backend' });
  const database = pod(`database-${i % 2}`, { app: 'shop', tier: 'database' });
  const batch = pod('batch-0', { app: 'batch' });
  const dns = { namespace: 'kube-system', pod_name: 'coredns', labels: ['k8s:k8s-app=kube-dns'] };
  const world = { labels: ['reserved:world'] };
  let source: any = frontend;
  let destination: any = backend;
  let l4: any = { TCP: { source_port: 30000 + (i % 30000), destination_port: 9000 } };
  let extra: any = {};
  let ip: any = { source: '10.200.0.1', destination: '10.200.0.2' };
  switch (kind) {
    case 1: case 2: source = backend; destination = database; l4 = { TCP: { source_port: 40000, destination_port: 5432 } }; break;
    case 3: case 4: destination = dns; l4 = { UDP: { source_port: 50000, destination_port: 53 } }; break;
    case 5: source = batch; destination = backend; break; // denied: backend's ingress admits only the frontend
    case 6: destination = world; ip = { source: '10.200.0.1', destination: '93.184.216.34' }; l4 = { TCP: { source_port: 41000, destination_port: 443 } }; break;
    case 7: // a reply: skipped
      source = backend; destination = frontend; extra = { is_reply: true };
      l4 = { TCP: { source_port: 9000, destination_port: 30000 + (i % 30000) } };
      break;
    default: break;
  }
  return JSON.stringify({
    flow: {
      time: '2026-12-07T12:00:00.000000000Z',
      verdict: kind === 5 ? 'DROPPED' : 'FORWARDED',
      IP: { ...ip, ipVersion: 'IPv4' },
      l4,
      source,
      destination,
      Type: 'L3_L4',
      node_name: 'node-1',
      traffic_direction: 'EGRESS',
      ...extra,
      Summary: 'TCP Flags: SYN',
    },
    node_name: 'node-1',
    time: '2026-12-07T12:00:00.000000000Z',
  });
}

/** Writes `n` flows to `file`, streamed. */
function writeFlows(file: string, n: number): void {
  const namespaces = namespaceNames(NAMESPACES);
  const fd = fs.openSync(file, 'w');
  let batch: string[] = [];
  for (let i = 0; i < n; i++) {
    batch.push(hubbleLine(i, namespaces));
    if (batch.length === 10000) {
      fs.writeSync(fd, batch.join('\n') + '\n');
      batch = [];
    }
  }
  if (batch.length > 0) fs.writeSync(fd, batch.join('\n') + '\n');
  fs.closeSync(fd);
}

/** In the worker process: one measured replay. */
async function worker(file: string): Promise<void> {
  const objects = organisationObjects(NAMESPACES, true);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const model = ClusterModel.fromObjects(objects);
  const t1 = process.hrtime.bigint();
  const observed = await ObservedFlows.fromFiles([file]);
  const t2 = process.hrtime.bigint();
  const report = FlowReplay.replay(model, observed);
  const text = report.toText();
  const t3 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  process.stdout.write(JSON.stringify({
    pods: model.endpoints.length,
    lines: observed.lines,
    distinct: observed.flows.length,
    observations: observed.observations,
    brokenNow: report.brokenNow.length,
    unmatched: report.unmatched.length,
    neverSeen: report.neverSeen.length,
    skipped: report.skipped.reduce((n, s) => n + s.count, 0),
    problems: report.problemCount,
    modelMs: ms(t0, t1),
    readMs: ms(t1, t2),
    replayMs: ms(t2, t3),
    totalMs: ms(t0, t3),
    cpuMs: (cpu.user + cpu.system) / 1000,
    textBytes: text.length,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n');
}

/** Runs the replay-scale benchmark (`--flows a,b,c`) and writes bench/results/replay-scale.{json,md}. */
export function runReplayScale(argv: string[]): void {
  const at = argv.indexOf('--flows');
  const sizes = at >= 0 ? argv[at + 1].split(',').map(Number) : [250000, 500000, 1000000];
  const load = os.loadavg().map(l => l.toFixed(2)).join(', ');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-replay-scale-'));
  const rows: any[] = [];
  try {
    for (const n of sizes) {
      const file = path.join(work, `hubble-${n}.json`);
      writeFlows(file, n);
      const bytes = fs.statSync(file).size;
      const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, '--worker', file],
        { encoding: 'utf8', timeout: 600000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.dev.json' } });
      if (result.status !== 0) throw new Error(`worker failed (${result.status ?? result.signal}): ${result.stderr}`);
      const row = { flows: n, fileMb: Math.round(bytes / 1024 / 1024), ...JSON.parse(result.stdout.trim().split('\n').pop()!) };
      process.stderr.write(JSON.stringify(row) + '\n');
      rows.push(row);
      fs.rmSync(file);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const f = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus()[0]?.model ?? 'unknown'} (${os.cpus().length} cores), Node ${process.version}; `
    + `one run per size, each in a fresh process (ts-node, whose memory is in the peak RSS); load average at start: ${load}.`,
    '',
    '`FlowReplay.replay()` of generated `hubble observe -o json` flows against the 1,000-namespace organisation (10,002 pods with IPs): '
    + 'model, streamed read and aggregation, matching and evaluation, allowed but never seen, text report.',
    '',
    '| Flows (lines) | File | Distinct flows | Model | Read | Replay + text | Total | CPU time | Peak RSS | Denied groups | Skipped | Never seen |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(r => `| ${f(r.flows)} | ${f(r.fileMb)} MiB | ${f(r.distinct)} | ${f(r.modelMs)} ms | ${f(r.readMs)} ms | ${f(r.replayMs)} ms | `
      + `${f(r.totalMs)} ms | ${f(r.cpuMs)} ms | ${f(r.maxRssMb)} MiB | ${f(r.brokenNow)} | ${f(r.skipped)} | ${f(r.neverSeen)} |`),
    '',
    `Growth of the CPU time per flow from one size to the next (linear: about 1): ${rows.slice(1).map((r, i) => `${f(rows[i].flows)}→${f(r.flows)} `
      + `${((r.cpuMs / r.flows) / (rows[i].cpuMs / rows[i].flows)).toFixed(2)}`).join('; ')}. `
    + 'On a shared machine the wall time is the CPU time stretched by the other processes; the CPU time is what the run costs.',
    'Target (issue 24): 1,000,000 flows under 30 s and 1 GiB.',
  ];
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'replay-scale.json'), JSON.stringify({ load, rows }, undefined, 2) + '\n');
  fs.writeFileSync(path.join(__dirname, 'results', 'replay-scale.md'), lines.join('\n') + '\n');
  process.stdout.write(lines.join('\n') + '\n');
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--worker') void worker(argv[1]);
  else runReplayScale(argv);
}
