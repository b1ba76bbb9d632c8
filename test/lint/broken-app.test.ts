import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Linter, NetpolLint, Severity } from '../../src/lint';
import { netpol } from '../cli/run-netpol';
import { buildBrokenApp } from '../fixtures/lint/broken-app';

const E = Severity.ERROR;
const W = Severity.WARNING;

/** Every finding of the broken app: [rule, severity, construct path, object, field, message]. */
const EXPECTED: [string, Severity, string, string, string | undefined, string][] = [
  ['NP005', E, 'broken/ApiFromFrontend', 'NetworkPolicy shop/api-from-frontend', 'spec.ingress[0].from[0].podSelector',
    '{app=wbe} matches no pod in namespace shop, the policy\'s own (a podSelector without a namespaceSelector selects only there) '
    + '(app: api, crawler, db, node-agent, web and worker)'],
  ['NP009', W, 'broken/ApiFromMonitoring', 'NetworkPolicy shop/api-from-monitoring', 'spec.ingress[0].from[0]',
    'one peer with namespaceSelector {kubernetes.io/metadata.name=monitoring} AND podSelector {app=web}. As written (AND) it matches '
    + 'pods labelled {app=web} in namespace monitoring: none in the input. As two peers (OR) it would match every pod in namespace '
    + 'monitoring, or pods labelled {app=web} in namespace shop: Deployment shop/web'],
  ['NP008', W, 'broken/ApiFromWebHttps', 'NetworkPolicy shop/api-from-web-https', undefined,
    'the policy has no effect: for every pod it selects (Deployment shop/api), other policies already isolate ingress, and '
    + 'shop/api-from-web already allows everything it allows'],
  ['NP012', W, 'broken/ApiFromWorker', 'NetworkPolicy shop/api-from-worker', 'spec.ingress[0].ports[0]',
    'TCP/443 is port 443 of Service shop/api, which sends it to targetPort "https" (8443) on shop/api; policies see the target port, and this rule opens none of it'],
  ['NP011', W, 'broken/ApiMetrics', 'NetworkPolicy shop/api-metrics', 'spec.ingress[0].from[0]',
    'namespaceSelector {} allows ingress from every pod in every namespace to pods not marked public: Deployment shop/api'],
  ['NP004', E, 'broken/CrawlerInternet', 'NetworkPolicy shop/crawler-internet', 'spec.egress[0].to[0]',
    'ipBlock 0.0.0.0/0 lets Deployment shop/crawler reach the cloud metadata endpoints 169.254.169.254 and 100.100.100.200 (TCP/80)'],
  ['NP007', E, 'broken/DbIngress', 'NetworkPolicy shop/db-ingress', 'spec.egress',
    'policyTypes is ["Ingress"], so the API server accepts this egress rule but never enforces it: add "Egress" to policyTypes, or remove spec.egress'],
  ['NP001', E, 'broken/Namespace', 'Namespace shop', undefined,
    'in namespace shop, no NetworkPolicy isolates Deployment shop/crawler and Deployment shop/worker for '
    + 'ingress (2 of 5 pods and workloads), so they accept connections from every pod and every address; hostNetwork Deployment '
    + 'shop/node-agent is not counted: no NetworkPolicy isolates it (protect the node instead)'],
  ['NP002', W, 'broken/Namespace', 'Namespace shop', undefined,
    'in namespace shop, no NetworkPolicy isolates Deployment shop/api, Deployment shop/db and Deployment '
    + 'shop/web for egress (3 of 5 pods and workloads), so they may connect to every pod and every address; hostNetwork Deployment '
    + 'shop/node-agent is not counted: no NetworkPolicy isolates it (protect the node instead)'],
  ['NP016', W, 'broken/NodeAgentIngress', 'NetworkPolicy shop/node-agent-ingress', 'spec.podSelector',
    'the podSelector selects hostNetwork Deployment shop/node-agent: NetworkPolicies do not apply to hostNetwork pods in the common '
    + 'implementations, so this policy neither isolates it nor restricts its traffic'],
  ['NP006', E, 'broken/WebFromInternet', 'NetworkPolicy shop/web-from-internet', 'spec.ingress[0].from[0]',
    'ipBlock 0.0.0.0/0 allows ingress from every IPv4 address to pods not marked public: Deployment shop/web'],
  ['NP003', E, 'broken/Worker', 'Deployment shop/worker', undefined,
    'Deployment shop/worker is isolated for egress (by shop/worker-egress) but cannot reach cluster DNS (kube-system pods labelled '
    + 'k8s-app=kube-dns, assumed: the input has none) on UDP/53 or TCP/53'],
  ['NP010', W, 'broken/WorkerEgress', 'NetworkPolicy shop/worker-egress', 'spec.egress[0].ports[0]',
    'TCP/1024-65535 opens 64512 ports, more than the 1000 allowed (maxPortRangeWidth)'],
];

const object = (f: { kind?: string; namespace?: string; name?: string }) => `${f.kind} ${f.kind === 'Namespace' ? '' : `${f.namespace}/`}${f.name}`;

describe('the broken example reproduces every pitfall', () => {
  test('Linter.lintApp: exactly the expected findings, named by construct path', () => {
    const report = Linter.lintApp(buildBrokenApp());
    expect(report.findings.map(f => [f.ruleId, f.severity, f.constructPath, object(f), f.field, f.message])).toEqual(EXPECTED);
    expect(report.suppressedFindings).toEqual([]);
    expect(report.objectCount).toBe(20);
  });

  test('every rule about NetworkPolicies is hit', () => {
    const ids = new Set(EXPECTED.map(e => e[0]));
    // the broken app has no cluster-wide policies: the cluster-* rules (NP013-NP015) have their own tests
    expect([...ids].sort()).toEqual(Linter.rules().filter(r => !r.name.startsWith('cluster-')).map(r => r.id).filter(id => !id.startsWith('NP9')));
  });

  test('NetpolLint.addTo(app): app.synth() fails with exactly the errors', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-broken-'));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const app = buildBrokenApp({ outdir });
      NetpolLint.addTo(app);
      let message = '';
      try {
        app.synth();
      } catch (e) {
        message = (e as Error).message;
      }
      const errors = message.split('\n').slice(1).map(l => l.trim());
      expect(errors.map(l => l.replace(/^\[NetpolLint\] error: (NP\d+) [a-z-]+ at (\S+) .*$/, '$1 $2'))).toEqual(
        EXPECTED.filter(e => e[1] === E).map(e => `${e[0]} ${e[2]}`));
      // warnings are printed, once each
      const printed = stderr.mock.calls.map(c => String(c[0])).join('');
      expect(printed.match(/^netpol lint: warning: NP\d+/gm)).toEqual(EXPECTED.filter(e => e[1] === W).map(e => `netpol lint: warning: ${e[0]}`));
    } finally {
      stderr.mockRestore();
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('netpol lint on the synthesized YAML: the same findings, named by file and document', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-broken-'));
    try {
      buildBrokenApp({ outdir, recordConstructMetadata: true }).synth();
      const c = await netpol(['lint', '--format', 'json', outdir]);
      expect(c.code).toBe(1);
      const findings = JSON.parse(c.stdout).findings;
      const file = path.join(outdir, 'broken.k8s.yaml');
      expect(findings.every((f: any) => f.file === file && Number.isInteger(f.documentIndex) && Number.isInteger(f.line))).toBe(true);
      const key = (e: [string, string, string | undefined, string]) => e.join(' | ');
      expect(findings.map((f: any) => key([f.ruleId, object(f), f.field, f.message])).sort())
        .toEqual(EXPECTED.map(e => key([e[0], e[3], e[4], e[5]])).sort());
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
