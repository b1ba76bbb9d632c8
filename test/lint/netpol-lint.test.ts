import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { NamespaceBaseline, Peer, Policy, Port } from '../../src';
import { NetpolLint } from '../../src/lint';
import { chartIn } from '../util';
import { deployment } from './lint-helpers';

/** A chart with one error (NP001: web is not isolated for ingress) and one warning (NP002). */
function openChart(): Chart {
  const chart = chartIn('shop');
  new ApiObject(chart, 'Web', deployment('shop', 'web', { app: 'web' }));
  return chart;
}

/** A chart with one warning only (NP010). */
function warningChart(): Chart {
  const chart = chartIn('shop');
  new NamespaceBaseline(chart, 'Baseline');
  new ApiObject(chart, 'Web', deployment('shop', 'web', { app: 'web' }));
  new Policy(chart, 'Ftp', { ingress: [{ from: [Peer.pods({ app: 'web' })], ports: [Port.tcpRange(30000, 40000)] }] });
  return chart;
}

const NP001 = 'error: NP001 missing-default-deny-ingress at test/Web (Deployment shop/web): no NetworkPolicy in namespace shop isolates '
  + 'its pods for ingress, so Deployment shop/web accepts connections from every pod and every address. Fix: Add a default deny for ingress';

describe('NetpolLint.addTo | the cdk8s validation', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => { stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true); });
  afterEach(() => stderr.mockRestore());

  test('Testing.synth fails on an error, naming the rule, the construct and the fix', () => {
    const chart = openChart();
    NetpolLint.addTo(chart);
    expect(() => Testing.synth(chart)).toThrow(`Validation failed with the following errors:\n  [test] ${NP001}`);
  });

  test('app.synth fails when registered on the app', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-lint-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'test', { namespace: 'shop' });
      new ApiObject(chart, 'Web', deployment('shop', 'web', { app: 'web' }));
      NetpolLint.addTo(app);
      expect(() => app.synth()).toThrow(/\[NetpolLint\] error: NP001 missing-default-deny-ingress at test\/Web/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('warnings do not fail; they are printed to standard error', () => {
    const chart = warningChart();
    NetpolLint.addTo(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining(
      'netpol lint: warning: NP010 wide-port-range at test/Ftp (NetworkPolicy shop/ftp): spec.ingress[0].ports[0]: TCP/30000-40000 opens 10001 ports'));
  });

  test('printWarnings: false keeps quiet; failOnWarnings fails', () => {
    const quiet = warningChart();
    NetpolLint.addTo(quiet, { printWarnings: false });
    Testing.synth(quiet);
    expect(stderr).not.toHaveBeenCalled();

    const strict = warningChart();
    NetpolLint.addTo(strict, { failOnWarnings: true });
    expect(() => Testing.synth(strict)).toThrow(/\[test\] warning: NP010 wide-port-range at test\/Ftp/);
  });

  test('options reach the rules; registering again replaces them and adds no second validation', () => {
    const chart = warningChart();
    NetpolLint.addTo(chart, { failOnWarnings: true });
    NetpolLint.addTo(chart, { failOnWarnings: true, maxPortRangeWidth: 20000 });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('suppressions apply, and an unused one fails synthesis', () => {
    const chart = openChart();
    NetpolLint.addTo(chart, { printWarnings: false });
    NetpolLint.suppress(chart.node.findChild('Web'), [{ id: 'NP001', reason: 'a public demo' }]);
    expect(() => Testing.synth(chart)).not.toThrow();
    NetpolLint.suppress(chart, [{ id: 'NP004', reason: 'stale' }]);
    expect(() => Testing.synth(chart)).toThrow(/NP901 unused-suppression at test: the suppression of NP004 \(metadata-reachable\) on construct test matches no finding/);
  });

  test('input the linter cannot analyse fails synthesis with the reason', () => {
    const chart = chartIn('shop');
    new ApiObject(chart, 'A', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ ports: [{ containerPort: 0 }] }] } });
    NetpolLint.addTo(chart);
    expect(() => Testing.synth(chart)).toThrow(/netpol lint: cannot lint what this scope synthesizes: Pod shop\/p: containers\[0\]\.ports\[0\]\.containerPort: Invalid value: 0/);
  });

  test('a clean chart synthesizes', () => {
    const chart = chartIn('shop');
    new NamespaceBaseline(chart, 'Baseline');
    new ApiObject(chart, 'Web', deployment('shop', 'web', { app: 'web' }));
    NetpolLint.addTo(chart);
    expect(Testing.synth(chart).map(o => o.kind)).toEqual(['NetworkPolicy', 'NetworkPolicy', 'Deployment']);
    expect(stderr).not.toHaveBeenCalled();
  });
});
