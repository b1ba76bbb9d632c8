/**
 * Reads Kubernetes objects into what the analysis needs: namespaces and their labels,
 * endpoints (pods, workloads standing for their pods, external IPs) and NetworkPolicies.
 */
import { AnalysisInputError } from './analysis-input-error';
import { Endpoint, EndpointPort } from './endpoint';
import { ClusterService, ServicePort } from './service';
import { NAMESPACE_NAME_LABEL, PROTOCOLS } from '../constants';
import { sortClusterPolicies } from './tiers';
import { ParsedClusterPolicy, clusterPolicyErrorMessage, isClusterPolicyObject, readClusterPolicy } from '../model/cluster-network-policy';
import { IpAddress, parseIpAddress } from '../model/ip-block';
import { expandList } from '../model/list-items';
import { ParsedPolicy, isNetworkPolicyObject, policyErrorMessage, readNetworkPolicy } from '../model/network-policy';
import { Labels } from '../model/selector';
import { ipAddressProblem } from '../net/cidr';
import { Protocol } from '../port';
import { FieldValidation } from '../validation/field-validation';
import { NetworkPolicyValidator } from '../validation/network-policy-validator';
import { nullLabelValueDetail } from '../validation/private/label-selector';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from '../validation/private/names';

/** An endpoint with what evaluation needs. */
export interface EndpointRecord extends Endpoint {
  readonly labels: Record<string, string>;
  /** The parsed `ips`. */
  readonly addresses: readonly IpAddress[];
  /** Every name a query can use for it. */
  readonly aliases: readonly string[];
}

/** Everything read from a set of objects. */
export interface ClusterObjects {
  /** Namespace name to labels (the name label included), declared or implied. */
  readonly namespaces: ReadonlyMap<string, Labels>;
  /** The names of the namespaces a Namespace object declares. */
  readonly declaredNamespaces: ReadonlySet<string>;
  /** The endpoints, pods and workloads sorted by name, then external endpoints. */
  readonly endpoints: readonly EndpointRecord[];
  /** The policies, sorted by id. */
  readonly policies: readonly ParsedPolicy[];
  /** The Services that select pods by labels, sorted by name. */
  readonly services: readonly ClusterService[];
  /** The cluster-wide policies (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy), by tier, priority and id. */
  readonly clusterPolicies: readonly ParsedClusterPolicy[];
  /** The fields dropped from NetworkPolicies under `FieldValidation.WARN`, one line each, in input order. */
  readonly warnings: readonly string[];
}

/** Where a workload keeps its pod template. */
const POD_TEMPLATES: Record<string, (obj: any) => any> = {
  Deployment: obj => obj.spec?.template,
  StatefulSet: obj => obj.spec?.template,
  DaemonSet: obj => obj.spec?.template,
  ReplicaSet: obj => obj.spec?.template,
  ReplicationController: obj => obj.spec?.template,
  Job: obj => obj.spec?.template,
  CronJob: obj => obj.spec?.jobTemplate?.spec?.template,
};

interface PendingEndpoint {
  kind: string;
  namespace: string;
  objectName: string;
  labels: Record<string, string>;
  ports: EndpointPort[];
  ips: string[];
  addresses: IpAddress[];
  hostNetwork: boolean;
}

/** Compares strings by code unit, so the order never depends on the locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads Namespaces, Pods, workloads and NetworkPolicies from the objects; `List` objects are
 * expanded (`model/list-items`) and every other kind is ignored. Every NetworkPolicy goes
 * through the one model (`model/network-policy`): one the API server would reject is an input
 * error, never evaluated. Under `FieldValidation.WARN` or `IGNORE` (kubectl's `--validate=warn` or
 * `false`), a NetworkPolicy's unknown fields (a `status` from an old cluster's export, a typo)
 * are not errors: the policy is read as the API server stores it, without them
 * (`NetworkPolicyValidator.withoutUnknownFields`), and WARN lists each dropped field.
 */
export function readClusterObjects(
  objects: readonly any[], defaultNamespace: string, externalIps: readonly string[], fieldValidation: FieldValidation = FieldValidation.STRICT,
): ClusterObjects {
  const declaredNamespaces = new Map<string, Record<string, string>>();
  const pending: PendingEndpoint[] = [];
  const policies = new Map<string, ParsedPolicy>();
  const services: ClusterService[] = [];
  const clusterPolicies = new Map<string, ParsedClusterPolicy>();
  const warnings: string[] = [];

  const visit = (obj: any): void => {
    if (!obj || typeof obj !== 'object') return;
    const kind = obj.kind;
    if (kind === 'Service' && (obj.apiVersion === undefined || obj.apiVersion === 'v1')) {
      const service = readService(obj, defaultNamespace);
      if (service) services.push(service);
    } else if (kind === 'Namespace') {
      const name = requireName(obj, 'Namespace');
      if (declaredNamespaces.has(name)) throw new AnalysisInputError(`Namespace ${name} is defined more than once`);
      declaredNamespaces.set(name, { ...readLabels(obj.metadata?.labels, `Namespace ${name}: metadata.labels`), [NAMESPACE_NAME_LABEL]: name });
    } else if (isNetworkPolicyObject(obj)) {
      const stored = fieldValidation === FieldValidation.STRICT ? obj : NetworkPolicyValidator.withoutUnknownFields(obj);
      const read = readNetworkPolicy(stored, { defaultNamespace });
      if (!read.policy) throw new AnalysisInputError(policyErrorMessage(stored, read.errors, defaultNamespace));
      const policy = read.policy;
      if (fieldValidation === FieldValidation.WARN) {
        for (const w of NetworkPolicyValidator.validate(obj, { fieldValidation }).warnings) {
          if (w.code === 'UnknownField') warnings.push(`NetworkPolicy ${policy.id}: ${NetworkPolicyValidator.formatWarning(w)}`);
        }
      }
      if (policies.has(policy.id)) throw new AnalysisInputError(`NetworkPolicy ${policy.id} is defined more than once`);
      policies.set(policy.id, policy);
    } else if (isClusterPolicyObject(obj)) {
      const read = readClusterPolicy(obj);
      if (!read.policy) throw new AnalysisInputError(clusterPolicyErrorMessage(obj, read.errors));
      if (clusterPolicies.has(read.policy.id)) throw new AnalysisInputError(`${read.policy.id} is defined more than once`);
      clusterPolicies.set(read.policy.id, read.policy);
    } else if (kind === 'Pod') {
      pending.push(readPodLike(obj, 'Pod', obj.metadata, obj.spec, obj.status, defaultNamespace));
    } else if (typeof kind === 'string' && POD_TEMPLATES[kind]) {
      const template = POD_TEMPLATES[kind](obj) ?? {};
      const endpoint = readPodLike(obj, kind, template.metadata, template.spec, undefined, defaultNamespace);
      pending.push(endpoint);
    }
  };
  objects.forEach((obj, i) => {
    for (const entry of expandList(obj)) {
      if (entry.problem) throw new AnalysisInputError(`object ${i} (${obj.kind}), item ${entry.item}: ${entry.problem}`);
      visit(entry.object);
    }
  });

  const namespaces = new Map<string, Labels>();
  const implyNamespace = (name: string) => {
    if (!namespaces.has(name)) namespaces.set(name, declaredNamespaces.get(name) ?? { [NAMESPACE_NAME_LABEL]: name });
  };
  [...declaredNamespaces.keys()].forEach(implyNamespace);
  pending.forEach(e => implyNamespace(e.namespace));
  [...policies.values()].forEach(p => implyNamespace(p.namespace));

  return {
    namespaces,
    declaredNamespaces: new Set(declaredNamespaces.keys()),
    endpoints: [...nameEndpoints(pending), ...readExternalIps(externalIps)],
    policies: [...policies.values()].sort((a, b) => compareStrings(a.id, b.id)),
    services: services.sort((a, b) => compareStrings(a.name, b.name)),
    clusterPolicies: sortClusterPolicies([...clusterPolicies.values()]),
    warnings,
  };
}

/** A value quoted for a message: JSON (control characters escaped), cut when long. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The object's name, checked as the API server checks it on create: a Namespace's name is a
 * DNS-1123 label, a Pod's and a workload's a DNS-1123 subdomain. An object the server would reject
 * is an input error, never an endpoint (its name goes into every output: a report, a table, a
 * pull-request comment).
 */

/**
 * A Service that selects pods by labels (`spec.selector`, not empty), or `undefined`: Services
 * without a selector, ExternalName Services and malformed entries send no traffic a policy could
 * tell apart, and are left out (so are port entries without a numeric `port`).
 */
function readService(obj: any, defaultNamespace: string): ClusterService | undefined {
  const spec = obj.spec ?? {};
  const selector = spec.selector;
  const name = obj.metadata?.name;
  const namespace = obj.metadata?.namespace || defaultNamespace;
  // The API server refuses these names, and the probes pass both to kubectl as arguments.
  const nameProblems = typeof name === 'string' ? isDns1035Label(name) : ['Required value'];
  if (nameProblems.length > 0) {
    throw new AnalysisInputError(`Service ${JSON.stringify(name)}: metadata.name: Invalid value: ${JSON.stringify(name)}: ${nameProblems.join('; ')}`);
  }
  const namespaceProblems = typeof namespace === 'string' ? isDns1123Label(namespace) : ['must be a string'];
  if (namespaceProblems.length > 0) {
    throw new AnalysisInputError(`Service ${JSON.stringify(name)}: metadata.namespace: Invalid value: ${JSON.stringify(namespace)}: ${namespaceProblems.join('; ')}`);
  }
  if (spec.type === 'ExternalName') return undefined;
  if (selector === null || typeof selector !== 'object' || Array.isArray(selector) || Object.keys(selector).length === 0) return undefined;
  if (!Object.values(selector).every(v => typeof v === 'string')) return undefined;
  const ports: ServicePort[] = [];
  for (const p of Array.isArray(spec.ports) ? spec.ports : []) {
    if (!p || !Number.isInteger(p.port)) continue;
    const protocol = PROTOCOLS.includes(p.protocol) ? p.protocol as Protocol : Protocol.TCP;
    const t = p.targetPort;
    const target = Number.isInteger(t) ? { targetPort: t as number }
      : typeof t === 'string' && /^[0-9]+$/.test(t) ? { targetPort: Number(t) }
        : typeof t === 'string' && t !== '' ? { targetPortName: t } : {};
    ports.push({ ...(typeof p.name === 'string' && p.name !== '' ? { name: p.name } : {}), port: p.port, protocol, ...target });
  }
  return { name: `${namespace}/${name}`, namespace, selector: { ...selector }, headless: spec.clusterIP === 'None', ports };
}

function requireName(obj: any, kind: string): string {
  const name = obj.metadata?.name;
  const namespace = obj.metadata?.namespace;
  const where = kind !== 'Namespace' && typeof namespace === 'string' && namespace !== ''
    ? ` in namespace ${isDns1123Label(namespace).length === 0 ? namespace : shown(namespace)}` : '';
  if (typeof name !== 'string' || name === '') {
    throw new AnalysisInputError(`${kind}${where}: metadata.name: Required value`);
  }
  const problems = kind === 'Namespace' ? isDns1123Label(name) : isDns1123Subdomain(name);
  if (problems.length > 0) {
    throw new AnalysisInputError(`${kind}${where}: metadata.name: Invalid value: ${shown(name)}: ${problems.join('; ')}`);
  }
  return name;
}

/** The object's namespace (or the default), checked as the API server checks it: a DNS-1123 label. */
function namespaceOf(obj: any, kind: string, name: string, defaultNamespace: string): string {
  const namespace = obj.metadata?.namespace;
  if (namespace === undefined || namespace === null || namespace === '') return defaultNamespace;
  const problems = typeof namespace === 'string' ? isDns1123Label(namespace) : ['must be a string'];
  if (problems.length > 0) {
    throw new AnalysisInputError(`${kind} ${name}: metadata.namespace: Invalid value: ${shown(namespace)}: ${problems.join('; ')}`);
  }
  return namespace;
}

function readPodLike(obj: any, kind: string, podMetadata: any, podSpec: any, status: any, defaultNamespace: string): PendingEndpoint {
  const objectName = requireName(obj, kind);
  const namespace = namespaceOf(obj, kind, objectName, defaultNamespace);
  const where = `${kind} ${namespace}/${objectName}`;
  const ports: EndpointPort[] = [];
  const containers = Array.isArray(podSpec?.containers) ? podSpec.containers : [];
  containers.forEach((container: any, c: number) => {
    const containerPorts = Array.isArray(container?.ports) ? container.ports : [];
    containerPorts.forEach((p: any, i: number) => {
      const field = `${where}: containers[${c}].ports[${i}]`;
      const port = p?.containerPort;
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new AnalysisInputError(`${field}.containerPort: Invalid value: ${JSON.stringify(port)}: must be between 1 and 65535, inclusive`);
      }
      const protocol = p.protocol ?? Protocol.TCP;
      if (!PROTOCOLS.includes(protocol)) {
        throw new AnalysisInputError(`${field}.protocol: Unsupported value: ${JSON.stringify(protocol)}: supported values: ${PROTOCOLS.map(x => `"${x}"`).join(', ')}`);
      }
      ports.push(p.name ? { port, protocol, name: String(p.name) } : { port, protocol });
    });
  });

  const ipTexts: string[] = [];
  if (typeof status?.podIP === 'string' && status.podIP !== '') ipTexts.push(status.podIP);
  if (Array.isArray(status?.podIPs)) {
    for (const entry of status.podIPs) {
      if (typeof entry?.ip === 'string' && !ipTexts.includes(entry.ip)) ipTexts.push(entry.ip);
    }
  }
  const addresses = ipTexts.map(ip => {
    const address = parseIpAddress(ip);
    if (!address) throw new AnalysisInputError(`${where}: status.podIP: Invalid value: ${JSON.stringify(ip)}: ${ipAddressProblem(ip)}`);
    return address;
  });

  const labelsField = kind === 'Pod' ? 'metadata.labels' : 'pod template metadata.labels';
  const hostNetwork = podSpec?.hostNetwork === true;
  return { kind, namespace, objectName, labels: readLabels(podMetadata?.labels, `${where}: ${labelsField}`), ports, ips: ipTexts, addresses, hostNetwork };
}

/** Names endpoints `namespace/name`, or `namespace/kind/name` where objects of several kinds share a name. */
function nameEndpoints(pending: readonly PendingEndpoint[]): EndpointRecord[] {
  const byName = new Map<string, PendingEndpoint[]>();
  for (const e of pending) {
    const key = `${e.namespace}/${e.objectName}`;
    const group = byName.get(key);
    if (group) group.push(e);
    else byName.set(key, [e]);
  }
  const records: EndpointRecord[] = [];
  for (const [shortName, group] of byName) {
    for (const e of group) {
      const longName = `${e.namespace}/${e.kind.toLowerCase()}/${e.objectName}`;
      if (group.filter(other => other.kind === e.kind).length > 1) {
        throw new AnalysisInputError(`${e.kind} ${shortName} is defined more than once`);
      }
      const name = group.length === 1 ? shortName : longName;
      records.push({
        name,
        kind: e.kind,
        namespace: e.namespace,
        labels: e.labels,
        ports: e.ports,
        ips: e.ips,
        external: false,
        addresses: e.addresses,
        aliases: group.length === 1 ? [shortName, longName] : [longName],
        ...(e.hostNetwork ? { hostNetwork: true } : {}),
      });
    }
  }
  return records.sort((a, b) => compareStrings(a.namespace!, b.namespace!) || compareStrings(a.name, b.name));
}

function readExternalIps(ips: readonly string[]): EndpointRecord[] {
  const seen = new Set<string>();
  const records: EndpointRecord[] = [];
  for (const ip of ips) {
    const address = parseIpAddress(ip);
    if (!address) throw new AnalysisInputError(`externalIps: Invalid value: ${JSON.stringify(ip)}: ${ipAddressProblem(ip)}`);
    if (seen.has(ip)) continue;
    seen.add(ip);
    records.push({ name: ip, kind: 'External', labels: {}, ports: [], ips: [ip], external: true, addresses: [address], aliases: [ip] });
  }
  return records;
}

/**
 * Reads the labels of a Namespace or pod as the API server decodes them: a `null` value is an
 * error (the server would store "", kubectl apply deletes the key: `nullLabelValueDetail`); any other value that is not a string is an error (the server rejects the
 * object), never dropped or guessed.
 */
function readLabels(raw: unknown, field: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (raw === undefined || raw === null) return labels;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AnalysisInputError(`${field}: Invalid value: must be a map of label keys to string values`);
  }
  for (const [k, v] of Object.entries(raw)) {
    // the one key an ordinary object cannot hold; the API server refuses it (a label key starts with a letter or digit)
    if (k === '__proto__') throw new AnalysisInputError(`${field}: Invalid value: "__proto__": a label key must start and end with a letter or digit`);
    if (v === null) throw new AnalysisInputError(`${field}[${k}]: Invalid value: null: ${nullLabelValueDetail(k)}`);
    if (typeof v === 'string') labels[k] = v;
    else throw new AnalysisInputError(`${field}[${k}]: Invalid value: ${JSON.stringify(v)}: must be a string (quote it in YAML)`);
  }
  return labels;
}
