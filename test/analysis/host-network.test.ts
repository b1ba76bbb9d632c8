import { AnalysisOptions, ClusterModel, FieldValidation, HostNetworkPods, Protocol } from '../../src';
import { namespace, pod, policy } from '../fixtures/manifests';

/*
 * hostNetwork pods: NetworkPolicies do not apply to them in the common implementations
 * (HostNetworkPods.UNRESTRICTED, the default), or apply as to any pod (ISOLATED). The one-port
 * verdict, the truth table and the all-ports connectivity must agree on every case.
 */

/** A pod in the host's network namespace: its IP is its node's. */
function hostPod(ns: string, name: string, labels: Record<string, string>, ip = '192.168.1.10'): any {
  const p = pod(ns, name, labels, { ip });
  p.spec.hostNetwork = true;
  return p;
}

const world = (...extra: any[]) => [
  namespace('shop', { team: 'shop' }),
  namespace('ops', { team: 'ops' }),
  pod('shop', 'web', { app: 'web' }, { ip: '10.0.0.1' }),
  pod('shop', 'db', { app: 'db' }, { ip: '10.0.0.2' }),
  hostPod('shop', 'agent', { app: 'agent' }),
  pod('ops', 'probe', { app: 'probe' }, { ip: '10.0.1.1' }),
  ...extra,
];

/** Isolates every pod of shop both ways. */
const denyAll = policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

/** The one-port verdict, the truth table and the all-ports list must agree; returns the one-port answer. */
function allowed(model: ClusterModel, from: string, to: string, port: number, protocol = Protocol.TCP): boolean {
  const one = model.allowed({ from, to, port, protocol }).allowed;
  expect(model.truthTable(port, protocol).isAllowed(from, to)).toBe(one);
  expect(model.connectivity().allowed(from, to).has(protocol, port)).toBe(one);
  return one;
}

const modes = (objects: any[], options: AnalysisOptions = {}) => ({
  unrestricted: ClusterModel.fromObjects(objects, options),
  isolated: ClusterModel.fromObjects(objects, { ...options, hostNetworkPods: HostNetworkPods.ISOLATED }),
});

describe('hostNetwork pods | as the subject of a policy', () => {
  test('a policy that selects a hostNetwork pod does not isolate it (the default), and does under ISOLATED', () => {
    const { unrestricted, isolated } = modes(world(denyAll));
    expect(unrestricted.hostNetworkPods).toBe(HostNetworkPods.UNRESTRICTED);
    // its egress and ingress are not restricted by deny-all
    expect(allowed(unrestricted, 'shop/agent', 'ops/probe', 80)).toBe(true);
    expect(allowed(unrestricted, 'ops/probe', 'shop/agent', 9100)).toBe(true);
    expect(allowed(isolated, 'shop/agent', 'ops/probe', 80)).toBe(false);
    expect(allowed(isolated, 'ops/probe', 'shop/agent', 9100)).toBe(false);
    // the ordinary pods of the namespace stay isolated in both modes
    expect(allowed(unrestricted, 'ops/probe', 'shop/web', 80)).toBe(false);
    expect(allowed(isolated, 'ops/probe', 'shop/web', 80)).toBe(false);
  });

  test('explain says NetworkPolicies do not apply to it, why, and which option changes it', () => {
    const { unrestricted, isolated } = modes(world(denyAll));
    const verdict = unrestricted.allowed({ from: 'ops/probe', to: 'shop/agent', port: 9100 });
    expect(verdict.ingress.isolated).toBe(false);
    expect(verdict.ingress.isolatedBy).toEqual([]);
    expect(verdict.explanation).toContain('ingress to shop/agent: not isolated: a hostNetwork pod, whose traffic is its node\'s');
    expect(verdict.explanation).toContain('HostNetworkPods.ISOLATED');
    expect(verdict.explanation).toContain('--host-network isolated');
    const strict = isolated.allowed({ from: 'ops/probe', to: 'shop/agent', port: 9100 });
    expect(strict.ingress.isolatedBy).toEqual(['shop/deny-all']);
    expect(strict.explanation).toContain('hostNetwork pod: policies apply to it under HostNetworkPods.ISOLATED');
  });

  test('the all-ports list says why a flow from a hostNetwork pod is not restricted', () => {
    const { unrestricted } = modes(world(denyAll, policy('ops', 'in', { podSelector: {}, ingress: [{}] })));
    const rules = unrestricted.connectivity().allowedBy('shop/agent', 'ops/probe');
    expect(rules?.egress).toEqual(['egress from shop/agent: not isolated (a hostNetwork pod: NetworkPolicies do not apply to it)']);
  });
});

describe('hostNetwork pods | as a peer', () => {
  const onlyFrom = (peer: any) => policy('shop', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [peer], ports: [{ port: 5432 }] }] });

  test('a podSelector peer never matches it (its traffic carries the node\'s IP): no flow is invented', () => {
    const { unrestricted, isolated } = modes(world(onlyFrom({ podSelector: { matchLabels: { app: 'agent' } } })));
    expect(allowed(unrestricted, 'shop/agent', 'shop/db', 5432)).toBe(false);
    expect(allowed(isolated, 'shop/agent', 'shop/db', 5432)).toBe(true);
    const verdict = unrestricted.allowed({ from: 'shop/agent', to: 'shop/db', port: 5432 });
    expect(verdict.explanation).toContain('shop/agent is a hostNetwork pod: its traffic carries its node\'s IP, so podSelector and namespaceSelector peers never match it');
  });

  test('a namespaceSelector peer, even {}, never matches it', () => {
    const { unrestricted, isolated } = modes(world(onlyFrom({ namespaceSelector: {} })));
    expect(allowed(unrestricted, 'shop/agent', 'shop/db', 5432)).toBe(false);
    expect(allowed(unrestricted, 'shop/web', 'shop/db', 5432)).toBe(true);
    expect(allowed(isolated, 'shop/agent', 'shop/db', 5432)).toBe(true);
  });

  test('an ipBlock with its node\'s address matches it, and one without does not', () => {
    const { unrestricted } = modes(world(onlyFrom({ ipBlock: { cidr: '192.168.1.0/24' } })));
    expect(allowed(unrestricted, 'shop/agent', 'shop/db', 5432)).toBe(true);
    const other = modes(world(onlyFrom({ ipBlock: { cidr: '192.168.2.0/24' } }))).unrestricted;
    expect(allowed(other, 'shop/agent', 'shop/db', 5432)).toBe(false);
    // a plugin whose ipBlocks skip in-cluster addresses: not matched either
    const skip = ClusterModel.fromObjects(world(onlyFrom({ ipBlock: { cidr: '192.168.1.0/24' } })), { ipBlockMatchesPodIps: false });
    expect(allowed(skip, 'shop/agent', 'shop/db', 5432)).toBe(false);
  });

  test('a rule without peers matches it', () => {
    const { unrestricted } = modes(world(policy('shop', 'db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 5432 }] }] })));
    expect(allowed(unrestricted, 'shop/agent', 'shop/db', 5432)).toBe(true);
    expect(allowed(unrestricted, 'shop/agent', 'shop/db', 5433)).toBe(false);
  });

  test('egress of an isolated pod to a hostNetwork pod needs a rule that reaches the node, not its labels', () => {
    const egress = (peer: any) => policy('ops', 'out', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [peer] }] });
    expect(allowed(modes(world(egress({ namespaceSelector: { matchLabels: { team: 'shop' } } }))).unrestricted, 'ops/probe', 'shop/agent', 9100)).toBe(false);
    expect(allowed(modes(world(egress({ namespaceSelector: { matchLabels: { team: 'shop' } } }))).unrestricted, 'ops/probe', 'shop/web', 9100)).toBe(true);
    expect(allowed(modes(world(egress({ ipBlock: { cidr: '192.168.1.10/32' } }))).unrestricted, 'ops/probe', 'shop/agent', 9100)).toBe(true);
  });

  test('a hostNetwork pod and an ordinary pod of the same labels are told apart in every engine', () => {
    const twin = pod('shop', 'twin', { app: 'agent' }, { ip: '10.0.0.9' });
    const { unrestricted } = modes(world(twin, onlyFrom({ podSelector: { matchLabels: { app: 'agent' } } })));
    expect(allowed(unrestricted, 'shop/twin', 'shop/db', 5432)).toBe(true);
    expect(allowed(unrestricted, 'shop/agent', 'shop/db', 5432)).toBe(false);
  });
});

describe('hostNetwork pods | the option', () => {
  test('a bad value is a clear error that names the option and the valid values', () => {
    expect(() => ClusterModel.fromObjects(world(), { hostNetworkPods: 'isolated' as any }))
      .toThrow(/options\.hostNetworkPods.*"isolated".*must be one of "UNRESTRICTED", "ISOLATED" \(HostNetworkPods\); did you mean "ISOLATED"\?/);
    expect(() => ClusterModel.fromObjects(world(), { hostNetworkPods: null as any })).toThrow(/options\.hostNetworkPods/);
  });

  test('two models read with different modes do not compare namespace by namespace: the diff sees every change', () => {
    const { unrestricted, isolated } = modes(world(denyAll));
    expect(unrestricted._sameSettings(isolated)).toBe(false);
    expect(unrestricted._sameSettings(ClusterModel.fromObjects(world(denyAll)))).toBe(true);
  });

  test('a pod that becomes hostNetwork changes its namespace\'s fingerprint', () => {
    const before = ClusterModel.fromObjects([namespace('shop'), pod('shop', 'agent', { app: 'agent' })]);
    const after = ClusterModel.fromObjects([namespace('shop'), hostPod('shop', 'agent', { app: 'agent' })]);
    expect(before._namespaceFingerprints().get('shop')).not.toEqual(after._namespaceFingerprints().get('shop'));
  });
});

describe('ClusterModel | fieldValidation', () => {
  /** A policy as exported from a cluster before Kubernetes 1.27: with a `status`. */
  const exported = () => ({ ...policy('shop', 'deny-in', { podSelector: {} }), status: {} });

  test('strict (the default) refuses a NetworkPolicy with a field the API does not have, as kubectl does', () => {
    expect(() => ClusterModel.fromObjects(world(exported()))).toThrow(/NetworkPolicy shop\/deny-in: status: .*unknown field/i);
    expect(ClusterModel.isInputError((() => {
      try {
        ClusterModel.fromObjects(world(exported()));
      } catch (e) {
        return e;
      }
      return undefined;
    })())).toBe(true);
  });

  test('warn reads the policy as the server stores it and lists each dropped field', () => {
    const model = ClusterModel.fromObjects(world(exported()), { fieldValidation: FieldValidation.WARN });
    expect(model.fieldValidation).toBe(FieldValidation.WARN);
    expect(model.policies).toEqual(['shop/deny-in']);
    expect(model.isAllowed('ops/probe', 'shop/web', 80)).toBe(false);
    expect(model.warnings).toHaveLength(1);
    expect(model.warnings[0]).toMatch(/^NetworkPolicy shop\/deny-in: status: /);
  });

  test('ignore reads it the same way without a word, also inside a List', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [exported()] };
    const model = ClusterModel.fromObjects(world(list), { fieldValidation: FieldValidation.IGNORE });
    expect(model.isAllowed('ops/probe', 'shop/web', 80)).toBe(false);
    expect(model.warnings).toEqual([]);
  });

  test('a dropped typo narrows nothing: what the server stores is what is evaluated', () => {
    const typo = policy('shop', 'web-in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ form: [{ podSelector: {} }] }] });
    const model = ClusterModel.fromObjects(world(typo), { fieldValidation: FieldValidation.WARN });
    // `form` is dropped: the rule is `{}`, every source, as on the server
    expect(model.isAllowed('ops/probe', 'shop/web', 80)).toBe(true);
    expect(model.warnings.join('\n')).toContain('spec.ingress[0].form');
  });

  test('a bad value is a clear error', () => {
    expect(() => ClusterModel.fromObjects(world(), { fieldValidation: 'warn' as any }))
      .toThrow(/options\.fieldValidation.*"warn".*did you mean "Warn"\?/);
  });
});
