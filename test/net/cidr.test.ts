import { cidrContains, formatIp, INVALID_CIDR, ipInCidr, isStrictSubset, ParsedCidr, parseCidr, parseIp, parseIpSloppy } from '../../src/net/cidr';

const cidr = (s: string, strict = false): ParsedCidr => {
  const c = parseCidr(s, strict);
  if (typeof c === 'string') throw new Error(`${s}: ${c}`);
  return c;
};

describe('cidr | parsing', () => {
  test.each([
    ['10.0.0.0/8', 'ipv4', 8, '10.0.0.0/8'],
    ['0.0.0.0/0', 'ipv4', 0, '0.0.0.0/0'],
    ['1.1.1.1/32', 'ipv4', 32, '1.1.1.1/32'],
    ['2001:4860:4860::/48', 'ipv6', 48, '2001:4860:4860::/48'],
    ['::/0', 'ipv6', 0, '::/0'],
    ['::1/128', 'ipv6', 128, '::1/128'],
    ['2001:DB8:0:0::/64', 'ipv6', 64, '2001:db8::/64'],
    ['::1.2.3.4/128', 'ipv6', 128, '::102:304/128'],
  ])('%s parses strictly as %s /%d', (text, family, prefix, canonical) => {
    const c = cidr(text, true);
    expect([c.family, c.prefixLength, c.canonical]).toEqual([family, prefix, canonical]);
  });

  test.each(['', 'aaaaaaa', '1.2.3.4', '192.168.0.1/healthz', '192.168.0.1/0/99', '192.168.0.0/-16', '192.168.0.0/+16',
    '10.0.0.0/33', '256.0.0.0/8', '1.2.3/24', '2001:db8::/129', '1::2::3/64', 'fe80::1%eth0/64', ' 10.0.0.0/8', '10.0.0.0/8 ',
    '1:2:3:4:5:6:7:8:9/64', '10.0.0.0/'])('%j is not a CIDR in either mode', (text) => {
    expect(parseCidr(text, false)).toBe(INVALID_CIDR);
    expect(parseCidr(text, true)).toBe(INVALID_CIDR);
  });

  test.each([
    ['1.1.01.0/24', 'must not have leading 0s in IP or prefix length'],
    ['192.168.0.0/016', 'must not have leading 0s in IP or prefix length'],
    ['::ffff:1.1.1.0/24', 'must not have an IPv4-mapped IPv6 address'],
    ['::ffff:1.1.1.0/120', 'must not have an IPv4-mapped IPv6 address'],
    ['1.2.3.4/24', 'must not have bits set beyond the prefix length'],
    ['2001:db8::1/64', 'must not have bits set beyond the prefix length'],
    // one problem at a time, leading zeros first
    ['010.0.0.1/8', 'must not have leading 0s in IP or prefix length'],
  ])('%s is lenient-only: strict says %j', (text, problem) => {
    expect(typeof parseCidr(text, false)).toBe('object');
    expect(parseCidr(text, true)).toBe(problem);
  });

  test('leading zeros are decimal, not octal', () => {
    expect(cidr('010.0.0.0/8').canonical).toBe('10.0.0.0/8');
  });

  test('bits beyond the prefix are dropped from the network', () => {
    const c = cidr('192.168.1.10/24');
    expect([c.hostBitsSet, c.canonical]).toEqual([true, '192.168.1.0/24']);
  });

  test('an IPv4-mapped CIDR with a long prefix is an IPv4 network', () => {
    const c = cidr('::ffff:10.0.0.0/104');
    expect([c.family, c.prefixLength, c.maskSize, c.canonical, c.ipv4Mapped]).toEqual(['ipv4', 8, 104, '10.0.0.0/8', true]);
  });
});

describe('cidr | IP addresses', () => {
  test('strict rejects leading zeros and mapped addresses', () => {
    expect(parseIp('01.2.3.4', true)).toBe('must not have leading 0s');
    expect(parseIp('::ffff:1.2.3.4', true)).toBe('must not be an IPv4-mapped IPv6 address');
    expect(typeof parseIp('::ffff:1.2.3.4', false)).toBe('object');
  });

  test('garbage is not an IP', () => {
    expect(parseIp('1.2.3', false)).toBe('must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
  });

  test('ipInCidr matches addresses by family', () => {
    const net = cidr('10.0.0.0/8');
    expect(ipInCidr('10.255.0.1', net)).toBe(true);
    expect(ipInCidr('11.0.0.1', net)).toBe(false);
    expect(ipInCidr('::ffff:10.0.0.1', net)).toBe(true);
    expect(ipInCidr('2001:db8::1', net)).toBe(false);
    expect(ipInCidr('2001:db8::1', cidr('2001:db8::/32'))).toBe(true);
  });
});

describe('cidr | containment', () => {
  test.each([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/8', '10.255.255.255/32', true],
    ['10.0.0.0/8', '10.0.0.0/8', false],
    ['10.1.0.0/16', '10.0.0.0/8', false],
    ['10.0.0.0/8', '11.0.0.0/16', false],
    ['0.0.0.0/0', '::/1', false],
    ['::/0', '0.0.0.0/1', false],
    ['2001:db8::/32', '2001:db8:ffff::/48', true],
    // as the server compares: the written prefix lengths, 8 < 112
    ['10.0.0.0/8', '::ffff:10.1.0.0/112', true],
    ['::ffff:10.0.0.0/104', '10.1.0.0/16', false],
  ])('isStrictSubset(%s, %s) is %s', (outer, inner, expected) => {
    expect(isStrictSubset(cidr(outer), cidr(inner))).toBe(expected);
  });

  test('cidrContains includes equality, isStrictSubset does not', () => {
    expect(cidrContains(cidr('10.0.0.0/8'), cidr('10.0.0.0/8'))).toBe(true);
    expect(isStrictSubset(cidr('10.0.0.0/8'), cidr('10.0.0.0/8'))).toBe(false);
  });
});

describe('formatIp', () => {
  test('prints IPv4 addresses as dotted quads, from the first to the last address', () => {
    expect(formatIp(0n, 'ipv4')).toBe('0.0.0.0');
    expect(formatIp(2n ** 32n - 1n, 'ipv4')).toBe('255.255.255.255');
    expect(formatIp(0x0a00ff01n, 'ipv4')).toBe('10.0.255.1');
    expect(formatIp(0x80000000n, 'ipv4')).toBe('128.0.0.0');
    for (let i = 0; i < 200; i++) {
      const value = BigInt(Math.floor(Math.random() * 2 ** 32));
      expect(parseIpSloppy(formatIp(value, 'ipv4'))!.value).toBe(value);
    }
  });
});
