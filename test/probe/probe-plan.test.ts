import * as fc from 'fast-check';
import { buildApp } from '../../examples/app';
import { ClusterModel } from '../../src/analysis';
import { Protocol } from '../../src/port';
import { ProbeKind, ProbeManifests, ProbePlan } from '../../src/probe';
import { OUTSIDER_PROBE_POD, PROBE_LABEL, sampleRank, UNLABELLED_PROBE_POD } from '../../src/probe/probe-names';

import { cluster } from '../analysis/cluster-arbitraries';
import { fcRuns } from '../fixtures/property-runs';

/** The flagship example's objects, as `npm run example` writes them. */
function shopObjects(): any[] {
  return buildApp('/tmp/unused').charts.find(c => c.node.id === 'shop')!.toJson();
}

/** The model the plan evaluates with: the input plus the probe pods it adds. */
function modelWithProbePods(objects: any[], plan: ProbePlan): ClusterModel {
  const namespaces = [...new Set(plan.probes.map(p => p.sourceNamespace))];
  const pods = namespaces.map(ns => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: ns === plan.probeNamespace ? OUTSIDER_PROBE_POD : UNLABELLED_PROBE_POD, namespace: ns, labels: { [PROBE_LABEL]: 'true' } },
    spec: { containers: [] },
  }));
  const probeNs = objects.some(o => o.kind === 'Namespace' && o.metadata.name === plan.probeNamespace)
    ? [] : [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: plan.probeNamespace, labels: { [PROBE_LABEL]: 'true' } } }];
  const extra = pods.filter(p => !ClusterModel.fromObjects(objects).findEndpoint(`${p.metadata.namespace}/${p.metadata.name}`));
  return ClusterModel.fromObjects([...objects, ...probeNs, ...extra]);
}

function flatten(c: { namespaces: any[]; pods: any[]; policies: any[] }): any[] {
  return [...c.namespaces, ...c.pods, ...c.policies];
}

describe('ProbePlan on the flagship example', () => {
  const objects = shopObjects();
  const plan = ProbePlan.fromObjects(objects);

  test('every probe carries the verdict and explanation the engine gives for it', () => {
    const model = modelWithProbePods(objects, plan);
    expect(plan.probes.length).toBeGreaterThan(0);
    for (const p of plan.probes) {
      const verdict = model.allowed({ from: p.from, to: p.to, port: p.port, protocol: p.protocol });
      // a representative source's explanation is its probe pod's (see 'ProbePlan with representative sources')
      const explanation = p.kind === ProbeKind.REPRESENTATIVE_SOURCE ? undefined : verdict.explanation;
      expect({ id: p.id, allowed: p.expectAllowed, explanation: p.kind === ProbeKind.REPRESENTATIVE_SOURCE ? undefined : p.explanation })
        .toEqual({ id: p.id, allowed: verdict.allowed, explanation });
    }
    // representative sources are probed by default
    expect(plan.probes.filter(p => p.kind === ProbeKind.REPRESENTATIVE_SOURCE)).toHaveLength(4);
  });

  test('the seed\'s two manual checks are in the plan: an unlabelled pod cannot reach the database, the frontend reaches the backend', () => {
    const blocked = plan.probes.find(p => p.kind === ProbeKind.UNLABELLED_POD && p.to === 'shop/postgres');
    expect(blocked).toMatchObject({ from: `shop/${UNLABELLED_PROBE_POD}`, port: 5432, protocol: Protocol.TCP, expectAllowed: false, sourceLabels: {} });
    const allowed = plan.probes.find(p => p.kind === ProbeKind.ALLOWED_FLOW && p.from === 'shop/frontend' && p.to === 'shop/backend');
    expect(allowed).toMatchObject({ port: 9000, expectAllowed: true, sourceLabels: { 'cdk8s.io/metadata.addr': 'shop-Frontend-c803f2e0' } });
  });

  test('the allowed flows are exactly the tier chain and the migrations, on declared ports', () => {
    expect(plan.probes.filter(p => p.kind === ProbeKind.ALLOWED_FLOW).map(p => p.description)).toEqual([
      'shop/backend -> shop/postgres TCP/5432',
      'shop/frontend -> shop/backend TCP/9000',
      'shop/migrations -> shop/postgres TCP/5432',
    ]);
    // the three flows between workloads and the four from representative sources
    expect(plan.allowedFlowCount).toBe(7);
    expect(plan.omittedFlows).toEqual([]);
  });

  test('each ingress-isolated workload gets the other-namespace, unlabelled and unopened-port probes; each egress-isolated one a metadata probe', () => {
    const kinds = (to: string) => plan.probes
      .filter(p => p.to === to && p.kind !== ProbeKind.ALLOWED_FLOW && p.kind !== ProbeKind.REPRESENTATIVE_SOURCE).map(p => p.kind);
    expect(kinds('shop/backend')).toEqual([ProbeKind.OTHER_NAMESPACE, ProbeKind.UNLABELLED_POD, ProbeKind.UNOPENED_PORT]);
    expect(kinds('shop/postgres')).toEqual([ProbeKind.OTHER_NAMESPACE, ProbeKind.UNLABELLED_POD, ProbeKind.UNOPENED_PORT]);
    expect(plan.probes.filter(p => p.kind === ProbeKind.METADATA).map(p => `${p.from} -> ${p.to}:${p.port}`)).toEqual([
      'shop/backend -> 169.254.169.254:80', 'shop/frontend -> 169.254.169.254:80', 'shop/migrations -> 169.254.169.254:80', 'shop/postgres -> 169.254.169.254:80',
    ]);
    const mustBeDenied = plan.probes.filter(p => p.kind !== ProbeKind.ALLOWED_FLOW && p.kind !== ProbeKind.REPRESENTATIVE_SOURCE);
    expect(mustBeDenied.every(p => !p.expectAllowed)).toBe(true);
  });

  test('the unopened-port probe uses a source the destination accepts, on a declared port not opened to it', () => {
    const p = plan.probes.find(x => x.kind === ProbeKind.UNOPENED_PORT && x.to === 'shop/backend')!;
    expect(p).toMatchObject({ from: 'shop/frontend', port: 9090, portName: 'metrics', expectAllowed: false });
  });

  test('a destination selected by a Service on the probed port is reached through it (headless: on the target port)', () => {
    const p = plan.probes.find(x => x.kind === ProbeKind.ALLOWED_FLOW && x.to === 'shop/postgres')!;
    expect(p.service).toEqual({ name: 'shop-database-service-c860ce3f', namespace: 'shop', port: 5432, headless: true });
    expect(plan.probes.find(x => x.to === 'shop/backend')!.service).toBeUndefined();
  });

  test('ids are short, unique and in plan order, and the same input gives the same plan', () => {
    expect(plan.probes.map(p => p.id)).toEqual(plan.probes.map((_, i) => `p${String(i + 1).padStart(2, '0')}`));
    expect(ProbePlan.fromObjects(shopObjects()).toJson()).toEqual(plan.toJson());
  });

  test('the namespace filter keeps only probes within the listed namespaces', () => {
    expect(ProbePlan.fromObjects(objects, { namespaces: ['other'] }).probes).toEqual([]);
    expect(ProbePlan.fromObjects(objects, { namespaces: ['shop'] }).probes.length).toBe(plan.probes.length);
  });

  test('text and Markdown list every probe with its expectation', () => {
    const text = plan.toText();
    const md = plan.toMarkdown();
    for (const p of plan.probes) {
      expect(text).toContain(`${p.id}  `);
      expect(md).toContain(`| ${p.id} |`);
    }
    expect(text).toContain('shop/frontend -> shop/backend TCP/9000: expected allowed');
    expect(md.split('\n')[2]).toBe('| Probe | Kind | Connection | Expected | Why |');
  });
});

describe('ProbePlan properties', () => {
  test('every probe\'s expected verdict and explanation equal the engine\'s, on random clusters', () => {
    fc.assert(fc.property(cluster, c => {
      const objects = flatten(c);
      const plan = ProbePlan.fromObjects(objects);
      const model = modelWithProbePods(objects, plan);
      for (const p of plan.probes) {
        const v = model.allowed({ from: p.from, to: p.to, port: p.port, protocol: p.protocol });
        // a representative source's explanation is its probe pod's
        if (v.allowed !== p.expectAllowed || (p.kind !== ProbeKind.REPRESENTATIVE_SOURCE && v.explanation !== p.explanation)) return false;
      }
      return true;
    }), { numRuns: fcRuns(150) });
  });

  test.each([0, 1, 3, 50])('with maxFlows %d, every allowed pair on the declared ports is probed or listed as omitted, and only beyond the cap', maxFlows => {
    fc.assert(fc.property(cluster, c => {
      const objects = flatten(c);
      const model = ClusterModel.fromObjects(objects);
      // the flows between workloads alone (representative sources are counted with them by default)
      const plan = ProbePlan.fromObjects(objects, { maxFlows, representatives: false });
      const workloads = model.endpoints.filter(e => !e.external);
      const expected: string[] = [];
      for (const to of workloads) {
        const ports = new Map(to.ports.map(p => [`${p.protocol}/${p.port}`, p]));
        for (const port of ports.values()) {
          for (const from of workloads) {
            if (from.name !== to.name && model.isAllowed(from.name, to.name, port.port, port.protocol)) expected.push(`${from.name} -> ${to.name} ${port.protocol}/${port.port}`);
          }
        }
      }
      const probed = plan.probes.filter(p => p.kind === ProbeKind.ALLOWED_FLOW).map(p => p.description);
      expect([...probed, ...plan.omittedFlows].sort()).toEqual([...expected].sort());
      expect(probed.length).toBe(Math.min(maxFlows, expected.length));
      expect(plan.allowedFlowCount).toBe(expected.length);
      // the sample is the flows with the smallest hashes
      if (plan.omittedFlows.length > 0) {
        const worstProbed = probed.map(sampleRank).sort().pop() ?? '';
        expect(plan.omittedFlows.every(k => sampleRank(k) >= worstProbed)).toBe(true);
      }
    }), { numRuns: fcRuns(60) });
  });
});

describe('ProbePlan and Services', () => {
  const deployment = (name: string, labels: Record<string, string>) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'a' },
    spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080 }] }] } } },
  });
  const service = (name: string, selector: Record<string, string>) => ({
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'a' }, spec: { selector, ports: [{ port: 80, targetPort: 8080 }] },
  });

  test('a Service that selects only the destination\'s pods is used; one that also selects another workload\'s is not', () => {
    const objects = [
      deployment('web', { app: 'web', tier: 'front' }), deployment('api', { app: 'api', tier: 'front' }),
      service('front', { tier: 'front' }), service('web', { app: 'web' }),
    ];
    const plan = ProbePlan.fromObjects(objects);
    const toWeb = plan.probes.find(p => p.from === 'a/api' && p.to === 'a/web')!;
    const toApi = plan.probes.find(p => p.from === 'a/web' && p.to === 'a/api')!;
    expect(toWeb.service).toEqual({ name: 'web', namespace: 'a', port: 80, headless: false });
    expect(toApi.service).toBeUndefined();
  });
});

describe('ProbePlan input checks', () => {
  const objects = shopObjects();
  test.each([
    [{ maxFlows: -1 }, /maxFlows: Invalid value: -1: must be a whole number, 0 or more/],
    [{ maxFlows: 1.5 }, /maxFlows: Invalid value: 1.5/],
    [{ maxFlows: '10' as any }, /maxFlows: Invalid value: "10"/],
    [{ probeNamespace: 'Bad_NS' }, /probeNamespace: Invalid value: "Bad_NS": must be a namespace name/],
    [{ probeNamespace: 'shop' }, /probeNamespace: Invalid value: "shop": the input has workloads in that namespace/],
    [{ metadataAddresses: ['169.254.169.254/32'] }, /metadataAddresses\[0\]: Invalid value: "169.254.169.254\/32"/],
    [{ metadataPort: 0 }, /metadataPort: Invalid value: 0: must be between 1 and 65535/],
    [{ namespaces: [] }, /namespaces: Invalid value: \[\]: must list at least one namespace/],
  ])('throws if the options are %j', (options, message) => {
    expect(() => ProbePlan.fromObjects(objects, options as any)).toThrow(message);
  });

  test('throws if the objects are not an array', () => {
    expect(() => ProbePlan.fromObjects('nope' as any)).toThrow(/objects must be an array/);
  });

  test('throws if an input object already has the name of the unlabelled probe pod', () => {
    const clash = { apiVersion: 'v1', kind: 'Pod', metadata: { name: UNLABELLED_PROBE_POD, namespace: 'shop' }, spec: { containers: [] } };
    expect(() => ProbePlan.fromObjects([...objects, clash])).toThrow(/has an object named shop\/netpol-probe-unlabelled/);
  });

  test('with no metadata addresses, no metadata probe is planned', () => {
    expect(ProbePlan.fromObjects(objects, { metadataAddresses: [] }).probes.some(p => p.kind === ProbeKind.METADATA)).toBe(false);
  });
});

describe('ProbePlan with representative sources', () => {
  const objects = shopObjects();
  const plan = ProbePlan.fromObjects(objects, { representatives: true });
  const representative = plan.probes.filter(p => p.kind === ProbeKind.REPRESENTATIVE_SOURCE);

  test('probes ingress-nginx -> frontend from a pod with the controller\'s labels, in a namespace the run creates named ingress-nginx', () => {
    const controller = '{app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx}';
    expect(representative.map(p => p.description)).toEqual([
      `ingress-nginx/${controller} -> shop/frontend TCP/8080`,
      'monitoring/{app.kubernetes.io/name=prometheus} -> shop/backend TCP/9090',
      'monitoring/{app.kubernetes.io/name=prometheus} -> shop/frontend TCP/9090',
      'monitoring/{app.kubernetes.io/name=prometheus} -> shop/postgres TCP/9187',
    ]);
    expect(representative[0]).toMatchObject({
      from: `ingress-nginx/${controller}`,
      sourceNamespace: 'ingress-nginx',
      sourceNamespaceLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx', [PROBE_LABEL]: 'true' },
      sourceLabels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' },
      expectAllowed: true,
    });
    // the verdict is the representative's own
    const model = ClusterModel.fromObjects(objects);
    for (const p of representative) {
      expect(model.allowed({ from: p.from, to: p.to, port: p.port, protocol: p.protocol }).allowed).toBe(p.expectAllowed);
    }
    // the default; representatives: false leaves them out
    expect(ProbePlan.fromObjects(objects).probes.filter(p => p.kind === ProbeKind.REPRESENTATIVE_SOURCE)).toEqual(representative);
    expect(ProbePlan.fromObjects(objects, { representatives: false }).probes.some(p => p.kind === ProbeKind.REPRESENTATIVE_SOURCE)).toBe(false);
  });

  test('a selector namespace runs in a namespace of the run, labelled as the selector requires; the manifests create it', () => {
    const objects2 = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 8080 }] }] } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'data' } }, podSelector: { matchLabels: { app: 'worker' } } }], ports: [{ port: 8080 }] }] },
      },
    ];
    const p = ProbePlan.fromObjects(objects2, { representatives: true }).probes.find(x => x.kind === ProbeKind.REPRESENTATIVE_SOURCE)!;
    expect(p).toMatchObject({
      from: '{team=data}/{app=worker}',
      to: 'shop/web',
      port: 8080,
      expectAllowed: true,
      sourceNamespace: 'netpol-probe-r1',
      sourceLabels: { app: 'worker' },
      sourceNamespaceLabels: { 'team': 'data', 'kubernetes.io/metadata.name': 'netpol-probe-r1', [PROBE_LABEL]: 'true' },
    });
    const manifests = ProbeManifests.render(ProbePlan.fromObjects(objects2, { representatives: true }), { runId: 'r1', addresses: { 'shop/web': '10.0.0.5' } });
    const ns = manifests.objects.find(o => o.kind === 'Namespace' && o.metadata.name === 'netpol-probe-r1');
    expect(ns.metadata.labels).toMatchObject({ team: 'data', [PROBE_LABEL]: 'true' });
    const job = manifests.objects.find(o => o.kind === 'Job' && o.metadata.namespace === 'netpol-probe-r1');
    expect(job.spec.template.metadata.labels).toMatchObject({ app: 'worker' });
  });
});
