import { LabelSelector, Peer, Port, TieredApp } from '../../src';
import { chartIn, policyNamed, synthPolicies, yamlOf } from '../util';

function shop(chart = chartIn('shop'), allowDns?: boolean) {
  return new TieredApp(chart, 'Shop', {
    entry: [Peer.namespace('ingress-nginx')],
    allowDns,
    tiers: [
      { name: 'frontend', ports: [Port.tcp(8080)] },
      { name: 'backend', ports: [Port.tcp(9000), Port.named('grpc')] },
      { name: 'database', podSelector: LabelSelector.labels({ app: 'postgres' }), ports: [Port.tcp(5432)] },
    ],
  });
}

const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};

describe('TieredApp', () => {
  test('one policy per tier, isolated both ways, each tier reachable only from the one before', () => {
    const chart = chartIn('shop');
    shop(chart);
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => p.metadata.name)).toEqual(['shop-frontend', 'shop-backend', 'shop-database']);
    for (const p of policies) expect(p.spec.policyTypes).toEqual(['Ingress', 'Egress']);

    const frontend = policyNamed(policies, 'shop-frontend').spec;
    expect(frontend.podSelector).toEqual({ matchLabels: { tier: 'frontend' } });
    expect(frontend.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(frontend.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { tier: 'backend' } } }], ports: [{ protocol: 'TCP', port: 9000 }, { protocol: 'TCP', port: 'grpc' }] },
      DNS,
    ]);

    const backend = policyNamed(policies, 'shop-backend').spec;
    expect(backend.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ protocol: 'TCP', port: 9000 }, { protocol: 'TCP', port: 'grpc' }] }]);
    expect(backend.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: 'postgres' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }, DNS]);

    const database = policyNamed(policies, 'shop-database').spec;
    expect(database.podSelector).toEqual({ matchLabels: { app: 'postgres' } });
    expect(database.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { tier: 'backend' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    expect(database.egress).toEqual([DNS]);
  });

  test('without DNS the last tier has no egress at all, and an empty entry means no ingress to the first tier', () => {
    const chart = chartIn();
    new TieredApp(chart, 'Batch', { entry: [], allowDns: false, tiers: [{ name: 'worker', ports: [Port.tcp(1)] }, { name: 'store', ports: [Port.tcp(2)] }] });
    const [worker, store] = synthPolicies(chart).map(p => p.spec);
    expect(worker.ingress).toBeUndefined();
    expect(worker.egress).toEqual([{ to: [{ podSelector: { matchLabels: { tier: 'store' } } }], ports: [{ protocol: 'TCP', port: 2 }] }]);
    expect(store.egress).toBeUndefined();
    expect(store.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('takes where cluster DNS runs', () => {
    const chart = chartIn();
    new TieredApp(chart, 'T', {
      entry: [],
      dns: { dnsNamespace: 'dns', dnsPodLabels: { app: 'coredns' }, nodeLocalDnsCidr: '169.254.20.10/32' },
      tiers: [{ name: 'web', ports: [Port.tcp(1)] }],
    });
    expect(synthPolicies(chart)[0].spec.egress).toEqual([{
      to: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } }, podSelector: { matchLabels: { app: 'coredns' } } },
        { ipBlock: { cidr: '169.254.20.10/32' } },
      ],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });

  test('fails on no tiers and on a tier listed twice', () => {
    expect(() => new TieredApp(chartIn(), 'T', { entry: [], tiers: [] })).toThrow(/\[test\/T\] tiers is empty/);
    expect(() => new TieredApp(chartIn(), 'T', { entry: [], tiers: [{ name: 'a', ports: [Port.tcp(1)] }, { name: 'a', ports: [Port.tcp(2)] }] }))
      .toThrow('[test/T] tier "a" is listed twice: tier names must be unique');
  });

  test('every TieredApp of a tier name that is no valid label value fails, not only the first (the default selector is shared per name)', () => {
    const tiers = [{ name: 'Front End!', ports: [Port.tcp(80)] }];
    const error = /\[test\/T\/Front End!\] spec\.podSelector\.matchLabels: Invalid value: "Front End!": a valid label must be/;
    expect(() => new TieredApp(chartIn('a'), 'T', { entry: [], tiers })).toThrow(error);
    expect(() => new TieredApp(chartIn('b'), 'T', { entry: [], tiers })).toThrow(error);
  });

  test('a tier without a podSelector selects the pods labelled tier=<name>, the same value in every namespace', () => {
    const [a, b] = ['a', 'b'].map(ns => new TieredApp(chartIn(ns), 'T', { entry: [], tiers: [{ name: 'web', ports: [Port.tcp(1)] }] }));
    expect(a.policies[0].podSelector._config()).toEqual({ matchLabels: { tier: 'web' } });
    expect(b.policies[0].podSelector).toBe(a.policies[0].podSelector);
    expect(b.policies[0].podSelector).toBe(LabelSelector.labels({ tier: 'web' }));
  });

  test('an explicit name prefixes the tier policies', () => {
    const chart = chartIn();
    new TieredApp(chart, 'T', { name: 'store', entry: [], allowDns: false, tiers: [{ name: 'web', ports: [Port.tcp(1)] }] });
    expect(synthPolicies(chart)[0].metadata.name).toBe('store-web');
  });
});
