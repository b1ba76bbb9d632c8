import { Direction } from '../../direction';
import { Protocol } from '../../port';
import { LintCheck, CheckFinding } from '../private/lint-check';
import { listText } from '../private/rule-helpers';
import { Severity } from '../severity';

/** NP003: egress-isolated pods that cannot reach cluster DNS on both UDP and TCP 53. */
export const EGRESS_WITHOUT_DNS: LintCheck = {
  id: 'NP003',
  name: 'egress-without-dns',
  severity: Severity.ERROR,
  summary: 'Pods isolated for egress cannot reach cluster DNS on both UDP/53 and TCP/53.',
  explanation:
    'Once a pod is isolated for egress, name resolution works only if some policy allows it to reach the cluster DNS '
    + 'pods on UDP port 53 and on TCP port 53 (large answers and some resolvers fall back to TCP), and the DNS pods\' '
    + 'own ingress policies accept it. Without that, every lookup times out, and the usual reaction is to delete the '
    + 'egress policy. The rule asks the connectivity engine, for every egress-isolated pod or workload in the input, '
    + 'whether it may connect to a DNS pod on UDP/53 and on TCP/53. The DNS pods are those labelled '
    + '`k8s-app=kube-dns` in `kube-system` (CoreDNS keeps the kube-dns label; both are options). When the input has '
    + 'no such pods, the rule evaluates against an assumed DNS pod with those labels in that namespace, with no '
    + 'policies of its own unless the input has policies in that namespace.',
  fix: 'Allow DNS for the pods: `new AllowDns(chart, \'AllowDns\')` (or `NamespaceBaseline`), or an egress rule to '
    + 'namespace kube-system AND pods k8s-app=kube-dns on UDP 53 and TCP 53.',
  check: ctx => {
    const findings: CheckFinding[] = [];
    const dns = ctx.dnsTargets();
    const dnsNames = new Set(dns.workloads.map(w => w.name));
    for (const workload of ctx.workloads) {
      if (dnsNames.has(workload.name)) continue;
      const isolatedBy = ctx.isolatedBy(workload, Direction.EGRESS);
      if (isolatedBy.length === 0) continue;
      const udp = ctx.reachesDns(workload, Protocol.UDP);
      const tcp = ctx.reachesDns(workload, Protocol.TCP);
      if (udp && tcp) continue;
      let missing = 'on UDP/53 or TCP/53';
      if (udp) missing = 'on TCP/53 (UDP/53 is allowed)';
      if (tcp) missing = 'on UDP/53 (TCP/53 is allowed)';
      const where = dns.assumed ? `${dns.text}, assumed: the input has none` : dns.text;
      findings.push({
        subject: workload.ref,
        message: `${workload.text} is isolated for egress (by ${listText(isolatedBy)}) but cannot reach cluster DNS (${where}) ${missing}`,
      });
    }
    return findings;
  },
};
