import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { netpol } from './run-netpol';
import { MatrixSource, MAX_MATRIX_CELLS, writeGrid, writeJson, writeMermaid } from '../../src/cli/matrix-output';
import { ClusterModel } from '../../src/index';

const OBJECTS = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'shop', labels: { app: 'db' } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a-much-longer-name', namespace: 'ops', labels: { app: 'x' } } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'db', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] },
  },
];

function capture(write: (io: any) => void): string {
  let out = '';
  write({ stdout: (t: string) => { out += t; }, stderr: () => undefined });
  return out;
}

describe('matrix-output | streamed text equals the TruthTable\'s own formats', () => {
  const model = ClusterModel.fromObjects(OBJECTS, { externalIps: ['203.0.113.9'] });
  const table = model.truthTable(80);
  const source: MatrixSource = { port: 80, protocol: 'TCP', names: table.endpoints, cell: (i, j) => table.isAllowedAt(i, j) };

  test('grid', () => {
    expect(capture((io) => writeGrid(source, io))).toBe(table.toGrid());
  });

  test('JSON', () => {
    expect(capture((io) => writeJson(source, io))).toBe(JSON.stringify(table.toJson(), undefined, 2) + '\n');
  });

  test('JSON of an empty table', () => {
    const empty = ClusterModel.fromObjects([]).truthTable(80);
    expect(capture((io) => writeJson({ port: 80, protocol: 'TCP', names: [], cell: () => false }, io)))
      .toBe(JSON.stringify(empty.toJson(), undefined, 2) + '\n');
  });

  test('Mermaid', () => {
    expect(capture((io) => writeMermaid(source, io))).toBe(table.toMermaid());
  });

  test('a closed standard output stops the rows early', () => {
    let writes = 0;
    const names = Array.from({ length: 2000 }, (_, i) => `ns/p${i}`);
    writeJson({ port: 80, protocol: 'TCP', names, cell: () => true }, { stdout: () => { writes++; }, stderr: () => undefined, stdoutClosed: () => writes > 3 });
    expect(writes).toBeLessThan(20);
  });
});

describe('netpol matrix | size limit', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-matrix-limit-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test(`a table above ${MAX_MATRIX_CELLS.toLocaleString('en-US')} cells is refused with how to narrow it; --namespace narrows it`, async () => {
    const side = Math.floor(Math.sqrt(MAX_MATRIX_CELLS)) + 1;
    const items = Array.from({ length: side }, (_, i) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: i < 3 ? 'small' : 'big' } }));
    const file = path.join(dir, 'many.json');
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const c = await netpol(['matrix', file, '--port', '80', '--format', 'json']);
    expect(c.code).toBe(2);
    expect(c.stdout).toBe('');
    expect(c.stderr).toBe('netpol matrix: the table would have 5,001 x 5,001 = 25,010,001 cells, more than the limit of 25,000,000 (5,000 endpoints): '
      + 'narrow it with --namespace <namespace> (repeatable), give fewer files, or ask about single connections with netpol explain\n');
    const narrowed = await netpol(['matrix', file, '--port', '80', '--namespace', 'small']);
    expect(narrowed.code).toBe(0);
    expect(narrowed.stdout).toBe('TCP/80: rows are sources, columns destinations; . allowed, X denied\n\n'
      + '-        small/p0 small/p1 small/p2\nsmall/p0 .        .        .\nsmall/p1 .        .        .\nsmall/p2 .        .        .\n');
  });
});
