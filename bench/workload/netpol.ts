import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ENTRY_NAMESPACE, Layout, TIER_LABEL, TIER_POLICIES, namespaceNames, pascal } from './spec';
import { LabelSelector, NamespaceBaseline, NetpolLint, Peer, Policy, Port } from '../../src';

/**
 * The workload with this library, written as its users would: `NamespaceBaseline` for default
 * deny, DNS and metadata (with `allowInternet`), and one `Policy` per tier and direction.
 * Names are left to the library (derived from construct paths). With one chart, the chart has
 * no namespace and every construct gets `namespace`.
 */
export function buildNetpol(app: App, n: number, layout: Layout): void {
  const org = layout === Layout.ONE_CHART ? new Chart(app, 'org') : undefined;
  for (const ns of namespaceNames(n)) {
    const scope: Construct = org ? new Construct(org, ns) : new Chart(app, ns, { namespace: ns });
    const namespace = org ? ns : undefined;
    new NamespaceBaseline(scope, 'Baseline', { namespace, allowInternet: true });
    for (const p of TIER_POLICIES) {
      const peer = p.peerTier === undefined ? Peer.namespace(ENTRY_NAMESPACE) : Peer.pods({ [TIER_LABEL]: p.peerTier });
      const rule = { peers: [peer], ports: [Port.tcp(p.port)] };
      new Policy(scope, pascal(p.name), {
        namespace,
        podSelector: LabelSelector.labels({ [TIER_LABEL]: p.tier }),
        ingress: p.direction === 'Ingress' ? [{ from: rule.peers, ports: rule.ports }] : undefined,
        egress: p.direction === 'Egress' ? [{ to: rule.peers, ports: rule.ports }] : undefined,
      });
    }
  }
}

/** The same app with the linter as a validation of the whole app (`NetpolLint.addTo(app)`; the workload has no findings). */
export function buildNetpolLinted(app: App, n: number, layout: Layout): void {
  NetpolLint.addTo(app, { printWarnings: false });
  buildNetpol(app, n, layout);
}
