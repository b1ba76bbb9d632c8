import { CliIo } from '../../src/cli/cli-context';
import { run } from '../../src/cli/main';

/** What one run of the command line produced. */
export interface Captured { code: number; stdout: string; stderr: string }

/** Runs the netpol command line in-process, capturing its output. */
export async function netpol(args: string[], stdin = ''): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    readStdin: () => stdin,
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

/** No output of the tool may contain a stack trace. */
export function expectNoStackTrace(c: Captured): void {
  expect(c.stdout + c.stderr).not.toMatch(/\n\s+at .+[(:]\d+/);
}

