import { policyRef } from '../../analysis/cluster-queries';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { ruleField, enforcedRules } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP010: port ranges wider than `maxPortRangeWidth`. */
export const WIDE_PORT_RANGE: LintCheck = {
  id: 'NP010',
  name: 'wide-port-range',
  severity: Severity.WARNING,
  summary: 'A port range (port to endPort) is wider than the configured maximum (1000 ports by default).',
  explanation:
    'A range such as 1024-65535 usually stands for "whatever the application uses" and opens far more than it needs, '
    + 'including other services that happen to listen on the same pods. The rule reports every `port`/`endPort` entry '
    + 'of an enforced rule that spans more ports than the `maxPortRangeWidth` option (default 1000; the CLI flag '
    + '`--max-port-range-width`). A rule without ports, or a protocol without a port, is a deliberate "every port" and '
    + 'is not reported.'
    + ' It is a warning: wide ranges are sometimes needed (passive FTP, media servers); the width is an option.',
  fix: 'List the ports the application uses, or a narrow range; raise `maxPortRangeWidth` if wide ranges are your norm.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    const max = ctx.options.maxPortRangeWidth;
    for (const policy of ctx.policies) {
      for (const rule of enforcedRules(policy)) {
        for (const port of rule.ports ?? []) {
          if (port.port === undefined || port.endPort === undefined) continue;
          const width = port.endPort - port.port + 1;
          if (width <= max) continue;
          findings.push({
            subject: policyRef(policy),
            field: `${ruleField(rule)}.ports[${port.index}]`,
            message: `${port.text} opens ${width} ports, more than the ${max} allowed (maxPortRangeWidth)`,
          });
        }
      }
    }
    return findings;
  },
};
