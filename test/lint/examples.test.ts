import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/app';
import { Linter, NetpolLint, NetpolLintPlugin, ValidationPluginViolation } from '../../src/lint';
import { netpol } from '../cli/run-netpol';

describe('the example apps lint clean', () => {
  let outdir: string;
  beforeEach(() => { outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-examples-')); });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('Linter.lintApp: no findings, nothing suppressed', () => {
    const report = Linter.lintApp(buildApp(outdir));
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings).toEqual([]);
    expect(report.objectCount).toBeGreaterThan(50);
  });

  test('NetpolLint.addTo(app), netpol lint and the cdk8s plugin all pass on the synthesized app', async () => {
    const app = buildApp(outdir);
    NetpolLint.addTo(app, { failOnWarnings: true });
    app.synth();

    const c = await netpol(['lint', '--fail-on-warnings', outdir]);
    expect([c.code, c.stderr]).toEqual([0, '']);
    // the scenario charts ship policies without workloads: the pod checks say plainly that they did not run there
    expect(c.stdout).toMatch(/^Not run:\n {2}NP001, NP002, NP003, NP004, NP008, NP009 did not run in namespaces [^\n]+: the input has NetworkPolicies there but no pods or workloads[^\n]+\n\nNo findings in \d+ objects\.\n$/);

    const violations: ValidationPluginViolation[] = [];
    let status = '';
    const manifests = fs.readdirSync(outdir).filter(f => f.endsWith('.k8s.yaml')).map(f => path.join(outdir, f));
    expect(manifests.length).toBe(11);
    await new NetpolLintPlugin({ failOnWarnings: true }).validate({
      manifests,
      report: { addViolation: v => { violations.push(v); }, submit: s => { status = s; } },
    });
    expect([status, violations]).toEqual(['success', []]);
  });
});
