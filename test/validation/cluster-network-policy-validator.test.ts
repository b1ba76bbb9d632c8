import { CrdChannel, ClusterNetworkPolicyValidator } from '../../src/validation/cluster-network-policy-validator';
import { ErrorType } from '../../src/validation/field-error';
import { FieldValidation } from '../../src/validation/field-validation';
import { NetworkPolicyValidator } from '../../src/validation/network-policy-validator';
import { EXPERIMENTAL_ONLY, INVALID_CLUSTER_POLICIES, STANDARD_ONLY, VALID_CLUSTER_POLICIES, cnp } from '../fixtures/cluster-policies';

const channels = [CrdChannel.STANDARD, CrdChannel.EXPERIMENTAL];

describe('ClusterNetworkPolicyValidator | the CRDs\' own cases', () => {
  test.each(VALID_CLUSTER_POLICIES.flatMap(([name, obj]) => channels.map(channel => [name, channel, obj] as const)))(
    'accepts %s (%s channel)', (_name, channel, obj) => {
      const result = ClusterNetworkPolicyValidator.validate(obj, { channel });
      expect(result.errors.map(NetworkPolicyValidator.formatError)).toEqual([]);
      expect(result.valid).toBe(true);
    });

  // crdtest creates its objects with client-go, whose requests ask for no field validation: the
  // server's default (Warn) prunes unknown fields and then validates; kubectl's Strict (this
  // validator's default) would refuse some of them for the unknown field first
  test.each(INVALID_CLUSTER_POLICIES.flatMap(([name, obj, field, type]) => channels.map(channel => [name, channel, obj, field, type] as const)))(
    'rejects %s (%s channel)', (_name, channel, obj, field, type) => {
      const result = ClusterNetworkPolicyValidator.validate(obj, { channel, fieldValidation: FieldValidation.WARN });
      expect(result.valid).toBe(false);
      expect(result.errors[0]).toMatchObject({ field, type });
    });

  test.each(EXPERIMENTAL_ONLY)('%s: only the experimental channel accepts it', (_name, obj, field) => {
    expect(ClusterNetworkPolicyValidator.validate(obj, { channel: CrdChannel.EXPERIMENTAL }).errors).toEqual([]);
    const standard = ClusterNetworkPolicyValidator.validate(obj, { channel: CrdChannel.STANDARD });
    expect(standard.errors).toHaveLength(1);
    expect(standard.errors[0]).toMatchObject({ field, type: ErrorType.FORBIDDEN });
    expect(standard.errors[0].detail).toMatch(/experimental channel/);
  });

  test.each(STANDARD_ONLY)('%s: only the standard channel accepts it (the experimental CRD\'s CEL rule)', (_name, obj, field) => {
    expect(ClusterNetworkPolicyValidator.validate(obj, { channel: CrdChannel.STANDARD }).errors).toEqual([]);
    const experimental = ClusterNetworkPolicyValidator.validate(obj, { channel: CrdChannel.EXPERIMENTAL });
    expect(experimental.errors).toEqual([expect.objectContaining({ field, type: ErrorType.INVALID })]);
    expect(experimental.errors[0].detail).toMatch(/cannot be set with namedPorts/);
  });
});

describe('ClusterNetworkPolicyValidator | messages', () => {
  test('the error names the field, the type, the value and what is valid', () => {
    const result = ClusterNetworkPolicyValidator.validate(cnp('p', { priority: 1001 }));
    expect(result.errors.map(NetworkPolicyValidator.formatError)).toEqual(['spec.priority: Invalid value: 1001: must be less than or equal to 1000']);
  });

  test('a CEL rule reports its CRD message', () => {
    const result = ClusterNetworkPolicyValidator.validate(cnp('p', {
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }], protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 80 } } } }] }],
    }));
    expect(result.errors.map(NetworkPolicyValidator.formatError)).toEqual([
      'spec.ingress[0].protocols[0].tcp.destinationPort.range: Invalid value: "object": Start port must be less than End port',
    ]);
  });

  test('a peer with two fields names both', () => {
    const result = ClusterNetworkPolicyValidator.validate(cnp('p', { egress: [{ action: 'Deny', to: [{ namespaces: {}, networks: ['10.0.0.0/8'] }] }] }));
    expect(NetworkPolicyValidator.formatError(result.errors[0])).toBe('spec.egress[0].to[0]: Too many: 2: must have at most 1 property, not "namespaces" and "networks"');
  });

  test('an unknown field inside a selector is a warning (the CRD prunes it; crdtest\'s namespaces.namespaceSelector)', () => {
    const result = ClusterNetworkPolicyValidator.validate(cnp('p', { ingress: [{ action: 'Deny', from: [{ namespaces: { namespaceSelector: {} } }] }] }),
      { fieldValidation: FieldValidation.WARN });
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ field: 'spec.ingress[0].from[0].namespaces.namespaceSelector', code: 'UnknownField' })]);
  });

  test('metadata.namespace on a cluster-scoped policy is a warning', () => {
    const obj = cnp('p');
    obj.metadata.namespace = 'shop';
    const result = ClusterNetworkPolicyValidator.validate(obj);
    expect(result.valid).toBe(true);
    expect(result.warnings.map(w => w.code)).toEqual(['ClusterScoped']);
  });

  test('another kind gets a kind error', () => {
    const result = ClusterNetworkPolicyValidator.validate({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' });
    expect(result.errors).toEqual([expect.objectContaining({ field: 'kind', type: ErrorType.UNSUPPORTED })]);
  });

  test('throws on an unknown channel instead of guessing', () => {
    expect(() => ClusterNetworkPolicyValidator.validate(cnp('p'), { channel: 'beta' as any })).toThrow(/options.channel: "beta": must be CrdChannel.STANDARD or CrdChannel.EXPERIMENTAL/);
    expect(() => ClusterNetworkPolicyValidator.validate(cnp('p'), null as any)).toThrow(/options.channel/);
  });
});
