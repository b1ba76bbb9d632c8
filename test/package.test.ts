import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const REPOSITORY = 'https://github.com/maintainers/cdk8s-netpol';

describe('the package |', () => {
  test('README links are absolute, so they resolve on the package page (examples/ and bench/ are not shipped)', () => {
    // Markdown links outside code blocks
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/```[\s\S]*?```/g, '');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]);
    expect(links.length).toBeGreaterThan(3);
    const relative = links.filter(l => !/^(https?:|#)/.test(l));
    expect(relative).toEqual([]);
    // links into the repository point at files that exist
    for (const link of links.filter(l => l.startsWith(`${REPOSITORY}/blob/main/`))) {
      const file = link.slice(`${REPOSITORY}/blob/main/`.length).split('#')[0];
      expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
    }
    expect(pkg.repository.url).toBe(`${REPOSITORY}.git`);
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
