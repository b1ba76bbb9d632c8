/**
 * Issue 18, part 1: `netpol list` and `netpol diff` gave `--protocol` a default of TCP and always
 * passed it to the filter, which reads "protocol without port" as "flows that allow some port of
 * that protocol": every flow without a TCP port was dropped from every unfocused run. These are
 * the issue's own inputs, run through the command line exactly as a user runs it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpol } from './run-netpol';
import { ProbePlan } from '../../src/probe';
import { connectivitySnapshotText } from '../../src/testing';

/** The issue's three objects: q may send UDP 8080 to ui, nothing else is isolated. */
const ISSUE = `
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: demo, labels: {app: q}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: ui, namespace: demo, labels: {app: ui}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: q-to-ui, namespace: demo}
spec:
  podSelector: {matchLabels: {app: q}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: ui}}}]
    ports: [{port: 8080, protocol: UDP}]
`;

/** The same, with SCTP 3868 and an ingress rule on ui that only admits q on SCTP. */
const SCTP_INGRESS = `
apiVersion: v1
kind: Pod
metadata: {name: q, namespace: demo, labels: {app: q}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: ui, namespace: demo, labels: {app: ui}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ui-from-q, namespace: demo}
spec:
  podSelector: {matchLabels: {app: ui}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: q}}}]
    ports: [{port: 3868, protocol: SCTP}]
`;

/** A namespace isolated for egress, allowed TCP 443 to one external range. */
const DNS_BASE = `
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: shop, labels: {app: app}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 198.51.100.0/24}}], ports: [{port: 443}]}]
`;

/** The pull request: UDP 5353 to an external range (and nothing TCP). */
const DNS_PR = `${DNS_BASE}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: mdns, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 192.0.2.0/24}}], ports: [{port: 5353, protocol: UDP}]}]
`;

let dir: string;
const file = (name: string) => path.join(dir, name);
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-non-tcp-'));
  fs.writeFileSync(file('issue.yaml'), ISSUE);
  fs.writeFileSync(file('sctp.yaml'), SCTP_INGRESS);
  fs.writeFileSync(file('base.yaml'), DNS_BASE);
  fs.writeFileSync(file('pr.yaml'), DNS_PR);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('netpol list keeps flows that allow no TCP port', () => {
  test('explain and list agree on the issue\'s UDP-only egress rule', async () => {
    const explain = await netpol(['explain', file('issue.yaml'), '--from', 'demo/q', '--to', 'demo/ui', '--port', '8080', '--protocol', 'UDP']);
    expect(explain.stdout).toMatch(/^demo\/q -> demo\/ui UDP\/8080: allowed/);
    const list = await netpol(['list', file('issue.yaml')]);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')).toContain('demo/q => demo/ui : UDP 8080');
  });

  test('the JSON list has the UDP-only flow', async () => {
    const json = JSON.parse((await netpol(['list', file('issue.yaml'), '--format', 'json'])).stdout);
    expect(json.connections).toContainEqual({ from: 'demo/q', to: 'demo/ui', allowed: { UDP: [[8080, 8080]] } });
  });

  test('csv, md, mermaid and dot have it too', async () => {
    for (const format of ['csv', 'md', 'mermaid', 'dot']) {
      const out = await netpol(['list', file('issue.yaml'), '--format', format, '--direction', 'internal']);
      expect({ format, has: out.stdout.includes('UDP 8080') }).toEqual({ format, has: true });
    }
  });

  test('an SCTP-only ingress rule is listed', async () => {
    const out = await netpol(['list', file('sctp.yaml'), '--to', 'demo/ui']);
    expect(out.stdout).toBe('demo/q => demo/ui : SCTP 3868\n');
  });

  test('--protocol alone keeps the flows with some port of that protocol; --port alone means TCP', async () => {
    expect((await netpol(['list', file('issue.yaml'), '--from', 'demo/q', '--to', 'demo/ui', '--protocol', 'udp'])).stdout).toBe('demo/q => demo/ui : UDP 8080\n');
    expect((await netpol(['list', file('issue.yaml'), '--from', 'demo/q', '--to', 'demo/ui', '--protocol', 'tcp'])).stdout).toBe('No allowed flows.\n');
    expect((await netpol(['list', file('issue.yaml'), '--from', 'demo/q', '--to', 'demo/ui', '--port', '8080'])).stdout).toBe('No allowed flows.\n');
    expect((await netpol(['list', file('issue.yaml'), '--from', 'demo/q', '--to', 'demo/ui', '--port', '8080', '--protocol', 'UDP'])).stdout).toBe('demo/q => demo/ui : UDP 8080\n');
  });
});

describe('netpol diff sees a change that opens only UDP', () => {
  test('UDP 5353 to an external range is an opened flow, and --fail-on opened trips', async () => {
    const out = await netpol(['diff', file('base.yaml'), file('pr.yaml'), '--fail-on', 'opened']);
    expect(out.code).toBe(4);
    expect(out.stdout).toContain('+ shop/app => 192.0.2.0-192.0.2.255 : UDP 5353');
    expect(out.stdout).not.toMatch(/^No change/);
  });

  test('the JSON diff carries the UDP port', async () => {
    const json = JSON.parse((await netpol(['diff', file('base.yaml'), file('pr.yaml'), '--format', 'json'])).stdout);
    const change = json.changes.find((c: any) => c.to === '192.0.2.0-192.0.2.255');
    expect(change).toMatchObject({ change: 'added', from: 'shop/app', before: null, after: { UDP: [[5353, 5353]] } });
  });

  test('a UDP-only flow that appears is listed as added', async () => {
    const empty = file('empty-demo.yaml');
    fs.writeFileSync(empty, ISSUE.replace('ports: [{port: 8080, protocol: UDP}]', 'ports: [{port: 9999, protocol: SCTP}]'));
    const out = await netpol(['diff', empty, file('issue.yaml'), '--from', 'demo/q', '--to', 'demo/ui']);
    expect(out.stdout).toContain('demo/q => demo/ui : SCTP 9999 -> UDP 8080');
  });
});

describe('the other consumers of connectivity see UDP-only flows too', () => {
  const objects = [
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'q', namespace: 'demo' }, spec: { template: { metadata: { labels: { app: 'q' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ui', namespace: 'demo' },
      spec: { template: { metadata: { labels: { app: 'ui' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080, protocol: 'UDP' }] }] } } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'q-to-ui', namespace: 'demo' },
      spec: { podSelector: { matchLabels: { app: 'q' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'ui' } } }], ports: [{ port: 8080, protocol: 'UDP' }] }] },
    },
  ];

  test('the connectivity snapshot text has the flow', () => {
    expect(connectivitySnapshotText(objects).split('\n')).toContain('demo/q => demo/ui : UDP 8080');
  });

  test('the probe plan probes it on its UDP port', () => {
    const plan = ProbePlan.fromObjects(objects);
    expect(plan.probes.filter(p => p.from === 'demo/q' && p.to === 'demo/ui').map(p => [p.protocol, p.port, p.expectAllowed])).toEqual([['UDP', 8080, true]]);
  });
});
