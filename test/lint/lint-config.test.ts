import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { baseline, namespace, policy } from './lint-helpers';
import { NamespaceBaseline, Peer, Policy, Port } from '../../src';
import { Linter, NetpolLint, NetpolLintPlugin, Severity } from '../../src/lint';
import { findLintConfigFile, loadLintConfig } from '../../src/lint/lint-config';
import { netpol } from '../cli/run-netpol';

let dir: string;

/** Writes a file under the test directory and returns its path. */
function write(relative: string, content: unknown): string {
  const file = path.join(dir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A namespace with the baseline and a policy with a 4,001-port range (NP010, a warning by default). */
function objects(): any[] {
  return [
    namespace('shop'),
    ...baseline('shop'),
    policy('shop', 'wide', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 1000, endPort: 5000 }] }] }),
  ];
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-config-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('netpol.config.json |', () => {
  test('without a configuration NP010 is a warning', () => {
    const report = Linter.lintObjects(objects(), { configFile: write('empty.json', {}) });
    expect(report.findings.filter(f => f.ruleId === 'NP010').map(f => f.severity)).toEqual([Severity.WARNING]);
  });

  test('a rule set to error by id or name changes its findings\' severity', () => {
    for (const key of ['NP010', 'wide-port-range']) {
      const report = Linter.lintObjects(objects(), { configFile: write(`${key}.json`, { rules: { [key]: 'error' } }) });
      expect(report.findings.filter(f => f.ruleId === 'NP010').map(f => f.severity)).toEqual([Severity.ERROR]);
    }
  });

  test('a rule set to off reports nothing, and its suppressions are not unused', () => {
    const objs = objects();
    objs[objs.length - 1].metadata.annotations = { 'netpol.cdk8s.io/suppress': 'NP010: ranges are reviewed' };
    const report = Linter.lintObjects(objs, { configFile: write('off.json', { rules: { NP010: 'off' } }) });
    expect(report.findings.map(f => f.ruleId)).not.toContain('NP010');
    expect(report.findings.map(f => f.ruleId)).not.toContain('NP901');
  });

  test('the file\'s options apply, and explicit options take precedence', () => {
    const file = write('opts.json', { options: { maxPortRangeWidth: 5000 } });
    expect(Linter.lintObjects(objects(), { configFile: file }).findings.map(f => f.ruleId)).not.toContain('NP010');
    expect(Linter.lintObjects(objects(), { configFile: file, maxPortRangeWidth: 10 }).findings.map(f => f.ruleId)).toContain('NP010');
  });

  test('extends reads a package\'s file first, then the extending file\'s settings', () => {
    write('node_modules/@acme/policy/package.json', { name: '@acme/policy', version: '1.0.0' });
    write('node_modules/@acme/policy/netpol.config.json', { rules: { NP010: 'error', NP006: 'off' }, options: { maxPortRangeWidth: 100 } });
    const file = write('netpol.config.json', { extends: '@acme/policy/netpol.config.json', rules: { NP006: 'warning' } });
    const config = loadLintConfig(file);
    expect(config.rules).toEqual({ NP010: 'error', NP006: 'warning' });
    expect(config.options).toEqual({ maxPortRangeWidth: 100 });
    expect(config.files.map(f => path.relative(dir, f))).toEqual([path.join('node_modules/@acme/policy/netpol.config.json'), 'netpol.config.json']);
  });

  test('the file is found from the working directory up to the project root, and not beyond', () => {
    write('project/package.json', {});
    const config = write('project/netpol.config.json', {});
    fs.mkdirSync(path.join(dir, 'project/src/deep'), { recursive: true });
    expect(findLintConfigFile(undefined, path.join(dir, 'project/src/deep'))).toBe(config);
    write('netpol.config.json', {});
    write('other/package.json', {});
    expect(findLintConfigFile(undefined, path.join(dir, 'other'))).toBeUndefined();
  });

  test.each([
    [{ rules: { NP099: 'off' } }, /bad\.json: rules\.NP099: unknown rule "NP099": use NP001-NP018/],
    [{ rules: { NP901: 'off' } }, /rules\.NP901: NP901 \(unused-suppression\) cannot be configured/],
    [{ rules: { NP006: 'loud' } }, /rules\.NP006: Unsupported value: "loud": use "off", "warning" or "error"/],
    [{ options: { maxPortRangeWidth: '2000' } }, /options\.maxPortRangeWidth: Invalid value: "2000": must be a number/],
    [{ options: { dnsLabels: {} } }, /options\.dnsLabels: unknown option: use maxPortRangeWidth, dnsNamespace/],
    [{ rule: {} }, /bad\.json: rule: unknown key: use "extends", "rules" or "options"/],
    [{ extends: '@nobody/nothing/netpol.config.json' }, /extends: "@nobody\/nothing\/netpol\.config\.json": not found from/],
    ['{ not json', /bad\.json: not valid JSON at line 1, column 3; a lint configuration file is a JSON object/],
  ])('throws if the file is invalid: %j', (content, message) => {
    const file = write('bad.json', content);
    expect(() => Linter.lintObjects(objects(), { configFile: file })).toThrow(message);
  });

  test('throws if extends makes a cycle', () => {
    write('a.json', { extends: './b.json' });
    write('b.json', { extends: './a.json' });
    expect(() => loadLintConfig(path.join(dir, 'a.json'))).toThrow(/"extends" makes a cycle: .*a\.json -> .*b\.json -> .*a\.json/);
  });

  test('throws if configFile names no file', () => {
    expect(() => Linter.lintObjects([], { configFile: path.join(dir, 'missing.json') })).toThrow(/configFile: ".*missing\.json": no such file/);
  });

  test('netpol lint --config reads the file; an invalid one exits 2 naming it', async () => {
    const manifests = write('cluster.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects() }));
    const base = await netpol(['lint', '--format', 'json', manifests]);
    expect(JSON.parse(base.stdout).findings.filter((f: any) => f.ruleId === 'NP010').map((f: any) => f.severity)).toEqual(['warning']);
    const strict = await netpol(['lint', '--format', 'json', '--config', write('strict.json', { rules: { NP010: 'error' } }), manifests]);
    expect(JSON.parse(strict.stdout).findings.filter((f: any) => f.ruleId === 'NP010').map((f: any) => f.severity)).toEqual(['error']);
    const bad = await netpol(['lint', '--config', write('bad.json', { rules: { NP010: 'loud' } }), manifests]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.json: rules\.NP010: Unsupported value: "loud"/);
  });

  test('every lint entry point that refuses a configuration file names `netpol validate --config` with that file', async () => {
    const base = write('base.json', { rules: { NP010: 'loud' } });
    const project = write('netpol.config.json', { extends: './base.json' });
    const manifests = write('cluster.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects() }));
    // the file given (or found) is named, also when the problem is in what it extends
    const cli = await netpol(['lint', '--config', project, manifests]);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe(`netpol lint: cannot analyse the input: ${base}: rules.NP010: Unsupported value: "loud": use "off", "warning" or "error"\n`
      + `(the lint configuration file is at fault: \`netpol validate --config ${project}\` checks it alone)\n`);
    // a problem in the manifests is named as it is (netpol validate checks NetworkPolicies, and the invalid ones were reported before)
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 0 }] }] } };
    const unanalysable = await netpol(['lint', '--config', write('fine.json', {}), write('pod.json', pod)]);
    expect(unanalysable.stderr).toMatch(/^netpol lint: cannot analyse the input: .*containerPort: Invalid value: 0[^\n]*\n$/);
    // in the app
    const app = new App({ outdir: path.join(dir, 'dist') });
    new NamespaceBaseline(new Chart(app, 'shop', { namespace: 'shop' }), 'Baseline');
    NetpolLint.addTo(app, { configFile: project });
    expect(() => app.synth()).toThrow(`(\`netpol validate --config ${project}\` checks the lint configuration file alone)`);
    // and the cdk8s validation plugin's fix
    const violations: any[] = [];
    const report = { addViolation: (v: any) => violations.push(v), submit: () => undefined };
    await new NetpolLintPlugin({ configFile: project }).validate({ manifests: [manifests], report });
    expect(violations.map(v => v.fix)).toEqual([`Run \`netpol validate --config ${project}\` and correct what it reports in the lint configuration file.`]);
  });

  test('NetpolLint and the validation plugin read the same file', async () => {
    const off = write('off.json', { rules: { NP006: 'off' } });
    const build = (configFile?: string) => {
      const app = new App({ outdir: path.join(dir, 'dist') });
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new NamespaceBaseline(chart, 'Baseline');
      new Policy(chart, 'Storefront', { ingress: [{ from: [Peer.anyIpv4()], ports: [Port.HTTPS] }] });
      NetpolLint.addTo(app, configFile ? { configFile } : {});
      return app;
    };
    expect(() => build().synth()).toThrow(/NP006/);
    build(off).synth();
    const manifests = [path.join(dir, 'dist', 'shop.k8s.yaml')];
    const statuses: string[] = [];
    for (const props of [{}, { configFile: off }]) {
      const report = { addViolation: () => undefined, submit: (status: string) => { statuses.push(status); } };
      await new NetpolLintPlugin(props).validate({ manifests, report });
    }
    expect(statuses).toEqual(['failure', 'success']);
  });
});
