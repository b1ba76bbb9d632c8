import * as fs from 'fs';
import * as path from 'path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { CliContext, CliIo, ExitCode, raiseExitCode } from './cli-context';
import { addInputOptions, InputCliOptions, printSummary, readAnalysisInput } from './command-input';
import { plural } from './policy-report';
import { PROFILE_HELP, parseProfile } from './profile-argument';
import { oneLine, printableReport } from './terminal-text';
import { ClusterProfile, Linter, LintOptions, LintReport } from '../index';
import { constructPathLookup } from '../io/construct-metadata';
import { configCheckCommand, lintConfigFileOf } from '../lint/lint-config';

/** The options of `netpol lint`. */
export interface LintCommandOptions extends Partial<InputCliOptions> {
  readonly format: 'human' | 'json' | 'sarif';
  readonly maxPortRangeWidth?: number;
  readonly dnsNamespace?: string;
  readonly dnsLabel: string[];
  readonly metadataAddress: string[];
  readonly defaultNamespace?: string;
  readonly ipBlockPodIps: boolean;
  readonly config?: string;
  readonly failOnWarnings: boolean;
  readonly profile?: ClusterProfile;
}

/** Parses a positive whole number argument. */
function parseWidth(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('must be a whole number of ports, at least 1.');
  return Number(value);
}

/** Collects `key=value` arguments. */
function parseLabel(value: string, all: string[]): string[] {
  if (!/^[^=]+=[^=]*$/.test(value)) throw new InvalidArgumentError('must be key=value, e.g. k8s-app=kube-dns.');
  return [...all, value];
}

function collect(value: string, all: string[]): string[] {
  return [...all, value];
}

/** The package version, for SARIF. */
function toolVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function toLintOptions(options: LintCommandOptions): LintOptions {
  const labels = options.dnsLabel.length > 0
    ? Object.fromEntries(options.dnsLabel.map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
    : undefined;
  return {
    maxPortRangeWidth: options.maxPortRangeWidth,
    dnsNamespace: options.dnsNamespace,
    dnsPodLabels: labels,
    metadataAddresses: options.metadataAddress.length > 0 ? options.metadataAddress : undefined,
    defaultNamespace: options.defaultNamespace,
    // Only an explicit --no-ip-block-pod-ips overrides netpol.config.json.
    ipBlockMatchesPodIps: options.ipBlockPodIps === false ? false : undefined,
    configFile: options.config,
    profile: options.profile,
  };
}

/**
 * Runs `netpol lint`: lints the objects of the files and directories and prints the findings.
 * Returns the exit code: 0 no errors (warnings allowed, unless `failOnWarnings`), 1 errors,
 * 2 when the input could not be read or analysed.
 */
export function runLintCommand(paths: readonly string[], options: LintCommandOptions, io: CliIo): ExitCode {
  const startedAt = Date.now();
  const objects = readAnalysisInput('lint', paths, options, io);
  if (!objects) return ExitCode.ERROR;
  let report: LintReport;
  try {
    // The construct paths cdk8s recorded next to the manifests (construct-metadata.json), if any.
    const metadata = constructPathLookup(objects);
    report = Linter.lint(objects.map(o => {
      const recorded = metadata(o.file, o.object).path;
      return {
        manifest: o.object,
        file: o.file,
        documentIndex: o.index,
        ...(o.line !== undefined ? { line: o.line } : {}),
        ...(recorded !== undefined ? { constructPath: recorded } : {}),
      };
    }), toLintOptions(options));
  } catch (err) {
    if (Linter.isInputError(err)) {
      const configFile = lintConfigFileOf(err);
      // invalid NetworkPolicies were reported above in netpol validate's format; what is left names its object and field
      const hint = configFile !== undefined ? `(the lint configuration file is at fault: \`${oneLine(configCheckCommand(configFile))}\` checks it alone)\n` : '';
      io.stderr(`netpol lint: cannot analyse the input: ${oneLine((err as Error).message)}\n${hint}`);
      return ExitCode.ERROR;
    }
    throw err;
  }
  switch (options.format) {
    case 'json':
      io.stdout(JSON.stringify(report.toJson(), undefined, 2) + '\n');
      break;
    case 'sarif':
      io.stdout(JSON.stringify(report.toSarif(toolVersion()), undefined, 2) + '\n');
      break;
    default:
      io.stdout(printableReport(report.toText()));
  }
  printSummary('lint', `${plural(report.objectCount, 'object')}, ${plural(report.findings.length, 'finding')}`, startedAt, io);
  const failing = options.failOnWarnings ? report.findings.length > 0 : report.hasErrors;
  return failing ? ExitCode.FINDINGS : ExitCode.OK;
}

/**
 * Registers `netpol lint <paths...> [--format human|json|sarif] [options]`.
 */
export function registerLintCommand(program: Command, ctx: CliContext): Command {
  return addInputOptions(program
    .command('lint')
    .summary('find NetworkPolicy misconfigurations: no default deny, egress without DNS, metadata reachable, ...')
    .description(
      'Lint the Kubernetes objects in the given YAML or JSON files and directories (NetworkPolicies, Namespaces, '
      + 'Pods and workloads) for the mistakes operators make: no default deny, egress isolation without DNS, cloud '
      + 'metadata left reachable, selectors that match nothing, AND/OR slips in peers, ingress from everywhere, '
      + 'rules ignored by policyTypes, policies without effect, wide port ranges. The rules reason on the '
      + 'connectivity engine\'s model of the input; rules about pods need the pods or workloads in the input. '
      + 'Each rule is documented in RULES.md.\n\n'
      + 'Findings are accepted with the annotation netpol.cdk8s.io/suppress on the object (or on its Namespace): '
      + 'one "<rule id>: <reason>" per line.\n\n'
      + 'Every NetworkPolicy is validated first, as netpol validate does: an invalid one is an input error, never linted.\n\n'
      + 'A directory is read as kubectl apply -f reads it: its *.yaml, *.yml and *.json files, hidden ones included; its subdirectories only with -R. "-" reads standard input.')
    .argument('<paths...>', 'files or directories to lint ("-" for standard input)')
    .addOption(new Option('--format <format>', 'output format (sarif: SARIF 2.1.0, for code scanning)').choices(['human', 'json', 'sarif']).default('human'))
    .option('--profile <name>', PROFILE_HELP, parseProfile)
    .option('--max-port-range-width <ports>', 'the widest port range NP010 accepts (default: 1000)', parseWidth)
    .option('--dns-namespace <namespace>', 'the namespace of the cluster DNS pods (default: the profile\'s, kube-system)')
    .addOption(new Option('--dns-label <key=value>', 'a label of the cluster DNS pods (repeatable; default: k8s-app=kube-dns)')
      .argParser(parseLabel).default([], 'k8s-app=kube-dns'))
    .addOption(new Option('--metadata-address <ip>', 'a cloud metadata address NP004 checks (repeatable; default: '
      + '169.254.169.254, 100.100.100.200, fd00:ec2::254)').argParser(collect).default([], 'the three'))
    .option('--default-namespace <namespace>', 'the namespace of objects without one (default: default)')
    .option('--no-ip-block-pod-ips', 'ipBlocks never match pod IPs (as in Cilium); by default they do (as in Calico)')
    .option('--fail-on-warnings', 'exit 1 on warnings too', false)
    .option('--config <file>', 'the lint configuration (default: netpol.config.json in the working directory or above, up to the project root)'))
    .addHelpText('after', '\nExit codes:\n  0  no errors (warnings may have been printed)\n  1  at least one error (or warning, with --fail-on-warnings)\n'
      + '  2  some input could not be read or analysed, held an invalid NetworkPolicy or no object (see --allow-empty),\n'
      + '     the output could not be written, or the command was used wrongly')
    .action((paths: string[], opts: LintCommandOptions) => {
      raiseExitCode(ctx, runLintCommand(paths, opts, ctx.io));
    });
}
