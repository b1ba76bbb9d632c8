import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expectNoStackTrace, netpol } from './run-netpol';
import { namespace, pod, policy } from '../fixtures/manifests';

/*
 * --host-network unrestricted|isolated on the analysis commands: whether NetworkPolicies apply
 * to hostNetwork pods; without it, the cluster profile's hostNetworkPodsIsolated (probe), else
 * unrestricted.
 */

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-host-network-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** shop: a default deny, web, and a hostNetwork node agent; ops: a probe. */
function input(): string {
  const agent = pod('shop', 'agent', { app: 'agent' }, { ip: '192.168.1.10', ports: [{ containerPort: 9100 }] });
  agent.spec.hostNetwork = true;
  const file = path.join(dir, 'cluster.json');
  fs.writeFileSync(file, JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      namespace('shop'), namespace('ops'),
      pod('shop', 'web', { app: 'web' }, { ip: '10.0.0.1', ports: [{ containerPort: 8080 }] }),
      agent,
      pod('ops', 'probe', { app: 'probe' }, { ip: '10.0.1.1' }),
      policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ],
  }));
  return file;
}

const explainArgs = (file: string) => ['explain', file, '--from', 'ops/probe', '--to', 'shop/agent', '--port', '9100'];

describe('netpol --host-network', () => {
  test('explain: allowed by default (unrestricted), and says why and which flag changes it', async () => {
    const c = await netpol(explainArgs(input()));
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('ops/probe -> shop/agent TCP/9100: allowed');
    expect(c.stdout).toContain('ingress to shop/agent: not isolated: a hostNetwork pod');
    expect(c.stdout).toContain('--host-network isolated');
    expect((await netpol([...explainArgs(input()), '--host-network', 'unrestricted'])).stdout).toBe(c.stdout);
  });

  test('explain: --host-network isolated models a plugin that applies policies to hostNetwork pods (exit 3: denied)', async () => {
    const c = await netpol([...explainArgs(input()), '--host-network', 'isolated']);
    expect(c.code).toBe(3);
    expect(c.stdout).toContain('ops/probe -> shop/agent TCP/9100: denied by ingress');
    expect(c.stdout).toContain('isolated by shop/deny-all (a hostNetwork pod: policies apply to it under HostNetworkPods.ISOLATED)');
  });

  test('list follows the engine: the flow to the hostNetwork pod is listed only when it is not isolated', async () => {
    const file = input();
    const open = await netpol(['list', file, '--format', 'json']);
    const closed = await netpol(['list', file, '--format', 'json', '--host-network', 'isolated']);
    expect(open.code).toBe(0);
    expect(closed.code).toBe(0);
    const flows = (out: string) => JSON.parse(out).connections.map((f: any) => `${f.from} -> ${f.to}`);
    expect(flows(open.stdout)).toContain('ops/probe -> shop/agent');
    expect(flows(closed.stdout)).not.toContain('ops/probe -> shop/agent');
  });

  test.each([
    ['Isolated'], ['node'], [''],
  ])('--host-network %j is a usage error that lists the valid values (exit 2)', async (value) => {
    const c = await netpol([...explainArgs(input()), '--host-network', value]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`'${value}' is invalid`);
    expect(c.stderr).toContain('unrestricted, isolated');
    expectNoStackTrace(c);
  });

  test('probe plan: the profile in netpol.config.json decides without the flag, and the flag wins over it', async () => {
    const file = input();
    const config = path.join(dir, 'netpol.config.json');
    fs.writeFileSync(config, JSON.stringify({ options: { profile: { name: 'isolating-plugin', hostNetworkPodsIsolated: true } } }));
    const byDefault = await netpol(['probe', 'plan', file, '--format', 'json']);
    const byProfile = await netpol(['probe', 'plan', file, '--format', 'json', '--config', config]);
    const byFlag = await netpol(['probe', 'plan', file, '--format', 'json', '--config', config, '--host-network', 'unrestricted']);
    for (const c of [byDefault, byProfile, byFlag]) expect(c.code).toBe(0);
    expect(JSON.parse(byDefault.stdout).skipped).toEqual([expect.stringMatching(/^shop\/agent: a hostNetwork workload/)]);
    expect(JSON.parse(byProfile.stdout).skipped).toBeUndefined();
    expect(JSON.parse(byProfile.stdout).probes.some((p: any) => p.to === 'shop/agent' && !p.expectAllowed)).toBe(true);
    expect(JSON.parse(byFlag.stdout).skipped).toEqual(JSON.parse(byDefault.stdout).skipped);
  });
});
