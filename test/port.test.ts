import { Port, Protocol } from '../src';

describe('Port', () => {
  test.each([
    ['tcp', Port.tcp(443), { protocol: 'TCP', port: 443 }, 'TCP/443'],
    ['udp', Port.udp(53), { protocol: 'UDP', port: 53 }, 'UDP/53'],
    ['sctp', Port.sctp(9899), { protocol: 'SCTP', port: 9899 }, 'SCTP/9899'],
    ['tcpRange', Port.tcpRange(32000, 32768), { protocol: 'TCP', port: 32000, endPort: 32768 }, 'TCP/32000-32768'],
    ['udpRange', Port.udpRange(5000, 5010), { protocol: 'UDP', port: 5000, endPort: 5010 }, 'UDP/5000-5010'],
    ['sctpRange', Port.sctpRange(1, 2), { protocol: 'SCTP', port: 1, endPort: 2 }, 'SCTP/1-2'],
    ['named (TCP by default)', Port.named('metrics'), { protocol: 'TCP', port: 'metrics' }, 'TCP/metrics'],
    ['named UDP', Port.named('dns', Protocol.UDP), { protocol: 'UDP', port: 'dns' }, 'UDP/dns'],
    ['allTcp', Port.allTcp(), { protocol: 'TCP' }, 'TCP/*'],
    ['allUdp', Port.allUdp(), { protocol: 'UDP' }, 'UDP/*'],
    ['allSctp', Port.allSctp(), { protocol: 'SCTP' }, 'SCTP/*'],
    ['DNS_UDP', Port.DNS_UDP, { protocol: 'UDP', port: 53 }, 'UDP/53'],
    ['DNS_TCP', Port.DNS_TCP, { protocol: 'TCP', port: 53 }, 'TCP/53'],
    ['of() defaults to TCP', Port.of({ port: 8080 }), { protocol: 'TCP', port: 8080 }, 'TCP/8080'],
  ])('%s renders the Kubernetes port entry and a stable string', (_name, port, config, text) => {
    expect(port.toPortConfig()).toEqual(config);
    expect(port.toString()).toBe(text);
  });

  test('protocol-only ports never carry a port number (never port: 0)', () => {
    for (const port of [Port.allTcp(), Port.allUdp(), Port.allSctp()]) {
      expect(port.toPortConfig()).not.toHaveProperty('port');
      expect(port.toPortConfig()).not.toHaveProperty('endPort');
    }
  });

  test('allTraffic has no port entry at all: it stands for a missing ports list', () => {
    expect(Port.allTraffic().isAllTraffic).toBe(true);
    expect(Port.allTraffic().toPortConfig()).toBeUndefined();
    expect(Port.allTraffic().toString()).toBe('*');
    expect(Port.tcp(80).isAllTraffic).toBe(false);
  });
});
