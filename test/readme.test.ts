import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { netpol } from './cli/run-netpol';
import { typeCheck } from './fixtures/type-check';
import { synthesizeExamples } from '../examples/summary';
import * as library from '../src';
import { Peer, Policy, Port } from '../src';

/**
 * Documentation that compiles: every ```ts block in the README is type-checked against the
 * library's sources, as a module of its own, with `cdk8s-netpol` resolving to `src/`.
 */
const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);

/** The fixture every TSDoc `@example` of the public API runs in (like a jsii-rosetta fixture). */
const FIXTURE = [
  "import { App, Chart } from 'cdk8s';",
  "import { ${IMPORTS} } from 'cdk8s-netpol';",
  'const app = new App();',
  "const chart = new Chart(app, 'example', { namespace: 'shop' });",
].join('\n');

/** Every `@example` in src/, as `[file, code]`. */
function tsdocExamples(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
      } else if (file.endsWith('.ts')) {
        for (const m of fs.readFileSync(file, 'utf8').matchAll(/@example\n((?:\s*\*(?! @)(?!\/).*\n)+)/g)) {
          out.push([path.relative(ROOT, file), m[1].split('\n').map(l => l.replace(/^\s*\* ?/, '')).join('\n')]);
        }
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  return out;
}

describe('README', () => {
  test('has TypeScript examples', () => {
    expect(BLOCKS.length).toBeGreaterThan(0);
  });

  test('every TypeScript example type-checks against the library', () => {
    expect(typeCheck(BLOCKS)).toEqual([]);
  }, 60_000);

});

describe('TSDoc examples', () => {
  const examples = tsdocExamples();
  const exported = Object.keys(library).sort();

  test('the public API has examples', () => {
    expect(examples.length).toBeGreaterThan(10);
  });

  test('every @example type-checks in the standard fixture', () => {
    // each example in a block of its own, as in the jsii-rosetta fixture: its declarations shadow the fixture's
    const sources = examples.map(([file, code]) => `// ${file}\n${FIXTURE.replace('${IMPORTS}', exported.join(', '))}\n{\n${code}\n}`);
    expect(typeCheck(sources)).toEqual([]);
  }, 60_000);
});

describe('README error samples', () => {
  const chart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  test.each([
    ['port 0', () => new Policy(chart(), 'Web', { ingress: [{ from: [Peer.pods({ app: 'a' })], ports: [Port.tcp(0)] }] })],
    ['host bits', () => new Policy(chart(), 'Web', { ingress: [{ from: [Peer.ipBlock('10.0.0.1/8')], ports: [Port.tcp(80)] }] })],
    ['no peers', () => new Policy(chart(), 'Web', { ingress: [{ from: [], ports: [Port.tcp(80)] }] })],
  ])('the %s error is shown as the library prints it', (_name, build) => {
    let message = '';
    try {
      build();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(README).toContain(message);
  });
});

describe('README flagship outputs are what the tools print', () => {
  let dir: string;
  let shop: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-readme-'));
    synthesizeExamples(dir);
    shop = path.join(dir, 'shop.k8s.yaml');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** The body of the fenced block that follows `<!-- marker -->` in the README. */
  function block(marker: string): string {
    const m = README.match(new RegExp(`<!-- ${marker} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``));
    if (!m) throw new Error(`README has no block after <!-- ${marker} -->`);
    return m[1];
  }

  test('the flagship YAML is the NetworkPolicies the example synthesizes', () => {
    const docs = fs.readFileSync(shop, 'utf8').split(/^---\n/m).filter(d => /^kind: NetworkPolicy$/m.test(d));
    expect(docs).toHaveLength(8);
    expect(block('flagship-yaml')).toBe(docs.join('---\n'));
  });

  test.each([
    ['flagship-matrix', ['matrix', '--port', '5432'], 0, '$ npx netpol matrix dist/shop.k8s.yaml --port 5432\n'],
    ['flagship-mermaid', ['matrix', '--port', '5432', '--format', 'mermaid'], 0, ''],
    ['flagship-explain', ['explain', '--from', 'shop/backend', '--to', 'shop/postgres', '--port', '5432'], 0,
      '$ npx netpol explain dist/shop.k8s.yaml --from shop/backend --to shop/postgres --port 5432\n'],
    ['flagship-list', ['list'], 0, '$ npx netpol list dist/shop.k8s.yaml\n'],
  ])('%s', async (marker, args, code, prompt) => {
    const out = await netpol([args[0], shop, ...args.slice(1)]);
    expect(out.code).toBe(code);
    expect(block(marker)).toBe(prompt + out.stdout);
  });
});

describe('README review workflow', () => {
  const workflow = README.match(/<!-- review-workflow -->\n```yaml\n([\s\S]*?)```/)?.[1] ?? '';
  /** Every `npx netpol ...` command of the workflow's run steps, as arguments (before any redirection). */
  const commands = (): string[][] => {
    const doc = YAML.parse(workflow);
    const runs: string[] = doc.jobs.connectivity.steps.map((step: any) => step.run).filter((r: unknown) => typeof r === 'string');
    return runs.flatMap(r => r.split('\n')).map(l => l.trim()).filter(l => l.startsWith('npx netpol '))
      .map(l => l.replace(/\s*>.*$/, '').split(/\s+/).slice(2));
  };
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-review-'));
    synthesizeExamples(path.join(dir, 'dist'));
    synthesizeExamples(path.join(dir, 'base', 'dist'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('is valid YAML with a diff posted as Markdown and an opened-flow gate', () => {
    expect(commands()).toEqual([
      ['diff', 'base/dist', 'dist', '--format', 'md'],
      ['diff', 'base/dist', 'dist', '--to', 'shop', '--fail-on', 'opened'],
    ]);
  });

  test('its netpol commands run on two synthesized versions (no change: exit 0)', async () => {
    for (const args of commands()) {
      const out = await netpol(args.map(a => (a === 'base/dist' || a === 'dist' ? path.join(dir, a) : a)));
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
    }
  });

  test('its gate exits 4 when a flow into the protected namespace opens', async () => {
    fs.writeFileSync(path.join(dir, 'dist', 'zz-opened.yaml'), [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: open-frontend, namespace: shop}',
      'spec: {podSelector: {}, ingress: [{}]}',
      '',
    ].join('\n'));
    try {
      const gate = commands()[1].map(a => (a === 'base/dist' || a === 'dist' ? path.join(dir, a) : a));
      const out = await netpol(gate);
      expect(out.code).toBe(4);
      expect(out.stderr).toMatch(/^netpol diff: --fail-on opened: \d+ flows opened/);
    } finally {
      fs.rmSync(path.join(dir, 'dist', 'zz-opened.yaml'));
    }
  });
});

test('the README carries the latest benchmark results', () => {
  const latest = fs.readFileSync(path.join(ROOT, 'bench/results/latest.md'), 'utf8');
  const m = README.match(/<!-- bench-results -->\n([\s\S]*?)<!-- \/bench-results -->/);
  expect(m?.[1]).toBe(latest);
});
