import { Construct } from 'constructs';
import { ClusterProfile } from '../cluster-profile';
import { DnsOptions } from './allow-dns';
import { LabelSelector } from '../label-selector';
import { PatternProps } from './pattern-props';
import { Direction } from '../direction';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port } from '../port';
import { checkDnsProp, dnsEgressRule } from './private/dns-rule';
import { BoundedCache } from '../private/bounded-cache';
import { PolicyError } from '../private/errors';
import { array, constructProps, given, optionalBoolean, props as checkProps, string } from '../private/runtime-check';

/**
 * One tier of a `TieredApp`.
 */
export interface Tier {
  /** The tier's name, e.g. `frontend`; also names its policy. */
  readonly name: string;

  /**
   * The tier's pods.
   *
   * @default - pods labelled `tier: <name>`
   */
  readonly podSelector?: LabelSelector;

  /** The ports the tier serves: the only ports on which the tier before it may reach it. */
  readonly ports: Port[];
}

/**
 * Properties of `TieredApp`.
 */
export interface TieredAppProps extends PatternProps {
  /** The tiers, in the order traffic flows (e.g. frontend, backend, database). At least one. */
  readonly tiers: Tier[];

  /**
   * Who may reach the first tier (on its ports), e.g. `[Peer.namespace('ingress-nginx')]`.
   * An empty list means nobody outside the app.
   */
  readonly entry: Peer[];

  /**
   * Whether every tier may resolve names through cluster DNS.
   *
   * @default true
   */
  readonly allowDns?: boolean;

  /**
   * Where cluster DNS runs, when `allowDns` is true.
   *
   * @default - where the cluster profile (`ClusterProfile.of(this)`) says DNS is: for GENERIC, UDP and TCP 53 to pods labelled k8s-app=kube-dns in kube-system
   */
  readonly dns?: DnsOptions;
}

/**
 * An application in tiers through which traffic flows in order, such as
 * frontend → backend → database. Every tier is isolated in both directions, with one
 * NetworkPolicy per tier:
 * - tier i accepts ingress only from tier i-1 on its own ports (the first tier: from `entry`);
 * - tier i may egress only to tier i+1 on that tier's ports, plus cluster DNS unless `allowDns` is false.
 *
 * @example
 * new TieredApp(chart, 'Shop', {
 *   entry: [Peer.namespace('ingress-nginx')],
 *   tiers: [
 *     { name: 'frontend', ports: [Port.tcp(8080)] },
 *     { name: 'backend', ports: [Port.tcp(9000)] },
 *     { name: 'database', ports: [Port.tcp(5432)] },
 *   ],
 * });
 */
export class TieredApp extends Construct {
  /** The tiers' policies, in tier order. */
  public readonly policies: Policy[];

  public constructor(scope: Construct, id: string, props: TieredAppProps) {
    const { where, props: p } = constructProps<TieredAppProps>('TieredApp', scope, id, props, ['tiers', 'entry', 'allowDns', 'dns'], false);
    if (!given(p.tiers) || (Array.isArray(p.tiers) && p.tiers.length === 0)) {
      throw new PolicyError(where, 'tiers is empty: list at least one tier, in the order traffic flows (e.g. frontend, backend, database)');
    }
    const tiers = array(where, 'tiers', p.tiers, 'tiers ({ name, ports, podSelector? })', (t, f) => {
      const tier = checkProps<Tier>(where, f, t as Tier, ['name', 'podSelector', 'ports']);
      const out = {
        name: string(where, `${f}.name`, tier.name, { nonEmpty: true, what: 'a tier name such as "frontend"' }),
        podSelector: given(tier.podSelector) ? LabelSelector._from(where, `${f}.podSelector`, tier.podSelector) : undefined,
        ports: array(where, `${f}.ports`, tier.ports, 'Ports (use [Port.allTraffic()] for every port)', (x, g) => Port._from(where, g, x)),
      };
      if (out.ports.length === 0) throw new PolicyError(where, `${f}.ports: []: a tier must list at least one port. Use [Port.allTraffic()] for every port and protocol`);
      return out;
    });
    // `entry: []` means nobody outside the app; a missing entry is an error, never "nobody" by accident
    const entry = array(where, 'entry', p.entry, 'Peers (use [] for nobody outside the app)', (e, f) => Peer._from(where, f, e));
    const allowDns = optionalBoolean(where, 'allowDns', p.allowDns) ?? true;
    const dns = checkDnsProp(where, 'dns', p.dns);
    const profile = ClusterProfile.of(scope);
    super(scope, id);
    // a construction that fails leaves nothing half-built in the tree
    try {
      const seen = new Set<string>();
      for (const tier of tiers) {
        if (seen.has(tier.name)) throw new PolicyError(this, `tier ${JSON.stringify(tier.name)} is listed twice: tier names must be unique`);
        seen.add(tier.name);
      }
      const selectors = tiers.map(t => t.podSelector ?? TIER_SELECTORS.get(t.name, tierSelector));
      this.policies = tiers.map((tier, i) => {
        const policy = new Policy(this, tier.name, {
          namespace: p.namespace,
          name: p.name !== undefined ? `${p.name}-${tier.name}` : undefined,
          podSelector: selectors[i],
          policyTypes: [Direction.INGRESS, Direction.EGRESS],
        });
        if (i === 0) {
          if (entry.length > 0) policy.addIngress({ from: entry, ports: tier.ports });
        } else {
          policy.addIngress({ from: [Peer.podsMatching(selectors[i - 1])], ports: tier.ports });
        }
        if (i + 1 < tiers.length) {
          policy.addEgress({ to: [Peer.podsMatching(selectors[i + 1])], ports: tiers[i + 1].ports });
        }
        if (allowDns) policy.addEgress(dnsEgressRule(dns, profile));
        return policy;
      });
    } catch (e) {
      scope.node.tryRemoveChild(id);
      throw e;
    }
  }
}

/**
 * The default selector of each tier name (`tier: <name>`): the shared value `LabelSelector.labels`
 * returns, looked up once per name (an app names the same tiers in every namespace, and reading and
 * checking the label map took about 5 µs a tier). Whether it is a valid selector is checked, as
 * before, by the policy that uses it.
 */
const TIER_SELECTORS = new BoundedCache<string, LabelSelector>();

function tierSelector(name: string): LabelSelector {
  return LabelSelector.labels({ tier: name });
}
