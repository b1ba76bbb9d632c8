/**
 * Hostile shapes for `netpol list` and `netpol diff` (issue 18, performance): many ipBlocks with
 * `except` lists in one namespace (the address ranges they cut), and thousands of distinct pods
 * in one namespace (the pairs they make): the generators, and `npm run bench -- --only list-scale`.
 */

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildBench, removeBuild, REPO_ROOT } from './build';
import { loadAverage, machineOf, runBenchScript, writeScaleResults } from './scale-harness';
import { formatNumber, round } from './stats';

/** The namespace both workloads use. */
export const HOSTILE_NAMESPACE = 'edge';

/** The pods of the ipBlock workload: each with its own `app` label and a pod IP. */
export const IPBLOCK_PODS = 10;

/** The address range (`a.b.0.0/16`) of ipBlock `i`: `10.0.0.0/16`, `10.1.0.0/16`, ... `10.255.0.0/16`, `11.0.0.0/16`, ... */
function blockPrefix(i: number): string {
  return `${10 + Math.floor(i / 256)}.${i % 256}`;
}

/**
 * The ipBlock of policy `i`: its own /16 except two /24s of it; every tenth is instead
 * everything (`0.0.0.0/0`) except that /16 and one /24 of the next, so those overlap every
 * other block (a range is then inside many ipBlocks at once).
 */
export function hostileIpBlock(i: number): { cidr: string; except: string[] } {
  const p = blockPrefix(i);
  if (i % 10 === 9) return { cidr: '0.0.0.0/0', except: [`${p}.0.0/16`, `${blockPrefix(i + 1)}.${(i * 11) % 256}.0/24`] };
  return { cidr: `${p}.0.0/16`, except: [`${p}.${(i * 7) % 256}.0/24`, `${p}.${(i * 13 + 1) % 256}.0/24`] };
}

/**
 * One namespace with `blocks` NetworkPolicies, each selecting one of 10 pods (by its own `app`
 * label; the pods have IPs inside the blocks), every tenth (the `0.0.0.0/0` ones) every pod, with egress to one ipBlock with an `except` list
 * (TCP 443) and ingress from the same ipBlock (TCP 8080), plus a default deny. With `variant`,
 * the policy of that index opens TCP 8443 too (a small change for `netpol diff`). As one JSON `List`.
 */
export function ipBlockCluster(blocks: number, variant?: number): string {
  const items: any[] = [{
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace: HOSTILE_NAMESPACE },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  }];
  for (let k = 0; k < IPBLOCK_PODS; k++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${k}`, namespace: HOSTILE_NAMESPACE, labels: { app: `app-${k}` } },
      spec: { containers: [{ name: 'main', image: 'app' }] },
      status: { podIP: `10.${k * 3}.${k}.${k + 1}` },
    });
  }
  for (let i = 0; i < blocks; i++) {
    const ipBlock = hostileIpBlock(i);
    const egressPorts: any[] = [{ protocol: 'TCP', port: 443 }];
    if (i === variant) egressPorts.push({ protocol: 'TCP', port: 8443 });
    items.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `block-${i}`, namespace: HOSTILE_NAMESPACE },
      spec: {
        podSelector: i % 10 === 9 ? {} : { matchLabels: { app: `app-${i % IPBLOCK_PODS}` } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ ipBlock }], ports: [{ protocol: 'TCP', port: 8080 }] }],
        egress: [{ to: [{ ipBlock }], ports: egressPorts }],
      },
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/**
 * One namespace of `pods` pods, each its own shape (its own `app` label), and one policy that
 * lets every pod of the namespace in: every ordered pair of pods is a flow (`pods` squared lines).
 * As one JSON `List`.
 */
export function distinctPodsNamespace(pods: number): string {
  const items: any[] = [{
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'same-namespace', namespace: HOSTILE_NAMESPACE },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
  }];
  for (let i = 0; i < pods; i++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: HOSTILE_NAMESPACE, labels: { app: `a${i}` } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

interface ListScaleOptions {
  readonly blocks: number[];
  readonly pods: number[];
  readonly timeout: number;
  readonly write: boolean;
  readonly out: string;
}

const USAGE = `usage: npm run bench -- --only list-scale [options]
  --blocks <list>         ipBlock counts for netpol list and diff (default 500,1000,2000)
  --pods <list>           distinct pods in one namespace for netpol list (default 1000,2000,4000)
  --timeout <s>           kill a measurement after this long (default 900)
  --no-write              print the table only (default: write bench/results/list-scale.{json,md})
  --out <dir>             where to write (default bench/results)`;

function parseListScaleOptions(argv: string[]): ListScaleOptions {
  const opts: any = { blocks: [500, 1000, 2000], pods: [1000, 2000, 4000], timeout: 900, write: true, out: path.join(REPO_ROOT, 'bench', 'results') };
  const list = (flag: string, v: string | undefined) => {
    const out = (v ?? '').split(',').map(Number);
    if (out.some(n => !Number.isInteger(n) || n < 1)) throw new Error(`${flag}: expected a list of whole numbers, got ${JSON.stringify(v)}`);
    return out;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--only': value(); break;
      case '--blocks': opts.blocks = list(flag, value()); break;
      case '--pods': opts.pods = list(flag, value()); break;
      case '--timeout': opts.timeout = Number(value()); break;
      case '--no-write': opts.write = false; break;
      case '--out': opts.out = path.resolve(value() ?? ''); break;
      case '--help': case '-h': process.stdout.write(USAGE + '\n'); process.exit(0);
      default: throw new Error(`unknown option ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  return opts;
}

interface ListScaleRow {
  readonly workload: string;
  readonly command: string;
  readonly inputKb: number;
  readonly ms?: number;
  readonly maxRssMb?: number;
  readonly code?: number;
  readonly stdoutBytes?: number;
  readonly stderr?: string;
  readonly failed?: string;
  readonly target: string;
  readonly met?: boolean;
}

/**
 * `npm run bench -- --only list-scale`: `netpol list` over 500 to 2,000 ipBlocks with `except`
 * lists in one namespace, `netpol diff` of the largest against a copy with one policy changed,
 * and `netpol list` over 1,000 to 4,000 distinct pods in one namespace (above the 1,000,000-flow
 * limit: the refusal is measured). One fresh process per measurement (the command line's
 * `run()`, output counted and dropped); writes bench/results/list-scale.{json,md}.
 */
export function runListScale(argv: string[]): void {
  const opts = parseListScaleOptions(argv);
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const buildDir = buildBench();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-list-scale-'));
  const rows: ListScaleRow[] = [];
  const measure = (workload: string, command: string, files: string[], args: string[], target: string, met: (r: any) => boolean) => {
    const inputKb = Math.round(files.reduce((sum, f) => sum + fs.statSync(f).size, 0) / 1000);
    const r = runBenchScript(buildDir, 'worker', ['cli', ...args], opts.timeout);
    const row: ListScaleRow = {
      workload,
      command,
      inputKb,
      target,
      ...r,
      ...(r.ms !== undefined ? { ms: round(r.ms, 0), maxRssMb: round(r.maxRssMb, 0), met: met(r) } : { met: false }),
    };
    rows.push(row);
    process.stderr.write(`${command}, ${workload} (${formatNumber(inputKb)} kB): ${row.failed ?? `exit ${row.code}, ${formatNumber(row.ms!)} ms, `
      + `peak RSS ${formatNumber(row.maxRssMb!)} MiB, ${formatNumber(row.stdoutBytes!)} bytes out${row.stderr ? `; stderr: ${row.stderr.split('\n')[0].slice(0, 160)}` : ''}`}\n`);
  };
  try {
    for (const blocks of opts.blocks) {
      const file = path.join(work, `blocks-${blocks}.json`);
      fs.writeFileSync(file, ipBlockCluster(blocks));
      measure(`${formatNumber(blocks)} ipBlocks with except lists, one namespace`, 'netpol list', [file], ['list', file],
        'under 10 s at 2,000 ipBlocks', r => r.code === 0 && (blocks < 2000 || r.ms < 10_000));
      if (blocks === Math.max(...opts.blocks)) {
        const changed = path.join(work, `blocks-${blocks}-changed.json`);
        fs.writeFileSync(changed, ipBlockCluster(blocks, 3));
        measure(`${formatNumber(blocks)} ipBlocks, one policy changed`, 'netpol diff', [file, changed], ['diff', file, changed],
          'a small change: about one list', r => r.code === 0);
        fs.rmSync(changed);
      }
      fs.rmSync(file);
    }
    for (const pods of opts.pods) {
      const file = path.join(work, `pods-${pods}.json`);
      fs.writeFileSync(file, distinctPodsNamespace(pods));
      measure(`${formatNumber(pods)} distinct pods, one namespace, all reach each other`, 'netpol list', [file], ['list', file],
        'under 30 s and 1 GiB, or refused with the limit',
        r => r.ms < 30_000 && r.maxRssMb < 1024 && (r.code === 0 || /more than the limit/.test(r.stderr)));
      fs.rmSync(file);
    }
  } finally {
    removeBuild(buildDir);
    fs.rmSync(work, { recursive: true, force: true });
  }
  const results = {
    schema: 1,
    date: startedAt.toISOString(),
    machine: machineOf(loadAtStart),
    rows,
  };
  const md = listScaleMarkdown(results);
  writeScaleResults(opts, 'list-scale', results, md);
}

function listScaleMarkdown(results: any): string {
  const lines = [
    `Measured ${results.date.slice(0, 10)} on ${results.machine.cpuModel} (${results.machine.cores} cores, ${results.machine.memoryGiB} GiB), `
      + `Node ${results.machine.node}; one run each, in a fresh process (load average at start: ${results.machine.loadAverageAtStart.join(', ')}).`,
    '',
    '| Command | Workload | Input | Exit | Time | Peak RSS | Output | Target | Met | Note |',
    '|---|---|---:|---:|---:|---:|---:|---|---|---|',
  ];
  for (const r of results.rows as ListScaleRow[]) {
    lines.push(`| \`${r.command}\` | ${r.workload} | ${formatNumber(r.inputKb)} kB | ${r.code ?? '–'} | ${r.ms !== undefined ? `${formatNumber(r.ms)} ms` : '–'} | `
      + `${r.maxRssMb !== undefined ? `${formatNumber(r.maxRssMb)} MiB` : '–'} | ${r.stdoutBytes !== undefined ? `${formatNumber(Math.round(r.stdoutBytes / 1000))} kB` : '–'} | `
      + `${r.target} | ${r.met ? 'yes' : '**no**'} | ${(r.failed ?? r.stderr?.split('\n')[0] ?? '').replace(/\|/g, '\\|').slice(0, 140)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
