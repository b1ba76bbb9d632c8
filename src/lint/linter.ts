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
import { appArg, array, isPlainObject, kindOf, lintOptions, fail, optionalString, props } from '../private/runtime-check';

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
    const checked = array('Linter.lint', 'inputs', inputs, 'lint inputs ({ manifest, constructPath?, file?, documentIndex?, line? })', (v, f) => {
      const input = props<LintInput>('Linter.lint', f, v as LintInput, ['manifest', 'constructPath', 'file', 'documentIndex', 'line']);
      if (!isPlainObject(input.manifest)) fail('Linter.lint', `${f}.manifest`, input.manifest, `must be a Kubernetes object, not ${kindOf(input.manifest)}`);
      optionalString('Linter.lint', `${f}.constructPath`, input.constructPath);
      optionalString('Linter.lint', `${f}.file`, input.file);
      for (const key of ['documentIndex', 'line'] as const) {
        if (input[key] !== undefined && !Number.isInteger(input[key])) fail('Linter.lint', `${f}.${key}`, input[key], 'must be an integer');
      }
      return input;
    });
    return runLint(checked, lintOptions('Linter.lint', options));
  }

  /**
   * Lints plain Kubernetes objects (findings name the objects, without a file or a construct).
   *
   * @throws if the options are invalid, or an object cannot be analysed
   */
  public static lintObjects(manifests: any[], options?: LintOptions): LintReport {
    const objects = array('Linter.lintObjects', 'manifests', manifests, 'Kubernetes objects', (m, f) => {
      if (!isPlainObject(m)) fail('Linter.lintObjects', f, m, `must be a Kubernetes object, not ${kindOf(m)}`);
      return m;
    });
    return runLint(objects.map(manifest => ({ manifest })), lintOptions('Linter.lintObjects', options));
  }

  /**
   * Lints what a chart synthesizes, naming construct paths. Suppressions set with
   * `NetpolLint.suppress()` on the chart, its constructs and its ancestors apply.
   * The chart's validations are not run.
   */
  public static lintChart(chart: Chart, options?: LintOptions): LintReport {
    if (!Chart.isChart(chart)) fail('Linter.lintChart', 'chart', chart, `must be a cdk8s Chart, not ${kindOf(chart)}`);
    const checked = lintOptions('Linter.lintChart', options);
    return runLint(constructInputs(chart), checked, constructSuppressions(chart));
  }

  /**
   * Lints what all the charts of an app synthesize, together, naming construct paths.
   */
  public static lintApp(app: App, options?: LintOptions): LintReport {
    appArg('Linter.lintApp', 'app', app);
    const checked = lintOptions('Linter.lintApp', options);
    return runLint(constructInputs(app), checked, constructSuppressions(app));
  }

  private constructor() {
  }
}
