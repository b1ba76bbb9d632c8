import { ClusterModel } from '../../src/analysis';
import { Protocol } from '../../src/port';
import { ProbeKind, ProbePlan } from '../../src/probe';
import { cnp } from '../fixtures/cluster-policies';
import { namespace, pod, policy } from '../fixtures/manifests';

/*
 * The probe plan with cluster-wide policies present: its expectations follow the tiers (an
 * Admin Deny over a NetworkPolicy that allows, an Admin Accept into an isolated namespace), and a
 * pod that only cluster-wide policies restrict still gets the probes that check what they deny.
 */

const web = (ns: string) => pod(ns, 'web', { app: 'web' }, { ports: [{ name: 'http', containerPort: 8080 }] });
const BASE = [
  namespace('a', { tenant: 'a' }), namespace('b', { tenant: 'b' }), namespace('monitoring'),
  web('a'), web('b'),
  pod('monitoring', 'prometheus', { app: 'prometheus' }, { ports: [{ name: 'http', containerPort: 9090 }] }),
];
const tenantsApart = cnp('tenants', {
  priority: 10,
  subject: { namespaces: { matchLabels: { tenant: 'a' } } },
  ingress: [{ action: 'Deny', name: 'no-other-tenant', from: [{ namespaces: { matchExpressions: [{ key: 'tenant', operator: 'NotIn', values: ['a'] }] } }] }],
});
const scrape = cnp('scrape', {
  priority: 5,
  subject: { namespaces: { matchLabels: { tenant: 'b' } } },
  ingress: [{
    action: 'Accept',
    name: 'metrics',
    from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
    protocols: [{ tcp: { destinationPort: { number: 8080 } } }],
  }],
});
const metadataGuard = cnp('metadata', {
  priority: 0, subject: { namespaces: {} }, egress: [{ action: 'Deny', name: 'deny-metadata', to: [{ networks: ['169.254.169.254/32'] }] }],
});
// b's owners isolate ingress and allow nothing
const bDenies = policy('b', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });

describe('ProbePlan | cluster-wide policies', () => {
  const objects = [...BASE, tenantsApart, scrape, metadataGuard, bDenies];
  const plan = ProbePlan.fromObjects(objects);

  test('every expectation is the engine\'s verdict with the tiers', () => {
    const model = ClusterModel.fromObjects(objects);
    const known = (name: string) => model.findEndpoint(name) !== undefined || /^[0-9.]+$/.test(name);
    for (const p of plan.probes.filter(x => known(x.from) && known(x.to))) {
      expect({ id: p.id, allowed: p.expectAllowed }).toEqual({ id: p.id, allowed: model.isAllowed(p.from, p.to, p.port, p.protocol) });
    }
  });

  test('allowed flows follow the tiers: the Admin Accept into b\'s isolated pods is probed, the Admin Deny into a is not', () => {
    const flows = plan.probes.filter(p => p.kind === ProbeKind.ALLOWED_FLOW).map(p => p.description);
    expect(flows).toContain('monitoring/prometheus -> b/web TCP/8080');
    expect(flows).not.toContain('b/web -> a/web TCP/8080');
    expect(flows).not.toContain('monitoring/prometheus -> a/web TCP/8080');
    const accepted = plan.probes.find(p => p.description === 'monitoring/prometheus -> b/web TCP/8080')!;
    expect(accepted.explanation).toContain('decided by Admin tier: ClusterNetworkPolicy/scrape (priority 5) ingress rule 0 "metrics" (Accept)');
  });

  test('a pod only an Admin Deny restricts still gets the probes that check it: from another namespace, and the metadata endpoint', () => {
    // a has no NetworkPolicy: only the tiers restrict its ingress and its egress to the metadata address
    const toA = plan.probes.filter(p => p.to === 'a/web' && p.kind === ProbeKind.OTHER_NAMESPACE);
    expect(toA).toEqual([expect.objectContaining({ expectAllowed: false, port: 8080, protocol: Protocol.TCP })]);
    expect(toA[0].explanation).toContain('decided by Admin tier: ClusterNetworkPolicy/tenants (priority 10) ingress rule 0 "no-other-tenant" (Deny); denied');
    const metadata = plan.probes.filter(p => p.kind === ProbeKind.METADATA && p.from === 'a/web');
    expect(metadata).toEqual([expect.objectContaining({ to: '169.254.169.254', expectAllowed: false })]);
    expect(metadata[0].explanation).toContain('deny-metadata');
  });

  test('without the cluster-wide policies, a (unrestricted) gets none of those probes', () => {
    const without = ProbePlan.fromObjects([...BASE, bDenies]);
    expect(without.probes.filter(p => p.to === 'a/web' && p.kind === ProbeKind.OTHER_NAMESPACE)).toEqual([]);
    expect(without.probes.filter(p => p.kind === ProbeKind.METADATA && p.from === 'a/web')).toEqual([]);
  });
});

test('ProbePlan | a connection equal-priority policies disagree on is not probed (no expectation to check); the rest are', () => {
  const accept = cnp('accept-b', {
    priority: 7, subject: { namespaces: {} }, egress: [{ action: 'Accept', to: [{ namespaces: { matchLabels: { tenant: 'b' } } }] }],
  });
  const deny = cnp('deny-b', {
    priority: 7, subject: { namespaces: { matchLabels: { tenant: 'a' } } }, egress: [{ action: 'Deny', to: [{ namespaces: { matchLabels: { tenant: 'b' } } }] }],
  });
  const objects = [...BASE, accept, deny];
  // the engine: a -> b is undefined (evaluated as allowed), monitoring -> b is defined
  const model = ClusterModel.fromObjects(objects);
  expect(model.allowed({ from: 'a/web', to: 'b/web', port: 8080 }).egress.undefinedBetween).toHaveLength(2);
  const flows = ProbePlan.fromObjects(objects).probes.map(p => p.description);
  expect(flows).not.toContain('a/web -> b/web TCP/8080');
  expect(flows).toContain('monitoring/prometheus -> b/web TCP/8080');
  expect(ProbePlan.fromObjects([...BASE, accept]).probes.map(p => p.description)).toContain('a/web -> b/web TCP/8080');
});
