import { LintRule } from '../lint-rule';
import { Severity } from '../severity';

/** NP900: a rule threw; its findings are missing. Not suppressible. */
export const RULE_FAILED: LintRule = {
  id: 'NP900',
  name: 'rule-failed',
  severity: Severity.ERROR,
  summary: 'A lint rule failed with an error, so its findings are missing from the report.',
  explanation:
    'Each rule runs on its own: when one throws, the others still run, and the failure is reported as this finding '
    + 'instead of crashing synthesis or the command. It is a bug in cdk8s-netpol (or an input the engine cannot '
    + 'handle); it cannot be suppressed.',
  fix: 'Report the message to the cdk8s-netpol maintainers, with the input that causes it.',
};

/** NP901: a suppression that matched nothing. Not suppressible. */
export const UNUSED_SUPPRESSION: LintRule = {
  id: 'NP901',
  name: 'unused-suppression',
  severity: Severity.ERROR,
  summary: 'A suppression matches no finding.',
  explanation:
    'A suppression that matches nothing is stale (the problem was fixed, the object renamed) or misplaced (on the '
    + 'wrong construct or object, or the wrong rule id); left in place it would silently hide a future finding. A '
    + 'construct suppression matches findings on objects at or below its construct; an annotation suppression matches '
    + 'findings on the annotated object, or, on a Namespace, on every object of that namespace. Suppressions set on a '
    + 'construct above the linted scope are applied but not checked. This finding cannot be suppressed.',
  fix: 'Remove the suppression, or move it to the construct or object the finding is about.',
};

/** NP902: a malformed annotation suppression. Not suppressible. */
export const INVALID_SUPPRESSION: LintRule = {
  id: 'NP902',
  name: 'invalid-suppression',
  severity: Severity.ERROR,
  summary: 'A netpol.cdk8s.io/suppress annotation is malformed: no reason, or an unknown rule.',
  explanation:
    'Every suppression must name a rule and say why its findings are acceptable. The annotation '
    + '`netpol.cdk8s.io/suppress` holds one suppression per line, `<rule id or name>: <reason>`. A line without a '
    + 'reason, or naming a rule that does not exist, is reported here (the construct API, `NetpolLint.suppress()`, '
    + 'throws instead). This finding cannot be suppressed.',
  fix: 'Write each line as `NP003: <why this is acceptable>`, with a rule id from RULES.md.',
};

/** The engine's own findings, in id order. */
export const ENGINE_RULES: readonly LintRule[] = [RULE_FAILED, UNUSED_SUPPRESSION, INVALID_SUPPRESSION];
