import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as fc from 'fast-check';
import * as fastYaml from '../../src/io/fast-yaml';
import { readSimpleYaml } from '../../src/io/fast-yaml';
import { parseManifestText } from '../../src/io/manifest-loader';
import { fcRuns } from '../fixtures/property-runs';

/** What the loader gives for a text through the full path only (the fast path switched off). */
function fullPath(text: string) {
  const spy = jest.spyOn(fastYaml, 'readSimpleYaml').mockReturnValue(undefined);
  try {
    return parseManifestText(text, 'f.yaml');
  } finally {
    spy.mockRestore();
  }
}

/** What the loader gives for a text, and whether the fast path read it. */
function withFastPath(text: string) {
  const spy = jest.spyOn(fastYaml, 'readSimpleYaml');
  try {
    const result = parseManifestText(text, 'f.yaml');
    const taken = spy.mock.results.some((r) => r.type === 'return' && r.value !== undefined);
    return { result, taken };
  } finally {
    spy.mockRestore();
  }
}

/**
 * Both results are equal, own properties, prototypes and key order included (jest's
 * toStrictEqual reads a `constructor` key of the objects as their type).
 */
function expectSame(actual: ReturnType<typeof parseManifestText>, expected: ReturnType<typeof parseManifestText>): void {
  const ordered = (r: ReturnType<typeof parseManifestText>) => JSON.stringify(r);
  if (!isDeepStrictEqual(actual, expected) || ordered(actual) !== ordered(expected)) {
    expect(actual).toEqual(expected);
    throw new Error(`not the same, in order or in details the diff does not show:\n${ordered(actual)}\n${ordered(expected)}`);
  }
}

// ---- a generator of YAML texts: mostly valid block YAML in the fast path's subset, with nasty scalars

/** Scalars whose readings differ between YAML versions, libraries or go-yaml, and plain ones. */
const NASTY = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'On', 'OFF', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  '0777', '0x1F', '0X1F', '0o17', '0b101', '1e3', '1E3', '1_000', '-1', '+1', '-0', '.5', '1.0', '1.', '08', '09', '007', '0',
  '12', '53', '8080', '65535', '999999999999999', '1234567890123456', '123456789012345678901', '1:20', '1:20.5', '190:20:30',
  '~', 'null', 'Null', 'NULL', '', '.inf', '-.inf', '+.inf', '.Inf', '.nan', '.NaN', '.', '-.', '+._',
  '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '<<', '=', '0.0.0.0/0', '::/0', '10.0.0.0/8',
  'fd00:ec2::254/128', 'networking.k8s.io/v1', 'kubernetes.io/metadata.name', 'a b', 'a #b', 'a#b', 'a: b', 'a:b', '- a', '-a',
  ':a', 'a,b', '---', '...', '--- a', 'a \'q\'', '"', '\'', '%x', '@x', '`x', '&a', '*a', '!x', '|', '>', '?', '? a',
  '{a: 1}', '[1, 2]', '{}', '[]', '{', ']', 'a\\b', '\\"', 'tab\there', 'über', '__proto__', 'constructor', 'toString',
  'kind', 'apiVersion', 'NetworkPolicy', 'multi\nline', 'two\n\nparagraphs', ' lead', 'trail ', 'x'.repeat(1030),
];

const word = fc.stringMatching(/^[a-z][a-z0-9.-]{0,12}$/);
const scalarText = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 5, arbitrary: word },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

type Style = 'plain' | 'single' | 'double';
interface Leaf { readonly leaf: string; readonly style: Style }
type Node = Leaf | { readonly map: Array<[Leaf, Node]> } | { readonly seq: Node[] };

const leaf: fc.Arbitrary<Leaf> = fc.record({
  leaf: scalarText,
  style: fc.constantFrom<Style>('plain', 'plain', 'plain', 'single', 'double'),
});

const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ map: fc.array(fc.tuple(leaf, tie('node')), { maxLength: 4 }) }),
    fc.record({ seq: fc.array(tie('node'), { maxLength: 3 }) }),
  ),
}));

/** Layout choices the printer takes, drawn per text. */
interface Layout { readonly seqIndent: boolean; readonly comments: boolean; readonly trailing: boolean }

function scalar(l: Leaf, indent: string): string {
  if (l.style === 'single') return `'${l.leaf.replace(/'/g, '\'\'').replace(/\n/g, `\n${indent}  `)}'`;
  if (l.style === 'double') return `"${l.leaf.replace(/"/g, '\\"').replace(/\n/g, `\n${indent}  `)}"`;
  return l.leaf.replace(/\n/g, `\n${indent}  `);
}

function isLeaf(n: Node): n is Leaf {
  return 'leaf' in n;
}

/** Prints a node as block YAML at an indentation (not always valid YAML: the scalars are printed as given). */
function print(n: Node, indent: string, layout: Layout): string[] {
  const comment = layout.trailing ? ' # note' : '';
  if (isLeaf(n)) return [`${indent}${scalar(n, indent)}${comment}`];
  if ('map' in n) {
    if (n.map.length === 0) return [`${indent}{}`];
    const out: string[] = [];
    for (const [k, v] of n.map) {
      const key = `${indent}${scalar(k, indent)}:`;
      if (layout.comments) out.push(`${indent}# about ${k.leaf.split('\n')[0].slice(0, 10)}`);
      if (isLeaf(v)) out.push(`${key} ${scalar(v, indent)}${comment}`);
      else if ('map' in v && v.map.length === 0) out.push(`${key} {}`);
      else if ('seq' in v && v.seq.length === 0) out.push(`${key} []`);
      else out.push(key, ...print(v, 'seq' in v && !layout.seqIndent ? indent : `${indent}  `, layout));
    }
    return out;
  }
  if (n.seq.length === 0) return [`${indent}[]`];
  const out: string[] = [];
  for (const item of n.seq) {
    const lines = print(item, `${indent}  `, layout);
    // the compact form: the item's first line after "- "
    out.push(`${indent}- ${lines[0].slice(indent.length + 2)}`, ...lines.slice(1));
  }
  return out;
}

/** A document: usually a Kubernetes-like mapping, sometimes any node. */
const KIND_ENTRIES: Array<[Leaf, Node]> = [
  [{ leaf: 'apiVersion', style: 'plain' }, { leaf: 'v1', style: 'plain' }],
  [{ leaf: 'kind', style: 'plain' }, { leaf: 'Thing', style: 'plain' }],
];
const doc: fc.Arbitrary<Node> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(leaf, node), { maxLength: 4 }).map((entries): Node => ({ map: [...KIND_ENTRIES, ...entries] })) },
  { weight: 1, arbitrary: node },
);

const separator = fc.constantFrom('---\n', '---\n', '---\n', '...\n---\n', '---\n# between\n', '---\n\n', '--- \n', '---\n---\n');

const yamlText: fc.Arbitrary<string> = fc.record({
  docs: fc.array(doc, { minLength: 1, maxLength: 4 }),
  separators: fc.array(separator, { minLength: 4, maxLength: 4 }),
  layout: fc.record({ seqIndent: fc.boolean(), comments: fc.boolean(), trailing: fc.boolean() }),
  leading: fc.constantFrom('', '', '---\n', '# head\n', '# head\n---\n', '\n'),
  ending: fc.constantFrom('\n', '\n', '', '\n---\n', '\n...\n', '\n# end\n', '\n\n'),
  crlf: fc.constantFrom(false, false, false, true),
  bom: fc.constantFrom(false, false, false, true),
}).map(({ docs, separators, layout, leading, ending, crlf, bom }) => {
  let text = leading + docs.map((d, i) => (i > 0 ? separators[i - 1] : '') + print(d, '', layout).join('\n')).join('\n') + ending;
  if (crlf) text = text.replace(/\n/g, '\r\n');
  return bom ? `\ufeff${text}` : text;
});

describe('fast-yaml | the fast path reads exactly what the full path reads', () => {
  test('generated documents with nasty scalars: the same objects, indexes, lines, errors and warnings', () => {
    let taken = 0;
    let runs = 0;
    fc.assert(fc.property(yamlText, (text) => {
      const full = fullPath(text);
      const fast = withFastPath(text);
      runs++;
      if (fast.taken) {
        taken++;
        // the fast path is taken only where the full path has no warning, and no error but a
        // document that is not a Kubernetes object
        expect(full.warnings).toEqual([]);
        for (const e of full.errors) expect(e.message).toMatch(/not a Kubernetes object|^object has no "kind"|^"kind" must be a string/);
      }
      expectSame(fast.result, full);
    }), { numRuns: fcRuns(2000) });
    // the subset is not empty: a good share of the texts (about 9%) went the fast way
    expect(taken).toBeGreaterThan(runs / 20);
  });

  test('generated documents with lines indented a space more or less: still the same', () => {
    const edits = fc.array(fc.tuple(fc.nat(40), fc.constantFrom(-2, -1, 1, 2)), { minLength: 1, maxLength: 3 });
    fc.assert(fc.property(yamlText, edits, (text, changes) => {
      const lines = text.split('\n');
      for (const [at, delta] of changes) {
        const i = at % lines.length;
        lines[i] = delta > 0 ? ' '.repeat(delta) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-delta}}`), '');
      }
      const edited = lines.join('\n');
      expectSame(withFastPath(edited).result, fullPath(edited));
    }), { numRuns: fcRuns(1200) });
  });

  test('texts in the subset, mutated by a character anywhere: still the same', () => {
    const base = 'apiVersion: v1\nkind: Thing\nmetadata:\n  name: a\n  labels:\n    tier: web\nspec:\n  ports:\n    - port: 80\n      name: "web"\n  list: []\n';
    fc.assert(fc.property(fc.nat(base.length), fc.constantFrom(...'&*!%|>?@`\\{}[]\t\r\n :#-\'",.~0yn'.split(''), '---', '...', '<<'), (at, insert) => {
      const text = base.slice(0, at) + insert + base.slice(at);
      expectSame(withFastPath(text).result, fullPath(text));
    }), { numRuns: fcRuns(800) });
  });
});

describe('fast-yaml | what the fast path takes', () => {
  test.each([150, 198, 199, 200, 201, 202, 260])('a document nested %i levels deep: the same as the full path (the nesting limit is 200)', (depth) => {
    const nested = (innermost: string) => {
      const lines = ['apiVersion: v1', 'kind: Deep', 'a:'];
      for (let i = 1; i < depth; i++) lines.push(`${'  '.repeat(i)}a:${i === depth - 1 ? ` ${innermost}` : ''}`);
      return `${lines.join('\n')}\n`;
    };
    for (const text of [nested('x'), nested('{}')]) {
      const fast = withFastPath(text);
      expectSame(fast.result, fullPath(text));
      if (depth < 198) expect(fast.taken).toBe(true);
    }
  });

  test('a manifest as cdk8s synthesizes it is read by the fast path, with its lines', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'fast-yaml', 'synthesized.k8s.yaml'), 'utf8');
    const docs = readSimpleYaml(text);
    expect(docs).toBeDefined();
    const { result, taken } = withFastPath(text);
    expect(taken).toBe(true);
    expectSame(result, fullPath(text));
    expect(result.objects.map((o) => [o.object.metadata.name, o.line])).toEqual([
      ['baseline-default-deny', 1], ['baseline-allow-dns', 12], ['baseline-block-metadata', 35], ['frontend-ingress', 56],
    ]);
    expect(result.objects[2].object.spec.egress[0].to[1].ipBlock).toEqual({ cidr: '::/0', except: ['fd00:ec2::254/128'] });
    expect(result.objects[1].object.spec.egress[0].ports[0]).toEqual({ port: 53, protocol: 'UDP' });
  });

  test.each([
    ['a boolean the loader warns about', 'kind: A\nflag: yes\n'],
    ['a null word', 'kind: A\nx: ~\n'],
    ['an octal number', 'kind: A\nmode: 0777\n'],
    ['a float', 'kind: A\nx: 1e3\n'],
    ['a merge key', 'kind: A\nbase: {}\n<<: {}\n'],
    ['an anchor', 'kind: A\nx: &a b\n'],
    ['a tag', 'kind: A\nx: !!str b\n'],
    ['a block scalar', 'kind: A\nx: |\n  b\n'],
    ['a flow mapping with content', 'kind: A\nx: {a: b}\n'],
    ['a duplicate key', 'kind: A\nkind: B\n'],
    ['CRLF line ends', 'kind: A\r\nx: b\r\n'],
    ['a tab', 'kind: A\nx:\tb\n'],
    ['content after ---', '--- kind: A\n'],
    ['an empty document before another', '---\n---\nkind: A\n'],
    ['a List (its items\' lines come from the full path)', 'kind: List\nitems:\n  - kind: A\n'],
    ['.inf', 'kind: A\nx: .inf\n'],
    ['a quoted key without a space after the colon', 'kind: A\n"x":b\n'],
    ['content after ... before the next ---', 'kind: A\n...\nkind: B\n'],
    ['a line of 1,000 characters', `kind: A\nx: ${'a'.repeat(997)}\n`],
    ['a line deeper than a value', 'kind: A\nx: b\n  y: c\n'],
    ['a second root', 'kind: A\n  x: b\nkind: B\n'],
    ['a mapping key and a dash at one column', 'kind: A\nx: 1\n- b\n'],
  ])('%s goes the full way', (_what, text) => {
    expect(readSimpleYaml(text)).toBeUndefined();
  });

  test('sequences at their key\'s column, compact mappings and nested dashes are read as the full path reads them', () => {
    const text = 'kind: A\nx:\n- a: 1\n  b:\n  - - c\n    - d: "e"\n- []\n-\n  f: {}\ng: \'h\'\'i\' # note\n';
    const fast = withFastPath(text);
    expect(fast.taken).toBe(true);
    expectSame(fast.result, fullPath(text));
    expect(fast.result.objects[0].object).toEqual({ kind: 'A', x: [{ a: 1, b: [['c', { d: 'e' }]] }, [], { f: {} }], g: 'h\'i' });
  });

  test('plain true/false and decimal integers stay in the subset, read as go-yaml reads them', () => {
    expect(readSimpleYaml('kind: A\nx: True\nz: false\nport: 8080\nip: 10.0.0.0/8\nv: 1:20\n')).toEqual([
      { value: { kind: 'A', x: true, z: false, port: 8080, ip: '10.0.0.0/8', v: '1:20' }, line: 1 },
    ]);
  });

  test('a scalar read before is read the same again (its reading is remembered), outside the subset included', () => {
    // each text twice, in alternation: the second reading of every token comes from the cache
    const inside = 'kind: A\nq: \'it\'\'s\'\nz: 0\nt: TRUE\n';
    const outside = 'kind: A\nq: \'it\'\'s\'\nz: 010\n';
    const outsideKey = 'kind: A\nyes: 1\n';
    // tokens over 64 characters are read each time, never remembered
    const long = `kind: A\nd: ${'x'.repeat(100)}\nm: ${'1'.repeat(15)}\n`;
    const longOutside = `kind: A\nd: ${'1'.repeat(16)}\nf: ${'1'.repeat(70)}.5\n`;
    for (let i = 0; i < 2; i++) {
      expect(readSimpleYaml(long)).toEqual([{ value: { kind: 'A', d: 'x'.repeat(100), m: Number('1'.repeat(15)) }, line: 1 }]);
      expect(readSimpleYaml(longOutside)).toBeUndefined();
      expect(readSimpleYaml(inside)).toEqual([{ value: { kind: 'A', q: 'it\'s', z: 0, t: true }, line: 1 }]);
      expect(readSimpleYaml(outside)).toBeUndefined();
      expect(readSimpleYaml(outsideKey)).toBeUndefined();
    }
  });
});
