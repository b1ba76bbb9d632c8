import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { buildApp } from '../../examples/app';
import { summarize, synthesizeExamples } from '../../examples/summary';
import { ClusterModel } from '../../src';
import { registerNetpolMatchers } from '../../src/testing';
import { synthAppPolicies } from '../util';
import { CLUSTER, podObjects } from './cluster';

registerNetpolMatchers();

const REPO = path.resolve(__dirname, '..', '..');
const CHARTS = [
  'shop', 'default-deny', 'dns', 'tiers', 'namespace-isolation', 'cross-namespace',
  'monitoring', 'ip-blocks-and-ports', 'metadata', 'external-egress', 'egress-allowlist',
];

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-examples-'));
}

describe('the example app', () => {
  test('has the flagship chart first, then one chart per scenario', () => {
    expect(buildApp().charts.map(c => c.node.id)).toEqual(CHARTS);
  });

  test('synthesizes byte-identical YAML every time', () => {
    const first = buildApp().synthYaml();
    const second = buildApp().synthYaml();
    expect(first.length).toBeGreaterThan(0);
    expect(second).toBe(first);
    const policiesOnly = () => Yaml.stringify(...synthAppPolicies(buildApp()));
    expect(policiesOnly()).toBe(policiesOnly());
  });

  test('every NetworkPolicy passes the schema and API-server validation, with a name unique in its namespace', () => {
    const policies = synthAppPolicies(buildApp());
    expect(policies).toHaveLength(43);
    const ids = policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('no two charts share a namespace, so the charts cannot weaken each other', () => {
    const app = buildApp();
    const namespacesOf = (objects: any[]) => new Set(objects.filter(o => o.kind === 'NetworkPolicy').map(o => o.metadata.namespace));
    const seen = new Map<string, string>();
    for (const chart of app.charts) {
      for (const ns of namespacesOf(chart.toJson())) {
        expect(seen.get(ns)).toBeUndefined();
        seen.set(ns, chart.node.id);
      }
    }
    // Every Namespace is declared once, and every namespace with policies is declared.
    const declared = app.charts.flatMap(c => c.toJson()).filter(o => o.kind === 'Namespace').map(o => o.metadata.name);
    expect(new Set(declared).size).toBe(declared.length);
    for (const ns of seen.keys()) expect(declared).toContain(ns);
  });

  test('the whole app in one cluster keeps each example\'s flows', () => {
    const app = buildApp();
    const world = [...app.charts.flatMap(c => c.toJson()), ...podObjects([
      ...CLUSTER,
      { ns: 'payments', name: 'refunds' }, { ns: 'checkout', name: 'checkout-api' }, { ns: 'checkout', name: 'cart' },
    ])];
    const model = ClusterModel.fromObjects(world);
    expect(model.policies).toHaveLength(43);
    expect(model.namespaceLabels('reporting')).toEqual({ 'kubernetes.io/metadata.name': 'reporting', 'team': 'finance' });
    expect(model).toAllowTraffic({ from: 'ingress-nginx/controller', to: 'shop/frontend', port: 8080 });
    expect(model).toDenyTraffic({ from: 'ingress-nginx/controller', to: 'shop/backend', port: 9000 });
    expect(model).toAllowTraffic({ from: 'shop/backend', to: 'shop/postgres', port: 5432 });
    expect(model).toAllowTraffic({ from: 'checkout/checkout-api', to: 'payments/refunds', port: 8443 });
    expect(model).toDenyTraffic({ from: 'checkout/cart', to: 'payments/refunds', port: 8443 });
  });
});

describe('the example app\'s main job (npm run example)', () => {
  test('writes one manifest per chart and lists every file and every NetworkPolicy', () => {
    const outdir = tempDir();
    try {
      const lines = synthesizeExamples(outdir);
      expect(fs.readdirSync(outdir).sort()).toEqual(CHARTS.map(c => `${c}.k8s.yaml`).sort());
      expect(lines[0]).toMatch(/^Synthesized 11 manifests into .*: 68 objects, 43 NetworkPolicies$/);

      // Files in chart order, the flagship first.
      const fileLines = lines.filter(l => /^\S+\.k8s\.yaml: /.test(l));
      expect(fileLines.map(l => l.split(':')[0])).toEqual(CHARTS.map(c => `${c}.k8s.yaml`));
      expect(fileLines[0]).toBe('shop.k8s.yaml: 1 Namespace, 2 Deployment, 1 Service, 1 StatefulSet, 1 Job, 8 NetworkPolicy');

      // Every policy of the app, with its policyTypes and rule counts, in its file's section.
      const policies = synthAppPolicies(buildApp());
      const policyLines = lines.filter(l => l.startsWith('  '));
      expect(policyLines).toHaveLength(policies.length);
      policies.forEach((p, i) => {
        const counts = (rules?: any[]) => rules?.length ?? 0;
        const fields = policyLines[i].trim().split(/\s{2,}/);
        expect(fields).toEqual([
          `${p.metadata.namespace}/${p.metadata.name}`,
          `[${p.spec.policyTypes.join(', ')}]`,
          expect.stringMatching(new RegExp(`^${counts(p.spec.ingress)} ingress rules?, ${counts(p.spec.egress)} egress rules?$`)),
        ]);
      });
      expect(lines).toContain('  shop/shop-frontend                            [Ingress, Egress]  1 ingress rule, 1 egress rule');

      // The summary describes the files on disk, the same way every time.
      expect(summarize(outdir, CHARTS.map(c => `${c}.k8s.yaml`))).toEqual(lines);
      expect(synthesizeExamples(outdir)).toEqual(lines);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('replaces the manifests of a previous run and leaves other files alone', () => {
    const outdir = tempDir();
    try {
      fs.writeFileSync(path.join(outdir, 'removed-chart.k8s.yaml'), 'kind: NetworkPolicy\n');
      fs.writeFileSync(path.join(outdir, 'notes.txt'), 'kept');
      const lines = synthesizeExamples(outdir);
      expect(fs.existsSync(path.join(outdir, 'removed-chart.k8s.yaml'))).toBe(false);
      expect(fs.readFileSync(path.join(outdir, 'notes.txt'), 'utf8')).toBe('kept');
      expect(lines.join('\n')).not.toContain('removed-chart');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('examples/main.ts writes where the cdk8s CLI asks (CDK8S_OUTDIR) and prints the summary', () => {
    const outdir = tempDir();
    try {
      const stdout = execFileSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', 'examples/main.ts'], {
        cwd: REPO,
        env: { ...process.env, CDK8S_OUTDIR: outdir },
        encoding: 'utf8',
      });
      expect(fs.readdirSync(outdir)).toHaveLength(CHARTS.length);
      expect(stdout.trimEnd().split('\n')).toEqual(summarize(outdir, CHARTS.map(c => `${c}.k8s.yaml`)));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
