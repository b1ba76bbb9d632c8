import * as fc from 'fast-check';
import { EXTERNAL_IPS, cluster } from './cluster-arbitraries';
import { ClusterModel, Connectivity, ConnectivityDiff, ChangeKind, FlowDirection, PortSet, Protocol, SelfTraffic } from '../../src';
import { fcRuns } from '../fixtures/property-runs';

const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];
/** The ports of the arbitraries' rules and container ports, each with its neighbours, and both ends of the range. */
const PORTS = [1, 52, 53, 54, 79, 80, 81, 442, 443, 444, 9089, 9090, 9091, 65535];

function objectsOf(c: { namespaces: any[]; pods: any[]; policies: any[] }): any[] {
  return [...c.namespaces, ...c.pods, ...c.policies];
}

/** A reference model in which each derived range is an external endpoint named by its first address. */
function referenceModel(objects: any[], list: Connectivity, options: { ipBlockMatchesPodIps: boolean; selfTraffic: SelfTraffic }) {
  const ranges = list.endpoints.filter(e => e.includes('-') && !e.includes('/'));
  const firstOf = (range: string) => range.slice(0, range.indexOf('-'));
  const lastOf = (range: string) => range.slice(range.indexOf('-') + 1);
  const model = ClusterModel.fromObjects(objects, { ...options, externalIps: [...EXTERNAL_IPS, ...ranges.flatMap(r => [firstOf(r), lastOf(r)])] });
  return { model, ranges, firstOf, lastOf };
}

describe('ClusterModel.connectivity', () => {
  test('agrees with allowed() for every pair, protocol and port at range boundaries, and each range is uniform', () => {
    fc.assert(fc.property(cluster, fc.boolean(), fc.boolean(), (c, podIps, evaluateSelf) => {
      const options = { ipBlockMatchesPodIps: podIps, selfTraffic: evaluateSelf ? SelfTraffic.EVALUATE : SelfTraffic.ALLOW };
      const objects = objectsOf(c);
      const list = ClusterModel.fromObjects(objects, { ...options, externalIps: EXTERNAL_IPS }).connectivity();
      expect(list.endpoints).toContain('*/*'); // the rest of the cluster is always represented
      const { model, ranges, firstOf, lastOf } = referenceModel(objects, list, options);
      const query = (name: string, end: 'first' | 'last') => (ranges.includes(name) ? (end === 'first' ? firstOf(name) : lastOf(name)) : name);
      const external = (name: string) => !name.includes('/');
      // representatives: `*` or a selector in either part; a namespace without policies never isolates them
      const representative = (name: string) => /^(\*|\{)|\/(\*|\{)/.test(name);
      const policed = new Set(c.policies.map((p: any) => p.metadata.namespace));
      const unpoliced = (name: string) => external(name) || (representative(name) && !policed.has(name.slice(0, name.indexOf('/'))));
      for (const from of list.endpoints) {
        for (const to of list.endpoints) {
          let listed = list.allowed(from, to);
          if (external(from) && external(to)) {
            expect(listed.isEmpty).toBe(true); // never listed: the flow does not cross the cluster
            continue;
          }
          if (unpoliced(from) && unpoliced(to)) {
            // never listed: no policy can isolate either end, so everything is allowed
            expect(listed.isEmpty).toBe(true);
            listed = PortSet.ALL;
          }
          if (from === to && !evaluateSelf && !representative(from)) {
            expect(listed.isEmpty).toBe(true); // always allowed, never listed
            continue;
          }
          for (const protocol of PROTOCOLS) {
            for (const port of PORTS) {
              // a range is checked at both ends; any other endpoint once
              for (const end of (ranges.includes(from) || ranges.includes(to) ? ['first', 'last'] as const : ['first'] as const)) {
                const verdict = model.allowed({ from: query(from, end), to: query(to, end), port, protocol });
                if (verdict.allowed !== listed.has(protocol, port)) {
                  throw new Error(`${from} -> ${to} ${protocol}/${port} (${end} address): list says ${listed}, allowed() says ${verdict.allowed}\n${verdict.explanation}`);
                }
              }
            }
          }
        }
      }
    }), { numRuns: fcRuns(30) });
  });

  test('the order of the input documents never changes the output', () => {
    fc.assert(fc.property(cluster, fc.integer(), (c, seed) => {
      const objects = objectsOf(c);
      const rank = (o: any) => (JSON.stringify(o).length * 31 + seed) % 7;
      const shuffled = [...objects].sort((a, b) => rank(a) - rank(b)).reverse();
      const a = ClusterModel.fromObjects(objects).connectivity();
      const b = ClusterModel.fromObjects(shuffled).connectivity();
      expect(b.toText()).toEqual(a.toText());
      expect(b.toJson()).toEqual(a.toJson());
      expect(ConnectivityDiff.between(a, b).isEmpty).toBe(true);
    }), { numRuns: fcRuns(60) });
  });

  test('lists every flow of a small cluster, named ports resolved and ranges derived from the ipBlocks', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'shop', labels: { app: 'db' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 5432 }] }] } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'db', namespace: 'shop' },
        spec: {
          podSelector: { matchLabels: { app: 'db' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }, { port: 6000, endPort: 6010 }, { protocol: 'UDP' }] }],
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          podSelector: { matchLabels: { app: 'web' } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 'http' }] }],
          egress: [{ to: [{ podSelector: {} }] }],
        },
      },
    ];
    const list = ClusterModel.fromObjects(objects).connectivity({ inputOnly: true });
    // db's egress is not isolated: it reaches every address range (an IPv4 range per ipBlock boundary, one IPv6 range)
    expect(list.toText()).toBe([
      'shop/db => 0.0.0.0-9.255.255.255 : All Connections',
      'shop/db => 10.0.0.0-10.255.255.255 : All Connections',
      'shop/db => 11.0.0.0-255.255.255.255 : All Connections',
      'shop/db => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff : All Connections',
      'shop/web => shop/db : TCP 5432,6000-6010; UDP 1-65535',
      '0.0.0.0-9.255.255.255 => shop/web : TCP 8080',
      '11.0.0.0-255.255.255.255 => shop/web : TCP 8080',
      '',
    ].join('\n'));
    expect(list.filter({ direction: FlowDirection.INTERNAL }).connections.map(c => c.to)).toEqual(['shop/db']);
    expect(list.filter({ to: 'shop', port: 6005 }).connections.map(c => c.from)).toEqual(['shop/web']);
    expect(list.filter({ from: '8.8.8.8' }).connections.map(c => c.from)).toEqual(['0.0.0.0-9.255.255.255']);
    expect(list.filter({ from: '192.0.2.1' }).connections.map(c => c.from)).toEqual(['11.0.0.0-255.255.255.255']);
  });

  test('pods owned by a controller are listed as one endpoint when no policy tells them apart', () => {
    const pod = (name: string, labels: Record<string, string>, owner?: { kind: string; name: string }) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop', labels, ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) },
    });
    const rs = { kind: 'ReplicaSet', name: 'web-5d8f7' };
    const objects = [
      pod('web-5d8f7-aaaaa', { 'app': 'web', 'pod-template-hash': '5d8f7' }, rs),
      pod('web-5d8f7-bbbbb', { 'app': 'web', 'pod-template-hash': '5d8f7' }, rs),
      // one pod of this job is labelled apart, and a policy tells it apart: the job's pods stay separate
      pod('batch-1', { app: 'batch' }, { kind: 'Job', name: 'batch' }),
      pod('batch-2', { app: 'batch', canary: 'yes' }, { kind: 'Job', name: 'batch' }),
      pod('db', { app: 'db' }),
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'db', namespace: 'shop' },
        spec: {
          podSelector: { matchLabels: { app: 'db' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }, { podSelector: { matchLabels: { canary: 'yes' } } }], ports: [{ port: 5432 }] }],
        },
      },
    ];
    const list = ClusterModel.fromObjects(objects).connectivity({ inputOnly: true }).filter({ to: 'shop/db' });
    expect(list.endpoints.filter(e => e.startsWith('shop/'))).toEqual(['shop/batch-1', 'shop/batch-2', 'shop/db', 'shop/web']);
    expect(list.toText()).toBe('shop/batch-2 => shop/db : TCP 5432\nshop/web => shop/db : TCP 5432\n');
    // the Deployment's pods talk to each other as the group's traffic to itself: always allowed, not listed
    expect(ClusterModel.fromObjects(objects).connectivity().allowed('shop/web', 'shop/web').isEmpty).toBe(true);
  });

  test('maxFlows refuses a longer list with its count and how to narrow it; filter lists what filter() keeps', () => {
    // GIVEN three pods that all reach each other, and each external range: 3 * 2 + 3 * 2 * 2 = 18 flows
    const objects = ['a', 'b', 'c'].map(name => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'n0', labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } }));
    const model = ClusterModel.fromObjects(objects);
    const inputOnly = true; // the input's own endpoints (the counts above)

    // THEN
    expect(() => model.connectivity({ inputOnly, maxFlows: 17 })).toThrow(/^18 flows, more than the limit of 17: list fewer at a time, with a filter on from or to \(an endpoint, a namespace or an address\), direction or port$/);
    expect(model.connectivity({ inputOnly, maxFlows: 18 }).connections).toHaveLength(18);
    expect(() => ClusterModel.fromObjects(objects).connectivity({ inputOnly, maxFlows: 0 })).toThrow(/^18 flows, more than the limit of 0/);
    expect(() => model.connectivity({ inputOnly, filter: { from: 'n0' }, maxFlows: 11 })).toThrow(/^12 flows pass the filter, more than the limit of 11/);
    for (const filter of [{ from: 'n0/a' }, { to: 'n0' }, { direction: FlowDirection.EGRESS }, { port: 80, protocol: 'UDP' }]) {
      expect(ClusterModel.fromObjects(objects).connectivity({ inputOnly, filter, maxFlows: 18 }).toText())
        .toBe(model.connectivity({ inputOnly }).filter(filter).toText());
    }
    // with the representative endpoints (here only */*, every pod the input does not contain: 6 more flows), counted alike
    expect(model.connectivity().connections).toHaveLength(24);
    expect(() => model.connectivity({ maxFlows: 23 })).toThrow(/^24 flows, more than the limit of 23/);
    expect(model.connectivity({ maxFlows: 24 }).toText()).toBe(model.connectivity().toText());
    expect(ClusterModel.fromObjects(objects).connectivity({ filter: { from: 'n0' }, maxFlows: 15 }).toText()).toBe(model.connectivity().filter({ from: 'n0' }).toText());
    expect(() => model.connectivity({ filter: { from: 'nowhere/pod' } })).toThrow(/from: unknown endpoint or namespace "nowhere\/pod"/);
    expect(() => model.connectivity({ maxFlows: -1 })).toThrow(/options.maxFlows: -1: must be a whole number of flows, 0 or more/);
    expect(() => model.connectivity({ maxFlow: 5 } as any)).toThrow(/maxFlow/);
    // a filter that is not one is the filter's own clear error, never a TypeError
    expect(() => model.connectivity({ filter: null } as any)).toThrow(/^\[ConnectivityFilter\] filter: null/);
  });

  test('ConnectivityDiff.betweenModels refuses versions with more flows to compare than maxFlows', () => {
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'n0', labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const before = ClusterModel.fromObjects([pod('a'), pod('b')]);
    const after = ClusterModel.fromObjects([pod('a'), pod('b'), pod('c')]);
    expect(() => ConnectivityDiff.betweenModels(before, after, { inputOnly: true, maxFlows: 10 })).toThrow(/^18 flows, more than the limit of 10/);
    expect(ConnectivityDiff.betweenModels(before, after, { inputOnly: true, maxFlows: 18 }).addedCount).toBe(8);
  });

  test('filter throws if an end names no endpoint, namespace or address', () => {
    const list = ClusterModel.fromObjects([]).connectivity();
    expect(() => list.filter({ from: 'nowhere/pod' })).toThrow(/from: unknown endpoint or namespace "nowhere\/pod"/);
    expect(() => list.filter({ direction: 'SIDEWAYS' as any })).toThrow(/direction: Unsupported value: "SIDEWAYS"/);
    expect(() => list.filter({ port: 0 })).toThrow(/Invalid value: 0/);
  });
});

describe('ConnectivityDiff', () => {
  const pair = fc.tuple(cluster, cluster);

  test('diff(A, A) is empty', () => {
    fc.assert(fc.property(cluster, c => {
      const a = ClusterModel.fromObjects(objectsOf(c)).connectivity();
      const diff = ConnectivityDiff.between(a, a);
      expect(diff.isEmpty).toBe(true);
      expect(diff.summary()).toBe('No change in connectivity');
    }), { numRuns: fcRuns(40) });
  });

  test('diff(A, B) is list(B) minus list(A), pair by pair', () => {
    fc.assert(fc.property(pair, ([ca, cb]) => {
      const a = ClusterModel.fromObjects(objectsOf(ca)).connectivity();
      const b = ClusterModel.fromObjects(objectsOf(cb)).connectivity();
      const diff = ConnectivityDiff.between(a, b);
      const pairs = new Set([...a.connections, ...b.connections].map(x => `${x.from}\u0000${x.to}`));
      const changed = new Map(diff.changes.map(x => [`${x.from}\u0000${x.to}`, x]));
      expect(changed.size).toBe(diff.changes.length); // each pair at most once
      for (const key of pairs) {
        const [from, to] = key.split('\u0000');
        const before = a.allowed(from, to);
        const after = b.allowed(from, to);
        const change = changed.get(key);
        if (before.sameAs(after)) {
          expect(change).toBeUndefined();
          continue;
        }
        expect(change).toBeDefined();
        expect(change!.change).toBe(before.isEmpty ? ChangeKind.ADDED : after.isEmpty ? ChangeKind.REMOVED : ChangeKind.CHANGED);
        expect((change!.before ?? PortSet.NONE).sameAs(before)).toBe(true);
        expect((change!.after ?? PortSet.NONE).sameAs(after)).toBe(true);
        expect(change!.opened.sameAs(after.subtract(before))).toBe(true);
        expect(change!.closed.sameAs(before.subtract(after))).toBe(true);
      }
      for (const c of diff.changes) expect(pairs.has(`${c.from}\u0000${c.to}`)).toBe(true);
      // endpoints that appeared or disappeared
      expect(diff.addedEndpoints).toEqual(b.endpoints.filter(e => !a.endpoints.includes(e)));
      expect(diff.removedEndpoints).toEqual(a.endpoints.filter(e => !b.endpoints.includes(e)));
    }), { numRuns: fcRuns(60) });
  });

  test('betweenModels, which only evaluates namespaces that changed, equals the diff of the full aligned lists', () => {
    const variant = fc.tuple(cluster, cluster, fc.constantFrom('n0', 'n1', 'n2'), fc.boolean()).map(([a, b, ns, relabel]) => {
      // B is A with the policies of one namespace replaced, and maybe one pod relabelled
      const policies = [...a.policies.filter(p => p.metadata.namespace !== ns), ...b.policies.filter(p => p.metadata.namespace === ns).map(p => ({ ...p, metadata: { ...p.metadata, name: `b-${p.metadata.name}` } }))];
      const pods = relabel && a.pods.length > 0 ? [{ ...a.pods[0], metadata: { ...a.pods[0].metadata, labels: { app: 'api' } } }, ...a.pods.slice(1)] : a.pods;
      return [a, { namespaces: a.namespaces, pods, policies }] as const;
    });
    fc.assert(fc.property(fc.oneof(variant, pair), fc.boolean(), ([ca, cb], podIps) => {
      const a = ClusterModel.fromObjects(objectsOf(ca), { ipBlockMatchesPodIps: podIps });
      const b = ClusterModel.fromObjects(objectsOf(cb), { ipBlockMatchesPodIps: podIps });
      const full = ConnectivityDiff.between(a.connectivity({ alignWith: [b] }), b.connectivity({ alignWith: [a] }));
      expect(ConnectivityDiff.betweenModels(a, b).toJson()).toEqual(full.toJson());
      expect(ConnectivityDiff.betweenModels(a, a).isEmpty).toBe(true);
    }), { numRuns: fcRuns(80) });
  });

  test('reads as a summary, text lines, JSON and a Markdown table', () => {
    const before = new Connectivity(['a/x', 'a/y', 'a/z'], [
      { from: 'a/x', to: 'a/y', allowed: PortSet.range(Protocol.TCP, 80) },
      { from: 'a/y', to: 'a/z', allowed: PortSet.range(Protocol.TCP, 80) },
    ]);
    const after = new Connectivity(['a/x', 'a/y', 'a/w'], [
      { from: 'a/x', to: 'a/y', allowed: PortSet.range(Protocol.TCP, 80).union(PortSet.range(Protocol.TCP, 443)) },
      { from: 'a/w', to: 'a/x', allowed: PortSet.ALL },
    ]);
    const diff = ConnectivityDiff.between(before, after);
    expect(diff.summary()).toBe('2 flows opened (1 added, 1 widened), 1 closed (1 removed); 1 endpoint appeared, 1 endpoint disappeared');
    // the rows that open something first
    expect(diff.toText()).toBe([
      '2 flows opened (1 added, 1 widened), 1 closed (1 removed); 1 endpoint appeared, 1 endpoint disappeared',
      '~ a/x => a/y : TCP 80 -> TCP 80,443 (widened)',
      '+ a/w => a/x : All Connections',
      '- a/y => a/z : TCP 80',
      'endpoint appeared: a/w',
      'endpoint disappeared: a/z',
      '',
    ].join('\n'));
    const all = { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] };
    // connectivities made by hand know no rules
    expect(diff.toJson().changes[2]).toEqual({ change: 'added', from: 'a/w', to: 'a/x', before: null, after: all, opened: all, closed: null, allowedBy: { before: null, after: null } });
    expect(diff.toMarkdown().split('\n').slice(0, 7)).toEqual([
      '### Connectivity change',
      '',
      '**2 flows opened (1 added, 1 widened), 1 closed (1 removed); 1 endpoint appeared, 1 endpoint disappeared**',
      '',
      '| change | from | to | before | after | allowed by |',
      '| --- | --- | --- | --- | --- | --- |',
      '| widened | a/x | a/y | TCP 80 | TCP 80,443 |  |',
    ]);
    expect(diff.opensConnections).toBe(true);
    expect(diff.filter({ to: 'a/z' }).changes.map(c => c.change)).toEqual(['removed']);
    expect(diff.filter({ to: 'a/z' }).opensConnections).toBe(false);
  });

  test('throws if given something other than two Connectivity objects', () => {
    expect(() => ConnectivityDiff.between({} as any, {} as any)).toThrow(/^\[ConnectivityDiff\.between\] before: \{\}: must be a Connectivity/);
    expect(() => ConnectivityDiff.between(ClusterModel.fromObjects([]).connectivity(), null as any)).toThrow(/^\[ConnectivityDiff\.between\] after: null: must be a Connectivity/);
  });

  test('throws if a filter has an unknown key, instead of keeping every flow', () => {
    const flows = ClusterModel.fromObjects([]).connectivity();
    expect(() => flows.filter({ frm: 'shop' } as any)).toThrow(/filter\.frm: unknown prop "frm"; did you mean `from`\?/);
    expect(() => flows.filter(null as any)).toThrow(/\[ConnectivityFilter\] filter: null: must be an object/);
    expect(() => ClusterModel.fromObjects([]).connectivity({ alignwith: [] } as any)).toThrow(/options\.alignwith: unknown prop/);
    expect(() => ClusterModel.fromObjects([]).connectivity(null as any)).toThrow(/\[ClusterModel\.connectivity\] options: null/);
  });
});
