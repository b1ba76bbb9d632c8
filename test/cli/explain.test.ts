import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expectNoStackTrace, netpol } from './run-netpol';

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
metadata: {name: web-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: db}}}]
    ports: [{port: 5432}]
  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
    ports: [{port: 443}]
`;

let file: string;
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-explain-'));
  file = path.join(dir, 'shop.yaml');
  fs.writeFileSync(file, SHOP);
});
afterAll(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

describe('netpol explain | verdicts and exit codes', () => {
  test('exits 0 and says which rules allow an allowed connection', async () => {
    const c = await netpol(['explain', file, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432']);
    expect(c.code).toBe(0);
    expect(c.stderr).toBe('');
    expect(c.stdout.split('\n')).toEqual([
      'shop/web -> shop/db TCP/5432: allowed',
      '  egress from shop/web: isolated by shop/deny-all, shop/web-egress; allowed by shop/web-egress egress rule 0 (to[0] podSelector {app=db}, ports[0] TCP/5432)',
      '  ingress to shop/db: isolated by shop/db-from-web, shop/deny-all; allowed by shop/db-from-web ingress rule 0 (from[0] podSelector {app=web}, ports[0] TCP/"pg" = 5432 on shop/db)',
      '',
    ]);
  });

  test('exits 3 and says why a denied connection is denied', async () => {
    const c = await netpol(['explain', file, '--from', 'shop/db', '--to', 'shop/web', '--port', '8080']);
    expect(c.code).toBe(3);
    expect(c.stdout.split('\n')).toEqual([
      'shop/db -> shop/web TCP/8080: denied by egress and ingress',
      '  egress from shop/db: isolated by shop/deny-all; no rule of the policy that selects shop/db allows it',
      '    - shop/deny-all: no egress rules (it only isolates)',
      '  ingress to shop/web: isolated by shop/deny-all; no rule of the policy that selects shop/web allows it',
      '    - shop/deny-all: no ingress rules (it only isolates)',
      '',
    ]);
  });

  test('accepts a named port of the destination and a protocol in any case', async () => {
    const c = await netpol(['explain', file, '--from', 'shop/web', '--to', 'shop/db', '--port', 'pg', '--protocol', 'tcp']);
    expect(c.code).toBe(0);
    expect(c.stdout.split('\n')[0]).toBe('shop/web -> shop/db TCP/5432 ("pg"): allowed');
  });

  test('accepts an IP address as an endpoint', async () => {
    const allowed = await netpol(['explain', file, '--from', 'shop/web', '--to', '203.0.113.9', '--port', '443']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('allowed by shop/web-egress egress rule 1 (to[0] ipBlock 0.0.0.0/0 except 10.0.0.0/8, ports[0] TCP/443)');
    const denied = await netpol(['explain', file, '--from', 'shop/web', '--to', '10.9.9.9', '--port', '443']);
    expect(denied.code).toBe(3);
    const inbound = await netpol(['explain', file, '--from', '203.0.113.9', '--to', 'shop/web', '--port', '8080']);
    expect(inbound.code).toBe(3);
    expect(inbound.stdout).toContain('  egress from 203.0.113.9: outside the cluster, no NetworkPolicy applies; allowed');
  });

  test('--self-traffic evaluate evaluates a pod\'s traffic to itself', async () => {
    expect((await netpol(['explain', file, '--from', 'shop/db', '--to', 'shop/db', '--port', '5432'])).code).toBe(0);
    expect((await netpol(['explain', file, '--from', 'shop/db', '--to', 'shop/db', '--port', '5432', '--self-traffic', 'evaluate'])).code).toBe(3);
  });

  test('--format json prints the verdict', async () => {
    const c = await netpol(['explain', file, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432', '--format', 'json']);
    expect(c.code).toBe(0);
    const verdict = JSON.parse(c.stdout);
    expect(verdict).toMatchObject({ from: 'shop/web', to: 'shop/db', port: 5432, protocol: 'TCP', allowed: true });
    expect(verdict.ingress.allowedBy[0]).toMatchObject({ policy: 'shop/db-from-web', direction: 'Ingress', ruleIndex: 0, peerIndex: 0, portIndex: 0 });
  });
});

describe('netpol explain | errors', () => {
  test.each([
    [['explain', 'x.yaml', '--to', 'a/b', '--port', '80']],
    [['explain', 'x.yaml', '--from', 'a/b', '--port', '80']],
    [['explain', 'x.yaml', '--from', 'a/b', '--to', 'a/c']],
    [['explain', 'x.yaml', '--from', 'a/b', '--to', 'a/c', '--port', '80', '--protocol', 'icmp']],
  ])('%j is a usage error: exit 2', async (args) => {
    const c = await netpol(args);
    expect(c.code).toBe(2);
    expect(c.stderr).not.toBe('');
    expectNoStackTrace(c);
  });

  test.each([
    [['--from', 'shop/nope', '--to', 'shop/db', '--port', '80'], 'netpol explain: from: unknown endpoint "shop/nope": not a pod, a workload or an IP address; known endpoints: shop/db, shop/web\n'],
    [['--from', 'shop/web', '--to', 'shop/db', '--port', 'http'], 'netpol explain: portName: Invalid value: "http": shop/db has no TCP container port of that name; its named ports: pg (TCP/5432)\n'],
    [['--from', 'shop/web', '--to', 'shop/db', '--port', '70000'], "error: option '--port <port>' argument '70000' is invalid. a port number must be between 1 and 65535.\n(run with --help for usage)\n"],
    [['--from', 'shop/web', '--to', 'shop/db', '--port', '-1'], "error: option '--port <port>' argument '-1' is invalid. must be a port number (1-65535) or a container port name: at most 15 characters, lowercase letters, digits and single hyphens, at least one letter (e.g. http, metrics).\n(run with --help for usage)\n"],
  ])('a query it cannot answer exits 2: %j', async (args, message) => {
    const c = await netpol(['explain', file, ...args]);
    expect(c.code).toBe(2);
    expect(c.stdout).toBe('');
    expect(c.stderr).toBe(message);
    expectNoStackTrace(c);
  });

  test('unreadable input exits 2', async () => {
    const c = await netpol(['explain', path.join(path.dirname(file), 'missing.yaml'), '--from', 'a/b', '--to', 'a/c', '--port', '80']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/^netpol explain: .*missing\.yaml: /);
    expectNoStackTrace(c);
  });

  test('--help documents the exit codes', async () => {
    const c = await netpol(['explain', '--help']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('3  the connection is denied');
  });
});
