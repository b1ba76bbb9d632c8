import { ClusterModel } from '../../src/analysis/cluster-model';
import { ConnectivityDiff } from '../../src/analysis/connectivity-diff';
import { Protocol } from '../../src/port';
import { registerNetpolMatchers } from '../../src/testing';
import { cnp } from '../fixtures/cluster-policies';
import { namespace, pod } from '../fixtures/manifests';

/*
 * Policies of one tier at the same priority that decide a connection differently: the API
 * leaves the order undefined, so the analysis takes the most open outcome (the worst case for a
 * promise that traffic is denied) everywhere, and explain says the outcome is undefined.
 */

const world = (...extra: any[]) => [
  namespace('a'), namespace('b'),
  pod('a', 'web', { app: 'web' }), pod('b', 'api', { app: 'api' }),
  ...extra,
];
const toB = { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } };
const accept = cnp('accept-b', { priority: 7, subject: { namespaces: {} }, egress: [{ action: 'Accept', name: 'to-b', to: [toB], protocols: [{ tcp: { destinationPort: { number: 80 } } }] }] });
const deny = cnp('deny-b', { priority: 7, subject: { namespaces: {} }, egress: [{ action: 'Deny', name: 'no-b', to: [toB] }] });

describe('equal priorities in one tier', () => {
  test('explain: "undefined", naming both rules, and the verdict takes the most open outcome', () => {
    const verdict = ClusterModel.fromObjects(world(accept, deny)).allowed({ from: 'a/web', to: 'b/api', port: 80 });
    expect(verdict.allowed).toBe(true);
    expect(verdict.egress.undefinedBetween?.map(r => `${r.policy} ${r.action}`)).toEqual(['ClusterNetworkPolicy/accept-b Accept', 'ClusterNetworkPolicy/deny-b Deny']);
    expect(verdict.egress.decidedBy?.policy).toBe('ClusterNetworkPolicy/accept-b');
    expect(verdict.explanation).toContain('egress from a/web: undefined: policies of equal priority disagree '
      + '(allowed by Admin tier: ClusterNetworkPolicy/accept-b (priority 7) egress rule 0 "to-b" (Accept); '
      + 'denied by Admin tier: ClusterNetworkPolicy/deny-b (priority 7) egress rule 0 "no-b" (Deny)); '
      + 'evaluated as the most open outcome, the worst case for a promise that it is denied: '
      + 'decided by Admin tier: ClusterNetworkPolicy/accept-b (priority 7) egress rule 0 "to-b" (Accept); allowed');
  });

  test('where they agree (port 443: only the Deny matches) the outcome is defined', () => {
    const verdict = ClusterModel.fromObjects(world(accept, deny)).allowed({ from: 'a/web', to: 'b/api', port: 443 });
    expect(verdict.allowed).toBe(false);
    expect(verdict.egress.undefinedBetween).toBeUndefined();
    expect(verdict.explanation).not.toContain('undefined');
  });

  test('the result does not depend on the policies\' names (the order the input happens to sort them in)', () => {
    const renamed = cnp('zz-accept', { ...accept.spec });
    const denyFirst = cnp('aa-deny', { ...deny.spec });
    for (const objects of [world(accept, deny), world(renamed, denyFirst)]) {
      const model = ClusterModel.fromObjects(objects);
      expect(model.connectivity().allowed('a/web', 'b/api').toString()).toBe('TCP 80');
      expect(model.truthTable(80, Protocol.TCP).isAllowed('a/web', 'b/api')).toBe(true);
    }
  });

  test('list and diff treat it as allowed: adding the equal-priority Deny opens nothing and closes all but the undefined port', () => {
    const before = ClusterModel.fromObjects(world(accept)).connectivity();
    const after = ClusterModel.fromObjects(world(accept, deny)).connectivity();
    const diff = ConnectivityDiff.between(before, after);
    const change = diff.changes.find(c => c.from === 'a/web' && c.to === 'b/api')!;
    expect(change.opened.isEmpty).toBe(true);
    expect(change.closed.has(Protocol.TCP, 80)).toBe(false);
    expect(change.closed.has(Protocol.TCP, 443)).toBe(true);
  });
});

describe('equal priorities in one tier | the traffic matchers check the worst case for their promise', () => {
  beforeAll(() => registerNetpolMatchers());
  const objects = world(accept, deny);
  const undefinedFlow = { from: 'a/web', to: 'b/api', port: 80 };

  test('an undefined outcome is neither surely allowed nor surely denied', () => {
    expect(() => expect(objects).toAllowTraffic(undefinedFlow)).toThrow(/to be allowed, but it is undefined \(policies of equal priority disagree/);
    expect(() => expect(objects).toDenyTraffic(undefinedFlow)).toThrow(/to be denied, but it is undefined/);
    expect(() => expect(objects).not.toAllowTraffic(undefinedFlow)).toThrow(/not to be allowed, but it is undefined/);
    expect(() => expect(objects).not.toDenyTraffic(undefinedFlow)).toThrow(/not to be denied, but it is undefined/);
  });

  test('defined outcomes are unchanged', () => {
    expect(objects).toDenyTraffic({ from: 'a/web', to: 'b/api', port: 443 });
    expect(objects).not.toAllowTraffic({ from: 'a/web', to: 'b/api', port: 443 });
    expect(world(accept)).toAllowTraffic(undefinedFlow);
    expect(world(accept)).not.toDenyTraffic(undefinedFlow);
  });
});
