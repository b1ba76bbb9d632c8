import { Construct, IConstruct } from 'constructs';
import { PUBLIC_MARKER } from '../constants';
import { configCheckCommand } from './lint-config';
import { LintOptions } from './lint-options';
import { writeSuppressionsOnSynth } from './private/code-suppressions';
import { constructInputs } from './private/construct-inputs';
import { runLint } from './private/engine';
import { findingLine } from './private/formatters';
import { LintInputError } from './private/lint-input-error';
import { SUPPRESSION_METADATA, SUPPRESS_ANNOTATION, checkSuppression, constructSuppressions } from './private/suppressions';
import { Suppression } from './suppression';
import { array, constructArg, lintOptions, props } from '../private/runtime-check';
import { libraryValidation, markChanged, memoizeForTree } from '../private/synth-memo';

/** The id of the construct that carries an app's lint validation. */
const APP_LINT_ID = 'NetpolLint';

/**
 * Options of the lint validation (`NetpolLint.addTo()`).
 */
export interface NetpolLintOptions extends LintOptions {
  /**
   * Whether warnings fail synthesis too.
   *
   * @default false
   */
  readonly failOnWarnings?: boolean;

  /**
   * Whether warnings (which do not fail synthesis) are printed to standard error when the
   * validation runs. cdk8s has no channel for warnings, so this is how they are seen.
   *
   * @default true
   */
  readonly printWarnings?: boolean;
}

/** The scopes the validation is registered on, with their options. */
const registered = new WeakMap<IConstruct, NetpolLintOptions>();

/**
 * The policy linter as a cdk8s validation, and the construct side of suppressions.
 *
 * `NetpolLint.addTo(app)` (or a chart) makes `app.synth()`, `cdk8s synth` and
 * `Testing.synth(chart)` fail when the linter finds an error in what the scope synthesizes;
 * warnings are printed to standard error (or fail too, with `failOnWarnings`). The project's
 * `netpol.config.json` applies (see `LintOptions.configFile`).
 *
 * Findings are accepted with `NetpolLint.suppress(construct, [{ id, reason }])`: the reason is
 * required, the suppression covers the construct and everything below it, and a suppression
 * that matches nothing is itself an error (NP901). When the app synthesizes, each suppression
 * is also written onto the objects whose findings it accepts (the annotation below), so the
 * validation plugin and `netpol lint` on the output accept the same findings. In manifests, and for every entry point,
 * the annotation `netpol.cdk8s.io/suppress` (one `<rule id>: <reason>` per line) does the same
 * for one object, or for every object of a Namespace it is set on.
 *
 * @example
 * NetpolLint.addTo(chart);
 * const web = new Policy(chart, 'Web', { ingress: [{ from: [Peer.anyIpv4()], ports: [Port.HTTPS] }] });
 * NetpolLint.suppress(web, [{ id: 'NP006', reason: 'the storefront is public; it is behind the WAF' }]);
 */
export class NetpolLint {
  /** The annotation that suppresses findings on a manifest object: `<rule id>: <reason>`, one per line. */
  public static readonly SUPPRESS_ANNOTATION = SUPPRESS_ANNOTATION;

  /**
   * The label (on pods or pod templates) and annotation (on NetworkPolicies) that mark pods as
   * meant to be public, with the value `"true"` (rule NP006).
   */
  public static readonly PUBLIC_MARKER = PUBLIC_MARKER;

  /**
   * Registers the linter as a validation of an app or a chart: synthesis fails on errors in
   * what the scope synthesizes. Registering the same scope again replaces its options.
   *
   * @param scope an App or a Chart (or any construct: its subtree is linted)
   * @param options lint options, and how warnings are surfaced
   */
  public static addTo(scope: IConstruct, options: NetpolLintOptions = {}): void {
    constructArg('NetpolLint.addTo', 'scope', scope);
    const checked = lintOptions('NetpolLint.addTo', options, ['failOnWarnings', 'printWarnings']);
    const first = !registered.has(scope);
    registered.set(scope, checked);
    markChanged();
    if (!first) return;
    // Memoized per tree: cdk8s validates the whole app once per chart it synthesizes.
    const key = {};
    // cdk8s prints each error after its construct's path in brackets: on the app (path '') that
    // is a bare `[]`, so the app's lint runs on a child of its own and its errors read `[NetpolLint] ...`.
    const host = scope.node.path === '' ? scope.node.tryFindChild(APP_LINT_ID) ?? new Construct(scope, APP_LINT_ID) : scope;
    host.node.addValidation(libraryValidation(
      () => memoizeForTree(key, scope.node.root, () => NetpolLint.validate(scope, registered.get(scope) ?? {})),
    ));
  }

  /**
   * Accepts the findings of rules on a construct and everything below it.
   *
   * @param scope the construct (a Policy, a workload, a chart, the app)
   * @param suppressions the rules (ids or names) and why their findings are acceptable
   * @throws if a suppression names an unknown rule or has no reason
   */
  public static suppress(scope: IConstruct, suppressions: Suppression[]): void {
    constructArg('NetpolLint.suppress', 'scope', scope);
    const where = `NetpolLint.suppress(${scope.node.path || '<app>'})`;
    const checked = array(where, 'suppressions', suppressions, 'suppressions ({ id, reason })', (v, f) => {
      // the id and the reason are checked (with the rules' names) by checkSuppression
      return props<Suppression>(where, f, v as Suppression, ['id', 'reason']);
    });
    for (const s of checked) {
      const ruleId = checkSuppression(scope, s);
      scope.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason: s.reason.trim() }, { stackTrace: false });
    }
    // Written onto the synthesized objects, for the validation plugin and `netpol lint`.
    const root = scope.node.root;
    writeSuppressionsOnSynth(root, () => registered.get(root) ?? {});
    markChanged();
  }

  private static validate(scope: IConstruct, options: NetpolLintOptions): string[] {
    let report;
    try {
      report = runLint(constructInputs(scope), options, constructSuppressions(scope));
    } catch (err) {
      if (err instanceof LintInputError) {
        const hint = err.configFile !== undefined ? ` (\`${configCheckCommand(err.configFile)}\` checks the lint configuration file alone)` : '';
        return [`netpol lint: cannot lint what this scope synthesizes: ${err.message}${hint}`];
      }
      throw err;
    }
    const failOnWarnings = options.failOnWarnings ?? false;
    if (!failOnWarnings && (options.printWarnings ?? true) && report.warnings.length > 0) {
      process.stderr.write(report.warnings.map(w => `netpol lint: warning: ${findingLine(w)}\n`).join(''));
    }
    return (failOnWarnings ? report.findings : report.errors).map(f => `${f.severity}: ${findingLine(f)}`);
  }

  private constructor() {
  }
}
