import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ManualClock } from './support/fake-clock';
import { FakeKubectl } from './support/fake-kubectl';
import { AnalysisInputError } from '../../src/analysis/analysis-input-error';
import { kubectlExecutor } from '../../src/probe/kubectl-executor';

// Every test spawns the fake kubectl; the machine is shared.
jest.setTimeout(60_000);

let dir: string;
let fake: FakeKubectl;
const kubectl = () => path.join(fake.dir, 'kubectl');

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-kubectl-executor-'));
  fake = FakeKubectl.create(path.join(dir, 'bin'), []);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(() => fake.reset());

/** Resolves once the fake has recorded a call (the process is running). */
async function started(): Promise<number> {
  for (;;) {
    const calls = fake.calls();
    if (calls.length > 0) return calls[calls.length - 1].pid;
    await new Promise(r => setTimeout(r, 20));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 500 && alive(pid); i++) await new Promise(r => setTimeout(r, 20));
  return !alive(pid);
}

describe('kubectlExecutor', () => {
  test('passes the context as one `--context=` argument, then the arguments, and the standard input', async () => {
    fake.respond([{ when: '*', stdout: 'ok', stderr: 'Warning: x\n' }]);
    const r = await kubectlExecutor({ kubectl: kubectl(), context: 'kind-dev' })(['get', 'pods'], { stdin: 'input' });
    expect(r).toEqual({ code: 0, stdout: 'ok', stderr: 'Warning: x\n' });
    expect(fake.calls().map(c => [c.args, c.stdin])).toEqual([[['--context=kind-dev', 'get', 'pods'], 'input']]);
  });

  test('a kubectl that never returns is killed at its deadline, with its process group, and says so', async () => {
    fake.respond([{ when: '*', stdout: 'partial', hang: true }]);
    const clock = new ManualClock();
    const call = kubectlExecutor({ kubectl: kubectl(), clock, timeoutMs: 30_000 })(['get', 'pods']);
    const pid = await started();
    expect(clock.pending()).toEqual([30_000]);
    clock.fire();
    const r = await call;
    expect(r.failure).toBe('did not finish within 30 s: killed');
    expect(r.interrupted).toBeUndefined();
    expect(await gone(pid)).toBe(true);
  });

  test('a kubectl whose credential plugin hangs holding its output is killed with the plugin, and the call returns', async () => {
    fake.respond([{ when: '*', hang: true, grandchild: true }]);
    const clock = new ManualClock();
    const call = kubectlExecutor({ kubectl: kubectl(), clock })(['get', 'pods']);
    const pid = await started();
    while (fake.grandchildPid() === undefined) await new Promise(r => setTimeout(r, 20));
    clock.fire();
    expect((await call).failure).toBe('did not finish within 60 s: killed');
    expect(await gone(pid)).toBe(true);
    expect(await gone(fake.grandchildPid()!)).toBe(true);
  });

  test('a call\'s own deadline is at most the executor\'s', async () => {
    fake.respond([{ when: '*', hang: true }]);
    const clock = new ManualClock();
    const run = kubectlExecutor({ kubectl: kubectl(), clock, timeoutMs: 30_000 });
    const short = run(['get', 'pods'], { timeoutMs: 1500 });
    await started();
    const long = run(['get', 'pods'], { timeoutMs: 90_000 });
    while (fake.calls().length < 2) await new Promise(r => setTimeout(r, 20));
    expect(clock.pending()).toEqual([1500, 30_000]);
    clock.fire();
    expect((await short).failure).toBe('did not finish within 1500 ms: killed');
    expect((await long).failure).toBe('did not finish within 30 s: killed');
  });

  test.each([
    ['standard output', { stdout: 'x'.repeat(1024), repeat: 1000 }],
    ['standard error', { stderr: 'e'.repeat(64 * 1024 + 1) }],
  ])('a kubectl printing more than the bound on %s is killed and reported, never a RangeError', async (stream, response) => {
    fake.respond([{ when: '*', hang: true, ...response }]);
    const r = await kubectlExecutor({ kubectl: kubectl(), maxOutputBytes: 64 * 1024 })(['get', 'pods']);
    expect(r.failure).toBe(`printed more than 64 KiB on ${stream}: killed (the output is bounded)`);
    expect(stream === 'standard output' ? r.stdout : r.stderr).toBe(''); // dropped, not held
    expect(await gone(fake.calls()[0].pid)).toBe(true);
  });

  test('aborting the run kills the call in flight; a call after the abort never starts', async () => {
    fake.respond([{ when: '*', hang: true }]);
    const controller = new AbortController();
    const run = kubectlExecutor({ kubectl: kubectl(), clock: new ManualClock() });
    const call = run(['get', 'pods'], { signal: controller.signal });
    const pid = await started();
    controller.abort();
    expect(await call).toMatchObject({ failure: 'interrupted: killed', interrupted: true });
    expect(await gone(pid)).toBe(true);
    expect(await run(['get', 'pods'], { signal: controller.signal })).toMatchObject({ failure: 'interrupted before it started', interrupted: true });
    expect(fake.calls()).toHaveLength(1);
  });

  test('a kubectl that cannot be started is a result with code 127, not an exception', async () => {
    const r = await kubectlExecutor({ kubectl: path.join(dir, 'no-such-kubectl') })(['version']);
    expect(r.code).toBe(127);
    expect(r.failure).toMatch(/^could not run .*no-such-kubectl: .*ENOENT/);
  });

  test.each([
    [{ kubectl: '' }, /--kubectl: Invalid value: "": must be the path of the kubectl program/],
    [{ kubectl: 'kubectl\u0000--x' }, /--kubectl: Invalid value: "kubectl\\u0000--x"/],
    [{ context: '--kubeconfig=./evil.kubeconfig' }, /--context: Invalid value: "--kubeconfig=.\/evil.kubeconfig": must not start with "-"/],
    [{ context: 'kind\n' }, /--context: Invalid value: "kind\\n": must not contain control characters/],
  ])('refuses %j as an input error', (options, message) => {
    expect(() => kubectlExecutor(options)).toThrow(AnalysisInputError);
    expect(() => kubectlExecutor(options)).toThrow(message);
  });
});
