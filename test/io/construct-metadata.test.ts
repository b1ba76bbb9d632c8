import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Deployment } from 'cdk8s-plus-33';
import { NamespaceBaseline, Peer, Policy, Port, Synthesis } from '../../src';
import { constructPathLookup } from '../../src/io/construct-metadata';
import { netpol } from '../cli/run-netpol';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-sarif-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Synthesizes a shop with an open storefront (NP006) and a Deployment (NP003 candidates). */
function synthShop(recordConstructMetadata: boolean): void {
  const app = new App({ outdir: dir, recordConstructMetadata });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new NamespaceBaseline(chart, 'Baseline');
  new Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 443 }] });
  new Policy(chart, 'Storefront', { ingress: [{ from: [Peer.anyIpv4()], ports: [Port.HTTPS] }] });
  Synthesis.synth(app);
}

describe('SARIF locations from construct-metadata.json |', () => {
  test('netpol lint --format sarif names the construct path as a logical location, next to the file and line', async () => {
    synthShop(true);
    const result = await netpol(['lint', '--format', 'sarif', dir]);
    const sarif = JSON.parse(result.stdout);
    const open = sarif.runs[0].results.find((r: any) => r.ruleId === 'NP006');
    const location = open.locations[0];
    expect(location.physicalLocation.artifactLocation.uri).toMatch(/shop\.k8s\.yaml$/);
    expect(location.physicalLocation.region.startLine).toBeGreaterThan(0);
    expect(location.logicalLocations).toContainEqual({ fullyQualifiedName: 'shop/Storefront', kind: 'module' });
  });

  test('an object with the id Resource is named by the construct that owns it, as in the in-app lint', () => {
    synthShop(true);
    const metadata = JSON.parse(fs.readFileSync(path.join(dir, 'construct-metadata.json'), 'utf8'));
    const [name] = Object.entries<any>(metadata.resources).find(([, r]) => r.path === 'shop/Web/Resource')!;
    const lookup = constructPathLookup([path.join(dir, 'shop.k8s.yaml')]);
    expect(lookup(path.join(dir, 'shop.k8s.yaml'), { metadata: { name } })).toBe('shop/Web');
    expect(lookup(path.join(dir, 'shop.k8s.yaml'), { metadata: { name: 'storefront' } })).toBe('shop/Storefront');
    expect(lookup(path.join(dir, 'shop.k8s.yaml'), { metadata: { name: 'unknown' } })).toBeUndefined();
  });

  test('a construct-metadata.json it does not understand is ignored', () => {
    fs.writeFileSync(path.join(dir, 'construct-metadata.json'), JSON.stringify({ version: '9.9.9', resources: { x: { path: 'a/b' } } }));
    expect(constructPathLookup([path.join(dir, 'x.yaml')])(path.join(dir, 'x.yaml'), { metadata: { name: 'x' } })).toBeUndefined();
  });

  test('without construct-metadata.json findings have the file only', async () => {
    synthShop(false);
    expect(fs.existsSync(path.join(dir, 'construct-metadata.json'))).toBe(false);
    const json = JSON.parse((await netpol(['lint', '--format', 'json', dir])).stdout);
    expect(json.findings.length).toBeGreaterThan(0);
    expect(json.findings.every((f: any) => f.constructPath === undefined && typeof f.file === 'string')).toBe(true);
  });
});
