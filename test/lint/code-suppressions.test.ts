import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { DefaultDeny, Linter, NamespaceBaseline, NetpolLint, NetpolLintPlugin, Peer, Policy, Port, Synthesis } from '../../src';
import { netpol } from '../cli/run-netpol';

const ANNOTATION = 'netpol.cdk8s.io/suppress';

/** A shop whose public storefront (NP006) is accepted in code; `suppressOn` picks where. */
function shop(outdir: string, suppressOn: 'policy' | 'chart' = 'policy') {
  const app = new App({ outdir });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new NamespaceBaseline(chart, 'Baseline');
  const storefront = new Policy(chart, 'Storefront', { ingress: [{ from: [Peer.anyIpv4()], ports: [Port.HTTPS] }] });
  NetpolLint.addTo(app);
  NetpolLint.suppress(suppressOn === 'policy' ? storefront : chart, [{ id: 'NP006', reason: 'the storefront is public, behind the CDN' }]);
  return { app, chart, storefront };
}

/** A context like cdk8s-cli's, recording what the plugin reports. */
function pluginContext(manifests: string[]) {
  const violations: any[] = [];
  const submitted: { status?: string; metadata?: Record<string, string> } = {};
  return {
    violations,
    submitted,
    context: {
      manifests,
      report: {
        addViolation: (v: any) => { violations.push(v); },
        submit: (status: string, metadata?: Record<string, string>) => { submitted.status = status; submitted.metadata = metadata; },
      },
    },
  };
}

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-code-suppress-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('NetpolLint.suppress() reaches every entry point |', () => {
  test('the suppression is written onto the object whose finding it accepts, and only that one', () => {
    const { chart } = shop(dir, 'chart');
    const objects = Testing.synth(chart);
    const annotated = objects.filter(o => o.metadata.annotations?.[ANNOTATION] !== undefined);
    expect(annotated.map(o => [o.metadata.name, o.metadata.annotations[ANNOTATION]]))
      .toEqual([['storefront', 'NP006: the storefront is public, behind the CDN']]);
  });

  test('the validation plugin on the synthesized YAML accepts the finding the in-app lint accepts', async () => {
    const { app } = shop(dir);
    app.synth(); // the in-app lint passes
    const c = pluginContext([path.join(dir, 'shop.k8s.yaml')]);
    await new NetpolLintPlugin().validate(c.context);
    expect(c.violations).toEqual([]);
    expect(c.submitted).toEqual({ status: 'success', metadata: { errors: '0', warnings: '0', suppressed: '1' } });
  });

  test('netpol lint on the synthesized YAML accepts it too (Synthesis writes the same files)', async () => {
    const { app } = shop(dir, 'chart');
    Synthesis.synth(app);
    const result = await netpol(['lint', dir]);
    expect(result.stdout).toContain('No findings in');
    expect(result.stdout).toContain('1 suppressed');
    expect(result.code).toBe(0);
  });

  test('the in-app lint still counts the construct suppression as used (no NP901 for the written line)', () => {
    const { app } = shop(dir, 'chart');
    app.synth();
    const report = Linter.lintApp(app);
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings.map(f => [f.ruleId, f.constructPath, f.suppressionReason]))
      .toEqual([['NP006', 'shop/Storefront', 'the storefront is public, behind the CDN']]);
  });

  test('an annotation set by the user is kept, and synthesizing twice writes the line once', () => {
    const { app, storefront } = shop(dir);
    storefront.metadata.addAnnotation(ANNOTATION, 'NP010: ranges are reviewed');
    storefront.addIngress({ from: [Peer.namespace('ops')], ports: [Port.tcpRange(20000, 30000)] });
    app.synth();
    app.synth();
    const yaml = fs.readFileSync(path.join(dir, 'shop.k8s.yaml'), 'utf8');
    expect(yaml).toContain(`${ANNOTATION}: |-\n      NP010: ranges are reviewed\n      NP006: the storefront is public, behind the CDN\n`);
  });

  test('an app without code suppressions synthesizes no annotation', () => {
    const chart = new Chart(new App({ outdir: dir }), 'plain', { namespace: 'plain' });
    new DefaultDeny(chart, 'Deny');
    expect(Testing.synth(chart).every(o => o.metadata.annotations?.[ANNOTATION] === undefined)).toBe(true);
  });
});

describe('NetpolLintPlugin | its cdk8s.yaml entry', () => {
  test('throws if a property is unknown, naming the valid ones', () => {
    expect(() => new NetpolLintPlugin({ maxPortWidth: 5 } as any))
      .toThrow('NetpolLintPlugin: unknown property "maxPortWidth" in cdk8s.yaml; valid properties: failOnWarnings, maxPortRangeWidth, dnsNamespace');
  });

  test('throws if a property has the wrong type', () => {
    expect(() => new NetpolLintPlugin({ maxPortRangeWidth: '2000' } as any))
      .toThrow('NetpolLintPlugin: property maxPortRangeWidth in cdk8s.yaml: Invalid value: "2000": must be a number');
  });

  test('throws if the properties are not a mapping', () => {
    expect(() => new NetpolLintPlugin('strict' as any)).toThrow(/the "properties" of its entry in cdk8s\.yaml must be a mapping/);
  });

  test('throws if validate is called without the cdk8s CLI\'s context', async () => {
    await expect(new NetpolLintPlugin().validate({} as any)).rejects.toThrow(/expected the cdk8s CLI's validation context/);
  });
});
