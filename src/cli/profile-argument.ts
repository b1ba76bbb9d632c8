import { InvalidArgumentError } from 'commander';
import { ClusterProfile } from '../index';
import { findLintConfigFile, loadLintConfig } from '../lint/lint-config';

/** The help text of `--profile`. */
export const PROFILE_HELP = 'the cluster the policies are for: where DNS is, the metadata endpoints, the system namespaces '
  + `(${ClusterProfile.builtIns().map(p => p.name).join(', ')}; default: netpol.config.json's options.profile, else generic)`;

/** Parses `--profile <name>`: a built-in profile, by name (a custom one goes in netpol.config.json). */
export function parseProfile(value: string): ClusterProfile {
  const found = ClusterProfile.builtIns().find(p => p.name === value);
  if (found) return found;
  try {
    return ClusterProfile.named(value);
  } catch (err) {
    const message = (err as Error).message.replace(/^.*?name: /, '');
    throw new InvalidArgumentError(`${message}. A custom profile goes in netpol.config.json ("options": { "profile": { ... } }).`);
  }
}

/**
 * The profile a command that does not lint uses: `--profile`, else the configuration file's
 * (`config`, or netpol.config.json found from the working directory), else none.
 *
 * @throws LintInputError for a configuration file that is missing or invalid
 */
export function profileOf(given: ClusterProfile | undefined, config?: string): ClusterProfile | undefined {
  if (given !== undefined) return given;
  const file = findLintConfigFile(config);
  return file === undefined ? undefined : loadLintConfig(file).options.profile;
}
