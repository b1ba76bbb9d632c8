import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { netpol } from './cli/run-netpol';
import { anchors, DocBlock, docPages, fencedBlocks, links, markedBlock, markedDocBlock, ROOT } from './fixtures/docs';
import { typeCheck } from './fixtures/type-check';
import { synthesizeExamples } from '../examples/summary';
import * as library from '../src';
import { Peer, Policy, Port } from '../src';

/**
 * Documentation that compiles and tells the truth: README.md and every page under docs/ (found
 * by walking the folder, so a new page is covered without editing this test). Every ```ts block
 * is type-checked against the library's sources, as a module of its own, with `cdk8s-netpol`
 * resolving to `src/`; the outputs shown are what the tools print; every relative link resolves.
 */
const PAGES = docPages();
const BLOCKS = fencedBlocks(PAGES, 'ts');
const DOCS = PAGES.map(p => p.text).join('\n');

/**
 * The new project's test file, which test/e2e/from-readme.js writes twice: as it is (Jest's global
 * `expect`) and behind `import { expect, test } from '@jest/globals'`, as the README says.
 */
const E2E_TEST = markedDocBlock(PAGES, 'e2e:main.test.ts');
const E2E_TEST_JEST_GLOBALS: DocBlock = { ...E2E_TEST, line: E2E_TEST.line - 1, body: `import { expect, test } from '@jest/globals';\n${E2E_TEST.body}` };

/** Every matcher cdk8s-netpol/lib/testing declares (the methods of its matcher interfaces). */
function declaredMatchers(): string[] {
  const dir = path.join(ROOT, 'src', 'testing');
  return fs.readdirSync(dir).flatMap(f => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/^ {2}(to[A-Z]\w*)\(.*\): R;$/gm)].map(m => m[1])).sort();
}

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

/** A block that does not compile, checked with the others: the one diagnostic of the docs, named where it is. */
const BROKEN: DocBlock = { file: 'docs/some-page.md', line: 7, lang: 'ts', body: "import { Port } from 'cdk8s-netpol';\nPort.tcp('80');\n" };

/** The TSDoc `@example`s, each in the standard fixture, named `<file> @example`. */
function tsdocSources(): DocBlock[] {
  const exported = Object.keys(library).sort();
  // each example in a block of its own, as in the jsii-rosetta fixture: its declarations shadow the fixture's
  return tsdocExamples().map(([file, code]) => ({
    file: `${file} @example`,
    line: 0,
    lang: 'ts',
    body: `${FIXTURE.replace('${IMPORTS}', exported.join(', '))}\n{\n${code}\n}`,
  }));
}

let diagnostics: string[] | undefined;
/**
 * The diagnostics of one compilation of every documentation block (the new project's test with
 * @jest/globals too), BROKEN and every TSDoc example: a program of its own for each took as long again.
 */
function typeCheckAll(): string[] {
  diagnostics ??= typeCheck([...BLOCKS, E2E_TEST_JEST_GLOBALS, BROKEN, ...tsdocSources()]);
  return diagnostics;
}

describe('README and docs/', () => {
  test('the guide is README.md and the pages of docs/, each with TypeScript examples somewhere', () => {
    expect(PAGES.map(p => p.file)).toContain('README.md');
    expect(PAGES.filter(p => p.file.startsWith(`docs${path.sep}`)).length).toBeGreaterThan(5);
    expect(new Set(BLOCKS.map(b => b.file)).size).toBeGreaterThan(3);
  });

  test('every TypeScript example type-checks against the library (the new project\'s test with @jest/globals too); one that does not is named by page and line', () => {
    expect(typeCheckAll().filter(d => !/^src\//.test(d))).toEqual([expect.stringMatching(/^docs\/some-page\.md:9 Argument of type 'string'/)]);
  }, 120_000);

  test('the new project\'s test uses every matcher (type-checked above with Jest\'s global expect and with @jest/globals\')', () => {
    expect(declaredMatchers()).toEqual(['toAllowTraffic', 'toDenyTraffic', 'toMatchConnectivitySnapshot']);
    expect(declaredMatchers().filter(m => !E2E_TEST.body.includes(`expect(chart).${m}(`))).toEqual([]);
    expect(BLOCKS).toContainEqual(E2E_TEST);
  });

  test('every relative link points to a file that exists, and an anchor to a heading of its page', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      for (const link of links(page.text)) {
        if (/^[a-z]+:/i.test(link)) continue;
        const [target, anchor] = link.split('#');
        const file = target === '' ? path.join(ROOT, page.file) : path.resolve(ROOT, path.dirname(page.file), target);
        if (!fs.existsSync(file)) {
          broken.push(`${page.file}: ${link}: no such file`);
        } else if (anchor !== undefined && !anchors(fs.readFileSync(file, 'utf8')).has(anchor)) {
          broken.push(`${page.file}: ${link}: no heading with that anchor`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  test('every page of docs/ is in the README\'s table of contents', () => {
    const readme = PAGES.find(p => p.file === 'README.md')!;
    const listed = links(readme.text).map(l => l.split('#')[0]);
    expect(PAGES.filter(p => p.file !== 'README.md' && !listed.includes(p.file.split(path.sep).join('/'))).map(p => p.file)).toEqual([]);
  });
});

describe('TSDoc examples', () => {
  test('the public API has examples', () => {
    expect(tsdocExamples().length).toBeGreaterThan(10);
  });

  test('every @example type-checks in the standard fixture', () => {
    expect(typeCheckAll().filter(d => /^src\//.test(d))).toEqual([]);
  }, 120_000);
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
    expect(DOCS).toContain(message);
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

  const block = (marker: string) => markedBlock(PAGES, marker);

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
  const workflow = markedBlock(PAGES, 'review-workflow');
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

test.each([
  ['bench-results', 'bench/results/latest.md'],
  ['tree-shape-results', 'bench/results/tree-shape.md'],
])('the documentation carries the latest results (%s), once', (marker, file) => {
  const latest = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found = PAGES.map(p => p.text.match(new RegExp(`<!-- ${marker} -->\n([\\s\\S]*?)<!-- /${marker} -->`))?.[1]).filter(m => m !== undefined);
  expect(found).toEqual([latest]);
});
