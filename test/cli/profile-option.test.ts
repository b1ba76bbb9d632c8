import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expectNoStackTrace, netpol } from './run-netpol';
import { deployment, policy } from '../fixtures/manifests';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-profile-cli-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A workload isolated for egress that may reach OpenShift's DNS pods on 5353 only. */
function openShiftInput(): string {
  const file = path.join(dir, 'shop.json');
  fs.writeFileSync(file, JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      deployment('shop', 'web', { app: 'web' }, { ports: [{ containerPort: 8080 }] }),
      policy('shop', 'dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } },
            podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } },
          }],
          ports: [{ protocol: 'UDP', port: 5353 }, { protocol: 'TCP', port: 5353 }],
        }],
      }),
    ],
  }));
  return file;
}

describe('netpol --profile', () => {
  test('lint judges DNS by the profile: NP003 on generic, clean of it on openshift', async () => {
    const input = openShiftInput();
    const generic = await netpol(['lint', '--format', 'json', '--config', writeConfig({}), input]);
    expect(JSON.parse(generic.stdout).findings.map((f: any) => f.ruleId)).toContain('NP003');
    const openshift = await netpol(['lint', '--format', 'json', '--profile', 'openshift', '--config', writeConfig({}), input]);
    expect(JSON.parse(openshift.stdout).findings.map((f: any) => f.ruleId)).not.toContain('NP003');
  });

  test('probe plan probes DNS with a profile, from --profile or the configuration file', async () => {
    const input = openShiftInput();
    const plain = await netpol(['probe', 'plan', '--format', 'json', '--config', writeConfig({}), input]);
    expect(JSON.parse(plain.stdout).probes.filter((p: any) => p.kind === 'DNS')).toEqual([]);
    const byFlag = await netpol(['probe', 'plan', '--format', 'json', '--profile', 'openshift', input]);
    const dns = JSON.parse(byFlag.stdout).probes.filter((p: any) => p.kind === 'DNS');
    expect(dns.map((p: any) => `${p.protocol}/${p.port} ${p.expectAllowed}`)).toEqual(['UDP/5353 true', 'TCP/5353 true']);
    const byConfig = await netpol(['probe', 'plan', '--format', 'json', '--config', writeConfig({ options: { profile: 'openshift' } }), input]);
    expect(JSON.parse(byConfig.stdout).probes.filter((p: any) => p.kind === 'DNS')).toHaveLength(2);
  });

  test('an unknown profile is a usage error with a suggestion, never a stack trace', async () => {
    const c = await netpol(['lint', '--profile', 'openshfit', openShiftInput()]);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--profile.*did you mean "openshift"\?/s);
    expectNoStackTrace(c);
    const bad = await netpol(['probe', 'plan', '--config', writeConfig({ options: { profile: 'nope' } }), openShiftInput()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/options\.profile: "nope": is not a built-in profile/);
    expectNoStackTrace(bad);
  });
});

let configs = 0;
function writeConfig(content: unknown): string {
  const file = path.join(dir, `config-${++configs}.json`);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}
