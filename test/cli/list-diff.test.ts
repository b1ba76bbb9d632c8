import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { expectNoStackTrace, netpol } from './run-netpol';
import { distinctPodsNamespace } from '../../bench/list-scale';
import { ClusterModel } from '../../src';
import { writeConnectivityJson } from '../../src/cli/list-command';

const SCHEMAS = path.join(__dirname, '..', '..', 'schemas');
const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'list.schema.json'), 'utf8')), 'list.schema.json');
ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'diff.schema.json'), 'utf8')), 'diff.schema.json');
const validateList = ajv.getSchema('list.schema.json')!;
const validateDiff = ajv.getSchema('diff.schema.json')!;

const BASE = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: ops, labels: {app: debug}}
spec: {containers: [{name: sh, image: busybox}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: pg}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-to-db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]
`;

/** The pull request: the web pods also accept the internet on 8080, and ops reaches the db on every port. */
const CHANGED = `${BASE}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-internet, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}], ports: [{port: http}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-ops, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ops}}}]}]
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-list-'));
  fs.mkdirSync(path.join(dir, 'base'));
  fs.mkdirSync(path.join(dir, 'pr'));
  fs.writeFileSync(path.join(dir, 'base', 'shop.yaml'), BASE);
  fs.writeFileSync(path.join(dir, 'pr', 'shop.yaml'), CHANGED);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('netpol list', () => {
  test('prints every allowed flow, one line each, named ports resolved', async () => {
    const out = await netpol(['list', path.join(dir, 'base'), '--input-only']);
    expect(out.code).toBe(0);
    // shop is isolated both ways; ops is not isolated at all (but shop's policies keep it out)
    expect(out.stdout).toBe([
      'ops/debug => 0.0.0.0-255.255.255.255 : All Connections',
      'ops/debug => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff : All Connections',
      'shop/web => shop/db : TCP 5432',
      '0.0.0.0-255.255.255.255 => ops/debug : All Connections',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff => ops/debug : All Connections',
      '',
    ].join('\n'));
  });

  test('--format json follows schemas/list.schema.json and the issue\'s contract', async () => {
    const out = await netpol(['list', path.join(dir, 'pr'), '--format', 'json', '--input-only']);
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(validateList(json)).toBe(true);
    expect(json.connections).toContainEqual({ from: 'ops/debug', to: 'shop/db', allowed: { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] } });
    expect(json.connections).toContainEqual({ from: '11.0.0.0-255.255.255.255', to: 'shop/web', allowed: { TCP: [[8080, 8080]] } });
    // written one flow at a time, byte for byte as JSON.stringify(list.toJson(), undefined, 2)
    expect(out.stdout).toBe(JSON.stringify(json, undefined, 2) + '\n');
    // the schema rejects what the contract rules out
    expect(validateList({ connections: [{ from: 'a/b', to: 'a/c', allowed: {} }] })).toBe(false);
    expect(validateList({ connections: [{ from: 'a/b', to: 'a/c', allowed: { TCP: [[0, 80]] } }] })).toBe(false);
  });

  test('--format csv, md, mermaid and dot print the same flows', async () => {
    const base = path.join(dir, 'base');
    const csv = await netpol(['list', base, '--format', 'csv', '--direction', 'internal', '--input-only']);
    expect(csv.stdout).toBe('from,to,allowed\nshop/web,shop/db,TCP 5432\n');
    const md = await netpol(['list', base, '--format', 'md', '--direction', 'internal', '--input-only']);
    expect(md.stdout).toBe('| from | to | allowed |\n| --- | --- | --- |\n| shop/web | shop/db | TCP 5432 |\n');
    const mermaid = await netpol(['list', base, '--format', 'mermaid', '--direction', 'internal', '--input-only']);
    expect(mermaid.stdout).toContain('n1 -->|"TCP 5432"| n0');
    const dot = await netpol(['list', base, '--format', 'dot', '--direction', 'internal', '--input-only']);
    expect(dot.stdout).toContain('"shop/web" -> "shop/db" [label="TCP 5432"];');
  });

  test('--from, --to, --direction and --port focus the list', async () => {
    const pr = path.join(dir, 'pr');
    expect((await netpol(['list', pr, '--to', 'shop/db', '--input-only'])).stdout).toBe('ops/debug => shop/db : All Connections\nshop/web => shop/db : TCP 5432\n');
    expect((await netpol(['list', pr, '--from', 'ops', '--port', '53', '--protocol', 'udp', '--direction', 'internal', '--input-only'])).stdout).toBe('ops/debug => shop/db : All Connections\n');
    expect((await netpol(['list', pr, '--direction', 'ingress', '--to', 'shop', '--input-only'])).stdout).toBe([
      '0.0.0.0-9.255.255.255 => shop/web : TCP 8080',
      '11.0.0.0-255.255.255.255 => shop/web : TCP 8080',
      '',
    ].join('\n'));
  });

  test('fails with exit 2 when a focus option names nothing', async () => {
    const out = await netpol(['list', path.join(dir, 'base'), '--from', 'nowhere/pod']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^netpol list: from: unknown endpoint or namespace "nowhere\/pod"; known endpoints: ops\/debug, shop\/db, shop\/web/);
    expectNoStackTrace(out);
  });

  test('the streamed JSON is JSON.stringify(toJson()) exactly, for no flow, one flow and several', () => {
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'n0', labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    for (const objects of [[], [pod('a')], [pod('a'), pod('b'), pod('c')]]) {
      const list = ClusterModel.fromObjects(objects).connectivity();
      let written = '';
      writeConnectivityJson(list, { stdout: (t: string) => { written += t; }, stderr: () => undefined });
      expect(written).toBe(JSON.stringify(list.toJson(), undefined, 2) + '\n');
    }
  });

  test('refuses more than 1,000,000 flows before making them, with the count and the options that narrow it', async () => {
    // GIVEN 1,001 pods that all reach each other: 1,001,000 flows between them, and 2,002 to the address ranges
    // (the input's own endpoints: the representative endpoints add their own flows, counted the same way)
    const file = path.join(dir, 'many-pods.json');
    fs.writeFileSync(file, distinctPodsNamespace(1001));
    try {
      const out = await netpol(['list', file, '--input-only']);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/^netpol list: 1,003,002 flows( pass the filter)?, more than the limit of 1,000,000: list fewer at a time, with a filter on from or to/);
      expectNoStackTrace(out);
      const narrowed = await netpol(['list', file, '--from', 'edge/p7', '--input-only']);
      expect(narrowed.code).toBe(0);
      expect(narrowed.stdout.split('\n').filter(line => line !== '')).toHaveLength(1002);
    } finally {
      fs.rmSync(file);
    }
  }, 120_000);

  test('fails with exit 2 on unreadable input', async () => {
    const out = await netpol(['list', path.join(dir, 'missing.yaml')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/netpol list: .*missing\.yaml: cannot read: no such file or directory/);
    expectNoStackTrace(out);
  });
});

describe('netpol diff', () => {
  test('prints the added flows; a new ipBlock shows as the flows it opens, never as ranges that came and went', async () => {
    const out = await netpol(['diff', path.join(dir, 'base'), path.join(dir, 'pr'), '--input-only']);
    expect(out.code).toBe(0);
    // the two address ranges the new ipBlock opened are one row, merged back into its CIDRs,
    // and each row names the rules that allow it
    expect(out.stdout).toBe([
      '3 flows opened (3 added), 0 closed',
      '+ ops/debug => shop/db : All Connections',
      '    allowed by: egress from ops/debug: not isolated; shop/db-from-ops ingress rule 0',
      '+ 0.0.0.0/0 except 10.0.0.0/8 => shop/web : TCP 8080',
      '    allowed by: shop/web-from-internet ingress rule 0',
      '',
    ].join('\n'));
  });

  test('the same version twice is no change, and --fail-on any passes', async () => {
    const out = await netpol(['diff', path.join(dir, 'base'), path.join(dir, 'base'), '--fail-on', 'any']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('No change in connectivity\n');
  });

  test('--format md has a heading, the one-line summary, then a table naming the rules', async () => {
    const out = await netpol(['diff', path.join(dir, 'base'), path.join(dir, 'pr'), '--format', 'md', '--to', 'shop/db', '--input-only']);
    expect(out.stdout).toBe([
      '### Connectivity change',
      '',
      '**1 flow opened (1 added), 0 closed**',
      '',
      '| change | from | to | before | after | allowed by |',
      '| --- | --- | --- | --- | --- | --- |',
      '| added | ops/debug | shop/db |  | All Connections | allowed by: egress from ops/debug: not isolated, shop/db-from-ops ingress rule 0 |',
      '',
    ].join('\n'));
  });

  test('--format json follows schemas/diff.schema.json', async () => {
    const out = await netpol(['diff', path.join(dir, 'pr'), path.join(dir, 'base'), '--format', 'json', '--input-only']);
    const json = JSON.parse(out.stdout);
    expect(validateDiff(json)).toBe(true);
    const all = { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] };
    expect(json.changes[0]).toEqual({
      change: 'removed',
      from: 'ops/debug',
      to: 'shop/db',
      before: all,
      after: null,
      opened: null,
      closed: all,
      allowedBy: { before: { egress: ['egress from ops/debug: not isolated'], ingress: ['shop/db-from-ops ingress rule 0'] }, after: null },
    });
    expect(json.summary).toEqual({ text: '0 flows opened, 3 closed (3 removed)', opened: 0, added: 0, widened: 0, closed: 3, removed: 3, narrowed: 0 });
    expect(json.endpoints).toEqual({ added: [], removed: [] });
    const summary = json.summary;
    const allowedBy = { before: null, after: null };
    expect(validateDiff({ summary, changes: [{ change: 'added', from: 'a/b', to: 'a/c', before: { TCP: [[80, 80]] }, after: null, opened: null, closed: null, allowedBy }], endpoints: { added: [], removed: [] } })).toBe(false);
    expect(validateDiff({ summary, changes: [{ change: 'added', from: 'a/b', to: 'a/c', before: null, after: { TCP: [[80, 80]] }, opened: { TCP: [[80, 80]] }, closed: null, allowedBy }], endpoints: { added: [], removed: [] } })).toBe(true);
  });

  test('exits 4 when --fail-on opened trips on a flow into the protected namespace', async () => {
    const out = await netpol(['diff', path.join(dir, 'base'), path.join(dir, 'pr'), '--to', 'shop', '--fail-on', 'opened', '--input-only']);
    expect(out.code).toBe(4);
    expect(out.stderr).toBe('netpol diff: --fail-on opened: 3 flows opened (3 added), 0 closed\n');
  });

  test('--fail-on closed does not trip when flows only opened', async () => {
    const out = await netpol(['diff', path.join(dir, 'base'), path.join(dir, 'pr'), '--fail-on', 'closed']);
    expect(out.code).toBe(0);
  });

  test('fails with exit 2 when one version cannot be read', async () => {
    const out = await netpol(['diff', path.join(dir, 'base'), path.join(dir, 'nothing-here')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/netpol diff: .*nothing-here: cannot read: no such file or directory/);
    expectNoStackTrace(out);
  });
});

describe('netpol list | cluster-wide policies', () => {
  const INPUT = `
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec: {containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: z}
spec: {containers: [{name: b, image: b}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: dns-only}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: x}}}
  egress:
  - action: Accept
    to: [{namespaces: {}}]
    protocols: [{udp: {destinationPort: {number: 53}}}]
  - action: Deny
    to: [{namespaces: {}}]
`;

  test('lists what the tiers allow, a flow that allows only UDP included (no --port, so no protocol filter)', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cnp-'));
    fs.writeFileSync(path.join(tmp, 'in.yaml'), INPUT);
    const c = await netpol(['list', tmp]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('x/a => z/b : UDP 53\n');
    expect(c.stdout).toContain('z/b => x/a : All Connections\n');
    const tcp = await netpol(['list', '--protocol', 'TCP', tmp]);
    expect(tcp.stdout).not.toContain('x/a => z/b');
    expectNoStackTrace(c);
  });
});
