import { Direction } from '../direction';
import { Verdict } from './verdict';

/** Renders the explanation of a verdict: a headline, then one line per direction. */
export function renderExplanation(v: Omit<Verdict, 'explanation'>, selfTrafficAlwaysAllowed: boolean): string {
  const portText = v.portName !== undefined ? `${v.protocol}/${v.port} (${JSON.stringify(v.portName)})` : `${v.protocol}/${v.port}`;
  let headline = `${v.from} -> ${v.to} ${portText}: ${v.allowed ? 'allowed' : 'denied'}`;
  if (v.selfTraffic && selfTrafficAlwaysAllowed) {
    headline += ' (traffic from an endpoint to itself is always allowed: selfTraffic ALLOW)';
  } else if (!v.allowed) {
    const denying = [v.egress, v.ingress].filter(d => !d.allowed).map(d => d.direction === Direction.EGRESS ? 'egress' : 'ingress');
    headline += ` by ${denying.join(' and ')}`;
  }
  const lines = [headline];
  for (const d of [v.egress, v.ingress]) {
    lines.push(`  ${d.reason}`);
    for (const note of d.unmatched) lines.push(`    - ${note}`);
  }
  return lines.join('\n');
}
