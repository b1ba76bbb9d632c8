import { oneLine, printable, printableLines, printableReport } from '../../src/cli/terminal-text';

describe('terminal-text | input shown to people', () => {
  test('printable escapes newlines, carriage returns, ESC, DEL, C1 and bidirectional overrides', () => {
    expect(printable('a\nb\r\u001b[2K\u007f\u0085\u202e')).toBe('a\\nb\\r\\u001b[2K\\u007f\\u0085\\u202e');
  });

  test('printableLines keeps the newlines the program wrote and escapes the rest', () => {
    expect(printableLines('line 1\nline\u001b 2\n')).toBe('line 1\nline\\u001b 2\n');
  });

  test('printableReport cuts every line to the limit, saying how much is left out', () => {
    expect(printableReport(`short\n${'x'.repeat(30)}\n`, 10)).toBe('short\nxxxxxxxxxx... (20 more characters)\n');
  });

  test('oneLine escapes and cuts', () => {
    expect(oneLine('a\nb'.repeat(5), 6)).toBe('a\\nba\\... (14 more characters)');
  });
});
