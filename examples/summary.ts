import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { buildApp } from './app';

const MANIFEST = '.k8s.yaml';

/**
 * Synthesizes the example app into `outdir` (after removing the manifests a previous run left
 * there) and describes what it wrote.
 *
 * @returns the lines of the summary
 */
export function synthesizeExamples(outdir: string): string[] {
  if (fs.existsSync(outdir)) {
    for (const file of fs.readdirSync(outdir)) {
      if (file.endsWith(MANIFEST)) fs.rmSync(path.join(outdir, file));
    }
  }
  const app = buildApp(outdir);
  app.synth();
  return summarize(outdir, app.charts.map(chart => `${chart.node.id}${MANIFEST}`));
}

/**
 * Describes the manifests in a directory, read back from disk: one line per file (its objects
 * by kind), then one line per NetworkPolicy (namespace/name, policyTypes, rule counts). Files
 * come in the order given, then the others sorted by name; policies keep their order in the
 * file. The summary of the same manifests is always the same.
 *
 * @param order file names to list first, in this order (e.g. the app's charts, flagship first)
 */
export function summarize(outdir: string, order: string[] = []): string[] {
  const present = fs.readdirSync(outdir).filter(f => f.endsWith(MANIFEST)).sort();
  const files = [...order.filter(f => present.includes(f)), ...present.filter(f => !order.includes(f))];
  const perFile = files.map(file => ({
    file,
    objects: parseAllDocuments(fs.readFileSync(path.join(outdir, file), 'utf8'))
      .map(doc => doc.toJS())
      .filter(obj => obj !== null && typeof obj === 'object'),
  }));

  const policies = perFile.flatMap(f => f.objects.filter(isNetworkPolicy).map(describePolicy));
  const nameWidth = Math.max(0, ...policies.map(p => p.id.length));
  const typesWidth = Math.max(0, ...policies.map(p => p.types.length));
  const objectCount = perFile.reduce((n, f) => n + f.objects.length, 0);
  const where = path.relative(process.cwd(), outdir) || '.';

  const lines = [`Synthesized ${files.length} manifests into ${where}/: ${objectCount} objects, ${policies.length} NetworkPolicies`];
  for (const { file, objects } of perFile) {
    lines.push('', `${file}: ${countKinds(objects)}`);
    for (const p of objects.filter(isNetworkPolicy).map(describePolicy)) {
      lines.push(`  ${p.id.padEnd(nameWidth)}  ${p.types.padEnd(typesWidth)}  ${p.rules}`);
    }
  }
  return lines;
}

function isNetworkPolicy(obj: any): boolean {
  return obj.kind === 'NetworkPolicy';
}

function describePolicy(policy: any): { id: string; types: string; rules: string } {
  const spec = policy.spec ?? {};
  const count = (rules: unknown, what: string) => {
    const n = Array.isArray(rules) ? rules.length : 0;
    return `${n} ${what} ${n === 1 ? 'rule' : 'rules'}`;
  };
  return {
    id: `${policy.metadata?.namespace}/${policy.metadata?.name}`,
    types: `[${(spec.policyTypes ?? []).join(', ')}]`,
    rules: `${count(spec.ingress, 'ingress')}, ${count(spec.egress, 'egress')}`,
  };
}

/** `1 Namespace, 2 Deployment, 8 NetworkPolicy`, kinds in order of first appearance. */
function countKinds(objects: any[]): string {
  const counts = new Map<string, number>();
  for (const obj of objects) counts.set(obj.kind, (counts.get(obj.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}
