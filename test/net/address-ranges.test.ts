import * as fc from 'fast-check';
import { cidrBounds, formatAddressRange, splitAddressSpace } from '../../src/net/address-ranges';
import { ParsedCidr, ipInCidr, parseCidrSloppy } from '../../src/net/cidr';

function cidr(text: string): ParsedCidr {
  const parsed = parseCidrSloppy(text);
  if (!parsed) throw new Error(`bad test CIDR ${text}`);
  return parsed;
}

describe('splitAddressSpace', () => {
  test('without CIDRs, each family is one range', () => {
    expect(splitAddressSpace([]).map(formatAddressRange)).toEqual([
      '0.0.0.0-255.255.255.255',
      '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });

  test('cuts at every cidr and except boundary, in both families', () => {
    const ranges = splitAddressSpace(['0.0.0.0/0', '169.254.169.254/32', '10.0.0.0/8', '::/0', 'fd00:ec2::254/128'].map(cidr));
    expect(ranges.map(formatAddressRange)).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.255.255.255',
      '11.0.0.0-169.254.169.253',
      '169.254.169.254-169.254.169.254',
      '169.254.169.255-255.255.255.255',
      '::-fd00:ec2::253',
      'fd00:ec2::254-fd00:ec2::254',
      'fd00:ec2::255-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });

  test('the ranges cover both spaces exactly, and every CIDR holds a range whole or not at all', () => {
    const v4 = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 32 }))
      .map(([a, b, len]) => { const c = cidr(`${a}.${b}.0.0/${len}`); return cidr(c.canonical); });
    fc.assert(fc.property(fc.array(v4, { maxLength: 6 }), cidrs => {
      const ranges = splitAddressSpace(cidrs).filter(r => r.family === 'ipv4');
      expect(ranges[0].first).toBe(0n);
      expect(ranges[ranges.length - 1].last).toBe(2n ** 32n - 1n);
      ranges.forEach((r, i) => {
        if (i > 0) expect(r.first).toBe(ranges[i - 1].last + 1n);
        for (const c of cidrs) {
          const asIp = (v: bigint) => ({ text: '', family: 'ipv4' as const, value: v, leadingZeros: false, ipv4Mapped: false });
          expect(ipInCidr(asIp(r.first), c)).toBe(ipInCidr(asIp(r.last), c));
        }
      });
      // each CIDR starts a range and ends one: it is a union of whole ranges
      for (const c of cidrs) {
        const [start, end] = cidrBounds(c);
        expect(ranges.some(r => r.first === start)).toBe(true);
        expect(ranges.some(r => r.last === end - 1n)).toBe(true);
      }
    }));
  });
});
