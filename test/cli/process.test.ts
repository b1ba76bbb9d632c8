import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cleanBuild, shell, spawnNetpol } from './spawn-netpol';

/**
 * What only the real process shows: exit codes through a shell, a reader that goes away, a full
 * disk, a closed standard input, a FIFO or a device given as a file.
 */

let dir: string;
let big: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-process-'));
  big = path.join(dir, 'big.yaml');
  const one = (i: number) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${i}, namespace: shop}\nspec: {podSelector: {}, ingress: [{ports: [{port: ${i === 5 ? 0 : 80}}]}]}\n`;
  fs.writeFileSync(big, Array.from({ length: 3_000 }, (_, i) => one(i)).join('---\n'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  cleanBuild();
});

describe('netpol | the process', () => {
  test('a reader that goes away (| head -1) ends the output quietly; the exit code is still the verdict', () => {
    const r = shell(`NETPOL validate "${big}" | head -1; echo "codes \${PIPESTATUS[*]}"`);
    expect(r.stdout).toBe(`${big} (document 0, line 1): NetworkPolicy shop/p0: valid\ncodes 1 0\n`);
    // nothing on standard error but, on a slow machine, the summary of a long run
    expect(r.stderr).toMatch(/^(netpol validate: Checked 3,000 NetworkPolicies in 1 file: 2,999 valid, 1 invalid, 0 warnings \(\d+\.\d s\)\n)?$/);
  });

  test('--help into a closed pipe exits 0 without a stack trace', () => {
    const r = shell('NETPOL lint --help | head -1; echo "codes ${PIPESTATUS[*]}"');
    expect(r.stdout).toBe('Usage: netpol lint [options] <paths...>\ncodes 0 0\n');
    expect(r.stderr).toBe('');
  });

  test('a full disk is exit 2 with one line on standard error', () => {
    const r = shell(`NETPOL validate "${big}" > /dev/full; echo "code $?"`);
    expect(r.stdout).toBe('code 2\n');
    expect(r.stderr).toBe('netpol: cannot write to standard output: no space left on the device\n');
  });

  test('a closed standard input is exit 2, never a raw EBADF', () => {
    const r = shell('NETPOL validate - <&-; echo "code $?"');
    expect(r.stdout).toMatch(/code 2\n$/);
    expect(r.stderr).toMatch(/^netpol validate: (<stdin>: cannot read: standard input is closed|no Kubernetes object found in -)/);
    expect(r.stderr).not.toContain('EBADF');
  });

  test('a FIFO given as a file is refused at once, naming it', () => {
    const fifo = path.join(dir, 'pipe.yaml');
    const r = shell(`mkfifo "${fifo}" && NETPOL validate "${fifo}"; echo "code $?"`, { timeout: 30_000 });
    expect(r.stdout).toMatch(/code 2\n$/);
    expect(r.stderr).toBe(`netpol validate: ${fifo}: is a FIFO (named pipe), not a regular file: give files or directories, or "-" to read standard input\n`);
  });

  test('a device given as a file is refused (never read until memory runs out)', () => {
    const r = spawnNetpol(['lint', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('netpol lint: /dev/zero: is a device, not a regular file: give files or directories, or "-" to read standard input\n');
  });

  test('standard input larger than the limit is refused', () => {
    const r = shell('head -c 3000000 /dev/zero | NETPOL validate - --max-file-size 2; echo "code $?"');
    expect(r.stdout).toMatch(/code 2\n$/);
    expect(r.stderr).toBe('netpol validate: <stdin>: is larger than the limit of 2 MiB per file; split it, or raise the limit with --max-file-size\n');
  });

  test('exit codes: 0 valid, 1 invalid, 2 usage, 3 denied', () => {
    const good = path.join(dir, 'good.yaml');
    fs.writeFileSync(good, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: shop}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}}\n');
    expect(spawnNetpol(['validate', good]).code).toBe(0);
    expect(spawnNetpol(['validate', '--quiet', big]).code).toBe(1);
    expect(spawnNetpol(['validate', '--bogus', good]).code).toBe(2);
    expect(spawnNetpol(['explain', good, '--from', '10.0.0.1', '--to', 'shop/a', '--port', '80']).code).toBe(3);
  });
});
