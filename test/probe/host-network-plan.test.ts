import { HostNetworkPods } from '../../src/analysis';
import { ProbeKind, ProbePlan } from '../../src/probe';
import { namespace, pod, policy } from '../fixtures/manifests';

/*
 * The probe plan and hostNetwork workloads: under HostNetworkPods.UNRESTRICTED no probe expects
 * a hostNetwork workload's traffic denied, none starts from it, and the plan says why.
 */

function hostPod(ns: string, name: string, labels: Record<string, string>): any {
  const p = pod(ns, name, labels, { ip: '192.168.1.10', ports: [{ containerPort: 9100 }] });
  p.spec.hostNetwork = true;
  return p;
}

const objects = [
  namespace('shop'),
  namespace('ops'),
  pod('shop', 'web', { app: 'web' }, { ip: '10.0.0.1', ports: [{ containerPort: 8080 }] }),
  hostPod('shop', 'agent', { app: 'agent' }),
  pod('ops', 'probe', { app: 'probe' }, { ip: '10.0.1.1', ports: [{ containerPort: 80 }] }),
  // isolates every pod of shop both ways; web accepts 8080 from the node's addresses, so agent reaches it
  policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  policy('shop', 'web-in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ ipBlock: { cidr: '192.168.1.0/24' } }], ports: [{ port: 8080 }] }] }),
];

const involves = (name: string) => (p: { from: string; to: string }) => p.from === name || p.to === name;

describe('ProbePlan | hostNetwork workloads', () => {
  test('unrestricted (the default): no probe expects a hostNetwork workload\'s traffic denied, none starts from it', () => {
    const plan = ProbePlan.fromObjects(objects);
    const agent = plan.probes.filter(involves('shop/agent'));
    expect(agent.filter(p => !p.expectAllowed)).toEqual([]);
    expect(agent.filter(p => p.from === 'shop/agent')).toEqual([]);
    // the cluster lets ops/probe reach it, and the plan says so
    expect(plan.probes.some(p => p.from === 'ops/probe' && p.to === 'shop/agent' && p.expectAllowed)).toBe(true);
    // an ordinary pod of the namespace is still probed for what must stay out
    expect(plan.probes.some(p => p.to === 'shop/web' && p.kind === ProbeKind.OTHER_NAMESPACE && !p.expectAllowed)).toBe(true);
  });

  test('the plan says which workload is not probed and why, in every format', () => {
    const plan = ProbePlan.fromObjects(objects);
    expect(plan.skipped).toHaveLength(1);
    expect(plan.skipped[0]).toMatch(/^shop\/agent: a hostNetwork workload, and NetworkPolicies do not apply to hostNetwork pods/);
    expect(plan.skipped[0]).toContain('--host-network isolated');
    expect(plan.toJson().skipped).toEqual(plan.skipped);
    expect(plan.toText().split('\n')[1]).toBe(`Not probed: ${plan.skipped[0]}`);
    expect(plan.toMarkdown()).toContain('Not probed: shop/agent: a hostNetwork workload');
  });

  test('isolated: the hostNetwork workload is probed like any other, with denied expectations', () => {
    const plan = ProbePlan.fromObjects(objects, { analysis: { hostNetworkPods: HostNetworkPods.ISOLATED } });
    expect(plan.skipped).toEqual([]);
    expect(plan.toJson().skipped).toBeUndefined();
    const agent = plan.probes.filter(involves('shop/agent'));
    expect(agent.some(p => p.kind === ProbeKind.OTHER_NAMESPACE && p.to === 'shop/agent' && !p.expectAllowed)).toBe(true);
    expect(agent.some(p => p.kind === ProbeKind.METADATA && p.from === 'shop/agent' && !p.expectAllowed)).toBe(true);
  });

  test('a plan without hostNetwork workloads is unchanged: nothing skipped, no extra line', () => {
    const plain = objects.filter(o => o.metadata.name !== 'agent');
    const plan = ProbePlan.fromObjects(plain);
    expect(plan.skipped).toEqual([]);
    expect(plan.toText()).not.toContain('Not probed');
  });
});
