import { ProbeObservation } from '../../src/probe';
import { formatResults, junitXml, probeExitCode, ProbeExitCode, xml } from '../../src/probe/probe-report';
import { ProbeRun } from '../../src/probe/probe-runner';

/** Every character of an XML 1.0 document is in its Char production (and none is a discouraged control). */
const XML_CHARS = /^[\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

describe('xml', () => {
  test.each([
    ['U+FFFF', '\uffff', '\\uffff'],
    ['U+FFFE', '\ufffe', '\\ufffe'],
    ['NUL', '\u0000', '\\u0000'],
    ['ESC', '\u001b[2J', '\\u001b[2J'],
    ['DEL and C1', '\u007f\u0085\u009b', '\\u007f\\u0085\\u009b'],
    ['a lone high surrogate', 'a\ud800b', 'a\\ud800b'],
    ['a lone low surrogate', 'a\udc00b', 'a\\udc00b'],
    ['a surrogate pair (an emoji) is kept', '\ud83d\ude00', '\ud83d\ude00'],
    ['markup', '<a href="x">&\'</a>', '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;'],
    ['line breaks and tabs survive in attributes', 'a\nb\rc\td', 'a&#10;b&#13;c&#9;d'],
  ])('%s', (_, text, expected) => {
    expect(xml(text)).toBe(expected);
    expect(xml(text)).toMatch(XML_CHARS);
  });
});

const probe = (id: string, expectAllowed: boolean): any => ({
  id,
  kind: 'ALLOWED_FLOW',
  from: 'a/x',
  sourceNamespace: 'a',
  sourceLabels: {},
  to: 'a/y',
  port: 80,
  protocol: 'TCP',
  expectAllowed,
  explanation: 'why\n  - rule',
  description: `a/x -> a/y TCP/80 (${id})`,
});
const run = (results: any[], extra: Partial<ProbeRun> = {}): ProbeRun => ({ runId: 'r1', results, interrupted: false, errors: [], ...extra });

describe('the report', () => {
  test('JUnit XML from hostile details is valid: every character allowed, every test case there', () => {
    const r = run([
      { probe: probe('p01', true), observation: ProbeObservation.COULD_NOT_RUN, detail: 'x\uffff\u0000\ud800</error><error>' },
      { probe: probe('p02', false), observation: ProbeObservation.REACHED, detail: 'connected\u001b[0m', agrees: false },
      { probe: probe('p03', true), observation: ProbeObservation.REACHED, detail: 'connected', agrees: true },
    ]);
    const text = junitXml(r);
    expect(text).toMatch(XML_CHARS);
    expect(text.match(/<testcase /g)).toHaveLength(3);
    expect(text).toContain('<error message="could not run">observed: x\\uffff\\u0000\\ud800&lt;/error&gt;&lt;error&gt;&#10;why&#10;  - rule</error>');
    expect(text).toContain('tests="3" failures="1" errors="1"');
  });

  test.each([
    [run([], { interrupted: true }), ProbeExitCode.INTERRUPTED],
    [run([{ probe: probe('p01', true), observation: ProbeObservation.BLOCKED, detail: '', agrees: false }]), ProbeExitCode.DISAGREE],
    [run([{ probe: probe('p01', true), observation: ProbeObservation.COULD_NOT_RUN, detail: '' }], { errors: ['kubectl failed'] }), ProbeExitCode.ERROR],
    [run([{ probe: probe('p01', true), observation: ProbeObservation.COULD_NOT_RUN, detail: '' }]), ProbeExitCode.INCONCLUSIVE],
    [run([{ probe: probe('p01', true), observation: ProbeObservation.REACHED, detail: '', agrees: true }]), ProbeExitCode.AGREE],
  ])('exit code %#', (r, code) => {
    expect(probeExitCode(r)).toBe(code);
  });

  test('SIGTERM has its conventional exit code', () => {
    expect(ProbeExitCode.TERMINATED).toBe(143);
    expect(ProbeExitCode.INTERRUPTED).toBe(130);
  });

  test('the table has one summary line', () => {
    const text = formatResults(run([{ probe: probe('p01', true), observation: ProbeObservation.REACHED, detail: '', agrees: true }]));
    expect(text.split('\n').filter(l => /probes: /.test(l))).toEqual(['1 probes: 1 agree, 0 disagree, 0 could not run.']);
  });
});
