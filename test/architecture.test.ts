/**
 * The layers of `src/`, as the "Architecture" section of the guide (docs/architecture.md) draws
 * them: every import points down the stack (or stays in its layer), no two files import each
 * other in a cycle, and the section names every folder and top-level file of the library.
 */
import * as fs from 'fs';
import * as path from 'path';
import { docPages, section } from './fixtures/docs';

const SRC = path.join(__dirname, '..', 'src');

/** The rank of each part of `src/`: a file may import only from its own rank or below. */
const RANKS: Record<string, number> = {
  'constants': 0,
  'net': 0,
  'validation': 1,
  'direction': 2,
  'port': 2,
  'label-selector': 2,
  'peer': 2,
  'pod-selector-source': 2,
  'cluster-profile': 2,
  'private': 2,
  'model': 3,
  'policy': 4,
  'cluster-policy': 4,
  'synthesis': 4,
  'analysis': 4,
  'io': 4,
  'patterns': 5,
  'lint': 5,
  'probe': 5,
  'observed': 5,
  'testing': 6,
  'suggest': 6,
  'plugin': 7,
  'index': 7,
  'cli': 8,
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** `src/analysis/x.ts` -> `analysis`; `src/port.ts` -> `port`. */
function partOf(file: string): string {
  const [top] = path.relative(SRC, file).split(path.sep);
  return top.replace(/\.ts$/, '');
}

function resolveImport(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${path.relative(SRC, from)} imports ${spec}, which does not resolve`);
}

interface Import {
  readonly target: string;
  /** `import type`: erased at compile time, so it cannot make a run-time cycle. */
  readonly typeOnly: boolean;
}

/** Every relative import of every file of `src/`, resolved. */
const IMPORTS: ReadonlyMap<string, readonly Import[]> = new Map(sourceFiles(SRC).map(file => {
  const text = fs.readFileSync(file, 'utf8');
  const found = [...text.matchAll(/^(import type|import|export)\b[^;]*?from '(\.[^']*)';/gms)];
  return [file, found.map(m => ({ target: resolveImport(file, m[2]), typeOnly: m[1] === 'import type' }))];
}));

describe('architecture', () => {
  test('every part of src/ has a rank', () => {
    const parts = [...new Set([...IMPORTS.keys()].map(partOf))].sort();
    expect(parts.filter(p => RANKS[p] === undefined)).toEqual([]);
  });

  test('imports point down the layers, never up', () => {
    const upward: string[] = [];
    for (const [file, targets] of IMPORTS) {
      for (const { target } of targets) {
        if (RANKS[partOf(target)] > RANKS[partOf(file)]) upward.push(`${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  test('no run-time import cycle between files', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map(f => path.relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const { target, typeOnly } of IMPORTS.get(file) ?? []) if (!typeOnly) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    [...IMPORTS.keys()].sort().forEach(f => visit(f, []));
    expect(cycles).toEqual([]);
  });

  test('the CLI reaches no layer\'s private parts', () => {
    const reaching: string[] = [];
    for (const [file, targets] of IMPORTS) {
      if (partOf(file) !== 'cli') continue;
      for (const { target } of targets) {
        const rel = path.relative(SRC, target);
        if (rel.split(path.sep).includes('private')) reaching.push(`${path.relative(SRC, file)} -> ${rel}`);
      }
    }
    expect(reaching).toEqual([]);
  });

  test('the architecture section of the guide names every part of src/', () => {
    const text = section(docPages(), 'Architecture');
    const missing = Object.keys(RANKS).filter(part => !text.includes(fs.existsSync(path.join(SRC, part)) ? `${part}/` : `${part}.ts`));
    expect(missing).toEqual([]);
  });
});
