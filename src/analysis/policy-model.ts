/**
 * NetworkPolicy objects read into a form ready for evaluation, with the API server's
 * defaulting applied first: a port without `protocol` is TCP, and a missing or empty
 * `policyTypes` becomes `[Ingress]` plus `Egress` when `egress` has at least one rule.
 */
import { Direction } from '../direction';
import { Protocol } from '../port';
import { AnalysisInputError } from './analysis-input-error';
import { IpBlock } from './ip-block';
import { Selector } from './selector-match';

const PROTOCOLS: readonly string[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

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

/** A NetworkPolicy after defaulting. */
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
  /** The ingress rules (empty when `policyTypes` omits Ingress: such rules are ignored). */
  readonly ingress: readonly PolicyRule[];
  /** The egress rules (empty when `policyTypes` omits Egress: such rules are ignored). */
  readonly egress: readonly PolicyRule[];
}

/**
 * Reads a NetworkPolicy object.
 *
 * @param obj the `networking.k8s.io/v1` NetworkPolicy
 * @param defaultNamespace the namespace of an object without `metadata.namespace`
 */
export function parseNetworkPolicy(obj: any, defaultNamespace: string): ParsedPolicy {
  const name = obj?.metadata?.name;
  const namespace = obj?.metadata?.namespace || defaultNamespace;
  if (typeof name !== 'string' || name === '') {
    throw new AnalysisInputError(`NetworkPolicy in namespace ${namespace}: metadata.name: Required value`);
  }
  const id = `${namespace}/${name}`;
  const where = `NetworkPolicy ${id}: spec`;
  const spec = obj.spec ?? {};
  const ingressRaw = listField(spec.ingress, `${where}.ingress`);
  const egressRaw = listField(spec.egress, `${where}.egress`);

  const typesRaw = listField(spec.policyTypes, `${where}.policyTypes`);
  typesRaw.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') {
      throw new AnalysisInputError(`${where}.policyTypes[${i}]: Unsupported value: ${JSON.stringify(t)}: supported values: "Ingress", "Egress"`);
    }
  });
  const types = typesRaw.length > 0 ? typesRaw : egressRaw.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  const isolatesIngress = types.includes('Ingress');
  const isolatesEgress = types.includes('Egress');

  return {
    namespace,
    name,
    id,
    podSelector: Selector.parse(spec.podSelector, `${where}.podSelector`),
    isolatesIngress,
    isolatesEgress,
    ingress: isolatesIngress ? ingressRaw.map((r, i) => parseRule(r, i, Direction.INGRESS, `${where}.ingress[${i}]`)) : [],
    egress: isolatesEgress ? egressRaw.map((r, i) => parseRule(r, i, Direction.EGRESS, `${where}.egress[${i}]`)) : [],
  };
}

function listField(raw: any, field: string): any[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new AnalysisInputError(`${field}: Invalid value: ${JSON.stringify(raw)}: must be a list`);
  return raw;
}

function parseRule(raw: any, index: number, direction: Direction, where: string): PolicyRule {
  const peerField = direction === Direction.INGRESS ? 'from' : 'to';
  const peersRaw = listField(raw?.[peerField], `${where}.${peerField}`);
  const portsRaw = listField(raw?.ports, `${where}.ports`);
  return {
    direction,
    index,
    peers: peersRaw.length > 0 ? peersRaw.map((p, i) => parsePeer(p, i, `${where}.${peerField}[${i}]`)) : undefined,
    ports: portsRaw.length > 0 ? portsRaw.map((p, i) => parsePort(p, i, `${where}.ports[${i}]`)) : undefined,
  };
}

function parsePeer(raw: any, index: number, where: string): PolicyPeer {
  const hasPod = raw?.podSelector !== undefined && raw?.podSelector !== null;
  const hasNs = raw?.namespaceSelector !== undefined && raw?.namespaceSelector !== null;
  const hasIp = raw?.ipBlock !== undefined && raw?.ipBlock !== null;
  if (!hasPod && !hasNs && !hasIp) {
    throw new AnalysisInputError(`${where}: Required value: must specify a peer (podSelector, namespaceSelector or ipBlock)`);
  }
  if (hasIp && (hasPod || hasNs)) {
    throw new AnalysisInputError(`${where}: Forbidden: may not specify both ipBlock and another peer`);
  }
  if (hasIp) {
    const ipBlock = IpBlock.parse(raw.ipBlock, `${where}.ipBlock`);
    return { index, ipBlock, text: ipBlock.toString() };
  }
  const podSelector = hasPod ? Selector.parse(raw.podSelector, `${where}.podSelector`) : undefined;
  const namespaceSelector = hasNs ? Selector.parse(raw.namespaceSelector, `${where}.namespaceSelector`) : undefined;
  const parts: string[] = [];
  if (namespaceSelector) parts.push(`namespaceSelector ${namespaceSelector}`);
  if (podSelector) parts.push(`podSelector ${podSelector}`);
  return { index, podSelector, namespaceSelector, text: parts.join(' AND ') };
}

function parsePort(raw: any, index: number, where: string): PolicyPort {
  const entry = raw ?? {};
  const protocol = entry.protocol ?? Protocol.TCP;
  if (!PROTOCOLS.includes(protocol)) {
    throw new AnalysisInputError(`${where}.protocol: Unsupported value: ${JSON.stringify(protocol)}: supported values: "SCTP", "TCP", "UDP"`);
  }
  const endPort = entry.endPort ?? undefined;
  if (entry.port === undefined || entry.port === null) {
    if (endPort !== undefined) throw new AnalysisInputError(`${where}.endPort: Required value: may not be specified when \`port\` is not specified`);
    return { index, protocol, text: `${protocol}/*` };
  }
  if (typeof entry.port === 'string') {
    if (/^[0-9]+$/.test(entry.port)) {
      throw new AnalysisInputError(`${where}.port: Invalid value: ${JSON.stringify(entry.port)}: a port name must contain at least one letter; write the number without quotes`);
    }
    if (endPort !== undefined) throw new AnalysisInputError(`${where}.endPort: Invalid value: ${endPort}: may not be specified when \`port\` is a named port`);
    return { index, protocol, name: entry.port, text: `${protocol}/${JSON.stringify(entry.port)}` };
  }
  const port = entry.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AnalysisInputError(`${where}.port: Invalid value: ${JSON.stringify(port)}: must be between 1 and 65535, inclusive`);
  }
  if (endPort !== undefined) {
    if (!Number.isInteger(endPort) || endPort < port || endPort > 65535) {
      throw new AnalysisInputError(`${where}.endPort: Invalid value: ${JSON.stringify(endPort)}: must be between ${port} and 65535, inclusive`);
    }
    return { index, protocol, port, endPort, text: `${protocol}/${port}-${endPort}` };
  }
  return { index, protocol, port, text: `${protocol}/${port}` };
}
