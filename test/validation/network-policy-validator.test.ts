import { ErrorType } from '../../src/validation/field-error';
import { FieldValidation } from '../../src/validation/field-validation';
import { NetworkPolicyValidator, ValidationOptions } from '../../src/validation/network-policy-validator';

/*
 * Table-driven tests of the API server's NetworkPolicy rules.
 *
 * Every expectation here comes from the rules of networking.k8s.io/v1 as the API
 * server applies them (pkg/apis/networking/validation, apimachinery's name, label
 * and CIDR validators, pkg/apis/networking/v1/defaults.go), not from the output
 * of the implementation: each case names the rule it breaks and the field path and
 * error type the server reports for it.
 */

const { INVALID, REQUIRED, UNSUPPORTED, FORBIDDEN } = ErrorType;

function policy(spec: any, metadata: any = { name: 'np', namespace: 'shop' }): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec };
}

/** A policy whose only interesting part is one ingress port. */
const ingressPort = (port: any) => policy({ podSelector: {}, ingress: [{ ports: [port] }] });
/** A policy whose only interesting part is one ingress peer. */
const ingressPeer = (peer: any) => policy({ podSelector: {}, ingress: [{ from: [peer] }] });
/** A policy whose only interesting part is one egress peer. */
const egressPeer = (peer: any) => policy({ podSelector: {}, egress: [{ to: [peer] }] });
/** A policy whose pod selector has one expression. */
const expression = (expr: any) => policy({ podSelector: { matchExpressions: [expr] } });
/** A policy whose pod selector has these matchLabels. */
const matchLabels = (labels: any) => policy({ podSelector: { matchLabels: labels } });
/** A policy with one ipBlock peer. */
const ipBlock = (block: any) => ingressPeer({ ipBlock: block });

const long = (n: number, c = 'a') => c.repeat(n);

interface InvalidCase {
  readonly rule: string;
  readonly obj: any;
  /** [field, type] of every expected error, in the server's order. */
  readonly errors: Array<[string, ErrorType]>;
  readonly options?: ValidationOptions;
}

const P = 'spec.ingress[0].ports[0]';
const F = 'spec.ingress[0].from[0]';
const T = 'spec.egress[0].to[0]';
const E = 'spec.podSelector.matchExpressions[0]';

const invalidCases: InvalidCase[] = [
  // --- what the server and kubectl apply read differently (issue 19)
  { rule: 'a null label value is ambiguous (the server stores "", kubectl apply deletes the key)', obj: ingressPeer({ podSelector: { matchLabels: { app: null } } }), errors: [['spec.ingress[0].from[0].podSelector.matchLabels[app]', INVALID]] },
  { rule: 'a null label value in the policy\'s pod selector', obj: policy({ podSelector: { matchLabels: { app: null } } }), errors: [['spec.podSelector.matchLabels[app]', INVALID]] },
  { rule: 'a null label value in a namespace selector', obj: ingressPeer({ namespaceSelector: { matchLabels: { team: null } } }), errors: [['spec.ingress[0].from[0].namespaceSelector.matchLabels[team]', INVALID]] },
  { rule: 'a null value in the policy\'s own labels', obj: policy({ podSelector: {} }, { name: 'np', namespace: 'shop', labels: { app: null } }), errors: [['metadata.labels[app]', INVALID]] },
  { rule: 'an unknown field is a strict decoding error, as under kubectl\'s default --validate=strict', obj: policy({ podSelector: {}, ingress: [{ form: [{ podSelector: {} }] }] }), errors: [['spec.ingress[0].form', ErrorType.STRICT_DECODING]] },
  { rule: 'an unknown top-level field', obj: { ...policy({ podSelector: {} }), sepc: {} }, errors: [['sepc', ErrorType.STRICT_DECODING]] },
  { rule: 'an unknown metadata field', obj: policy({ podSelector: {} }, { name: 'np', namespace: 'shop', lables: { a: 'b' } }), errors: [['metadata.lables', ErrorType.STRICT_DECODING]] },
  { rule: 'an unknown field named like an Object.prototype member', obj: policy({ podSelector: { constructor: {} } as any }), errors: [['spec.podSelector.constructor', ErrorType.STRICT_DECODING]] },
  { rule: 'an unknown ipBlock field', obj: ipBlock({ cidr: '10.0.0.0/8', exept: ['10.1.0.0/16'] } as any), errors: [['spec.ingress[0].from[0].ipBlock.exept', ErrorType.STRICT_DECODING]] },
  // --- apiVersion and kind
  { rule: 'apiVersion must be networking.k8s.io/v1', obj: { ...policy({ podSelector: {} }), apiVersion: 'extensions/v1beta1' }, errors: [['apiVersion', UNSUPPORTED]] },
  { rule: 'apiVersion is required', obj: { ...policy({ podSelector: {} }), apiVersion: undefined }, errors: [['apiVersion', REQUIRED]] },
  { rule: 'kind is required', obj: { ...policy({ podSelector: {} }), kind: undefined }, errors: [['kind', REQUIRED]] },

  // --- metadata.name: required DNS-1123 subdomain
  { rule: 'name is required', obj: policy({ podSelector: {} }, { namespace: 'shop' }), errors: [['metadata.name', REQUIRED]] },
  { rule: 'name is lowercase', obj: policy({ podSelector: {} }, { name: 'Web', namespace: 'shop' }), errors: [['metadata.name', INVALID]] },
  { rule: 'name has no underscore', obj: policy({ podSelector: {} }, { name: 'allow_web', namespace: 'shop' }), errors: [['metadata.name', INVALID]] },
  { rule: 'name ends alphanumeric', obj: policy({ podSelector: {} }, { name: 'web-', namespace: 'shop' }), errors: [['metadata.name', INVALID]] },
  { rule: 'name is at most 253 characters', obj: policy({ podSelector: {} }, { name: long(254), namespace: 'shop' }), errors: [['metadata.name', INVALID]] },
  { rule: 'name has no empty dot-separated part', obj: policy({ podSelector: {} }, { name: 'a..b', namespace: 'shop' }), errors: [['metadata.name', INVALID]] },
  { rule: 'generateName is a subdomain prefix', obj: policy({ podSelector: {} }, { generateName: 'Web-', namespace: 'shop' }), errors: [['metadata.generateName', INVALID]] },

  // --- metadata.namespace: DNS-1123 label
  { rule: 'namespace is lowercase', obj: policy({ podSelector: {} }, { name: 'np', namespace: 'Shop' }), errors: [['metadata.namespace', INVALID]] },
  { rule: 'namespace has no dots', obj: policy({ podSelector: {} }, { name: 'np', namespace: 'shop.prod' }), errors: [['metadata.namespace', INVALID]] },
  { rule: 'namespace is at most 63 characters', obj: policy({ podSelector: {} }, { name: 'np', namespace: long(64) }), errors: [['metadata.namespace', INVALID]] },

  // --- metadata.labels and annotations
  { rule: 'label keys start alphanumeric', obj: policy({ podSelector: {} }, { name: 'np', namespace: 'shop', labels: { '-app': 'web' } }), errors: [['metadata.labels', INVALID]] },
  { rule: 'label values are at most 63 characters', obj: policy({ podSelector: {} }, { name: 'np', namespace: 'shop', labels: { app: long(64) } }), errors: [['metadata.labels', INVALID]] },
  { rule: 'annotation keys have at most one slash', obj: policy({ podSelector: {} }, { name: 'np', namespace: 'shop', annotations: { 'a/b/c': 'x' } }), errors: [['metadata.annotations', INVALID]] },

  // --- label selector keys (matchLabels)
  { rule: 'selector key has at most one slash', obj: matchLabels({ 'a/b/c': 'x' }), errors: [['spec.podSelector.matchLabels', INVALID]] },
  { rule: 'selector key prefix is a lowercase subdomain', obj: matchLabels({ 'Example.com/app': 'x' }), errors: [['spec.podSelector.matchLabels', INVALID]] },
  { rule: 'selector key prefix is not empty', obj: matchLabels({ '/app': 'x' }), errors: [['spec.podSelector.matchLabels', INVALID]] },
  { rule: 'selector key name is not empty', obj: matchLabels({ 'example.com/': 'x' }), errors: [['spec.podSelector.matchLabels', INVALID], ['spec.podSelector.matchLabels', INVALID]] },
  { rule: 'selector key name is at most 63 characters', obj: matchLabels({ [long(64)]: 'x' }), errors: [['spec.podSelector.matchLabels', INVALID]] },
  { rule: 'selector key name has no spaces', obj: matchLabels({ 'my app': 'x' }), errors: [['spec.podSelector.matchLabels', INVALID]] },

  // --- label selector values (matchLabels)
  { rule: 'selector value has no spaces', obj: matchLabels({ app: 'my web' }), errors: [['spec.podSelector.matchLabels', INVALID]] },
  { rule: 'selector value is at most 63 characters', obj: matchLabels({ app: long(64) }), errors: [['spec.podSelector.matchLabels', INVALID]] },
  { rule: 'selector value starts alphanumeric', obj: matchLabels({ app: '_web' }), errors: [['spec.podSelector.matchLabels', INVALID]] },
  { rule: 'selector value is a string (YAML 1: a number)', obj: matchLabels({ version: 1 }), errors: [['spec.podSelector.matchLabels[version]', INVALID]] },

  // --- label selector operators (matchExpressions)
  { rule: 'In needs values', obj: expression({ key: 'app', operator: 'In' }), errors: [[`${E}.values`, REQUIRED]] },
  { rule: 'NotIn needs non-empty values', obj: expression({ key: 'app', operator: 'NotIn', values: [] }), errors: [[`${E}.values`, REQUIRED]] },
  { rule: 'Exists forbids values', obj: expression({ key: 'app', operator: 'Exists', values: ['web'] }), errors: [[`${E}.values`, FORBIDDEN]] },
  { rule: 'DoesNotExist forbids values', obj: expression({ key: 'app', operator: 'DoesNotExist', values: ['web'] }), errors: [[`${E}.values`, FORBIDDEN]] },
  { rule: 'operators are case-sensitive', obj: expression({ key: 'app', operator: 'in', values: ['web'] }), errors: [[`${E}.operator`, INVALID]] },
  { rule: 'only the four operators exist', obj: expression({ key: 'app', operator: 'Equals', values: ['web'] }), errors: [[`${E}.operator`, INVALID]] },
  { rule: 'the operator is required', obj: expression({ key: 'app', values: ['web'] }), errors: [[`${E}.operator`, INVALID]] },
  { rule: 'expression keys are label keys', obj: expression({ key: 'my app', operator: 'Exists' }), errors: [[`${E}.key`, INVALID]] },
  { rule: 'expression values are label values', obj: expression({ key: 'app', operator: 'In', values: ['web', 'x y'] }), errors: [[`${E}.values[1]`, INVALID]] },

  // --- peer selectors are label selectors too
  { rule: 'peer podSelector keys are label keys', obj: ingressPeer({ podSelector: { matchLabels: { 'a/b/c': 'x' } } }), errors: [[`${F}.podSelector.matchLabels`, INVALID]] },
  { rule: 'peer namespaceSelector operators', obj: egressPeer({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists', values: ['a'] }] } }), errors: [[`${T}.namespaceSelector.matchExpressions[0].values`, FORBIDDEN]] },

  // --- protocol
  { rule: 'protocol is case-sensitive', obj: ingressPort({ protocol: 'tcp', port: 80 }), errors: [[`${P}.protocol`, UNSUPPORTED]] },
  { rule: 'protocol is TCP, UDP or SCTP', obj: ingressPort({ protocol: 'ICMP' }), errors: [[`${P}.protocol`, UNSUPPORTED]] },
  { rule: 'an empty protocol is not defaulted', obj: ingressPort({ protocol: '', port: 80 }), errors: [[`${P}.protocol`, UNSUPPORTED]] },

  // --- numeric port
  { rule: 'port 0 is invalid (cdk8s-plus allTcp)', obj: ingressPort({ protocol: 'TCP', port: 0, endPort: 65535 }), errors: [[`${P}.port`, INVALID]] },
  { rule: 'port is at most 65535', obj: ingressPort({ port: 65536 }), errors: [[`${P}.port`, INVALID]] },
  { rule: 'port is positive', obj: ingressPort({ port: -80 }), errors: [[`${P}.port`, INVALID]] },
  { rule: 'port is an integer', obj: ingressPort({ port: 80.5 }), errors: [[`${P}.port`, INVALID]] },

  // --- named port (IANA_SVC_NAME)
  { rule: 'a quoted number is a name, and names need a letter', obj: ingressPort({ port: '80' }), errors: [[`${P}.port`, INVALID]] },
  { rule: 'names are lowercase (charset and letter rules both fail)', obj: ingressPort({ port: 'HTTP' }), errors: [[`${P}.port`, INVALID], [`${P}.port`, INVALID]] },
  { rule: 'names are at most 15 characters', obj: ingressPort({ port: 'very-long-port-name' }), errors: [[`${P}.port`, INVALID]] },
  { rule: 'names have no consecutive hyphens', obj: ingressPort({ port: 'web--http' }), errors: [[`${P}.port`, INVALID]] },
  { rule: 'names do not start with a hyphen', obj: ingressPort({ port: '-http' }), errors: [[`${P}.port`, INVALID]] },
  { rule: 'names do not end with a hyphen', obj: ingressPort({ port: 'http-' }), errors: [[`${P}.port`, INVALID]] },
  { rule: 'names have no underscore', obj: ingressPort({ port: 'my_port' }), errors: [[`${P}.port`, INVALID]] },

  // --- endPort
  { rule: 'endPort needs a port', obj: ingressPort({ endPort: 8080 }), errors: [[`${P}.endPort`, INVALID]] },
  { rule: 'endPort needs a numeric port', obj: ingressPort({ port: 'http', endPort: 8080 }), errors: [[`${P}.endPort`, INVALID]] },
  { rule: 'endPort is at least port', obj: ingressPort({ port: 8080, endPort: 8000 }), errors: [[`${P}.endPort`, INVALID]] },
  { rule: 'endPort is at most 65535', obj: ingressPort({ port: 8080, endPort: 70000 }), errors: [[`${P}.endPort`, INVALID]] },

  // --- peers
  { rule: 'a peer must specify something', obj: ingressPeer({}), errors: [[F, REQUIRED]] },
  { rule: 'null selectors do not count as set', obj: egressPeer({ podSelector: null, ipBlock: null }), errors: [[T, REQUIRED]] },
  { rule: 'ipBlock cannot be combined with podSelector', obj: ingressPeer({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }), errors: [[F, FORBIDDEN]] },
  { rule: 'ipBlock cannot be combined with namespaceSelector', obj: egressPeer({ ipBlock: { cidr: '10.0.0.0/8' }, namespaceSelector: {} }), errors: [[T, FORBIDDEN]] },
  { rule: 'ipBlock with both selectors is one Forbidden error', obj: ingressPeer({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {}, namespaceSelector: {} }), errors: [[F, FORBIDDEN]] },

  // --- ipBlock.cidr
  { rule: 'cidr is required', obj: ipBlock({ except: ['10.0.0.0/16'] }), errors: [[`${F}.ipBlock.cidr`, REQUIRED]] },
  { rule: 'cidr is not empty', obj: ipBlock({ cidr: '' }), errors: [[`${F}.ipBlock.cidr`, REQUIRED]] },
  { rule: 'cidr needs a prefix length', obj: ipBlock({ cidr: '10.0.0.0' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'IPv4 prefix length is at most 32', obj: ipBlock({ cidr: '10.0.0.0/33' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'IPv4 octets are at most 255', obj: ipBlock({ cidr: '300.0.0.0/8' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'IPv6 prefix length is at most 128', obj: ipBlock({ cidr: '2001:db8::/129' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'IPv6 has at most one ::', obj: ipBlock({ cidr: '2001::db8::/32' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'strict: no bits beyond the prefix (IPv4)', obj: ipBlock({ cidr: '10.0.0.1/8' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'strict: no bits beyond the prefix (IPv6)', obj: ipBlock({ cidr: '2001:db8::1/64' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'strict: no leading zeros in octets', obj: ipBlock({ cidr: '010.0.0.0/8' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'strict: no leading zeros in the prefix length', obj: ipBlock({ cidr: '10.0.0.0/08' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'strict: no IPv4-mapped IPv6', obj: ipBlock({ cidr: '::ffff:10.0.0.0/104' }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'lenient mode still rejects garbage', obj: ipBlock({ cidr: '10.0.0.0/8/8' }), errors: [[`${F}.ipBlock.cidr`, INVALID]], options: { strictCidr: false } },

  // --- ipBlock.except
  { rule: 'except must lie inside cidr', obj: ipBlock({ cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] }), errors: [[`${F}.ipBlock.except[0]`, INVALID]] },
  { rule: 'except must not equal cidr', obj: ipBlock({ cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] }), errors: [[`${F}.ipBlock.except[0]`, INVALID]] },
  { rule: 'except must not be wider than cidr', obj: ipBlock({ cidr: '10.1.0.0/16', except: ['10.0.0.0/8'] }), errors: [[`${F}.ipBlock.except[0]`, INVALID]] },
  { rule: 'except must be the same family', obj: ipBlock({ cidr: '0.0.0.0/0', except: ['2001:db8::/32'] }), errors: [[`${F}.ipBlock.except[0]`, INVALID]] },
  { rule: 'except must parse (reported once)', obj: ipBlock({ cidr: '10.0.0.0/8', except: ['10.1.0.0/16', 'bogus'] }), errors: [[`${F}.ipBlock.except[1]`, INVALID]] },
  { rule: 'except is not checked when cidr does not parse', obj: ipBlock({ cidr: 'bogus', except: ['also-bogus'] }), errors: [[`${F}.ipBlock.cidr`, INVALID]] },
  { rule: 'strict applies to except too', obj: ipBlock({ cidr: '10.0.0.0/8', except: ['10.1.0.1/16'] }), errors: [[`${F}.ipBlock.except[0]`, INVALID]] },

  // --- policyTypes
  { rule: 'policyTypes values are case-sensitive', obj: policy({ podSelector: {}, policyTypes: ['ingress'] }), errors: [['spec.policyTypes[0]', UNSUPPORTED]] },
  { rule: 'policyTypes values are Ingress or Egress', obj: policy({ podSelector: {}, policyTypes: ['Ingress', 'Both'] }), errors: [['spec.policyTypes[1]', UNSUPPORTED]] },
  { rule: 'at most two policyTypes (no per-value errors then)', obj: policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Bogus'] }), errors: [['spec.policyTypes', INVALID]] },

  // --- several rules broken at once, reported in the server's order
  {
    rule: 'errors of ingress come before errors of egress and policyTypes',
    obj: policy({ podSelector: {}, ingress: [{ ports: [{ port: 0 }] }], egress: [{ to: [{}] }], policyTypes: ['Sideways'] }),
    errors: [[`${P}.port`, INVALID], [T, REQUIRED], ['spec.policyTypes[0]', UNSUPPORTED]],
  },
];

interface ValidCase {
  readonly rule: string;
  readonly obj: any;
  readonly options?: ValidationOptions;
  /** Warning codes expected (none by default). */
  readonly warnings?: string[];
}

const validCases: ValidCase[] = [
  { rule: 'default deny ingress: an empty spec selector', obj: policy({ podSelector: {} }) },
  { rule: 'a missing spec is a default (deny ingress) spec', obj: { ...policy(undefined) } },
  { rule: 'default deny egress', obj: policy({ podSelector: {}, policyTypes: ['Egress'] }) },
  { rule: 'ingress: [] and egress: [] only isolate', obj: policy({ podSelector: {}, ingress: [], egress: [], policyTypes: ['Ingress', 'Egress'] }) },
  { rule: 'a rule with empty ports and peers', obj: policy({ podSelector: {}, ingress: [{ ports: [], from: [] }] }) },
  { rule: 'ports: [{}] defaults to TCP', obj: ingressPort({}) },
  { rule: 'protocol-only ports for UDP and SCTP', obj: policy({ podSelector: {}, ingress: [{ ports: [{ protocol: 'UDP' }, { protocol: 'SCTP', port: 9 }] }] }) },
  { rule: 'port 1 to 65535 range', obj: ingressPort({ port: 1, endPort: 65535 }) },
  { rule: 'endPort equal to port', obj: ingressPort({ port: 443, endPort: 443 }) },
  { rule: 'named ports: letters, digits, single hyphens, 15 characters', obj: policy({ podSelector: {}, ingress: [{ ports: [{ port: 'http' }, { port: 'metrics-9090' }, { port: 'abcdefghijklmno' }, { port: 'h2c' }] }] }) },
  { rule: 'namespaceSelector AND podSelector in one peer', obj: ingressPeer({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }) },
  { rule: 'namespaceSelector: {} alone', obj: egressPeer({ namespaceSelector: {} }) },
  { rule: 'all four operators used correctly', obj: policy({ podSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }, { key: 'b', operator: 'NotIn', values: ['y', ''] }, { key: 'c', operator: 'Exists' }, { key: 'd', operator: 'DoesNotExist', values: [] }] } }) },
  { rule: 'prefixed keys, empty and 63-character values', obj: matchLabels({ 'app.kubernetes.io/name': 'web', 'example.com/Team_Name.x': '', [long(63)]: long(63, 'b') }) },
  { rule: 'IPv4 ipBlock with nested excepts', obj: ipBlock({ cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.4/32'] }) },
  { rule: 'IPv6 ipBlock with an except', obj: ipBlock({ cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] }) },
  { rule: 'all addresses of both families', obj: policy({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }, { ipBlock: { cidr: '::/0' } }] }] }) },
  { rule: 'non-canonical but strict-valid IPv6 (with the server\'s RFC 5952 warning)', obj: ipBlock({ cidr: '2001:DB8:0:0::/64' }), warnings: ['NonCanonicalCidr'] },
  { rule: 'egress rules without policyTypes default to both', obj: policy({ podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }) },
  { rule: '253-character name and 63-character namespace', obj: policy({ podSelector: {} }, { name: `${long(63)}.${long(63)}.${long(63)}.${long(61)}`, namespace: long(63) }) },
  { rule: 'generateName instead of name', obj: policy({ podSelector: {} }, { generateName: 'np-', namespace: 'shop' }) },
  { rule: 'labels and annotations (annotation keys are case-insensitive)', obj: policy({ podSelector: {} }, { name: 'np', namespace: 'shop', labels: { app: 'web' }, annotations: { 'Example.COM/Owner': 'team a, any text' } }) },
  { rule: 'duplicate policyTypes are accepted (with a warning)', obj: policy({ podSelector: {}, policyTypes: ['Ingress', 'Ingress'] }), warnings: ['DuplicatePolicyType'] },
  { rule: 'rules for an unlisted direction are accepted (with a warning)', obj: policy({ podSelector: {}, egress: [{}], policyTypes: ['Ingress'] }), warnings: ['IgnoredRules'] },
  { rule: 'lenient: bits beyond the prefix are accepted (with a warning)', obj: ipBlock({ cidr: '10.0.0.1/8' }), options: { strictCidr: false }, warnings: ['HostBitsSet'] },
  { rule: 'lenient: leading zeros are accepted (with a warning)', obj: ipBlock({ cidr: '010.000.0.0/16', except: ['10.0.0.0/24'] }), options: { strictCidr: false }, warnings: ['NonStandardCidr'] },
  { rule: 'lenient: IPv4-mapped IPv6 is accepted (with a warning)', obj: ipBlock({ cidr: '::ffff:10.0.0.0/104', except: ['::ffff:10.1.0.0/112'] }), options: { strictCidr: false }, warnings: ['NonStandardCidr', 'NonStandardCidr'] },
  { rule: 'a missing namespace is not an error (kubectl fills it in)', obj: policy({ podSelector: {} }, { name: 'np' }), warnings: ['NamespaceNotSet'] },
  { rule: 'a null expression value is the empty value', obj: expression({ key: 'app', operator: 'In', values: [null] }) },
];

describe('NetworkPolicyValidator | API server rules', () => {
  test('the table covers at least 40 invalid and 15 valid specs', () => {
    expect(invalidCases.length).toBeGreaterThanOrEqual(40);
    expect(validCases.length).toBeGreaterThanOrEqual(15);
  });

  test.each(invalidCases)('rejects: $rule', ({ obj, errors, options }) => {
    const result = NetworkPolicyValidator.validate(obj, options);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => [e.field, e.type])).toEqual(errors);
  });

  test.each(validCases)('accepts: $rule', ({ obj, options, warnings }) => {
    const result = NetworkPolicyValidator.validate(obj, options);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.warnings.map((w) => w.code)).toEqual(warnings ?? []);
  });
});

describe('NetworkPolicyValidator | messages', () => {
  const first = (obj: any, options?: ValidationOptions) =>
    NetworkPolicyValidator.formatError(NetworkPolicyValidator.validate(obj, options).errors[0]);

  test('port 0 reads exactly as the API server prints it', () => {
    expect(first(ingressPort({ port: 0 }))).toBe('spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
  });

  test('an unsupported protocol lists the supported values', () => {
    expect(first(ingressPort({ protocol: 'tcp' })))
      .toBe('spec.ingress[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"');
  });

  test('Required and Forbidden errors carry no value', () => {
    expect(first(ingressPeer({}))).toMatch(/^spec\.ingress\[0\]\.from\[0\]: Required value: must specify a peer/);
    expect(first(ingressPeer({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} })))
      .toBe('spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer');
  });

  test('a quoted port number explains that it is a name', () => {
    expect(first(ingressPort({ port: '80' }))).toMatch(/^spec\.ingress\[0\]\.ports\[0\]\.port: Invalid value: "80": must contain at least one letter \(a-z\).*write it without quotes/);
  });

  test('label key errors quote the key and use apimachinery wording', () => {
    expect(first(matchLabels({ [long(64)]: 'x' })))
      .toBe(`spec.podSelector.matchLabels: Invalid value: "${long(64)}": name part must be no more than 63 bytes`);
  });

  test('a namespace with dots says so', () => {
    expect(first(policy({ podSelector: {} }, { name: 'np', namespace: 'a.b' })))
      .toBe('metadata.namespace: Invalid value: "a.b": must not contain dots');
  });

  test('a CIDR with host bits suggests both readings', () => {
    expect(first(ipBlock({ cidr: '192.168.1.10/24' })))
      .toBe('spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "192.168.1.10/24": must not have bits set beyond the prefix length '
        + '(write "192.168.1.0/24" for the whole network or "192.168.1.10/32" for the single address)');
  });

  test('an except outside the cidr says why', () => {
    expect(first(ipBlock({ cidr: '10.0.0.0/8', except: ['2001:db8::/32'] })))
      .toMatch(/must be a strict subset of `cidr` \(an IPv6 range cannot be excepted from an IPv4 cidr\)$/);
  });

  test('too many policyTypes prints the list', () => {
    expect(first(policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] })))
      .toBe('spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes');
  });

  test('a null label value error names the key and says what each tool would do', () => {
    const [e] = NetworkPolicyValidator.validate(ingressPeer({ podSelector: { matchLabels: { app: null } } })).errors;
    expect(NetworkPolicyValidator.formatError(e)).toMatch(/^spec\.ingress\[0\]\.from\[0\]\.podSelector\.matchLabels\[app\]: Invalid value: null: label "app" has no value/);
    expect(e.detail).toMatch(/the API server stores "app": ""/);
    expect(e.detail).toMatch(/kubectl apply deletes the key/);
    expect(e.detail).toMatch(/selects every pod/);
  });

  test('an unknown field error is worded as the API server refuses it', () => {
    const [e] = NetworkPolicyValidator.validate(policy({ podSelector: {}, ingress: [{ form: [{ podSelector: {} }] }] })).errors;
    expect(NetworkPolicyValidator.formatError(e)).toMatch(/^spec\.ingress\[0\]\.form: strict decoding error: unknown field "spec\.ingress\[0\]\.form" \(did you mean "from"\?\)/);
  });

  test('a non-canonical IPv6 CIDR gets the server\'s RFC 5952 warning with the canonical form', () => {
    const result = NetworkPolicyValidator.validate(ipBlock({ cidr: '2001:0db8:0000::/32', except: ['2001:db8:0:0::/48'] }));
    expect(result.errors).toEqual([]);
    expect(result.warnings.map(w => [w.field, w.code])).toEqual([
      ['spec.ingress[0].from[0].ipBlock.cidr', 'NonCanonicalCidr'],
      ['spec.ingress[0].from[0].ipBlock.except[0]', 'NonCanonicalCidr'],
    ]);
    expect(result.warnings[0].detail).toMatch(/^IPv6 CIDR value "2001:0db8:0000::\/32" should be in RFC 5952 canonical format \("2001:db8::\/32"\)/);
    expect(result.warnings[1].detail).toContain('("2001:db8::/48")');
    // canonical text, and IPv4, get no such warning
    expect(NetworkPolicyValidator.validate(ipBlock({ cidr: '2001:db8::/32' })).warnings).toEqual([]);
    expect(NetworkPolicyValidator.validate(ipBlock({ cidr: '10.0.0.0/8' })).warnings).toEqual([]);
  });

  test('formatWarning names the field and the code', () => {
    const w = NetworkPolicyValidator.validate(policy({ podSelector: {}, egress: [{}], policyTypes: ['Ingress'] })).warnings[0];
    expect(NetworkPolicyValidator.formatWarning(w)).toMatch(/^spec\.egress: IgnoredRules: policyTypes is \["Ingress"\].*add "Egress" to policyTypes/);
  });
});

describe('NetworkPolicyValidator | inputs of the wrong shape', () => {
  test('another kind gets a single kind error', () => {
    const result = NetworkPolicyValidator.validate({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } });
    expect(result.errors.map((e) => [e.field, e.type])).toEqual([['kind', UNSUPPORTED]]);
  });

  test('a non-object is one error, not an exception', () => {
    expect(NetworkPolicyValidator.validate('hello').valid).toBe(false);
    expect(NetworkPolicyValidator.validate(null).valid).toBe(false);
  });

  test.each([
    ['spec is a string', policy('oops'), 'spec'],
    ['ingress is an object', policy({ podSelector: {}, ingress: { from: [] } }), 'spec.ingress'],
    ['a rule is a string', policy({ podSelector: {}, ingress: ['allow'] }), 'spec.ingress[0]'],
    ['ports is an object', policy({ podSelector: {}, ingress: [{ ports: { port: 80 } }] }), 'spec.ingress[0].ports'],
    ['a port is a boolean', ingressPort({ port: true }), `${P}.port`],
    ['matchLabels is a list', policy({ podSelector: { matchLabels: ['app'] } }), 'spec.podSelector.matchLabels'],
    ['policyTypes is a string', policy({ podSelector: {}, policyTypes: 'Ingress' }), 'spec.policyTypes'],
    ['cidr is a number', ipBlock({ cidr: 10 }), `${F}.ipBlock.cidr`],
  ])('%s: Invalid value at the field', (_name, obj, field) => {
    const result = NetworkPolicyValidator.validate(obj);
    expect(result.errors.map((e) => [e.field, e.type])).toEqual([[field, INVALID]]);
  });

  test.each([
    [FieldValidation.STRICT, ['spec.ingress[0].form'], []],
    [FieldValidation.WARN, [], ['UnknownField']],
    [FieldValidation.IGNORE, [], []],
  ])('with fieldValidation %s, a typo in a field name gives errors %j and warnings %j', (mode, errors, warnings) => {
    const typo = policy({ podSelector: {}, ingress: [{ form: [{ podSelector: {} }] }] });
    const result = NetworkPolicyValidator.validate(typo, { fieldValidation: mode });
    expect(result.errors.map(e => e.field)).toEqual(errors);
    expect(result.valid).toBe(errors.length === 0);
    expect(result.warnings.map(w => w.code)).toEqual(warnings);
    if (mode === FieldValidation.WARN) expect(result.warnings[0].detail).toContain('did you mean "from"?');
  });

  test('an unknown fieldValidation is refused, never read as a default', () => {
    expect(() => NetworkPolicyValidator.validate(policy({ podSelector: {} }), { fieldValidation: 'warn' as any }))
      .toThrow(/fieldValidation: Unsupported value: "warn": supported values: "Strict", "Warn", "Ignore"/);
  });

  test('exact duplicate errors are reported once, as the server aggregates them', () => {
    // two label values with the same problem give the same field, value and detail
    const same = NetworkPolicyValidator.validate(matchLabels({ a: 'x y', b: 'x y' }));
    expect(same.errors).toHaveLength(1);
    // different values are different errors
    const different = NetworkPolicyValidator.validate(matchLabels({ a: 'x y', b: 'x z' }));
    expect(different.errors).toHaveLength(2);
  });

  test('the input object is not modified (defaulting works on a copy)', () => {
    const obj = policy({ podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] });
    const before = JSON.stringify(obj);
    NetworkPolicyValidator.validate(obj);
    expect(JSON.stringify(obj)).toBe(before);
  });
});
