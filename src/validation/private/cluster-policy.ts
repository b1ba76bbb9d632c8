import { CelRule, ObjectNode, SchemaNode, validateSchema } from './crd-schema';
import { invalid, isAbsent, isObject, notSupported, required, warning, wrongType } from './field';
import { validateLabels } from './label-selector';
import { isDns1123Subdomain } from './names';
import { validateAnnotations } from './object';
import { OBJECT_META_SHAPE, findUnknownFields, unknownFieldWarning } from './unknown-fields';
import {
  ADMIN_NETWORK_POLICY_KIND, ADMIN_POLICY_API_VERSION, BASELINE_ADMIN_NETWORK_POLICY_KIND, BASELINE_ADMIN_NETWORK_POLICY_NAME,
  CLUSTER_NETWORK_POLICY_KIND, CLUSTER_POLICY_API_VERSION, MAX_CLUSTER_POLICY_PRIORITY, MAX_PORT, MIN_CLUSTER_POLICY_PRIORITY, MIN_PORT, PROTOCOLS,
} from '../../constants';
import { parseCidrSloppy } from '../../net/cidr';
import { FieldError, FieldWarning } from '../field-error';

/**
 * The validation of the network-policy-api project's cluster-wide policies, exactly as their
 * published CRDs define it (bundle v0.2.0 for `ClusterNetworkPolicy` v1alpha2; the v1alpha1
 * `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy`), per channel: the OpenAPI schema of
 * `config/crd/{standard,experimental}` and every CEL rule, with the v1alpha1 defaulting
 * (`protocol: TCP` in `portNumber` and `portRange`).
 *
 * Beyond the CRDs (each fails closed, for a value no implementation could enforce): label
 * selectors are checked as the API server checks a NetworkPolicy's (a CRD checks only their
 * structure), and a v1alpha1 port protocol must be TCP, UDP or SCTP.
 */

/** The kinds this module validates. */
export type ClusterPolicyKind = typeof CLUSTER_NETWORK_POLICY_KIND | typeof ADMIN_NETWORK_POLICY_KIND | typeof BASELINE_ADMIN_NETWORK_POLICY_KIND;

/** The kinds, with the apiVersion each is served under. */
export const CLUSTER_POLICY_KINDS: Readonly<Record<ClusterPolicyKind, string>> = Object.freeze({
  [CLUSTER_NETWORK_POLICY_KIND]: CLUSTER_POLICY_API_VERSION,
  [ADMIN_NETWORK_POLICY_KIND]: ADMIN_POLICY_API_VERSION,
  [BASELINE_ADMIN_NETWORK_POLICY_KIND]: ADMIN_POLICY_API_VERSION,
});

/** Whether an object is one of the three kinds (of any version of their API group, so that a wrong version is an error). */
export function isClusterPolicyKind(obj: any): boolean {
  const kind = obj?.kind;
  if (kind !== CLUSTER_NETWORK_POLICY_KIND && kind !== ADMIN_NETWORK_POLICY_KIND && kind !== BASELINE_ADMIN_NETWORK_POLICY_KIND) return false;
  const v = obj.apiVersion;
  return v === undefined || v === null || v === '' || (typeof v === 'string' && v.startsWith('policy.networking.k8s.io/'));
}

/** Options of the validation. */
export interface ClusterPolicyValidationOptions {
  /** Whether the experimental channel's CRDs are installed (else the standard channel's). */
  readonly experimental: boolean;
  /** Whether fields of a newer CRD are kept (the analysis: they fail closed) rather than pruned (the API server). @default false */
  readonly keepUnknown?: boolean;
}

/** The outcome of validating one object. */
export interface ClusterPolicyValidation {
  readonly errors: FieldError[];
  readonly warnings: FieldWarning[];
  /** The object after the CRD's defaulting, when it is one of the three kinds. */
  readonly defaulted?: any;
}

const LIST_MAX_V1ALPHA2 = 25;
const LIST_MAX_V1ALPHA1 = 100;
const PEER_LIST_MAX = 25;
const RULE_NAME_MAX_LENGTH = 100;
const CIDR_MAX_LENGTH = 43;
/** The CRD's pattern, as published (its `A-z` ranges included). */
const DOMAIN_NAME_PATTERN = /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/**
 * CEL's `isCIDR` (Kubernetes' CEL library: Go's `netip.ParsePrefix`, no IPv4-mapped IPv6): no
 * leading zeros, no zone, no mapped address; bits beyond the prefix are accepted.
 */
export function celIsCidr(text: string): boolean {
  const cidr = parseCidrSloppy(text);
  return cidr !== undefined && !cidr.leadingZeros && !cidr.ipv4Mapped;
}

const SELECTOR: SchemaNode = { t: 'selector' };
const CIDR: SchemaNode = {
  t: 'string',
  maxLength: CIDR_MAX_LENGTH,
  rules: [{ rule: 'isCIDR(self)', message: 'Invalid CIDR format provided', holds: (s: string) => celIsCidr(s) }],
};
const NETWORKS: SchemaNode = { t: 'array', items: CIDR, min: 1, max: PEER_LIST_MAX, set: true };
const DOMAIN_NAMES: SchemaNode = { t: 'array', items: { t: 'string', pattern: DOMAIN_NAME_PATTERN }, min: 1, max: PEER_LIST_MAX, set: true };
const PORT_NUMBER: SchemaNode = { t: 'integer', min: MIN_PORT, max: MAX_PORT };

function namespacedPod(namespaceSelectorRequired: boolean): ObjectNode {
  return {
    t: 'object',
    props: { namespaceSelector: SELECTOR, podSelector: SELECTOR },
    required: namespaceSelectorRequired ? ['namespaceSelector', 'podSelector'] : ['podSelector'],
  };
}

function subject(pods: ObjectNode): ObjectNode {
  return { t: 'object', props: { namespaces: SELECTOR, pods }, minProps: 1, maxProps: 1 };
}

/** `!(self.to.exists(peer, has(peer.a) || ...) && has(self.<ports>) && self.<ports>.exists(p, has(p.<named>)))`. */
function namedPortRule(peerFields: readonly string[], portsField: string, namedField: string, message: string): CelRule {
  return {
    rule: `!(self.to.exists(peer, ${peerFields.map(f => `has(peer.${f})`).join(' || ')}) && has(self.${portsField}) && self.${portsField}.exists(port, has(port.${namedField})))`,
    message,
    experimentalOnly: true,
    holds: (self: any) => {
      const to: any[] = Array.isArray(self.to) ? self.to : [];
      const ports: any[] = Array.isArray(self[portsField]) ? self[portsField] : [];
      const wide = to.some(peer => isObject(peer) && peerFields.some(f => !isAbsent(peer[f])));
      return !(wide && ports.some(p => isObject(p) && !isAbsent(p[namedField])));
    },
  };
}

// ---- v1alpha2 ClusterNetworkPolicy ----

const CNP_PORT: ObjectNode = {
  t: 'object',
  props: {
    number: PORT_NUMBER,
    range: {
      t: 'object',
      props: { start: PORT_NUMBER, end: PORT_NUMBER },
      required: ['end', 'start'],
      rules: [{ rule: 'self.start < self.end', message: 'Start port must be less than End port', holds: (s: any) => s.start < s.end }],
    },
  },
  minProps: 1,
  maxProps: 1,
};
const CNP_PROTOCOL_MATCH: ObjectNode = { t: 'object', props: { destinationPort: CNP_PORT }, minProps: 1 };
const CNP_PROTOCOLS: SchemaNode = {
  t: 'array',
  min: 1,
  max: PEER_LIST_MAX,
  items: {
    t: 'object',
    props: { tcp: CNP_PROTOCOL_MATCH, udp: CNP_PROTOCOL_MATCH, sctp: CNP_PROTOCOL_MATCH, destinationNamedPort: { t: 'string' } },
    minProps: 1,
    maxProps: 1,
  },
};
const ACTIONS_V1ALPHA2 = ['Accept', 'Deny', 'Pass'];

const CNP_SPEC: ObjectNode = {
  t: 'object',
  required: ['priority', 'subject', 'tier'],
  props: {
    tier: { t: 'string', enum: ['Admin', 'Baseline'] },
    priority: { t: 'integer', min: MIN_CLUSTER_POLICY_PRIORITY, max: MAX_CLUSTER_POLICY_PRIORITY },
    subject: subject(namespacedPod(false)),
    ingress: {
      t: 'array',
      max: LIST_MAX_V1ALPHA2,
      items: {
        t: 'object',
        required: ['action', 'from'],
        props: {
          name: { t: 'string', maxLength: RULE_NAME_MAX_LENGTH },
          action: { t: 'string', enum: ACTIONS_V1ALPHA2 },
          from: { t: 'array', min: 1, max: PEER_LIST_MAX, items: { t: 'object', props: { namespaces: SELECTOR, pods: namespacedPod(false) }, minProps: 1, maxProps: 1 } },
          protocols: CNP_PROTOCOLS,
        },
      },
    },
    egress: {
      t: 'array',
      max: LIST_MAX_V1ALPHA2,
      items: {
        t: 'object',
        required: ['action', 'to'],
        rules: [namedPortRule(['networks', 'nodes', 'domainNames'], 'protocols', 'destinationNamedPort',
          'networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames')],
        props: {
          name: { t: 'string', maxLength: RULE_NAME_MAX_LENGTH },
          action: { t: 'string', enum: ACTIONS_V1ALPHA2 },
          to: {
            t: 'array',
            min: 1,
            max: PEER_LIST_MAX,
            items: {
              t: 'object',
              props: { namespaces: SELECTOR, pods: namespacedPod(false), nodes: SELECTOR, networks: NETWORKS, domainNames: DOMAIN_NAMES },
              experimental: ['nodes', 'domainNames'],
              minProps: 1,
              maxProps: 1,
            },
          },
          protocols: CNP_PROTOCOLS,
        },
      },
    },
  },
};

// ---- v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy ----

const V1ALPHA1_PORTS: SchemaNode = {
  t: 'array',
  min: 1,
  max: LIST_MAX_V1ALPHA1,
  items: {
    t: 'object',
    props: {
      portNumber: { t: 'object', props: { protocol: { t: 'string', enum: PROTOCOLS }, port: PORT_NUMBER }, required: ['port', 'protocol'] },
      namedPort: { t: 'string' },
      portRange: { t: 'object', props: { protocol: { t: 'string', enum: PROTOCOLS }, start: PORT_NUMBER, end: PORT_NUMBER }, required: ['end', 'start'] },
    },
    experimental: ['namedPort'],
    minProps: 1,
    maxProps: 1,
  },
};

function v1alpha1Spec(baseline: boolean): ObjectNode {
  const actions = baseline ? ['Allow', 'Deny'] : ['Allow', 'Deny', 'Pass'];
  const egressPeerFields: Record<string, SchemaNode> = { namespaces: SELECTOR, pods: namespacedPod(true), nodes: SELECTOR, networks: NETWORKS };
  if (!baseline) egressPeerFields.domainNames = DOMAIN_NAMES;
  const wide = baseline ? ['networks', 'nodes'] : ['networks', 'nodes', 'domainNames'];
  const props: Record<string, SchemaNode> = {
    subject: subject(namespacedPod(true)),
    ingress: {
      t: 'array',
      max: LIST_MAX_V1ALPHA1,
      items: {
        t: 'object',
        required: ['action', 'from'],
        props: {
          name: { t: 'string', maxLength: RULE_NAME_MAX_LENGTH },
          action: { t: 'string', enum: actions },
          from: { t: 'array', min: 1, max: LIST_MAX_V1ALPHA1, items: { t: 'object', props: { namespaces: SELECTOR, pods: namespacedPod(true) }, minProps: 1, maxProps: 1 } },
          ports: V1ALPHA1_PORTS,
        },
      },
    },
    egress: {
      t: 'array',
      max: LIST_MAX_V1ALPHA1,
      items: {
        t: 'object',
        required: ['action', 'to'],
        rules: [namedPortRule(wide, 'ports', 'namedPort',
          `${wide.join('/')} peer cannot be set with namedPorts since there are no namedPorts for ${wide.join('/')}`)],
        props: {
          name: { t: 'string', maxLength: RULE_NAME_MAX_LENGTH },
          action: { t: 'string', enum: actions },
          to: {
            t: 'array',
            min: 1,
            max: LIST_MAX_V1ALPHA1,
            items: { t: 'object', props: egressPeerFields, experimental: ['nodes', 'domainNames'], minProps: 1, maxProps: 1 },
          },
          ports: V1ALPHA1_PORTS,
        },
      },
    },
  };
  if (!baseline) props.priority = { t: 'integer', min: MIN_CLUSTER_POLICY_PRIORITY, max: MAX_CLUSTER_POLICY_PRIORITY };
  return { t: 'object', props, required: baseline ? ['subject'] : ['priority', 'subject'] };
}

const SPECS: Readonly<Record<ClusterPolicyKind, ObjectNode>> = {
  [CLUSTER_NETWORK_POLICY_KIND]: CNP_SPEC,
  [ADMIN_NETWORK_POLICY_KIND]: v1alpha1Spec(false),
  [BASELINE_ADMIN_NETWORK_POLICY_KIND]: v1alpha1Spec(true),
};

/** The v1alpha1 CRDs' defaulting: a `portNumber` or `portRange` without `protocol` is TCP. */
function defaultV1alpha1(spec: any): any {
  if (!isObject(spec)) return spec;
  const rules = (list: unknown) => Array.isArray(list) ? list.map(rule => {
    if (!isObject(rule) || !Array.isArray(rule.ports)) return rule;
    return {
      ...rule,
      ports: rule.ports.map(p => {
        if (!isObject(p)) return p;
        const out: any = { ...p };
        for (const f of ['portNumber', 'portRange']) {
          if (isObject(p[f]) && isAbsent(p[f].protocol)) out[f] = { ...p[f], protocol: 'TCP' };
        }
        return out;
      }),
    };
  }) : list;
  return { ...spec, ingress: rules(spec.ingress), egress: rules(spec.egress) };
}

/** `metadata` of a cluster-scoped object named by a DNS-1123 subdomain. */
function validateMetadata(metadata: unknown, errors: FieldError[], warnings: FieldWarning[]): void {
  if (isAbsent(metadata)) {
    errors.push(required('metadata', 'metadata.name is required'));
    return;
  }
  if (!isObject(metadata)) {
    errors.push(wrongType('metadata', metadata, 'an object'));
    return;
  }
  const { name, namespace } = metadata;
  if (isAbsent(name) || name === '') {
    if (isAbsent(metadata.generateName) || metadata.generateName === '') errors.push(required('metadata.name', 'name or generateName is required'));
  } else if (typeof name !== 'string') {
    errors.push(wrongType('metadata.name', name, 'a string'));
  } else {
    errors.push(...isDns1123Subdomain(name).map(msg => invalid('metadata.name', name, msg)));
  }
  if (!isAbsent(namespace) && namespace !== '') {
    warnings.push(warning('metadata.namespace', 'ClusterScoped',
      'the policy is cluster-scoped: the API server ignores metadata.namespace, and the policy applies to every namespace its subject selects'));
  }
  errors.push(...validateLabels(metadata.labels, 'metadata.labels'));
  errors.push(...validateAnnotations(metadata.annotations, 'metadata.annotations'));
  warnings.push(...findUnknownFields(metadata, OBJECT_META_SHAPE, 'metadata').map(unknownFieldWarning));
}

/**
 * Validates a ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy object
 * as the API server does with the CRDs of the given channel installed, after their defaulting.
 */
export function validateClusterPolicyObject(obj: any, opts: ClusterPolicyValidationOptions): ClusterPolicyValidation {
  if (!isObject(obj)) return { errors: [wrongType('', obj, 'an object')], warnings: [] };
  const kind = obj.kind as ClusterPolicyKind;
  const kinds = Object.keys(CLUSTER_POLICY_KINDS);
  if (isAbsent(kind) || (kind as string) === '') return { errors: [required('kind', `must be one of ${kinds.map(k => JSON.stringify(k)).join(', ')}`)], warnings: [] };
  if (!kinds.includes(kind)) return { errors: [notSupported('kind', kind, kinds)], warnings: [] };
  const errors: FieldError[] = [];
  const warnings: FieldWarning[] = [];
  const apiVersion = CLUSTER_POLICY_KINDS[kind];
  if (isAbsent(obj.apiVersion) || obj.apiVersion === '') {
    errors.push(required('apiVersion', `must be "${apiVersion}"`));
  } else if (obj.apiVersion !== apiVersion) {
    errors.push(notSupported('apiVersion', obj.apiVersion, [apiVersion]));
  }
  validateMetadata(obj.metadata, errors, warnings);
  if (kind === BASELINE_ADMIN_NETWORK_POLICY_KIND && isObject(obj.metadata) && typeof obj.metadata.name === 'string'
    && obj.metadata.name !== BASELINE_ADMIN_NETWORK_POLICY_NAME) {
    errors.push(invalid('metadata.name', obj.metadata.name,
      'Only one baseline admin network policy with metadata.name="default" can be created in the cluster'));
  }
  for (const name of Object.keys(obj)) {
    if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(name)) {
      warnings.push(warning(name, 'UnknownField', `unknown field "${name}": the API server prunes it (or rejects it under strict field validation, kubectl's default)`));
    }
  }
  const spec = kind === CLUSTER_NETWORK_POLICY_KIND ? obj.spec : defaultV1alpha1(obj.spec);
  if (isAbsent(spec)) {
    errors.push(required('spec', ''));
  } else {
    validateSchema(spec, SPECS[kind], 'spec', {
      experimental: opts.experimental,
      channel: opts.experimental ? 'experimental' : 'standard',
      keepUnknown: opts.keepUnknown ?? false,
      errors,
      warnings,
    });
  }
  return { errors, warnings, defaulted: { ...obj, spec } };
}
