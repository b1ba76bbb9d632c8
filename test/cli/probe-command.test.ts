import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { parseAllDocuments } from 'yaml';
import { expectNoStackTrace, netpol } from './run-netpol';
import { synthesizeExamples } from '../../examples/summary';
import { printableRun } from '../../src/cli/probe-command';
import { loadManifests } from '../../src/io/manifest-loader';
import { ProbeObservation, ProbePlan } from '../../src/probe';
import { formatResults } from '../../src/probe/probe-report';

let dir: string;
let shop: string;
let plan: ProbePlan;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-probe-cli-'));
  synthesizeExamples(dir);
  shop = path.join(dir, 'shop.k8s.yaml');
  plan = ProbePlan.fromObjects(loadManifests([shop]).objects.map(o => o.object));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('netpol probe plan', () => {
  test('prints the plan as text, one line per probe with its expectation', async () => {
    const out = await netpol(['probe', 'plan', shop]);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(plan.toText());
    expect(out.stdout).toContain('p02  allowed flow: shop/frontend -> shop/backend TCP/9000: expected allowed');
    expect(out.stdout).toContain('p13  from an unlabelled pod: shop/netpol-probe-unlabelled -> shop/postgres TCP/5432 (via Service shop/shop-database-service-c860ce3f, headless): expected denied');
  });

  test('prints JSON that is the library\'s plan', async () => {
    const out = await netpol(['probe', 'plan', shop, '--format', 'json']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(plan.toJson());
  });

  test('prints Markdown', async () => {
    const out = await netpol(['probe', 'plan', shop, '--format', 'md']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(plan.toMarkdown());
  });

  test('passes the plan options through: a cap on flows and a namespace filter', async () => {
    const capped = JSON.parse((await netpol(['probe', 'plan', shop, '--format', 'json', '--max-flows', '1'])).stdout);
    expect(capped.probes.filter((p: any) => p.kind === 'ALLOWED_FLOW')).toHaveLength(1);
    // 7 allowed flows: 3 between workloads, 4 from representative sources (on by default)
    expect(capped.omittedFlows).toHaveLength(6);
    const own = JSON.parse((await netpol(['probe', 'plan', shop, '--format', 'json', '--max-flows', '1', '--no-representatives'])).stdout);
    expect(own.omittedFlows).toHaveLength(2);
    expect(own.probes.some((p: any) => p.kind === 'REPRESENTATIVE_SOURCE')).toBe(false);
    const none = JSON.parse((await netpol(['probe', 'plan', shop, '--format', 'json', '--namespace-filter', 'payments,search'])).stdout);
    expect(none.probes).toEqual([]);
  });

  test.each([
    [['--max-flows', '-1'], /--max-flows.*must be a whole number between 0 and 100000/],
    [['--probe-namespace', 'shop'], /netpol probe plan: probeNamespace: Invalid value: "shop"/],
    [['--metadata-address', 'metadata'], /netpol probe plan: metadataAddresses\[0\]: Invalid value: "metadata"/],
    [['--format', 'yaml'], /--format.*Allowed choices are text, json, md/],
  ])('fails with exit code 2 when given %j', async (args, message) => {
    const out = await netpol(['probe', 'plan', shop, ...args]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expectNoStackTrace(out);
  });

  test('fails with exit code 2 on unreadable input, naming the file', async () => {
    const out = await netpol(['probe', 'plan', path.join(dir, 'missing.yaml')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^netpol probe plan: .*missing\.yaml/);
    expectNoStackTrace(out);
  });
});

describe('netpol probe manifests', () => {
  test('prints schema-valid Jobs and lists on stderr the probes that need a pod IP', async () => {
    const out = await netpol(['probe', 'manifests', shop]);
    expect(out.code).toBe(0);
    const objects = parseAllDocuments(out.stdout).map(d => d.toJS());
    for (const o of objects) {
      if (o.kind === 'Namespace') new Namespace(o).validate();
      else new Job(o).validate();
    }
    expect(out.stderr).toMatch(/left out \d+ probes whose destination has no Service on the probed port; give a pod IP with --address <namespace\/name>=<ip>/);
    expect(out.stderr).toContain('p02 shop/frontend -> shop/backend TCP/9000');
  });

  test('with --address for every destination, prints a Job for every probe', async () => {
    const out = await netpol(['probe', 'manifests', shop, '--address', 'shop/frontend=10.1.0.11', '--address', 'shop/backend=10.1.0.12', '--run-id', 'ci']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    const jobs = parseAllDocuments(out.stdout).map(d => d.toJS()).filter(o => o.kind === 'Job');
    expect(jobs.map(j => j.metadata.name)).toEqual(plan.probes.map(p => `netpol-probe-ci-${p.id}`));
  });

  test('with --client busybox, the pods run nc from the busybox image', async () => {
    const out = await netpol(['probe', 'manifests', shop, '--client', 'busybox', '--timeout', '2']);
    expect(out.code).toBe(0);
    const job = parseAllDocuments(out.stdout).map(d => d.toJS()).find(o => o.kind === 'Job');
    expect(job.spec.template.spec.containers[0]).toMatchObject({ image: 'busybox:1.36', command: ['nc', '-vv', '-z', '-w', '2', expect.any(String), expect.any(String)] });
  });

  test.each([
    [['--address', 'shop/backend'], /--address.*must be <namespace\/name>=<ip>/],
    [['--address', 'shop/backend=not-an-ip'], /netpol probe manifests: addresses\["shop\/backend"\]: Invalid value: "not-an-ip"/],
    [['--timeout', '0'], /--timeout.*must be a whole number between 1 and 300/],
    [['--run-id', 'UPPER'], /netpol probe manifests: runId: Invalid value: "UPPER"/],
  ])('fails with exit code 2 when given %j', async (args, message) => {
    const out = await netpol(['probe', 'manifests', shop, ...args]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expectNoStackTrace(out);
  });
});

describe('netpol probe --help', () => {
  test('lists the subcommands', async () => {
    const out = await netpol(['probe', '--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/plan \[options\] <paths\.\.\.>/);
    expect(out.stdout).toMatch(/manifests \[options\] <paths\.\.\.>/);
    expect(out.stdout).toMatch(/run \[options\] <paths\.\.\.>/);
  });

  test('run documents its exit codes, the deadlines and the kubectl timeout', async () => {
    const out = await netpol(['probe', 'run', '--help']);
    expect(out.code).toBe(0);
    for (const code of ['0 ', '5 ', '4 ', '2 ', '130']) expect(out.stdout).toMatch(new RegExp(`^  ${code}`, 'm'));
    const words = out.stdout.replace(/\s+/g, ' ');
    expect(words).toContain('130 interrupted by SIGINT (143 SIGTERM, 129 SIGHUP)');
    expect(words).toContain('--kubectl-timeout <seconds> how long one kubectl call may take before it is killed (default: 60)');
    expect(words).toContain('--deadline <seconds> how long to wait for the probes of each attempt (more than --timeout; the Jobs\' activeDeadlineSeconds is 30 s more)');
  });
});

describe('printableRun', () => {
  test('escapes every text from the cluster or the input, so that none can drive the terminal or forge a line', () => {
    const probe: any = { id: 'p01', kind: 'ALLOWED_FLOW', description: 'a/x\u001b[2J -> a/y', explanation: 'line 1\n  - rule\u0007', expectAllowed: true };
    const run = printableRun({
      runId: 'r1',
      interrupted: false,
      errors: ['kubectl failed: \u001b]0;pwned\u0007\n1 probes: 1 agree'],
      results: [{ probe, observation: ProbeObservation.COULD_NOT_RUN, detail: 'pull\r\n1 probes: 1 agree\u2028\u202e' }],
    });
    expect(run.errors).toEqual(['kubectl failed: \\u001b]0;pwned\\u0007\\n1 probes: 1 agree']);
    expect(run.results[0].detail).toBe('pull\\r\\n1 probes: 1 agree\\u2028\\u202e');
    expect(run.results[0].probe.description).toBe('a/x\\u001b[2J -> a/y');
    expect(run.results[0].probe.explanation).toBe('line 1\n  - rule\\u0007');
    const text = formatResults(run);
    expect(text.split('\n').filter(l => /^\d+ probes: /.test(l))).toEqual(['1 probes: 0 agree, 0 disagree, 1 could not run.']);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u2028\u202e]/);
  });
});
