/**
 * Issue 21's performance target: analysis (model + truth table + count) and `list` (model +
 * connectivity + text) of the 10,002-pod organisation, without and with 20 Admin and 10 Baseline
 * ClusterNetworkPolicies (a metadata guard, DNS, 18 tenant groups that Pass inside and Deny
 * low ports from outside, 10 baseline default denies); the target is at most 1.5 times the time
 * without them.
 *
 *   npm run bench -- --only cluster-tiers            # fresh processes, medians; writes bench/results/cluster-tiers.{json,md}
 *   npm run bench -- --only cluster-tiers --runs 3 --no-write
 *   npx ts-node --transpile-only bench/cluster-tiers.ts [both|with|without]   # each twice in one process, for profiling
 */
import * as os from 'os';
import { performance } from 'perf_hooks';
import { organisationObjects, TRUTH_TABLE_PORT } from './analysis';
import { buildBench, removeBuild } from './build';
import { loadAverage, machineOf, parseScaleOptions, runBenchScript, writeScaleResults } from './scale-harness';
import { formatNumber, median, round } from './stats';
import { ClusterModel } from '../src';
import { namespaceName } from './workload/spec';

/** The target: with the cluster-wide policies, at most this many times the time without them. */
const TARGET_RATIO = 1.5;

const names = (from: number, count: number) => Array.from({ length: count }, (_, i) => namespaceName(from + i));
const inNames = (list: string[]) => ({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: list }] });
const cnp = (name: string, spec: any) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec });
function clusterPolicies(): any[] {
  const out: any[] = [
    cnp('metadata-guard', { tier: 'Admin', priority: 0, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['169.254.169.254/32', '100.100.100.200/32'] }] }] }),
    cnp('dns', {
      tier: 'Admin',
      priority: 1,
      subject: { namespaces: {} },
      egress: [{
        action: 'Accept',
        to: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
        protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }],
      }],
    }),
  ];
  for (let g = 0; g < 18; g++) {
    const group = names(g * 50, 50);
    out.push(cnp(`tenant-${g}`, {
      tier: 'Admin',
      priority: 10 + g,
      subject: { namespaces: inNames(group) },
      ingress: [{ action: 'Pass', from: [{ namespaces: inNames(group) }] }, { action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: group }] } }], protocols: [{ tcp: { destinationPort: { range: { start: 1, end: 1024 } } } }] }],
      egress: [{ action: 'Pass', to: [{ namespaces: inNames(group) }] }],
    }));
  }
  for (let g = 0; g < 10; g++) {
    const group = names(g * 100, 100);
    out.push(cnp(`baseline-${g}`, {
      tier: 'Baseline',
      priority: g,
      subject: { namespaces: inNames(group) },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }],
    }));
  }
  return out;
}
function measure(objects: any[]) {
  const t0 = performance.now();
  const model = ClusterModel.fromObjects(objects);
  const table = model.truthTable(TRUTH_TABLE_PORT);
  const allowed = table.countAllowed();
  const t1 = performance.now();
  const model2 = ClusterModel.fromObjects(objects);
  const connectivity = model2.connectivity();
  const text = connectivity.toText();
  const t2 = performance.now();
  return { analysisMs: Math.round(t1 - t0), listMs: Math.round(t2 - t1), allowed, flows: connectivity.connections.length, lines: text.split('\n').length };
}

/** The objects of one side: the organisation, with or without the cluster-wide policies. */
function objectsOf(side: Side, namespaces: number): any[] {
  const base = organisationObjects(namespaces);
  return side === 'with' ? [...base, ...clusterPolicies()] : base;
}

type Side = 'with' | 'without';

const USAGE = `usage: npm run bench -- --only cluster-tiers [options]
  --namespaces <n>        team namespaces of the organisation (default 1000: 10,002 pods)
  --runs <n>              fresh processes per side, interleaved; medians (default 5)
  --timeout <s>           kill a measurement after this long (default 600)
  --no-write              print the table only (default: write bench/results/cluster-tiers.{json,md})
  --out <dir>             where to write (default bench/results)`;

/**
 * `npm run bench -- --only cluster-tiers`: `runs` rounds, each measuring both sides (in turn,
 * starting with a different one each round), each in a fresh process that measures analysis and
 * then list once; writes bench/results/cluster-tiers.{json,md}.
 */
export function runClusterTiers(argv: string[]): void {
  const opts = parseScaleOptions(argv, USAGE, { runs: 5 });
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const buildDir = buildBench();
  const runs: Record<Side, any[]> = { without: [], with: [] };
  try {
    for (let round_ = 0; round_ < opts.runs; round_++) {
      const sides: Side[] = round_ % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
      for (const side of sides) {
        const r = runBenchScript(buildDir, 'cluster-tiers', ['worker', side, String(opts.namespaces)], opts.timeout);
        runs[side].push(r);
        process.stderr.write(`${side}: ${r.failed ?? `analysis ${formatNumber(round(r.analysisMs, 0))} ms, list ${formatNumber(round(r.listMs, 0))} ms`}\n`);
      }
    }
  } finally {
    removeBuild(buildDir);
  }
  const summary = (side: Side) => {
    const rs = runs[side].filter(r => r.failed === undefined);
    return {
      side,
      runs: rs.length,
      medianAnalysisMs: round(median(rs.map(r => r.analysisMs)), 0),
      medianListMs: round(median(rs.map(r => r.listMs)), 0),
      medianMaxRssMb: round(median(rs.map(r => r.maxRssMb)), 0),
      // the same answer in every run
      allowed: [...new Set(rs.map(r => r.allowed))],
      flows: [...new Set(rs.map(r => r.flows))],
      failed: runs[side].filter(r => r.failed !== undefined).map(r => r.failed),
    };
  };
  const without = summary('without');
  const with_ = summary('with');
  const target = (what: 'analysis' | 'list') => {
    const key = what === 'analysis' ? 'medianAnalysisMs' : 'medianListMs';
    const ratio = round(with_[key] / without[key], 2);
    return { what, withMs: with_[key], withoutMs: without[key], ratio, target: TARGET_RATIO, met: ratio <= TARGET_RATIO };
  };
  const results = {
    schema: 1,
    date: startedAt.toISOString(),
    machine: machineOf(loadAtStart, loadAverage()),
    namespaces: opts.namespaces,
    clusterPolicies: clusterPolicies().length,
    truthTablePort: TRUTH_TABLE_PORT,
    sides: [without, with_],
    targets: [target('analysis'), target('list')],
    raw: runs,
  };
  const md = clusterTiersMarkdown(results);
  writeScaleResults(opts, 'cluster-tiers', results, md);
}

function clusterTiersMarkdown(results: any): string {
  const [without, with_] = results.sides;
  const lines = [
    `Measured ${results.date.slice(0, 10)} on ${results.machine.cpuModel} (${results.machine.cores} cores, ${results.machine.memoryGiB} GiB), `
      + `Node ${results.machine.node}; medians of ${without.runs} and ${with_.runs} runs, each in a fresh process, the two sides interleaved `
      + `(load average at start: ${results.machine.loadAverageAtStart.join(', ')}; at the end: ${results.machine.loadAverageAtEnd.join(', ')}).`,
    '',
    `The ${formatNumber(results.namespaces)}-namespace organisation (bench/analysis.ts) without and with ${results.clusterPolicies} `
      + 'ClusterNetworkPolicies (bench/cluster-tiers.ts: 20 Admin, 10 Baseline). Analysis: `ClusterModel.fromObjects` + '
      + `\`truthTable(${results.truthTablePort})\` + \`countAllowed()\`; list: \`ClusterModel.fromObjects\` + \`connectivity()\` + \`toText()\`.`,
    '',
    `| Cluster-wide policies | Analysis | List | Peak RSS | Allowed pairs (TCP ${results.truthTablePort}) | Flows |`,
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const s of [without, with_]) {
    lines.push(`| ${s.side} | ${formatNumber(s.medianAnalysisMs)} ms | ${formatNumber(s.medianListMs)} ms | ${formatNumber(s.medianMaxRssMb)} MiB | `
      + `${s.allowed.map((n: number) => formatNumber(n)).join(' / ')} | ${s.flows.map((n: number) => formatNumber(n)).join(' / ')} |`);
  }
  lines.push('', '| Target (issue 21) | Measured | Met |', '|---|---|---|');
  for (const t of results.targets) {
    lines.push(`| ${t.what} with the cluster-wide policies at most ${t.target}× the time without them | `
      + `${t.ratio}× (${formatNumber(t.withMs)} ms vs ${formatNumber(t.withoutMs)} ms) | ${t.met ? 'yes' : '**no**'} |`);
  }
  const failed = [...without.failed, ...with_.failed];
  if (failed.length > 0) lines.push('', `Failed runs: ${failed.join('; ')}`);
  lines.push('');
  return lines.join('\n');
}

if (require.main === module) {
  if (process.argv[2] === 'worker') {
    // one fresh-process measurement: analysis, then list
    try {
      const side = process.argv[3];
      if (side !== 'with' && side !== 'without') throw new Error(`side: expected with or without, got ${JSON.stringify(side)}`);
      const namespaces = Number(process.argv[4] ?? 1000);
      const m = measure(objectsOf(side, namespaces));
      process.stdout.write(JSON.stringify({
        side, namespaces, ...m, maxRssMb: process.resourceUsage().maxRSS / 1024,
      }) + '\n');
    } catch (e) {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    }
  } else {
    const which = process.argv[2] ?? 'both';
    const base = objectsOf('without', 1000);
    const extra = objectsOf('with', 1000);
    for (let run = 0; run < 2; run++) {
      if (which !== 'with') console.log('without', JSON.stringify(measure(base)));
      if (which !== 'without') console.log('with   ', JSON.stringify(measure(extra)));
    }
    console.log(`load average ${os.loadavg().map(l => l.toFixed(2)).join(', ')}`);
  }
}
