/**
 * The CLI at scale (issue 12): `netpol lint` and `netpol matrix --format json` over clusters in
 * which every pod is its own shape (2,000 to 20,000 pods, one policy each), and `netpol validate`
 * of a 200 MB file. Each measurement is one fresh process running the command line's `run()`
 * (the real commands, their reading and their output, written to a sink that counts bytes), so
 * the time and the peak memory are the command's.
 *
 *   npm run bench -- --only cli-scale                 # the whole section; writes bench/results/cli-scale.{json,md}
 *   npm run bench -- --only cli-scale --pods 2000,5000 --validate-mb 20 --no-write
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildBench, removeBuild, REPO_ROOT } from './build';
import { loadAverage, machineOf, runBenchScript, writeScaleResults } from './scale-harness';
import { formatNumber, round } from './stats';

/** The sizes measured by default. */
const DEFAULT_PODS = [2000, 5000, 10000, 20000];
const DEFAULT_VALIDATE_MB = 200;

interface CliScaleOptions {
  readonly pods: number[];
  readonly validateMb: number;
  readonly timeout: number;
  readonly write: boolean;
  readonly out: string;
}

const USAGE = `usage: npm run bench -- --only cli-scale [options]
  --pods <list>           pod counts, every pod its own shape (default ${DEFAULT_PODS.join(',')})
  --validate-mb <n>       size of the file netpol validate reads, MB (default ${DEFAULT_VALIDATE_MB}; 0 to skip)
  --timeout <s>           kill a measurement after this long (default 900)
  --write / --no-write    write bench/results/cli-scale.{json,md} (default: yes)
  --out <dir>             where to write (default bench/results)`;

function parseOptions(argv: string[]): CliScaleOptions {
  const opts: any = { pods: DEFAULT_PODS, validateMb: DEFAULT_VALIDATE_MB, timeout: 900, write: true, out: path.join(REPO_ROOT, 'bench', 'results') };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--only': value(); break;
      case '--pods': {
        const v = (value() ?? '').split(',').map(Number);
        if (v.length === 0 || v.some(n => !Number.isInteger(n) || n < 2)) throw new Error('--pods: expected a list of whole numbers, at least 2');
        opts.pods = v;
        break;
      }
      case '--validate-mb': opts.validateMb = Number(value()); break;
      case '--timeout': opts.timeout = Number(value()); break;
      case '--write': opts.write = true; break;
      case '--no-write': opts.write = false; break;
      case '--out': opts.out = path.resolve(value() ?? ''); break;
      case '--help': case '-h': process.stdout.write(USAGE + '\n'); process.exit(0);
      default: throw new Error(`unknown option ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  return opts;
}

/**
 * A cluster of `pods` pods in namespaces of `perNamespace`, every pod its own shape (its own `app`
 * label) and selected by its own policy: ingress from the previous pod of its namespace and egress
 * to the next, TCP 8080; every namespace also has a default deny and a DNS egress policy. As one
 * JSON `List`, so that reading costs little next to the analysis.
 */
export function distinctShapeCluster(pods: number, perNamespace = 100): string {
  const items: any[] = [];
  for (let i = 0; i < pods; i++) {
    const namespace = `team-${Math.floor(i / perNamespace)}`;
    const local = i % perNamespace;
    if (local === 0) {
      // the baseline every namespace has: default deny both ways, and DNS
      items.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      items.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-dns', namespace },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
          }],
        },
      });
    }
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${local}`, namespace, labels: { app: `app-${local}` } },
      spec: { containers: [{ name: 'main', image: 'app', ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
    items.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `app-${local}`, namespace },
      spec: {
        podSelector: { matchLabels: { app: `app-${local}` } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: `app-${(local + perNamespace - 1) % perNamespace}` } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
        egress: [{ to: [{ podSelector: { matchLabels: { app: `app-${(local + 1) % perNamespace}` } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      },
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** Writes a multi-document YAML file of NetworkPolicies, as `cdk8s synth` prints them, of at least `mb` MB. */
export function writeLargeManifest(file: string, mb: number): { bytes: number; policies: number } {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let policies = 0;
  try {
    const target = mb * 1_000_000;
    while (bytes < target) {
      const chunk: string[] = [];
      for (let k = 0; k < 1000; k++, policies++) {
        const ns = `team-${Math.floor(policies / 8)}`;
        chunk.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: tier-${policies % 8}
  namespace: ${ns}
spec:
  egress:
    - ports:
        - port: 9000
          protocol: TCP
      to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: backend-${policies % 8}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      ports:
        - port: 8080
          protocol: TCP
  podSelector:
    matchLabels:
      app.kubernetes.io/name: frontend-${policies % 8}
  policyTypes:
    - Ingress
    - Egress
`);
      }
      const text = (bytes === 0 ? '' : '---\n') + chunk.join('---\n');
      fs.writeSync(fd, text);
      bytes += Buffer.byteLength(text);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { bytes, policies };
}

function log(text: string): void {
  process.stderr.write(text + '\n');
}

interface Row {
  readonly command: string;
  readonly pods: number;
  readonly policies: number;
  readonly ms?: number;
  readonly maxRssMb?: number;
  readonly code?: number;
  readonly stdoutBytes?: number;
  readonly stderr?: string;
  readonly failed?: string;
}

/** Runs the CLI-scale section and returns its results; writes them unless `--no-write`. */
export function runCliScale(argv: string[]): void {
  const opts = parseOptions(argv);
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const buildDir = buildBench();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cli-scale-'));
  const rows: Row[] = [];
  let validate: any;
  try {
    for (const pods of opts.pods) {
      const file = path.join(work, `distinct-${pods}.json`);
      fs.writeFileSync(file, distinctShapeCluster(pods));
      const commands = [['lint', ['lint', file]], ['matrix --format json', ['matrix', file, '--port', '8080', '--format', 'json']]] as const;
      for (const [command, args] of commands) {
        const r = runBenchScript(buildDir, 'worker', ['cli', ...args], opts.timeout);
        const measured = r.ms !== undefined ? { ms: round(r.ms, 0), maxRssMb: round(r.maxRssMb, 0) } : {};
        const row: Row = { command, pods, policies: pods + 2 * Math.ceil(pods / 100), ...r, ...measured };
        rows.push(row);
        log(`netpol ${command}, ${formatNumber(pods)} distinct pods: ${row.failed ?? `exit ${row.code}, ${formatNumber(row.ms!)} ms, peak RSS ${formatNumber(row.maxRssMb!)} MiB, `
          + `${formatNumber(row.stdoutBytes!)} bytes out${row.stderr ? `; stderr: ${row.stderr.split('\n')[0].slice(0, 160)}` : ''}`}`);
      }
      fs.rmSync(file);
    }
    if (opts.validateMb > 0) {
      const file = path.join(work, 'large.yaml');
      const made = writeLargeManifest(file, opts.validateMb);
      const r = runBenchScript(buildDir, 'worker', ['cli', 'validate', '--quiet', file], opts.timeout);
      const measured = r.ms !== undefined ? { ms: round(r.ms, 0), maxRssMb: round(r.maxRssMb, 0) } : {};
      validate = { megabytes: round(made.bytes / 1_000_000, 1), policies: made.policies, ...r, ...measured };
      log(`netpol validate --quiet, ${validate.megabytes} MB (${formatNumber(made.policies)} policies): `
        + `${validate.failed ?? `exit ${validate.code}, ${formatNumber(validate.ms)} ms, peak RSS ${formatNumber(validate.maxRssMb)} MiB`}`);
    }
  } finally {
    removeBuild(buildDir);
    fs.rmSync(work, { recursive: true, force: true });
  }
  const results = {
    schema: 1,
    date: startedAt.toISOString(),
    machine: machineOf(loadAtStart),
    workload: 'pods in namespaces of 100, each with its own app label and its own policy (ingress from the previous pod, egress to the next, '
      + 'TCP 8080), plus a default deny and a DNS egress policy per namespace: every pod is its own shape; read from one JSON List',
    rows,
    growth: growth(rows),
    validate,
  };
  const md = markdown(results);
  writeScaleResults(opts, 'cli-scale', results, md);
}

function growth(rows: Row[]): Array<{ command: string; from: number; to: number; timeRatio: number }> {
  const out: Array<{ command: string; from: number; to: number; timeRatio: number }> = [];
  for (const command of new Set(rows.map(r => r.command))) {
    const mine = rows.filter(r => r.command === command && r.ms !== undefined).sort((a, b) => a.pods - b.pods);
    for (let i = 1; i < mine.length; i++) {
      out.push({ command, from: mine[i - 1].pods, to: mine[i].pods, timeRatio: round(mine[i].ms! / Math.max(1, mine[i - 1].ms!), 2) });
    }
  }
  return out;
}

function markdown(results: any): string {
  const lines = [
    `Measured ${results.date.slice(0, 10)} on ${results.machine.cpuModel} (${results.machine.cores} cores, ${results.machine.memoryGiB} GiB), `
      + `Node ${results.machine.node}; one run each, in a fresh process (load average at start: ${results.machine.loadAverageAtStart.join(', ')}).`,
    '',
    `Distinct shapes: ${results.workload}.`,
    '',
    '| Command | Pods | Policies | Exit | Time | Peak RSS | Output | Note |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results.rows as Row[]) {
    lines.push(`| \`netpol ${r.command}\` | ${formatNumber(r.pods)} | ${formatNumber(r.policies)} | ${r.code ?? '–'} | ${r.ms !== undefined ? `${formatNumber(r.ms)} ms` : '–'} | `
      + `${r.maxRssMb !== undefined ? `${formatNumber(r.maxRssMb)} MiB` : '–'} | ${r.stdoutBytes !== undefined ? `${formatNumber(Math.round(r.stdoutBytes / 1000))} kB` : '–'} | `
      + `${(r.failed ?? r.stderr?.split('\n')[0] ?? '').replace(/\|/g, '\\|').slice(0, 140)} |`);
  }
  lines.push('');
  const g = results.growth as Array<{ command: string; from: number; to: number; timeRatio: number }>;
  if (g.length > 0) {
    lines.push(`Growth (time ratio; 2× the pods at most 4× the time is the target from 10,000 to 20,000): ${g.map(x => `\`${x.command}\` ${formatNumber(x.from)}→${formatNumber(x.to)} ${x.timeRatio}×`).join('; ')}.`, '');
  }
  if (results.validate) {
    const v = results.validate;
    lines.push(`\`netpol validate --quiet\` of one ${v.megabytes} MB YAML file (${formatNumber(v.policies)} NetworkPolicies, as cdk8s prints them): `
      + `${v.failed ?? `exit ${v.code}, ${formatNumber(v.ms)} ms, peak RSS ${formatNumber(v.maxRssMb)} MiB (target: under 1 GiB)`}.`, '');
  }
  return lines.join('\n');
}
