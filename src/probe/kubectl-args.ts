import { AnalysisInputError } from '../analysis/analysis-input-error';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from '../validation/private/names';

/*
 * The argument lists of every kubectl call the probe runner makes, built from checked values
 * only. A value that reaches kubectl (a name, a namespace, a label selector, the context) is
 * checked as what Kubernetes allows for it, so none can ever start with `-` and become an option
 * (a Service named `--kubeconfig=./evil.kubeconfig` would make kubectl read another kubeconfig,
 * whose `exec` credential plugin runs any command). On top of that, option values are written
 * as `--flag=value` and object names follow `--`, so even a value these checks missed could
 * never be read as an option.
 */

/** A kubectl argument list; the executor adds the program and `--context`. */
export type KubectlArgs = readonly string[];

/** The longest kubeconfig context name accepted. */
export const MAX_CONTEXT_LENGTH = 1024;

function refuse(field: string, value: unknown, problems: readonly string[], valid: string): never {
  throw new AnalysisInputError(`${field}: Invalid value: ${JSON.stringify(value)}: ${problems.join('; ')}; `
    + `only ${valid} is passed to kubectl (a value starting with "-" would be read as an option)`);
}

function checked(field: string, value: unknown, check: (v: string) => string[], valid: string): string {
  if (typeof value !== 'string') refuse(field, value, ['must be a string'], valid);
  const problems = check(value);
  if (problems.length > 0) refuse(field, value, problems, valid);
  return value;
}

/** A namespace name (a DNS-1123 label), as kubectl receives it. */
export function namespaceArg(field: string, value: unknown): string {
  return checked(field, value, isDns1123Label, 'a namespace name (a DNS-1123 label)');
}

/** A Service name (a DNS-1035 label, as the API server checks it). */
export function serviceNameArg(field: string, value: unknown): string {
  return checked(field, value, isDns1035Label, 'a Service name (a DNS-1035 label)');
}

/** The name of an object named by a DNS-1123 subdomain (a Job). */
export function objectNameArg(field: string, value: unknown): string {
  return checked(field, value, isDns1123Subdomain, 'an object name (a DNS-1123 subdomain)');
}

/**
 * A kubeconfig context name. Kubeconfig files put no syntax on names (`kind-dev`,
 * `arn:aws:eks:eu-west-1:123456789012:cluster/prod`, `gke_project_zone_name`), so any text is
 * accepted but an empty one, one starting with `-`, one with control characters, or one longer
 * than `MAX_CONTEXT_LENGTH`.
 */
export function contextArg(value: unknown): string {
  return checked('--context', value, v => {
    const problems: string[] = [];
    if (v === '') problems.push('must be non-empty');
    if (v.startsWith('-')) problems.push('must not start with "-"');
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v)) problems.push('must not contain control characters');
    if (v.length > MAX_CONTEXT_LENGTH) problems.push(`must be no more than ${MAX_CONTEXT_LENGTH} characters`);
    return problems;
  }, 'a kubeconfig context name');
}

/** An equality label selector (`k=v,k2=v2`) of checked label keys and values. */
export function selectorArg(field: string, labels: ReadonlyArray<readonly [string, string]>): string {
  if (labels.length === 0) refuse(field, '', ['must select on at least one label'], 'a label selector');
  return labels.map(([k, v]) => `${checked(`${field} key`, k, isQualifiedName, 'a label key')}=${checked(`${field} value`, v, isValidLabelValue, 'a label value')}`).join(',');
}

/** `kubectl get namespace -o json -- <name>`. */
export function getNamespace(name: string): KubectlArgs {
  return ['get', 'namespace', '-o', 'json', '--', namespaceArg('namespace', name)];
}

/** `kubectl get service --namespace=<ns> -o json -- <name>`. */
export function getService(namespace: string, name: string): KubectlArgs {
  return ['get', 'service', `--namespace=${namespaceArg('Service namespace', namespace)}`, '-o', 'json', '--', serviceNameArg('Service name', name)];
}

/** `kubectl get pods --namespace=<ns> [--selector=<selector>] -o json`. */
export function listPods(namespace: string, selector?: string): KubectlArgs {
  return ['get', 'pods', `--namespace=${namespaceArg('namespace', namespace)}`, ...(selector === undefined ? [] : [`--selector=${selector}`]), '-o', 'json'];
}

/** `kubectl get jobs --namespace=<ns> --selector=<selector> -o json`. */
export function listJobs(namespace: string, selector: string): KubectlArgs {
  return ['get', 'jobs', `--namespace=${namespaceArg('namespace', namespace)}`, `--selector=${selector}`, '-o', 'json'];
}

/** `kubectl get events --namespace=<ns> --field-selector=involvedObject.kind=Job,reason=FailedCreate -o json`. */
export function listJobCreateFailures(namespace: string): KubectlArgs {
  return ['get', 'events', `--namespace=${namespaceArg('namespace', namespace)}`, '--field-selector=involvedObject.kind=Job,reason=FailedCreate', '-o', 'json'];
}

/** `kubectl apply -f - -o name`: the objects come on standard input. */
export function applyStdin(): KubectlArgs {
  return ['apply', '-f', '-', '-o', 'name'];
}

/** `kubectl delete job --namespace=<ns> --ignore-not-found --wait=false --cascade=background -- <names>`. */
export function deleteJobs(namespace: string, names: readonly string[]): KubectlArgs {
  return ['delete', 'job', `--namespace=${namespaceArg('namespace', namespace)}`, '--ignore-not-found', '--wait=false', '--cascade=background',
    '--', ...names.map(n => objectNameArg('Job name', n))];
}

/** `kubectl delete namespace --ignore-not-found --wait=false -- <name>`. */
export function deleteNamespace(name: string): KubectlArgs {
  return ['delete', 'namespace', '--ignore-not-found', '--wait=false', '--', namespaceArg('namespace', name)];
}

/** The command as people would type it, for messages: `kubectl get pods --namespace=shop -o json`. */
export function describeKubectl(args: KubectlArgs): string {
  return ['kubectl', ...args.map(a => (/^[-A-Za-z0-9_=,./:]*$/.test(a) && a !== '' ? a : JSON.stringify(a)))].join(' ');
}
