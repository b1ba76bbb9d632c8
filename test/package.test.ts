import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('the package |', () => {
  test('the repository is named once, in .projenrc.ts: package.json and the other languages\' names come from it', () => {
    // the documentation links relatively (test/readme.test.ts checks every link); npm's package page resolves
    // relative links of the README against package.json's repository
    const projenrc = fs.readFileSync(path.join(ROOT, '.projenrc.ts'), 'utf8');
    const owner = /const REPOSITORY = \{ owner: '([^']+)', name: 'cdk8s-netpol' \};/.exec(projenrc)?.[1];
    expect(owner).toBeDefined();
    expect(pkg.repository.url).toBe(`https://github.com/${owner}/cdk8s-netpol.git`);
    expect(pkg.jsii.targets.go.moduleName).toBe(`github.com/${owner}/cdk8s-netpol-go`);
    expect(pkg.jsii.targets.java.maven.groupId).toBe(`io.github.${owner}`);
    // no other file of the repository names the owner: only what projen and jsii generate from .projenrc.ts
    const generated = new Set(['.projenrc.ts', 'package.json', 'package-lock.json', 'API.md', '.jsii.tabl.json']);
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0')
      .filter(f => f !== '' && !generated.has(f) && fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).isFile());
    const naming = new RegExp(`github\\.com/${owner}\\b|io\\.github\\.${owner}\\b`, 'i');
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter(f => naming.test(fs.readFileSync(path.join(ROOT, f), 'utf8')))).toEqual([]);
  });

  test('every entry of the exports map has its source, for require and import alike', () => {
    const entries = Object.entries<any>(pkg.exports).filter(([, v]) => typeof v === 'object');
    expect(entries.map(([k]) => k)).toEqual(['.', './lib/testing', './lib/testing/setup']);
    for (const [, target] of entries) {
      expect(target.require).toBe(target.import);
      expect(target.types).toBe(target.require.replace(/\.js$/, '.d.ts'));
      expect(fs.existsSync(path.join(ROOT, target.require.replace(/^\.\/lib\//, 'src/').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });

  test('scripts, examples, benchmarks and CI files are not shipped', () => {
    const ignored = fs.readFileSync(path.join(ROOT, '.npmignore'), 'utf8').split('\n');
    for (const dir of ['/scripts/', '/examples/', '/bench/', '/.ci/', '/test/', '/src/']) expect(ignored).toContain(dir);
  });

  test('cdk8s-plus is no dependency of any kind (apps bring the one they use)', () => {
    for (const field of ['dependencies', 'peerDependencies', 'bundledDependencies']) {
      expect(Object.keys(pkg[field] ?? {}).concat(Array.isArray(pkg[field]) ? pkg[field] : []).filter((n: string) => n.startsWith('cdk8s-plus'))).toEqual([]);
    }
  });
});
