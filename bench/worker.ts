/**
 * One measurement in a fresh process; prints one JSON line on stdout.
 *
 *   worker synth <impl> <layout> <namespaces> <driver>
 *   worker analysis <namespaces> [ips]
 *   worker lint <namespaces>                     (src/lint's Linter.lintObjects, when it exists)
 *   worker list <namespaces> [ips]              (all-ports connectivity, as `netpol list` computes it)
 *   worker diff <namespaces> <percent>          (`netpol diff` against a copy with percent % of the policies changed)
 *   worker check <namespaces>
 *   worker phases <impl> <layout> <namespaces>   (cdk8s implementations; the `Synthesis` path, phase by phase)
 *   worker cli <netpol arguments...>              (the command line's run(), output counted and dropped)
 *
 * Every module is loaded before the clock starts, so only the work is timed. Peak RSS is the
 * process's `maxRSS` (it includes the loaded modules, whose share is `baseRssMb`).
 */
import { runAnalysis, runLint } from './analysis';
import { checkEquivalence } from './check';
import { measureCli } from './cli-measure';
import { runDiff, runList } from './connectivity';
import { timePhases } from './synth';
import { Driver, IMPLS, Impl, LAYOUTS, Layout, buildApp, prepare, synthesize } from './workload';

/** Peak resident set size of this process so far, MiB. */
function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function count(pattern: RegExp, texts: string[]): number {
  return texts.reduce((sum, t) => sum + (t.match(pattern)?.length ?? 0), 0);
}

function parseCount(text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`namespaces: expected a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

function main(argv: string[]): unknown {
  const [mode, ...args] = argv;
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  switch (mode) {
    case 'synth': {
      const [impl, layout, n, driver] = args;
      if (!IMPLS.includes(impl as Impl)) throw new Error(`impl: expected one of ${IMPLS.join(', ')}, got ${JSON.stringify(impl)}`);
      if (!LAYOUTS.includes(layout as Layout)) throw new Error(`layout: expected one of ${LAYOUTS.join(', ')}, got ${JSON.stringify(layout)}`);
      const namespaces = parseCount(n);
      prepare(impl as Impl, layout as Layout);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let buildMs: number | undefined;
      const built = () => { buildMs = performance.now() - t0; };
      const yaml = synthesize(impl as Impl, layout as Layout, namespaces, (driver ?? Driver.APP) as Driver, built);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      return {
        ms,
        // construction and synthesis apart (cdk8s implementations), and the CPU time of both
        // (user + system; less sensitive than wall time to other processes on a shared machine)
        buildMs,
        synthMs: buildMs === undefined ? undefined : ms - buildMs,
        cpuMs: (cpu.user + cpu.system) / 1000,
        maxRssMb: maxRssMb(),
        baseRssMb,
        policies: count(/^kind: NetworkPolicy$/gm, yaml),
        bytes: yaml.reduce((sum, t) => sum + t.length, 0),
      };
    }
    case 'analysis':
      return { ...runAnalysis(parseCount(args[0]), args[1] === 'ips'), maxRssMb: maxRssMb(), baseRssMb };
    case 'phases': {
      const [impl, layout, n] = args;
      const namespaces = parseCount(n);
      prepare(impl as Impl, layout as Layout);
      const phases = timePhases(app => buildApp(app, impl as Impl, layout as Layout, namespaces));
      return { ...phases, ms: phases.buildMs + phases.prepareMs + phases.renderMs + phases.stringifyMs, maxRssMb: maxRssMb(), baseRssMb };
    }
    case 'lint':
      return { ...runLint(parseCount(args[0])), maxRssMb: maxRssMb(), baseRssMb };
    case 'list':
      return { ...runList(parseCount(args[0]), args[1] === 'ips'), maxRssMb: maxRssMb(), baseRssMb };
    case 'diff': {
      const percent = Number(args[1]);
      if (!(percent > 0 && percent <= 100)) throw new Error(`percent: expected a number in (0, 100], got ${JSON.stringify(args[1])}`);
      return { ...runDiff(parseCount(args[0]), percent), maxRssMb: maxRssMb(), baseRssMb };
    }
    case 'check':
      return checkEquivalence(parseCount(args[0]));
    default:
      throw new Error(`unknown mode ${JSON.stringify(mode)}: use synth, analysis, lint, list, diff, phases or check`);
  }
}

if (process.argv[2] === 'cli') {
  measureCli(process.argv.slice(3)).then(
    (r) => { process.stdout.write(JSON.stringify(r) + '\n'); },
    (e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exitCode = 1; },
  );
} else {
  try {
    process.stdout.write(JSON.stringify(main(process.argv.slice(2))) + '\n');
  } catch (e) {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}
