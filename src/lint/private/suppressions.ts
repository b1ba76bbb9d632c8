import { IConstruct } from 'constructs';
import { ENGINE_RULES } from './engine-rules';
import { LintCheck } from './lint-check';
import { ALL_RULES } from '../rules';
import { Suppression } from '../suppression';

/** The annotation that suppresses findings on a manifest object (and, on a Namespace, its objects). */
export const SUPPRESS_ANNOTATION = 'netpol.cdk8s.io/suppress';

/** The construct metadata type under which `NetpolLint.suppress()` stores suppressions. */
export const SUPPRESSION_METADATA = 'cdk8s-netpol:lint-suppression';

/** A suppression attached to a construct. */
export interface ConstructSuppression {
  /** The construct's path; findings at or below it match. */
  readonly path: string;
  readonly ruleId: string;
  readonly reason: string;
  /** Whether an unused suppression is reported (only those inside the linted scope are). */
  readonly checked: boolean;
}

/** The rule with this id (`NP003`, any case) or name (`egress-without-dns`). */
export function findRule(idOrName: string): LintCheck | undefined {
  const text = idOrName.trim();
  return ALL_RULES.find(r => r.id === text.toUpperCase() || r.name === text);
}

/** The ids and names of the rules, for error messages. */
function knownRules(): string {
  return `${ALL_RULES[0].id}-${ALL_RULES[ALL_RULES.length - 1].id}, or rule names such as ${ALL_RULES[2].name}; see RULES.md`;
}

/** Why an id names no suppressible rule. */
function unknownRule(id: string): string {
  const engine = ENGINE_RULES.find(r => r.id === id.trim().toUpperCase() || r.name === id.trim());
  if (engine) return `${engine.id} (${engine.name}) cannot be suppressed`;
  return `unknown rule ${JSON.stringify(id.trim())}: use ${knownRules()}`;
}

/**
 * Checks one suppression given to `NetpolLint.suppress()`.
 *
 * @returns the rule id
 * @throws when the rule is unknown or the reason is missing
 */
export function checkSuppression(scope: IConstruct, s: Suppression): string {
  const where = `NetpolLint.suppress(${scope.node.path || '<app>'})`;
  if (!s || typeof s.id !== 'string' || s.id.trim() === '') {
    throw new Error(`${where}: a suppression needs a rule \`id\` (${knownRules()}) and a \`reason\``);
  }
  const rule = findRule(s.id);
  if (!rule) throw new Error(`${where}: ${unknownRule(s.id)}`);
  if (typeof s.reason !== 'string' || s.reason.trim() === '') {
    throw new Error(`${where}: the suppression of ${rule.id} (${rule.name}) has no reason: say why its findings are acceptable, `
      + `e.g. { id: '${rule.id}', reason: 'DNS is reached through NodeLocal DNSCache on 169.254.20.10' }`);
  }
  return rule.id;
}

/** The suppressions of the scope's subtree (checked) and of its ancestors (applied, not checked). */
export function constructSuppressions(scope: IConstruct): ConstructSuppression[] {
  const out: ConstructSuppression[] = [];
  const read = (c: IConstruct, checked: boolean) => {
    for (const entry of c.node.metadata) {
      if (entry.type !== SUPPRESSION_METADATA) continue;
      out.push({ path: c.node.path, ruleId: entry.data.ruleId, reason: entry.data.reason, checked });
    }
  };
  for (const ancestor of scope.node.scopes.slice(0, -1)) read(ancestor, false);
  for (const c of scope.node.findAll()) read(c, true);
  return out;
}

/** One line of the annotation, read. */
export interface AnnotationEntry {
  readonly ruleId?: string;
  readonly reason?: string;
  /** What is wrong with the line, if anything. */
  readonly problem?: string;
}

/** Reads the annotation: one `<rule id or name>: <reason>` per non-empty line. */
export function parseSuppressAnnotation(value: string): AnnotationEntry[] {
  const entries: AnnotationEntry[] = [];
  for (const raw of value.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const colon = line.indexOf(':');
    const id = (colon < 0 ? line : line.slice(0, colon)).trim();
    const reason = colon < 0 ? '' : line.slice(colon + 1).trim();
    const rule = findRule(id);
    if (!rule) {
      entries.push({ problem: `${JSON.stringify(line)}: ${unknownRule(id)}` });
    } else if (reason === '') {
      entries.push({ problem: `the suppression of ${rule.id} (${rule.name}) has no reason: write "${rule.id}: <why its findings are acceptable>"` });
    } else {
      entries.push({ ruleId: rule.id, reason });
    }
  }
  if (entries.length === 0) entries.push({ problem: 'the annotation is empty: write one "<rule id>: <reason>" per line, or remove it' });
  return entries;
}

/** Whether `path` is `ancestor` or below it (the app's path is empty: everything is below it). */
export function isAtOrBelow(path: string, ancestor: string): boolean {
  return ancestor === '' || path === ancestor || path.startsWith(`${ancestor}/`);
}
