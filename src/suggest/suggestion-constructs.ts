/**
 * The one construction of a suggestion: the constructs it adds to a scope, and the same calls as
 * TypeScript source (the code a person would write), so the two cannot drift apart. Not part of
 * the public API.
 */
import { Construct } from 'constructs';
import { ClusterProfile } from '../cluster-profile';
import { Direction } from '../direction';
import { LabelSelector } from '../label-selector';
import { AllowDns } from '../patterns/allow-dns';
import { NamespaceBaseline } from '../patterns/namespace-baseline';
import { Peer } from '../peer';
import { EgressRule, IngressRule, Policy } from '../policy';
import { Port, Protocol } from '../port';
import type { SuggestedPeer, SuggestedRule } from './suggested-policy';
import type { SuggestedPort } from './suggested-port';
import type { SuggestionPlan } from './suggestion-plan';

/** The name of the baseline in every namespace: its policies are `baseline-default-deny` and `baseline-allow-dns`. */
const BASELINE_NAME = 'baseline';

/** The construct id of an object of a namespace (a namespace name has no dot, so ids never clash). */
function idOf(namespace: string, name: string): string {
  return `${namespace}.${name}`;
}

/** Adds the plan's constructs to `scope`, in the plan's order. */
export function addPlan(scope: Construct, plan: SuggestionPlan): void {
  for (const b of plan.baselines) {
    new NamespaceBaseline(scope, idOf(b.namespace, BASELINE_NAME), { namespace: b.namespace, name: BASELINE_NAME, allowDns: b.allowDns });
  }
  for (const d of plan.dnsAccess) {
    new AllowDns(scope, idOf(d.namespace, d.name), { namespace: d.namespace, name: d.name, podSelector: LabelSelector.labels(d.podLabels) });
  }
  for (const p of plan.policies) {
    const podSelector = Object.keys(p.podLabels).length > 0 ? LabelSelector.labels(p.podLabels) : LabelSelector.all();
    const rules = p.rules.map(r => ({ peers: r.peers.map(x => toPeer(x, p.namespace)), ports: r.ports.map(toPort) }));
    new Policy(scope, idOf(p.namespace, p.name), {
      namespace: p.namespace,
      name: p.name,
      podSelector,
      ...(p.direction === Direction.INGRESS
        ? { ingress: rules.map((r): IngressRule => ({ from: r.peers, ports: r.ports })) }
        : { egress: rules.map((r): EgressRule => ({ to: r.peers, ports: r.ports })) }),
    });
  }
}

function toPeer(p: SuggestedPeer, policyNamespace: string): Peer {
  if (p.cidr !== undefined) return Peer.ipBlock(p.cidr, p.except);
  if (p.namespace === policyNamespace) return p.podLabels ? Peer.pods(p.podLabels) : Peer.sameNamespace();
  return p.podLabels ? Peer.podsInNamespace(p.namespace!, p.podLabels) : Peer.namespace(p.namespace!);
}

function toPort(p: SuggestedPort): Port {
  switch (p.protocol) {
    case Protocol.UDP: return p.endPort !== undefined ? Port.udpRange(p.port, p.endPort) : Port.udp(p.port);
    case Protocol.SCTP: return p.endPort !== undefined ? Port.sctpRange(p.port, p.endPort) : Port.sctp(p.port);
    default: return p.endPort !== undefined ? Port.tcpRange(p.port, p.endPort) : Port.tcp(p.port);
  }
}

/** A string literal (JSON's escaping is valid TypeScript, whatever the text holds). */
function str(text: string): string {
  return JSON.stringify(text);
}

function labelsCode(labels: Readonly<Record<string, string>>): string {
  return `{ ${Object.keys(labels).sort().map(k => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : str(k)}: ${str(labels[k])}`).join(', ')} }`;
}

function peerCode(p: SuggestedPeer, policyNamespace: string): string {
  if (p.cidr !== undefined) return p.except ? `Peer.ipBlock(${str(p.cidr)}, [${p.except.map(str).join(', ')}])` : `Peer.ipBlock(${str(p.cidr)})`;
  if (p.namespace === policyNamespace) return p.podLabels ? `Peer.pods(${labelsCode(p.podLabels)})` : 'Peer.sameNamespace()';
  return p.podLabels ? `Peer.podsInNamespace(${str(p.namespace!)}, ${labelsCode(p.podLabels)})` : `Peer.namespace(${str(p.namespace!)})`;
}

function portCode(p: SuggestedPort): string {
  const kind = p.protocol.toLowerCase();
  return p.endPort !== undefined ? `Port.${kind}Range(${p.port}, ${p.endPort})` : `Port.${kind}(${p.port})`;
}

function rulesCode(rules: readonly SuggestedRule[], field: 'from' | 'to', namespace: string): string[] {
  return rules.map(r => `    { ${field}: [${r.peers.map(x => peerCode(x, namespace)).join(', ')}], ports: [${r.ports.map(portCode).join(', ')}] },`);
}

/**
 * The plan as a cdk8s app of this library's constructs, making exactly what `addPlan` makes.
 *
 * @param header comment lines put first (the proof)
 */
export function planCode(plan: SuggestionPlan, profile: ClusterProfile, header: readonly string[]): string {
  const body: string[] = [];
  const builtIn = ClusterProfile.builtIns().find(p => p === profile);
  if (builtIn) body.push(`ClusterProfile.use(chart, ClusterProfile.${builtIn.name.toUpperCase().replace(/-/g, '_')});`);
  else body.push(`// the suggestion was made for the custom cluster profile ${str(profile.name)}: set it with ClusterProfile.use(chart, profile)`);
  const used = new Set(['ClusterProfile']);
  for (const b of plan.baselines) {
    used.add('NamespaceBaseline');
    body.push(`new NamespaceBaseline(chart, ${str(idOf(b.namespace, BASELINE_NAME))}, { namespace: ${str(b.namespace)}, name: ${str(BASELINE_NAME)}, allowDns: ${b.allowDns} });`);
  }
  for (const d of plan.dnsAccess) {
    used.add('AllowDns').add('LabelSelector');
    body.push(`new AllowDns(chart, ${str(idOf(d.namespace, d.name))}, { namespace: ${str(d.namespace)}, name: ${str(d.name)}, podSelector: LabelSelector.labels(${labelsCode(d.podLabels)}) });`);
  }
  for (const p of plan.policies) {
    used.add('Policy').add('LabelSelector').add('Port');
    if (p.rules.some(r => r.peers.length > 0)) used.add('Peer');
    const selector = Object.keys(p.podLabels).length > 0 ? `LabelSelector.labels(${labelsCode(p.podLabels)})` : 'LabelSelector.all()';
    const field = p.direction === Direction.INGRESS ? 'ingress' : 'egress';
    body.push(
      `// ${p.workload}: ${field} observed`,
      `new Policy(chart, ${str(idOf(p.namespace, p.name))}, {`,
      `  namespace: ${str(p.namespace)},`,
      `  name: ${str(p.name)},`,
      `  podSelector: ${selector},`,
      `  ${field}: [`,
      ...rulesCode(p.rules, p.direction === Direction.INGRESS ? 'from' : 'to', p.namespace),
      '  ],',
      '});',
    );
  }
  return [
    ...header.flatMap(line => line.split(/\r?\n/)).map(line => `// ${line}`.trimEnd()),
    "import { App, Chart } from 'cdk8s';",
    `import { ${[...used].sort().join(', ')} } from 'cdk8s-netpol';`,
    '',
    'const app = new App();',
    "const chart = new Chart(app, 'suggested-policies');",
    ...body,
    'app.synth();',
    '',
  ].join('\n');
}
