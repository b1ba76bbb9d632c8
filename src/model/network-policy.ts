/**
 * The one model of a NetworkPolicy. Every reader (the analysis, lint, `BlockMetadata`'s
 * guarantee for rendered objects, the CLI) gets policies through `readNetworkPolicy`:
 *
 *   object -> validate (the API server's rules, `validation/`) -> default (once) -> this model
 *
 * An object the API server would reject never becomes a model: its errors are returned
 * instead, so nothing downstream can read an invalid policy wider than the server would.
 * The model is immutable (deeply frozen).
 */
import { NETWORK_POLICY_API_VERSION, NETWORK_POLICY_KIND } from '../constants';
import { Direction } from '../direction';
import { Protocol } from '../port';
import { IpBlock } from './ip-block';
import { Selector } from './selector';
import { BoundedCache } from '../private/bounded-cache';
import { snapshotData } from '../private/runtime-check';
import { FieldError, FieldWarning } from '../validation/field-error';
import { NetworkPolicyValidator } from '../validation/network-policy-validator';
import { SpecPartValidation, validateNetworkPolicyObject, validateSpecPart } from '../validation/private/object';

/** One entry of a rule's `ports` list, defaulted. */
export interface PolicyPort {
  readonly index: number;
  readonly protocol: Protocol;
  /** The port number, when numeric. */
  readonly port?: number;
  /** The inclusive end of a range starting at `port`. */
  readonly endPort?: number;
  /** The container port name, when named. */
  readonly name?: string;
  /** `TCP/80`, `TCP/8000-8080`, `TCP/"http"`, `UDP/*`. */
  readonly text: string;
}

/** One entry of a rule's `from` or `to` list. */
export interface PolicyPeer {
  readonly index: number;
  readonly podSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly ipBlock?: IpBlock;
  /** `namespaceSelector {team=a} AND podSelector {app=web}`, `ipBlock 10.0.0.0/8`. */
  readonly text: string;
}

/** One ingress or egress rule. */
export interface PolicyRule {
  readonly direction: Direction;
  readonly index: number;
  /** The peers, ORed; `undefined` when the rule has none (every peer, external IPs included). */
  readonly peers?: readonly PolicyPeer[];
  /** The ports, ORed; `undefined` when the rule has none (every port of every protocol). */
  readonly ports?: readonly PolicyPort[];
}

/** A valid NetworkPolicy after the API server's defaulting. */
export interface ParsedPolicy {
  readonly namespace: string;
  readonly name: string;
  /** `namespace/name`. */
  readonly id: string;
  readonly podSelector: Selector;
  /** Whether the defaulted `policyTypes` include Ingress. */
  readonly isolatesIngress: boolean;
  /** Whether the defaulted `policyTypes` include Egress. */
  readonly isolatesEgress: boolean;
  /** The enforced ingress rules (none when `policyTypes` omits Ingress: such rules are ignored). */
  readonly ingress: readonly PolicyRule[];
  /** The enforced egress rules (none when `policyTypes` omits Egress: such rules are ignored). */
  readonly egress: readonly PolicyRule[];
  /** `metadata.annotations`. */
  readonly annotations: Readonly<Record<string, string>>;
  /** What the API server accepts but is almost certainly a mistake (`IgnoredRules`, ...). */
  readonly warnings: readonly FieldWarning[];
}

/** Options of `readNetworkPolicy`. */
export interface ReadPolicyOptions {
  /** The namespace of a policy without `metadata.namespace` (kubectl's `-n`). */
  readonly defaultNamespace: string;
  /** Current servers' strict CIDR checks (see `ValidationOptions.strictCidr`). @default true */
  readonly strictCidr?: boolean;
}

/** A policy read from an object: the model, or why the API server would reject it. */
export interface PolicyRead {
  /** The model; `undefined` when there are errors. */
  readonly policy?: ParsedPolicy;
  /** What the API server would reject, in its order. */
  readonly errors: readonly FieldError[];
  readonly warnings: readonly FieldWarning[];
}

/**
 * Whether an object is a NetworkPolicy of the Kubernetes API (of any version of
 * `networking.k8s.io`, or of the long-removed `extensions/v1beta1`, so that a wrong version
 * is an error instead of a policy silently left out) rather than another API's kind of the
 * same name (Calico's `projectcalico.org` NetworkPolicy, which is not read).
 */
export function isNetworkPolicyObject(obj: any): boolean {
  if (obj?.kind !== NETWORK_POLICY_KIND) return false;
  const v = obj.apiVersion;
  return v === undefined || v === null || v === '' || v === NETWORK_POLICY_API_VERSION
    || (typeof v === 'string' && (v.startsWith('networking.k8s.io/') || v.startsWith('extensions/')));
}

/**
 * Reads a NetworkPolicy object: validates it as the API server does, applies its defaulting,
 * and builds the model.
 */
export function readNetworkPolicy(input: any, options: ReadPolicyOptions): PolicyRead {
  const strictCidr = options.strictCidr ?? true;
  // Read once: every value of the input is read into this snapshot, which alone is validated,
  // cached and built into the model (a getter or a Proxy answers once; see runtime-check.ts).
  const snapshot = snapshotData(input);
  const obj: any = snapshot.value;
  const spec = obj !== null && typeof obj === 'object' && !Array.isArray(obj) ? readSpec(obj.spec, snapshot.json, strictCidr) : undefined;
  const { errors, warnings } = validateNetworkPolicyObject(obj, { strictCidr }, spec?.validation);
  if (errors.length > 0 || !spec) return { errors, warnings };
  const metadata = obj.metadata ?? {};
  const namespace: string = metadata.namespace || options.defaultNamespace;
  const name: string = metadata.name || metadata.generateName;
  const policy: ParsedPolicy = Object.freeze({
    namespace,
    name,
    id: `${namespace}/${name}`,
    ...spec.rules(),
    annotations: Object.freeze({ ...metadata.annotations }),
    // the warnings may quote parts of the input, which is not ours to freeze
    warnings: Object.freeze([...warnings]),
  });
  return { policy, errors: [], warnings };
}

/** What a policy's spec alone decides: its validation and (when valid) its rules. */
interface SpecRead {
  readonly validation: SpecPartValidation;
  /** The selector, isolation and rules of the model, built on first use (immutable, so shared). */
  rules(): Pick<ParsedPolicy, 'podSelector' | 'isolatesIngress' | 'isolatesEgress' | 'ingress' | 'egress'>;
}

/**
 * Equal specs recur in every namespace of an organisation: each distinct spec (up to a size)
 * is validated and built once per process.
 */
const SPECS = new BoundedCache<string, SpecRead>(2_000);
const MAX_CACHED_SPEC_LENGTH = 16 * 1024;

/**
 * The reading of a spec, from the snapshot of its object. Only a spec made of JSON values alone
 * (plain objects, arrays, strings, finite numbers, booleans, null) shares a cached reading with
 * equal specs, keyed by its JSON text: any other value (`undefined`, `NaN`, a function, a Date or
 * another class instance) is validated on its own, as its JSON text would stand for another value
 * (`NaN` and `null`, `{ port: () => 80 }` and `{}`). The key and the reading come from the same
 * snapshot, so no getter can make a cached reading stand for another spec.
 *
 * @param objectIsJson whether the whole object's snapshot is exactly JSON (then so is its spec)
 */
function readSpec(spec: unknown, objectIsJson: boolean, strictCidr: boolean): SpecRead {
  const json = objectIsJson || (spec !== undefined && snapshotData(spec).json);
  const key = json ? JSON.stringify(spec ?? null) : undefined;
  const compute = (): SpecRead => specRead(validateSpecPart(spec, { strictCidr }));
  return key !== undefined && key.length <= MAX_CACHED_SPEC_LENGTH ? SPECS.get(`${strictCidr ? 's' : 'l'}${key}`, compute) : compute();
}

function specRead(validation: SpecPartValidation): SpecRead {
  let rules: ReturnType<SpecRead['rules']> | undefined;
  return {
    validation,
    rules: () => {
      if (!rules) {
        const spec = validation.defaultedSpec ?? {};
        const types: string[] = spec.policyTypes;
        const isolatesIngress = types.includes(Direction.INGRESS);
        const isolatesEgress = types.includes(Direction.EGRESS);
        rules = {
          podSelector: Selector.fromValid(spec.podSelector),
          isolatesIngress,
          isolatesEgress,
          ingress: deepFreeze(isolatesIngress ? (spec.ingress ?? []).map((r: any, i: number) => buildRule(r, i, Direction.INGRESS)) : []),
          egress: deepFreeze(isolatesEgress ? (spec.egress ?? []).map((r: any, i: number) => buildRule(r, i, Direction.EGRESS)) : []),
        };
      }
      return rules;
    },
  };
}

/**
 * The message of a policy's first error, for an input error: `NetworkPolicy shop/web:
 * spec.ingress[0].ports[0].port: Invalid value: 0: ...` (with the count of the others).
 */
export function policyErrorMessage(obj: any, errors: readonly FieldError[], defaultNamespace: string): string {
  const metadata = obj?.metadata;
  const name = typeof metadata?.name === 'string' && metadata.name !== '' ? metadata.name : '(unnamed)';
  const namespace = typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : defaultNamespace;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''}: run \`netpol validate\` for all)` : '';
  return `NetworkPolicy ${namespace}/${name}: ${NetworkPolicyValidator.formatError(errors[0])}${more}`;
}

function buildRule(raw: any, index: number, direction: Direction): PolicyRule {
  const peers: any[] = (direction === Direction.INGRESS ? raw.from : raw.to) ?? [];
  const ports: any[] = raw.ports ?? [];
  return {
    direction,
    index,
    peers: peers.length > 0 ? peers.map(buildPeer) : undefined,
    ports: ports.length > 0 ? ports.map(buildPort) : undefined,
  };
}

function buildPeer(raw: any, index: number): PolicyPeer {
  if (raw.ipBlock !== undefined && raw.ipBlock !== null) {
    const ipBlock = IpBlock.fromValid(raw.ipBlock);
    return { index, ipBlock, text: ipBlock.toString() };
  }
  const hasPods = raw.podSelector !== undefined && raw.podSelector !== null;
  const hasNamespaces = raw.namespaceSelector !== undefined && raw.namespaceSelector !== null;
  const podSelector = hasPods ? Selector.fromValid(raw.podSelector) : undefined;
  const namespaceSelector = hasNamespaces ? Selector.fromValid(raw.namespaceSelector) : undefined;
  const parts: string[] = [];
  if (namespaceSelector) parts.push(`namespaceSelector ${namespaceSelector}`);
  if (podSelector) parts.push(`podSelector ${podSelector}`);
  return { index, podSelector, namespaceSelector, text: parts.join(' AND ') };
}

function buildPort(raw: any, index: number): PolicyPort {
  const protocol: Protocol = raw.protocol;
  if (raw.port === undefined || raw.port === null) return { index, protocol, text: `${protocol}/*` };
  if (typeof raw.port === 'string') return { index, protocol, name: raw.port, text: `${protocol}/${JSON.stringify(raw.port)}` };
  const endPort = raw.endPort ?? undefined;
  if (endPort !== undefined) return { index, protocol, port: raw.port, endPort, text: `${protocol}/${raw.port}-${endPort}` };
  return { index, protocol, port: raw.port, text: `${protocol}/${raw.port}` };
}

/** Freezes what the model builds, all the way down (its selectors and ipBlocks freeze themselves). */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
