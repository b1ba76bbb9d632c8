import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeExamples } from '../../examples/summary';
import { ProbeObservation, ProbePlan } from '../../src/probe';
import { PROBE_ID_LABEL } from '../../src/probe/probe-names';
import { probeExitCode } from '../../src/probe/probe-report';
import { kubectlExecutor } from '../../src/probe/kubectl-executor';
import { runProbes } from '../../src/probe/probe-runner';
import { netpol } from '../cli/run-netpol';
import { FakeClock } from './support/fake-clock';
import { FakeKubectl } from './support/fake-kubectl';
import { enforced, notEnforced, probePods as podsOf, RUN_ID, SHOP_PODS, shopResponses as responses } from './support/shop-cluster';
import { loadManifests } from '../../src/io/manifest-loader';

// Every test here spawns kubectl (the fake) many times, on a shared machine.
jest.setTimeout(60_000);

const ROOT = path.join(__dirname, '..', '..');
let dir: string;
let shop: string;
let plan: ProbePlan;
let fake: FakeKubectl;
const savedPath = process.env.PATH;
const savedKubeconfig = process.env.KUBECONFIG;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-probe-run-'));
  synthesizeExamples(dir);
  shop = path.join(dir, 'shop.k8s.yaml');
  plan = ProbePlan.fromObjects(loadManifests([shop]).objects.map(o => o.object));
  fake = FakeKubectl.create(path.join(dir, 'bin'), []);
  // The fake comes first on the PATH; no kubeconfig, in case anything reached a real kubectl.
  process.env.PATH = `${fake.dir}${path.delimiter}${savedPath}`;
  process.env.KUBECONFIG = path.join(dir, 'no-such-kubeconfig');
});

beforeAll(async () => {
  // Never reach a real kubectl: the executor must resolve to the fake before any test runs.
  fake.respond([{ when: 'fake-check', stdout: 'fake' }]);
  const r = await kubectlExecutor()(['fake-check']);
  if (r.stdout !== 'fake' || !fake.calls().some(c => c.args[0] === 'fake-check')) throw new Error(`kubectl does not resolve to the fake on the PATH: ${r.stderr}`);
});

afterAll(() => {
  process.env.PATH = savedPath;
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => fake.reset());

/** Every Job applied was deleted (by namespace), and the probe Namespace after them, after the apply. */
function expectEverythingDeleted(): void {
  const calls = fake.calls();
  const applies = calls.map((c, i) => ({ ...c, i })).filter(c => c.args.includes('apply'));
  const applied = applies.flatMap(a => JSON.parse(a.stdin).items);
  const deletes = calls.map((c, i) => ({ ...c, i })).filter(c => c.args.includes('delete'));
  expect(deletes.every(d => d.i > applies[applies.length - 1].i)).toBe(true);
  const args = (d: { args: string[] }) => d.args.slice(d.args.indexOf('delete'));
  const jobDeletes = deletes.filter(d => args(d)[1] === 'job');
  const deleted = jobDeletes.flatMap(d => {
    const a = args(d);
    const ns = a.find(x => x.startsWith('--namespace='))!.slice('--namespace='.length);
    return a.slice(a.indexOf('--') + 1).map(n => `${ns}/${n}`);
  });
  const expected = applied.filter((o: any) => o.kind === 'Job').map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`);
  expect(deleted.sort()).toEqual(expected.sort());
  expect(jobDeletes.every(d => args(d).includes('--ignore-not-found'))).toBe(true);
  const last = args(deletes[deletes.length - 1]);
  expect(last).toEqual(['delete', 'namespace', '--ignore-not-found', '--wait=false', '--', 'netpol-probe']);
}

async function probeRun(extra: string[] = []) {
  return netpol(['probe', 'run', shop, '--run-id', RUN_ID, '--poll-interval', '10', '--deadline', '30', ...extra]);
}

describe('netpol probe run against a fake kubectl', () => {
  test('applies one Job per probe and the probe Namespace, connecting to the pod IPs it looked up, and exits 0 when the cluster agrees', async () => {
    fake.respond(responses(podsOf(plan, enforced)));
    const junit = path.join(dir, 'agree.xml');
    const out = await probeRun(['--junit', junit, '--context', 'kind-test']);
    expect(out.stderr).not.toMatch(/failed/);
    expect(out.code).toBe(0);

    const calls = fake.calls();
    expect(calls.every(c => c.args[0] === '--context=kind-test')).toBe(true);
    const apply = calls.filter(c => c.args.includes('apply'));
    expect(apply).toHaveLength(1);
    const applied = JSON.parse(apply[0].stdin);
    expect(applied.kind).toBe('List');
    expect(applied.items.map((o: any) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/netpol-probe', ...plan.probes.map(p => `Job/netpol-probe-${RUN_ID}-${p.id}`),
    ]);
    const jobOf = (id: string) => applied.items.find((o: any) => o.metadata.labels[PROBE_ID_LABEL] === id);
    const commandOf = (id: string) => jobOf(id).spec.template.spec.containers[0].command;
    const toBackend = plan.probes.find(p => p.from === 'shop/frontend' && p.to === 'shop/backend' && p.port === 9000)!;
    expect(commandOf(toBackend.id)[2]).toBe('10.1.0.12:9000'); // the running backend pod, not the pending one
    const toDb = plan.probes.find(p => p.to === 'shop/postgres')!;
    expect(commandOf(toDb.id)[2]).toBe('10.1.0.13:5432'); // headless Service: the pod IP

    // Namespace-scoped reads only: one pod query per namespace the probes run in.
    expect(calls.some(c => c.args.includes('--all-namespaces'))).toBe(false);
    const polls = calls.filter(c => c.args.some(a => a.startsWith('--selector='))).map(c => c.args.find(a => a.startsWith('--namespace=')));
    expect([...new Set(polls)].sort()).toEqual(['--namespace=netpol-probe', '--namespace=shop']);
    const order = calls.map(c => c.args.slice(1).join(' '));
    const applyAt = order.findIndex(a => a.startsWith('apply'));
    expect(order.findIndex(a => a.startsWith('delete'))).toBeGreaterThan(applyAt);
    expectEverythingDeleted();

    expect(out.stdout).toMatch(/^PROBE\s+CONNECTION\s+EXPECTED\s+OBSERVED\s+VERDICT$/m);
    expect(out.stdout).toContain(`${plan.probes.length} probes: ${plan.probes.length} agree, 0 disagree, 0 could not run.`);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toContain(`<testsuites name="netpol probe" tests="${plan.probes.length}" failures="0" errors="0">`);
    expect(xml.match(/<testcase /g)).toHaveLength(plan.probes.length);
  });

  test('exits 5 and says the plugin probably does not enforce NetworkPolicy when every expected-denied probe connects', async () => {
    fake.respond(responses(podsOf(plan, notEnforced)));
    const junit = path.join(dir, 'flannel.xml');
    const out = await probeRun(['--junit', junit]);
    expect(out.code).toBe(5);
    const denied = plan.probes.filter(p => !p.expectAllowed).length;
    expect(out.stdout).toContain(`Every probe that the policies deny connected (${denied} of ${denied}): the network plugin probably does not enforce NetworkPolicy at all.`);
    expect(out.stdout).toMatch(/flannel alone/);
    expect(out.stdout).toMatch(/kubectl get daemonsets --namespace kube-system/);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toContain(`failures="${denied}" errors="0"`);
    expect(xml.match(/<failure message="observed reached">/g)).toHaveLength(denied);
  });

  test('exits 5 and points at the semantics plugins differ on when only some probes disagree', async () => {
    const metadata = plan.probes.find(p => p.to === '169.254.169.254')!;
    fake.respond(responses(podsOf(plan, p => (p.id === metadata.id ? { terminated: { exitCode: 1, message: 'REFUSED\n' } } : enforced(p)))));
    const out = await probeRun();
    expect(out.code).toBe(5);
    expect(out.stdout).toContain('1 probes disagree with the offline analysis.');
    expect(out.stdout).toMatch(/Cloud metadata reached: traffic from a pod to its own node is always allowed/);
    expect(out.stdout).toContain(`${metadata.id} ${metadata.description}: expected denied, observed reached (refused)`);
    expect(out.stdout).not.toMatch(/does not enforce NetworkPolicy at all/);
  });

  test('a probe that disagrees runs again in a fresh pod, and only the last attempt counts', async () => {
    const flaky = plan.probes.find(p => !p.expectAllowed)!;
    const first = podsOf(plan, p => (p.id === flaky.id ? { terminated: { exitCode: 0 } } : enforced(p)));
    fake.respond(responses(podsOf(plan, enforced), [{ when: `${RUN_ID},netpol.cdk8s.io/probe-attempt=1`, stdout: first }]));
    const out = await probeRun();
    expect(out.code).toBe(0);
    const applies = fake.calls().filter(c => c.args.includes('apply')).map(c => JSON.parse(c.stdin).items);
    expect(applies).toHaveLength(2);
    expect(applies[1].map((o: any) => o.metadata.name)).toEqual([`netpol-probe-${RUN_ID}-${flaky.id}-a2`]);
    expect(applies[1][0].spec.template.metadata.labels['netpol.cdk8s.io/probe-attempt']).toBe('2');
    expect(out.stderr).toContain('1 probes disagree; running them again (attempt 2 of 2)');
    expectEverythingDeleted();
    fake.reset();
    const once = await probeRun(['--attempts', '1']);
    expect(once.code).toBe(5);
    expect(fake.calls().filter(c => c.args.includes('apply'))).toHaveLength(1);
  });

  test('exits 4 when no probe disagrees but some could not run, and says why', async () => {
    const first = plan.probes[0];
    fake.respond(responses(podsOf(plan, p => (p.id === first.id ? { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } : enforced(p)))));
    const junit = path.join(dir, 'pull.xml');
    const out = await probeRun(['--junit', junit]);
    expect(out.code).toBe(4);
    expect(out.stdout).toMatch(new RegExp(`^${first.id} .*could not run\\s+INCONCLUSIVE$`, 'm'));
    expect(out.stdout).toContain('observed: the probe container could not start: ImagePullBackOff (Back-off pulling image)');
    expect(fs.readFileSync(junit, 'utf8')).toContain('failures="0" errors="1"');
  });

  test('a probe whose destination has no running pod could not run; the others still run', async () => {
    const pods = JSON.parse(SHOP_PODS);
    pods.items = pods.items.filter((p: any) => !p.metadata.name.startsWith('postgres'));
    fake.respond([{ when: 'get pods --namespace=shop -o json', stdout: JSON.stringify(pods) }, ...responses(podsOf(plan, enforced))]);
    const out = await probeRun();
    expect(out.code).toBe(4);
    expect(out.stdout).toContain('observed: no running pod of shop/postgres in the cluster to connect to');
    const applied = JSON.parse(fake.calls().find(c => c.args.includes('apply'))!.stdin);
    expect(applied.items.some((o: any) => o.metadata.annotations?.['netpol.cdk8s.io/probe-description']?.includes('-> shop/postgres'))).toBe(false);
  });

  test('never applies nor deletes a probe namespace that exists and is not its own; its probes could not run', async () => {
    const existing = JSON.stringify({ metadata: { name: 'netpol-probe', labels: { 'kubernetes.io/metadata.name': 'netpol-probe', 'team': 'x' } } });
    fake.respond(responses(podsOf(plan, enforced), [{ when: 'get namespace -o json -- netpol-probe', stdout: existing }]));
    const out = await probeRun();
    expect(out.code).toBe(4);
    const other = plan.probes.filter(p => p.sourceNamespace === 'netpol-probe');
    expect(other.length).toBeGreaterThan(0);
    for (const p of other) expect(out.stdout).toMatch(new RegExp(`^${p.id} .*could not run\\s+INCONCLUSIVE$`, 'm'));
    expect(out.stdout).toContain('observed: namespace netpol-probe already exists and was not created by netpol probe: choose another --probe-namespace');
    const applied = JSON.parse(fake.calls().find(c => c.args.includes('apply'))!.stdin).items;
    expect(applied.some((o: any) => o.kind === 'Namespace' || o.metadata.namespace === 'netpol-probe')).toBe(false);
    expect(fake.calls().some(c => c.args.includes('delete') && c.args.includes('namespace'))).toBe(false);
  });

  test('a leftover probe namespace of an earlier run is reused and deleted', async () => {
    const leftover = JSON.stringify({ metadata: { name: 'netpol-probe', labels: { 'netpol.cdk8s.io/probe': 'true' } } });
    fake.respond(responses(podsOf(plan, enforced), [{ when: 'get namespace -o json -- netpol-probe', stdout: leftover }]));
    const out = await probeRun();
    expect(out.code).toBe(0);
    expectEverythingDeleted();
  });

  test('exits 2 when kubectl apply fails, and still deletes what it tried to apply', async () => {
    fake.respond(responses(podsOf(plan, enforced), [{ when: 'apply', code: 1, stderr: 'error: forbidden: User cannot create jobs' }]));
    const out = await probeRun();
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('kubectl apply -f - -o name failed (exit code 1): error: forbidden: User cannot create jobs');
    expectEverythingDeleted();
  });

  test('exits 2 with a clear message when kubectl cannot be run', async () => {
    const out = await probeRun(['--kubectl', path.join(dir, 'no-such-kubectl')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/could not run .*no-such-kubectl/);
  });

  test('probes still pending at the deadline could not run, with the pod\'s state; the deadline is read from the injected clock', async () => {
    fake.respond(responses(podsOf(plan, () => ({ waiting: { reason: 'ContainerCreating' } }))));
    const clock = new FakeClock();
    const run = await runProbes(plan, { executor: kubectlExecutor(), runId: RUN_ID, pollIntervalMs: 2000, deadlineSeconds: 10, clock });
    expect(run.results.map(r => r.detail)).toEqual(plan.probes.map(() => 'did not finish before the deadline (pod ContainerCreating)'));
    // 10 s of polls every 2 s: five sleeps, none past the deadline
    expect(clock.sleeps).toEqual(Array(5).fill(2000));
    expectEverythingDeleted();
  });
});

describe('UDP', () => {
  test('an allowed UDP flow that gets no answer is inconclusive (exit 4), not a disagreement: a silent UDP server looks dropped', async () => {
    const objects = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'client', namespace: 'a' }, spec: { template: { metadata: { labels: { app: 'client' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'dns', namespace: 'a' },
        spec: { template: { metadata: { labels: { app: 'dns' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 53, protocol: 'UDP' }] }] } } },
      },
    ];
    const udpPlan = ProbePlan.fromObjects(objects);
    expect(udpPlan.probes.map(p => `${p.description} ${p.expectAllowed}`)).toEqual(['a/client -> a/dns UDP/53 true']);
    const executor = async (args: readonly string[], { stdin }: { stdin?: string } = {}) => {
      if (args[0] === 'get' && args.some(a => a.startsWith('--selector='))) {
        return { code: 0, stderr: '', stdout: JSON.stringify({ items: [{ metadata: { namespace: 'a', labels: { [PROBE_ID_LABEL]: 'p01' } }, status: { containerStatuses: [{ name: 'probe', state: { terminated: { exitCode: 1, message: 'TIMEOUT: read udp: i/o timeout\n' } } }] } }] }) };
      }
      if (args[0] === 'get') return { code: 0, stderr: '', stdout: JSON.stringify({ items: [{ metadata: { name: 'dns-1', labels: { app: 'dns' } }, status: { phase: 'Running', podIP: '10.0.0.53' } }] }) };
      if (args[0] === 'apply') return { code: 0, stderr: '', stdout: JSON.parse(stdin!).items.map((o: any) => `job.batch/${o.metadata.name}\n`).join('') };
      return { code: 0, stdout: '', stderr: '' };
    };
    const run = await runProbes(udpPlan, { executor, runId: 'u1', pollIntervalMs: 10 });
    expect(run.results[0].observation).toBe(ProbeObservation.BLOCKED);
    expect(run.results[0].agrees).toBeUndefined();
    expect(run.results[0].detail).toMatch(/inconclusive for an allowed UDP flow unless the destination answers/);
    expect(probeExitCode(run)).toBe(4);
  });
});

describe('interruption', () => {
  test('aborting a run deletes everything it applied', async () => {
    fake.respond(responses(podsOf(plan, () => ({ running: {} }))));
    const controller = new AbortController();
    const promise = runProbes(plan, {
      executor: kubectlExecutor(),
      runId: RUN_ID,
      pollIntervalMs: 20,
      deadlineSeconds: 60,
      signal: controller.signal,
    });
    while (!fake.calls().some(c => c.args[0] === 'get' && c.args.some(a => a.startsWith('--selector=')))) await new Promise(r => setTimeout(r, 20));
    controller.abort();
    const run = await promise;
    expect(run.interrupted).toBe(true);
    expect(run.results.every(r => r.observation === ProbeObservation.COULD_NOT_RUN)).toBe(true);
    expectEverythingDeleted();
  });

  test.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s stops `netpol probe run`, which deletes what it applied and exits %d', async (signal, exitCode) => {
    fake.respond(responses(podsOf(plan, () => ({ running: {} }))));
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src/cli/main.ts'),
      'probe', 'run', shop, '--run-id', RUN_ID, '--poll-interval', '50', '--deadline', '120'], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', d => { stderr += String(d); });
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!fake.calls().some(c => c.args[0] === 'get' && c.args.some(a => a.startsWith('--selector='))) && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
    child.kill(signal);
    const code = await exited;
    expect({ code, stderr }).toEqual({ code: exitCode, stderr: expect.stringContaining(`${signal}: stopping and deleting the probe objects`) });
    expectEverythingDeleted();
  }, 90_000);
});
