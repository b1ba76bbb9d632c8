import { App, Chart, Testing } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import { LabelSelector, Peer, Policy, Port } from '../../src';

/*
 * Interop with the oldest and the newest cdk8s-plus (installed side by side as dev
 * dependencies). `tsc -p tsconfig.dev.json` type-checks this file: each package's own classes
 * are passed to `Peer.fromPodSelector()` and `LabelSelector.fromPodSelector()`, which take the
 * structural `IPodSelectorSource`, so a cdk8s-plus-33 Deployment type-checks as well as a
 * cdk8s-plus-28 one (it did not when the parameter was cdk8s-plus-28's `IPodSelector`).
 */
const NAME = 'kubernetes.io/metadata.name';

function policyOf(chart: Chart): any {
  return Testing.synth(chart).find(o => o.kind === 'NetworkPolicy');
}

describe('cdk8s-plus interop |', () => {
  test('a cdk8s-plus-28 Deployment selects its pods and keeps its namespace', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'web' });
    const web: kplus28.Deployment = new kplus28.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const api: kplus28.Deployment = new kplus28.Deployment(chart, 'Api', { containers: [{ image: 'api', portNumber: 8080 }] });
    new Policy(chart, 'ApiFromWeb', {
      podSelector: LabelSelector.fromPodSelector(api),
      ingress: [{ from: [Peer.fromPodSelector(web)], ports: [Port.tcp(8080)] }],
    });
    const spec = policyOf(chart).spec;
    expect(spec.podSelector.matchLabels).toEqual(api.toPodSelectorConfig().labelSelector._toKube().matchLabels);
    expect(spec.ingress[0].from[0].podSelector.matchLabels).toEqual(web.toPodSelectorConfig().labelSelector._toKube().matchLabels);
    expect(spec.ingress[0].from[0].namespaceSelector).toEqual({ matchLabels: { [NAME]: 'web' } });
  });

  test('a cdk8s-plus-33 Deployment selects its pods and keeps its namespace', () => {
    const chart = new Chart(Testing.app(), 'web', { namespace: 'web' });
    const web: kplus33.Deployment = new kplus33.Deployment(chart, 'Web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    const api: kplus33.Deployment = new kplus33.Deployment(chart, 'Api', { containers: [{ image: 'api', portNumber: 8080 }] });
    new Policy(chart, 'ApiFromWeb', {
      podSelector: LabelSelector.fromPodSelector(api),
      ingress: [{ from: [Peer.fromPodSelector(web)], ports: [Port.tcp(8080)] }],
    });
    const spec = policyOf(chart).spec;
    expect(spec.podSelector.matchLabels).toEqual(api.toPodSelectorConfig().labelSelector._toKube().matchLabels);
    expect(spec.ingress[0].from[0].podSelector.matchLabels).toEqual(web.toPodSelectorConfig().labelSelector._toKube().matchLabels);
    expect(spec.ingress[0].from[0].namespaceSelector).toEqual({ matchLabels: { [NAME]: 'web' } });
  });

  test('a cdk8s-plus-33 Pods selection keeps its labels, expressions and namespace names', () => {
    const chart = new Chart(new App(), 'x');
    const pods = kplus33.Pods.select(chart, 'Pods', {
      labels: { app: 'api' },
      expressions: [kplus33.LabelExpression.in('tier', ['a', 'b'])],
      namespaces: kplus33.Namespaces.select(chart, 'Ns', { names: ['x', 'y'] }),
    });
    expect(Peer.fromPodSelector(pods).toPeerConfig()).toEqual({
      podSelector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
      namespaceSelector: { matchExpressions: [{ key: NAME, operator: 'In', values: ['x', 'y'] }] },
    });
  });

  test.each([
    ['cdk8s-plus-28', kplus28.StatefulSet as any],
    ['cdk8s-plus-33', kplus33.StatefulSet as any],
  ])('a %s StatefulSet gives the same selector as its pods carry', (_name, StatefulSet) => {
    const chart = new Chart(new App(), 'db', { namespace: 'db' });
    const db = new StatefulSet(chart, 'Db', { containers: [{ image: 'postgres', portNumber: 5432 }] });
    expect(LabelSelector.fromPodSelector(db).toSelectorConfig()).toEqual(db.toPodSelectorConfig().labelSelector._toKube());
  });

  test('throws if fromPodSelector is given something that is not a pod selector', () => {
    expect(() => Peer.fromPodSelector({} as any)).toThrow(/^\[Peer\.fromPodSelector\] selector: \{\}: must be a cdk8s-plus workload or pod selection .*, not an object$/);
    expect(() => LabelSelector.fromPodSelector(undefined as any)).toThrow(/^\[LabelSelector\.fromPodSelector\] selector: undefined: must be a cdk8s-plus workload .*, not undefined$/);
  });

  test('throws if the selector\'s labelSelector is not a cdk8s-plus LabelSelector', () => {
    const fake = { toPodSelectorConfig: () => ({ labelSelector: { isEmpty: () => false } }) };
    expect(() => Peer.fromPodSelector(fake)).toThrow(/labelSelector: .*: must be a LabelSelector of cdk8s-plus-28 \.\.\. cdk8s-plus-33/);
  });
});
