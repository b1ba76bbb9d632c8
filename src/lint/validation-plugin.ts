import { LintOptions } from './lint-options';
import { LintReport } from './lint-report';
import { runLint } from './private/engine';
import { messageText, reportableRules } from './private/formatters';
import { LintInputError } from './private/lint-input-error';
import { formatLoadError, loadManifests } from '../io/manifest-loader';

/**
 * One resource in a violation, as the cdk8s CLI reports it.
 */
export interface ValidationPluginResource {
  /** The object's `metadata.name` (cdk8s maps it to a construct path). */
  readonly resourceName: string;
  /** What is wrong, and where in the object. */
  readonly locations: string[];
  /** The manifest file. */
  readonly manifestPath: string;
}

/**
 * A violation of one rule, as the cdk8s CLI validation report holds it.
 */
export interface ValidationPluginViolation {
  /** The rule: `NP003 egress-without-dns (error)`. */
  readonly ruleName: string;
  /** What the rule flags. */
  readonly recommendation: string;
  /** How to fix it. */
  readonly fix: string;
  /** The resources that violate it. */
  readonly violatingResources: ValidationPluginResource[];
}

/**
 * The report of a cdk8s CLI validation (`ValidationReport` of cdk8s-cli), as far as the plugin uses it.
 */
export interface IValidationPluginReport {
  /** Adds a violation. */
  addViolation(violation: ValidationPluginViolation): void;
  /**
   * Completes the report.
   *
   * @param status `success` or `failure`
   * @param metadata key-value pairs shown in the report's summary
   */
  submit(status: string, metadata?: { [key: string]: string }): void;
}

/**
 * What the cdk8s CLI gives a validation plugin (`ValidationContext` of cdk8s-cli), as far as the plugin uses it.
 */
export interface IValidationPluginContext {
  /** The synthesized manifest files. */
  readonly manifests: string[];
  /** The report to fill and submit. */
  readonly report: IValidationPluginReport;
}

/**
 * Properties of `NetpolLintPlugin`: the `properties` of its entry in `cdk8s.yaml`.
 */
export interface NetpolLintPluginProps extends LintOptions {
  /**
   * Whether warnings fail the validation too.
   *
   * @default false
   */
  readonly failOnWarnings?: boolean;
}

/**
 * The policy linter as a cdk8s CLI validation plugin, so that `cdk8s synth` (validations run
 * by default; `--no-validate` skips them) reports the linter's findings on the synthesized
 * manifests and fails on errors. In `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-netpol
 *     version: 1.2.3        # the installed version; cdk8s requires an exact one
 *     class: NetpolLintPlugin
 *     properties:           # optional: NetpolLintPluginProps
 *       maxPortRangeWidth: 2000
 * ```
 *
 * A local path works as `package` too (`./node_modules/cdk8s-netpol`). The plugin sees only
 * the manifests: suppressions made with `NetpolLint.suppress()` are not in them, so use the
 * `netpol.cdk8s.io/suppress` annotation for findings the plugin should accept.
 */
export class NetpolLintPlugin {
  private readonly props: NetpolLintPluginProps;

  public constructor(props: NetpolLintPluginProps = {}) {
    this.props = props;
  }

  /**
   * Lints the manifests of the context and submits the report: one violation per rule with
   * findings (warnings included), `failure` when there is an error.
   */
  public async validate(context: IValidationPluginContext): Promise<void> {
    const report = context.report;
    const loaded = loadManifests([...context.manifests]);
    if (loaded.errors.length > 0) {
      report.addViolation({
        ruleName: 'netpol-lint: unreadable manifest',
        recommendation: 'The linter could not read every synthesized manifest.',
        fix: 'Check the manifests named in the locations.',
        violatingResources: loaded.errors.map(e => ({ resourceName: '', locations: [formatLoadError(e)], manifestPath: e.file })),
      });
      report.submit('failure', { error: 'unreadable manifests' });
      return;
    }
    let lint: LintReport;
    try {
      lint = runLint(loaded.objects.map(o => ({
        manifest: o.object, file: o.file, documentIndex: o.index, ...(o.line !== undefined ? { line: o.line } : {}),
      })), this.props);
    } catch (err) {
      if (!(err instanceof LintInputError)) throw err;
      report.addViolation({
        ruleName: 'netpol-lint: input cannot be analysed',
        recommendation: err.message,
        fix: 'Run `netpol validate` on the manifests and correct what it reports.',
        violatingResources: [],
      });
      report.submit('failure', { error: err.message });
      return;
    }
    const rules = [...new Set(lint.findings.map(f => f.ruleId))].sort();
    for (const id of rules) {
      const findings = lint.findings.filter(f => f.ruleId === id);
      const first = findings[0];
      report.addViolation({
        ruleName: `${first.ruleId} ${first.ruleName} (${first.severity})`,
        recommendation: summaryOf(first.ruleId),
        fix: first.fix,
        violatingResources: findings.map(f => ({
          resourceName: f.name ?? '',
          locations: [messageText(f)],
          manifestPath: f.file ?? '',
        })),
      });
    }
    const failed = this.props.failOnWarnings ? lint.findings.length > 0 : lint.hasErrors;
    report.submit(failed ? 'failure' : 'success', {
      errors: String(lint.errors.length),
      warnings: String(lint.warnings.length),
      suppressed: String(lint.suppressedFindings.length),
    });
  }
}

function summaryOf(ruleId: string): string {
  return reportableRules().find(r => r.id === ruleId)?.summary ?? ruleId;
}
