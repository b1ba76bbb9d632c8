import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Yaml } from 'cdk8s';
import { Deployment } from 'cdk8s-plus-33';
import { NamespaceBaseline, Peer, Policy, Port, Synthesis } from '../../src';
import { constructMetadataKeyOf, constructPathLookup, writeConstructMetadata } from '../../src/io/construct-metadata';
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
    const file = path.join(dir, 'shop.k8s.yaml');
    const web = { kind: 'Deployment', metadata: { name, namespace: 'shop' } };
    const storefront = { kind: 'NetworkPolicy', metadata: { name: 'storefront', namespace: 'shop' } };
    const lookup = constructPathLookup([{ file, object: web }, { file, object: storefront }]);
    expect(lookup(file, web)).toEqual({ path: 'shop/Web', resourceName: `Deployment shop/${name}` });
    expect(lookup(file, storefront)).toEqual({ path: 'shop/Storefront', resourceName: 'NetworkPolicy shop/storefront' });
    expect(lookup(file, { kind: 'NetworkPolicy', metadata: { name: 'unknown', namespace: 'shop' } })).toEqual({ path: undefined, resourceName: 'unknown' });
  });

  test('a construct-metadata.json it does not understand is ignored', () => {
    fs.writeFileSync(path.join(dir, 'construct-metadata.json'), JSON.stringify({ version: '9.9.9', resources: { x: { path: 'a/b' } } }));
    const x = { kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(constructPathLookup([{ file: path.join(dir, 'x.yaml'), object: x }])(path.join(dir, 'x.yaml'), x).path).toBeUndefined();
  });

  test('every name is written as a key, __proto__ too', () => {
    writeConstructMetadata(dir, [{ name: '__proto__', path: 'a/P', key: 'ConfigMap a/__proto__' }, { name: 'x', path: 'a/X', key: undefined }]);
    const text = fs.readFileSync(path.join(dir, 'construct-metadata.json'), 'utf8');
    expect(text).toBe('{"version":"1.0.0","resources":{"__proto__":{"path":"a/P"},"x":{"path":"a/X"},"ConfigMap a/__proto__":{"path":"a/P"}}}');
  });

  test.each([
    [undefined], [null], ['text'], [{}], [{ kind: 'ConfigMap' }], [{ kind: 'ConfigMap', metadata: { name: '' } }],
    [{ kind: 42, metadata: { name: 'x' } }], [{ kind: 'ConfigMap', metadata: { name: ['x'] } }],
  ])('an object without a kind and a name has no key: %j', manifest => {
    expect(constructMetadataKeyOf(manifest)).toBeUndefined();
    expect(constructPathLookup([{ file: path.join(dir, 'x.yaml'), object: manifest }])(path.join(dir, 'x.yaml'), manifest).path).toBeUndefined();
  });

  test.each([
    [{ kind: 'NetworkPolicy', metadata: { namespace: 'shop', name: 'web' } }, 'NetworkPolicy shop/web'],
    [{ kind: 'Namespace', metadata: { name: 'shop' } }, 'Namespace shop'],
    [{ kind: 'Namespace', metadata: { name: 'shop', namespace: '' } }, 'Namespace shop'],
    [{ kind: 'ConfigMap', metadata: { name: 'x', namespace: 7 } }, 'ConfigMap x'],
  ])('the key of %j is %s', (manifest, key) => {
    expect(constructMetadataKeyOf(manifest)).toBe(key);
  });

  describe('names that repeat across charts (a chart per namespace) |', () => {
    /** Two charts with a policy of the same name, synthesized by `synth`; the objects as read back. */
    function twoCharts(synth: (app: App) => void): { file: string; object: any }[] {
      const app = new App({ outdir: dir, recordConstructMetadata: true });
      for (const ns of ['alpha', 'beta']) {
        new Policy(new Chart(app, ns, { namespace: ns }), 'WebFromInternet', { ingress: [{ from: [Peer.anyIpv4()], ports: [Port.HTTPS] }] });
      }
      synth(app);
      return ['alpha', 'beta'].map(ns => ({ file: path.join(dir, `${ns}.k8s.yaml`), object: (Yaml.load(path.join(dir, `${ns}.k8s.yaml`)) as any[])[0] }));
    }

    test('Synthesis.synth records each object by kind, namespace and name too, and the lookup finds each its own path', () => {
      const objects = twoCharts(app => Synthesis.synth(app));
      const resources = JSON.parse(fs.readFileSync(path.join(dir, 'construct-metadata.json'), 'utf8')).resources;
      expect(resources).toEqual({
        // as cdk8s writes it: one entry per name, the last chart's
        'web-from-internet': { path: 'beta/WebFromInternet' },
        'NetworkPolicy alpha/web-from-internet': { path: 'alpha/WebFromInternet' },
        'NetworkPolicy beta/web-from-internet': { path: 'beta/WebFromInternet' },
      });
      const lookup = constructPathLookup(objects);
      expect(objects.map(o => lookup(o.file, o.object))).toEqual([
        { path: 'alpha/WebFromInternet', resourceName: 'NetworkPolicy alpha/web-from-internet' },
        { path: 'beta/WebFromInternet', resourceName: 'NetworkPolicy beta/web-from-internet' },
      ]);
    });

    test('with cdk8s\'s own metadata (names only) a repeated name gets no path, never another object\'s', () => {
      const objects = twoCharts(app => app.synth());
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'construct-metadata.json'), 'utf8')).resources).toEqual({ 'web-from-internet': { path: 'beta/WebFromInternet' } });
      const lookup = constructPathLookup(objects);
      expect(objects.map(o => lookup(o.file, o.object))).toEqual([
        { path: undefined, resourceName: 'NetworkPolicy alpha/web-from-internet' },
        { path: undefined, resourceName: 'NetworkPolicy beta/web-from-internet' },
      ]);
      // read alone, the name is unique among what was read: its recorded path is taken
      expect(constructPathLookup([objects[1]])(objects[1].file, objects[1].object)).toEqual({ path: 'beta/WebFromInternet', resourceName: 'web-from-internet' });
    });

    test('the same object twice (kind, namespace and name) gets no path either', () => {
      const [alpha] = twoCharts(app => Synthesis.synth(app));
      const lookup = constructPathLookup([alpha, { file: alpha.file, object: { ...alpha.object } }]);
      expect(lookup(alpha.file, alpha.object)).toEqual({ path: undefined, resourceName: 'NetworkPolicy alpha/web-from-internet' });
    });
  });

  test('without construct-metadata.json findings have the file only', async () => {
    synthShop(false);
    expect(fs.existsSync(path.join(dir, 'construct-metadata.json'))).toBe(false);
    const json = JSON.parse((await netpol(['lint', '--format', 'json', dir])).stdout);
    expect(json.findings.length).toBeGreaterThan(0);
    expect(json.findings.every((f: any) => f.constructPath === undefined && typeof f.file === 'string')).toBe(true);
  });
});
