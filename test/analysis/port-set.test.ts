import * as fc from 'fast-check';
import { PortSet, Protocol } from '../../src';

const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

/** A random port set: a union of up to four ranges of random protocols, edges included. */
const portSet = fc.array(
  fc.tuple(fc.constantFrom(...PROTOCOLS), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 300 }), fc.boolean()),
  { maxLength: 4 },
).map(ranges => ranges.reduce((set, [p, start, width, whole]) =>
  set.union(whole ? PortSet.protocol(p) : PortSet.range(p, start, Math.min(65535, start + width))), PortSet.NONE));

/** Ports worth probing for a set: both edges of each range and their neighbours, and the ends. */
function probes(...sets: PortSet[]): [Protocol, number][] {
  const out: [Protocol, number][] = [];
  for (const p of PROTOCOLS) {
    const ports = new Set([1, 2, 65534, 65535]);
    for (const s of sets) {
      for (const r of s.ranges(p)) for (const x of [r.start - 1, r.start, r.end, r.end + 1]) if (x >= 1 && x <= 65535) ports.add(x);
    }
    for (const x of ports) out.push([p, x]);
  }
  return out;
}

describe('PortSet', () => {
  test('reads as All Connections, No Connections, or protocol by protocol', () => {
    expect(PortSet.ALL.toString()).toBe('All Connections');
    expect(PortSet.NONE.toString()).toBe('No Connections');
    const set = PortSet.protocol(Protocol.TCP).subtract(PortSet.range(Protocol.TCP, 80)).union(PortSet.range(Protocol.UDP, 53));
    expect(set.toString()).toBe('TCP 1-79,81-65535; UDP 53');
    expect(set.toJson()).toEqual({ TCP: [[1, 79], [81, 65535]], UDP: [[53, 53]] });
  });

  test('merges overlapping and adjacent ranges into one', () => {
    const set = PortSet.range(Protocol.TCP, 80, 90).union(PortSet.range(Protocol.TCP, 91, 100)).union(PortSet.range(Protocol.TCP, 85, 95));
    expect(set.ranges(Protocol.TCP)).toEqual([{ start: 80, end: 100 }]);
  });

  test('every protocol whole is All Connections', () => {
    const set = PortSet.protocol(Protocol.TCP).union(PortSet.protocol(Protocol.UDP)).union(PortSet.protocol(Protocol.SCTP));
    expect(set.isAll).toBe(true);
    expect(set.sameAs(PortSet.ALL)).toBe(true);
  });

  test('union, intersection and difference agree with membership at every range edge', () => {
    fc.assert(fc.property(portSet, portSet, (a, b) => {
      const union = a.union(b);
      const both = a.intersect(b);
      const minus = a.subtract(b);
      for (const [p, port] of probes(a, b)) {
        expect(union.has(p, port)).toBe(a.has(p, port) || b.has(p, port));
        expect(both.has(p, port)).toBe(a.has(p, port) && b.has(p, port));
        expect(minus.has(p, port)).toBe(a.has(p, port) && !b.has(p, port));
      }
      // ranges are sorted, disjoint and never adjacent (minimal)
      for (const s of [union, both, minus]) {
        for (const p of PROTOCOLS) {
          const r = s.ranges(p);
          r.forEach((x, i) => {
            expect(x.start).toBeLessThanOrEqual(x.end);
            if (i > 0) expect(x.start).toBeGreaterThan(r[i - 1].end + 1);
          });
        }
      }
      // the JSON form reads back to an equal set
      expect(PortSet.fromJson(union.toJson()).sameAs(union)).toBe(true);
    }));
  });

  test('throws if a port is outside 1-65535, or a range ends before it starts', () => {
    expect(() => PortSet.range(Protocol.TCP, 0)).toThrow(/start: Invalid value: 0: must be a port number between 1 and 65535/);
    expect(() => PortSet.range(Protocol.TCP, 80, 70000)).toThrow(/end: Invalid value: 70000/);
    expect(() => PortSet.range(Protocol.TCP, 80, 79)).toThrow(/end: Invalid value: 79: must be at least start \(80\)/);
    expect(() => PortSet.range(Protocol.TCP, undefined as any)).toThrow(/start: Invalid value: undefined/);
  });

  test('throws if a protocol is not TCP, UDP or SCTP', () => {
    expect(() => PortSet.protocol('tcp' as any)).toThrow(/protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"/);
    expect(() => PortSet.fromJson({ ICMP: [[1, 1]] })).toThrow(/Unsupported value: "ICMP"/);
    expect(() => PortSet.fromJson({ TCP: [[80]] })).toThrow(/TCP: Invalid value: \[80\]: a range is \[start, end\]/);
  });
});

describe('PortSet named ports (towards a representative endpoint)', () => {
  const http = PortSet.named(Protocol.TCP, 'http');
  test('a named port is neither nothing nor every port', () => {
    expect(http.isEmpty).toBe(false);
    expect(http.isAll).toBe(false);
    expect(http.has(Protocol.TCP, 80)).toBe(false);
    expect(http.toString()).toBe('TCP http');
    expect(http.union(PortSet.range(Protocol.TCP, 8080)).toString()).toBe('TCP 8080,http');
  });

  test('the whole protocol holds every name; a name meets a name, or the whole protocol, in an intersection', () => {
    expect(http.union(PortSet.protocol(Protocol.TCP)).sameAs(PortSet.protocol(Protocol.TCP))).toBe(true);
    expect(http.intersect(PortSet.ALL).sameAs(http)).toBe(true);
    expect(http.intersect(PortSet.protocol(Protocol.TCP)).sameAs(http)).toBe(true);
    expect(http.intersect(PortSet.range(Protocol.TCP, 80)).isEmpty).toBe(true);
    expect(http.intersect(PortSet.protocol(Protocol.UDP)).isEmpty).toBe(true);
    expect(http.intersect(http.union(PortSet.named(Protocol.TCP, 'metrics'))).sameAs(http)).toBe(true);
  });

  test('subtract and sameAs compare names', () => {
    const both = http.union(PortSet.named(Protocol.TCP, 'metrics'));
    expect(both.subtract(http).toString()).toBe('TCP metrics');
    expect(both.subtract(PortSet.protocol(Protocol.TCP)).isEmpty).toBe(true);
    expect(both.sameAs(http)).toBe(false);
    expect(both.namedPorts(Protocol.TCP)).toEqual(['http', 'metrics']);
  });

  test('the JSON form carries names beside the ranges, and reads back', () => {
    const set = http.union(PortSet.range(Protocol.UDP, 53));
    expect(set.toJson()).toEqual({ UDP: [[53, 53]], named: { TCP: ['http'] } });
    expect(PortSet.fromJson(set.toJson()).sameAs(set)).toBe(true);
    expect(() => PortSet.fromJson({ named: { TCP: ['Not A Name'] } })).toThrow(/name: Invalid value: "Not A Name"/);
    expect(() => PortSet.fromJson({ named: ['http'] })).toThrow(/named: must be an object like/);
    expect(() => PortSet.named(Protocol.TCP, 'a--b')).toThrow(/no '--'/);
  });
});
