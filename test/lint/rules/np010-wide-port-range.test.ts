import { LabelSelector, Peer, Policy, Port } from '../../../src';
import { Linter, NetpolLint, Severity } from '../../../src/lint';
import { chartIn } from '../../util';
import { FILE, findingsOf, lint, policy } from '../lint-helpers';

const withPorts = (ports: any[]) => policy('shop', 'web', { podSelector: {}, ingress: [{ ports }] });

describe('NP010 wide-port-range: a port range wider than the maximum', () => {
  test('compliant: exactly the maximum (1000 ports)', () => {
    expect(findingsOf(lint([withPorts([{ port: 30000, endPort: 30999 }])]), 'NP010')).toEqual([]);
  });

  test('non-compliant: one port more', () => {
    const report = lint([withPorts([{ port: 80 }, { protocol: 'UDP', port: 30000, endPort: 31000 }])]);
    expect(findingsOf(report, 'NP010')).toEqual([{
      ruleId: 'NP010',
      ruleName: 'wide-port-range',
      severity: Severity.WARNING,
      message: 'UDP/30000-31000 opens 1001 ports, more than the 1000 allowed (maxPortRangeWidth)',
      fix: 'List the ports the application uses, or a narrow range; raise `maxPortRangeWidth` if wide ranges are your norm.',
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'web',
      field: 'spec.ingress[0].ports[1]',
      file: FILE,
      documentIndex: 0,
    }]);
  });

  test('options: maxPortRangeWidth', () => {
    const report = lint([withPorts([{ port: 8000, endPort: 8100 }])], { maxPortRangeWidth: 100 });
    expect(findingsOf(report, 'NP010').map(f => f.message)).toEqual(['TCP/8000-8100 opens 101 ports, more than the 100 allowed (maxPortRangeWidth)']);
    expect(() => lint([], { maxPortRangeWidth: 0 })).toThrow('maxPortRangeWidth: Invalid value: 0: must be a whole number of ports, at least 1');
  });

  test('suppressed: on the Policy construct', () => {
    const chart = chartIn('shop');
    const ftp = new Policy(chart, 'PassiveFtp', { podSelector: LabelSelector.labels({ app: 'ftp' }), ingress: [{ from: [Peer.ipBlock('198.51.100.0/24')], ports: [Port.tcpRange(30000, 40000)] }] });
    NetpolLint.suppress(ftp, [{ id: 'NP010', reason: 'the passive FTP range of the partner gateway' }]);
    const report = Linter.lintChart(chart);
    expect(findingsOf(report, 'NP010')).toEqual([]);
    expect(report.suppressedFindings.map(f => [f.ruleId, f.constructPath, f.field])).toEqual([['NP010', 'test/PassiveFtp', 'spec.ingress[0].ports[0]']]);
  });

  test('not applicable: every port (no ports) or every port of a protocol', () => {
    expect(findingsOf(lint([withPorts([{ protocol: 'UDP' }]), policy('shop', 'all', { podSelector: {}, egress: [{}] })]), 'NP010')).toEqual([]);
  });
});
