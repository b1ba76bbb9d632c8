import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, ApiObject, Chart } from 'cdk8s';
import { expectNoStackTrace, netpol } from './run-netpol';
import { Direction } from '../../src/direction';
import { LabelSelector } from '../../src/label-selector';
import { AllowFromNamespace } from '../../src/patterns/allow-from-namespace';
import { DefaultDeny } from '../../src/patterns/default-deny';
import { Port } from '../../src/port';

const SHOP = `
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
status: {podIP: 10.1.0.7}
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
  egress: [{to: [{podSelector: {matchLabels: {app: db}}}], ports: [{port: 5432}]}]
`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-matrix-'));
  fs.mkdirSync(path.join(dir, 'manifests'));
  fs.writeFileSync(path.join(dir, 'manifests', 'shop.yaml'), SHOP);
  fs.writeFileSync(path.join(dir, 'broken.yaml'), 'kind: Pod\nmetadata: {name: [unclosed\n');
  fs.writeFileSync(path.join(dir, 'bad-policy.yaml'), [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: bad, namespace: shop}',
    'spec: {podSelector: {}, ingress: [{ports: [{port: 0}]}]}',
  ].join('\n'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const manifests = () => path.join(dir, 'manifests');

describe('netpol matrix | formats', () => {
  test('prints a grid, rows are sources and columns destinations', async () => {
    const c = await netpol(['matrix', manifests(), '--port', '5432']);
    expect(c.code).toBe(0);
    expect(c.stderr).toBe('');
    expect(c.stdout).toBe([
      'TCP/5432: rows are sources, columns destinations; . allowed, X denied',
      '',
      '-         ops/debug shop/db shop/web',
      'ops/debug .         X       X',
      'shop/db   X         .       X',
      'shop/web  X         .       .',
      '',
    ].join('\n'));
  });

  test('prints JSON covering every pair', async () => {
    const c = await netpol(['matrix', manifests(), '--port', '5432', '--protocol', 'tcp', '--format', 'json']);
    expect(c.code).toBe(0);
    expect(JSON.parse(c.stdout)).toEqual({
      port: 5432,
      protocol: 'TCP',
      pods: ['ops/debug', 'shop/db', 'shop/web'],
      allowed: {
        'ops/debug': { 'ops/debug': true, 'shop/db': false, 'shop/web': false },
        'shop/db': { 'ops/debug': false, 'shop/db': true, 'shop/web': false },
        'shop/web': { 'ops/debug': false, 'shop/db': true, 'shop/web': true },
      },
    });
  });

  test('prints a Mermaid flowchart of the allowed flows', async () => {
    const c = await netpol(['matrix', manifests(), '--port', '5432', '--format', 'mermaid']);
    expect(c.code).toBe(0);
    expect(c.stdout).toBe([
      'flowchart LR',
      '  subgraph g0 ["ops"]',
      '    n0["ops/debug"]',
      '  end',
      '  subgraph g1 ["shop"]',
      '    n1["shop/db"]',
      '    n2["shop/web"]',
      '  end',
      '  n2 --> n1',
      '',
    ].join('\n'));
  });

  test('another protocol is a different table', async () => {
    const c = await netpol(['matrix', manifests(), '--port', '5432', '--protocol', 'UDP', '--format', 'json']);
    expect(JSON.parse(c.stdout).allowed['shop/web']['shop/db']).toBe(false);
  });

  test('analysis options: self-traffic, external endpoints', async () => {
    const c = await netpol(['matrix', manifests(), '--port', '5432', '--self-traffic', 'evaluate', '--external', '203.0.113.9', '--format', 'json']);
    expect(c.code).toBe(0);
    const table = JSON.parse(c.stdout);
    expect(table.pods).toEqual(['ops/debug', 'shop/db', 'shop/web', '203.0.113.9']);
    expect(table.allowed['shop/db']['shop/db']).toBe(false);
    expect(table.allowed['203.0.113.9']['ops/debug']).toBe(true);
  });

  test('reads standard input', async () => {
    const c = await netpol(['matrix', '-', '--port', '80'], SHOP);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('shop/web  X         X       .');
  });

  test('says so when the input has no pods', async () => {
    const c = await netpol(['matrix', '-', '--port', '80'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('TCP/80: no pods or workloads in the input.\n');
  });

  test('works on the manifests a cdk8s app synthesizes', async () => {
    // GIVEN an app using the library, synthesized into a dist/ directory
    const outdir = path.join(dir, 'dist');
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    for (const name of ['web', 'db']) {
      new ApiObject(chart, name, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name },
        spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: name }] } } },
      });
    }
    new DefaultDeny(chart, 'Deny', { directions: [Direction.INGRESS] });
    new AllowFromNamespace(chart, 'Db', { podSelector: LabelSelector.labels({ app: 'db' }), fromNamespace: 'shop', fromPodLabels: { app: 'web' }, ports: [Port.tcp(5432)] });
    app.synth();

    // WHEN
    const c = await netpol(['matrix', outdir, '--port', '5432']);

    // THEN
    expect(c.code).toBe(0);
    expect(c.stdout).toContain([
      '-        shop/db shop/web',
      'shop/db  .       X',
      'shop/web .       .',
    ].join('\n'));
  });
});

describe('netpol matrix | errors', () => {
  test.each([
    [['matrix', 'x.yaml']],
    [['matrix', 'x.yaml', '--port', '0']],
    [['matrix', 'x.yaml', '--port', 'http']],
    [['matrix', 'x.yaml', '--port', '80', '--protocol', 'ICMP']],
    [['matrix', 'x.yaml', '--port', '80', '--format', 'dot']],
    [['matrix', '--port', '80']],
  ])('%j is a usage error: exit 2', async (args) => {
    const c = await netpol(args);
    expect(c.code).toBe(2);
    expect(c.stderr).not.toBe('');
    expectNoStackTrace(c);
  });

  test('unreadable input exits 2 with the load errors', async () => {
    const c = await netpol(['matrix', path.join(dir, 'broken.yaml'), path.join(dir, 'missing.yaml'), '--port', '80']);
    expect(c.code).toBe(2);
    expect(c.stdout).toBe('');
    expect(c.stderr).toContain('netpol matrix: ');
    expect(c.stderr).toContain('missing.yaml');
    expectNoStackTrace(c);
  });

  test('an invalid policy exits 2 with netpol validate\'s message, and is never evaluated', async () => {
    const file = path.join(dir, 'bad-policy.yaml');
    const c = await netpol(['matrix', file, '--port', '80']);
    expect(c.code).toBe(2);
    expect(c.stdout).toBe('');
    expect(c.stderr).toBe(`netpol matrix: ${file} (document 0, line 1): NetworkPolicy shop/bad: invalid (1 error)\n`
      + '  error: spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n'
      + 'netpol matrix: 1 NetworkPolicy is invalid: the API server would reject it, so the analysis does not evaluate it (netpol validate shows every error and warning)\n');
    expectNoStackTrace(c);
  });

  test('--help documents the options and exit codes', async () => {
    const c = await netpol(['matrix', '--help']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('Usage: netpol matrix [options] <paths...>');
    expect(c.stdout).toContain('--format <format>');
    expect(c.stdout).toContain('Exit codes:');
  });
});
