import * as fc from 'fast-check';
import { NAMESPACES, cluster } from './cluster-arbitraries';
import { ClusterModel, ConnectivityDiff } from '../../src';
import { diffScope } from '../../src/analysis/diff-scope';
import { cnp } from '../fixtures/cluster-policies';

/**
 * `ConnectivityDiff.betweenModels` evaluates only the namespaces that changed and those that can
 * hold the other end of their flows (src/analysis/diff-scope.ts). A shortcut that misses a
 * change fails open, so every test compares it with the full diff: both versions' whole
 * connectivity, aligned, compared.
 */

function fullDiff(a: ClusterModel, b: ClusterModel): ConnectivityDiff {
  return ConnectivityDiff.between(a.connectivity({ alignWith: [b] }), b.connectivity({ alignWith: [a] }));
}

/** The proportional diff, after checking it equals the full one in every field. */
function checkedDiff(before: any[], after: any[], options: { ipBlockMatchesPodIps?: boolean } = {}): ConnectivityDiff {
  const a = ClusterModel.fromObjects(before, options);
  const b = ClusterModel.fromObjects(after, options);
  const fast = ConnectivityDiff.betweenModels(a, b);
  const full = fullDiff(a, b);
  expect(fast.toJson()).toEqual(full.toJson());
  expect(fast.toText()).toBe(full.toText());
  return fast;
}

const ns = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const pod = (namespace: string, name: string, labels: Record<string, string>, extra: { ip?: string; owner?: string } = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace,
    labels,
    ...(extra.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: extra.owner, uid: 'u', controller: true }] } : {}),
  },
  spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 }] }] },
  ...(extra.ip ? { status: { podIP: extra.ip } } : {}),
});
const policy = (namespace: string, name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
const service = (namespace: string, name: string, port: number, targetPort: number) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: 'web' }, ports: [{ port, targetPort }] },
});

/**
 * shop (web, db; isolated both ways, web open to namespaces labelled team=tools), tools and
 * batch (no policies), and locked (isolated both ways, egress to shop's web): a change in shop
 * leaves batch's pods out of the evaluation unless they can reach shop.
 */
function base(): any[] {
  return [
    ns('shop', { team: 'shop' }), ns('tools', { team: 'tools' }), ns('batch'), ns('locked', { team: 'locked' }),
    pod('shop', 'web', { app: 'web' }, { ip: '10.1.0.1' }), pod('shop', 'db', { app: 'db' }, { ip: '10.1.0.2' }),
    pod('tools', 'probe', { app: 'probe' }, { ip: '10.2.0.1' }), pod('batch', 'job', { app: 'job' }, { ip: '10.3.0.1' }),
    pod('locked', 'vault', { app: 'vault' }, { ip: '10.4.0.1' }),
    policy('shop', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('shop', 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'tools' } } }], ports: [{ port: 8080 }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }],
    }),
    policy('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
    policy('locked', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('locked', 'to-shop', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'web' } } }] }],
    }),
    service('shop', 'web', 80, 8080),
  ];
}

/** The base with the objects `replace` returns for some of them (by kind/namespace/name), and `add` appended. */
function changed(replace: (o: any) => any, add: any[] = []): any[] {
  return [...base().map(o => replace(JSON.parse(JSON.stringify(o)))).filter(o => o !== undefined), ...add];
}
const is = (o: any, kind: string, namespace: string | undefined, name: string) =>
  o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace;

describe('diffScope', () => {
  const version = (objects: any[]) => ClusterModel.fromObjects(objects)._scopeVersion()!;

  test('keeps the changed namespaces and those their flows can reach, and leaves out the rest', () => {
    const scope = diffScope([version(base()), version(base())], new Set(['shop']), true);
    expect(scope('shop', { team: 'shop' })).toBe(true);
    // shop's web admits team=tools
    expect(scope('tools', { team: 'tools' })).toBe(true);
    // locked's egress reaches shop's web, which admits only team=tools: nothing can flow either way
    expect(scope('locked', { team: 'locked' })).toBe(false);
    // batch is open both ways, but shop is isolated both ways and names nothing of batch
    expect(scope('batch', { 'kubernetes.io/metadata.name': 'batch' })).toBe(false);
    // a namespace the input does not have, with labels shop's rule selects
    expect(scope('{team=tools}', { team: 'tools' })).toBe(true);
    expect(scope('{team=other}', { team: 'other' })).toBe(false);
  });

  test('keeps an open namespace when a changed namespace may be open too', () => {
    const objects = base().filter(o => !(o.kind === 'NetworkPolicy' && o.metadata.namespace === 'shop' && o.metadata.name === 'deny'));
    // without the default deny, shop's db has no egress isolation and web's policy leaves... db's egress open
    const scope = diffScope([version(objects), version(base())], new Set(['shop']), true);
    expect(scope('batch', { 'kubernetes.io/metadata.name': 'batch' })).toBe(true);
  });

  test('an ipBlock of a changed namespace keeps a namespace only when it holds one of its pods\' addresses', () => {
    const withBlock = changed(o => (is(o, 'NetworkPolicy', 'shop', 'web')
      ? { ...o, spec: { ...o.spec, ingress: [...o.spec.ingress, { from: [{ ipBlock: { cidr: '10.3.0.0/16' } }] }] } } : o));
    const scope = diffScope([version(base()), version(withBlock)], new Set(['shop']), true);
    expect(scope('batch', { 'kubernetes.io/metadata.name': 'batch' })).toBe(true);
    expect(scope('locked', { team: 'locked' })).toBe(false);
    // when ipBlocks do not match pod IPs, no pod of batch can be matched
    expect(diffScope([version(base()), version(withBlock)], new Set(['shop']), false)('batch', { 'kubernetes.io/metadata.name': 'batch' })).toBe(false);
  });
});

describe('ConnectivityDiff.betweenModels equals the full diff for each change the shortcut could miss', () => {
  test('no change: empty', () => {
    expect(checkedDiff(base(), base()).isEmpty).toBe(true);
  });

  test('a pod in another namespace gains the label an unchanged namespace\'s peer selects', () => {
    // shop's web admits only scanners of team=tools; the probe in tools becomes one
    const scanners = (o: any) => {
      if (is(o, 'NetworkPolicy', 'shop', 'web')) o.spec.ingress[0].from[0].podSelector = { matchLabels: { app: 'scanner' } };
      return o;
    };
    const after = changed(o => {
      if (is(o, 'Pod', 'tools', 'probe')) o.metadata.labels = { app: 'scanner' };
      return scanners(o);
    });
    const diff = checkedDiff(changed(scanners), after);
    const opened = diff.changes.find(c => c.from === 'tools/probe' && c.to === 'shop/web');
    expect(opened?.change).toBe('added');
    expect(String(opened?.after)).toBe('TCP 8080');
  });

  test('a namespace gains the labels a changed namespace\'s namespaceSelector matches', () => {
    const after = changed(o => {
      if (is(o, 'Namespace', undefined, 'batch')) o.metadata.labels = { team: 'tools' };
      return o;
    });
    const diff = checkedDiff(base(), after);
    const opened = diff.changes.find(c => c.from === 'batch/job' && c.to === 'shop/web');
    expect(opened?.change).toBe('added');
    expect(String(opened?.after)).toBe('TCP 8080');
  });

  test('a policy in another namespace whose namespaceSelector now matches a changed namespace', () => {
    // shop's web now admits team=locked too; locked's egress (to team=shop web) then reaches it
    const after = changed(o => {
      if (is(o, 'NetworkPolicy', 'shop', 'web')) o.spec.ingress[0].from.push({ namespaceSelector: { matchLabels: { team: 'locked' } } });
      return o;
    });
    const diff = checkedDiff(base(), after);
    expect(diff.changes.find(c => c.from === 'locked/vault' && c.to === 'shop/web')?.change).toBe('added');
  });

  test('a policy in an unchanged namespace starts to match a namespace whose labels changed', () => {
    const after = changed(o => {
      if (is(o, 'Namespace', undefined, 'tools')) o.metadata.labels = { team: 'shop' };
      return o;
    }, [pod('tools', 'web', { app: 'web' })]);
    const diff = checkedDiff(base(), after);
    // locked's egress to team=shop web now reaches tools/web (not isolated for ingress)
    expect(diff.changes.find(c => c.from === 'locked/vault' && c.to === 'tools/web')?.change).toBe('added');
  });

  test('a Service port changes no flow', () => {
    const after = changed(o => {
      if (is(o, 'Service', 'shop', 'web')) o.spec.ports = [{ port: 81, targetPort: 8080 }];
      return o;
    });
    expect(checkedDiff(base(), after).isEmpty).toBe(true);
  });

  test('an ipBlock of a changed policy, matching pod IPs of an unchanged namespace', () => {
    const after = changed(o => {
      if (is(o, 'NetworkPolicy', 'shop', 'web')) o.spec.ingress.push({ from: [{ ipBlock: { cidr: '10.3.0.0/16', except: ['10.3.1.0/24'] } }] });
      return o;
    });
    const diff = checkedDiff(base(), after);
    expect(diff.changes.find(c => c.from === 'batch/job' && c.to === 'shop/web')?.change).toBe('added');
    // and without pod IPs, only the external range
    const outside = checkedDiff(base(), after, { ipBlockMatchesPodIps: false });
    expect(outside.changes.some(c => c.from === 'batch/job')).toBe(false);
    expect(outside.changes.some(c => c.from === '10.3.0.0-10.3.0.255' && c.to === 'shop/web')).toBe(true);
  });

  test('a new ipBlock elsewhere that tells apart the pods of one controller renames their endpoint', () => {
    const grouped = [...base(), pod('batch', 'set-0', { app: 'set' }, { ip: '10.3.2.1', owner: 'set' }), pod('batch', 'set-1', { app: 'set' }, { ip: '10.3.3.1', owner: 'set' })];
    const after = [...grouped.map(o => (is(o, 'NetworkPolicy', 'locked', 'to-shop')
      ? { ...o, spec: { ...o.spec, egress: [...o.spec.egress, { to: [{ ipBlock: { cidr: '10.3.2.0/24' } }] }] } } : o))];
    const diff = checkedDiff(grouped, after);
    expect(diff.removedEndpoints).toContain('batch/set');
    expect(diff.addedEndpoints).toEqual(expect.arrayContaining(['batch/set-0', 'batch/set-1']));
  });

  test('a ClusterNetworkPolicy added, changed or present in both versions', () => {
    const deny = cnp('deny-batch', {
      priority: 5,
      subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'batch' } } },
      ingress: [{ action: 'Deny', name: 'all', from: [{ namespaces: {} }] }],
    });
    const added = checkedDiff(base(), [...base(), deny]);
    expect(added.changes.find(c => c.from === 'tools/probe' && c.to === 'batch/job')?.change).toBe('removed');
    const accept = JSON.parse(JSON.stringify(deny));
    accept.spec.ingress[0].action = 'Accept';
    expect(checkedDiff([...base(), deny], [...base(), accept]).changes.find(c => c.from === 'tools/probe' && c.to === 'batch/job')?.change).toBe('added');
    // between two representatives in namespaces the input lacks, which no namespace of the input holds
    const acceptTools = cnp('accept-tools', {
      priority: 5,
      subject: { namespaces: { matchLabels: { team: 'tools' } } },
      ingress: [{ action: 'Accept', name: 'all', from: [{ namespaces: {} }] }],
    });
    const reps = checkedDiff(base(), [...base(), acceptTools]);
    expect(reps.changes.find(c => c.from === '*/*' && c.to === '{team=tools}/*')?.change).toBe('added');
    const shopChanged = changed(o => {
      if (is(o, 'NetworkPolicy', 'shop', 'web')) o.spec.ingress[0].from.push({ namespaceSelector: {} });
      return o;
    }, [deny]);
    expect(checkedDiff([...base(), deny], shopChanged).changes.find(c => c.from === 'batch/job' && c.to === 'shop/web')?.change).toBe('added');
  });

  test('a filter may name an endpoint or a namespace the shortcut left out; an unknown one is still refused', () => {
    const after = changed(o => {
      if (is(o, 'NetworkPolicy', 'shop', 'web')) o.spec.ingress[0].ports = [{ port: 8080, endPort: 8081 }];
      return o;
    });
    const a = ClusterModel.fromObjects(base());
    const b = ClusterModel.fromObjects(after);
    const fast = ConnectivityDiff.betweenModels(a, b);
    const full = fullDiff(a, b);
    for (const filter of [{ from: 'batch/job' }, { to: 'batch' }, { from: 'tools', to: 'shop' }]) {
      expect(fast.filter(filter).toJson()).toEqual(full.filter(filter).toJson());
    }
    expect(fast.filter({ from: 'tools' }).changes.length).toBeGreaterThan(0);
    expect(() => fast.filter({ from: 'nowhere/pod' })).toThrow(/from: unknown endpoint or namespace "nowhere\/pod"/);
  });
});

describe('property: the proportional diff equals the full diff on random small changes', () => {
  /** One small change to a cluster of the arbitraries (namespaces n0-n2, pods pod<i>, policies p<i>). */
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('pod-labels' as const), index: fc.nat(), labels: fc.constantFrom<Record<string, string>>({ app: 'web' }, { app: 'db', tier: 'back' }, {}) }),
    fc.record({ kind: fc.constant('namespace-labels' as const), namespace: fc.constantFrom(...NAMESPACES), team: fc.constantFrom('a', 'b', undefined) }),
    fc.record({ kind: fc.constant('policy-replaced' as const), index: fc.nat(), with: cluster.map(c => c.policies[0]) }),
    fc.record({ kind: fc.constant('policy-removed' as const), index: fc.nat() }),
    fc.record({ kind: fc.constant('policy-added' as const), from: cluster.map(c => c.policies[0]) }),
    fc.record({ kind: fc.constant('pod-ip' as const), index: fc.nat(), ip: fc.constantFrom('10.0.0.1', '10.0.2.3', '203.0.113.7') }),
    fc.record({ kind: fc.constant('cluster-policy' as const), action: fc.constantFrom('Accept', 'Deny', 'Pass'), namespace: fc.constantFrom(...NAMESPACES) }),
  );

  /** The objects, with the first two pods of each namespace owned by one StatefulSet when `owned`. */
  function objectsOf(c: { namespaces: any[]; pods: any[]; policies: any[] }, owned: boolean, extra: any[] = []): any[] {
    const pods = c.pods.map(p => (owned ? { ...p, metadata: { ...p.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'set', uid: 'u', controller: true }] } } : p));
    return [...c.namespaces, ...pods, ...c.policies, ...extra];
  }

  function mutate(c: { namespaces: any[]; pods: any[]; policies: any[] }, m: any): { namespaces: any[]; pods: any[]; policies: any[]; extra: any[] } {
    const out = JSON.parse(JSON.stringify(c));
    const extra: any[] = [];
    switch (m.kind) {
      case 'pod-labels': out.pods[m.index % out.pods.length].metadata.labels = m.labels; break;
      case 'namespace-labels': out.namespaces.find((n: any) => n.metadata.name === m.namespace).metadata.labels = m.team ? { team: m.team } : {}; break;
      case 'policy-replaced':
        if (out.policies.length > 0 && m.with) {
          const i = m.index % out.policies.length;
          out.policies[i] = { ...out.policies[i], spec: m.with.spec };
        }
        break;
      case 'policy-removed': if (out.policies.length > 0) out.policies.splice(m.index % out.policies.length, 1); break;
      case 'policy-added': if (m.from) out.policies.push({ ...m.from, metadata: { ...m.from.metadata, name: 'added' } }); break;
      case 'pod-ip': out.pods[m.index % out.pods.length].status = { podIP: m.ip }; break;
      case 'cluster-policy':
        extra.push(cnp('c', {
          subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': m.namespace } } },
          ingress: [{ action: m.action, name: 'r', from: [{ namespaces: { matchLabels: { team: 'a' } } }] }],
        }));
        break;
    }
    return { ...out, extra };
  }

  test('for a label, a namespace\'s labels, a policy, a pod IP or a cluster-wide policy', () => {
    fc.assert(fc.property(cluster, mutation, fc.boolean(), fc.boolean(), fc.boolean(), (c, m, podIps, owned, inputOnly) => {
      const after = mutate(c, m);
      const a = ClusterModel.fromObjects(objectsOf(c, owned), { ipBlockMatchesPodIps: podIps });
      const b = ClusterModel.fromObjects(objectsOf(after, owned, after.extra), { ipBlockMatchesPodIps: podIps });
      const full = ConnectivityDiff.between(a.connectivity({ alignWith: [b], inputOnly }), b.connectivity({ alignWith: [a], inputOnly }));
      const fast = ConnectivityDiff.betweenModels(a, b, { inputOnly });
      expect(fast.toJson()).toEqual(full.toJson());
      // and back
      const back = ConnectivityDiff.between(b.connectivity({ alignWith: [a], inputOnly }), a.connectivity({ alignWith: [b], inputOnly }));
      expect(ConnectivityDiff.betweenModels(b, a, { inputOnly }).toJson()).toEqual(back.toJson());
    }), { numRuns: 120 });
  });
});
