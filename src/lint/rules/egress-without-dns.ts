import { Direction } from '../../direction';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { ProtocolPort } from '../private/lint-context';
import { listText } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP003: egress-isolated pods that cannot reach cluster DNS on every DNS port (both protocols). */
export const EGRESS_WITHOUT_DNS: LintCheck = {
  id: 'NP003',
  name: 'egress-without-dns',
  severity: Severity.ERROR,
  summary: 'Pods isolated for egress cannot reach cluster DNS on every DNS port (UDP and TCP).',
  explanation:
    'Once a pod is isolated for egress, name resolution works only if some policy allows it to reach cluster DNS on '
    + 'UDP and on TCP (large answers and some resolvers fall back to TCP), and the DNS pods\' own ingress policies '
    + 'accept it. Without that, every lookup times out, and the usual reaction is to delete the egress policy. Where '
    + 'DNS is comes from the cluster profile (option `profile`, `--profile`, or `netpol.config.json`): with GENERIC, '
    + 'pods labelled `k8s-app=kube-dns` in `kube-system` on UDP/53 and TCP/53; with OPENSHIFT, the dns-default pods '
    + 'in openshift-dns on 5353 (the target port NetworkPolicy sees); with GKE_CLOUD_DNS, the address 169.254.169.254 '
    + 'on 53; with GKE_NODELOCAL_DNS, the kube-dns pods and 169.254.20.10. The rule asks the connectivity engine, for '
    + 'every egress-isolated pod or workload in the input, whether it may connect to each DNS target on each DNS port. '
    + 'When the input has no DNS pods, the rule evaluates against an assumed DNS pod with the profile\'s labels in its '
    + 'namespace, with no policies of its own unless the input has policies in that namespace. It is an error: a pod '
    + 'that cannot resolve names is broken, and the fix is always one rule.',
  fix: 'Allow DNS for the pods: `new AllowDns(chart, \'AllowDns\')` (or `NamespaceBaseline`), which go where the '
    + 'cluster profile says DNS is (`ClusterProfile.use(app, ClusterProfile.GKE_CLOUD_DNS)`), or an egress rule to '
    + 'the DNS pods (namespace AND pod labels) or addresses on the DNS ports.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    const dns = ctx.dnsTargets();
    const dnsNames = new Set(dns.workloads.map(w => w.name));
    const ports = ctx.options.dnsPorts;
    const portText = (p: ProtocolPort) => `${p.protocol}/${p.port}`;
    const targets: { text: string; address?: string }[] = [
      ...dns.pods ? [{ text: dns.assumed ? `${dns.text}, assumed: the input has none` : dns.text }] : [],
      ...dns.addresses.map(a => ({ text: a, address: a })),
    ];
    for (const workload of ctx.workloads) {
      if (dnsNames.has(workload.name)) continue;
      const isolatedBy = ctx.isolatedBy(workload, Direction.EGRESS);
      if (isolatedBy.length === 0) continue;
      const failing: string[] = [];
      for (const target of targets) {
        const allowed = ports.filter(p => ctx.reachesDns(workload, p, target.address));
        if (allowed.length === ports.length) continue;
        const missing = ports.filter(p => !allowed.includes(p)).map(portText);
        const text = allowed.length === 0 ? `on ${missing.join(' or ')}`
          : `on ${missing.join(', ')} (${allowed.map(portText).join(', ')} ${allowed.length === 1 ? 'is' : 'are'} allowed)`;
        failing.push(`(${target.text}) ${text}`);
      }
      if (failing.length === 0) continue;
      findings.push({
        subject: workload.ref,
        message: `${workload.text} is isolated for egress (by ${listText(isolatedBy)}) but cannot reach cluster DNS ${failing.join(', nor ')}`,
      });
    }
    return findings;
  },
};
