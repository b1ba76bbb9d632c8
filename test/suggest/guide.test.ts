/**
 * docs/suggest.md runs: its TypeScript type-checks against the library, and its commands run on
 * its flows and the shop, printing what the guide shows.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { shopFlowsGeneric, shopObjects } from './shop-flows';
import { netpol } from '../cli/run-netpol';
import { policy } from '../fixtures/manifests';
import { typeCheck } from '../fixtures/type-check';

const GUIDE = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'suggest.md'), 'utf8');
const blocks = (lang: string) => [...GUIDE.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map(m => m[1]);

describe('docs/suggest.md', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-suggest-guide-'));
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.mkdirSync(path.join(dir, 'current'));
    fs.writeFileSync(path.join(dir, 'dist', 'shop.yaml'), shopObjects().map(o => YAML.stringify(o)).join('---\n'));
    fs.writeFileSync(path.join(dir, 'current', 'deny-all.yaml'), YAML.stringify(policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })));
    fs.writeFileSync(path.join(dir, 'flows.jsonl'), blocks('jsonl')[0]);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs one command of the guide in the directory of its files; `> file` is the output. */
  const run = (line: string) => {
    const [command, ...rest] = line.replace(/ > \S+$/, '').split(' ');
    expect(command).toBe('netpol');
    return netpol(rest.map(a => (fs.existsSync(path.join(dir, a)) ? path.join(dir, a) : a)));
  };
  const commands = blocks('sh').flatMap(b => b.split('\n')).filter(l => l.startsWith('netpol '));

  test('its flows are the shop\'s flows of the tests, in the generic form of observed flows', () => {
    expect(blocks('jsonl')[0]).toBe(shopFlowsGeneric());
  });

  test('its TypeScript type-checks against the library', () => {
    expect(blocks('ts').length).toBe(2);
    expect(typeCheck(blocks('ts'))).toEqual([]);
  }, 120_000);

  test('the suggestion command prints the proof the guide shows, and exits 0', async () => {
    expect(commands).toHaveLength(3);
    const c = await run(commands[0]);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(c.stdout.startsWith(blocks('text')[0])).toBe(true);
  });

  test('the TypeScript command prints the code the guide shows a part of', async () => {
    const c = await run(commands[1]);
    expect(c.code).toBe(0);
    const shown = blocks('ts')[0].split('\n').filter(l => l !== '' && !l.startsWith('//'));
    for (const line of shown) expect(c.stdout.split('\n')).toContain(line);
  });

  test('with current policies, only the additions', async () => {
    const c = await run(commands[2]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('only what the current policies deny (0 already allowed)');
    expect(c.stdout).toContain('# The proof holds.');
    expect(c.stdout).not.toContain('baseline-default-deny');
  });
});
