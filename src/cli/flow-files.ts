import { Option } from 'commander';
import { CliIo } from './cli-context';
import { oneLine } from './terminal-text';
import { FlowFormat, ObservedFlows } from '../index';
import { MIB } from '../io/input-limits';
import { InputReadError, readStandardInput } from '../io/read-input';

/** The `--format-in` values: `auto` (detected per file) or a `FlowFormat`, in lower case. */
export type FlowFormatIn = 'auto' | 'hubble' | 'calico' | 'gadget' | 'generic';

/** The unreadable lines printed on standard error before the rest are only counted. */
export const PRINTED_FLOW_PROBLEMS = 100;

/** The `--format-in` option of the commands that read observed flows (`replay`, `suggest`). */
export function formatInOption(): Option {
  return new Option('--format-in <format>', 'the flow files\' format').choices(['auto', 'hubble', 'calico', 'gadget', 'generic']).default('auto');
}

/**
 * Reads observed flow files (`-` alone: standard input) as `ObservedFlows`, and prints their
 * unreadable lines as warnings with file and line (the first `PRINTED_FLOW_PROBLEMS`, then a
 * count). Returns undefined, the error printed, when a file cannot be read.
 *
 * @param command the command's name, for the messages
 * @param moreHint where the lines not printed are listed, if anywhere (`(the JSON report lists the first 1,000)`)
 */
export async function readFlowFiles(command: string, files: readonly string[], formatIn: FlowFormatIn,
  maxFileSize: number | undefined, io: CliIo, moreHint: string = ''): Promise<ObservedFlows | undefined> {
  const format = formatIn === 'auto' ? undefined : formatIn.toUpperCase() as FlowFormat;
  let observed: ObservedFlows;
  try {
    if (files.length === 1 && files[0] === '-') {
      const bytes = io.readStdin ? io.readStdin() : readStandardInput((maxFileSize ?? 256) * MIB);
      const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
      observed = await ObservedFlows.fromText(text, '-', { format });
    } else if (files.includes('-')) {
      io.stderr(`netpol ${command}: "-" (standard input) must be the only flow file\n`);
      return undefined;
    } else {
      observed = await ObservedFlows.fromFiles([...files], { format });
    }
  } catch (err) {
    if (err instanceof InputReadError) {
      io.stderr(`netpol ${command}: ${oneLine(err.message)}\n`);
      return undefined;
    }
    throw err;
  }
  for (const p of observed.problems.slice(0, PRINTED_FLOW_PROBLEMS)) {
    io.stderr(`netpol ${command}: warning: ${oneLine(`${p.file}:${p.line}: ${p.message}`)}\n`);
  }
  if (observed.problemCount > PRINTED_FLOW_PROBLEMS) {
    io.stderr(`netpol ${command}: warning: ${observed.problemCount - PRINTED_FLOW_PROBLEMS} more unreadable lines${moreHint ? ` ${moreHint}` : ''}\n`);
  }
  return observed;
}
