import { describeKubectl, KubectlArgs } from './kubectl-args';
import { CommandResult } from './kubectl-executor';

/*
 * Reading what kubectl answered, trusting none of it: an exit status 0 with an error on standard
 * error is a failure, output that should be JSON and is not (or has the wrong shape) is a clear
 * error naming the command, and the objects are read field by field without ever throwing.
 */

/** A kubectl call that failed, or answered something the runner cannot read; the message names the command. */
export class KubectlError extends Error {
  /** Whether the call was stopped because the run was interrupted (not a failure of kubectl). */
  public readonly interrupted: boolean;
  constructor(message: string, interrupted = false) {
    super(message);
    this.name = 'KubectlError';
    this.interrupted = interrupted;
  }
}

/** How much of kubectl's standard error a message quotes, in characters. */
const MAX_QUOTED = 1000;

/** An error line kubectl (or the API server through it) prints: `error: ...`, `Error from server (...)`, `Error: ...`. */
const ERROR_LINE = /^(error|Error)\b/m;

function quoted(said: string): string {
  const t = said.trim();
  return t.length <= MAX_QUOTED ? t : `${t.slice(0, MAX_QUOTED)}... (${t.length - MAX_QUOTED} more characters)`;
}

/**
 * What a call printed on standard output, if it succeeded: exit status 0 and no error line on
 * standard error (kubectl's warnings, `Warning: ...`, are not errors).
 *
 * @throws KubectlError otherwise, naming the command
 */
export function kubectlOutput(args: KubectlArgs, r: CommandResult): string {
  const command = describeKubectl(args);
  if (r.failure !== undefined) throw new KubectlError(`${command}: ${r.failure}${r.stderr.trim() ? `: ${quoted(r.stderr)}` : ''}`, r.interrupted === true);
  if (r.code !== 0) throw new KubectlError(`${command} failed (exit code ${r.code}): ${quoted(r.stderr) || quoted(r.stdout) || 'no output'}`);
  if (ERROR_LINE.test(r.stderr)) throw new KubectlError(`${command} reported an error with exit status 0: ${quoted(r.stderr)}`);
  return r.stdout;
}

/**
 * The JSON object a `-o json` call printed.
 *
 * @throws KubectlError if the call failed, or printed something else than one JSON object
 */
export function kubectlObject(args: KubectlArgs, r: CommandResult): { [key: string]: unknown } {
  const output = kubectlOutput(args, r);
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch (e) {
    throw new KubectlError(`${describeKubectl(args)}: exit status 0, but its output is not JSON (${(e as Error).message}): ${quoted(output) || 'no output'}`);
  }
  if (!isObject(parsed)) throw new KubectlError(`${describeKubectl(args)}: exit status 0, but its output is ${kind(parsed)}, not a JSON object`);
  return parsed;
}

/**
 * The `items` of a list a `-o json` call printed, each an object.
 *
 * @throws KubectlError if the call failed, or printed something else than a list of objects
 */
export function kubectlItems(args: KubectlArgs, r: CommandResult): { [key: string]: unknown }[] {
  const list = kubectlObject(args, r);
  const items = list.items;
  if (!Array.isArray(items)) throw new KubectlError(`${describeKubectl(args)}: exit status 0, but its output is not a list (\`items\` is ${kind(items)})`);
  const bad = items.findIndex(i => !isObject(i));
  if (bad >= 0) throw new KubectlError(`${describeKubectl(args)}: exit status 0, but items[${bad}] of its output is ${kind(items[bad])}, not an object`);
  return items as { [key: string]: unknown }[];
}

/** Whether a value is a JSON object. */
export function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of nested objects, or undefined when any step is missing or not an object. Never throws. */
export function field(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if (!isObject(at) || !Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/** A string field, or undefined. */
export function text(value: unknown, ...path: string[]): string | undefined {
  const v = field(value, ...path);
  return typeof v === 'string' ? v : undefined;
}

/** An array field of objects (other entries dropped), or an empty array. */
export function objects(value: unknown, ...path: string[]): { [key: string]: unknown }[] {
  const v = field(value, ...path);
  return Array.isArray(v) ? v.filter(isObject) : [];
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'missing';
  return `a ${typeof value}`;
}
