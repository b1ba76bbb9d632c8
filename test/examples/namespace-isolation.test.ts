import { NamespaceIsolationChart } from '../../examples/charts/namespace-isolation';
import { Protocol } from '../../src';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, INTERNET, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

describe('namespace isolation example', () => {
  test('SameNamespaceOnly for the sandbox; a default deny plus AllowSameNamespace for team-a', () => {
    const policies = synthPolicies(exampleChart(NamespaceIsolationChart));
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'sandbox/sandbox', 'team-a/team-a-deny-ingress', 'team-a/team-a-allow-same-namespace',
    ]);

    const sandbox = policyNamed(policies, 'sandbox').spec;
    expect(sandbox.podSelector).toEqual({});
    expect(sandbox.policyTypes).toEqual(['Ingress', 'Egress']);
    // `podSelector: {}` as the peer: every pod of the policy's own namespace, every port.
    expect(sandbox.ingress).toEqual([{ from: [{ podSelector: {} }] }]);
    expect(sandbox.egress[0]).toEqual({ to: [{ podSelector: {} }] });
    expect(sandbox.egress[1].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(sandbox.egress).toHaveLength(2);

    expect(policyNamed(policies, 'team-a-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(policyNamed(policies, 'team-a-allow-same-namespace').spec).toEqual({
      podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }],
    });
  });

  const world = worldOf(exampleChart(NamespaceIsolationChart), [
    { ns: 'sandbox', name: 'a' }, { ns: 'sandbox', name: 'b' },
    { ns: 'team-a', name: 'x' }, { ns: 'team-a', name: 'y' },
  ]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('the sandbox talks to itself on any port, and to cluster DNS; nothing else in or out', () => {
    expect(world).toAllowTraffic({ from: 'sandbox/a', to: 'sandbox/b', port: 80 });
    expect(world).toAllowTraffic({ from: 'sandbox/a', to: 'sandbox/b', port: 5000, protocol: Protocol.UDP });
    expect(world).toAllowTraffic({ from: 'sandbox/a', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
    expect(world).toDenyTraffic({ from: 'sandbox/a', to: 'elsewhere/outsider', port: 8080 });
    expect(world).toDenyTraffic({ from: 'sandbox/a', to: 'team-a/x', port: 80 });
    expect(world).toDenyTraffic({ from: 'sandbox/a', to: INTERNET, port: 443 });
    expect(world).toDenyTraffic({ from: 'elsewhere/outsider', to: 'sandbox/a', port: 80 });
  });

  test('team-a accepts only itself, and its egress stays open', () => {
    expect(world).toAllowTraffic({ from: 'team-a/x', to: 'team-a/y', port: 80 });
    expect(world).toDenyTraffic({ from: 'elsewhere/outsider', to: 'team-a/x', port: 80 });
    expect(world).toDenyTraffic({ from: 'ingress-nginx/controller', to: 'team-a/x', port: 80 });
    expect(world).toAllowTraffic({ from: 'team-a/x', to: 'elsewhere/outsider', port: 8080 });
    expect(world).toAllowTraffic({ from: 'team-a/x', to: INTERNET, port: 443 });
  });
});
