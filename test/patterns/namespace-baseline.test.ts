import { Testing } from 'cdk8s';
import { AllowEgressTo, NamespaceBaseline, Peer, Port } from '../../src';
import { chartIn, synthPolicies, yamlOf } from '../util';

describe('NamespaceBaseline', () => {
  test('default deny both ways, DNS egress and the metadata guarantee', () => {
    const chart = chartIn('team-a');
    const baseline = new NamespaceBaseline(chart, 'Baseline');
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies.map(p => p.metadata.name)).toEqual(['baseline-default-deny', 'baseline-allow-dns']);
    expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policies[1].spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(baseline.blockMetadata.policy).toBeUndefined();
  });

  test('the guarantee holds for everything else in the namespace', () => {
    const chart = chartIn('team-a');
    new NamespaceBaseline(chart, 'Baseline');
    new AllowEgressTo(chart, 'Everything', { to: [Peer.anyIpv4()], ports: [Port.allTraffic()] });
    expect(() => Testing.synth(chart)).toThrow(/ipBlock 0\.0\.0\.0\/0 covers 169\.254\.169\.254\/32, 100\.100\.100\.200\/32 without excepting it/);
  });

  test('names, DNS options, internet access and no DNS', () => {
    const chart = chartIn();
    new NamespaceBaseline(chart, 'B', { name: 'zt', allowInternet: true, dns: { dnsNamespace: 'dns' } });
    new NamespaceBaseline(chart, 'C', { namespace: 'quiet', allowDns: false });
    const policies = synthPolicies(chart);
    expect(policies.map(p => `${p.metadata.namespace}/${p.metadata.name}`))
      .toEqual(['shop/zt-default-deny', 'shop/zt-allow-dns', 'shop/zt-block-metadata', 'quiet/c-default-deny']);
    expect(policies[1].spec.egress[0].to[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'dns' } });
  });
});
