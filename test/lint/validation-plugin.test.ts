import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import type { ValidationContext } from 'cdk8s-cli/plugins';
import { deployment, namespace } from './lint-helpers';
import { LabelSelector, Peer, Policy, Port, Synthesis } from '../../src';
import { IValidationPluginContext, NetpolLintPlugin, ValidationPluginViolation } from '../../src/lint';
import { buildBrokenApp } from '../fixtures/lint/broken-app';

const ROOT = path.join(__dirname, '..', '..');
// cdk8s-cli exports only `cdk8s-cli/plugins`; its loader is reached by file, as the CLI itself runs it
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationPlugin } = require(path.join(ROOT, 'node_modules/cdk8s-cli/lib/plugins/validation.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PluginManager } = require(path.join(ROOT, 'node_modules/cdk8s-cli/lib/plugins/_manager.js'));

/**
 * cdk8s-cli's context, as the plugin's jsii-typed view of it (`readonly string[]` has no jsii
 * form, so the compiler cannot equate the two; the loader test below checks it at run time).
 */
function asPluginContext(context: ValidationContext): IValidationPluginContext {
  return context as unknown as IValidationPluginContext;
}

/** A context like cdk8s-cli's, recording what the plugin reports. */
function fakeContext(manifests: string[]) {
  const violations: ValidationPluginViolation[] = [];
  const submitted: { status?: string; metadata?: Record<string, string> } = {};
  return {
    violations,
    submitted,
    context: {
      manifests,
      report: {
        addViolation: (v: ValidationPluginViolation) => { violations.push(v); },
        submit: (status: string, metadata?: Record<string, string>) => { submitted.status = status; submitted.metadata = metadata; },
      },
    },
  };
}

let dir: string;
let brokenManifest: string;
let brokenMetadata: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-plugin-'));
  const outdir = path.join(dir, 'dist');
  buildBrokenApp({ outdir, recordConstructMetadata: true }).synth();
  brokenManifest = path.join(outdir, 'broken.k8s.yaml');
  brokenMetadata = path.join(outdir, 'construct-metadata.json');
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('NetpolLintPlugin | the cdk8s CLI validation plugin', () => {
  test('loads as cdk8s synth loads it (package, version, class, properties) and reports with construct paths', async () => {
    const { plugin, context } = ValidationPlugin.load(
      { package: path.join(ROOT, 'src', 'lint'), version: '0.0.0', class: 'NetpolLintPlugin', properties: { maxPortRangeWidth: 100000 } },
      { manifests: [brokenManifest], constructMetadata: brokenMetadata },
      false,
      new PluginManager(path.join(dir, 'plugins')),
    ) as { plugin: NetpolLintPlugin; context: ValidationContext };
    expect(plugin).toBeInstanceOf(NetpolLintPlugin);
    await plugin.validate(asPluginContext(context));
    expect(context.report.success).toBe(false);
    const json = context.report.toJson();
    expect(json.summary.metadata).toEqual({ errors: '6', warnings: '6', suppressed: '0' });
    // the properties reached the linter: no NP010 with a 100000-port maximum
    expect(json.violations.map(v => v.ruleName)).toEqual([
      'NP001 missing-default-deny-ingress (error)',
      'NP002 missing-default-deny-egress (warning)',
      'NP003 egress-without-dns (error)',
      'NP004 metadata-reachable (error)',
      'NP005 selector-matches-nothing (error)',
      'NP006 ingress-from-anywhere (error)',
      'NP007 rules-ignored-by-policy-types (error)',
      'NP008 policy-without-effect (warning)',
      'NP009 peer-and-or-confusion (warning)',
      'NP011 ingress-from-all-namespaces (warning)',
      'NP012 service-port-confusion (warning)',
      'NP016 host-network-pods-selected (warning)',
    ]);
    const dns = json.violations.find(v => v.ruleName.startsWith('NP003'))!;
    expect(dns.recommendation).toBe('Pods isolated for egress cannot reach cluster DNS on every DNS port (UDP and TCP).');
    expect(dns.fix).toMatch(/^Allow DNS for the pods/);
    expect(dns.violatingConstructs).toEqual([{
      resourceName: 'worker',
      constructPath: 'broken/Worker',
      manifestPath: brokenManifest,
      locations: ['Deployment shop/worker is isolated for egress (by shop/worker-egress) but cannot reach cluster DNS '
        + '(kube-system pods labelled k8s-app=kube-dns, assumed: the input has none) on UDP/53 or TCP/53'],
    }]);
    const open = json.violations.find(v => v.ruleName.startsWith('NP006'))!;
    // in construct path order: the plugin reads construct-metadata.json next to the manifest
    expect(open.violatingConstructs.map(c => [c.resourceName, c.constructPath, c.locations[0].split(':')[0]])).toEqual([
      ['web-from-internet', 'broken/WebFromInternet', 'spec.ingress[0].from[0]'],
    ]);
    expect(context.report.toString()).toContain('NP003 egress-without-dns (error) (1 occurrences)');
  });

  test('success when there are only warnings; failOnWarnings turns them into a failure', async () => {
    const file = path.join(dir, 'warnings.yaml');
    fs.writeFileSync(file, [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: ftp, namespace: shop}',
      'spec: {podSelector: {}, ingress: [{from: [{podSelector: {}}], ports: [{port: 30000, endPort: 40000}]}]}',
    ].join('\n'));
    const lenient = fakeContext([file]);
    await new NetpolLintPlugin().validate(lenient.context);
    expect(lenient.submitted).toEqual({ status: 'success', metadata: { errors: '0', warnings: '1', suppressed: '0' } });
    expect(lenient.violations).toEqual([{
      ruleName: 'NP010 wide-port-range (warning)',
      recommendation: 'A port range (port to endPort) is wider than the configured maximum (1000 ports by default).',
      fix: 'List the ports the application uses, or a narrow range; raise `maxPortRangeWidth` if wide ranges are your norm.',
      violatingResources: [{
        resourceName: 'ftp',
        manifestPath: file,
        locations: ['spec.ingress[0].ports[0]: TCP/30000-40000 opens 10001 ports, more than the 1000 allowed (maxPortRangeWidth)'],
      }],
    }]);
    const strict = fakeContext([file]);
    await new NetpolLintPlugin({ failOnWarnings: true }).validate(strict.context);
    expect(strict.submitted.status).toBe('failure');
  });

  test('success and no violations on clean manifests', async () => {
    const file = path.join(dir, 'clean.yaml');
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [namespace('empty')] }));
    const c = fakeContext([file]);
    await new NetpolLintPlugin().validate(c.context);
    expect(c.violations).toEqual([]);
    expect(c.submitted.status).toBe('success');
  });

  test('a manifest it cannot read is a failure, not a crash', async () => {
    const c = fakeContext([path.join(dir, 'missing.yaml')]);
    await new NetpolLintPlugin().validate(c.context);
    expect(c.submitted).toEqual({ status: 'failure', metadata: { error: 'unreadable manifests' } });
    expect(c.violations[0].violatingResources[0].locations[0]).toMatch(/missing\.yaml: cannot read: no such file or directory$/);
  });

  test('input it cannot analyse is a failure, not a crash', async () => {
    const file = path.join(dir, 'twice.yaml');
    const web = JSON.stringify(deployment('shop', 'web', { app: 'web' }));
    fs.writeFileSync(file, `${web}\n---\n${web}\n`);
    const c = fakeContext([file]);
    await new NetpolLintPlugin().validate(c.context);
    expect(c.submitted.status).toBe('failure');
    expect(c.violations.map(v => [v.ruleName, v.recommendation])).toEqual([['netpol-lint: input cannot be analysed', 'Deployment shop/web is defined more than once']]);
  });
});

describe('NetpolLintPlugin | construct paths when object names repeat across charts', () => {
  /*
   * construct-metadata.json, as cdk8s writes it and as the cdk8s CLI reads it, maps metadata.name
   * to a construct path, one entry per name: with a chart per namespace, every chart's
   * `web-from-internet` would get the last chart's path in the CLI's report. Synthesis.synth also
   * records each object by kind, namespace and name, and the plugin reports that key as the
   * resource name; with cdk8s's own file (App.synth), a repeated name gets no path rather than
   * another object's.
   */
  async function lintTwoCharts(synth: (app: App) => void) {
    const outdir = path.join(dir, 'repeated-names');
    const app = new App({ outdir, recordConstructMetadata: true });
    for (const ns of ['alpha', 'beta']) {
      const chart = new Chart(app, ns, { namespace: ns });
      new Policy(chart, 'WebFromInternet', {
        podSelector: LabelSelector.labels({ app: 'web' }),
        ingress: [{ from: [Peer.anyIpv4()], ports: [Port.tcp(8080)] }],
      });
    }
    synth(app);
    const manifests = ['alpha', 'beta'].map(ns => path.join(outdir, `${ns}.k8s.yaml`));
    const { plugin, context } = ValidationPlugin.load(
      { package: path.join(ROOT, 'src', 'lint'), version: '0.0.0', class: 'NetpolLintPlugin' },
      { manifests, constructMetadata: path.join(outdir, 'construct-metadata.json') },
      false,
      new PluginManager(path.join(dir, 'plugins')),
    ) as { plugin: NetpolLintPlugin; context: ValidationContext };
    await plugin.validate(asPluginContext(context));
    const open = context.report.toJson().violations.find(v => v.ruleName.startsWith('NP006'))!;
    return open.violatingConstructs.map(c => [path.basename(c.manifestPath), c.resourceName, c.constructPath]);
  }

  test('Synthesis.synth: each finding names the construct of its own chart, in the CLI\'s report', async () => {
    expect(await lintTwoCharts(app => Synthesis.synth(app))).toEqual([
      ['alpha.k8s.yaml', 'NetworkPolicy alpha/web-from-internet', 'alpha/WebFromInternet'],
      ['beta.k8s.yaml', 'NetworkPolicy beta/web-from-internet', 'beta/WebFromInternet'],
    ]);
  });

  test('App.synth (names only): a repeated name gets no construct path, not the last chart\'s', async () => {
    expect(await lintTwoCharts(app => app.synth())).toEqual([
      ['alpha.k8s.yaml', 'NetworkPolicy alpha/web-from-internet', undefined],
      ['beta.k8s.yaml', 'NetworkPolicy beta/web-from-internet', undefined],
    ]);
  });
});
