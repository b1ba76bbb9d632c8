import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { buildApp } from '../../examples/app';
import { synthesizeExamples } from '../../examples/summary';
import { ProbeJobs, ProbePlan } from '../../src';
import { netpol } from '../cli/run-netpol';
import { FakeKubectl } from './support/fake-kubectl';
import { enforced, notEnforced, probePods, RUN_ID, shopResponses } from './support/shop-cluster';
import { loadManifests } from '../../src/io/manifest-loader';
import { docPages, markedBlock } from '../fixtures/docs';

/**
 * The guide's "Verify in your cluster" page (docs/verifying-in-a-cluster.md) shows what `netpol probe run` prints for the
 * flagship example: here the same command runs against a fake kubectl on the PATH that answers
 * like a cluster that enforces the policies (and like one that does not).
 */
// The runs spawn the fake kubectl many times, on a shared machine.
jest.setTimeout(60_000);

const PAGES = docPages();
const block = (marker: string) => markedBlock(PAGES, marker);

let dir: string;
let shop: string;
let plan: ProbePlan;
let fake: FakeKubectl;
const savedPath = process.env.PATH;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-readme-probe-'));
  synthesizeExamples(dir);
  shop = path.join(dir, 'shop.k8s.yaml');
  plan = ProbePlan.fromObjects(loadManifests([shop]).objects.map(o => o.object));
  fake = FakeKubectl.create(path.join(dir, 'bin'), []);
  process.env.PATH = `${fake.dir}${path.delimiter}${savedPath}`;
});

afterAll(() => {
  process.env.PATH = savedPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the README\'s probe run output is what `netpol probe run` prints for the flagship on an enforcing cluster', async () => {
  fake.respond(shopResponses(probePods(plan, enforced)));
  const out = await netpol(['probe', 'run', shop, '--run-id', RUN_ID, '--poll-interval', '10']);
  expect(fake.calls().some(c => c.args.includes('apply'))).toBe(true);
  expect(out.code).toBe(0);
  expect(block('flagship-probe-run')).toBe('$ npx netpol probe run dist/shop.k8s.yaml\n' + out.stdout);
});

test('the README\'s two manual checks are the frontend-to-backend and unlabelled-to-database probes', () => {
  const text = block('flagship-probe-run');
  expect(text).toMatch(/^p02 +shop\/frontend -> shop\/backend TCP\/9000 +allowed +reached +agree$/m);
  expect(text).toMatch(/^p13 +shop\/netpol-probe-unlabelled -> shop\/postgres TCP\/5432 +denied +blocked +agree$/m);
});

test('the README\'s diagnosis for a plugin that ignores policies is what the run prints', async () => {
  fake.respond(shopResponses(probePods(plan, notEnforced)));
  const out = await netpol(['probe', 'run', shop, '--run-id', RUN_ID, '--poll-interval', '10']);
  expect(out.code).toBe(5);
  expect(out.stdout.endsWith(block('flagship-probe-flannel'))).toBe(true);
});

test('the README\'s ProbeJobs snippet addresses every probe of the flagship', () => {
  const app = buildApp(dir);
  const probePlan = ProbePlan.fromApp(app);
  const probes = new Chart(app, 'probes');
  const jobs = new ProbeJobs(probes, 'Probes', { plan: probePlan, addresses: { 'shop/frontend': '10.1.0.11', 'shop/backend': '10.1.0.12' } });
  const shopProbes = probePlan.probes.filter(p => p.sourceNamespace === 'shop' || p.destinationNamespace === 'shop');
  expect(shopProbes.length).toBeGreaterThan(0);
  expect(jobs.manifests.unaddressed.filter(id => shopProbes.some(p => p.id === id))).toEqual([]);
});
