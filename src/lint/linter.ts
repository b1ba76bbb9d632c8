import { App, Chart } from 'cdk8s';
import { LintInput, LintOptions } from './lint-options';
import { LintReport } from './lint-report';
import { LintRule } from './lint-rule';
import { AnalysisInputError } from '../analysis/analysis-input-error';
import { constructInputs } from './private/construct-inputs';
import { runLint } from './private/engine';
import { reportableRules } from './private/formatters';
import { LintInputError } from './private/lint-input-error';
import { constructSuppressions } from './private/suppressions';

/**
 * Lints NetworkPolicies for the misconfigurations operators actually make (no default deny,
 * egress isolation without DNS, cloud metadata left reachable, selectors that match nothing,
 * AND/OR slips in peers, ingress from everywhere, ...), on the connectivity engine's model of
 * the input, so that rules judge effective behaviour rather than text. See RULES.md.
 *
 * Rules about pods (NP001-NP005, NP008, NP009) need the pods or workloads in the input; they
 * do not apply to namespaces that have none.
 *
 * @example
 * const report = Linter.lintChart(chart);
 * for (const finding of report.findings) {
 *   console.log(`${finding.ruleId} ${finding.constructPath}: ${finding.message}`);
 * }
 */
export class Linter {
  /**
   * Every rule a report can name: the lint rules (NP001...), then the engine's own findings
   * (NP900 a rule failed, NP901 an unused suppression, NP902 a malformed suppression annotation).
   */
  public static rules(): LintRule[] {
    return reportableRules();
  }

  /**
   * Whether an error thrown by the linter means its input cannot be linted (invalid options, an
   * object the API server would reject, an object defined twice), as opposed to a bug.
   *
   * @param error anything caught
   */
  public static isInputError(error: any): boolean {
    return error instanceof LintInputError || error instanceof AnalysisInputError;
  }

  /**
   * Lints objects with their origins (construct path, or file and document index), which
   * findings then name. Suppression annotations (`netpol.cdk8s.io/suppress`) on the objects apply.
   *
   * @throws if the options are invalid, or an object cannot be analysed (run `netpol validate`)
   */
  public static lint(inputs: LintInput[], options?: LintOptions): LintReport {
    return runLint(inputs, options);
  }

  /**
   * Lints plain Kubernetes objects (findings name the objects, without a file or a construct).
   *
   * @throws if the options are invalid, or an object cannot be analysed
   */
  public static lintObjects(manifests: any[], options?: LintOptions): LintReport {
    return runLint(manifests.map(manifest => ({ manifest })), options);
  }

  /**
   * Lints what a chart synthesizes, naming construct paths. Suppressions set with
   * `NetpolLint.suppress()` on the chart, its constructs and its ancestors apply.
   * The chart's validations are not run.
   */
  public static lintChart(chart: Chart, options?: LintOptions): LintReport {
    return runLint(constructInputs(chart), options, constructSuppressions(chart));
  }

  /**
   * Lints what all the charts of an app synthesize, together, naming construct paths.
   */
  public static lintApp(app: App, options?: LintOptions): LintReport {
    return runLint(constructInputs(app), options, constructSuppressions(app));
  }

  private constructor() {
  }
}
