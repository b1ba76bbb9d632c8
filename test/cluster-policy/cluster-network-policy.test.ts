import { Testing } from 'cdk8s';
import { ClusterModel } from '../../src/analysis/cluster-model';
import { ClusterNetworkPolicy, ClusterRuleAction, ClusterTier } from '../../src/cluster-policy/cluster-network-policy';
import { ClusterPeer } from '../../src/cluster-policy/cluster-peer';
import { LabelSelector } from '../../src/label-selector';
import { Port } from '../../src/port';
import { ClusterNetworkPolicyValidator, CrdChannel } from '../../src/validation/cluster-network-policy-validator';
import { NetworkPolicyValidator } from '../../src/validation/network-policy-validator';
import { namespace, pod, policy } from '../fixtures/manifests';
import { isReadOnlyValue } from '../fixtures/read-only';
import { chartIn } from '../util';

/** The ClusterNetworkPolicy objects of a chart, each checked with the loader's validator of its channel. */
function synthCnps(chart: any, channel = CrdChannel.STANDARD): any[] {
  const objects = Testing.synth(chart).filter((o: any) => o.kind === 'ClusterNetworkPolicy');
  for (const o of objects) {
    const result = ClusterNetworkPolicyValidator.validate(o, { channel });
    expect([...result.errors.map(NetworkPolicyValidator.formatError), ...result.warnings.map(NetworkPolicyValidator.formatWarning)]).toEqual([]);
  }
  return objects;
}

describe('ClusterNetworkPolicy |', () => {
  test('renders a cluster-scoped v1alpha2 object: tier, priority, subject, ordered rules, ports as protocols', () => {
    const chart = chartIn('shop');
    new ClusterNetworkPolicy(chart, 'Guard', {
      tier: ClusterTier.ADMIN,
      priority: 10,
      subject: ClusterPeer.allNamespaces(),
      egress: [
        { name: 'dns', action: ClusterRuleAction.ACCEPT, peers: [ClusterPeer.pods(LabelSelector.labels({ 'k8s-app': 'kube-dns' }), LabelSelector.labels({ 'kubernetes.io/metadata.name': 'kube-system' }))], ports: [Port.DNS_UDP, Port.DNS_TCP] },
        { name: 'metadata', action: ClusterRuleAction.DENY, peers: [ClusterPeer.networks(['169.254.169.254/32'])], ports: [Port.allTraffic()] },
        { action: ClusterRuleAction.PASS, peers: [ClusterPeer.allNamespaces()], ports: [Port.allTcp(), Port.udpRange(1000, 1000)], namedPorts: ['http'] },
      ],
    });
    const [cnp] = synthCnps(chart);
    expect(cnp.apiVersion).toBe('policy.networking.k8s.io/v1alpha2');
    expect(cnp.metadata).toEqual({ name: 'guard' }); // no namespace: cluster-scoped
    expect(cnp.spec.tier).toBe('Admin');
    expect(cnp.spec.subject).toEqual({ namespaces: {} });
    expect(cnp.spec.egress.map((r: any) => r.name)).toEqual(['dns', 'metadata', undefined]);
    expect(cnp.spec.egress[0].protocols).toEqual([{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }]);
    expect(cnp.spec.egress[1].protocols).toBeUndefined();
    expect(cnp.spec.egress[2].protocols).toEqual([
      { tcp: { destinationPort: { range: { start: 1, end: 65535 } } } },
      { udp: { destinationPort: { number: 1000 } } },
      { destinationNamedPort: 'http' },
    ]);
  });

  test('its meaning, checked by the engine: the Admin Deny of metadata holds even for a pod whose NetworkPolicies allow it', () => {
    const chart = chartIn('shop');
    new ClusterNetworkPolicy(chart, 'Guard', {
      tier: ClusterTier.ADMIN,
      priority: 0,
      subject: ClusterPeer.allNamespaces(),
      egress: [{ action: ClusterRuleAction.DENY, peers: [ClusterPeer.networks(['169.254.169.254/32'])], ports: [Port.allTraffic()] }],
    });
    const model = ClusterModel.fromObjects([...Testing.synth(chart), namespace('shop'), pod('shop', 'web', { app: 'web' }),
      policy('shop', 'egress-anywhere', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] })]);
    expect(model.isAllowed('shop/web', '169.254.169.254', 80)).toBe(false);
    expect(model.isAllowed('shop/web', '169.254.169.253', 80)).toBe(true);
  });

  test('experimental peers need the explicit opt-in, then validate against the experimental CRD', () => {
    const chart = chartIn('shop');
    expect(() => new ClusterNetworkPolicy(chart, 'Nodes', {
      tier: ClusterTier.ADMIN,
      priority: 1,
      subject: ClusterPeer.allNamespaces(),
      egress: [{ action: ClusterRuleAction.ACCEPT, peers: [ClusterPeer.nodes(LabelSelector.all())], ports: [Port.allTraffic()] }],
    })).toThrow(/nodes exists only in the experimental channel's CRD: set `experimental: true`/);
    new ClusterNetworkPolicy(chart, 'Domains', {
      tier: ClusterTier.ADMIN,
      priority: 1,
      subject: ClusterPeer.allNamespaces(),
      experimental: true,
      egress: [{ action: ClusterRuleAction.ACCEPT, peers: [ClusterPeer.domainNames(['*.example.com'])], ports: [Port.HTTPS] }],
    });
    expect(synthCnps(chart, CrdChannel.EXPERIMENTAL)).toHaveLength(1);
  });

  test('fails closed with clear errors, like Policy', () => {
    const chart = chartIn('shop');
    const base = { tier: ClusterTier.ADMIN, priority: 1, subject: ClusterPeer.allNamespaces() };
    expect(() => new ClusterNetworkPolicy(chart, 'P1', { ...base, priority: 1001 })).toThrow('[test/P1] priority: 1001: must be from 0 to 1000');
    expect(() => new ClusterNetworkPolicy(chart, 'P2', { ...base, tier: 'admin' as any })).toThrow(/\[test\/P2\] tier: "admin"/);
    expect(() => new ClusterNetworkPolicy(chart, 'P3', { ...base, subject: ClusterPeer.networks(['10.0.0.0/8']) })).toThrow(/a subject selects pods/);
    expect(() => new ClusterNetworkPolicy(chart, 'P4', { ...base, egress: [{ action: ClusterRuleAction.DENY, peers: [], ports: [Port.allTraffic()] }] }))
      .toThrow(/never read as "anywhere"/);
    expect(() => new ClusterNetworkPolicy(chart, 'P5', { ...base, egress: [{ action: ClusterRuleAction.DENY, peers: [ClusterPeer.allNamespaces()], ports: [] }] }))
      .toThrow(/never read as "all ports"/);
    expect(() => new ClusterNetworkPolicy(chart, 'P6', { ...base, ingress: [{ action: ClusterRuleAction.DENY, peers: [ClusterPeer.networks(['0.0.0.0/0'])], ports: [Port.allTraffic()] }] }))
      .toThrow(/networks peers are egress only/);
    expect(() => new ClusterNetworkPolicy(chart, 'P7', { ...base, egress: [{ action: ClusterRuleAction.DENY, peers: [ClusterPeer.allNamespaces()], ports: [Port.named('http')] }] }))
      .toThrow(/move the name to namedPorts/);
    expect(() => new ClusterNetworkPolicy(chart, 'P8', { ...base, egress: [{ action: ClusterRuleAction.DENY, peers: [ClusterPeer.networks(['10.0.0.1'])], ports: [Port.allTraffic()] }] }))
      .toThrow(/spec.egress\[0\].to\[0\].networks\[0\]: Invalid value: "10.0.0.1": Invalid CIDR format provided/);
    expect(() => new ClusterNetworkPolicy(chart, 'P9', { ...base, bogus: 1 } as any)).toThrow(/bogus/);
    expect(() => ClusterPeer.networks([])).toThrow(/never read as "everywhere"/);
    // nothing half-built is left behind
    expect(chart.node.children.map(c => c.node.id)).toEqual([]);
  });

  test('a rule added later that the CRD rejects leaves the policy as it was', () => {
    const chart = chartIn('shop');
    const p = new ClusterNetworkPolicy(chart, 'Guard', { tier: ClusterTier.BASELINE, priority: 5, subject: ClusterPeer.allNamespaces() });
    for (let i = 0; i < 25; i++) p.addIngress({ action: ClusterRuleAction.DENY, peers: [ClusterPeer.allNamespaces()], ports: [Port.tcp(1000 + i)] });
    expect(() => p.addIngress({ action: ClusterRuleAction.DENY, peers: [ClusterPeer.allNamespaces()], ports: [Port.tcp(2)] })).toThrow(/spec.ingress: Too many: 26: must have at most 25 items/);
    expect(synthCnps(chart)[0].spec.ingress).toHaveLength(25);
  });

  test('values are frozen', () => {
    const peer = ClusterPeer.networks(['10.0.0.0/8']);
    expect(isReadOnlyValue(peer)).toBe(true);
    expect(Object.isFrozen(peer._config().networks)).toBe(true);
  });
});
