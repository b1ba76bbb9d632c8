import * as fc from 'fast-check';
import { Protocol } from '../../src';
import { mergePorts, portText } from '../../src/suggest/port-ranges';

describe('mergePorts', () => {
  test('a run of observed ports is a range; a gap starts a new entry; protocols never mix', () => {
    const ports = [81, 80, 82, 84, 80].map(port => ({ protocol: Protocol.TCP, port }));
    expect(mergePorts([...ports, { protocol: Protocol.UDP, port: 83 }]).map(portText)).toEqual(['TCP/80-82', 'TCP/84', 'UDP/83']);
  });

  test('the entries cover exactly the observed ports, whatever their order', () => {
    const port = fc.record({ protocol: fc.constantFrom(Protocol.TCP, Protocol.UDP, Protocol.SCTP), port: fc.integer({ min: 1, max: 40 }) });
    fc.assert(fc.property(fc.array(port), observed => {
      const covered = mergePorts(observed).flatMap(p => Array.from({ length: (p.endPort ?? p.port) - p.port + 1 }, (_, i) => `${p.protocol}/${p.port + i}`));
      expect(new Set(covered).size).toBe(covered.length);
      expect(covered.sort()).toEqual([...new Set(observed.map(o => `${o.protocol}/${o.port}`))].sort());
      expect(mergePorts([...observed].reverse())).toEqual(mergePorts(observed));
    }));
  });
});
