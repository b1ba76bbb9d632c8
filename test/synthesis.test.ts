import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, Yaml, YamlOutputType } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { buildApp } from '../examples/app';
import { AllowEgressTo, BlockMetadata, ClusterModel, DefaultDeny, Direction, NamespaceBaseline, Peer, Policy, Port, ProbePlan, Synthesis } from '../src';

/** Every file under `dir`, relative path → contents. */
function filesIn(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-synthesis-'));
  dirs.push(dir);
  return dir;
}

/** An app whose charts depend on each other: nesting, a chart dependency, an object dependency. */
function linkedApp(outdir: string, yamlOutputType?: YamlOutputType): App {
  const app = new App({ outdir, yamlOutputType });
  const base = new Chart(app, 'base', { namespace: 'base' });
  const nested = new Chart(base, 'nested', { namespace: 'nested' });
  const late = new Chart(app, 'late', { namespace: 'late' });
  const early = new Chart(app, 'early', { namespace: 'early' });
  late.addDependency(early);
  const target = new ApiObject(early, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data: { a: '1' } } as any);
  for (const chart of [base, nested, late, early]) new NamespaceBaseline(chart, 'Baseline');
  const web = new Policy(late, 'Web', { policyTypes: [Direction.INGRESS] });
  web.addDependency(target);
  new AllowEgressTo(base, 'Out', { to: [Peer.namespace('late')], ports: [Port.tcp(443)] });
  return app;
}

describe('Synthesis', () => {
  test('synthYaml equals app.synthYaml() for the example app', () => {
    expect(Synthesis.synthYaml(buildApp(tempDir()))).toBe(buildApp(tempDir()).synthYaml());
  });

  test('synthYaml equals app.synthYaml() with charts without objects, and for an app without any', () => {
    const build = (outdir: string, empty: boolean) => {
      const app = new App({ outdir });
      new Chart(app, 'first-empty');
      if (!empty) new NamespaceBaseline(new Chart(app, 'a', { namespace: 'a' }), 'Baseline');
      new Chart(app, 'middle-empty');
      if (!empty) new NamespaceBaseline(new Chart(app, 'b', { namespace: 'b' }), 'Baseline');
      new Chart(app, 'last-empty');
      return app;
    };
    for (const empty of [false, true]) {
      expect(Synthesis.synthYaml(build(tempDir(), empty))).toBe(build(tempDir(), empty).synthYaml());
    }
    const docs = Synthesis.charts(build(tempDir(), false)).flatMap(c => c.manifests).length;
    expect(docs).toBeGreaterThan(2);
    expect(Synthesis.synthYaml(build(tempDir(), false)).split('---\n').length).toBe(docs);
  });

  test('charts() gives each chart\'s chart.toJson(), in app.charts order', () => {
    const fast = Synthesis.charts(buildApp(tempDir()));
    const app = buildApp(tempDir());
    expect(fast.map(c => c.chart.node.path)).toEqual(app.charts.map(c => c.node.path));
    expect(fast.map(c => c.manifests)).toEqual(app.charts.map(c => c.toJson()));
    expect(fast.flatMap(c => c.manifests).length).toBeGreaterThan(40);
  });

  test('synth writes the same files as app.synth(), with index prefixes when charts depend on charts', () => {
    const [a, b] = [tempDir(), tempDir()];
    Synthesis.synth(linkedApp(a));
    linkedApp(b).synth();
    const files = filesIn(a);
    expect(files).toEqual(filesIn(b));
    expect([...files.keys()].sort()).toEqual(['0000-base-nested-c8546d61.k8s.yaml', '0001-base.k8s.yaml', '0002-early.k8s.yaml', '0003-late.k8s.yaml']);
  });

  test('synth writes the example app as app.synth() does (one file per chart, no index)', () => {
    const [a, b] = [tempDir(), tempDir()];
    Synthesis.synth(buildApp(a));
    buildApp(b).synth();
    expect(filesIn(a)).toEqual(filesIn(b));
    expect(filesIn(a).has('shop.k8s.yaml')).toBe(true);
  });

  test.each([
    ['FILE_PER_APP', YamlOutputType.FILE_PER_APP],
    ['FILE_PER_RESOURCE', YamlOutputType.FILE_PER_RESOURCE],
    ['FOLDER_PER_CHART_FILE_PER_RESOURCE', YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE],
  ])('synth with yamlOutputType %s writes what app.synth() writes', (_name, type) => {
    const [a, b] = [tempDir(), tempDir()];
    Synthesis.synth(linkedApp(a, type));
    linkedApp(b, type).synth();
    expect(filesIn(a)).toEqual(filesIn(b));
    expect(filesIn(a).size).toBeGreaterThan(0);
  });

  describe('with construct metadata recorded (CDK8S_RECORD_CONSTRUCT_METADATA=true, as cdk8s synth sets it for plugins) |', () => {
    const saved = process.env.CDK8S_RECORD_CONSTRUCT_METADATA;
    beforeEach(() => { process.env.CDK8S_RECORD_CONSTRUCT_METADATA = 'true'; });
    afterEach(() => {
      if (saved === undefined) delete process.env.CDK8S_RECORD_CONSTRUCT_METADATA;
      else process.env.CDK8S_RECORD_CONSTRUCT_METADATA = saved;
    });

    test.each([
      ['charts that depend on charts', (dir: string) => linkedApp(dir)],
      ['the example app', (dir: string) => buildApp(dir)],
      ['a file per app', (dir: string) => linkedApp(dir, YamlOutputType.FILE_PER_APP)],
    ])('synth writes the same files as app.synth() without calling it, and construct-metadata.json with cdk8s\'s entries and each object\'s: %s', (_name, build) => {
      const [a, b] = [tempDir(), tempDir()];
      const app = build(a);
      const appSynth = jest.spyOn(app, 'synth');
      Synthesis.synth(app);
      expect(appSynth).not.toHaveBeenCalled();
      build(b).synth();
      const [files, cdk8sFiles] = [filesIn(a), filesIn(b)];
      const metadata = JSON.parse(files.get('construct-metadata.json')!);
      const cdk8sMetadata = JSON.parse(cdk8sFiles.get('construct-metadata.json')!);
      files.delete('construct-metadata.json');
      cdk8sFiles.delete('construct-metadata.json');
      expect(files).toEqual(cdk8sFiles);
      // cdk8s's entries by name, then every object by kind, namespace and name (which no name can be: a name has no space)
      const byName = Object.fromEntries(Object.entries(metadata.resources).filter(([k]) => !k.includes(' ')));
      expect({ ...metadata, resources: byName }).toEqual(cdk8sMetadata);
      const documents = [...files.keys()].flatMap(file => Yaml.load(path.join(a, file)) as any[]);
      const keyOf = (d: any) => `${d.kind} ${d.metadata.namespace ? `${d.metadata.namespace}/` : ''}${d.metadata.name}`;
      expect(Object.keys(metadata.resources).filter(k => k.includes(' ')).sort()).toEqual([...new Set(documents.map(keyOf))].sort());
      // where a name is the only one of its kind, cdk8s's entry is the object's too: both give the same path
      const unique = documents.filter(d => documents.filter(x => x.metadata.name === d.metadata.name).length === 1);
      expect(unique.length).toBeGreaterThan(1);
      for (const d of unique) expect(metadata.resources[keyOf(d)]).toEqual(cdk8sMetadata.resources[d.metadata.name]);
    });

    test('an app that records nothing writes no construct-metadata.json', () => {
      const dir = tempDir();
      const app = new App({ outdir: dir, recordConstructMetadata: false });
      new NamespaceBaseline(new Chart(app, 'a', { namespace: 'a' }), 'Baseline');
      Synthesis.synth(app);
      expect(fs.existsSync(path.join(dir, 'construct-metadata.json'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'a.k8s.yaml'))).toBe(true);
    });
  });

  test('validation fails with the message app.synthYaml() gives', () => {
    const broken = () => {
      const app = Testing.app();
      new BlockMetadata(new Chart(app, 'a', { namespace: 'a' }), 'Block');
      const b = new Chart(app, 'b', { namespace: 'a' });
      new AllowEgressTo(b, 'Open', { to: [Peer.anyIpv4()], ports: [Port.tcp(80)] });
      new Policy(b, 'Empty');
      return app;
    };
    let expected = '';
    try {
      broken().synthYaml();
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).toMatch(/^Validation failed with the following errors:\n {2}\[a\/Block\] BlockMetadata: .*\n {2}\[b\/Empty\] this policy has no rules/);
    expect(() => Synthesis.synthYaml(broken())).toThrow(expected);
  });

  test('runs every validation once per synthesis, where cdk8s runs it once per chart', () => {
    const count = (synth: (app: App) => unknown) => {
      const app = Testing.app();
      let calls = 0;
      for (let i = 0; i < 20; i++) {
        const chart = new Chart(app, `team-${i}`, { namespace: `team-${i}` });
        new NamespaceBaseline(chart, 'Baseline');
      }
      new Construct(app.node.children[0] as Chart, 'Counter').node.addValidation({ validate: () => (calls++, []) });
      synth(app);
      return calls;
    };
    expect(count(app => Synthesis.synthYaml(app))).toBe(1);
    expect(count(app => app.synthYaml())).toBe(21);
  });

  test('sorts the app\'s charts once per synthesis (App.charts sorts every construct of the app)', () => {
    for (const synth of [(app: App) => Synthesis.synthYaml(app), (app: App) => Synthesis.synth(app), (app: App) => Synthesis.charts(app)]) {
      // (construct-metadata.json too, as `cdk8s synth` asks for with validation plugins)
      const app = new App({ outdir: tempDir(), recordConstructMetadata: true });
      for (let i = 0; i < 3; i++) new NamespaceBaseline(new Chart(app, `team-${i}`, { namespace: `team-${i}` }), 'Baseline');
      const charts = jest.spyOn(app, 'charts', 'get');
      synth(app);
      expect(charts).toHaveBeenCalledTimes(1);
    }
  });
});

describe('Synthesis with objects of any library', () => {
  test('gives each chart the objects chart.toJson() gives, in the same order', () => {
    // GIVEN
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'team-a' });
    const b = new Chart(app, 'b', { namespace: 'team-b' });
    const first = new k8s.KubeNetworkPolicy(a, 'First', { spec: { podSelector: {} } });
    first.addDependency(new k8s.KubeNetworkPolicy(a, 'Second', { spec: { podSelector: {} } }));
    new DefaultDeny(b, 'DefaultDeny');

    // WHEN
    const charts = Synthesis.charts(app);

    // THEN
    expect(charts.map(c => c.chart.node.id)).toEqual(app.charts.map(c => c.node.id));
    expect(charts[0].manifests.map(o => o.metadata.name)).toEqual([expect.stringMatching(/^a-second-/), expect.stringMatching(/^a-first-/)]);
    for (const { chart, manifests } of charts) expect(manifests).toEqual(chart.toJson());
    expect(Yaml.stringify(...charts.flatMap(c => c.manifests))).toEqual(app.synthYaml());
  });

  test('fails with the same message as cdk8s when a validation fails', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    chart.node.addValidation({ validate: () => ['broken'] });
    expect(() => Synthesis.charts(app)).toThrow('Validation failed with the following errors:\n  [c] broken');
  });

  test('orders dependent charts as App.charts does', () => {
    const app = Testing.app();
    const late = new Chart(app, 'late', { namespace: 'x' });
    const early = new Chart(app, 'early', { namespace: 'y' });
    const x = new k8s.KubeNetworkPolicy(late, 'X', { spec: { podSelector: {} } });
    const y = new k8s.KubeNetworkPolicy(early, 'Y', { spec: { podSelector: {} } });
    x.addDependency(y);
    expect(Synthesis.charts(app).map(c => c.chart.node.id)).toEqual(['early', 'late']);
  });
});

describe('an app whose charts are not charts', () => {
  const lookAlike = (charts: unknown) => {
    const app = new App({ outdir: tempDir() });
    new NamespaceBaseline(new Chart(app, 'a', { namespace: 'a' }), 'Baseline');
    Object.defineProperty(app, 'charts', { get: () => charts });
    return app;
  };
  test.each([
    ['not an array', { length: 1 }],
    ['an array with a non-chart', [new Construct(new App(), 'x')]],
    ['undefined', undefined],
  ])('fails with a clear error, not a TypeError: %s', (_name, charts) => {
    const calls: [string, (app: App) => unknown][] = [
      ['Synthesis.synth', app => Synthesis.synth(app)],
      ['Synthesis.synthYaml', app => Synthesis.synthYaml(app)],
      ['Synthesis.charts', app => Synthesis.charts(app)],
      ['ClusterModel.fromApp', app => ClusterModel.fromApp(app)],
      ['ProbePlan.fromApp', app => ProbePlan.fromApp(app)],
    ];
    for (const [where, call] of calls) {
      const app = lookAlike(charts);
      expect(() => call(app)).toThrow(new RegExp(`\\[${where.replace('.', '\\.')}\\] app: .*must be a cdk8s App, whose charts are cdk8s Charts`));
    }
  });

  test('ProbePlan.fromApp checks its argument', () => {
    expect(() => ProbePlan.fromApp(undefined as any)).toThrow(/\[ProbePlan\.fromApp\] app: undefined: must be a cdk8s App/);
  });
});
