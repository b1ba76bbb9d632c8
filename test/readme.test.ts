import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as ts from 'typescript';
import { Peer, Policy, Port } from '../src';

/**
 * Documentation that compiles: every ```ts block in the README is type-checked against the
 * library's sources, as a module of its own, with `cdk8s-netpol` resolving to `src/`.
 */
const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const BLOCKS = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);

describe('README', () => {
  test('has TypeScript examples', () => {
    expect(BLOCKS.length).toBeGreaterThan(0);
  });

  test('every TypeScript example type-checks against the library', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp-readme-'));
    try {
      const files = BLOCKS.map((code, i) => {
        const file = path.join(dir, `block-${i}.ts`);
        fs.writeFileSync(file, `${code}\nexport {};\n`);
        return file;
      });
      const program = ts.createProgram(files, {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2020,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        esModuleInterop: true,
        skipLibCheck: true,
        types: ['node', 'jest'],
        baseUrl: ROOT,
        paths: { 'cdk8s-netpol': ['src/index.ts'], 'cdk8s-netpol/lib/*': ['src/*'] },
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).map(d => {
        const where = d.file ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
        return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
      expect(diagnostics).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('README error samples', () => {
  const chart = () => new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  test.each([
    ['port 0', () => new Policy(chart(), 'Web', { ingress: [{ from: [Peer.pods({ app: 'a' })], ports: [Port.tcp(0)] }] })],
    ['host bits', () => new Policy(chart(), 'Web', { ingress: [{ from: [Peer.ipBlock('10.0.0.1/8')], ports: [Port.tcp(80)] }] })],
    ['no peers', () => new Policy(chart(), 'Web', { ingress: [{ from: [], ports: [Port.tcp(80)] }] })],
  ])('the %s error is shown as the library prints it', (_name, build) => {
    let message = '';
    try {
      build();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(README).toContain(message);
  });
});
