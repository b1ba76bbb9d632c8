import { ClusterProfile } from '../cluster-profile';
import { configCheckCommand } from './lint-config';
import { LintOptions } from './lint-options';
import { LintReport } from './lint-report';
import { constructPathLookup } from '../io/construct-metadata';
import { resolveOptions, runLint } from './private/engine';
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


/** The properties the plugin accepts, for messages. */
const PLUGIN_PROPERTIES: Record<string, string> = {
  failOnWarnings: 'boolean',
  maxPortRangeWidth: 'number',
  dnsNamespace: 'string',
  dnsPodLabels: 'object',
  metadataAddresses: 'object',
  defaultNamespace: 'string',
  ipBlockMatchesPodIps: 'boolean',
  configFile: 'string',
  profile: 'string',
};

/**
 * The policy linter as a cdk8s CLI validation plugin, so that `cdk8s synth` (validations run
 * by default; `--no-validate` skips them) reports the linter's findings on the synthesized
 * manifests and fails on errors. In `cdk8s.yaml`, with cdk8s-netpol installed in the project:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-netpol/lib/plugin.js
 *     version: 0.0.0
 *     class: NetpolLintPlugin
 * ```
 *
 * `lib/plugin.js` is this class's entry alone (the reader and the linter, without cdk8s);
 * `./node_modules/cdk8s-netpol`, the whole library, works too and takes longer to load.
 * The cdk8s CLI loads a `package` that starts with `./` (or is absolute) from that path;
 * any other `package` is installed from the npm registry into `~/.cdk8s/plugins` at exactly
 * `version`. `version` is required and must be an exact version (for a local path it is only
 * shown in the report). `properties` (optional) are `NetpolLintPluginProps`; the project's
 * `netpol.config.json` applies too. Suppressions made with `NetpolLint.suppress()` are written
 * onto the synthesized objects, so the plugin accepts the same findings as the in-app lint.
 */
export class NetpolLintPlugin {
  private readonly props: NetpolLintPluginProps;

  /**
   * @param props the `properties` of the plugin's entry in `cdk8s.yaml`
   * @throws if a property is unknown or of the wrong type
   */
  public constructor(props: NetpolLintPluginProps = {}) {
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      throw new Error(`NetpolLintPlugin: the "properties" of its entry in cdk8s.yaml must be a mapping (${Object.keys(PLUGIN_PROPERTIES).join(', ')}); got ${JSON.stringify(props)}`);
    }
    for (const [key, value] of Object.entries(props)) {
      const type = PLUGIN_PROPERTIES[key];
      if (!type) {
        throw new Error(`NetpolLintPlugin: unknown property ${JSON.stringify(key)} in cdk8s.yaml; valid properties: ${Object.keys(PLUGIN_PROPERTIES).join(', ')}`);
      }
      if (key === 'profile') continue;
      if (value !== undefined && (typeof value !== type || value === null)) {
        throw new Error(`NetpolLintPlugin: property ${key} in cdk8s.yaml: Invalid value: ${JSON.stringify(value)}: must be a ${type}`);
      }
    }
    // the profile, from cdk8s.yaml: a built-in's name or a custom profile's mapping
    const profile = props.profile === undefined ? undefined : ClusterProfile._fromJson('NetpolLintPlugin: property profile in cdk8s.yaml', 'profile', props.profile);
    // the values themselves (a list of addresses, not a mapping; namespace names), as every lint checks them
    const { failOnWarnings: _failOnWarnings, configFile: _configFile, ...options } = props;
    try {
      resolveOptions(profile === undefined ? options : { ...options, profile });
    } catch (e) {
      if (!(e instanceof LintInputError)) throw e;
      throw new Error(`NetpolLintPlugin: property ${e.message} (in the "properties" of its entry in cdk8s.yaml)`);
    }
    this.props = profile === undefined ? { ...props } : { ...props, profile };
  }

  /**
   * Lints the manifests of the context and submits the report: one violation per rule with
   * findings (warnings included), `failure` when there is an error.
   */
  public async validate(context: IValidationPluginContext): Promise<void> {
    if (!context || !Array.isArray(context.manifests) || !context.report || typeof context.report.addViolation !== 'function') {
      throw new Error('NetpolLintPlugin.validate: expected the cdk8s CLI\'s validation context (manifests and report); '
        + 'register the plugin in cdk8s.yaml under "validations" rather than calling it');
    }
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
    // the construct paths recorded next to the manifests (construct-metadata.json), if any, and
    // the key by which the CLI finds each object's (and no other object's) path: by file and document
    const metadata = constructPathLookup(loaded.objects);
    const recorded = new Map(loaded.objects.map(o => [`${o.index} ${o.file}`, metadata(o.file, o.object)]));
    try {
      lint = runLint(loaded.objects.map(o => {
        const where = recorded.get(`${o.index} ${o.file}`)!.path;
        return {
          manifest: o.object,
          file: o.file,
          documentIndex: o.index,
          ...(o.line !== undefined ? { line: o.line } : {}),
          ...(where !== undefined ? { constructPath: where } : {}),
        };
      }), this.props);
    } catch (err) {
      if (!(err instanceof LintInputError)) throw err;
      report.addViolation({
        ruleName: 'netpol-lint: input cannot be analysed',
        recommendation: err.message,
        fix: err.configFile !== undefined
          ? `Run \`${configCheckCommand(err.configFile)}\` and correct what it reports in the lint configuration file.`
          : 'Correct the object and field the recommendation names (`netpol validate` on the manifests lists every invalid NetworkPolicy).',
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
          // the key by which the CLI finds the construct path of this object, and of no other
          resourceName: recorded.get(`${f.documentIndex} ${f.file}`)?.resourceName ?? f.name ?? '',
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
