import { AddressRange } from '../../src/net/address-ranges';
import { describeAddressRanges, parseAddressRangeName, rangeToCidrs, formatCidrBlock } from '../../src/net/cidr-cover';

const v4 = (name: string): AddressRange => parseAddressRangeName(name)!;

describe('describeAddressRanges', () => {
  test('the internet but two blocks is "0.0.0.0/0 except ..."', () => {
    const ranges = ['0.0.0.0-9.255.255.255', '11.0.0.0-169.254.169.253', '169.254.169.255-255.255.255.255'].map(v4);
    expect(describeAddressRanges(ranges)).toBe('0.0.0.0/0 except 10.0.0.0/8, 169.254.169.254/32');
  });

  test('adjacent ranges merge into one CIDR, disjoint ones stay a list', () => {
    expect(describeAddressRanges(['10.0.0.0-10.0.255.255', '10.1.0.0-10.1.255.255'].map(v4))).toBe('10.0.0.0/15');
    expect(describeAddressRanges(['10.0.0.0-10.255.255.255', '192.168.0.0-192.168.255.255'].map(v4))).toBe('10.0.0.0/8, 192.168.0.0/16');
  });

  test('both families, IPv4 first, each on its own', () => {
    expect(describeAddressRanges([v4('::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'), v4('0.0.0.0-255.255.255.255')])).toBe('0.0.0.0/0; ::/0');
  });

  test('an unaligned range takes whichever form needs fewer CIDRs', () => {
    expect(describeAddressRanges([v4('10.0.0.1-10.0.0.4')])).toBe('10.0.0.1/32, 10.0.0.2/31, 10.0.0.4/32');
    // four exact CIDRs (.1/32, .2/31, .4/31, .6/32) against three
    expect(describeAddressRanges([v4('10.0.0.1-10.0.0.6')])).toBe('10.0.0.0/29 except 10.0.0.0/32, 10.0.0.7/32');
    expect(describeAddressRanges([])).toBe('');
  });

  test('the greedy split covers exactly the range, whatever the ends', () => {
    for (const [first, last] of [[0n, 0n], [1n, 254n], [5n, 1000n], [0n, 2n ** 32n - 1n], [123456n, 98765432n]]) {
      const blocks = rangeToCidrs('ipv4', first, last);
      let next = first;
      for (const b of blocks) {
        expect(b.network).toBe(next);
        const size = 2n ** BigInt(32 - b.prefixLength);
        expect(b.network % size).toBe(0n); // aligned: a valid CIDR
        next += size;
      }
      expect(next - 1n).toBe(last);
    }
    expect(rangeToCidrs('ipv4', 0n, 2n ** 32n - 1n).map(formatCidrBlock)).toEqual(['0.0.0.0/0']);
  });
});

describe('parseAddressRangeName', () => {
  test('reads ranges and single addresses, refuses anything else', () => {
    expect(parseAddressRangeName('10.0.0.0-10.0.0.255')).toEqual({ family: 'ipv4', first: 10n * 2n ** 24n, last: 10n * 2n ** 24n + 255n });
    expect(parseAddressRangeName('203.0.113.1')).toEqual({ family: 'ipv4', first: 3405803777n, last: 3405803777n });
    expect(parseAddressRangeName('shop/web')).toBeUndefined();
    expect(parseAddressRangeName('10.0.0.9-10.0.0.1')).toBeUndefined();
    expect(parseAddressRangeName('::ffff:0:0-::ffff:ffff:ffff')).toBeUndefined();
  });
});
