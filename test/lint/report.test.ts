import * as fs from 'fs';
import * as path from 'path';
import { deployment, namespace, policy } from './lint-helpers';
import { Linter } from '../../src/lint';
import { artifactUri } from '../../src/lint/private/formatters';

const REPOSITORY: string = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).repository.url.replace(/\.git$/, '');

/** One error (NP001 on the Namespace), one warning (NP002 on it), one suppressed (NP010). */
function sample() {
  return Linter.lint([
    { manifest: namespace('shop'), file: 'k8s/shop.yaml', documentIndex: 0, line: 1 },
    { manifest: deployment('shop', 'web', { app: 'web' }), file: 'k8s/shop.yaml', documentIndex: 1, line: 6 },
    {
      manifest: policy('ftp', 'ftp', {
        podSelector: { matchLabels: { app: 'ftp' } },
        ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 30000, endPort: 40000 }] }],
      }, { 'netpol.cdk8s.io/suppress': 'NP010: passive FTP' }),
      file: 'k8s/ftp.yaml',
      documentIndex: 0,
    },
  ]);
}

describe('LintReport', () => {
  test('counts', () => {
    const report = sample();
    const counts = [report.errors.length, report.warnings.length, report.suppressedFindings.length, report.objectCount, report.hasErrors];
    expect(counts).toEqual([1, 1, 1, 3, true]);
  });

  test('toText: grouped by object, each finding with its fix, then the suppressed ones and a summary', () => {
    expect(sample().toText()).toBe([
      'k8s/shop.yaml:1 (document 0) Namespace shop',
      '  error   NP001 missing-default-deny-ingress: no NetworkPolicy in namespace shop isolates its pods for ingress, so Deployment shop/web accepts connections from every pod and every address',
      '          fix: Add a default deny for ingress to the namespace: `new DefaultDeny(chart, \'DefaultDeny\')` (or `NamespaceBaseline`), or a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]`, then allow what each pod needs.',
      '  warning NP002 missing-default-deny-egress: no NetworkPolicy in namespace shop isolates its pods for egress, so Deployment shop/web may connect to every pod and every address',
      '          fix: Add a default deny for egress together with DNS: `new NamespaceBaseline(chart, \'Baseline\')`, or `DefaultDeny` plus `AllowDns`, then allow the destinations each pod needs.',
      '',
      'Suppressed:',
      '  NP010 wide-port-range at k8s/ftp.yaml (document 0) NetworkPolicy ftp/ftp: passive FTP',
      '',
      'Not run:',
      '  NP001, NP002, NP003, NP004, NP008, NP009 did not run in namespace ftp: the input has NetworkPolicies there but no pods or '
        + 'workloads, and these checks judge pods (default deny, DNS, metadata, policies without effect, AND/OR slips). Lint the '
        + 'policies together with the workloads\' manifests (or the chart that has them).',
      '',
      '1 error, 1 warning, 1 suppressed in 3 objects.',
      '',
    ].join('\n'));
  });

  test('checksNotRun: a policy file alone says which pod checks could not run, and where; JSON carries it too', () => {
    const report = Linter.lintObjects([{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-egress', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    }]);
    // a default deny egress without DNS passes NP003 here only because it could not run, and the report says so
    expect(report.findings).toEqual([]);
    expect(report.checksNotRun).toEqual([expect.stringMatching(/^NP001, NP002, NP003, NP004, NP008, NP009 did not run in namespace shop: /)]);
    expect(report.toJson().checksNotRun).toEqual(report.checksNotRun);
    expect(Linter.lintObjects([]).toJson().checksNotRun).toBeUndefined();
  });

  test('toText: no findings', () => {
    expect(Linter.lintObjects([]).toText()).toBe('No findings in 0 objects.\n');
  });

  test('toJson: summary, findings and suppressed findings', () => {
    const json = sample().toJson();
    expect(json.summary).toEqual({ objects: 3, errors: 1, warnings: 1, suppressed: 1 });
    expect(json.findings.map((f: any) => f.ruleId)).toEqual(['NP001', 'NP002']);
    expect(json.suppressed).toEqual([expect.objectContaining({ ruleId: 'NP010', suppressionReason: 'passive FTP', field: 'spec.ingress[0].ports[0]' })]);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test('toSarif: a SARIF 2.1.0 log with the rules\' metadata and one result per finding', () => {
    const sarif = sample().toSarif('1.2.3');
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.runs).toHaveLength(1);
    const driver = sarif.runs[0].tool.driver;
    expect([driver.name, driver.version]).toEqual(['netpol-lint', '1.2.3']);
    expect(driver.rules.map((r: any) => r.id)).toEqual(Linter.rules().map(r => r.id));
    expect(driver.rules[2]).toEqual(expect.objectContaining({
      id: 'NP003',
      name: 'egress-without-dns',
      shortDescription: { text: 'Pods isolated for egress cannot reach cluster DNS on every DNS port (UDP and TCP).' },
      defaultConfiguration: { level: 'error' },
      // RULES.md in the repository package.json names (configured once, in .projenrc.ts)
      helpUri: `${REPOSITORY}/blob/main/RULES.md#np003-egress-without-dns`,
    }));
    const results = sarif.runs[0].results;
    expect(results.map((r: any) => [r.ruleId, r.ruleIndex, r.level])).toEqual([['NP001', 0, 'error'], ['NP002', 1, 'warning'], ['NP010', 9, 'warning']]);
    expect(results[0].message.text).toMatch(/^Namespace shop: no NetworkPolicy in namespace shop isolates its pods for ingress, .*\. Fix: Add a default deny/);
    expect(results[0].locations).toEqual([{
      physicalLocation: { artifactLocation: { uri: 'k8s/shop.yaml' }, region: { startLine: 1 } },
      logicalLocations: [{ name: 'shop', fullyQualifiedName: 'Namespace/shop', kind: 'resource' }],
    }]);
    expect(results[2].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'k8s/ftp.yaml' } });
    expect(results[2].suppressions).toEqual([{ kind: 'inSource', justification: 'passive FTP' }]);
    expect(results[0].partialFingerprints['netpolLintFinding/v1']).toMatch(/^[0-9a-f]{32}$/);
    expect(results[0].partialFingerprints).not.toEqual(results[1].partialFingerprints);
  });

  test('toSarif: construct findings have logical locations only', () => {
    const sarif = Linter.lint([{ manifest: deployment('shop', 'web', { app: 'web' }), constructPath: 'app/Web' }]).toSarif();
    expect(sarif.runs[0].tool.driver.version).toBe('0.0.0');
    expect(sarif.runs[0].results[0].locations).toEqual([{
      logicalLocations: [
        { name: 'web', fullyQualifiedName: 'Deployment/shop/web', kind: 'resource' },
        { fullyQualifiedName: 'app/Web', kind: 'module' },
      ],
    }]);
  });

  test('artifact URIs are relative to the working directory, with forward slashes', () => {
    expect(artifactUri(path.join(process.cwd(), 'dist', 'shop.k8s.yaml'))).toBe('dist/shop.k8s.yaml');
    expect(artifactUri('./dist/shop.k8s.yaml')).toBe('dist/shop.k8s.yaml');
  });

  test.each([
    ['dist/my file.yaml', 'dist/my%20file.yaml'],
    ['dist/a#b.yaml', 'dist/a%23b.yaml'],
    ['dist/what?.yaml', 'dist/what%3F.yaml'],
    ['dist/100%.yaml', 'dist/100%25.yaml'],
    ['c:evil.yaml', 'c%3Aevil.yaml'],
    ['dist/caf\u00e9.yaml', 'dist/caf%C3%A9.yaml'],
    ['/elsewhere-netpol-test/x y.yaml', 'file:///elsewhere-netpol-test/x%20y.yaml'],
  ])('issue 19: the SARIF artifact URI of %j is percent-encoded: %j', (file, uri) => {
    expect(artifactUri(file)).toBe(uri);
    expect(artifactUri('/elsewhere/x.yaml')).toBe(path.relative(process.cwd(), '/elsewhere/x.yaml').startsWith('..') ? 'file:///elsewhere/x.yaml' : 'elsewhere/x.yaml');
  });
});
