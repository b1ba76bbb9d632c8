import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowFromNamespace, DefaultDeny, Direction, LabelSelector, Peer, Policy, Port } from '../../src';
import { declareNamespace } from '../namespace';

/**
 * Cross-namespace allows into the `payments` namespace, whose pods are isolated for ingress.
 *
 * - By name: `api` accepts every pod of the `checkout` namespace (its
 *   `kubernetes.io/metadata.name` label, which the API server sets and nobody can change).
 * - By label: `ledger` accepts every pod of every namespace labelled `team: finance`
 *   (`reporting` and `audit`, and any finance namespace created later).
 * - AND, one peer with two selectors: `refunds` accepts the `checkout-api` pods of the
 *   `checkout` namespace, and nothing else.
 * - OR, two peers: `invoices` accepts every pod of the `checkout` namespace, and also the
 *   pods labelled `app: checkout-api` in `payments` itself (a lone pod selector means the
 *   policy's own namespace). Written by someone who meant the AND form, this is much wider.
 */
export class CrossNamespaceChart extends Chart {
  public static readonly NAMESPACE = 'payments';

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: CrossNamespaceChart.NAMESPACE });
    declareNamespace(this, CrossNamespaceChart.NAMESPACE, { team: 'payments' });
    declareNamespace(this, 'checkout', { team: 'shop' });
    declareNamespace(this, 'reporting', { team: 'finance' });
    declareNamespace(this, 'audit', { team: 'finance' });

    new DefaultDeny(this, 'DenyIngress', { directions: [Direction.INGRESS] });

    // By name.
    new AllowFromNamespace(this, 'ApiFromCheckout', {
      podSelector: LabelSelector.labels({ app: 'api' }),
      fromNamespace: 'checkout',
      ports: [Port.tcp(8443)],
    });

    // By label.
    new AllowFromNamespace(this, 'LedgerFromFinance', {
      podSelector: LabelSelector.labels({ app: 'ledger' }),
      fromNamespaceLabels: { team: 'finance' },
      ports: [Port.tcp(8443)],
    });

    // AND: one peer, `namespaceSelector` and `podSelector` side by side; both must hold.
    new Policy(this, 'RefundsFromCheckoutApi', {
      podSelector: LabelSelector.labels({ app: 'refunds' }),
      ingress: [{
        from: [Peer.podsInNamespace('checkout', { app: 'checkout-api' })],
        ports: [Port.tcp(8443)],
      }],
    });

    // OR: two peers, two list entries; either one suffices.
    new Policy(this, 'InvoicesFromCheckoutOrLocalApi', {
      podSelector: LabelSelector.labels({ app: 'invoices' }),
      ingress: [{
        from: [Peer.namespace('checkout'), Peer.pods({ app: 'checkout-api' })],
        ports: [Port.tcp(8443)],
      }],
    });
  }
}
