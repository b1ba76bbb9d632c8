import { Connectivity } from '../../src/analysis/connectivity';
import { ConnectivityDiff } from '../../src/analysis/connectivity-diff';
import { PortSet } from '../../src/analysis/port-set';
import { csvField, dotId, markdownCell, markdownCode, markdownText, mermaidLabel } from '../../src/io/output-escape';
import { Protocol } from '../../src/port';

/**
 * Issue 19 §7: every output format escapes names for its reader, in one module. Names the API
 * server accepts stay as they are (no existing output changes); anything else becomes inert.
 */

/** Names a hostile object (or a hostile connectivity document) could carry. */
const HOSTILE: Array<[string, string]> = [
  ['an HTML comment that would hide the rest of a comment', 'shop/<!-- x'],
  ['a link', 'shop/[click](https://evil.example)'],
  ['an image', 'shop/![x](https://evil.example/p.png)'],
  ['a details element', 'shop/<details><summary>ok</summary>'],
  ['an @mention', 'shop/@maintainers'],
  ['a backtick run', 'shop/``x`'],
  ['a pipe', 'shop/a|b'],
  ['a newline and a forged row', 'shop/a\n| opened | x | y | | All Connections |'],
  ['emphasis', 'shop/*bold*_x_'],
  ['an entity', 'shop/&lt;b&gt;'],
  ['a leading backtick and space', '` x '],
];

/** Whether a Markdown string renders as a single code span holding exactly `text` (controls escaped). */
function isCodeSpanOf(md: string, text: string): boolean {
  const m = /^(`+)( ?)([\s\S]*)\2\1$/.exec(md);
  if (!m) return false;
  const inner = m[3];
  return !inner.includes(m[1]) && inner === text.replace(/\n/g, '\\n');
}

describe('output escaping | Markdown', () => {
  test.each([
    ['shop/frontend'], ['shop/frontend-v2.canary'], ['10.0.0.0-10.255.255.255'], ['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['TCP 1-79,81-65535; UDP 53'], ['All Connections'], ['TCP "http"'], ['shop/frontend -> shop/backend TCP/9000 (via Service web)'],
  ])('a name or text the library writes stays as it is: %j', (text) => {
    expect(markdownText(text)).toBe(text);
    expect(markdownCell(text)).toBe(text);
  });

  test.each(HOSTILE)('%s becomes a code span that nothing inside can end', (_, text) => {
    expect(isCodeSpanOf(markdownText(text), text)).toBe(true);
    expect(markdownText(text)).not.toContain('\n');
  });

  test.each(HOSTILE)('in a table cell, %s is a code span with every | escaped', (_, text) => {
    const cell = markdownCell(text);
    expect(cell).not.toMatch(/(^|[^\\])\|/);
    expect(cell).not.toContain('\n');
    expect(isCodeSpanOf(cell.replace(/\\\|/g, '|'), text)).toBe(true);
  });

  test('the code span fence is longer than any backtick run inside', () => {
    expect(markdownCode('a```b')).toBe('````a```b````');
    expect(markdownCode('`')).toBe('`` ` ``');
  });
});

describe('output escaping | CSV (OWASP formula injection)', () => {
  test.each([
    ['=HYPERLINK("https://evil.example","x")', '"\'=HYPERLINK(""https://evil.example"",""x"")"'],
    ['+1+1', '"\'+1+1"'],
    ['-2+3', '"\'-2+3"'],
    ['@SUM(A1)', '"\'@SUM(A1)"'],
    ['\tx', '"\'\tx"'],
    ['\rx', '"\'\rx"'],
    ['shop/web', 'shop/web'],
    ['TCP 80,443', '"TCP 80,443"'],
    ['a"b', '"a""b"'],
  ])('%j is written as %j', (text, field) => {
    expect(csvField(text)).toBe(field);
  });
});

describe('output escaping | Mermaid and dot', () => {
  test.each(HOSTILE)('%s cannot leave a Mermaid label', (_, text) => {
    const label = mermaidLabel(text);
    expect(label).toMatch(/^[A-Za-z0-9 ./:,;#-]*$/);
    expect(label).not.toMatch(/[<>"`|\n[\]]/);
  });

  test('a Mermaid label keeps plain names and writes quotes as #quot;', () => {
    expect(mermaidLabel('shop/web')).toBe('shop/web');
    expect(mermaidLabel('TCP "http"')).toBe('TCP #quot;http#quot;');
    expect(mermaidLabel('a<b')).toBe('a#60;b');
  });

  test.each([
    ['shop/web', '"shop/web"'],
    ['a"b', '"a\\"b"'],
    ['a\\', '"a\\\\"'],
    ['a\nb', '"a\\\\nb"'],
  ])('dot ID of %j is %j', (text, id) => {
    expect(dotId(text)).toBe(id);
  });
});

describe('output escaping | the writers use it', () => {
  const hostile = 'shop/<!-- @team [x](y) `a` |';
  const list = new Connectivity([hostile, 'shop/web'], [
    { from: hostile, to: 'shop/web', allowed: PortSet.range(Protocol.TCP, 80) },
    { from: 'shop/web', to: '=cmd|calc', allowed: PortSet.ALL },
  ]);

  test('Connectivity.toMarkdown: the hostile name is one code span in its cell; the table keeps three cells a row', () => {
    const md = list.toMarkdown();
    for (const row of md.trim().split('\n')) expect(row.split(/(?<!\\)\|/).length).toBe(5);
    expect(md).toContain(`| ${markdownCell(hostile)} | shop/web | TCP 80 |`);
    expect(markdownCell(hostile)).toBe('``shop/<!-- @team [x](y) `a` \\|``');
  });

  test('Connectivity.toCsv neutralises a formula', () => {
    expect(list.toCsv().split('\n')[2]).toBe('shop/web,"\'=cmd|calc",All Connections');
  });

  test('Connectivity.toMermaid and toDot keep every label closed', () => {
    for (const line of list.toMermaid().split('\n').filter(l => l.includes('["'))) expect(line).toMatch(/\["[^"\]]*"\]$/);
    expect(list.toDot()).toContain('"shop/<!-- @team [x](y) `a` |" -> "shop/web"');
  });

  test('ConnectivityDiff.toMarkdown: changes and endpoints that appeared are escaped', () => {
    const before = new Connectivity(['shop/web'], []);
    const diff = ConnectivityDiff.between(before, list);
    const md = diff.toMarkdown();
    expect(md).toContain(`Endpoints that appeared: ${markdownCode(hostile)}`);
    const rows = md.split('\n').filter(l => l.startsWith('| added'));
    expect(rows).toHaveLength(2);
    // six cells a row (change, from, to, before, after, allowed by): no name adds or breaks one
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(8);
    expect(rows.some(row => row.includes(`| ${markdownCell(hostile)} |`))).toBe(true);
  });
});
