/**
 * The rule engine: analyses the input once, runs every rule on it (a rule that throws becomes a
 * finding of its own), locates each finding at its object, and applies the suppressions.
 */
import { AnalysedModel } from './analysed-model';
import { INVALID_SUPPRESSION, RULE_FAILED, UNUSED_SUPPRESSION } from './engine-rules';
import { LintCheck, CheckFinding } from './lint-check';
import { ProtocolPort, ResolvedLintOptions } from './lint-context';
import { LintInputError } from './lint-input-error';
import { ConstructSuppression, SUPPRESS_ANNOTATION, isAtOrBelow, parseSuppressAnnotation } from './suppressions';
import { AnalysisInputError } from '../../analysis/analysis-input-error';
import { HostNetworkPods } from '../../analysis/analysis-options';
import { ResourceRef, refKey } from '../../analysis/cluster-queries';
import { ClusterProfile } from '../../cluster-profile';
import { DEFAULT_DNS_NAMESPACE, DEFAULT_DNS_POD_LABELS, DEFAULT_NAMESPACE } from '../../constants';
import { isClusterPolicyObject } from '../../model/cluster-network-policy';
import { parseIpAddress } from '../../model/ip-block';
import { expandList } from '../../model/list-items';
import { isNetworkPolicyObject } from '../../model/network-policy';
import { describeValue } from '../../private/errors';
import { kindOf, snapshotArray } from '../../private/runtime-check';
import { isDns1123Label } from '../../validation/private/names';
import { Finding } from '../finding';
import { applyLintConfig } from '../lint-config';
import { LintInput, LintOptions } from '../lint-options';
import { LintReport } from '../lint-report';
import { LintRule } from '../lint-rule';
import { ALL_RULES } from '../rules';

/** The defaults of `LintOptions`. */
export const DEFAULT_MAX_PORT_RANGE_WIDTH = 1000;

/** Settles and checks the options: the explicit ones over the cluster profile's facts. */
export function resolveOptions(options: LintOptions = {}): ResolvedLintOptions {
  const width = options.maxPortRangeWidth ?? DEFAULT_MAX_PORT_RANGE_WIDTH;
  if (!Number.isInteger(width) || width < 1) {
    throw new LintInputError(`maxPortRangeWidth: Invalid value: ${JSON.stringify(width)}: must be a whole number of ports, at least 1`);
  }
  let profile = ClusterProfile.GENERIC;
  if (options.profile !== undefined) {
    try {
      profile = ClusterProfile._from('lint options', 'profile', options.profile);
    } catch (err) {
      throw new LintInputError(err instanceof Error ? err.message : String(err));
    }
  }
  // every source of options (code, netpol.config.json, cdk8s.yaml) comes through here: check what each holds
  const rawAddresses: unknown = options.metadataAddresses ?? profile.metadataAddresses;
  if (!Array.isArray(rawAddresses)) {
    throw new LintInputError(`metadataAddresses: Invalid value: ${describeValue(rawAddresses)}: must be a list of IP addresses such as ["169.254.169.254"], not ${kindOf(rawAddresses)}`);
  }
  const metadataAddresses: string[] = snapshotArray(rawAddresses) as string[];
  for (const address of metadataAddresses) {
    if (typeof address !== 'string' || !parseIpAddress(address)) {
      throw new LintInputError(`metadataAddresses: Invalid value: ${JSON.stringify(address)}: must be an IP address such as 169.254.169.254`);
    }
  }
  const podsGiven = options.dnsNamespace !== undefined || options.dnsPodLabels !== undefined;
  const dnsPodLabels = options.dnsPodLabels ?? profile.dnsPodLabels ?? (podsGiven ? DEFAULT_DNS_POD_LABELS : undefined);
  let labels: [string, string][] | undefined;
  if (dnsPodLabels !== undefined) {
    if (typeof dnsPodLabels !== 'object' || dnsPodLabels === null || Array.isArray(dnsPodLabels) || Object.keys(dnsPodLabels).length === 0) {
      throw new LintInputError('dnsPodLabels: Required value: the labels of the cluster DNS pods, e.g. { "k8s-app": "kube-dns" }');
    }
    labels = Object.entries(dnsPodLabels).map(([k, v]) => {
      if (typeof v !== 'string') throw new LintInputError(`dnsPodLabels[${JSON.stringify(k)}]: Invalid value: ${describeValue(v)}: must be a string`);
      return [k, v];
    });
  }
  const fallbackNamespace = profile.dnsNamespace ?? (podsGiven ? DEFAULT_DNS_NAMESPACE : undefined);
  const dnsNamespace = options.dnsNamespace === undefined ? fallbackNamespace : namespaceOption('dnsNamespace', options.dnsNamespace, DEFAULT_DNS_NAMESPACE);
  const metadataExceptions = new Map<string, ProtocolPort[]>();
  for (const e of profile.metadataExceptions) {
    if (!metadataAddresses.includes(e.address)) continue;
    const ports = e.ports.map(p => ({ protocol: p.protocol!, port: p.number! }));
    metadataExceptions.set(e.address, [...metadataExceptions.get(e.address) ?? [], ...ports]);
  }
  return {
    maxPortRangeWidth: width,
    profile,
    dnsNamespace,
    dnsPodLabels: labels && Object.fromEntries(labels),
    dnsAddresses: [...profile.dnsAddresses],
    dnsPorts: profile.dnsPorts.map(p => ({ protocol: p.protocol!, port: p.number! })),
    metadataAddresses,
    metadataExceptions,
    defaultNamespace: namespaceOption('defaultNamespace', options.defaultNamespace, DEFAULT_NAMESPACE),
    ipBlockMatchesPodIps: options.ipBlockMatchesPodIps ?? true,
    hostNetworkPods: profile.hostNetworkPodsIsolated ? HostNetworkPods.ISOLATED : HostNetworkPods.UNRESTRICTED,
  };
}

/** A namespace option: a namespace name (a DNS-1123 label), or the default when absent. */
function namespaceOption(field: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  const problems = typeof value === 'string' ? isDns1123Label(value) : ['must be a string'];
  if (problems.length > 0) {
    throw new LintInputError(`${field}: Invalid value: ${describeValue(value)}: must be a namespace name (${problems.join('; ')})`);
  }
  return value as string;
}

/**
 * Lints the inputs.
 *
 * @param inputs the objects, with where they came from (`List` objects are expanded)
 * @param options lint options
 * @param suppressions the construct suppressions that apply
 * @param rules the rules to run
 * @throws LintInputError for options or objects the linter cannot analyse
 */
export function runLint(
  inputs: readonly LintInput[],
  options: LintOptions = {},
  suppressions: readonly ConstructSuppression[] = [],
  allRules: readonly LintCheck[] = ALL_RULES,
): LintReport {
  // The project's netpol.config.json: its options under the explicit ones, its rule settings.
  const configured = applyLintConfig(options, allRules);
  const rules = configured.rules;
  const resolved = resolveOptions(configured.options);
  const flat = expandLists(inputs);
  const index = new Map<string, LintInput>();
  for (const input of flat) {
    const ref = refOf(input.manifest, resolved.defaultNamespace);
    if (ref && !index.has(refKey(ref))) index.set(refKey(ref), input);
  }

  let model: AnalysedModel;
  try {
    model = AnalysedModel.build(flat.map(i => i.manifest), resolved);
  } catch (err) {
    if (err instanceof AnalysisInputError) throw new LintInputError(err.message);
    throw err;
  }

  const findings: Finding[] = [];
  const failed = new Set<string>();
  for (const rule of rules) {
    let results: CheckFinding[];
    try {
      results = rule.check(model);
    } catch (err) {
      failed.add(rule.id);
      const message = err instanceof Error ? err.message : String(err);
      findings.push(finding(RULE_FAILED, { message: `rule ${rule.id} (${rule.name}) failed, so its findings are missing: ${message}` }, index));
      continue;
    }
    for (const result of results) findings.push(finding(rule, result, index));
  }

  // Annotation suppressions, and the problems with them.
  const annotations: { ref: ResourceRef; ruleId: string; reason: string; used: boolean }[] = [];
  for (const input of flat) {
    const value = input.manifest?.metadata?.annotations?.[SUPPRESS_ANNOTATION];
    const ref = refOf(input.manifest, resolved.defaultNamespace);
    if (value === undefined || !ref) continue;
    const field = `metadata.annotations[${JSON.stringify(SUPPRESS_ANNOTATION)}]`;
    const entries = typeof value === 'string' ? parseSuppressAnnotation(value) : [{ problem: 'the annotation must be a string' }];
    for (const entry of entries) {
      if (entry.problem) findings.push(finding(INVALID_SUPPRESSION, { subject: ref, field, message: entry.problem }, index));
      else annotations.push({ ref, ruleId: entry.ruleId!, reason: entry.reason!, used: false });
    }
  }

  const active: Finding[] = [];
  const suppressed: Finding[] = [];
  const usedConstruct = new Set<ConstructSuppression>();
  for (const f of findings) {
    if (!rules.some(r => r.id === f.ruleId)) {
      active.push(f);
      continue;
    }
    const byConstruct = f.constructPath === undefined ? undefined
      : suppressions.find(s => s.ruleId === f.ruleId && isAtOrBelow(f.constructPath!, s.path));
    if (byConstruct) {
      usedConstruct.add(byConstruct);
      suppressed.push({ ...f, suppressionReason: byConstruct.reason });
      continue;
    }
    const byAnnotation = annotations.find(a => a.ruleId === f.ruleId && annotationMatches(a.ref, f));
    if (byAnnotation) {
      byAnnotation.used = true;
      suppressed.push({ ...f, suppressionReason: byAnnotation.reason });
      continue;
    }
    active.push(f);
  }

  for (const s of suppressions) {
    if (!s.checked || usedConstruct.has(s) || failed.has(s.ruleId) || !rules.some(r => r.id === s.ruleId)) continue;
    const rule = rules.find(r => r.id === s.ruleId);
    active.push(finding(UNUSED_SUPPRESSION, {
      message: `the suppression of ${s.ruleId}${rule ? ` (${rule.name})` : ''} on construct ${s.path || '<app>'} matches no finding `
        + `at or below it (reason given: ${JSON.stringify(s.reason)})`,
    }, index, s.path));
  }
  for (const a of annotations) {
    if (a.used || failed.has(a.ruleId) || !rules.some(r => r.id === a.ruleId)) continue;
    const rule = rules.find(r => r.id === a.ruleId);
    const scope = a.ref.kind === 'Namespace' ? `any object of namespace ${a.ref.name}` : 'this object';
    active.push(finding(UNUSED_SUPPRESSION, {
      subject: a.ref,
      field: `metadata.annotations[${JSON.stringify(SUPPRESS_ANNOTATION)}]`,
      message: `the suppression of ${a.ruleId}${rule ? ` (${rule.name})` : ''} matches no finding on ${scope}`,
    }, index));
  }

  return LintReport._create(sortFindings(active), sortFindings(suppressed), flat.length, checksNotRun(model, rules));
}

/** The lint rules that judge pods: they need the pods or workloads of a policy's namespace in the input. */
const POD_RULES: readonly string[] = ['NP001', 'NP002', 'NP003', 'NP004', 'NP008', 'NP009'];

/**
 * What could not be checked, and why: the pod-based rules in the namespaces that have
 * NetworkPolicies but no pods or workloads in the input (a policy file linted alone).
 *
 * The seam for representative endpoints: once the analysis can stand a policy's subjects in for
 * the missing pods (one endpoint per selector), the pod rules judge those namespaces through them,
 * and this list shrinks to what they still cannot judge.
 */
function checksNotRun(model: AnalysedModel, rules: readonly LintCheck[]): string[] {
  const enabled = POD_RULES.filter(id => rules.some(r => r.id === id));
  if (enabled.length === 0) return [];
  const podless = [...new Set(model.policies.map(p => p.namespace))].filter(ns => model.workloadsIn(ns).length === 0).sort();
  if (podless.length === 0) return [];
  const names = podless.length > 5 ? `${podless.slice(0, 5).join(', ')} and ${podless.length - 5} more` : podless.join(', ');
  return [`${enabled.join(', ')} did not run in ${podless.length === 1 ? 'namespace' : 'namespaces'} ${names}: the input has `
    + 'NetworkPolicies there but no pods or workloads, and these checks judge pods (default deny, DNS, metadata, policies '
    + 'without effect, AND/OR slips). Lint the policies together with the workloads\' manifests (or the chart that has them).'];
}

/** Expands `List` objects (`kind: List`, `NetworkPolicyList`, ...) into their items, keeping the origin. */
function expandLists(inputs: readonly LintInput[]): LintInput[] {
  const out: LintInput[] = [];
  for (const input of inputs) {
    for (const entry of expandList(input.manifest)) {
      if (entry.problem) {
        const where = input.constructPath ?? (input.file !== undefined ? `${input.file}${input.documentIndex !== undefined ? `: document ${input.documentIndex}` : ''}` : 'input');
        throw new LintInputError(`${where}, item ${entry.item}: ${entry.problem}`);
      }
      out.push(entry.object === input.manifest ? input : { ...input, manifest: entry.object });
    }
  }
  return out;
}

/** The identity of a manifest, for the kinds findings can be about. */
function refOf(manifest: any, defaultNamespace: string): ResourceRef | undefined {
  const kind = manifest?.kind;
  const name = manifest?.metadata?.name;
  if (typeof kind !== 'string' || typeof name !== 'string' || name === '') return undefined;
  if (kind === 'Namespace') return { kind, name };
  // cluster-scoped: a namespace written on them is ignored by the API server
  if (isClusterPolicyObject(manifest)) return { kind, name };
  if (kind === 'NetworkPolicy' && !isNetworkPolicyObject(manifest)) return undefined;
  return { kind, namespace: manifest.metadata.namespace || defaultNamespace, name };
}

function annotationMatches(ref: ResourceRef, f: Finding): boolean {
  if (ref.kind === 'Namespace') return f.namespace === ref.name;
  // a finding about a cluster-scoped object may name the namespace it concerns (NP018): the object's annotation covers it
  return f.kind === ref.kind && (ref.namespace === undefined || f.namespace === ref.namespace) && f.name === ref.name;
}

/** A finding of a rule, located at its subject's input. */
function finding(rule: LintRule, result: CheckFinding, index: ReadonlyMap<string, LintInput>, constructPath?: string): Finding {
  const input = result.subject ? index.get(refKey(result.subject)) : undefined;
  const f: { -readonly [K in keyof Finding]: Finding[K] } = {
    ruleId: rule.id,
    ruleName: rule.name,
    severity: rule.severity,
    message: result.message,
    fix: rule.fix,
  };
  if (result.subject) {
    f.kind = result.subject.kind;
    f.name = result.subject.name;
  }
  const namespace = result.namespace ?? result.subject?.namespace;
  if (namespace !== undefined) f.namespace = namespace;
  if (result.field !== undefined) f.field = result.field;
  const path = input?.constructPath ?? constructPath;
  if (path !== undefined) f.constructPath = path;
  if (input?.file !== undefined) f.file = input.file;
  if (input?.documentIndex !== undefined) f.documentIndex = input.documentIndex;
  if (input?.line !== undefined) f.line = input.line;
  return f;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Findings in a stable order: by location (construct path or file, then document), rule, field and message. */
export function sortFindings(findings: Finding[]): Finding[] {
  const where = (f: Finding) => f.constructPath ?? f.file ?? '\uffff';
  return [...findings].sort((a, b) => compare(where(a), where(b))
    || (a.documentIndex ?? -1) - (b.documentIndex ?? -1)
    || compare(a.ruleId, b.ruleId)
    || compare(a.field ?? '', b.field ?? '')
    || compare(a.message, b.message));
}
