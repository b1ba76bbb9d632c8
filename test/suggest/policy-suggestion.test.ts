import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { SHOP_FLOWS, shopFlowsGeneric, shopObjects } from './shop-flows';
import { ClusterModel, ClusterProfile, Direction, FlowReplay, MatchedFlow, NetworkPolicyValidator, ObservedFlows, PolicySuggestion, Protocol } from '../../src';
import { deployment, pod, policy } from '../fixtures/manifests';

const shop = () => ClusterModel.fromObjects(shopObjects());

function byName(s: PolicySuggestion, ns: string, name: string) {
  const found = s.policies.find(p => p.namespace === ns && p.name === name);
  if (!found) throw new Error(`no policy ${ns}/${name} among ${s.policies.map(p => `${p.namespace}/${p.name}`).join(', ')}`);
  return found;
}

describe('PolicySuggestion: a complete suggestion (no current policies)', () => {
  const s = PolicySuggestion.fromFlows(shop(), SHOP_FLOWS);

  test('one policy per workload and direction that saw traffic, selected by its fewest stable labels', () => {
    expect(s.additionsOnly).toBe(false);
    expect(s.policies.map(p => `${p.workload} ${p.direction} ${JSON.stringify(p.podLabels)}`)).toEqual([
      'ingress/lb Egress {"app.kubernetes.io/name":"lb"}',
      'shop/api Ingress {"app":"api"}',
      'shop/api Egress {"app":"api"}',
      'shop/db Ingress {"app":"db"}',
      'shop/web Ingress {"app":"web"}',
      'shop/web Egress {"app":"web"}',
    ]);
  });

  test('consecutive observed ports become a range, a gap never does; peers across namespaces carry the namespace', () => {
    expect(byName(s, 'shop', 'api-ingress').rules).toEqual([
      { peers: [{ endpoint: 'shop/web', namespace: 'shop', podLabels: { app: 'web' } }], ports: [{ protocol: 'TCP', port: 8080, endPort: 8081 }, { protocol: 'TCP', port: 9000 }] },
    ]);
    expect(byName(s, 'shop', 'web-ingress').rules).toEqual([
      { peers: [{ endpoint: 'ingress/lb', namespace: 'ingress', podLabels: { 'app.kubernetes.io/name': 'lb' } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  test('an external address is a /32, never anywhere', () => {
    expect(byName(s, 'shop', 'api-egress').rules).toEqual([
      { peers: [{ endpoint: 'shop/db', namespace: 'shop', podLabels: { app: 'db' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
      { peers: [{ endpoint: '203.0.113.10', cidr: '203.0.113.10/32' }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(s.toYaml()).not.toContain('0.0.0.0/0');
  });

  test('DNS to the cluster DNS is the baseline\'s, not a raw rule; system namespaces get nothing', () => {
    expect(s.baselines).toEqual([{ namespace: 'ingress', allowDns: false }, { namespace: 'shop', allowDns: true }]);
    expect(s.policies.flatMap(p => p.rules.flatMap(r => r.peers.map(x => x.endpoint)))).not.toContain('kube-system/coredns');
    expect(s.policies.some(p => p.namespace === 'kube-system')).toBe(false);
  });

  test('the proof holds: every observed flow allowed, nothing beyond them but DNS by design', () => {
    expect(s.proof.flowsChecked).toBe(SHOP_FLOWS.length);
    expect(s.proof.denied).toEqual([]);
    expect(s.proof.extraPairs.filter(x => !x.dns)).toEqual([]);
    // the baseline allows DNS, UDP and TCP, to every pod of shop: db's is the only pair nobody observed
    expect(s.proof.extraPairs.map(x => `${x.from} ${x.to} ${x.allowed}`)).toEqual([
      'shop/api kube-system/coredns TCP 53',
      'shop/db kube-system/coredns TCP 53; UDP 53',
      'shop/web kube-system/coredns TCP 53',
    ]);
    expect(s.proof.holds).toBe(true);
    expect(s.proofText()).toContain('observed flows allowed: 8 of 8');
    expect(s.proofText()).toContain('The proof holds.');
  });

  test('every object is a valid NetworkPolicy, and the YAML starts with the proof', () => {
    const objects = s.toObjects();
    expect(objects.length).toBe(3 + 6);
    for (const o of objects) expect(NetworkPolicyValidator.validate(o).errors).toEqual([]);
    expect(s.toYaml().split('\n')[0]).toMatch(/^# Suggested from 8 distinct observed flows, profile generic/);
  });

  test('the output does not depend on the order or repetition of the flows', () => {
    const shuffled = [...SHOP_FLOWS].reverse();
    const again = PolicySuggestion.fromFlows(shop(), [...shuffled, SHOP_FLOWS[0]]);
    expect(again.toYaml()).toBe(s.toYaml());
    expect(again.toTypeScript()).toBe(s.toTypeScript());
    expect(again.flows.find(f => f.from === 'ingress/lb')!.count).toBe(2400);
  });

  test('the suggestion is frozen', () => {
    expect(Object.isFrozen(s.policies[0].rules[0].peers[0])).toBe(true);
    expect(() => { (s.policies as any).push(1); }).toThrow();
  });

  test('addTo adds what toObjects synthesizes', () => {
    const chart = Testing.chart();
    s.addTo(chart);
    expect(Testing.synth(chart)).toEqual(s.toObjects());
  });
});

describe('PolicySuggestion: selectors and peers', () => {
  test('unstable labels are never selected; two labels when one does not tell workloads apart', () => {
    const model = ClusterModel.fromObjects([
      deployment('a', 'x', { 'app': 'shop', 'component': 'x', 'pod-template-hash': '1' }),
      deployment('a', 'y', { app: 'shop', component: 'y' }),
      deployment('a', 'z', { app: 'other', component: 'x' }),
    ]);
    const s = PolicySuggestion.fromFlows(model, [{ from: 'a/y', to: 'a/x', protocol: Protocol.TCP, port: 80 }]);
    expect(byName(s, 'a', 'x-ingress').podLabels).toEqual({ app: 'shop', component: 'x' });
    expect(byName(s, 'a', 'x-ingress').rules[0].peers).toEqual([{ endpoint: 'a/y', namespace: 'a', podLabels: { component: 'y' } }]);
    expect(s.proof.holds).toBe(true);
  });

  test('workloads that share every label: the proof lists the extra pair and why', () => {
    const model = ClusterModel.fromObjects([
      deployment('a', 'web', { app: 'web' }),
      deployment('a', 'web-canary', { app: 'web' }),
      deployment('a', 'db', { app: 'db' }),
    ]);
    const s = PolicySuggestion.fromFlows(model, [{ from: 'a/web', to: 'a/db', protocol: Protocol.TCP, port: 5432 }]);
    expect(s.proof.denied).toEqual([]);
    expect(s.proof.holds).toBe(false);
    expect(s.proof.extraPairs.map(x => `${x.from} ${x.to} ${x.allowed} ${x.dns}`)).toEqual(['a/web-canary a/db TCP 5432 false']);
    expect(s.proof.extraPairs[0].reason).toMatch(/allowed by a\/web-canary-egress|allowed by a\/web-egress/);
    expect(s.proofText()).toContain('beyond: a/web-canary => a/db : TCP 5432');
    expect(s.proofText()).toContain('The proof does not hold');
  });

  test('a workload with no label to tell it apart is not suggested (never an empty selector), with why', () => {
    const model = ClusterModel.fromObjects([deployment('a', 'bare', {}), deployment('a', 'db', { app: 'db' })]);
    const s = PolicySuggestion.fromFlows(model, [{ from: 'a/bare', to: 'a/db', protocol: Protocol.TCP, port: 5432 }]);
    expect(s.policies).toEqual([]);
    expect(s.skipped.map(x => x.reason)).toEqual(['a/bare has no labels that tell its pods apart from the other pods of namespace a: label it, then suggest again']);
    expect(s.proof.denied.map(d => d.flow.from)).toEqual(['a/bare']);
  });

  test('the only workload of its namespace is every pod there: an empty selector, and its namespace as peer', () => {
    const model = ClusterModel.fromObjects([deployment('a', 'solo', {}), deployment('b', 'db', { app: 'db' })]);
    const s = PolicySuggestion.fromFlows(model, [{ from: 'a/solo', to: 'b/db', protocol: Protocol.TCP, port: 5432 }]);
    expect(byName(s, 'a', 'solo-egress').podLabels).toEqual({});
    expect(byName(s, 'b', 'db-ingress').rules[0].peers).toEqual([{ endpoint: 'a/solo', namespace: 'a' }]);
    expect(s.proof.holds).toBe(true);
  });

  test('peers on the same ports share a rule; IPv6 addresses are /128 in their canonical form; a pod IP is the pod', () => {
    const model = ClusterModel.fromObjects([
      pod('a', 'client', { app: 'client' }, { ip: '10.1.0.5' }),
      deployment('a', 'api', { app: 'api' }),
    ]);
    const s = PolicySuggestion.fromFlows(model, [
      { from: 'a/client', to: '2001:DB8:0:0::1', protocol: Protocol.TCP, port: 443 },
      { from: 'a/client', to: '198.51.100.1', protocol: Protocol.TCP, port: 443 },
      { from: '10.1.0.5', to: 'a/api', protocol: Protocol.UDP, port: 7000 },
    ]);
    expect(byName(s, 'a', 'client-egress').rules).toEqual([
      { peers: [{ endpoint: 'a/api', namespace: 'a', podLabels: { app: 'api' } }], ports: [{ protocol: 'UDP', port: 7000 }] },
      { peers: [{ endpoint: '198.51.100.1', cidr: '198.51.100.1/32' }, { endpoint: '2001:db8::1', cidr: '2001:db8::1/128' }], ports: [{ protocol: 'TCP', port: 443 }] },
    ]);
    expect(byName(s, 'a', 'api-ingress').rules[0].peers).toEqual([{ endpoint: 'a/client', namespace: 'a', podLabels: { app: 'client' } }]);
    expect(s.proof.holds).toBe(true);
  });

  test('anywhereForExternal: every address of the family but the cluster\'s ranges, only when asked', () => {
    const model = ClusterModel.fromObjects([deployment('a', 'crawler', { app: 'crawler' })]);
    const flows = [
      { from: 'a/crawler', to: '198.51.100.1', protocol: Protocol.TCP, port: 443 },
      { from: 'a/crawler', to: '192.0.2.7', protocol: Protocol.TCP, port: 443 },
      { from: 'a/crawler', to: '10.0.3.4', protocol: Protocol.TCP, port: 443 },
    ];
    const s = PolicySuggestion.fromFlows(model, flows, { anywhereForExternal: true, clusterCidrs: ['10.0.0.0/8'] });
    expect(byName(s, 'a', 'crawler-egress').rules[0].peers).toEqual([
      { endpoint: '10.0.3.4', cidr: '10.0.3.4/32' },
      { endpoint: '0.0.0.0/0', cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.169.254/32', '100.100.100.200/32'] },
    ]);
    expect(PolicySuggestion.fromFlows(model, flows).toYaml()).not.toContain('0.0.0.0/0');
  });
});

describe('PolicySuggestion: pods listed under their controller (a dump of a live cluster)', () => {
  const owned = (name: string, app: string) => {
    const p = pod('a', name, { 'app': app, 'pod-template-hash': 'h1' });
    return { ...p, metadata: { ...p.metadata, ownerReferences: [{ kind: 'ReplicaSet', name: `${app}-h1`, controller: true }] } };
  };
  const model = ClusterModel.fromObjects([owned('web-h1-x', 'web'), owned('web-h1-y', 'web'), owned('db-h1-z', 'db')]);

  test('a flow named by the group, as netpol list names it, stands for each of its pods', () => {
    const s = PolicySuggestion.fromFlows(model, [{ from: 'a/web', to: 'a/db', protocol: Protocol.TCP, port: 5432 }]);
    expect(s.flows.map(f => `${f.from} ${f.to}`)).toEqual(['a/web-h1-x a/db-h1-z', 'a/web-h1-y a/db-h1-z']);
    expect(s.proof.holds).toBe(true);
  });

  test('a flow of one pod: the proof names its sibling, which the same labels also allow', () => {
    const s = PolicySuggestion.fromFlows(model, [{ from: 'a/web-h1-x', to: 'a/db-h1-z', protocol: Protocol.TCP, port: 5432 }]);
    expect(s.proof.denied).toEqual([]);
    expect(s.proof.extraPairs.map(x => `${x.from} ${x.to} ${x.allowed}`)).toEqual(['a/web-h1-y a/db-h1-z TCP 5432']);
  });
});

describe('PolicySuggestion: the cluster profile', () => {
  test('GKE Cloud DNS: DNS to the metadata server on 53 is the baseline\'s; anything else there is never opened', () => {
    const model = ClusterModel.fromObjects([deployment('a', 'web', { app: 'web' })]);
    const s = PolicySuggestion.fromFlows(model, [
      { from: 'a/web', to: '169.254.169.254', protocol: Protocol.UDP, port: 53 },
      { from: 'a/web', to: '169.254.169.254', protocol: Protocol.TCP, port: 80 },
    ], { profile: ClusterProfile.GKE_CLOUD_DNS });
    expect(s.baselines).toEqual([{ namespace: 'a', allowDns: true }]);
    expect(s.policies).toEqual([]);
    expect(s.skipped.map(x => `${x.flow.to} ${x.flow.port}`)).toEqual(['169.254.169.254 80']);
    expect(s.skipped[0].reason).toContain('cloud metadata endpoint');
    expect(s.proof.denied.map(d => d.flow.port)).toEqual([80]);
    expect(s.toTypeScript()).toContain('ClusterProfile.use(chart, ClusterProfile.GKE_CLOUD_DNS);');
  });
});

describe('PolicySuggestion: with current policies, only the additions', () => {
  const objects = [
    ...shopObjects(),
    policy('shop', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('shop', 'web-to-api', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] }),
    policy('shop', 'api-from-web', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] }),
  ];
  const model = ClusterModel.fromObjects(objects);
  const s = PolicySuggestion.fromFlows(model, SHOP_FLOWS);

  test('flows the current policies allow are left alone; denied ones get a rule on the side that denies them', () => {
    expect(s.additionsOnly).toBe(true);
    expect(s.baselines).toEqual([]);
    expect(s.alreadyAllowed.map(f => `${f.from} ${f.to} ${f.port}`)).toEqual(['shop/web shop/api 8080']);
    // ingress/lb is not isolated: its egress needs nothing; web's ingress (isolated by deny-all) does
    expect(s.policies.map(p => `${p.name} ${p.direction}`)).toEqual(['api-ingress Ingress', 'api-egress Egress', 'db-ingress Ingress', 'web-ingress Ingress', 'web-egress Egress']);
    expect(byName(s, 'shop', 'web-egress').rules).toEqual([
      { peers: [{ endpoint: 'shop/api', namespace: 'shop', podLabels: { app: 'api' } }], ports: [{ protocol: 'TCP', port: 8081 }, { protocol: 'TCP', port: 9000 }] },
    ]);
    expect(s.dnsAccess.map(d => `${d.name} ${JSON.stringify(d.podLabels)}`)).toEqual(['api-allow-dns {"app":"api"}', 'web-allow-dns {"app":"web"}']);
    expect(s.policies.every(p => p.direction === Direction.INGRESS || p.direction === Direction.EGRESS)).toBe(true);
  });

  test('the proof: every observed flow allowed, nothing new beyond them but DNS by design', () => {
    expect(s.proof.denied).toEqual([]);
    expect(s.proof.extraPairs.filter(x => !x.dns)).toEqual([]);
    expect(s.proof.holds).toBe(true);
    expect(s.proofText()).toContain('only what the current policies deny (1 already allowed)');
  });

  test('no flow at all is denied: nothing to suggest, and the proof still holds', () => {
    const none = PolicySuggestion.fromFlows(model, [SHOP_FLOWS[1]]);
    expect(none.toObjects()).toEqual([]);
    expect(none.proof.holds).toBe(true);
    expect(none.toYaml()).toMatch(/^# Suggested from 1 distinct observed flows/);
  });
});

describe('PolicySuggestion: bad input', () => {
  const model = shop();
  const flow = (over: Record<string, unknown>): MatchedFlow => ({ ...SHOP_FLOWS[0], ...over } as MatchedFlow);
  test.each([
    ['an unknown endpoint, named with the flow', [flow({ to: 'shop/wbe' })], /flows\[0\] \(ingress\/lb => shop\/wbe TCP\/8080\): to: unknown endpoint "shop\/wbe": .*known endpoints: ingress\/lb, /],
    ['a missing port', [flow({ port: undefined })], /flows\[0\]\.port: undefined: must be a port number, 1 to 65535 \(a missing port is never "all ports"\)/],
    ['port 0', [flow({ port: 0 })], /flows\[0\]\.port: 0: must be a port number/],
    ['a lowercase protocol', [flow({ protocol: 'tcp' })], /flows\[0\]\.protocol: "tcp": must be "TCP", "UDP" or "SCTP"/],
    ['an unknown field', [flow({ verdict: 'DROPPED' })], /flows\[0\]: unknown field "verdict"/],
    ['a bad count', [flow({ count: -1 })], /flows\[0\]\.count: -1: must be a whole number/],
    ['null', [null], /flows\[0\]: null: must be an object/],
    ['two addresses', [flow({ from: '198.51.100.1', to: '198.51.100.2' })], /neither end is a pod or workload of the input/],
    ['a representative endpoint', [flow({ from: 'tools/*' })], /from: unknown endpoint "tools\/\*"/],
  ])('%s is a clear input error', (_name, flows, message) => {
    let error: unknown;
    try {
      PolicySuggestion.fromFlows(model, flows as MatchedFlow[]);
    } catch (e) {
      error = e;
    }
    expect(ClusterModel.isInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  test('options and arguments are checked', () => {
    expect(() => PolicySuggestion.fromFlows({} as any, [])).toThrow(/model: .*must be a ClusterModel/);
    expect(() => PolicySuggestion.fromFlows(model, 'x' as any)).toThrow(/flows: "x": must be an array of matched flows/);
    expect(() => PolicySuggestion.fromFlows(model, [], { anywhere: true } as any)).toThrow(/unknown prop "anywhere"/);
    expect(() => PolicySuggestion.fromFlows(model, [], { clusterCidrs: ['10.0.0.0'] })).toThrow(/options.clusterCidrs\[0\]: "10.0.0.0": is not a CIDR/);
    expect(() => PolicySuggestion.fromFlows(model, [], { profile: 'gke' as any })).toThrow(/options.profile/);
  });

  test('a flow is read once: a getter that changes its answer cannot widen the suggestion', () => {
    let reads = 0;
    const tricky = { from: 'shop/web', to: 'shop/api', protocol: Protocol.TCP, get port() { reads++; return reads === 1 ? 8080 : 0; } };
    const s = PolicySuggestion.fromFlows(model, [tricky]);
    expect(reads).toBe(1);
    expect(byName(s, 'shop', 'api-ingress').rules[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
  });
});

describe('PolicySuggestion.fromObserved: flows as a recorder wrote them', () => {
  const OBSERVED = path.join(__dirname, '..', 'fixtures', 'observed');
  const observedShop = () => ClusterModel.fromObjects(YAML.parseAllDocuments(fs.readFileSync(path.join(OBSERVED, 'shop.yaml'), 'utf8')).map(d => d.toJS()));

  test('the generic form of the shop\'s flows gives exactly the suggestion of the flows named by hand', async () => {
    const s = PolicySuggestion.fromObserved(shop(), await ObservedFlows.fromText(shopFlowsGeneric(), 'flows.jsonl'));
    expect(s.unmatched).toEqual([]);
    expect(s.flows).toEqual(PolicySuggestion.fromFlows(shop(), SHOP_FLOWS).flows);
    expect(s.toYaml()).toBe(PolicySuggestion.fromFlows(shop(), SHOP_FLOWS).toYaml());
  });

  test('a Hubble export: ends matched by pod, workload, labels or IP, as FlowReplay matches them; the unmatched carried with why and where', async () => {
    const observed = await ObservedFlows.fromFiles([path.join(OBSERVED, 'hubble.json')]);
    const s = PolicySuggestion.fromObserved(observedShop(), observed, { includeDropped: true });
    // db-0 is the StatefulSet's pod, web-7d4b9c8f6-x2x9k the Deployment's, ops/debug a Pod; the call out stays an address
    expect(s.flows.map(f => `${f.from} => ${f.to} ${f.protocol}/${f.port}`)).toEqual(expect.arrayContaining([
      'shop/web => shop/db TCP/5432',
      'shop/web => 93.184.216.34 TCP/443',
      'ops/debug => shop/db TCP/5432',
    ]));
    expect(s.unmatched).toEqual(FlowReplay.replay(observedShop(), observed).unmatched);
    expect(s.unmatched).toHaveLength(1);
    expect(s.unmatched[0]).toMatchObject({ source: 'other/x-1', destination: 'shop/db-0', protocol: Protocol.TCP, port: 5432, count: 1 });
    expect(s.unmatched[0].firstSeen).toBe(`${path.join(OBSERVED, 'hubble.json')}:7`);
    expect(s.unmatched[0].reason).toContain('the input has no endpoint in namespace other');
    expect(Object.isFrozen(s.unmatched[0])).toBe(true);
    expect(s.proofText()).toContain(`  unmatched: other/x-1 => shop/db-0 TCP/5432 (seen once, first at ${path.join(OBSERVED, 'hubble.json')}:7): other/x-1: the input has no endpoint`);
    expect(s.proof.holds).toBe(true);
  });

  test('flows the recorder reported DROPPED are left out by default, counted and listed in the proof; includeDropped suggests them', async () => {
    const observed = await ObservedFlows.fromFiles([path.join(OBSERVED, 'hubble.json')]);
    const s = PolicySuggestion.fromObserved(observedShop(), observed);
    const named = (list: readonly MatchedFlow[]) => list.map(f => `${f.from} => ${f.to} ${f.protocol}/${f.port}`);
    // hubble.json's two DROPPED records: web's call out, and ops/debug's connection to db
    const droppedFlows = ['shop/web => 93.184.216.34 TCP/443', 'ops/debug => shop/db TCP/5432'];
    expect(named(s.dropped).sort()).toEqual([...droppedFlows].sort());
    expect(s.droppedIncluded).toBe(false);
    for (const f of droppedFlows) expect(named(s.flows)).not.toContain(f);
    // nothing is suggested: the one allowed flow is allowed already
    expect(s.toObjects()).toEqual([]);
    expect(s.proofText()).toContain('  observed flows the recorder reported dropped (the cluster denies them today), not suggested: 2; '
      + 'suggest them with includeDropped (--include-dropped) if they are dependencies, not scans or mistakes');
    expect(s.proofText()).toContain('  dropped: shop/web => 93.184.216.34 TCP/443');
    expect(Object.isFrozen(s.dropped)).toBe(true);

    const included = PolicySuggestion.fromObserved(observedShop(), observed, { includeDropped: true });
    expect(named(included.flows)).toEqual(expect.arrayContaining(droppedFlows));
    expect(included.droppedIncluded).toBe(true);
    expect(included.proofText()).toContain('  observed flows the recorder reported dropped, suggested on request (includeDropped): 2');
    expect(included.toYaml()).toContain('cidr: 93.184.216.34/32');
    // the engine agrees: the dropped flows are allowed only with the included suggestion
    const after = (x: PolicySuggestion) => observedShop()._withPolicies(x.toObjects());
    for (const f of s.dropped) {
      expect(after(s).allowed({ from: f.from, to: f.to, port: f.port, protocol: f.protocol }).allowed).toBe(false);
      expect(after(included).allowed({ from: f.from, to: f.to, port: f.port, protocol: f.protocol }).allowed).toBe(true);
    }
    expect(() => PolicySuggestion.fromObserved(observedShop(), observed, { includeDropped: 'yes' } as any))
      .toThrow(/\[PolicySuggestion\.fromObserved\] options\.includeDropped: "yes"/);
  });

  test('a flow between two addresses outside the cluster is unmatched (no NetworkPolicy decides it), never an error', async () => {
    const text = shopFlowsGeneric([...SHOP_FLOWS, { from: '198.51.100.1', to: '203.0.113.10', protocol: Protocol.TCP, port: 443, count: 2 }]);
    const s = PolicySuggestion.fromObserved(shop(), await ObservedFlows.fromText(text, 'flows.jsonl'));
    expect(s.unmatched).toEqual([{
      source: '198.51.100.1',
      destination: '203.0.113.10',
      protocol: Protocol.TCP,
      port: 443,
      count: 2,
      firstSeen: 'flows.jsonl:9',
      reason: 'neither end is a pod or workload of the input: no NetworkPolicy decides a flow between two addresses outside the cluster',
    }]);
    expect(s.proof.flowsChecked).toBe(SHOP_FLOWS.length);
  });

  test('its arguments are checked, with errors that say what would be valid', async () => {
    const observed = await ObservedFlows.fromText(shopFlowsGeneric());
    expect(() => PolicySuggestion.fromObserved({} as any, observed)).toThrow(/\[PolicySuggestion\.fromObserved\] model: {}: must be a ClusterModel/);
    expect(() => PolicySuggestion.fromObserved(shop(), SHOP_FLOWS as any)).toThrow(/\[PolicySuggestion\.fromObserved\] observed: .*must be ObservedFlows/);
    expect(() => PolicySuggestion.fromObserved(shop(), observed, { profil: 'gke' } as any)).toThrow(/\[PolicySuggestion\.fromObserved\] .*profil/);
  });
});
