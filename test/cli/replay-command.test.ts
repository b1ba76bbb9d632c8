import * as fs from 'fs';
import * as path from 'path';
import { expectNoStackTrace, netpol } from './run-netpol';

const ROOT = path.join(__dirname, '..', '..');
const F = path.join('test', 'fixtures', 'observed');
const args = (flows: string, ...more: string[]) => ['replay', path.join(ROOT, F, flows), '--policies', path.join(ROOT, F, 'shop.yaml'), ...more];
const AGAINST = ['--against', path.join(ROOT, F, 'shop-narrowed.yaml')];

describe('netpol replay', () => {
  test('text: the change breaks, broken now, unmatched, never seen; unreadable lines are warnings with file and line', async () => {
    const c = await netpol(args('hubble.json', ...AGAINST));
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/^replay: 5 observed flows \(5 observations\); 2 groups denied now/);
    expect(c.stdout).toContain('The change breaks (allowed now, denied with the change):\n  shop/web -> shop/db TCP/5432: 2 observations');
    expect(c.stdout).toContain('  ops/debug -> shop/db TCP/5432: 1 observation, 1 reported dropped');
    expect(c.stdout).toContain('Unmatched (nothing in the input; not evaluated):');
    expect(c.stderr).toMatch(/warning: .*hubble\.json:6: not JSON/);
    expectNoStackTrace(c);
  });

  test('--fail-on: exit 4 when it trips, 0 when not; newly-broken needs --against', async () => {
    expect((await netpol(args('generic.jsonl', ...AGAINST, '--fail-on', 'newly-broken'))).code).toBe(4);
    expect((await netpol(args('generic.jsonl', '--fail-on', 'broken'))).code).toBe(4);
    const ok = await netpol(['replay', '-', '--policies', path.join(ROOT, F, 'shop.yaml'), '--fail-on', 'broken'], 'source,destination,port\nshop/web,shop/db,5432\n');
    expect(ok.code).toBe(0);
    const usage = await netpol(args('generic.jsonl', '--fail-on', 'newly-broken'));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('needs --against');
  });

  test('json and md', async () => {
    const j = await netpol(args('calico.json', ...AGAINST, '--format', 'json'));
    const doc = JSON.parse(j.stdout);
    expect(doc.changeBreaks).toEqual([expect.objectContaining({ from: 'shop/web', to: 'shop/db', observations: 5 })]);
    expect(doc.problemCount).toBe(1);
    const m = await netpol(args('calico.json', ...AGAINST, '--format', 'md'));
    expect(m.stdout).toMatch(/^### Observed traffic replay\n\n\*\*/);
    expect(m.stdout).toContain('#### The change breaks\n\n| from | to | port | observed | first seen | denied by |');
  });

  test('standard input with a BOM and CRLF; a missing flow file is exit 2 with its name', async () => {
    const c = await netpol(['replay', '-', '--policies', path.join(ROOT, F, 'shop.yaml')], '\ufeffsource,destination,protocol,port\r\nops/debug,shop/db,TCP,5432\r\n');
    expect(c.stdout).toContain('ops/debug -> shop/db TCP/5432: 1 observation, first at -:2');
    const missing = await netpol(args('nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: cannot read: no such file or directory/);
  });

  test('hostile names are escaped: a flow line cannot forge output or markup', async () => {
    const hostile = '{"source":"shop/web","destination":"<img src=x>/a","port":5432}\n{"source":"shop/web","destination":"shop/a\\u001b[31m|x","port":5432}\n';
    const c = await netpol(['replay', '-', '--policies', path.join(ROOT, F, 'shop.yaml'), '--format', 'md'], hostile);
    expect(c.stdout).not.toContain('<img');
    expect(c.stderr).toContain('\\u001b');
    expect(c.stderr).not.toContain('\u001b');
  });

  test('the guide\'s commands run as it says', async () => {
    const guide = fs.readFileSync(path.join(ROOT, 'docs', 'observed-traffic.md'), 'utf8');
    const commands = [...guide.matchAll(/```sh\n(netpol [^\n]+)\n```/g)].map(m => m[1]);
    expect(commands).toHaveLength(3);
    const codes: number[] = [];
    for (const line of commands) {
      const argv = line.split(' ').slice(1).map(a => (a.startsWith('test/') ? path.join(ROOT, a) : a));
      const c = await netpol(argv);
      expectNoStackTrace(c);
      codes.push(c.code);
    }
    // replay, replay --fail-on newly-broken, then suggest (the proof holds)
    expect(codes).toEqual([0, 4, 0]);
  });

  test('--help lists replay and its exit codes', async () => {
    expect((await netpol(['--help'])).stdout).toContain('replay');
    const h = await netpol(['replay', '--help']);
    expect(h.stdout).toContain('4  --fail-on tripped');
  });
});
