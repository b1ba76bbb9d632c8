import { run } from '../src/cli/main';

/**
 * One CLI measurement, in the worker process: runs the command line with `args`, its standard
 * output counted and dropped. Resolves to the time, the exit code, the output size, the start of
 * standard error and the peak memory (`maxRSS`, which includes the loaded modules: `baseRssMb`).
 */
export async function measureCli(args: string[]): Promise<Record<string, unknown>> {
  let stdoutBytes = 0;
  let stderr = '';
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  const t0 = performance.now();
  const code = await run(args, {
    stdout: (t: string) => { stdoutBytes += Buffer.byteLength(t); },
    stderr: (t: string) => { if (stderr.length < 4000) stderr += t; },
  });
  const ms = performance.now() - t0;
  return { ms, code, stdoutBytes, stderr: stderr.slice(0, 2000), maxRssMb: process.resourceUsage().maxRSS / 1024, baseRssMb };
}
