import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterProfile } from '../../../src';
import { Severity } from '../../../src/lint';
import { FILE, baseline, findingsOf, lint, namespace, pod, policy, suppressedOf } from '../lint-helpers';

/** A pod in the host's network namespace (a node agent, an ingress controller on the host's ports). */
function hostPod(ns: string, name: string, labels: Record<string, string>): any {
  const p = pod(ns, name, labels, { ip: '192.168.1.10' });
  p.spec.hostNetwork = true;
  return p;
}

/** A profile for a network plugin that applies policies to hostNetwork pods. */
const isolating = ClusterProfile.custom({ name: 'isolating-plugin', hostNetworkPodsIsolated: true });

describe('NP016 host-network-pods-selected: a policy selects hostNetwork pods it does not protect', () => {
  test('compliant: policies select only ordinary pods, and hostNetwork pods no policy selects are not this rule\'s', () => {
    const report = lint([
      namespace('shop'), pod('shop', 'web', { app: 'web' }), hostPod('shop', 'agent', { app: 'agent' }),
      policy('shop', 'web-in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
    ]);
    expect(findingsOf(report, 'NP016')).toEqual([]);
  });

  test('non-compliant: a default deny selects a hostNetwork pod, which it neither isolates nor restricts', () => {
    const report = lint([namespace('shop'), pod('shop', 'web', { app: 'web' }), hostPod('shop', 'agent', { app: 'agent' }), ...baseline('shop')]);
    const findings = findingsOf(report, 'NP016');
    expect(findings.map(f => f.name).sort()).toEqual(['allow-dns', 'default-deny']);
    expect(findings.find(f => f.name === 'default-deny')).toEqual({
      ruleId: 'NP016',
      ruleName: 'host-network-pods-selected',
      severity: Severity.WARNING,
      message: 'the podSelector selects hostNetwork Pod shop/agent: NetworkPolicies do not apply to hostNetwork pods in the '
        + 'common implementations, so this policy neither isolates it nor restricts its traffic',
      fix: expect.stringContaining('Protect the node instead'),
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'default-deny',
      field: 'spec.podSelector',
      file: FILE,
      documentIndex: 3,
    });
  });

  test('not applicable: with a profile whose plugin isolates hostNetwork pods', () => {
    const report = lint([namespace('shop'), hostPod('shop', 'agent', { app: 'agent' }), ...baseline('shop')], { profile: isolating });
    expect(findingsOf(report, 'NP016')).toEqual([]);
  });

  test('suppressed: by the annotation on the policy', () => {
    const report = lint([namespace('shop'), hostPod('shop', 'agent', { app: 'agent' }), policy('shop', 'deny', { podSelector: {} }, {
      'netpol.cdk8s.io/suppress': 'NP016: the node firewall protects the agent',
    })]);
    expect(findingsOf(report, 'NP016')).toEqual([]);
    expect(suppressedOf(report, 'NP016').map(f => f.suppressionReason)).toEqual(['the node firewall protects the agent']);
  });

  test('configured: switched off, or raised to an error, in netpol.config.json', () => {
    const objects = [namespace('shop'), hostPod('shop', 'agent', { app: 'agent' }), policy('shop', 'deny', { podSelector: {} })];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'np016-'));
    try {
      const config = (rules: any) => {
        const file = path.join(dir, `${Object.values(rules)[0]}.json`);
        fs.writeFileSync(file, JSON.stringify({ rules }));
        return file;
      };
      expect(findingsOf(lint(objects), 'NP016')).toHaveLength(1);
      expect(findingsOf(lint(objects, { configFile: config({ NP016: 'off' }) }), 'NP016')).toEqual([]);
      expect(findingsOf(lint(objects, { configFile: config({ 'host-network-pods-selected': 'error' }) }), 'NP016').map(f => f.severity)).toEqual([Severity.ERROR]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NP004 and hostNetwork pods: a pod no policy isolates is not counted as egress-isolated', () => {
  const objects = [
    namespace('shop'), pod('shop', 'web', { app: 'web' }), hostPod('shop', 'agent', { app: 'agent' }),
    policy('shop', 'egress-anywhere', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
  ];

  test('unrestricted (the default): only the ordinary pod is reported as exposed through the rule', () => {
    const messages = findingsOf(lint(objects), 'NP004').map(f => f.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Pod shop/web');
    expect(messages[0]).not.toContain('agent');
  });

  test('with a profile whose plugin isolates hostNetwork pods, the hostNetwork pod is reported too', () => {
    const messages = findingsOf(lint(objects, { profile: isolating }), 'NP004').map(f => f.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Pod shop/agent');
  });
});

describe('NP001 and NP002 and hostNetwork pods: no default deny can isolate them, so they are not counted', () => {
  test('a namespace whose default deny isolates every ordinary pod is compliant, though it also has a hostNetwork pod', () => {
    const report = lint([namespace('shop'), pod('shop', 'web', { app: 'web' }), hostPod('shop', 'agent', { app: 'agent' }), ...baseline('shop')]);
    expect(findingsOf(report, 'NP001')).toEqual([]);
    expect(findingsOf(report, 'NP002')).toEqual([]);
    // the hostNetwork pod is not forgotten: NP016 reports the policies that select it
    expect(findingsOf(report, 'NP016')).toHaveLength(2);
  });

  test('without policies: the ordinary pods are reported, and the hostNetwork one is named as not counted', () => {
    const report = lint([namespace('shop'), pod('shop', 'web', { app: 'web' }), hostPod('shop', 'agent', { app: 'agent' })]);
    expect(findingsOf(report, 'NP001').map(f => f.message)).toEqual([
      'no NetworkPolicy in namespace shop isolates its pods for ingress, so Pod shop/web accepts connections from every pod and '
      + 'every address; hostNetwork Pod shop/agent is not counted: no NetworkPolicy isolates it (protect the node instead)',
    ]);
    expect(findingsOf(report, 'NP002').map(f => f.message)).toEqual([
      'no NetworkPolicy in namespace shop isolates its pods for egress, so Pod shop/web may connect to every pod and '
      + 'every address; hostNetwork Pod shop/agent is not counted: no NetworkPolicy isolates it (protect the node instead)',
    ]);
  });

  test('a namespace of hostNetwork pods only gets no advice to add a default deny, which could not help', () => {
    const report = lint([namespace('agents'), hostPod('agents', 'a', { app: 'a' }), hostPod('agents', 'b', { app: 'b' })]);
    expect(findingsOf(report, 'NP001')).toEqual([]);
    expect(findingsOf(report, 'NP002')).toEqual([]);
  });

  test('with a profile whose plugin isolates hostNetwork pods, they are counted like any other', () => {
    const report = lint([namespace('agents'), hostPod('agents', 'a', { app: 'a' })], { profile: isolating });
    expect(findingsOf(report, 'NP001').map(f => f.message)).toEqual([
      'no NetworkPolicy in namespace agents isolates its pods for ingress, so Pod agents/a accepts connections from every pod and every address',
    ]);
  });
});
