/**
 * What every command reads, and how: the same loader, the same objects, the same checks, so
 * that `validate`, `matrix`, `explain` and `lint` see exactly the same set of objects from the
 * same input. The analysis commands then refuse what `validate` would reject: an invalid
 * NetworkPolicy is an input error (exit code 2), never evaluated.
 */
import { Command, InvalidArgumentError } from 'commander';
import { CliIo } from './cli-context';
import { identity, isClusterWidePolicy, isKubernetesNetworkPolicy, location, plural, verdictLines, who } from './policy-report';
import { oneLine, printable } from './terminal-text';
import { DEFAULT_NAMESPACE } from '../constants';
import { ClusterNetworkPolicyValidator, ErrorType, FieldValidation, NetworkPolicyValidator } from '../index';
import { DEFAULT_MAX_FILE_BYTES, MIB } from '../io/input-limits';
import { formatLoadError, LoadedObject, LoadError, loadManifests, LoadOptions, LoadWarning } from '../io/manifest-loader';

/** The input options every command takes. */
export interface InputCliOptions {
  /** Exit 0 (rather than 2) when the paths hold no Kubernetes object. */
  readonly allowEmpty: boolean;
  /** Skip, with a warning, files that hold no Kubernetes object. */
  readonly skipNonManifests: boolean;
  /** The largest file read, in MiB. */
  readonly maxFileSize: number;
  /** Read the subdirectories of directory arguments too (kubectl's `-R`). */
  readonly recursive: boolean;
  /** What an unknown field is (kubectl's `--validate`). */
  readonly validate: FieldValidation;
}

/** kubectl's `--validate` values: `strict` (and `true`), `warn`, `ignore` (and `false`). */
function parseFieldValidation(value: string): FieldValidation {
  switch (value) {
    case 'strict': case 'true': return FieldValidation.STRICT;
    case 'warn': return FieldValidation.WARN;
    case 'ignore': case 'false': return FieldValidation.IGNORE;
    default: throw new InvalidArgumentError('must be strict, warn or ignore (or true, false), as kubectl\'s --validate.');
  }
}

/** How long a run must take before it prints a one-line summary on standard error. */
export const LONG_RUN_MS = 2000;

/** Parses a size in MiB (a whole number, 1 to 4096). */
function parseMiB(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 4096) {
    throw new InvalidArgumentError('must be a whole number of MiB, 1 to 4096.');
  }
  return Number(value);
}

/** Adds `--allow-empty`, `--skip-non-manifests` and `--max-file-size` to a command. */
export function addInputOptions(command: Command): Command {
  return command
    .option('--allow-empty', 'succeed when the paths hold no Kubernetes object (by default that is an error, '
      + 'so that a failed synth does not pass)', false)
    .option('--skip-non-manifests', 'skip, with a warning, files none of whose documents is a Kubernetes object '
      + '(a Helm values file, a JSON report next to the manifests); by default they are errors', false)
    .option('-R, --recursive', 'read the subdirectories of a directory argument too, as kubectl apply -R does; '
      + 'without it, only the files directly in the directory are read, as kubectl apply -f reads them', false)
    .option('--validate <mode>', 'what a field the API does not have (a typo such as "form:") is, as kubectl apply --validate: '
      + 'strict (an error, kubectl\'s default: the API server refuses the object), warn (a warning; the field is dropped, as the '
      + 'server drops it) or ignore (dropped without a word)', parseFieldValidation, FieldValidation.STRICT)
    .option('--max-file-size <MiB>', 'the largest file (or standard input) read, in MiB', parseMiB, DEFAULT_MAX_FILE_BYTES / MIB);
}

/** The loader's options for the command's options. */
export function loadOptions(options: Partial<InputCliOptions>, io: CliIo): LoadOptions {
  return {
    ...(io.readStdin ? { readStdin: io.readStdin } : {}),
    maxFileBytes: (options.maxFileSize ?? DEFAULT_MAX_FILE_BYTES / MIB) * MIB,
    skipNonManifests: options.skipNonManifests ?? false,
    recursive: options.recursive ?? false,
  };
}

/** Prints load warnings and errors as `netpol <command>: [warning: ]file: document N: message`. */
export function printLoadProblems(command: string, errors: readonly LoadError[], warnings: readonly LoadWarning[], io: CliIo): void {
  for (const w of warnings) io.stderr(`netpol ${command}: warning: ${oneLine(formatLoadError(w))}\n`);
  for (const e of errors) io.stderr(`netpol ${command}: ${oneLine(formatLoadError(e))}\n`);
}

/**
 * Checks that something was read: no Kubernetes object at all is an error unless
 * `--allow-empty`. Prints the message and returns false when it is an error.
 */
export function checkNotEmpty(
  command: string, paths: readonly string[], files: number, objects: number, options: Partial<InputCliOptions>, io: CliIo,
): boolean {
  if (objects > 0 || options.allowEmpty) return true;
  const where = paths.map((p) => printable(p)).join(', ');
  io.stderr(`netpol ${command}: no Kubernetes object found in ${where} (${plural(files, 'file')} read): `
    + 'nothing was checked. If the manifests should be there, check the step that writes them (cdk8s synth); '
    + 'pass --allow-empty if an empty input is expected\n');
  return false;
}

/** The kinds the analysis reads, which must therefore be unique by namespace and name. */
const ANALYSED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'NetworkPolicy', 'Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob',
]);

/** Unicode control characters, which no Kubernetes name, namespace or label holds. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function labelProblem(labels: unknown, field: string): string | undefined {
  if (typeof labels !== 'object' || labels === null) return undefined;
  for (const [k, v] of Object.entries(labels)) {
    if (CONTROL.test(k)) return `${field}: Invalid value: ${JSON.stringify(k)}: a label key cannot contain control characters`;
    if (typeof v === 'string' && CONTROL.test(v)) return `${field}[${JSON.stringify(k)}]: Invalid value: ${JSON.stringify(v)}: a label value cannot contain control characters`;
  }
  return undefined;
}

/** A problem with an analysed object's names or labels that the API server would reject and that could forge output. */
function identityProblem(obj: Record<string, any>): string | undefined {
  const { namespace, name } = identity(obj);
  if (CONTROL.test(obj.kind)) return `kind: Invalid value: ${JSON.stringify(obj.kind)}: cannot contain control characters`;
  if (name !== null && CONTROL.test(name)) return `metadata.name: Invalid value: ${JSON.stringify(name)}: a name cannot contain control characters`;
  if (namespace !== null && CONTROL.test(namespace)) return `metadata.namespace: Invalid value: ${JSON.stringify(namespace)}: a namespace cannot contain control characters`;
  return labelProblem(obj.metadata?.labels, 'metadata.labels')
    ?? labelProblem(obj.spec?.template?.metadata?.labels, 'spec.template.metadata.labels')
    ?? labelProblem(obj.spec?.jobTemplate?.spec?.template?.metadata?.labels, 'spec.jobTemplate.spec.template.metadata.labels');
}

/** The options of the analysis input. */
export interface AnalysisInputOptions extends Partial<InputCliOptions> {
  /** The namespace of objects without one. @default 'default' */
  readonly defaultNamespace?: string;
}

/**
 * Reads the input of an analysis command (`matrix`, `explain`, `lint`) and checks it as `validate`
 * would: every Kubernetes NetworkPolicy is validated with `NetworkPolicyValidator`, and an invalid
 * one is reported in `validate`'s format. Objects the analysis reads must be unique (by kind,
 * namespace and name; duplicates are reported with both places) and their names and labels free of
 * control characters. NetworkPolicies of another API group (Calico's `projectcalico.org`) are not
 * read, with a warning.
 *
 * @returns the objects, or undefined when the input cannot be analysed (every problem printed; exit code 2)
 */
export function readAnalysisInput(command: string, paths: readonly string[], options: AnalysisInputOptions, io: CliIo): LoadedObject[] | undefined {
  const loaded = loadManifests(paths, loadOptions(options, io));
  printLoadProblems(command, loaded.errors, loaded.warnings, io);
  if (loaded.errors.length > 0) return undefined;
  if (!checkNotEmpty(command, paths, loaded.files.length, loaded.objects.length, options, io)) return undefined;

  let problems = 0;
  let invalidPolicies = 0;
  let invalidClusterPolicies = 0;
  const seen = new Map<string, LoadedObject>();
  const objects: LoadedObject[] = [];
  for (const o of loaded.objects) {
    const obj = o.object;
    if (obj.kind === 'NetworkPolicy' && !isKubernetesNetworkPolicy(obj)) {
      io.stderr(`netpol ${command}: warning: ${location(o)}: ${printable(String(obj.apiVersion))} NetworkPolicy ${who(obj)} `
        + 'is not a Kubernetes NetworkPolicy: the analysis reads only networking.k8s.io/v1 NetworkPolicies and ignores it, '
        + 'so what it allows or denies is not in the verdicts\n');
      continue;
    }
    if (isClusterWidePolicy(obj)) {
      // field validation, as for NetworkPolicies below; the model reports the CRD's other errors
      const fieldValidation = options.validate ?? FieldValidation.STRICT;
      const result = ClusterNetworkPolicyValidator.validate(obj, { fieldValidation });
      const decoding = result.errors.filter(e => e.type === ErrorType.STRICT_DECODING);
      if (decoding.length > 0) {
        invalidClusterPolicies++;
        verdictLines(o, { valid: false, errors: decoding, warnings: [] }, String(obj.kind))
          .forEach((line, i) => io.stderr(i === 0 ? `netpol ${command}: ${line}` : line));
        continue;
      }
      for (const w of result.warnings.filter(x => x.code === 'UnknownField')) {
        io.stderr(`netpol ${command}: warning: ${location(o)}: ${printable(String(obj.kind))} ${who(obj)}: ${oneLine(NetworkPolicyValidator.formatWarning(w))}\n`);
      }
    }
    if (!ANALYSED_KINDS.has(obj.kind)) {
      objects.push(o);
      continue;
    }
    let read = o;
    if (isKubernetesNetworkPolicy(obj)) {
      const fieldValidation = options.validate ?? FieldValidation.STRICT;
      const result = NetworkPolicyValidator.validate(obj, { fieldValidation });
      if (!result.valid) {
        invalidPolicies++;
        verdictLines(o, { ...result, warnings: [] }).forEach((line, i) => io.stderr(i === 0 ? `netpol ${command}: ${line}` : line));
        continue;
      }
      if (fieldValidation !== FieldValidation.STRICT) {
        for (const w of result.warnings.filter(x => x.code === 'UnknownField')) {
          io.stderr(`netpol ${command}: warning: ${location(o)}: NetworkPolicy ${who(obj)}: ${oneLine(NetworkPolicyValidator.formatWarning(w))}\n`);
        }
        // read as the server stores it: without the fields it drops
        read = { ...o, object: NetworkPolicyValidator.withoutUnknownFields(obj) };
      }
    }
    const problem = identityProblem(obj);
    if (problem) {
      problems++;
      io.stderr(`netpol ${command}: ${location(o)}: ${printable(obj.kind)}: ${oneLine(problem)}\n`);
      continue;
    }
    const { namespace, name } = identity(obj);
    if (name !== null) {
      const key = obj.kind === 'Namespace' ? `Namespace ${name}` : `${obj.kind} ${namespace ?? options.defaultNamespace ?? DEFAULT_NAMESPACE}/${name}`;
      const first = seen.get(key);
      if (first) {
        problems++;
        io.stderr(`netpol ${command}: ${location(o)}: ${printable(key)} is defined more than once (first at ${location(first)}); `
          + 'kubectl apply would keep only the last one: remove the other, or give the same path only once\n');
        continue;
      }
      seen.set(key, o);
    }
    objects.push(read);
  }
  if (invalidPolicies > 0) {
    io.stderr(`netpol ${command}: ${plural(invalidPolicies, 'NetworkPolicy is', 'NetworkPolicies are')} invalid: the API server would reject `
      + `${invalidPolicies === 1 ? 'it' : 'them'}, so the analysis does not evaluate ${invalidPolicies === 1 ? 'it' : 'them'} `
      + '(netpol validate shows every error and warning)\n');
  }
  if (invalidClusterPolicies > 0) {
    io.stderr(`netpol ${command}: ${plural(invalidClusterPolicies, 'cluster-wide policy has', 'cluster-wide policies have')} unknown fields, which `
      + 'strict field validation (kubectl\'s default) rejects, so the analysis does not evaluate '
      + `${invalidClusterPolicies === 1 ? 'it' : 'them'} (--validate warn reads them as the API server stores them)\n`);
  }
  return invalidPolicies > 0 || invalidClusterPolicies > 0 || problems > 0 ? undefined : objects;
}

/**
 * Prints `netpol <command>: <summary> (<seconds> s)` on standard error when asked (`always`), or
 * when the run was long and standard error is a terminal (a person waiting): never into a pipe
 * or a log on the strength of the machine's speed, so the same input gives the same output.
 */
export function printSummary(command: string, summary: string, startedAt: number, io: CliIo, always = false, now: () => number = Date.now): void {
  const elapsed = now() - startedAt;
  if (!always && (io.stderrIsTerminal !== true || elapsed < LONG_RUN_MS)) return;
  io.stderr(`netpol ${command}: ${summary} (${(elapsed / 1000).toFixed(1)} s)\n`);
}
