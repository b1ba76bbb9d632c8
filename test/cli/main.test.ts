import { expectNoStackTrace, netpol } from './run-netpol';
import { buildProgram } from '../../src/cli/main';

describe('netpol | program', () => {
  test('registers the validate command', () => {
    const program = buildProgram();
    expect(program.name()).toBe('netpol');
    expect(program.commands.map((c) => c.name())).toContain('validate');
  });

  test('--help lists the commands', async () => {
    const c = await netpol(['--help']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('Usage: netpol [options] [command]');
    expect(c.stdout).toMatch(/validate \[options\] \[paths\.\.\.\]/);
  });
});

describe('netpol | usage', () => {
  test.each([
    [['validate']],
    [['validate', '--format', 'xml', 'x.yaml']],
    [['validate', '--bogus', 'x.yaml']],
    [['frobnicate']],
    [[]],
  ])('%j is a usage error: exit 2, message on stderr', async (args) => {
    const c = await netpol(args);
    expect(c.code).toBe(2);
    expect(c.stderr).not.toBe('');
    expectNoStackTrace(c);
  });

  test('--help exits 0 and documents the command and the exit codes', async () => {
    const c = await netpol(['validate', '--help']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('Usage: netpol validate [options] [paths...]');
    expect(c.stdout).toContain('--config <file>');
    expect(c.stdout).toContain('--format <format>');
    expect(c.stdout).toContain('--lenient-cidr');
    expect(c.stdout).toContain('Exit codes:');
  });

  test('--version exits 0 and prints a version', async () => {
    const c = await netpol(['--version']);
    expect(c.code).toBe(0);
    expect(c.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

