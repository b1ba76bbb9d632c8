import * as fc from 'fast-check';
import { EXTERNAL_IPS, cluster, clusterWithHostNetwork } from './cluster-arbitraries';
import { computeConnectivity as referenceConnectivity } from './reference/connectivity-engine-ea4319d';
import { ShapeSet as ReferenceShapeSet } from './reference/pod-shape-ea4319d';
import { ClusterModel, SelfTraffic } from '../../src';
import { ConnectivityInput, addressRangeEndpoints, computeConnectivity, policyIpBlocks, rangeKeys } from '../../src/analysis/connectivity-engine';
import { ShapeSet } from '../../src/analysis/pod-shape';
import { fcRuns } from '../fixtures/property-runs';

// The engine's address ranges are one shape per set of ipBlocks containing them, ipBlocks are
// matched in one sweep, and a pair is looked up in rules grouped by ports: the output must be
// byte for byte what main's engine (frozen in ./reference) printed, on random inputs.

/** A CIDR inside 10.0.0.0/22, and a CIDR strictly inside it, so that blocks nest, overlap and share ends. */
const offset = fc.integer({ min: 0, max: 1023 });
const nested = fc.tuple(fc.integer({ min: 22, max: 30 }), offset, fc.integer({ min: 1, max: 4 }), offset).map(([prefix, at, deeper, inner]) => {
  const size = 2 ** (32 - prefix);
  const network = Math.floor(at / size) * size;
  const innerSize = size / 2 ** Math.min(deeper, 32 - prefix);
  const innerNetwork = network + Math.floor((inner % size) / innerSize) * innerSize;
  const ip = (n: number) => `10.0.${Math.floor(n / 256)}.${n % 256}`;
  return { cidr: `${ip(network)}/${prefix}`, except: innerSize < size ? `${ip(innerNetwork)}/${32 - Math.log2(innerSize)}` : undefined };
});

const ipBlock = fc.oneof(
  fc.tuple(nested, fc.boolean()).map(([n, withExcept]) => ({ cidr: n.cidr, ...(withExcept && n.except ? { except: [n.except] } : {}) })),
  fc.array(nested, { minLength: 1, maxLength: 3 }).map(list => ({ cidr: '0.0.0.0/0', except: [...new Set(list.map(n => n.cidr))] })),
  fc.constantFrom({ cidr: '::/0', except: ['2001:db8::/64'] }, { cidr: '2001:db8::/64', except: ['2001:db8::/120'] }),
);

/** One namespace: pods (with IPs in the blocks' space) and policies whose peers are ipBlocks. */
const ipBlockCluster = fc.record({
  pods: fc.array(fc.record({ app: fc.constantFrom('a', 'b', 'c'), ip: fc.integer({ min: 0, max: 1023 }), withIp: fc.boolean() }), { minLength: 1, maxLength: 5 }),
  policies: fc.array(fc.record({
    app: fc.constantFrom('a', 'b', undefined),
    from: fc.array(ipBlock, { maxLength: 3 }),
    to: fc.array(ipBlock, { maxLength: 3 }),
    port: fc.constantFrom(undefined, 80, 443, 'http'),
  }), { maxLength: 8 }),
}).map(({ pods, policies }) => [
  ...pods.map((p, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod${i}`, namespace: 'n0', labels: { app: p.app } },
    spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 + (i % 2) }] }] },
    ...(p.withIp ? { status: { podIP: `10.0.${Math.floor(p.ip / 256)}.${p.ip % 256}` } } : {}),
  })),
  ...policies.map((p, i) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `p${i}`, namespace: 'n0' },
    spec: {
      podSelector: p.app ? { matchLabels: { app: p.app } } : {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: p.from.map(b => ({ ipBlock: b })), ...(p.port ? { ports: [{ port: p.port }] } : {}) }],
      egress: [{ to: p.to.map(b => ({ ipBlock: b })), ...(p.port ? { ports: [{ port: p.port }] } : {}) }],
    },
  })),
]);

/** What `ClusterModel.connectivity()` hands the engine, read from a model. */
function inputOf(objects: any[], podIps: boolean, evaluateSelf: boolean, alignWith: any[] = []): ConnectivityInput {
  const model: any = ClusterModel.fromObjects(objects, {
    ipBlockMatchesPodIps: podIps,
    selfTraffic: evaluateSelf ? SelfTraffic.EVALUATE : SelfTraffic.ALLOW,
    externalIps: EXTERNAL_IPS,
  });
  const aligned: any = ClusterModel.fromObjects(alignWith);
  return {
    endpoints: model.objects.endpoints,
    namespaces: model.objects.namespaces,
    policies: model.objects.policies,
    ipBlockMatchesPodIps: podIps,
    selfTraffic: evaluateSelf ? SelfTraffic.EVALUATE : SelfTraffic.ALLOW,
    hostNetworkIsolated: true,
    alignWith: aligned.objects.policies,
    groupOf: model.objects.endpoints.map((e: any) => model.groupOf(e)),
  };
}

/** What both engines return (the reference has no attribution). */
function printed(result: Pick<ReturnType<typeof computeConnectivity>, 'endpoints' | 'external' | 'connections'>): string[] {
  return [
    ...result.endpoints.map((e, i) => `${e} ${result.external[i]}`),
    ...result.connections.map(c => `${c.from} => ${c.to} : ${c.allowed} ${JSON.stringify(c.allowed.toJson())}`),
  ];
}

describe('computeConnectivity', () => {
  test('prints exactly what main\'s engine printed, for clusters full of nested ipBlocks with excepts', () => {
    fc.assert(fc.property(ipBlockCluster, ipBlockCluster, fc.boolean(), fc.boolean(), (objects, other, podIps, evaluateSelf) => {
      const input = inputOf(objects, podIps, evaluateSelf, other.filter(o => o.kind === 'NetworkPolicy'));
      expect(printed(computeConnectivity(input))).toEqual(printed(referenceConnectivity(input)));
    }), { numRuns: fcRuns(150) });
  });

  test('prints exactly what main\'s engine printed, for random clusters of several namespaces', () => {
    fc.assert(fc.property(cluster, fc.boolean(), fc.boolean(), (c, podIps, evaluateSelf) => {
      const input = inputOf([...c.namespaces, ...c.pods, ...c.policies], podIps, evaluateSelf);
      expect(printed(computeConnectivity(input))).toEqual(printed(referenceConnectivity(input)));
    }), { numRuns: fcRuns(100) });
  });

  // The reference knows no hostNetwork pods: it evaluates them as ordinary pods, which is the
  // isolated mode (HostNetworkPods.ISOLATED, every pod selectable, as the input passes it). So
  // hostNetwork pods stay in the generator and the engine must print the same, although it gives
  // them shapes of their own; the unrestricted mode is checked against allowed() in properties.test.ts.
  test('prints exactly what main\'s engine printed with hostNetwork pods, in the isolated mode', () => {
    fc.assert(fc.property(clusterWithHostNetwork, fc.boolean(), (c, podIps) => {
      const input = inputOf([...c.namespaces, ...c.pods, ...c.policies], podIps, false);
      expect(input.endpoints.some(e => e.hostNetwork) || c.pods.every(p => !p.spec.hostNetwork)).toBe(true);
      expect(printed(computeConnectivity(input))).toEqual(printed(referenceConnectivity(input)));
    }), { numRuns: 60 });
  });

  test('pods are grouped into shapes exactly as main grouped them, ipBlocks matching pod IPs', () => {
    fc.assert(fc.property(ipBlockCluster, objects => {
      const input = inputOf(objects, true, false);
      const blocks = policyIpBlocks(input.policies);
      const partition = (shapes: readonly { members: readonly number[] }[]) => shapes.map(s => s.members.join(',')).sort();
      expect(partition(ShapeSet.build(input.endpoints, blocks).shapes)).toEqual(partition(ReferenceShapeSet.build(input.endpoints, blocks).shapes));
    }), { numRuns: fcRuns(150) });
  });

  test('address ranges that every ipBlock treats alike are one shape', () => {
    // GIVEN 10.0.0.0/16 except 10.0.1.0/24, 10.0.2.0/24, 10.0.4.0/24
    const objects = [{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'out', namespace: 'n0' },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24', '10.0.2.0/24', '10.0.4.0/24'] } }] }] },
    }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n0' }, spec: { containers: [{ name: 'c', image: 'i' }] } }];

    const model = ClusterModel.fromObjects(objects);
    const ranges = addressRangeEndpoints((model as any).objects.policies);

    // WHEN
    const keys = rangeKeys(ranges, policyIpBlocks((model as any).objects.policies));
    const list = model.connectivity();

    // THEN two shapes: the pieces of the /16 outside its excepts, and every other range
    const groups = new Map<string, string[]>();
    ranges.forEach((r, i) => groups.set(keys[i], [...(groups.get(keys[i]) ?? []), r.name]));
    expect([...groups.values()].sort((x, y) => x.length - y.length)).toEqual([
      ['10.0.0.0-10.0.0.255', '10.0.3.0-10.0.3.255', '10.0.5.0-10.0.255.255'],
      ['0.0.0.0-9.255.255.255', '10.0.1.0-10.0.1.255', '10.0.2.0-10.0.2.255', '10.0.4.0-10.0.4.255', '10.1.0.0-255.255.255.255', '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ]);
    // and every piece is still its own endpoint, named as before
    expect(list.connections.filter(c => c.from === 'n0/a').map(c => c.to)).toEqual([
      '10.0.0.0-10.0.0.255', '10.0.3.0-10.0.3.255', '10.0.5.0-10.0.255.255',
    ]);
    expect(ranges).toHaveLength(9);
  });
});
