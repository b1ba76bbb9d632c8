import { LONG_RUN_MS, printSummary } from '../../src/cli/command-input';

describe('command-input | the one-line summary of long runs', () => {
  function capture(run: (io: any) => void): string {
    let err = '';
    run({ stdout: () => undefined, stderr: (t: string) => { err += t; } });
    return err;
  }

  test('a run longer than the threshold prints its summary on standard error, with the time', () => {
    const err = capture((io) => printSummary('lint', '20,000 objects, 3 findings', Date.now() - LONG_RUN_MS - 500, io));
    expect(err).toMatch(/^netpol lint: 20,000 objects, 3 findings \(\d+\.\d s\)\n$/);
  });

  test('a short run prints nothing, unless asked to', () => {
    expect(capture((io) => printSummary('lint', 'x', Date.now(), io))).toBe('');
    expect(capture((io) => printSummary('validate', 'x', Date.now(), io, true))).toMatch(/^netpol validate: x \(0\.\d s\)\n$/);
  });
});
