import { ProbeObservation } from './connect-outcome';
import { ProbeKind } from './probe';
import { ProbeResult, ProbeRun } from './probe-runner';

/** The exit codes of `netpol probe run`. */
export enum ProbeExitCode {
  /** Every probe that ran agrees with the offline analysis, and every probe ran. */
  AGREE = 0,
  /** The tool could not do its job: unreadable input, bad usage, kubectl failures. */
  ERROR = 2,
  /** No probe disagrees, but some could not run: inconclusive. */
  INCONCLUSIVE = 4,
  /** At least one probe disagrees with the offline analysis. */
  DISAGREE = 5,
  /** Interrupted (SIGINT, or the run's abort signal); what was applied was deleted. */
  INTERRUPTED = 130,
  /** Stopped by SIGTERM; what was applied was deleted. */
  TERMINATED = 143,
}

/** The exit code for a run. */
export function probeExitCode(run: ProbeRun): ProbeExitCode {
  if (run.interrupted) return ProbeExitCode.INTERRUPTED;
  if (run.results.some(r => r.agrees === false)) return ProbeExitCode.DISAGREE;
  if (run.errors.length > 0 && run.results.every(r => r.agrees === undefined)) return ProbeExitCode.ERROR;
  if (run.results.some(r => r.agrees === undefined)) return ProbeExitCode.INCONCLUSIVE;
  return ProbeExitCode.AGREE;
}

/** How an observation is printed. */
export function describeObservation(o: ProbeObservation): string {
  switch (o) {
    case ProbeObservation.REACHED: return 'reached';
    case ProbeObservation.REACHED_REFUSED: return 'reached (refused)';
    case ProbeObservation.BLOCKED: return 'blocked';
    default: return 'could not run';
  }
}

function verdictOf(r: ProbeResult): string {
  return r.agrees === undefined ? 'INCONCLUSIVE' : r.agrees ? 'agree' : 'DISAGREE';
}

/**
 * The results as a table: probe, connection, expected, observed, verdict; below each row that
 * does not agree, the observation's detail and the offline explanation.
 */
export function formatResults(run: ProbeRun): string {
  const rows = run.results.map(r => [r.probe.id, r.probe.description, r.probe.expectAllowed ? 'allowed' : 'denied', describeObservation(r.observation), verdictOf(r)]);
  const header = ['PROBE', 'CONNECTION', 'EXPECTED', 'OBSERVED', 'VERDICT'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  const out = [line(header)];
  run.results.forEach((r, i) => {
    out.push(line(rows[i]));
    if (r.agrees !== true) {
      out.push(`      observed: ${r.detail}`);
      for (const l of r.probe.explanation.split('\n')) out.push(`      ${l.trim().startsWith('-') ? '  ' : ''}${l.trim()}`);
    }
  });
  const agree = run.results.filter(r => r.agrees === true).length;
  const disagree = run.results.filter(r => r.agrees === false).length;
  const inconclusive = run.results.length - agree - disagree;
  out.push('', `${run.results.length} probes: ${agree} agree, ${disagree} disagree, ${inconclusive} could not run${run.interrupted ? ' (interrupted)' : ''}.`);
  return out.join('\n') + '\n';
}

/**
 * What the disagreements suggest about the cluster, as lines of text (none when all agree).
 */
export function diagnose(run: ProbeRun): string[] {
  const ran = run.results.filter(r => r.agrees !== undefined);
  const denied = ran.filter(r => !r.probe.expectAllowed);
  const disagreeing = ran.filter(r => r.agrees === false);
  if (disagreeing.length === 0) return [];
  const lines: string[] = [];
  if (denied.length > 0 && denied.every(r => r.agrees === false)) {
    lines.push(
      `Every probe that the policies deny connected (${denied.length} of ${denied.length}): the network plugin probably does not enforce NetworkPolicy at all.`,
      '  It accepts the objects and ignores them. The usual suspects: flannel alone (no Calico/canal), kubenet, k3s started',
      '  with --disable-network-policy, the AWS VPC CNI without its network policy agent (enableNetworkPolicy), AKS created with',
      '  --network-policy none, GKE without network policy enforcement or Dataplane V2.',
      '  How to check: kubectl get daemonsets --namespace kube-system (which CNI runs: calico-node, cilium, antrea, kube-router,',
      '  weave-net enforce policies; kube-flannel alone does not); on GKE: gcloud container clusters describe <name> --format=\'value(networkPolicy,networkConfig.datapathProvider)\';',
      '  on AKS: az aks show -g <group> -n <name> --query networkProfile.networkPolicy; on EKS: the aws-node daemonset\'s aws-eks-nodeagent container.',
    );
    return lines;
  }
  lines.push(`${disagreeing.length} probes disagree with the offline analysis. Where network plugins differ (and the analysis option that models it):`);
  const hints = new Set<string>();
  for (const r of disagreeing) {
    const p = r.probe;
    if (/ipBlock/.test(p.explanation)) {
      hints.add('  - ipBlocks and pod IPs: Calico matches pod IPs against ipBlock CIDRs, Cilium and others apply them only to traffic leaving the cluster. '
        + 'Rerun with --no-ip-block-pod-ips (AnalysisOptions.ipBlockMatchesPodIps: false) if this cluster does not match pod IPs.');
    }
    if (p.kind === ProbeKind.METADATA && r.agrees === false) {
      hints.add('  - Cloud metadata reached: traffic from a pod to its own node is always allowed, and some clouds answer the metadata address on the node '
        + '(GKE metadata server, node-local proxies), where no NetworkPolicy applies; hostNetwork pods are the node.');
    }
    if (p.expectAllowed && r.observation === ProbeObservation.BLOCKED) {
      hints.add('  - Denied although the policies allow it: policies the input does not contain (kubectl get networkpolicy -A), cluster-wide '
        + 'policies outside the NetworkPolicy API (AdminNetworkPolicy, Calico GlobalNetworkPolicy, CiliumClusterwideNetworkPolicy), '
        + 'a plugin without endPort or SCTP support, or policies not yet programmed (rerun).');
    }
    if (!p.expectAllowed && r.agrees === false && p.kind !== ProbeKind.METADATA) {
      hints.add('  - Connected although the policies deny it: a plugin that ignores part of a policy (endPort, named ports on egress with an empty `to`), '
        + 'traffic from the node (hostNetwork sources), or a pod reaching itself (--self-traffic evaluate models a plugin that applies policies to it).');
    }
  }
  lines.push(...[...hints].sort());
  for (const r of disagreeing) lines.push(`  ${r.probe.id} ${r.probe.description}: expected ${r.probe.expectAllowed ? 'allowed' : 'denied'}, observed ${describeObservation(r.observation)}`);
  return lines;
}

/** The results as JUnit XML: one test case per probe; a disagreement is a failure, a probe that could not run an error. */
export function junitXml(run: ProbeRun): string {
  const failures = run.results.filter(r => r.agrees === false).length;
  const errors = run.results.filter(r => r.agrees === undefined).length;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="netpol probe" tests="${run.results.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="netpol probe run ${xml(run.runId)}" tests="${run.results.length}" failures="${failures}" errors="${errors}">`,
  ];
  for (const r of run.results) {
    const name = `${r.probe.id} ${r.probe.description}: expected ${r.probe.expectAllowed ? 'allowed' : 'denied'}`;
    out.push(`    <testcase classname="netpol.probe.${r.probe.kind.toLowerCase()}" name="${xml(name)}">`);
    const body = xml(`observed: ${r.detail}\n${r.probe.explanation}`);
    if (r.agrees === false) out.push(`      <failure message="${xml(`observed ${describeObservation(r.observation)}`)}">${body}</failure>`);
    else if (r.agrees === undefined) out.push(`      <error message="could not run">${body}</error>`);
    else out.push(`      <system-out>${body}</system-out>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>', '</testsuites>');
  return out.join('\n') + '\n';
}

/**
 * Text as XML 1.0 character data or attribute value: markup escaped, line breaks and tabs as
 * character references (kept in attributes), and every character XML 1.0 does not allow (C0
 * controls, U+FFFE, U+FFFF, lone surrogates) or discourages (DEL and C1 controls) written as a
 * visible `\uXXXX`, so that no message from the cluster can make the report unreadable.
 */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
