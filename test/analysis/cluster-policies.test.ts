import { ClusterModel } from '../../src/analysis/cluster-model';
import { Protocol } from '../../src/port';
import { anp, banp, cnp } from '../fixtures/cluster-policies';
import { namespace, pod, policy } from '../fixtures/manifests';

/*
 * ClusterNetworkPolicy (and v1alpha1) in the analysis: allowed()/explain, truth tables and the
 * all-ports connectivity agree, and each rule of the API's evaluation order holds.
 */

const world = (...extra: any[]) => [
  namespace('a', { tenant: 'x' }),
  namespace('b', { tenant: 'y' }),
  pod('a', 'web', { app: 'web' }, { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 8080 }] }),
  pod('a', 'db', { app: 'db' }, { ip: '10.0.0.2' }),
  pod('b', 'api', { app: 'api' }, { ip: '10.0.1.1' }),
  ...extra,
];

/** The all-ports answer and the one-port answers must agree; returns the one-port answer. */
function allowed(model: ClusterModel, from: string, to: string, port: number, protocol = Protocol.TCP): boolean {
  const one = model.allowed({ from, to, port, protocol }).allowed;
  expect(model.connectivity().allowed(from, to).has(protocol, port)).toBe(one);
  expect(model.truthTable(port, protocol).isAllowed(from, to)).toBe(one);
  return one;
}

describe('ClusterModel | cluster-wide tiers', () => {
  test('an Admin Deny overrides a NetworkPolicy that allows, and explain names tier, policy, priority and rule', () => {
    const model = ClusterModel.fromObjects(world(
      policy('b', 'allow-all', { podSelector: {}, ingress: [{}] }),
      cnp('tenants', {
        priority: 5,
        subject: { namespaces: { matchLabels: { tenant: 'y' } } },
        ingress: [{ name: 'no-tenant-x', action: 'Deny', from: [{ namespaces: { matchLabels: { tenant: 'x' } } }] }],
      }),
    ));
    expect(allowed(model, 'a/web', 'b/api', 80)).toBe(false);
    const verdict = model.allowed({ from: 'a/web', to: 'b/api', port: 80 });
    expect(verdict.ingress.tier).toBe('Admin');
    expect(verdict.ingress.decidedBy).toMatchObject({ tier: 'Admin', policy: 'ClusterNetworkPolicy/tenants', priority: 5, ruleIndex: 0, ruleName: 'no-tenant-x', action: 'Deny' });
    expect(verdict.explanation).toContain('decided by Admin tier: ClusterNetworkPolicy/tenants (priority 5) ingress rule 0 "no-tenant-x" (Deny); denied');
    expect(allowed(model, 'a/web', 'a/db', 80)).toBe(true);
  });

  test('Pass hands over to NetworkPolicies; without one selecting the pod, to the Baseline tier', () => {
    const objects = world(
      cnp('pass', { priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Pass', to: [{ namespaces: {} }] }, { action: 'Accept', to: [{ namespaces: {} }] }] }),
      cnp('baseline', { tier: 'Baseline', priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ namespaces: { matchLabels: { tenant: 'y' } } }] }] }),
    );
    const model = ClusterModel.fromObjects(objects);
    expect(allowed(model, 'a/web', 'b/api', 443)).toBe(false);
    expect(model.allowed({ from: 'a/web', to: 'b/api', port: 443 }).egress.passedBy?.[0].policy).toBe('ClusterNetworkPolicy/pass');
    expect(allowed(model, 'a/web', 'a/db', 443)).toBe(true);

    const withNp = ClusterModel.fromObjects([...objects, policy('a', 'egress-anywhere', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })]);
    expect(allowed(withNp, 'a/web', 'b/api', 443)).toBe(true);
    expect(withNp.allowed({ from: 'a/web', to: 'b/api', port: 443 }).egress.tier).toBe('NetworkPolicy');
  });

  test('priorities order the Admin tier (lower first), then rule order', () => {
    const model = ClusterModel.fromObjects(world(
      cnp('later', { priority: 20, subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: [{ namespaces: {} }] }] }),
      cnp('first', {
        priority: 10,
        subject: { namespaces: {} },
        ingress: [
          { action: 'Accept', from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { number: 443 } } }] },
          { action: 'Deny', from: [{ namespaces: {} }] },
        ],
      }),
    ));
    expect(allowed(model, 'a/web', 'b/api', 443)).toBe(true);
    expect(allowed(model, 'a/web', 'b/api', 80)).toBe(false);
    expect(model.connectivity().allowed('a/web', 'b/api').toString()).toBe('TCP 443');
  });

  test('networks match pod IPs, unless ipBlocks skip them', () => {
    const objects = world(cnp('deny-10', { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['10.0.1.0/24'] }] }] }));
    expect(allowed(ClusterModel.fromObjects(objects), 'a/web', 'b/api', 80)).toBe(false);
    expect(allowed(ClusterModel.fromObjects(objects, { ipBlockMatchesPodIps: false }), 'a/web', 'b/api', 80)).toBe(true);
    expect(ClusterModel.fromObjects(objects).isAllowed('a/web', '10.0.1.9', 80)).toBe(false);
    expect(ClusterModel.fromObjects(objects).isAllowed('a/web', '10.0.2.9', 80)).toBe(true);
  });

  test('host-network pods are never selected', () => {
    const host = pod('a', 'agent', { app: 'agent' });
    host.spec.hostNetwork = true;
    const model = ClusterModel.fromObjects(world(host, cnp('deny-all', { subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] })));
    expect(allowed(model, 'a/agent', 'b/api', 80)).toBe(true);
    expect(allowed(model, 'a/web', 'a/agent', 80)).toBe(true); // not selected as a peer either
    expect(allowed(model, 'a/web', 'b/api', 80)).toBe(false);
  });

  test('a peer with no known field fails closed: an Accept matches nothing, a Deny everything', () => {
    const future = { futurePeer: { anything: true } };
    const deny = ClusterModel.fromObjects(world(cnp('future', { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [future] }] })));
    expect(allowed(deny, 'a/web', 'a/db', 80)).toBe(false);
    const accept = ClusterModel.fromObjects(world(
      cnp('future', { subject: { namespaces: {} }, ingress: [{ action: 'Accept', from: [future] }] }),
      policy('a', 'deny', { podSelector: {} }),
    ));
    expect(allowed(accept, 'b/api', 'a/db', 80)).toBe(false);
  });

  test('named ports resolve on the destination pod, for any protocol of that container port', () => {
    const model = ClusterModel.fromObjects(world(cnp('named', {
      subject: { namespaces: {} },
      ingress: [
        { action: 'Accept', from: [{ namespaces: {} }], protocols: [{ destinationNamedPort: 'http' }] },
        { action: 'Deny', from: [{ namespaces: {} }] },
      ],
    })));
    expect(allowed(model, 'b/api', 'a/web', 8080)).toBe(true);
    expect(allowed(model, 'b/api', 'a/web', 80)).toBe(false);
    expect(allowed(model, 'a/web', 'a/db', 8080)).toBe(false);
  });

  test('v1alpha1: the BaselineAdminNetworkPolicy applies only where no NetworkPolicy selects the pod; Allow is Accept', () => {
    const model = ClusterModel.fromObjects(world(
      anp('admin', { subject: { namespaces: {} }, ingress: [{ action: 'Allow', from: [{ namespaces: { matchLabels: { tenant: 'y' } } }], ports: [{ portNumber: { port: 5432 } }] }] }),
      banp({ ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] }),
      policy('b', 'allow-all', { podSelector: {}, ingress: [{}] }),
    ));
    expect(allowed(model, 'b/api', 'a/db', 5432)).toBe(true);
    expect(allowed(model, 'b/api', 'a/db', 80)).toBe(false);
    expect(allowed(model, 'a/web', 'b/api', 80)).toBe(true);
    expect(model.allowed({ from: 'b/api', to: 'a/db', port: 5432 }).ingress.decidedBy?.action).toBe('Allow');
  });

  test('an invalid cluster-wide policy is an input error naming it', () => {
    expect(() => ClusterModel.fromObjects(world(cnp('bad', { priority: 5000 })))).toThrow(
      'ClusterNetworkPolicy bad: spec.priority: Invalid value: 5000: must be less than or equal to 1000');
  });
});
