import { DefaultDenyChart } from '../../examples/charts/default-deny';
import { Protocol } from '../../src';
import { registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';
import { policyNamed, synthPolicies, yamlOf } from '../util';
import { exampleChart, expectListedFlowsAllowed, worldOf } from './cluster';

registerNetpolMatchers();
registerConnectivitySnapshotMatcher();

describe('default deny example', () => {
  test('one rule-less policy per namespace, isolating the directions it names', () => {
    const policies = synthPolicies(exampleChart(DefaultDenyChart));
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      'deny-ingress/deny-ingress', 'deny-egress/deny-egress', 'deny-all/deny-all',
    ]);
    expect(policyNamed(policies, 'deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(policyNamed(policies, 'deny-egress').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'] });
    expect(policyNamed(policies, 'deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  const world = worldOf(exampleChart(DefaultDenyChart), [
    { ns: 'deny-ingress', name: 'web' }, { ns: 'deny-ingress', name: 'api' },
    { ns: 'deny-egress', name: 'web' }, { ns: 'deny-egress', name: 'api' },
    { ns: 'deny-all', name: 'web' }, { ns: 'deny-all', name: 'api' },
  ]);

  test('pins who can reach whom, on every port (the flow list of netpol list)', () => {
    expect(world).toMatchConnectivitySnapshot();
    expectListedFlowsAllowed(world);
  });

  test('deny-ingress: nothing gets in, even from the same namespace; everything gets out', () => {
    expect(world).toDenyTraffic({ from: 'elsewhere/outsider', to: 'deny-ingress/web', port: 80 });
    expect(world).toDenyTraffic({ from: 'deny-ingress/api', to: 'deny-ingress/web', port: 80 });
    expect(world).toAllowTraffic({ from: 'deny-ingress/web', to: 'elsewhere/outsider', port: 8080 });
    expect(world).toAllowTraffic({ from: 'deny-ingress/web', to: '8.8.8.8', port: 443 });
  });

  test('deny-egress: nothing gets out, not even DNS; everything gets in', () => {
    expect(world).toDenyTraffic({ from: 'deny-egress/web', to: 'elsewhere/outsider', port: 8080 });
    expect(world).toDenyTraffic({ from: 'deny-egress/web', to: 'deny-egress/api', port: 80 });
    expect(world).toDenyTraffic({ from: 'deny-egress/web', to: 'kube-system/coredns', port: 53, protocol: Protocol.UDP });
    expect(world).toAllowTraffic({ from: 'elsewhere/outsider', to: 'deny-egress/web', port: 80 });
  });

  test('deny-all: nothing in, nothing out', () => {
    expect(world).toDenyTraffic({ from: 'elsewhere/outsider', to: 'deny-all/web', port: 80 });
    expect(world).toDenyTraffic({ from: 'deny-all/web', to: 'elsewhere/outsider', port: 8080 });
    expect(world).toDenyTraffic({ from: 'deny-all/web', to: 'deny-all/api', port: 80 });
  });
});
