import { ClusterModel } from '../analysis/cluster-model';
import {
  ADMIN_NETWORK_POLICY_KIND, BASELINE_ADMIN_NETWORK_POLICY_KIND, CLUSTER_NETWORK_POLICY_KIND, CLUSTER_POLICY_API_VERSION,
} from '../constants';
import { clusterPolicyErrorMessage, isClusterPolicyObject, readClusterPolicy } from '../model/cluster-network-policy';
import { expandList } from '../model/list-items';
import { PolicyError } from '../private/errors';
import { validateClusterPolicyObject } from '../validation/private/cluster-policy';

/** Options of `ClusterPolicyMigration.migrate`. */
export interface MigrationOptions {
  /**
   * The v1alpha2 priority of the BaselineAdminNetworkPolicy (v1alpha1 has one Baseline policy, so any priority keeps its meaning).
   *
   * @default 0
   */
  readonly baselinePriority?: number;
  /**
   * The v1alpha2 name of the BaselineAdminNetworkPolicy (always `default` in v1alpha1).
   *
   * @default 'baseline-default'
   */
  readonly baselineName?: string;
}

/** The outcome of a migration. */
export interface MigrationResult {
  /** The objects: every AdminNetworkPolicy and BaselineAdminNetworkPolicy replaced by a ClusterNetworkPolicy, the others unchanged, in order. */
  readonly objects: any[];
  /** How many v1alpha1 objects were migrated. */
  readonly migrated: number;
  /** What changed in form but not in meaning (split rules, dropped empty port ranges), one line each. */
  readonly notes: string[];
  /**
   * Whether the engine finds the same connectivity (every port of every protocol, every pair of
   * the input's endpoints and address ranges) before and after.
   */
  readonly equivalent: boolean;
}

const MAX_ITEMS = 25;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += MAX_ITEMS) out.push(list.slice(i, i + MAX_ITEMS));
  return out.length > 0 ? out : [[]];
}

/** A v1alpha1 `ports` entry as v1alpha2 `protocols` entries (none for an inverted range, which matches no port). */
function protocolEntries(port: any): any[] {
  if (port.namedPort !== undefined && port.namedPort !== null) return [{ destinationNamedPort: port.namedPort }];
  if (port.portNumber) return [{ [String(port.portNumber.protocol).toLowerCase()]: { destinationPort: { number: port.portNumber.port } } }];
  const { protocol, start, end } = port.portRange;
  if (start > end) return [];
  const destinationPort = start === end ? { number: start } : { range: { start, end } };
  return [{ [String(protocol).toLowerCase()]: { destinationPort } }];
}

function migrateRules(rules: any[] | undefined, peersField: 'from' | 'to', where: string, notes: string[]): any[] | undefined {
  if (!rules || rules.length === 0) return undefined;
  const out: any[] = [];
  rules.forEach((rule, i) => {
    const action = rule.action === 'Allow' ? 'Accept' : rule.action;
    let protocols: any[] | undefined;
    if (rule.ports) {
      const entries: any[] = rule.ports.flatMap(protocolEntries);
      protocols = entries;
      if (entries.length < rule.ports.length) notes.push(`${where}[${i}]: a portRange with start > end matches no port and is left out`);
      if (entries.length === 0) {
        notes.push(`${where}[${i}]: every port entry matches no port, so the rule matches nothing and is left out`);
        return;
      }
    }
    const peers: any[] = rule[peersField];
    const peerChunks = chunks(peers);
    const protocolChunks = protocols ? chunks(protocols) : [undefined];
    if (peerChunks.length > 1 || protocolChunks.length > 1) {
      notes.push(`${where}[${i}]: more than ${MAX_ITEMS} ${peersField} peers or ports (the v1alpha2 limit): split into `
        + `${peerChunks.length * protocolChunks.length} consecutive rules with the same action, which match the same traffic`);
    }
    for (const peerChunk of peerChunks) {
      for (const protocolChunk of protocolChunks) {
        out.push({
          ...(rule.name ? { name: rule.name } : {}),
          action,
          [peersField]: peerChunk,
          ...(protocolChunk ? { protocols: protocolChunk } : {}),
        });
      }
    }
  });
  return out;
}

/**
 * Migrates `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy` objects (`policy.networking.k8s.io/v1alpha1`)
 * to `ClusterNetworkPolicy` (v1alpha2) with the same meaning: an AdminNetworkPolicy becomes
 * tier Admin with its priority, the BaselineAdminNetworkPolicy tier Baseline; `Allow` becomes
 * `Accept`; `ports` become `protocols` (`portNumber` a number, `portRange` a range, or a number
 * when it has one port, `namedPort` a `destinationNamedPort`); rules with more peers or ports
 * than v1alpha2 allows (25) are split into consecutive rules with the same action. The result
 * is then proven by the engine: the connectivity of the input (its pods, workloads and address
 * ranges, every port of every protocol) must be the same before and after (`equivalent`).
 *
 * @param objects Kubernetes objects (`List` objects are expanded)
 * @throws if an input policy is invalid, or a migrated policy would have more than 25 rules in a direction
 */
export class ClusterPolicyMigration {
  /**
   * Migrates the v1alpha1 objects among `objects` (see the class).
   *
   * @param objects Kubernetes objects (`List` objects are expanded)
   * @param options the baseline's name and priority
   */
  public static migrate(objects: any[], options: MigrationOptions = {}): MigrationResult {
    return migrate(objects, options);
  }

  private constructor() {
  }
}

function migrate(objects: any[], options: MigrationOptions): MigrationResult {
  if (!Array.isArray(objects)) throw new PolicyError('ClusterPolicyMigration.migrate', 'objects: must be an array of Kubernetes objects');
  if (options === null || typeof options !== 'object') throw new PolicyError('ClusterPolicyMigration.migrate', 'options: must be an object');
  const unknown = Object.keys(options).filter(k => k !== 'baselinePriority' && k !== 'baselineName');
  if (unknown.length > 0) throw new PolicyError('ClusterPolicyMigration.migrate', `options: unknown option ${JSON.stringify(unknown[0])} (known: baselinePriority, baselineName)`);
  const baselineName = options.baselineName ?? 'baseline-default';
  const baselinePriority = options.baselinePriority ?? 0;
  const flat = objects.flatMap(o => expandList(o).map(item => {
    if (item.problem) throw new PolicyError('ClusterPolicyMigration.migrate', `an item ${item.problem}`);
    return item.object;
  }));
  const notes: string[] = [];
  let migrated = 0;
  const out = flat.map(obj => {
    if (!isClusterPolicyObject(obj) || (obj.kind !== ADMIN_NETWORK_POLICY_KIND && obj.kind !== BASELINE_ADMIN_NETWORK_POLICY_KIND)) return obj;
    const read = readClusterPolicy(obj);
    if (!read.policy) throw new PolicyError('ClusterPolicyMigration.migrate', clusterPolicyErrorMessage(obj, read.errors));
    migrated++;
    const baseline = obj.kind === BASELINE_ADMIN_NETWORK_POLICY_KIND;
    const name = baseline ? baselineName : obj.metadata.name;
    const where = `${obj.kind} ${obj.metadata.name}`;
    // the CRD's defaulting (protocol TCP) applied, as the API server stores it
    const spec = JSON.parse(JSON.stringify(validateClusterPolicyObject(obj, { experimental: true, keepUnknown: true }).defaulted.spec));
    const ingress = migrateRules(spec.ingress, 'from', `${where}: spec.ingress`, notes);
    const egress = migrateRules(spec.egress, 'to', `${where}: spec.egress`, notes);
    const metadata: any = { name };
    if (obj.metadata.labels) metadata.labels = { ...obj.metadata.labels };
    if (obj.metadata.annotations) metadata.annotations = { ...obj.metadata.annotations };
    const result = {
      apiVersion: CLUSTER_POLICY_API_VERSION,
      kind: CLUSTER_NETWORK_POLICY_KIND,
      metadata,
      spec: {
        tier: baseline ? 'Baseline' : 'Admin',
        priority: baseline ? baselinePriority : spec.priority,
        subject: spec.subject,
        ...(ingress ? { ingress } : {}),
        ...(egress ? { egress } : {}),
      },
    };
    const { errors } = validateClusterPolicyObject(result, { experimental: true });
    if (errors.length > 0) {
      throw new PolicyError('ClusterPolicyMigration.migrate', `${where} cannot be migrated as one ClusterNetworkPolicy: ${clusterPolicyErrorMessage(result, errors)}`);
    }
    return result;
  });
  const names = new Set<string>();
  for (const o of out) {
    if (o?.kind !== CLUSTER_NETWORK_POLICY_KIND) continue;
    if (names.has(o.metadata?.name)) {
      throw new PolicyError('ClusterPolicyMigration.migrate', `two ClusterNetworkPolicies would be named ${JSON.stringify(o.metadata.name)}: `
        + 'give the baseline another name (baselineName)');
    }
    names.add(o.metadata?.name);
  }
  const before = ClusterModel.fromObjects(flat, { ipBlockMatchesPodIps: true });
  const after = ClusterModel.fromObjects(out, { ipBlockMatchesPodIps: true });
  const equivalent = before.connectivity({ alignWith: [after] }).toText() === after.connectivity({ alignWith: [before] }).toText();
  return { objects: out, migrated, notes, equivalent };
}
