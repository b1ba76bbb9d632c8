import * as fc from 'fast-check';
import { IpBlock, parseIpAddress } from '../../src/model/ip-block';
import { AddressMembership } from '../../src/net/address-membership';
import { parseCidrSloppy, parseIpSloppy } from '../../src/net/cidr';

// Small address spaces, so that random CIDRs overlap, nest and share boundaries; both families and
// IPv4-mapped IPv6 spellings (which the API server reads as IPv4).
const ipv4 = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `10.${a}.${b}.${(a * 37 + b) % 256}`);
const ipv6 = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffff })).map(([a, b]) => `2001:db8:${a}::${b.toString(16)}`);
const mapped = ipv4.map(a => `::ffff:${a}`);
const address = fc.oneof(ipv4, ipv6, mapped);
const cidr = fc.oneof(
  fc.tuple(ipv4, fc.integer({ min: 8, max: 32 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(ipv6, fc.integer({ min: 96, max: 128 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(mapped, fc.integer({ min: 100, max: 128 })).map(([a, p]) => `${a}/${p}`),
  fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.0/8', '::ffff:0:0/96'),
);
const block = fc.record({ cidr, except: fc.array(cidr, { maxLength: 4 }) });

function membershipOf(blocks: { cidr: string; except: string[] }[], addresses: string[]): AddressMembership {
  return AddressMembership.of(
    blocks.map(b => ({ cidr: parseCidrSloppy(b.cidr)!, except: b.except.map(e => parseCidrSloppy(e)!) })),
    addresses.map(a => parseIpSloppy(a)!),
  );
}

describe('AddressMembership', () => {
  test('places every address in exactly the blocks whose contains() says so, with one id per distinct set', () => {
    fc.assert(fc.property(fc.array(block, { maxLength: 12 }), fc.array(address, { minLength: 1, maxLength: 30 }), (raw, addresses) => {
      // GIVEN the old test, one address and one block at a time
      const blocks = raw.map(b => IpBlock.fromValid(b));
      const expected = addresses.map(a => blocks.flatMap((b, i) => (b.contains(parseIpAddress(a)!) ? [i] : [])));

      // WHEN
      const membership = membershipOf(raw, addresses);

      // THEN
      expect(Array.from(membership.ids, id => membership.blocks(id))).toEqual(expected);
      const sameId = (i: number, j: number) => membership.ids[i] === membership.ids[j];
      const sameSet = (i: number, j: number) => expected[i].join() === expected[j].join();
      const pairs = addresses.flatMap((_, i) => addresses.map((__, j) => [i, j]));
      expect(pairs.filter(([i, j]) => sameId(i, j) !== sameSet(i, j))).toEqual([]);
    }), { numRuns: 200 });
  });

  test('the union of two addresses\' sets is the set of blocks containing either', () => {
    fc.assert(fc.property(fc.array(block, { maxLength: 12 }), address, address, (raw, a, b) => {
      const membership = membershipOf(raw, [a, b]);
      const union = membership.union(membership.ids[0], membership.ids[1]);
      const expected = [...new Set([...membership.blocks(membership.ids[0]), ...membership.blocks(membership.ids[1])])].sort((x, y) => x - y);
      expect(membership.blocks(union)).toEqual(expected);
    }), { numRuns: 200 });
  });

  test('an address in an exception of its block, or outside every block, is in none', () => {
    // GIVEN 10.0.0.0/8 except 10.1.0.0/16, and 192.168.0.0/16
    const membership = membershipOf(
      [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, { cidr: '192.168.0.0/16', except: [] }],
      ['10.1.2.3', '10.2.0.0', '172.16.0.1', '192.168.255.255', '::ffff:10.2.0.1', '2001:db8::1'],
    );

    // THEN
    expect(Array.from(membership.ids, id => membership.blocks(id))).toEqual([[], [0], [], [1], [0], []]);
    expect(membership.ids[0]).toBe(AddressMembership.NONE);
    expect(membership.ids[1]).toBe(membership.ids[4]);
  });
});
