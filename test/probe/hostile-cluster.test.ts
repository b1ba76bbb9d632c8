import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FakeClock } from './support/fake-clock';
import { enforced, probePods, RUN_ID, SHOP_PODS } from './support/shop-cluster';
import { synthesizeExamples } from '../../examples/summary';
import { AnalysisInputError } from '../../src/analysis/analysis-input-error';
import { loadManifests } from '../../src/io/manifest-loader';
import { ProbeObservation, ProbePlan } from '../../src/probe';
import { CommandResult } from '../../src/probe/kubectl-executor';
import { PROBE_ID_LABEL } from '../../src/probe/probe-names';
import { JOB_DEADLINE_MARGIN_SECONDS, ProbeRun, ProbeRunOptions, runProbes } from '../../src/probe/probe-runner';

/*
 * The probe runner against a hostile or broken cluster, in-process: a scripted kubectl (a
 * function) answers each call, and an injected clock makes the deadline independent of time.
 * Every row asserts the narrow result: a clear error naming the kubectl command, never a
 * TypeError; the probes it concerns could not run; and what was applied is deleted.
 */

let dir: string;
let plan: ProbePlan;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-hostile-cluster-'));
  synthesizeExamples(dir);
  plan = ProbePlan.fromObjects(loadManifests([path.join(dir, 'shop.k8s.yaml')]).objects.map(o => o.object));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Call { args: readonly string[]; stdin?: string }
type Answer = CommandResult | ((stdin: string | undefined) => CommandResult);

const ok = (stdout: string, stderr = ''): CommandResult => ({ code: 0, stdout, stderr });
const echoApplied = (stdin: string | undefined) => ok(JSON.parse(stdin!).items.map((o: any) => `${o.kind === 'Job' ? 'job.batch' : 'namespace'}/${o.metadata.name}\n`).join(''));

/** A cluster that enforces the shop's policies, with some answers replaced (the first `when` contained in the joined arguments wins). */
function cluster(overrides: [string, Answer][] = [], pods: string = probePods(plan, enforced)) {
  const calls: Call[] = [];
  const answers: [string, Answer][] = [
    ...overrides,
    ['get namespace', { code: 1, stdout: '', stderr: 'Error from server (NotFound): namespaces "netpol-probe" not found' }],
    ['get jobs', ok('{"items":[]}')],
    ['get events', ok('{"items":[]}')],
    ['--selector=', ok(pods)],
    ['get pods --namespace=shop -o json', ok(SHOP_PODS)],
    ['apply -f - -o name', echoApplied],
    ['delete', ok('')],
  ];
  const executor = async (args: readonly string[], o: { stdin?: string } = {}): Promise<CommandResult> => {
    calls.push({ args, stdin: o.stdin });
    const joined = args.join(' ');
    const answer = answers.find(([when]) => joined.includes(when))?.[1] ?? { code: 1, stdout: '', stderr: `no answer for ${joined}` };
    return typeof answer === 'function' ? answer(o.stdin) : answer;
  };
  return { calls, executor };
}

async function run(c: ReturnType<typeof cluster>, options: Partial<ProbeRunOptions> = {}): Promise<ProbeRun> {
  return runProbes(plan, { executor: c.executor, runId: RUN_ID, pollIntervalMs: 2000, deadlineSeconds: 10, clock: new FakeClock(), ...options });
}

const applied = (c: ReturnType<typeof cluster>) => c.calls.filter(x => x.args[0] === 'apply').flatMap(x => JSON.parse(x.stdin!).items);
const detailOf = (r: ProbeRun, to: string) => r.results.filter(x => x.probe.to === to).map(x => x.detail);

/** Every Job applied was deleted, after the last apply, and the namespaces the run created (the probe namespace, the representatives') after them. */
function expectCleanedUp(c: ReturnType<typeof cluster>): void {
  const jobs = applied(c).filter((o: any) => o.kind === 'Job').map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`).sort();
  const lastApply = c.calls.map(x => x.args[0]).lastIndexOf('apply');
  const deletes = c.calls.map((x, i) => ({ ...x, i })).filter(x => x.args[0] === 'delete');
  expect(deletes.every(d => d.i > lastApply)).toBe(true);
  const deleted = deletes.filter(d => d.args[1] === 'job').flatMap(d => {
    const ns = d.args.find(a => a.startsWith('--namespace='))!.slice('--namespace='.length);
    return d.args.slice(d.args.indexOf('--') + 1).map(n => `${ns}/${n}`);
  });
  expect(deleted.sort()).toEqual(jobs);
  const namespaces = applied(c).filter((o: any) => o.kind === 'Namespace').map((o: any) => o.metadata.name);
  const namespaceDeletes = deletes.filter(d => d.args[1] === 'namespace');
  expect([...new Set(namespaceDeletes.map(d => d.args[d.args.length - 1]))].sort()).toEqual([...new Set(namespaces)].sort());
  for (const d of namespaceDeletes) {
    expect(d.args.slice(0, -1)).toEqual(['delete', 'namespace', '--ignore-not-found', '--wait=false', '--']);
    expect(d.i).toBeGreaterThan(Math.max(...deletes.filter(x => x.args[1] === 'job').map(x => x.i)));
  }
}

/** No message is a JavaScript error leaking out. */
function expectNoTypeError(r: ProbeRun): void {
  expect(JSON.stringify(r)).not.toMatch(/TypeError|RangeError|Cannot read propert|is not a function|is not iterable|Unexpected token u/);
}

describe('a broken or hostile kubectl', () => {
  const POD_LOOKUP = 'get pods --namespace=shop -o json';
  test.each([
    ['exit status 0 with an error', ok('', 'error: You must be logged in to the server (Unauthorized)\n'),
      'kubectl get pods --namespace=shop -o json reported an error with exit status 0: error: You must be logged in to the server (Unauthorized)'],
    ['garbage instead of JSON', ok('<html><body>502 Bad Gateway</body></html>'),
      /^kubectl get pods --namespace=shop -o json: exit status 0, but its output is not JSON \(.*\): <html><body>502 Bad Gateway<\/body><\/html>$/],
    ['JSON of the wrong shape', ok('{"items": {"0": {}}}'), 'kubectl get pods --namespace=shop -o json: exit status 0, but its output is not a list (`items` is a object)'],
    ['a null item', ok('{"items": [null]}'), 'kubectl get pods --namespace=shop -o json: exit status 0, but items[0] of its output is null, not an object'],
    ['a failure', { code: 1, stdout: '', stderr: 'Error from server (Forbidden): pods is forbidden: User "ci" cannot list resource "pods"' },
      'kubectl get pods --namespace=shop -o json failed (exit code 1): Error from server (Forbidden): pods is forbidden: User "ci" cannot list resource "pods"'],
    ['a kill at its deadline', { code: 1, stdout: '', stderr: '', failure: 'did not finish within 60 s: killed' }, 'kubectl get pods --namespace=shop -o json: did not finish within 60 s: killed'],
    ['a flood', { code: 1, stdout: '', stderr: '', failure: 'printed more than 256 MiB on standard output: killed (the output is bounded)' },
      'kubectl get pods --namespace=shop -o json: printed more than 256 MiB on standard output: killed (the output is bounded)'],
  ] as const)('looking up pod IPs, %s is one clear error naming the command; the probes that needed them could not run', async (_, answer, message) => {
    const c = cluster([[POD_LOOKUP, answer]]);
    const r = await run(c);
    expect(r.errors).toEqual([expect.stringMatching(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message)]);
    expect(detailOf(r, 'shop/backend')).toEqual(plan.probes.filter(p => p.to === 'shop/backend').map(() => 'no address for shop/backend: the pods of namespace shop could not be read (see the errors)'));
    expect(applied(c).some((o: any) => o.spec?.template?.spec?.containers?.[0]?.command?.join(' ').includes(':9000'))).toBe(false);
    // the probes to external addresses still ran
    expect(r.results.filter(x => x.probe.to === '169.254.169.254').every(x => x.agrees === true)).toBe(true);
    expectCleanedUp(c);
    expectNoTypeError(r);
  });

  test('pods of any shape are read without a TypeError; a pod IP that is not an IP never reaches a probe\'s command', async () => {
    const pods = JSON.stringify({
      items: [
        { metadata: null, status: { phase: 'Running', podIP: '10.1.0.50' } },
        { metadata: { name: 5, labels: 'x' }, status: 'Running' },
        { metadata: { name: 'backend-x', labels: { 'cdk8s.io/metadata.addr': 'shop-Backend-c846e2fe' } }, status: { phase: 'Running', podIP: '--kubeconfig=./evil.kubeconfig' } },
        { metadata: { name: 'backend-y', labels: { 'cdk8s.io/metadata.addr': 'shop-Backend-c846e2fe' } }, status: { phase: 'Running', podIP: '10.1.0.012' } },
      ],
    });
    const c = cluster([[POD_LOOKUP, ok(pods)]]);
    const r = await run(c);
    expect(detailOf(r, 'shop/backend').every(d => d === 'no running pod of shop/backend in the cluster to connect to')).toBe(true);
    expect(JSON.stringify(applied(c))).not.toMatch(/evil|10\.1\.0\.012/);
    expectNoTypeError(r);
  });

  test.each([
    ['prints nothing', ok(''), /^kubectl apply -f - -o name: exit status 0, but it did not report applying namespace\/netpol-probe, namespace\/ingress-nginx, namespace\/monitoring, job\.batch\/netpol-probe-t1-p01, .* and \d+ more/],
    ['reports an error with exit status 0', ok('', 'error: error validating data: unknown field "spec.template.spec.foo"'),
      /^kubectl apply -f - -o name reported an error with exit status 0: error: error validating data/],
    ['fails', { code: 1, stdout: '', stderr: 'error: forbidden' }, /^kubectl apply -f - -o name failed \(exit code 1\): error: forbidden$/],
  ] as const)('when kubectl apply %s, the run reports it and still deletes what it tried to apply', async (_, answer, message) => {
    const c = cluster([['apply', answer]]);
    const r = await run(c);
    expect(r.errors).toEqual([expect.stringMatching(message)]);
    expect(r.results.every(x => x.observation === ProbeObservation.COULD_NOT_RUN)).toBe(true);
    expect(c.calls.some(x => x.args.some(a => a.startsWith('--selector=')))).toBe(false);
    expectCleanedUp(c);
  });

  test('garbage from every poll is one error with a count; at the deadline the Jobs say why they have no pod', async () => {
    const c = cluster([['get pods --namespace=shop --selector=', ok('not json')], ['get pods --namespace=netpol-probe --selector=', ok('{"items":[]}')]]);
    const r = await run(c);
    expect(r.errors).toEqual([expect.stringMatching(/^kubectl get pods --namespace=shop --selector=netpol.cdk8s.io\/probe-run=t1,netpol.cdk8s.io\/probe-attempt=1 -o json: exit status 0, but its output is not JSON .* \(6 times\)$/)]);
    // the pods of shop were never read; its Jobs are not listed either (the cluster lists none)
    const shop = r.results.filter(x => x.probe.sourceNamespace === 'shop');
    expect(shop.map(x => x.detail)).toEqual(shop.map(x => `Job netpol-probe-t1-${x.probe.id} is not in the cluster any more, and no pod of it was seen (deleted by someone else?)`));
    expectCleanedUp(c);
    expectNoTypeError(r);
  });

  test('at the deadline, a Job without a pod is explained by its conditions and FailedCreate events, not by a guess', async () => {
    const [quota, deadline, ...rest] = plan.probes.filter(p => p.sourceNamespace === 'shop');
    const jobs = {
      items: [
        { metadata: { name: `netpol-probe-t1-${deadline.id}` }, spec: { activeDeadlineSeconds: 40 }, status: { conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }] } },
        ...[quota, ...rest].map(p => ({ metadata: { name: `netpol-probe-t1-${p.id}` }, status: {} })),
      ],
    };
    const events = { items: [{ involvedObject: { kind: 'Job', name: `netpol-probe-t1-${quota.id}` }, reason: 'FailedCreate', message: 'Error creating: pods "x" is forbidden: exceeded quota: compute' }] };
    const c = cluster([['get jobs --namespace=shop', ok(JSON.stringify(jobs))], ['get events --namespace=shop', ok(JSON.stringify(events))]], '{"items":[]}');
    const r = await run(c);
    const detail = (id: string) => r.results.find(x => x.probe.id === id)!.detail;
    expect(detail(quota.id)).toBe(`the Job controller could not create the pod of Job netpol-probe-t1-${quota.id} (FailedCreate): Error creating: pods "x" is forbidden: exceeded quota: compute`);
    expect(detail(deadline.id)).toBe(`Job netpol-probe-t1-${deadline.id} reached its activeDeadlineSeconds (40 s) before its pod reported (DeadlineExceeded: Job was active longer than specified deadline)`);
    expect(detail(rest[0].id)).toBe(`no pod was created for Job netpol-probe-t1-${rest[0].id} before the deadline, and neither its status nor its events say why: kubectl describe job --namespace=shop netpol-probe-t1-${rest[0].id}`);
    expect(r.errors).toEqual([]);
    expectCleanedUp(c);
  });

  test('the Jobs\' activeDeadlineSeconds is derived from the run\'s deadline: the Jobs outlive the wait', async () => {
    const c = cluster();
    await run(c, { deadlineSeconds: 40 });
    const deadlines = applied(c).filter((o: any) => o.kind === 'Job').map((o: any) => o.spec.activeDeadlineSeconds);
    expect(new Set(deadlines)).toEqual(new Set([40 + JOB_DEADLINE_MARGIN_SECONDS]));
  });

  test.each([
    [{ deadlineSeconds: 5 }, 'deadline: Invalid value: 5: must be more than the connection timeout (5 s): a blocked probe reports only after the whole timeout'],
    [{ deadlineSeconds: 20, timeoutSeconds: 30 }, 'deadline: Invalid value: 20: must be more than the connection timeout (30 s)'],
    [{ activeDeadlineSeconds: 600 }, 'activeDeadlineSeconds: Invalid value: 600: the runner derives it from deadlineSeconds'],
    [{ pollIntervalMs: 0 }, 'pollIntervalMs: Invalid value: 0: must be a whole number between 10 and 60000'],
    [{ deadlines: 5 }, 'runProbes: options.deadlines: unknown option'],
    [{ image: '--privileged' }, 'image: Invalid value: "--privileged": must be a container image reference'],
    [{ addresses: { '--kubeconfig=./x/backend': '10.0.0.1' } }, 'addresses: Invalid key: "--kubeconfig=./x/backend": must be <namespace>/<name>'],
    [{ addresses: { '--kubeconfig=x/backend': '10.0.0.1' } }, 'addresses: Invalid key: "--kubeconfig=x/backend": namespace a lowercase RFC 1123 label'],
    [{ addresses: { kubeconfig: '10.0.0.1' } }, 'addresses: Invalid key: "kubeconfig": must be <namespace>/<name>'],
    [{ addresses: JSON.parse('{"__proto__": "10.0.0.1"}') }, 'addresses: Invalid key: "__proto__": must be <namespace>/<name>'],
    [{ addresses: { 'shop/backend': '10.0.0.1; curl evil' } }, 'addresses["shop/backend"]: Invalid value: "10.0.0.1; curl evil"'],
    [{ serviceAddresses: { 'shop/1web': '10.0.0.1' } }, 'serviceAddresses: Invalid key: "shop/1web": name a DNS-1035 label'],
  ] as const)('%j is refused before any kubectl call', async (options, message) => {
    const c = cluster();
    await expect(run(c, options as any)).rejects.toThrow(AnalysisInputError);
    await expect(run(c, options as any)).rejects.toThrow(message);
    expect(c.calls).toEqual([]);
  });

  test('a delete that reports an error with exit status 0 is reported with the command that deletes what is left', async () => {
    const c = cluster([['delete job', ok('', 'error: timed out waiting for the condition')]]);
    const r = await run(c);
    expect(r.errors).toEqual([
      // the representative sources' namespaces, then the probe namespace and the workloads'
      ...['ingress-nginx', 'monitoring'].map(ns => expect.stringMatching(new RegExp(`^kubectl delete job --namespace=${ns} .*; delete what it left with: kubectl delete job --namespace=${ns} --selector=netpol.cdk8s.io/probe-run=t1$`))),
      'kubectl delete job --namespace=netpol-probe --ignore-not-found --wait=false --cascade=background -- netpol-probe-t1-p04 netpol-probe-t1-p08 netpol-probe-t1-p12 '
      + 'reported an error with exit status 0: error: timed out waiting for the condition; delete what it left with: kubectl delete job --namespace=netpol-probe --selector=netpol.cdk8s.io/probe-run=t1',
      expect.stringMatching(/^kubectl delete job --namespace=shop .*; delete what it left with: kubectl delete job --namespace=shop --selector=netpol.cdk8s.io\/probe-run=t1$/),
    ]);
    expect(c.calls.filter(x => x.args[0] === 'delete').map(x => x.args[1])).toEqual(['job', 'job', 'job', 'job', 'namespace', 'namespace', 'namespace']);
  });

  test('an unreadable probe namespace is neither created nor deleted', async () => {
    const c = cluster([['get namespace', ok('{"metadata": ')]]);
    const r = await run(c);
    const other = r.results.filter(x => x.probe.sourceNamespace === 'netpol-probe');
    expect(other.map(x => x.detail)).toEqual(other.map(() => expect.stringMatching(/^cannot tell whether namespace netpol-probe exists \(kubectl get namespace -o json -- netpol-probe: exit status 0, but its output is not JSON/)));
    expect(applied(c).some((o: any) => o.kind === 'Namespace')).toBe(false);
    expect(c.calls.some(x => x.args[0] === 'delete' && x.args[1] === 'namespace')).toBe(false);
  });
});

describe('interruption', () => {
  test.each([
    ['while the addresses are looked up: nothing is applied, so nothing is deleted', 'get pods --namespace=shop -o json', 0],
    ['while the probe pods are polled: what was applied is deleted', '--selector=', 1],
  ])('%s', async (_, when, applies) => {
    const controller = new AbortController();
    const c = cluster([[when, () => {
      controller.abort();
      return { code: 1, stdout: '', stderr: '', failure: 'interrupted: killed', interrupted: true };
    }]]);
    const r = await run(c, { signal: controller.signal });
    expect(r.interrupted).toBe(true);
    expect(r.errors).toEqual([]);
    expect(r.results.every(x => x.observation === ProbeObservation.COULD_NOT_RUN && /^interrupted before the probe (ran|finished)$/.test(x.detail))).toBe(true);
    expect(c.calls.filter(x => x.args[0] === 'apply')).toHaveLength(applies);
    if (applies === 0) expect(c.calls.some(x => x.args[0] === 'delete')).toBe(false);
    else expectCleanedUp(c);
  });
});

describe('a plan holding values kubectl would read as options', () => {
  test.each([
    ['a Service name', (p: any) => { p.service = { name: '--kubeconfig=./evil.kubeconfig', namespace: 'shop', port: 80, headless: false }; },
      /probe "p01" \(.*\): Service name: Invalid value: "--kubeconfig=.\/evil.kubeconfig": .*DNS-1035/],
    ['a source namespace', (p: any) => { p.sourceNamespace = '-n'; }, /probe "p01" \(.*\): source namespace: Invalid value: "-n"/],
    ['a destination namespace', (p: any) => { p.destinationNamespace = '--all-namespaces'; }, /destination namespace: Invalid value: "--all-namespaces"/],
    ['a probe id', (p: any) => { p.id = '--x'; }, /probe "--x" .*: id: Invalid value: "--x": must be a plan's probe id/],
  ])('%s is refused before any kubectl call', async (_, tamper, message) => {
    const tampered = ProbePlan.fromObjects(loadManifests([path.join(dir, 'shop.k8s.yaml')]).objects.map(o => o.object));
    tamper(tampered.probes[0]);
    const c = cluster();
    await expect(runProbes(tampered, { executor: c.executor, runId: RUN_ID, clock: new FakeClock() })).rejects.toThrow(message);
    expect(c.calls).toEqual([]);
  });

  test.each([
    ['--kubeconfig=./evil.kubeconfig'],
    ['-n'],
    ['1web'],
    ['Web'],
  ])('a Service named %j in the manifests is an input error, as the API server would refuse it', name => {
    const objects = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    ];
    expect(() => ProbePlan.fromObjects(objects)).toThrow(AnalysisInputError);
    expect(() => ProbePlan.fromObjects(objects)).toThrow(`Service ${JSON.stringify(name)}: metadata.name: Invalid value: ${JSON.stringify(name)}`);
  });
});

describe('addresses the user gives', () => {
  const backendCommand = (c: ReturnType<typeof cluster>) => applied(c).filter((o: any) => o.kind === 'Job' && plan.probes.find(p => p.id === o.metadata.labels[PROBE_ID_LABEL])!.to === 'shop/backend')
    .map((o: any) => o.spec.template.spec.containers[0].command[2]);

  test('win over the looked-up pod IP, and the disagreement is reported', async () => {
    const c = cluster();
    const lines: string[] = [];
    const r = await run(c, { addresses: { 'shop/backend': '192.0.2.10' }, log: l => lines.push(l) });
    expect(new Set(backendCommand(c))).toEqual(new Set(['192.0.2.10:9000', '192.0.2.10:9090']));
    const note = 'the given address 192.0.2.10 of shop/backend is not the IP of a running pod of it (10.1.0.12 is): the probes connect to the given address';
    expect(lines).toContain(note);
    expect(detailOf(r, 'shop/backend').every(d => d.endsWith(`; ${note}`))).toBe(true);
    expect(detailOf(r, 'shop/frontend').some(d => d.includes('given address'))).toBe(false);
  });

  test('are used when the destination has no running pod, or its pods cannot be read (no error then)', async () => {
    for (const answer of [ok('{"items":[]}'), { code: 1, stdout: '', stderr: 'Error from server (Forbidden)' }]) {
      const c = cluster([['get pods --namespace=shop -o json', answer]]);
      const r = await run(c, { addresses: { 'shop/backend': '192.0.2.10', 'shop/frontend': '192.0.2.11', 'shop/postgres': '192.0.2.12' } });
      expect(new Set(backendCommand(c))).toEqual(new Set(['192.0.2.10:9000', '192.0.2.10:9090']));
      expect(r.results.every(x => x.agrees === true)).toBe(true);
      expect(r.errors).toEqual([]);
    }
  });

  test('the same address as a running pod gives no note', async () => {
    const c = cluster();
    const r = await run(c, { addresses: { 'shop/backend': '10.1.0.12' } });
    expect(JSON.stringify(r)).not.toMatch(/given address/);
  });
});

describe('a Service\'s cluster IP from a hostile kubectl', () => {
  const objects = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'client', namespace: 'a' }, spec: { template: { metadata: { labels: { app: 'client' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } } } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'a' }, spec: { selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 80 }] } },
  ];

  test.each([
    ['a cluster IP', ok('{"spec":{"clusterIP":"10.96.0.20"}}'), '10.96.0.20:8080', []],
    ['an option instead of an IP', ok('{"spec":{"clusterIP":"--kubeconfig=x"}}'), 'web.a.svc:8080', []],
    ['garbage', ok('{"spec":'), 'web.a.svc:8080', [expect.stringMatching(/^kubectl get service --namespace=a -o json -- web: exit status 0, but its output is not JSON/)]],
    ['the user\'s address, which wins without a lookup', undefined, '10.96.0.99:8080', []],
  ] as const)('%s', async (_, answer, target, errors) => {
    const servicePlan = ProbePlan.fromObjects(objects);
    const probe = servicePlan.probes[0];
    const c = cluster(answer ? [['get service', answer]] : [], JSON.stringify({ items: [{ metadata: { labels: { [PROBE_ID_LABEL]: probe.id } }, status: { containerStatuses: [{ name: 'probe', state: { terminated: { exitCode: 0 } } }] } }] }));
    const r = await runProbes(servicePlan, { executor: c.executor, runId: 's1', clock: new FakeClock(), ...(answer ? {} : { serviceAddresses: { 'a/web': '10.96.0.99' } }) });
    expect(applied(c).find((o: any) => o.kind === 'Job').spec.template.spec.containers[0].command[2]).toBe(target);
    expect(r.errors).toEqual(errors);
    expect(c.calls.some(x => x.args[1] === 'service')).toBe(answer !== undefined);
  });
});
