/**
 * What the other jsii languages need of every object the library hands out: the jsii kernel
 * records each object it returns to Python, Java, C# or Go under two symbols of its own, with
 * `Object.defineProperty` (@jsii/kernel `objects.ts`, `tagObject`), and a frozen object refuses
 * that. So no instance the API returns may be frozen; values stay read-only all the same.
 */
import { App, Chart, Testing } from 'cdk8s';
import {
  ClusterModel, ClusterPeer, ClusterProfile, ConnectivityDiff, LabelExpression, LabelSelector, Linter, Peer, Policy, PolicySuggestion,
  Port, ProbePlan,
} from '../../src';
import { JSII_OBJID, isReadOnlyValue, jsiiTag } from '../fixtures/read-only';
import { SHOP_FLOWS, shopObjects } from '../suggest/shop-flows';

/** One instance of every kind the API returns, made the ways a user makes them. */
function returnedObjects(): Array<[string, object]> {
  const model = ClusterModel.fromObjects(shopObjects());
  const suggestion = PolicySuggestion.fromFlows(model, SHOP_FLOWS);
  const after = model._withPolicies(suggestion.toObjects());
  return [
    ['Peer.pods', Peer.pods({ app: 'web' })],
    ['Peer.namespace', Peer.namespace('shop')],
    ['Peer.ipBlock', Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16'])],
    ['Peer.anywhere', Peer.anywhere()],
    ['Port.tcp', Port.tcp(443)],
    ['Port.named', Port.named('metrics')],
    ['Port.allTraffic', Port.allTraffic()],
    ['Port.HTTP', Port.HTTP],
    ['LabelSelector.labels', LabelSelector.labels({ app: 'web' })],
    ['LabelSelector.all', LabelSelector.all()],
    ['LabelExpression.in', LabelExpression.in('tier', ['a', 'b'])],
    ['ClusterProfile.GKE', ClusterProfile.GKE],
    ['ClusterProfile.custom', ClusterProfile.custom({ name: 'mine', hostNetworkPodsIsolated: true })],
    ['ClusterPeer.networks', ClusterPeer.networks(['10.0.0.0/8'])],
    ['ClusterModel', model],
    ['Connectivity', model.connectivity()],
    ['ConnectivityDiff', ConnectivityDiff.betweenModels(model, after)],
    ['PolicySuggestion', suggestion],
    ['LintReport', Linter.lintObjects(shopObjects())],
    ['ProbePlan', ProbePlan.fromObjects([...shopObjects(), ...suggestion.toObjects()])],
  ];
}

describe('every object the API returns can be handed to another jsii language', () => {
  test.each(returnedObjects())('%s: the kernel can tag it, and it works the same afterwards', (_name, value) => {
    expect(Object.isExtensible(value)).toBe(true);
    expect(() => jsiiTag(value, 'cdk8s-netpol.X@10000')).not.toThrow();
    expect((value as any)[JSII_OBJID]).toBe('cdk8s-netpol.X@10000');
    // the tag is invisible to JSON, as the kernel makes it
    expect(JSON.stringify(value)).not.toContain('10000');
  });

  test('a tagged peer, port and selector render exactly as untagged ones', () => {
    const render = (tag: boolean) => {
      const peer = Peer.pods({ app: 'api' });
      const port = Port.tcp(8443);
      const selector = LabelSelector.labels({ app: 'web' });
      if (tag) [peer, port, selector].forEach((v, i) => jsiiTag(v, `x@${i}`));
      const chart = new Chart(new App(), 'c', { namespace: 'shop' });
      new Policy(chart, 'P', { podSelector: selector, ingress: [{ from: [peer], ports: [port] }] });
      return Testing.synth(chart);
    };
    expect(render(true)).toEqual(render(false));
    expect(render(true)[0].spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ protocol: 'TCP', port: 8443 }] }],
      policyTypes: ['Ingress'],
    });
  });
});

describe('values stay read-only although extensible', () => {
  const values = (): Array<[string, object]> => returnedObjects().filter(([name]) => /^(Peer|Port|LabelSelector|LabelExpression|ClusterProfile|ClusterPeer)\./.test(name));

  test.each(values())('%s: every field is fixed and its class prototype is frozen', (_name, value) => {
    expect(isReadOnlyValue(value)).toBe(true);
  });

  test('assigning a field or a method on a value throws, and changes nothing it renders', () => {
    const peer = Peer.pods({ app: 'web' });
    const port = Port.tcp(22);
    const selector = LabelSelector.labels({ app: 'web' });
    const profile = ClusterProfile.GKE;
    expect(() => { (peer as any).isAnywhere = true; }).toThrow(TypeError);
    expect(() => { (peer as any).toPeerConfig = () => undefined; }).toThrow(TypeError);
    expect(() => { (port as any).toString = () => '*'; }).toThrow(TypeError);
    expect(() => { (selector as any).isEmpty = () => true; }).toThrow(TypeError);
    expect(() => { (profile as any).isSystemNamespace = () => true; }).toThrow(TypeError);
    expect(() => { delete (selector as any).matchLabels; }).toThrow(TypeError);
    expect(() => { (Peer.prototype as any).toPeerConfig = () => undefined; }).toThrow(TypeError);
    expect(peer.toPeerConfig()).toEqual({ podSelector: { matchLabels: { app: 'web' } } });
    expect(port.toString()).toBe('TCP/22');
    expect(selector.isEmpty()).toBe(false);
    expect(profile.isSystemNamespace('shop')).toBe(false);
  });
});
