import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import { SHOP_FLOWS, shopObjects } from './shop-flows';
import * as library from '../../src';
import { ClusterModel, ClusterProfile, PolicySuggestion, Protocol } from '../../src';
import { deployment, policy } from '../fixtures/manifests';
import { typeCheck } from '../fixtures/type-check';

/**
 * Runs generated TypeScript as a user's app would run, with `cdk8s-netpol` being this library,
 * and returns what its charts synthesize.
 */
function runApp(code: string): any[] {
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-suggest-'));
  const apps: cdk8s.App[] = [];
  class App extends cdk8s.App {
    constructor() {
      super({ outdir });
      apps.push(this);
    }
  }
  const modules: Record<string, unknown> = { 'cdk8s': { ...cdk8s, App }, 'cdk8s-netpol': library };
  const require = (name: string) => {
    if (!(name in modules)) throw new Error(`the generated code requires ${name}`);
    return modules[name];
  };
  try {
    new Function('require', 'exports', 'module', js)(require, {}, { exports: {} });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  expect(apps.length).toBe(1);
  return apps[0].charts.flatMap(c => c.toJson());
}

const cases: [string, () => PolicySuggestion][] = [
  ['the shop', () => PolicySuggestion.fromFlows(ClusterModel.fromObjects(shopObjects()), SHOP_FLOWS)],
  ['additions to current policies', () => PolicySuggestion.fromFlows(ClusterModel.fromObjects([
    ...shopObjects(), policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  ]), SHOP_FLOWS)],
  ['anywhere, IPv6, UDP and SCTP ranges, a label key that is no identifier', () => PolicySuggestion.fromFlows(ClusterModel.fromObjects([
    deployment('a', 'crawler', { 'app.kubernetes.io/name': 'crawler' }), deployment('b', 'solo', {}),
  ]), [
    { from: 'a/crawler', to: '198.51.100.1', protocol: Protocol.TCP, port: 443 },
    { from: 'a/crawler', to: '2001:db8::1', protocol: Protocol.UDP, port: 500 },
    { from: 'a/crawler', to: '2001:db8::1', protocol: Protocol.UDP, port: 501 },
    { from: 'b/solo', to: 'a/crawler', protocol: Protocol.SCTP, port: 9 },
    { from: 'b/solo', to: 'a/crawler', protocol: Protocol.SCTP, port: 10 },
  ], { anywhereForExternal: true, clusterCidrs: ['10.0.0.0/8', 'fd00::/48'] })],
  ['GKE Cloud DNS', () => PolicySuggestion.fromFlows(ClusterModel.fromObjects(shopObjects()), [
    { from: 'shop/web', to: '169.254.169.254', protocol: Protocol.UDP, port: 53 },
  ], { profile: ClusterProfile.GKE_CLOUD_DNS })],
];

describe('PolicySuggestion.toTypeScript', () => {
  test('the generated apps type-check against the library', () => {
    const sources = cases.map(([, make]) => make().toTypeScript());
    expect(sources.every(code => code.includes('new Policy(') || code.includes('new NamespaceBaseline('))).toBe(true);
    expect(typeCheck(sources)).toEqual([]);
  }, 120_000);

  test.each(cases)('%s: the generated app synthesizes exactly the YAML renderer\'s objects', (_name, make) => {
    const suggestion = make();
    const objects = suggestion.toObjects();
    expect(objects.length).toBeGreaterThan(0);
    expect(runApp(suggestion.toTypeScript())).toEqual(objects);
    // and the YAML renderer writes those objects, after the proof
    const yaml = suggestion.toYaml();
    expect(YAML.parseAllDocuments(yaml).map(d => d.toJSON())).toEqual(objects);
  });

  test('the proof is in the code, as comments', () => {
    const code = cases[0][1]().toTypeScript();
    expect(code.split('\n').slice(0, 3)).toEqual([
      '// Suggested from 8 distinct observed flows, profile generic.',
      '// Checked by the connectivity engine on the input\'s workloads with the suggested policies added:',
      '//   observed flows allowed: 8 of 8',
    ]);
  });
});
