import { ApiObject, Chart, Testing } from 'cdk8s';
import { AllowEgressTo, BlockMetadata, LabelSelector, Peer, Policy, Port } from '../../src';
import { chartIn, synthPolicies, yamlOf } from '../util';

describe('BlockMetadata', () => {
  test('by default allows every address except the cloud metadata endpoints', () => {
    const chart = chartIn('shop');
    new BlockMetadata(chart, 'BlockMetadata');
    const policies = synthPolicies(chart);
    expect(yamlOf(policies)).toMatchSnapshot();
    expect(policies[0].metadata.name).toBe('block-metadata');
    expect(policies[0].spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [
          { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '100.100.100.200/32'] } },
          { ipBlock: { cidr: '::/0', except: ['fd00:ec2::254/128'] } },
        ],
      }],
    });
  });

  test('with allowInternet false emits nothing, and keeps the guarantee', () => {
    const chart = chartIn();
    const block = new BlockMetadata(chart, 'Guard', { allowInternet: false });
    expect(block.policy).toBeUndefined();
    expect(synthPolicies(chart)).toEqual([]);
    new Policy(chart, 'Open', { egress: [{ to: [Peer.anywhere()], ports: [Port.HTTP] }] });
    expect(() => Testing.synth(chart)).toThrow(/\[test\/Guard\] BlockMetadata: NetworkPolicy shop\/open \(test\/Open\) spec\.egress\[0\] has no `to`/);
  });

  test('names the policy and the rule whose ipBlock covers an endpoint without excepting it', () => {
    const chart = chartIn();
    new BlockMetadata(chart, 'Block');
    new AllowEgressTo(chart, 'LinkLocal', { to: [Peer.pods({ a: 'b' }), Peer.ipBlock('169.254.0.0/16')], ports: [Port.tcp(80)] });
    expect(() => Testing.synth(chart)).toThrow(
      'BlockMetadata: NetworkPolicy shop/link-local (test/LinkLocal) spec.egress[0].to[1] ipBlock 169.254.0.0/16 covers 169.254.169.254/32 without excepting it',
    );
  });

  test('accepts egress rules that except the endpoints, or do not cover them', () => {
    const chart = chartIn();
    new BlockMetadata(chart, 'Block');
    new AllowEgressTo(chart, 'Internet', { to: [Peer.anyIpv4(['169.254.169.254/32', '100.100.100.200/32'])], ports: [Port.HTTPS] });
    new AllowEgressTo(chart, 'Private', { to: [Peer.ipBlock('10.0.0.0/8'), Peer.allNamespaces()], ports: [Port.allTraffic()] });
    expect(synthPolicies(chart)).toHaveLength(3);
  });

  test('ignores policies in other namespaces, and ones whose pods cannot be the protected pods', () => {
    const chart = chartIn();
    new BlockMetadata(chart, 'Block', { podSelector: LabelSelector.labels({ sandbox: 'true' }) });
    new AllowEgressTo(chart, 'Elsewhere', { namespace: 'other', to: [Peer.anywhere()], ports: [Port.allTraffic()] });
    new AllowEgressTo(chart, 'Trusted', { podSelector: LabelSelector.labels({ sandbox: 'false' }), to: [Peer.anywhere()], ports: [Port.allTraffic()] });
    expect(synthPolicies(chart)).toHaveLength(3);
  });

  test('fails closed when selectors may overlap', () => {
    const chart = chartIn();
    new BlockMetadata(chart, 'Block', { podSelector: LabelSelector.labels({ sandbox: 'true' }) });
    new AllowEgressTo(chart, 'Web', { podSelector: LabelSelector.labels({ app: 'web' }), to: [Peer.anywhere()], ports: [Port.allTraffic()] });
    expect(() => Testing.synth(chart)).toThrow(/NetworkPolicy shop\/web .* has no `to`/);
  });

  test('checks raw ApiObjects and other charts of the app too', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'shop' });
    new BlockMetadata(a, 'Block');
    new ApiObject(b, 'raw', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'raw-open' },
      spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '100.64.0.0/10' } }] }] },
    });
    expect(() => app.synth()).toThrow(/NetworkPolicy shop\/raw-open \(b\/raw\) spec\.egress\[0\]\.to\[0\] ipBlock 100\.64\.0\.0\/10 covers 100\.100\.100\.200\/32/);
  });

  test('ingress-only policies cannot leak', () => {
    const chart = chartIn();
    new BlockMetadata(chart, 'Block');
    new Policy(chart, 'In', { ingress: [{ from: [Peer.anywhere()], ports: [Port.allTraffic()] }] });
    expect(synthPolicies(chart)).toHaveLength(2);
  });

  test('fails on an empty list of addresses', () => {
    expect(() => new BlockMetadata(chartIn(), 'B', { addresses: [] })).toThrow(/\[test\/B\] addresses is empty/);
  });
});
