import { AllowDns, BlockMetadata, LabelExpression, LabelSelector, Peer, Policy, Port, Protocol } from '../src';
import { chartIn } from './util';

/**
 * Every class of bad input fails when it is given, with the construct path, the field, the
 * quoted value and what would be valid; nothing invalid ever reaches YAML.
 */
function ingressError(peer: Peer, port: Port = Port.tcp(80)): () => void {
  return () => new Policy(chartIn(), 'P', { ingress: [{ from: [peer], ports: [port] }] });
}

function portError(port: Port): () => void {
  return ingressError(Peer.pods({ app: 'a' }), port);
}

describe('bad input fails at construction with a clear error', () => {
  describe('CIDRs', () => {
    test.each([
      ['no mask', '10.0.0.1', /\[test\/P\] spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: Invalid value: "10\.0\.0\.1": /],
      ['octet above 255', '10.0.0.256/32', /spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: Invalid value: "10\.0\.0\.256\/32": /],
      ['bits set beyond the prefix', '10.0.0.1/8', /spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: Invalid value: "10\.0\.0\.1\/8": .*10\.0\.0\.0\/8/],
      ['prefix too long', '10.0.0.0/33', /ipBlock\.cidr: Invalid value: "10\.0\.0\.0\/33"/],
      ['leading zeros', '010.0.0.0/8', /ipBlock\.cidr: Invalid value: "010\.0\.0\.0\/8"/],
      ['not an address', 'example.com/24', /ipBlock\.cidr: Invalid value: "example\.com\/24"/],
      ['bad IPv6', '2001:db8::g/64', /ipBlock\.cidr: Invalid value: "2001:db8::g\/64"/],
    ])('%s', (_what, cidr, message) => {
      expect(ingressError(Peer.ipBlock(cidr))).toThrow(message);
    });

    test.each([
      ['outside the CIDR', '10.0.0.0/8', '11.0.0.0/16', /ipBlock\.except\[0\]: Invalid value: "11\.0\.0\.0\/16": /],
      ['equal to the CIDR (not strictly inside)', '10.0.0.0/8', '10.0.0.0/8', /ipBlock\.except\[0\]: Invalid value: "10\.0\.0\.0\/8": /],
      ['of the other IP family', '10.0.0.0/8', 'fd00::/64', /ipBlock\.except\[0\]: Invalid value: "fd00::\/64": /],
      ['wider than the CIDR', '10.1.0.0/16', '10.0.0.0/8', /ipBlock\.except\[0\]: Invalid value: "10\.0\.0\.0\/8": /],
    ])('except %s', (_what, cidr, except, message) => {
      expect(ingressError(Peer.ipBlock(cidr, [except]))).toThrow(message);
    });
  });

  describe('ports', () => {
    test.each([
      ['port 0', Port.tcp(0), /\[test\/P\] spec\.ingress\[0\]\.ports\[0\]\.port: Invalid value: 0: .*between 1 and 65535/],
      ['port above 65535', Port.udp(65536), /ports\[0\]\.port: Invalid value: 65536: .*between 1 and 65535/],
      ['negative port', Port.sctp(-1), /ports\[0\]\.port: Invalid value: -1: /],
      ['endPort below port', Port.tcpRange(2000, 1000), /ports\[0\]\.endPort: Invalid value: 1000: must be greater than or equal to `port`/],
      ['endPort above 65535', Port.tcpRange(1000, 70000), /ports\[0\]\.endPort: Invalid value: 70000: /],
      ['endPort with a named port', Port.of({ name: 'http', endPort: 90 }), /ports\[0\]\.endPort: (Invalid value|Forbidden)/],
      ['named port that is not an IANA_SVC_NAME', Port.named('Http_Port'), /ports\[0\]\.port: Invalid value: "Http_Port": /],
      ['named port longer than 15 characters', Port.named('a-very-long-port-name'), /ports\[0\]\.port: Invalid value: "a-very-long-port-name": .*15/],
      ['quoted number as a name', Port.named('80'), /ports\[0\]\.port: Invalid value: "80": .*letter/],
      ['protocol other than TCP, UDP, SCTP', Port.of({ protocol: 'HTTP' as Protocol, port: 80 }), /ports\[0\]\.protocol: Unsupported value: "HTTP": supported values: "TCP", "UDP", "SCTP"/],
      ['lower-case protocol', Port.of({ protocol: 'tcp' as Protocol, port: 80 }), /ports\[0\]\.protocol: Unsupported value: "tcp"/],
    ])('%s', (_what, port, message) => {
      expect(portError(port)).toThrow(message);
    });
  });

  describe('labels and selectors', () => {
    test('invalid label key in a peer', () => {
      expect(ingressError(Peer.pods({ 'bad key!': 'x' }))).toThrow(/spec\.ingress\[0\]\.from\[0\]\.podSelector\.matchLabels: Invalid value: "bad key!": /);
    });

    test('invalid label value in a peer', () => {
      expect(ingressError(Peer.namespaces({ team: 'not valid' }))).toThrow(/spec\.ingress\[0\]\.from\[0\]\.namespaceSelector\.matchLabels: Invalid value: "not valid": /);
    });

    test('invalid label key in the pod selector', () => {
      expect(() => new Policy(chartIn(), 'P', { podSelector: LabelSelector.labels({ '-app': 'web' }) }))
        .toThrow(/\[test\/P\] spec\.podSelector\.matchLabels: Invalid value: "-app": /);
    });

    test('In without values', () => {
      expect(ingressError(Peer.podsMatching(LabelSelector.of({ expressions: [LabelExpression.in('app', [])] }))))
        .toThrow(/spec\.ingress\[0\]\.from\[0\]\.podSelector\.matchExpressions\[0\]\.values: Required value/);
    });

    test('a namespace name that no namespace can have', () => {
      expect(() => Peer.namespace('Not_A_Namespace!')).toThrow(/^\[Peer\.namespace\] name: "Not_A_Namespace!": is not a namespace name, so no namespace can have it/);
      expect(() => Peer.namespace('Ingress_Nginx')).toThrow(/Namespace names are DNS-1123 labels/);
    });
  });

  describe('names', () => {
    test('namespace that is not a DNS-1123 label', () => {
      expect(() => new Policy(chartIn('Shop'), 'P')).toThrow(/\[test\/P\] metadata\.namespace: Invalid value: "Shop": /);
      expect(() => new Policy(chartIn(), 'P', { namespace: 'a.b' })).toThrow(/metadata\.namespace: Invalid value: "a\.b": /);
    });

    test('policy name that is not a DNS-1123 subdomain', () => {
      expect(() => new Policy(chartIn(), 'P', { name: 'Allow_All' })).toThrow(/\[test\/P\] metadata\.name: Invalid value: "Allow_All": /);
    });
  });

  describe('pattern constructs check their input too', () => {
    test('AllowDns with a NodeLocal DNSCache address without a mask', () => {
      expect(() => new AllowDns(chartIn(), 'Dns', { nodeLocalDnsCidr: '169.254.20.10' }))
        .toThrow(/\[test\/Dns\] spec\.egress\[0\]\.to\[1\]\.ipBlock\.cidr: Invalid value: "169\.254\.20\.10": /);
    });

    test('BlockMetadata with an invalid address', () => {
      expect(() => new BlockMetadata(chartIn(), 'Meta', { addresses: ['169.254.169.254'] }))
        .toThrow(/\[test\/Meta\] addresses\[0\]: Invalid value: "169\.254\.169\.254": /);
    });
  });
});

describe('metadata', () => {
  test('invalid labels and annotations of the policy object', () => {
    expect(() => new Policy(chartIn(), 'P', { labels: { 'a/b/c': 'x' } })).toThrow(/\[test\/P\] metadata\.labels: Invalid value: "a\/b\/c": /);
    expect(() => new Policy(chartIn(), 'P', { labels: { owner: 'team a' } })).toThrow(/metadata\.labels: Invalid value: "team a": /);
    expect(() => new Policy(chartIn(), 'P', { annotations: { 'bad key': 'x' } })).toThrow(/metadata\.annotations: Invalid value: "bad key": /);
  });
});
