/**
 * How the command line reports one NetworkPolicy's verdict: the `netpol validate` format,
 * which the analysis commands reuse when they refuse an invalid policy.
 */
import { printable } from './terminal-text';
import { FieldError, FieldWarning, NetworkPolicyValidator, ValidationResult } from '../index';
import { LoadedObject } from '../io/manifest-loader';

/** Whether an object is a Kubernetes NetworkPolicy (and not, say, Calico's, which shares the kind). */
export function isKubernetesNetworkPolicy(obj: Record<string, any>): boolean {
  if (obj.kind !== 'NetworkPolicy') return false;
  const apiVersion = obj.apiVersion;
  if (typeof apiVersion !== 'string' || apiVersion === '') return true;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group === 'networking.k8s.io' || group === 'extensions' || group === '';
}

/**
 * Whether an object is one of the network-policy-api project's cluster-wide policies
 * (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) of its API group.
 */
export function isClusterWidePolicy(obj: Record<string, any>): boolean {
  if (!['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'].includes(obj.kind)) return false;
  const apiVersion = obj.apiVersion;
  return typeof apiVersion !== 'string' || apiVersion === '' || apiVersion.startsWith('policy.networking.k8s.io/');
}

/** `n word` or `n words`. */
export function plural(n: number, word: string, plur = `${word}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : plur}`;
}

/** `file (document 0, item 2, line 7)`, printable. */
export function location(o: LoadedObject): string {
  const parts = [`document ${o.index}`];
  if (o.item !== undefined) parts.push(`item ${o.item}`);
  if (o.line !== undefined) parts.push(`line ${o.line}`);
  return `${printable(o.file)} (${parts.join(', ')})`;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

/** The namespace and name of an object, as strings or null. */
export function identity(obj: Record<string, any>): { namespace: string | null; name: string | null } {
  const metadata = typeof obj.metadata === 'object' && obj.metadata !== null ? obj.metadata : {};
  return { namespace: str(metadata.namespace), name: str(metadata.name) };
}

/** `namespace/name`, `name` or `(unnamed)`, printable. */
export function who(obj: Record<string, any>): string {
  const { namespace, name } = identity(obj);
  if (name === null) return '(unnamed)';
  return printable(namespace === null ? name : `${namespace}/${name}`);
}

/** A value inside a message, quoted and cut (a 100 MB value is never echoed whole). */
function cutValue(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}... (${value.length - 200} more characters)` : value;
  if (typeof value === 'object' && value !== null) {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined;
    }
    if (json === undefined || json.length > 200) return `${(json ?? String(value)).slice(0, 200)}... (a ${Array.isArray(value) ? 'list' : 'mapping'} cut at 200 characters)`;
  }
  return value;
}

/** An error with its value cut to a readable length. */
export function cutError(e: FieldError): FieldError {
  return { ...e, value: cutValue(e.value) };
}

/** A warning with its value cut to a readable length. */
export function cutWarning(w: FieldWarning): FieldWarning {
  return { ...w, value: cutValue(w.value) };
}

/** The lines `netpol validate` prints for one policy (each with its newline). */
export function verdictLines(o: LoadedObject, result: Pick<ValidationResult, 'valid' | 'errors' | 'warnings'>, kind: string = 'NetworkPolicy'): string[] {
  let verdict = result.valid ? 'valid' : `invalid (${plural(result.errors.length, 'error')})`;
  if (result.warnings.length > 0) verdict += `, ${plural(result.warnings.length, 'warning')}`;
  const lines = [`${location(o)}: ${kind} ${who(o.object)}: ${verdict}\n`];
  for (const e of result.errors) lines.push(`  error: ${printable(NetworkPolicyValidator.formatError(cutError(e)))}\n`);
  for (const w of result.warnings) lines.push(`  warning: ${printable(NetworkPolicyValidator.formatWarning(cutWarning(w)))}\n`);
  return lines;
}
