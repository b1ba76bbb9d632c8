/**
 * A small shop and flows observed in it, shared by the suggestion's tests and its guide.
 */
import { MatchedFlow, Protocol } from '../../src';
import { deployment, namespace } from '../fixtures/manifests';

/** The shop: web behind an ingress controller, api, db, and CoreDNS in kube-system. */
export function shopObjects(): any[] {
  return [
    namespace('shop'),
    namespace('ingress'),
    namespace('kube-system'),
    deployment('ingress', 'lb', { 'app.kubernetes.io/name': 'lb' }),
    deployment('shop', 'web', { 'app': 'web', 'tier': 'front', 'pod-template-hash': '5d9f8' }),
    deployment('shop', 'api', { app: 'api', tier: 'back' }),
    deployment('shop', 'db', { app: 'db', tier: 'back' }),
    deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }),
  ];
}

/** What was observed: the shop's traffic, with DNS and one call out of the cluster. */
export const SHOP_FLOWS = [
  { from: 'ingress/lb', to: 'shop/web', protocol: Protocol.TCP, port: 8080, count: 1200 },
  { from: 'shop/web', to: 'shop/api', protocol: Protocol.TCP, port: 8080, count: 900 },
  { from: 'shop/web', to: 'shop/api', protocol: Protocol.TCP, port: 8081, count: 10 },
  { from: 'shop/web', to: 'shop/api', protocol: Protocol.TCP, port: 9000, count: 3 },
  { from: 'shop/api', to: 'shop/db', protocol: Protocol.TCP, port: 5432, count: 400 },
  { from: 'shop/web', to: 'kube-system/coredns', protocol: Protocol.UDP, port: 53, count: 50 },
  { from: 'shop/api', to: 'kube-system/coredns', protocol: Protocol.UDP, port: 53, count: 20 },
  { from: 'shop/api', to: '203.0.113.10', protocol: Protocol.TCP, port: 443, count: 7 },
];

/** The same flows in the generic form of observed flows (docs/observed-traffic.md), as JSON lines. */
export function shopFlowsGeneric(flows: readonly MatchedFlow[] = SHOP_FLOWS): string {
  return flows.map(f => JSON.stringify({ source: f.from, destination: f.to, protocol: f.protocol, port: f.port, ...(f.count !== undefined ? { count: f.count } : {}) })).join('\n') + '\n';
}
