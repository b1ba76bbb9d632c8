import * as fc from 'fast-check';
import * as ipaddr from 'ipaddr.js';
import { ErrorType } from '../../src/validation/field-error';
import { NetworkPolicyValidator } from '../../src/validation/network-policy-validator';

/*
 * Property tests: random policies built only from valid parts always pass with
 * no errors and no warnings; the same policies with exactly one rule broken fail
 * on exactly the broken field, with the error type the API server reports.
 *
 * The generators follow the rules (DNS-1123, label syntax, IANA port names, CIDR
 * arithmetic), written independently of the implementation.
 */

const NUM_RUNS = 300;

// --- names and labels
const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);
const subdomain = fc.array(dnsLabel, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const labelName = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/);
const labelKey = fc.tuple(fc.option(subdomain, { nil: undefined }), labelName)
  .map(([prefix, name]) => (prefix ? `${prefix}/${name}` : name));
const labelValue = fc.oneof(fc.constant(''), labelName);
const portName = fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,6})?$/);

// --- selectors
const requirement = fc.oneof(
  fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn'), values: fc.array(labelValue, { minLength: 1, maxLength: 3 }) }),
  fc.record({ key: labelKey, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const selector = fc.record({
  matchLabels: fc.dictionary(labelKey, labelValue, { maxKeys: 3 }),
  matchExpressions: fc.array(requirement, { maxLength: 2 }),
}, { requiredKeys: [] });

// --- ports
const protocol = fc.option(fc.constantFrom('TCP', 'UDP', 'SCTP'), { nil: undefined });
const numericPort = fc.integer({ min: 1, max: 65535 }).chain((port) => fc.record({
  protocol,
  port: fc.constant(port),
  endPort: fc.option(fc.integer({ min: port, max: 65535 }), { nil: undefined }),
}, { requiredKeys: ['port'] }));
const namedPort = fc.record({ protocol, port: portName }, { requiredKeys: ['port'] });
const protocolOnly = fc.record({ protocol }, { requiredKeys: [] });
const port = fc.oneof(numericPort, namedPort, protocolOnly);

// --- CIDRs (canonical, no host bits) and strict subsets of them
// (address arithmetic with powers of two: the lint rules forbid bitwise operators)
const pow2 = (n: number) => 2n ** BigInt(n);
/** The network of `bits` with a prefix of `prefix` out of `width` bits. */
const network = (bits: bigint, prefix: number, width: number) => bits - (bits % pow2(width - prefix));

function v4(bits: bigint, prefix: number): string {
  const net = network(bits, prefix, 32);
  const bytes = [3, 2, 1, 0].map((i) => Number((net / pow2(8 * i)) % 256n));
  return `${bytes.join('.')}/${prefix}`;
}
function v6(bits: bigint, prefix: number): string {
  const net = network(bits, prefix, 128);
  const bytes = Array.from({ length: 16 }, (_, i) => Number((net / pow2(8 * (15 - i))) % 256n));
  return `${new ipaddr.IPv6(bytes).toRFC5952String()}/${prefix}`;
}
const bigBits = (n: number) => fc.bigInt({ min: 0n, max: pow2(n) - 1n });
/** A random CIDR family member and strict subsets of it. */
const block = (width: number, format: (bits: bigint, prefix: number) => string) =>
  fc.tuple(bigBits(width), fc.integer({ min: 0, max: width - 1 })).chain(([bits, prefix]) => fc.record({
    cidr: fc.constant(format(bits, prefix)),
    // an except keeps the cidr's leading bits and has a longer prefix
    except: fc.array(fc.tuple(bigBits(width), fc.integer({ min: prefix + 1, max: width })).map(([low, p]) =>
      format(network(bits, prefix, width) + (low % pow2(width - prefix)), p)), { maxLength: 2 }),
  }, { requiredKeys: ['cidr'] }));
/**
 * Whether a CIDR's address is IPv4-mapped IPv6 (`::ffff:0:0/96`): the API server reads it as IPv4
 * (Go's `To4()`), so it is never inside an IPv6 cidr, and the validator refuses it.
 */
const v4Mapped = (cidr: string) => cidr.includes(':') && ipaddr.IPv6.parse(cidr.split('/')[0]).isIPv4MappedAddress();
const ipBlockArb = fc.oneof(block(32, v4), block(128, v6).filter(b => ![b.cidr, ...(b.except ?? [])].some(v4Mapped)));

// --- peers: a selector or two, or an ipBlock alone
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
  fc.record({ ipBlock: ipBlockArb }),
);
const rule = (peers: 'from' | 'to') => fc.record({
  ports: fc.array(port, { maxLength: 3 }),
  [peers]: fc.array(peer, { maxLength: 3 }),
}, { requiredKeys: [] });

/** A valid policy whose policyTypes lists every direction that has rules. */
const validPolicy = fc.record({
  name: subdomain,
  namespace: dnsLabel,
  podSelector: selector,
  ingress: fc.option(fc.array(rule('from'), { maxLength: 3 }), { nil: undefined }),
  egress: fc.option(fc.array(rule('to'), { maxLength: 3 }), { nil: undefined }),
  explicitTypes: fc.boolean(),
}).map(({ name, namespace, podSelector, ingress, egress, explicitTypes }) => {
  const spec: any = { podSelector };
  if (ingress !== undefined) spec.ingress = ingress;
  if (egress !== undefined) spec.egress = egress;
  if (explicitTypes || (ingress && ingress.length > 0 && egress && egress.length === 0)) {
    // list Ingress always (as the default does) and Egress when there is egress
    spec.policyTypes = egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
});

// --- single mutations, each breaking one rule at a known field
interface Mutation {
  readonly name: string;
  /** Breaks the policy (a deep copy) and returns the field and error type expected. */
  readonly apply: (p: any, n: number) => [string, ErrorType];
}

/** Appends an ingress rule and returns its path (the policy then lists Ingress: see validPolicy). */
function addIngress(p: any, r: any): string {
  p.spec.ingress = p.spec.ingress ?? [];
  p.spec.ingress.push(r);
  return `spec.ingress[${p.spec.ingress.length - 1}]`;
}
function addEgress(p: any, r: any): string {
  p.spec.egress = p.spec.egress ?? [];
  p.spec.egress.push(r);
  if (Array.isArray(p.spec.policyTypes) && !p.spec.policyTypes.includes('Egress')) p.spec.policyTypes.push('Egress');
  return `spec.egress[${p.spec.egress.length - 1}]`;
}

const mutations: Mutation[] = [
  { name: 'uppercase name', apply: (p) => { p.metadata.name = `X${p.metadata.name}`; return ['metadata.name', ErrorType.INVALID]; } },
  { name: 'missing name', apply: (p) => { delete p.metadata.name; return ['metadata.name', ErrorType.REQUIRED]; } },
  { name: 'namespace with a dot', apply: (p) => { p.metadata.namespace = `${p.metadata.namespace}.x`; return ['metadata.namespace', ErrorType.INVALID]; } },
  { name: 'port out of range', apply: (p, n) => [`${addIngress(p, { ports: [{ port: n % 2 === 0 ? 0 : 65536 + n }] })}.ports[0].port`, ErrorType.INVALID] },
  { name: 'quoted port number', apply: (p, n) => [`${addIngress(p, { ports: [{ port: String(1 + (n % 65535)) }] })}.ports[0].port`, ErrorType.INVALID] },
  { name: 'endPort below port', apply: (p, n) => [`${addEgress(p, { ports: [{ port: 2 + (n % 60000), endPort: 1 + (n % 60000) }] })}.ports[0].endPort`, ErrorType.INVALID] },
  { name: 'endPort with a named port', apply: (p) => [`${addIngress(p, { ports: [{ port: 'http', endPort: 90 }] })}.ports[0].endPort`, ErrorType.INVALID] },
  { name: 'lowercase protocol', apply: (p) => [`${addIngress(p, { ports: [{ protocol: 'udp', port: 53 }] })}.ports[0].protocol`, ErrorType.UNSUPPORTED] },
  { name: 'empty peer', apply: (p) => [`${addEgress(p, { to: [{}] })}.to[0]`, ErrorType.REQUIRED] },
  { name: 'ipBlock with a selector', apply: (p) => [`${addIngress(p, { from: [{ ipBlock: { cidr: '10.0.0.0/8' }, namespaceSelector: {} }] })}.from[0]`, ErrorType.FORBIDDEN] },
  { name: 'host bits set', apply: (p, n) => [`${addIngress(p, { from: [{ ipBlock: { cidr: `10.0.0.${1 + (n % 254)}/24` } }] })}.from[0].ipBlock.cidr`, ErrorType.INVALID] },
  { name: 'except outside cidr', apply: (p) => [`${addEgress(p, { to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] })}.to[0].ipBlock.except[0]`, ErrorType.INVALID] },
  { name: 'missing cidr', apply: (p) => [`${addEgress(p, { to: [{ ipBlock: { except: ['10.1.0.0/24'] } }] })}.to[0].ipBlock.cidr`, ErrorType.REQUIRED] },
  { name: 'bad selector key', apply: (p) => { p.spec.podSelector = { ...p.spec.podSelector, matchLabels: { ...p.spec.podSelector.matchLabels, 'bad key!': 'x' } }; return ['spec.podSelector.matchLabels', ErrorType.INVALID]; } },
  { name: 'bad selector value', apply: (p) => { p.spec.podSelector = { ...p.spec.podSelector, matchLabels: { ...p.spec.podSelector.matchLabels, 'zz-mutated': 'not valid' } }; return ['spec.podSelector.matchLabels', ErrorType.INVALID]; } },
  {
    name: 'In without values',
    apply: (p) => {
      const exprs = [...(p.spec.podSelector.matchExpressions ?? []), { key: 'app', operator: 'In', values: [] }];
      p.spec.podSelector = { ...p.spec.podSelector, matchExpressions: exprs };
      return [`spec.podSelector.matchExpressions[${exprs.length - 1}].values`, ErrorType.REQUIRED];
    },
  },
  {
    name: 'unknown operator',
    apply: (p) => {
      const exprs = [...(p.spec.podSelector.matchExpressions ?? []), { key: 'app', operator: 'Equals', values: ['x'] }];
      p.spec.podSelector = { ...p.spec.podSelector, matchExpressions: exprs };
      return [`spec.podSelector.matchExpressions[${exprs.length - 1}].operator`, ErrorType.INVALID];
    },
  },
  { name: 'unsupported policy type', apply: (p) => { p.spec.policyTypes = ['Ingress', 'egress']; return ['spec.policyTypes[1]', ErrorType.UNSUPPORTED]; } },
  { name: 'three policy types', apply: (p) => { p.spec.policyTypes = ['Ingress', 'Egress', 'Ingress']; return ['spec.policyTypes', ErrorType.INVALID]; } },
];

describe('NetworkPolicyValidator | properties', () => {
  test('random valid policies pass with no errors and no warnings', () => {
    fc.assert(fc.property(validPolicy, (p) => {
      const result = NetworkPolicyValidator.validate(p);
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
      expect(result.valid).toBe(true);
    }), { numRuns: NUM_RUNS });
  });

  test('valid policies stay valid in lenient CIDR mode', () => {
    fc.assert(fc.property(validPolicy, (p) => {
      expect(NetworkPolicyValidator.validate(p, { strictCidr: false }).errors).toEqual([]);
    }), { numRuns: 50 });
  });

  test.each(mutations.map((m) => [m.name, m] as const))('one broken rule fails on exactly that field: %s', (_name, mutation) => {
    fc.assert(fc.property(validPolicy, fc.nat(1_000_000), (p, n) => {
      const broken = structuredClone(p);
      const [field, type] = mutation.apply(broken, n);
      const result = NetworkPolicyValidator.validate(broken);
      expect(result.valid).toBe(false);
      expect(result.errors.length).toBeGreaterThan(0);
      for (const e of result.errors) {
        expect([e.field, e.type]).toEqual([field, type]);
      }
    }), { numRuns: 80 });
  });
});
