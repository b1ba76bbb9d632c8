import {
  isDns1035Label,
  isDns1123Label, isDns1123Subdomain, isDns1123SubdomainPrefix, isIanaSvcName, isQualifiedName, isValidLabelValue,
} from '../../../src/validation/private/names';

describe('names | DNS-1123', () => {
  test.each(['a', 'my-name', '123-abc', 'a'.repeat(63)])('label %s is valid', (s) => {
    expect(isDns1123Label(s)).toEqual([]);
  });

  test('a label with dots says so, and only that', () => {
    expect(isDns1123Label('a.b')).toEqual(['must not contain dots']);
  });

  test('a label with an uppercase letter gets the regex message', () => {
    expect(isDns1123Label('My-name')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character "
      + "(e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  test('a too-long label gets the length message', () => {
    expect(isDns1123Label('a'.repeat(64))).toEqual(['must be no more than 63 bytes']);
  });

  test('lengths count UTF-8 bytes, as Go does', () => {
    // 32 two-byte characters: 32 characters, 64 bytes (and not a valid label anyway)
    expect(isDns1123Label('é'.repeat(32))).toContain('must be no more than 63 bytes');
  });

  test.each(['example.com', 'a', 'a-b.c-d', `${'a'.repeat(63)}.${'b'.repeat(63)}`])('subdomain %s is valid', (s) => {
    expect(isDns1123Subdomain(s)).toEqual([]);
  });

  test.each(['', '.a', 'a.', 'a..b', 'A.com', 'a_b', '-a'])('subdomain %j is invalid', (s) => {
    expect(isDns1123Subdomain(s)).toHaveLength(1);
  });

  test('a subdomain of 254 characters is too long', () => {
    expect(isDns1123Subdomain('a'.repeat(254))).toEqual(['must be no more than 253 bytes']);
  });

  test('generateName may end with a hyphen', () => {
    expect(isDns1123SubdomainPrefix('web-')).toEqual([]);
    expect(isDns1123SubdomainPrefix('Web-')).toHaveLength(1);
  });
});

describe('names | DNS-1035 (Service names)', () => {
  test.each(['a', 'web', 'my-name', 'abc-123', 'a'.repeat(63)])('label %s is valid', (s) => {
    expect(isDns1035Label(s)).toEqual([]);
  });

  test.each(['', '1web', '123', '-a', 'a-', 'Web', 'a.b', 'a_b', '--kubeconfig=./evil.kubeconfig'])('label %j is invalid, with the regex message', (s) => {
    expect(isDns1035Label(s)).toEqual([expect.stringMatching(/^a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/)]);
  });

  test('a label of 64 characters is too long', () => {
    expect(isDns1035Label('a'.repeat(64))).toEqual(['must be no more than 63 bytes']);
  });
});

describe('names | label keys and values', () => {
  test.each(['app', 'App_Name.v2', 'example.com/app', 'app.kubernetes.io/name', 'a'.repeat(63)])('key %s is valid', (s) => {
    expect(isQualifiedName(s)).toEqual([]);
  });

  test('an empty prefix is reported as such', () => {
    expect(isQualifiedName('/app')).toEqual(['prefix part must be non-empty']);
  });

  test('a bad prefix is reported with the subdomain message', () => {
    expect(isQualifiedName('Example.com/app')[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
  });

  test('an empty name fails both the emptiness and the format rule', () => {
    expect(isQualifiedName('example.com/')).toEqual([
      'name part must be non-empty',
      expect.stringMatching(/^name part must consist of alphanumeric characters/),
    ]);
  });

  test('two slashes are one error about the whole key', () => {
    expect(isQualifiedName('a/b/c')).toEqual([expect.stringMatching(/^a valid label key must consist of .* with an optional DNS subdomain prefix and '\/'/)]);
  });

  test('a 64-character name is too long', () => {
    expect(isQualifiedName('a'.repeat(64))).toEqual(['name part must be no more than 63 bytes']);
  });

  test.each(['', 'a', 'my_value', '12345', 'a.b-c', 'A'.repeat(63)])('value %j is valid', (s) => {
    expect(isValidLabelValue(s)).toEqual([]);
  });

  test.each(['-a', 'a-', 'a b', 'a/b', 'é'])('value %j is invalid', (s) => {
    expect(isValidLabelValue(s)).toHaveLength(1);
  });
});

describe('names | IANA service names (port names)', () => {
  test.each(['http', 'h2c', 'metrics-9090', 'a', 'abcdefghijklmno', '1a'])('%s is valid', (s) => {
    expect(isIanaSvcName(s)).toEqual([]);
  });

  test.each([
    ['80', ['must contain at least one letter (a-z)']],
    ['', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']],
    ['abcdefghijklmnop', ['must be no more than 15 bytes']],
    ['a--b', ['must not contain consecutive hyphens']],
    ['-ab', ['must not begin or end with a hyphen']],
    ['ab-', ['must not begin or end with a hyphen']],
    ['Http', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']],
  ])('%j is invalid', (s, expected) => {
    expect(isIanaSvcName(s)).toEqual(expected);
  });
});
