import { policyRef } from '../../analysis/cluster-queries';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { ruleField, listText } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP012: an ingress port that is a Service's port but none of the target ports it sends to the selected pods. */
export const SERVICE_PORT_CONFUSION: LintCheck = {
  id: 'NP012',
  name: 'service-port-confusion',
  severity: Severity.WARNING,
  summary: 'An ingress rule opens a Service\'s port on the pods the Service selects, but none of the target ports that Service port sends them.',
  explanation:
    'NetworkPolicies match traffic after the Service has translated it: the destination is the pod and its target (container) '
    + 'port, never the Service port. A rule that opens `5001` because the Service listens on 5001 while it forwards to '
    + 'targetPort 5000 lets nothing through on 5001 that the Service sends, and leaves 5000 closed: clients of the Service '
    + 'time out. The rule reports a numeric port entry (or range) of an enforced ingress rule that contains the `port` of '
    + 'a Service selecting some of the policy\'s pods, when the same rule opens none of the target ports that Service port '
    + 'maps to on those pods (a named targetPort is resolved on each pod\'s container ports).',
  fix: 'Open the target port (the container port the Service forwards to, e.g. `port: 5000` or the named port `http`), not the Service port.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    for (const policy of ctx.policies) {
      const services = ctx.services.filter(s => s.namespace === policy.namespace);
      if (services.length === 0 || policy.ingress.length === 0) continue;
      const selected = ctx.selectedBy(policy);
      for (const service of services) {
        const pods = selected.filter(w => Object.entries(service.selector).every(([k, v]) => w.labels[k] === v));
        if (pods.length === 0) continue;
        for (const rule of policy.ingress) {
          if (!rule.ports) continue;
          for (const entry of rule.ports) {
            if (entry.port === undefined) continue;
            const last = entry.endPort ?? entry.port;
            for (const sp of service.ports) {
              if (sp.protocol !== entry.protocol || sp.port < entry.port || sp.port > last) continue;
              // the target port on each selected pod (unresolved named ones send nothing)
              const targets = new Set<number>();
              const named = new Set<string>();
              for (const pod of pods) {
                if (sp.targetPortName !== undefined) {
                  named.add(sp.targetPortName);
                  const p = pod.ports.find(x => x.name === sp.targetPortName && x.protocol === sp.protocol);
                  if (p) targets.add(p.port);
                } else {
                  targets.add(sp.targetPort ?? sp.port);
                }
              }
              if (targets.size === 0 || targets.has(sp.port)) continue;
              const opened = rule.ports.some(e => e.protocol === sp.protocol && (
                (e.port === undefined && e.name === undefined)
                || (e.name !== undefined && named.has(e.name))
                || (e.port !== undefined && [...targets].some(t => t >= e.port! && t <= (e.endPort ?? e.port!)))));
              if (opened) continue;
              const targetText = sp.targetPortName !== undefined
                ? `targetPort ${JSON.stringify(sp.targetPortName)} (${listText([...targets].sort((a, b) => a - b).map(String))})`
                : `targetPort ${listText([...targets].map(String))}`;
              findings.push({
                subject: policyRef(policy),
                field: `${ruleField(rule)}.ports[${entry.index}]`,
                message: `${entry.text} is port ${sp.port} of Service ${service.name}, which sends it to ${targetText} on `
                  + `${listText(pods.map(w => w.name))}; policies see the target port, and this rule opens none of it`,
              });
            }
          }
        }
      }
    }
    return findings;
  },
};
