import { LONG_RUN_MS, printSummary } from '../../src/cli/command-input';

describe('command-input | the one-line summary of long runs', () => {
  function capture(run: (io: any) => void, stderrIsTerminal = true): string {
    let err = '';
    run({ stdout: () => undefined, stderr: (t: string) => { err += t; }, stderrIsTerminal });
    return err;
  }
  /** A clock that says the run took `ms` milliseconds since `startedAt` 1000. */
  const after = (ms: number) => () => 1000 + ms;

  test('a run longer than the threshold prints its summary on a terminal, with the time', () => {
    const err = capture((io) => printSummary('lint', '20,000 objects, 3 findings', 1000, io, false, after(LONG_RUN_MS + 500)));
    expect(err).toBe('netpol lint: 20,000 objects, 3 findings (2.5 s)\n');
  });

  test('a long run prints nothing into a pipe or a file: the output never depends on the machine\'s speed', () => {
    expect(capture((io) => printSummary('lint', 'x', 1000, io, false, after(60_000)), false)).toBe('');
  });

  test('a short run prints nothing, unless asked to', () => {
    expect(capture((io) => printSummary('lint', 'x', 1000, io, false, after(LONG_RUN_MS - 1)))).toBe('');
    expect(capture((io) => printSummary('validate', 'x', 1000, io, true, after(300)), false)).toBe('netpol validate: x (0.3 s)\n');
  });
});
