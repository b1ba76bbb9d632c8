import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { cluster } from './cluster-arbitraries';
import { ClusterModel, ConnectivityDiff, NamespaceBaseline, Peer, Policy, Port, PortSet, Protocol, LabelSelector } from '../../src';
import { fcRuns } from '../fixtures/property-runs';

const policy = (namespace: string, name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec });
const pod = (namespace: string, name: string, labels: Record<string, string>, ports: any[] = []) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace, name, labels }, spec: { containers: [{ name: 'c', image: 'i', ports }] } });
const namespace = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

describe('representative endpoints', () => {
  test('a policy with no pod in the input still shows what its subject may do', () => {
    // GIVEN only a policy: web in shop reaches db pods on 5432
    const objects = [policy('shop', 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] }],
    })];
    // THEN
    const list = ClusterModel.fromObjects(objects).connectivity();
    expect(list.allowed('shop/{app=web}', 'shop/{app=db}').toString()).toBe('TCP 5432');
    expect(list.allowed('shop/{app=web}', '*/*').isEmpty).toBe(true);
    expect(list.allowed('*/*', 'shop/{app=web}').isAll).toBe(true); // ingress is not isolated
    // two ends no policy can isolate: never listed
    expect(list.connections.some(c => c.from === '*/*' && c.to === '0.0.0.0-255.255.255.255')).toBe(false);
    // the input's own endpoints only: nothing
    expect(ClusterModel.fromObjects(objects).connectivity({ inputOnly: true }).connections).toEqual([]);
  });

  test('NamespaceBaseline pins its DNS allowance', () => {
    const withDns = Testing.chart();
    new NamespaceBaseline(withDns, 'Baseline', { namespace: 'shop' });
    const without = Testing.chart();
    new NamespaceBaseline(without, 'Baseline', { namespace: 'shop', allowDns: false });
    const text = ClusterModel.fromChart(withDns).connectivity().toText();
    expect(text).toContain('shop/* => kube-system/{k8s-app=kube-dns} : TCP 53; UDP 53\n');
    expect(ClusterModel.fromChart(without).connectivity().toText()).not.toContain('kube-dns');
    expect(text).not.toBe(ClusterModel.fromChart(without).connectivity().toText());
  });

  test('names: a namespace, *, or a selector in braces; canonical selector text', () => {
    const objects = [
      pod('shop', 'web', { app: 'web' }),
      policy('shop', 'web', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{
          from: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tools' } } },
            { namespaceSelector: {}, podSelector: { matchLabels: { role: 'monitoring' } } },
            { namespaceSelector: { matchLabels: { team: 'data' } }, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['worker'] }] } },
            { namespaceSelector: { matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }, { key: 'env', operator: 'In', values: ['staging', 'prod'] }] } },
          ],
          ports: [{ port: 8080 }],
        }],
      }),
    ];
    const list = ClusterModel.fromObjects(objects).connectivity();
    const into = list.filter({ to: 'shop/web' }).connections.map(c => `${c.from} : ${c.allowed}`);
    expect(into).toEqual([
      '*/{role=monitoring} : TCP 8080',
      'tools/* : TCP 8080',
      '{env in (prod,staging),!legacy}/* : TCP 8080',
      '{team=data}/{app=worker} : TCP 8080',
    ]);
    // every representative is an endpoint; pods of another namespace without those labels are not let in
    expect(list.endpoints).toEqual(expect.arrayContaining(['*/*', '*/{role=monitoring}', 'tools/*']));
    expect(list.allowed('*/*', 'shop/web').isEmpty).toBe(true);
    // the JSON names them as ordinary from/to strings
    expect(list.toJson().connections).toContainEqual({ from: 'tools/*', to: 'shop/web', allowed: { TCP: [[8080, 8080]] } });
  });

  test('NotIn and DoesNotExist: the representative lacks the key; a contradiction has no representative', () => {
    const objects = [
      pod('shop', 'web', { app: 'web' }),
      policy('shop', 'web', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{
          from: [
            { podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } },
            { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }, { key: 'app', operator: 'NotIn', values: ['x'] }] } },
            { podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'tier', operator: 'DoesNotExist' }] } },
          ],
          ports: [{ port: 80 }],
        }],
      }),
    ];
    const list = ClusterModel.fromObjects(objects).connectivity();
    expect(list.allowed('shop/{app notin (web)}', 'shop/web').toString()).toBe('TCP 80');
    // the subject (app=web) is a pod of the input: shop/web stands for it
    expect(list.endpoints.filter(e => e.startsWith('shop/'))).toEqual(['shop/web', 'shop/{app notin (web)}']);
    // a pod app=web is not let in by the NotIn peer
    expect(list.allowed('shop/web', 'shop/web').isEmpty).toBe(true);
  });

  test('a description the input has a pod of (exactly its labels, in its namespace) is that pod, in every version compared', () => {
    const peerPolicy = policy('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    const withWeb = ClusterModel.fromObjects([pod('shop', 'web', { app: 'web' }), pod('shop', 'db', { app: 'db' }), peerPolicy]);
    const withoutWeb = ClusterModel.fromObjects([pod('shop', 'db', { app: 'db' }), peerPolicy]);
    const labelledMore = ClusterModel.fromObjects([pod('shop', 'web', { app: 'web', tier: 'front' }), pod('shop', 'db', { app: 'db' }), peerPolicy]);
    expect(withWeb.connectivity().endpoints).not.toContain('shop/{app=web}');
    expect(withoutWeb.connectivity().endpoints).toContain('shop/{app=web}');
    // a pod with more labels is not one of exactly that description
    expect(labelledMore.connectivity().endpoints).toContain('shop/{app=web}');
    // a diff keeps the representative while one version lacks the pod: the same endpoint in both
    const diff = ConnectivityDiff.betweenModels(withoutWeb, withWeb);
    expect(diff.removedEndpoints).toEqual([]);
    expect(diff.changes.filter(c => c.from === 'shop/{app=web}').map(c => `${c.change} ${c.to}`)).toEqual(['added shop/web']);
    expect(diff.toText()).toContain('+ shop/web => shop/db : All Connections');
  });

  test('a representative of a namespace in the input is a pod there: that namespace\'s policies govern it', () => {
    const objects = [
      pod('shop', 'web', { app: 'web' }),
      policy('shop', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }),
      policy('shop', 'web-egress', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }, { namespaceSelector: { matchLabels: { team: 'x' } } }] }],
      }),
    ];
    const model = ClusterModel.fromObjects(objects);
    const list = model.connectivity();
    // web's egress allows api pods, but a pod app=api in shop is isolated by deny-ingress
    expect(list.allowed('shop/web', 'shop/{app=api}').isEmpty).toBe(true);
    expect(model.allowed({ from: 'shop/web', to: 'shop/{app=api}', port: 80 }).allowed).toBe(false);
    // a namespace the input does not contain has no policies
    expect(list.allowed('shop/web', '{team=x}/*').isAll).toBe(true);
    expect(model.allowed({ from: 'shop/web', to: '{team=x}/*', port: 80 }).allowed).toBe(true);
  });

  test('a named port towards a representative stays a named port: never nothing, never every port', () => {
    const objects = [
      pod('shop', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]),
      policy('shop', 'web', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'foo.com/managed': 'yes' } } }], ports: [{ port: 'http' }, { port: 53, protocol: 'UDP' }] }],
      }),
    ];
    const list = ClusterModel.fromObjects(objects).connectivity();
    const ports = list.allowed('shop/web', '{foo.com/managed=yes}/*');
    expect(ports.toString()).toBe('TCP http; UDP 53');
    expect(ports.namedPorts(Protocol.TCP)).toEqual(['http']);
    expect(ports.has(Protocol.TCP, 8080)).toBe(false);
    expect(ports.toJson()).toEqual({ UDP: [[53, 53]], named: { TCP: ['http'] } });
    expect(PortSet.fromJson(ports.toJson()).sameAs(ports)).toBe(true);
    // the namespace part is split outside the braces, even with a '/' in a label key
    // (Mermaid labels carry every non-plain character as an entity code: { is #123;, = is #61;)
    expect(list.toMermaid()).toContain('["#123;foo.com/managed#61;yes#125;"]');
  });

  test('allowed() and explain accept representative names, and refuse malformed ones clearly', () => {
    const model = ClusterModel.fromObjects([
      pod('shop', 'web', { app: 'web' }),
      policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tools' } } }] }] }),
    ]);
    const verdict = model.allowed({ from: 'tools/*', to: 'shop/web', port: 443 });
    expect(verdict.allowed).toBe(true);
    expect(verdict.explanation).toContain('namespaceSelector {kubernetes.io/metadata.name=tools}');
    expect(model.allowed({ from: '*/{role=monitoring}', to: 'shop/web', port: 443 }).allowed).toBe(false);
    expect(model.allowed({ from: '{env in (prod, staging),!legacy}/*', to: 'shop/web', port: 443 }).allowed).toBe(false);
    expect(() => model.allowed({ from: '*/{app in (x}', to: 'shop/web', port: 1 })).toThrow(/from: label selector "app in \(x": the values of "app" must end with "\)"/);
    expect(() => model.allowed({ from: '*/{app=x,app notin (x)}', to: 'shop/web', port: 1 })).toThrow(/no pod can match this description/);
    expect(() => model.allowed({ from: 'Bad_NS/*', to: 'shop/web', port: 1 })).toThrow(/the namespace part must be a namespace name \(a DNS-1123 label\)/);
    expect(model.findEndpoint('Bad_NS/*')).toBeUndefined();
    expect(model.findEndpoint('tools/*')).toMatchObject({ kind: 'Representative', namespace: 'tools', namespaceLabels: { 'kubernetes.io/metadata.name': 'tools' } });
    expect(() => model.allowed({ from: 'tools/*', to: '*/*', port: 1, portName: 'http' } as any)).toThrow(/representative endpoint, whose container ports are unknown/);
  });

  test('the README gate trips when the flagship backend lets in the tools namespace', () => {
    const build = (open: boolean) => {
      const app = Testing.app();
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ShopChart } = require('../../examples/charts/shop');
      const chart: Chart = new ShopChart(app, 'shop');
      if (open) {
        new Policy(chart, 'BackendFromTools', {
          podSelector: LabelSelector.fromPodSelector((chart as any).backend),
          ingress: [{ from: [Peer.namespace('tools')], ports: [Port.allTraffic()] }],
        });
      }
      return ClusterModel.fromChart(chart);
    };
    const diff = ConnectivityDiff.betweenModels(build(false), build(true)).filter({ to: 'shop' });
    expect(diff.opensConnections).toBe(true);
    expect(diff.toText()).toContain('+ tools/* => shop/backend : All Connections');
    // the input's own endpoints alone cannot see it
    expect(ConnectivityDiff.betweenModels(build(false), build(true), { inputOnly: true }).filter({ to: 'shop' }).isEmpty).toBe(true);
  });
});

describe('every representative flow is realisable', () => {
  // Add a concrete pod with the representative's labels (and, for a namespace the input does not
  // contain, that namespace with the representative's namespace labels), with container ports for
  // the named ports the flows carry: allowed() on the concrete pod agrees with the listed flows.
  const PORTS = [1, 53, 80, 443, 9090, 65535];
  test('a concrete pod matching the description has exactly the listed flows', () => {
    fc.assert(fc.property(cluster, c => {
      const objects = [...c.namespaces, ...c.pods, ...c.policies];
      const model = ClusterModel.fromObjects(objects);
      const list = model.connectivity();
      const reps = list.endpoints.filter(e => /^(\*|\{)|\/(\*|\{)/.test(e));
      for (const rep of reps) {
        model.allowed({ from: rep, to: rep, port: 1 }); // reads the name
        const described = (model as any).representatives.get(rep) as { record: any; namespace: string; namespaceLabels: Record<string, string> };
        const nsName = described.namespaceLabels['kubernetes.io/metadata.name'];
        const extra: any[] = [];
        if (!c.namespaces.some((n: any) => n.metadata.name === nsName)) extra.push(namespace(nsName, described.namespaceLabels));
        // named ports the representative's inbound flows carry, numbered 60000+ (no rule names such a number)
        const named = new Map<string, { name: string; protocol: Protocol; port: number }>();
        for (const conn of list.connections.filter(x => x.to === rep)) {
          for (const p of [Protocol.TCP, Protocol.UDP, Protocol.SCTP]) {
            for (const n of conn.allowed.namedPorts(p)) if (!named.has(`${n}/${p}`)) named.set(`${n}/${p}`, { name: n, protocol: p, port: 60000 + named.size });
          }
        }
        const concrete = pod(nsName, 'realised-pod', described.record.labels,
          [...named.values()].map(n => ({ name: n.name, containerPort: n.port, protocol: n.protocol })));
        const realModel = ClusterModel.fromObjects([...objects, ...extra, concrete]);
        const concreteName = `${nsName}/realised-pod`;
        for (const other of list.endpoints) {
          if (other === rep || reps.includes(other) || !other.includes('/')) continue; // input pods and workloads
          for (const [from, to] of [[rep, other], [other, rep]]) {
            const listed = list.allowed(from, to);
            for (const protocol of [Protocol.TCP, Protocol.UDP, Protocol.SCTP]) {
              const ports = [...PORTS, ...(to === rep ? [...named.values()].filter(n => n.protocol === protocol).map(n => n.port) : [])];
              for (const port of ports) {
                const asConcrete = (end: string) => (end === rep ? concreteName : end);
                const real = realModel.allowed({ from: asConcrete(from), to: asConcrete(to), port, protocol }).allowed;
                const byName = [...named.values()].find(n => n.port === port && n.protocol === protocol);
                const byNamedPort = to === rep && byName !== undefined && listed.namedPorts(protocol).includes(byName.name);
                const expected = listed.has(protocol, port) || byNamedPort;
                if (real !== expected) {
                  throw new Error(`${from} -> ${to} ${protocol}/${port}: listed ${listed}, the concrete pod says ${real}`);
                }
              }
            }
          }
        }
      }
    }), { numRuns: fcRuns(40) });
  });
});
