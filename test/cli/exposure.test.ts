import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { expectNoStackTrace, netpol } from './run-netpol';
import { ShopChart } from '../../examples/charts/shop';
import { LabelSelector, Peer, Policy, Port } from '../../src';

/** The flagship shop, synthesized; with `tools`, its backend also lets in every pod of the tools namespace. */
function shopYaml(tools: boolean): string {
  const app = Testing.app();
  const chart = new ShopChart(app, 'shop');
  if (tools) {
    new Policy(chart, 'BackendFromTools', {
      podSelector: LabelSelector.fromPodSelector(chart.backend),
      ingress: [{ from: [Peer.namespace('tools')], ports: [Port.allTraffic()] }],
    });
  }
  return chart.toJson().map(o => yaml.stringify(o)).join('---\n');
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateList = ajv.compile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'list.schema.json'), 'utf8')));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-exposure-'));
  for (const [name, tools] of [['base', false], ['pr', true]] as const) {
    fs.mkdirSync(path.join(dir, name, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(dir, name, 'dist', 'shop.k8s.yaml'), shopYaml(tools));
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('exposure on the command line', () => {
  test('the README gate trips when the backend lets in another team\'s namespace', async () => {
    // netpol diff base/dist dist --to shop --fail-on opened
    const out = await netpol(['diff', path.join(dir, 'base', 'dist'), path.join(dir, 'pr', 'dist'), '--to', 'shop', '--fail-on', 'opened']);
    expect(out.code).toBe(4);
    expect(out.stdout).toContain('+ tools/* => shop/backend : All Connections\n');
    expect(out.stderr).toMatch(/^netpol diff: --fail-on opened: \d+ flows? opened/);
    // the input's own endpoints alone see no change
    const blind = await netpol(['diff', path.join(dir, 'base', 'dist'), path.join(dir, 'pr', 'dist'), '--to', 'shop', '--fail-on', 'opened', '--input-only']);
    expect(blind.code).toBe(0);
    expect(blind.stdout).toBe('No change in connectivity\n');
  });

  test('list prints representative endpoints in every format; --input-only leaves them out', async () => {
    const file = path.join(dir, 'base', 'dist', 'shop.k8s.yaml');
    const text = await netpol(['list', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('shop/* => kube-system/{k8s-app=kube-dns} : TCP 53; UDP 53\n');
    expect(text.stdout).toContain('monitoring/{app.kubernetes.io/name=prometheus} => shop/* : TCP metrics\n');
    const json = JSON.parse((await netpol(['list', file, '--format', 'json'])).stdout);
    expect(validateList(json)).toBe(true); // the schema documents representatives and named ports
    expect(validateList({ connections: [{ from: 'a/*', to: 'b/*', allowed: { named: { TCP: ['Bad Name'] } } }] })).toBe(false);
    expect(json.connections).toContainEqual({ from: 'monitoring/{app.kubernetes.io/name=prometheus}', to: 'shop/*', allowed: { named: { TCP: ['metrics'] } } });
    const csv = (await netpol(['list', file, '--format', 'csv'])).stdout;
    expect(csv).toContain('shop/*,kube-system/{k8s-app=kube-dns},TCP 53; UDP 53\n');
    const md = (await netpol(['list', file, '--format', 'md'])).stdout;
    // a representative's name holds Markdown characters (*, {, =): it is written as a code span
    expect(md).toContain('| `shop/*` | `kube-system/{k8s-app=kube-dns}` | TCP 53; UDP 53 |\n');
    const dot = (await netpol(['list', file, '--format', 'dot'])).stdout;
    expect(dot).toContain('"shop/*" -> "kube-system/{k8s-app=kube-dns}" [label="TCP 53; UDP 53"];');
    const mermaid = (await netpol(['list', file, '--format', 'mermaid'])).stdout;
    // in a Mermaid label, every character that is not plain text is an entity code
    expect(mermaid).toContain('["kube-system/#123;k8s-app#61;kube-dns#125;"]');
    const own = (await netpol(['list', file, '--input-only'])).stdout;
    expect(own).not.toMatch(/[*{]/);
    expect(own).toContain('shop/frontend => shop/backend : TCP 9000\n');
  });

  test('explain accepts representative endpoints as --from and --to', async () => {
    const file = path.join(dir, 'pr', 'dist', 'shop.k8s.yaml');
    const allowed = await netpol(['explain', file, '--from', 'tools/*', '--to', 'shop/backend', '--port', '9000']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^tools\/\* -> shop\/backend TCP\/9000: allowed/);
    const denied = await netpol(['explain', file, '--from', 'shop/*', '--to', '*/*', '--port', '443']);
    expect(denied.code).toBe(3);
    const bad = await netpol(['explain', file, '--from', 'tools/{app in (x}', '--to', 'shop/backend', '--port', '9000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/label selector "app in \(x"/);
    expectNoStackTrace(bad);
  });
});
