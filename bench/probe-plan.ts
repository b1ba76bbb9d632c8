/**
 * Times `ProbePlan.fromObjects` on the benchmark organisation (bench/analysis.ts: 10 pods and
 * 8 NetworkPolicies per namespace), in this process:
 *
 *   npx ts-node --transpile-only bench/probe-plan.ts 100     # namespaces (default 100)
 *
 * Prints one JSON line: namespaces, objects, probes, allowed flows, omitted flows, time, peak RSS.
 * Not part of `npm run bench` (one run, no medians): a quick look at how planning scales.
 */
import { organisationObjects } from './analysis';
import { ProbePlan } from '../src/probe';

function main(): void {
  const n = Number(process.argv[2] ?? 100);
  if (!Number.isInteger(n) || n < 1) throw new Error(`namespaces: must be a whole number, 1 or more (got ${JSON.stringify(process.argv[2])})`);
  const objects = organisationObjects(n);
  const start = process.hrtime.bigint();
  const plan = ProbePlan.fromObjects(objects);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(JSON.stringify({
    namespaces: n,
    objects: objects.length,
    probes: plan.probes.length,
    allowedFlows: plan.allowedFlowCount,
    omittedFlows: plan.omittedFlows.length,
    ms: Math.round(ms),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }));
}

if (require.main === module) main();
