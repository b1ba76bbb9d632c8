/**
 * The project's lint configuration, `netpol.config.json`: which rules run, at which severity,
 * and the lint options, read alike by `netpol lint`, `NetpolLint`, `Linter` and the cdk8s
 * validation plugin.
 *
 * ```json
 * {
 *   "extends": "@acme/netpol-policy/netpol.config.json",
 *   "rules": { "NP006": "off", "wide-port-range": "error" },
 *   "options": { "profile": "gke-cloud-dns", "maxPortRangeWidth": 2000 }
 * }
 * ```
 *
 * Why one JSON file of its own, not a `package.json` key: the cdk8s app, its Jest tests, the
 * CLI run on `dist/` and the validation plugin all start in the project directory, and a file
 * next to `cdk8s.yaml` is found by each the same way; an organisation's pattern package ships
 * the same file and projects `extends` it by package path (JSON, not code: it is data that
 * every language binding reads alike).
 *
 * The file is looked up from the working directory upwards, stopping at the first directory
 * that has a `package.json` (the project root). Options given in code, on the command line or
 * as plugin properties take precedence over the file's options.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterProfile } from '../cluster-profile';
import { LintOptions } from './lint-options';
import { MAX_CONFIG_FILE_BYTES } from '../io/input-limits';
import { InputReadError, readRegularFile } from '../io/read-input';
import { decodeText } from '../io/text-encoding';
import { ENGINE_RULES } from './private/engine-rules';
import { LintCheck } from './private/lint-check';
import { LintInputError } from './private/lint-input-error';
import { findRule } from './private/suppressions';
import { ALL_RULES } from './rules';
import { Severity } from './severity';

/** The file name of the project configuration. */
export const LINT_CONFIG_FILE = 'netpol.config.json';

/** How a rule is configured: off, or on at a severity. */
type RuleSetting = 'off' | Severity;

/** A configuration file, read and checked (`extends` already merged). */
export interface LintConfig {
  /** The files read, the extending one last. */
  readonly files: readonly string[];
  /** Rule id -> setting. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** The lint options of the file. */
  readonly options: LintOptions;
}

/** The option keys a configuration file may set, with the type each must have. */
const OPTION_TYPES: Record<keyof Omit<LintOptions, 'configFile'>, string> = {
  maxPortRangeWidth: 'number',
  dnsNamespace: 'string',
  dnsPodLabels: 'object of strings',
  metadataAddresses: 'array of strings',
  defaultNamespace: 'string',
  ipBlockMatchesPodIps: 'boolean',
  profile: 'built-in profile name (gke, eks, aks, openshift, ...) or custom profile object',
};

const cache = new Map<string, { mtimeMs: number; config: LintConfig }>();

/** Quotes a value for a message, truncated when long. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * The configuration file that applies: `configFile` when given (relative to the working
 * directory), else `netpol.config.json` in the working directory or above it, up to the
 * project root (the first directory with a `package.json`); `undefined` when there is none.
 *
 * @throws LintInputError when `configFile` names no file
 */
export function findLintConfigFile(configFile?: string, cwd: string = process.cwd()): string | undefined {
  if (configFile !== undefined) {
    if (typeof configFile !== 'string' || configFile.trim() === '') {
      throw new LintInputError(`configFile: Invalid value: ${quote(configFile)}: must be the path of a ${LINT_CONFIG_FILE} file`);
    }
    const file = path.resolve(cwd, configFile);
    if (!fs.existsSync(file)) throw new LintInputError(`configFile: ${quote(configFile)}: no such file (looked for ${file})`, file);
    return file;
  }
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, LINT_CONFIG_FILE);
    if (fs.existsSync(candidate)) return candidate;
    if (fs.existsSync(path.join(dir, 'package.json'))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Reads and checks a configuration file and what it extends.
 *
 * @throws LintInputError naming the file and the field for anything invalid
 */
export function loadLintConfig(file: string): LintConfig {
  const absolute = path.resolve(file);
  const stat = fs.statSync(absolute, { throwIfNoEntry: false });
  if (!stat) throw new LintInputError(`${absolute}: no such lint configuration file`, absolute);
  const cached = cache.get(absolute);
  if (cached && cached.mtimeMs === stat.mtimeMs) return cached.config;
  let config: LintConfig;
  try {
    config = read(absolute, []);
  } catch (err) {
    // the file at fault is the one given or found (a problem in what it extends included)
    throw err instanceof LintInputError && err.configFile === undefined ? new LintInputError(err.message, absolute) : err;
  }
  cache.set(absolute, { mtimeMs: stat.mtimeMs, config });
  return config;
}

/** The lint configuration file at fault in an error of the linter, if the problem is in one. */
export function lintConfigFileOf(err: unknown): string | undefined {
  return err instanceof LintInputError ? err.configFile : undefined;
}

/** The command that checks a lint configuration file alone, as every lint entry point names it. */
export function configCheckCommand(file: string): string {
  return `netpol validate --config ${file}`;
}

function read(file: string, chain: readonly string[]): LintConfig {
  if (chain.includes(file)) {
    throw new LintInputError(`${file}: "extends" makes a cycle: ${[...chain, file].join(' -> ')}`);
  }
  const raw: any = readJsonFile(file);
  const where = (field: string) => `${file}: ${field}`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LintInputError(`${file}: must be a JSON object with "rules", "options" and "extends" (all optional)`);
  }
  for (const key of Object.keys(raw)) {
    if (!['$schema', 'extends', 'rules', 'options'].includes(key)) {
      throw new LintInputError(`${where(key)}: unknown key: use "extends", "rules" or "options"`);
    }
  }

  let base: LintConfig = { files: [], rules: {}, options: {} };
  if (raw.extends !== undefined) {
    if (typeof raw.extends !== 'string' || raw.extends.trim() === '') {
      throw new LintInputError(`${where('extends')}: Invalid value: ${quote(raw.extends)}: must be a path ("./base.json") or a package file ("@acme/netpol-policy/netpol.config.json")`);
    }
    base = read(resolveExtends(file, raw.extends), [...chain, file]);
  }

  const rules: Record<string, RuleSetting> = Object.assign(Object.create(null), base.rules);
  if (raw.rules !== undefined) {
    if (!raw.rules || typeof raw.rules !== 'object' || Array.isArray(raw.rules)) {
      throw new LintInputError(`${where('rules')}: must be an object of rule id (or name) to "off", "warning" or "error"`);
    }
    for (const [key, value] of Object.entries(raw.rules)) {
      const rule = findRule(key);
      if (!rule) {
        const engine = ENGINE_RULES.find(r => r.id === key.trim().toUpperCase() || r.name === key.trim());
        throw new LintInputError(`${where(`rules.${key}`)}: ${engine ? `${engine.id} (${engine.name}) cannot be configured`
          : `unknown rule ${quote(key)}: use ${ALL_RULES[0].id}-${ALL_RULES[ALL_RULES.length - 1].id} or a rule name (see RULES.md)`}`);
      }
      if (value !== 'off' && value !== Severity.WARNING && value !== Severity.ERROR) {
        throw new LintInputError(`${where(`rules.${key}`)}: Unsupported value: ${quote(value)}: use "off", "warning" or "error"`);
      }
      rules[rule.id] = value as RuleSetting;
    }
  }

  const options: Record<string, unknown> = Object.assign(Object.create(null), base.options);
  if (raw.options !== undefined) {
    if (!raw.options || typeof raw.options !== 'object' || Array.isArray(raw.options)) {
      throw new LintInputError(`${where('options')}: must be an object of lint options (${Object.keys(OPTION_TYPES).join(', ')})`);
    }
    for (const [key, value] of Object.entries(raw.options)) {
      // an own key only: "__proto__" or "constructor" is an unknown option, never Object.prototype's
      const type = Object.prototype.hasOwnProperty.call(OPTION_TYPES, key) ? (OPTION_TYPES as Record<string, string>)[key] : undefined;
      if (!type) throw new LintInputError(`${where(`options.${key}`)}: unknown option: use ${Object.keys(OPTION_TYPES).join(', ')}`);
      if (!hasType(value, type)) throw new LintInputError(`${where(`options.${key}`)}: Invalid value: ${quote(value)}: must be a ${type}`);
      options[key] = key === 'profile' ? profileOf(file, value) : value;
    }
  }
  return { files: [...base.files, file], rules: { ...rules }, options: { ...options } as LintOptions };
}

/**
 * Reads a configuration file as the manifest reader reads a manifest: a regular file only (never
 * a FIFO or a device, which block or never end), within `MAX_CONFIG_FILE_BYTES`, UTF-8 (or UTF-16
 * with a byte order mark, as kubectl reads it). A file that is refused is never quoted: the
 * message says where and why, never what the bytes were (a `--config` pointing at a secret must
 * not print it).
 */
function readJsonFile(file: string): unknown {
  let text: string;
  try {
    const decoded = decodeText(readRegularFile(file, MAX_CONFIG_FILE_BYTES));
    if (decoded.problem) throw new InputReadError(decoded.problem);
    text = decoded.text;
  } catch (err) {
    const why = err instanceof InputReadError
      ? err.message.replace(/--max-file-size/, `a lint configuration file has a limit of ${MAX_CONFIG_FILE_BYTES / 1024 / 1024} MiB`)
      : `cannot read: ${err instanceof Error ? err.message : String(err)}`;
    throw new LintInputError(`${file}: not a readable lint configuration file: ${why}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new LintInputError(`${file}: not valid JSON${jsonErrorPlace(err, text)}; a lint configuration file is a JSON object `
      + 'with "rules", "options" and "extends" (all optional)');
  }
}

/** Where `JSON.parse` failed (line and column), without any of the text: `JSON.parse`'s own message quotes it. */
function jsonErrorPlace(err: unknown, text: string): string {
  const m = / at position (\d+)/.exec(err instanceof Error ? err.message : '');
  if (text.trim() === '') return ' (the file is empty)';
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${Number(m[1]) - before.lastIndexOf('\n')}`;
}

/** The cluster profile a configuration file names (a built-in) or describes (a custom one). */
function profileOf(file: string, value: unknown): ClusterProfile {
  try {
    return ClusterProfile._fromJson(file, 'options.profile', value);
  } catch (err) {
    throw new LintInputError(err instanceof Error ? err.message : String(err));
  }
}

function hasType(value: unknown, type: string): boolean {
  if (type === OPTION_TYPES.profile) return typeof value === 'string' || (!!value && typeof value === 'object' && !Array.isArray(value));
  switch (type) {
    case 'object of strings':
      return !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every(v => typeof v === 'string');
    case 'array of strings':
      return Array.isArray(value) && value.every(v => typeof v === 'string');
    default:
      return typeof value === type;
  }
}

/** `extends`: a path relative to the extending file, or a file in an installed package. */
function resolveExtends(file: string, spec: string): string {
  const dir = path.dirname(file);
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    const target = path.resolve(dir, spec);
    if (!fs.existsSync(target)) throw new LintInputError(`${file}: extends: ${quote(spec)}: no such file (looked for ${target})`);
    return target;
  }
  try {
    return require.resolve(spec, { paths: [dir] });
  } catch {
    throw new LintInputError(`${file}: extends: ${quote(spec)}: not found from ${dir}; install the package that has it, or use a relative path`);
  }
}

/**
 * The options and rules a lint runs with: the configuration file's options under the explicit
 * ones, and its rule settings applied to `rules` (rules set `off` are left out; a severity
 * replaces the rule's own).
 *
 * @throws LintInputError for a configuration file that is missing or invalid
 */
export function applyLintConfig(options: LintOptions, rules: readonly LintCheck[]): { options: LintOptions; rules: readonly LintCheck[] } {
  const file = findLintConfigFile(options.configFile);
  if (!file) return { options, rules };
  const config = loadLintConfig(file);
  const explicit = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const merged: LintOptions = { ...config.options, ...explicit };
  const configured = rules
    .filter(r => config.rules[r.id] !== 'off')
    .map((r): LintCheck => {
      const setting = config.rules[r.id];
      return setting === undefined || setting === 'off' || setting === r.severity ? r : { ...r, severity: setting };
    });
  return { options: merged, rules: configured };
}
