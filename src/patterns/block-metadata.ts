import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ClusterProfile } from '../cluster-profile';
import { CLOUD_METADATA_CIDRS } from '../constants';
import { LabelSelector, LabelSelectorConfig } from '../label-selector';
import { PatternProps } from './pattern-props';
import { Direction } from '../direction';
import { cidrList } from './private/cidr-list';
import { IpBlock } from '../model/ip-block';
import { expandList } from '../model/list-items';
import { isNetworkPolicyObject, readNetworkPolicy } from '../model/network-policy';
import { parseCidrSloppy } from '../net/cidr';
import { Peer } from '../peer';
import { Policy } from '../policy';
import { Port, PortConfig } from '../port';
import { BoundedCache } from '../private/bounded-cache';
import { canonical } from '../private/canonical';
import { PolicyError } from '../private/errors';
import { constructProps, freezeStatics, given, namespaceName, optionalBoolean } from '../private/runtime-check';
import { selectorsDisjoint } from '../private/selector-overlap';
import { RenderJudge, addWholeAppValidation, apiObjectsOf, isAttached, isTampered, isTrusted, memoizeForTree, patchCount, renderJudged } from '../private/synth-memo';
import { NetworkPolicyValidator } from '../validation/network-policy-validator';

/**
 * Properties of `BlockMetadata`.
 */
export interface BlockMetadataProps extends PatternProps {
  /**
   * The pods that must never reach the metadata endpoints.
   *
   * @default - every pod in the namespace
   */
  readonly podSelector?: LabelSelector;

  /**
   * The metadata endpoints, as CIDRs.
   *
   * @default - the cluster profile's (`ClusterProfile.of(this).metadataCidrs()`; BlockMetadata.CLOUD_METADATA_CIDRS for GENERIC)
   */
  readonly addresses?: string[];

  /**
   * Whether to emit the egress policy that allows every address except the metadata
   * endpoints (`0.0.0.0/0` and `::/0`, all ports, with the endpoints in `except`). Without
   * it, only the guarantee remains: synthesis fails if any egress rule for these pods could
   * reach an endpoint.
   *
   * @default true
   */
  readonly allowInternet?: boolean;
}

/**
 * Keeps cloud instance-metadata endpoints unreachable from the selected pods.
 *
 * NetworkPolicies cannot deny: they only allow, and policies add up. So the block is a
 * guarantee over the whole app, checked at synthesis: it fails, naming the offending policy
 * and rule, when any egress rule of a policy in the same namespace that may select the same
 * pods could reach an endpoint (a rule with no `to`, which reaches every address, or an
 * ipBlock that covers an endpoint without excepting it). Selectors count as overlapping
 * unless their labels make that impossible.
 *
 * By default it also emits the egress policy "everything except the metadata endpoints"
 * (`policyTypes: [Egress]`), which isolates the selected pods for egress. Whether an
 * ipBlock such as `0.0.0.0/0` also matches pod IPs depends on the network plugin (Calico:
 * yes, so pods stay reachable; Cilium: no, so allow in-cluster egress with another policy).
 *
 * The endpoints are the cluster profile's (`ClusterProfile.of(this)`): with GENERIC,
 * `169.254.169.254/32` (AWS, GCP, Azure, OpenStack, ...), `100.100.100.200/32` (Alibaba Cloud)
 * and `fd00:ec2::254/128` (AWS IPv6). The profile's documented exceptions stay open and nothing
 * else: with GKE_CLOUD_DNS, a rule may reach 169.254.169.254 on UDP and TCP 53 (the pods' DNS
 * server there), and a rule that could reach it on any other port fails the guarantee.
 *
 * @example
 * new BlockMetadata(chart, 'BlockMetadata');
 * new BlockMetadata(chart, 'MetadataGuard', { allowInternet: false }); // guarantee only
 */
export class BlockMetadata extends Construct {
  /** The instance-metadata endpoints of the common clouds (frozen: a shared default cannot be changed). */
  public static readonly CLOUD_METADATA_CIDRS: string[] = Object.freeze([...CLOUD_METADATA_CIDRS]) as string[];

  /**
   * The "everything but metadata" egress policy.
   *
   * @default - none when `allowInternet` is false
   */
  public readonly policy?: Policy;
  /** The blocked endpoints. */
  public readonly addresses: string[];
  /** The namespace whose pods are protected. */
  public readonly namespace: string;
  /** The protected pods. */
  public readonly podSelector: LabelSelector;

  public constructor(scope: Construct, id: string, props: BlockMetadataProps = {}) {
    const { where, props: p } = constructProps<BlockMetadataProps>('BlockMetadata', scope, id, props, ['podSelector', 'addresses', 'allowInternet'], true);
    // each address must be a CIDR the API server accepts (a bare address is an error with a did-you-mean)
    const profile = ClusterProfile.of(scope);
    // each address must be a CIDR the API server accepts (a bare address is an error with a did-you-mean)
    const addresses = p.addresses !== undefined ? cidrList(where, 'addresses', p.addresses).map(a => a.text) : profile.metadataCidrs();
    const podSelector = given(p.podSelector) ? LabelSelector._from(where, 'podSelector', p.podSelector) : LabelSelector.all();
    const allowInternet = optionalBoolean(where, 'allowInternet', p.allowInternet) ?? true;
    super(scope, id);
    // a construction that fails leaves nothing half-built in the tree
    try {
      this.addresses = Object.freeze([...addresses]) as string[];
      if (this.addresses.length === 0) {
        throw new PolicyError(this, 'addresses is empty: list the metadata endpoints to block as CIDRs, or leave it unset for BlockMetadata.CLOUD_METADATA_CIDRS');
      }
      this.podSelector = podSelector;

      if (allowInternet) {
        const v4 = this.addresses.filter(a => !a.includes(':'));
        const v6 = this.addresses.filter(a => a.includes(':'));
        this.policy = new Policy(this, 'Default', {
          namespace: p.namespace,
          name: p.name,
          podSelector,
          egress: [{ to: [Peer.anyIpv4(v4.length ? v4 : undefined), Peer.anyIpv6(v6.length ? v6 : undefined)], ports: [Port.allTraffic()] }],
        });
        this.namespace = this.policy.namespace;
      } else {
        const namespace = p.namespace ?? Chart.of(this).namespace;
        if (namespace === undefined) {
          throw new PolicyError(this, 'no namespace: set `namespace` on this construct or on its chart, so that it is clear which pods are protected');
        }
        // a namespace no namespace can have ('Shop', 'shop ', '') would protect nothing, silently
        this.namespace = namespaceName(this, p.namespace !== undefined ? 'namespace' : 'namespace (of the chart)', namespace);
      }
      registerGuard(this, this.namespace, podSelector, addresses, exceptionsFor(profile, addresses));
    } catch (e) {
      scope.node.tryRemoveChild(id);
      throw e;
    }
  }
}

freezeStatics(BlockMetadata, ['CLOUD_METADATA_CIDRS']);

/** What the guard reads of each BlockMetadata, recorded at construction (its public fields are informational). */
interface GuardedBlock {
  readonly block: BlockMetadata;
  readonly namespace: string;
  readonly podSelector: LabelSelectorConfig;
  readonly addresses: string[];
  /** The ports on which each address (by CIDR) may be reached, from the cluster profile; none for most. */
  readonly exceptions: ReadonlyMap<string, readonly PortConfig[]>;
}

/** The profile's exceptions for the guarded CIDRs (`169.254.169.254/32` -> its ports). */
function exceptionsFor(profile: ClusterProfile, addresses: readonly string[]): ReadonlyMap<string, readonly PortConfig[]> {
  const out = new Map<string, PortConfig[]>();
  for (const e of profile.metadataExceptions) {
    const cidr = `${e.address}/${e.address.includes(':') ? 128 : 32}`;
    if (addresses.includes(cidr)) out.set(cidr, [...out.get(cidr) ?? [], ...e.ports.map(p => p._config()!)]);
  }
  return out;
}

/**
 * One guard per app (per copy of this library: each copy checks its own blocks against every
 * NetworkPolicy of the app, those of other copies as they render) checks every BlockMetadata
 * against every NetworkPolicy in one pass, as one validation of the app, hosted by the first
 * block (see `addWholeAppValidation`); it reads only the blocks still in the tree, so removing a
 * block (`node.tryRemoveChild()`) neither drops the guard of the others nor keeps its own.
 */
const guards = new WeakMap<IConstruct, GuardedBlock[]>();

function registerGuard(
  block: BlockMetadata, namespace: string, podSelector: LabelSelector, addresses: string[], exceptions: ReadonlyMap<string, readonly PortConfig[]>,
): void {
  const root = block.node.root;
  let blocks = guards.get(root);
  if (!blocks) {
    const list: GuardedBlock[] = blocks = [];
    guards.set(root, list);
    addWholeAppValidation(block, () => memoizeForTree(list, root, () => findMetadataLeaks(root, list), MEMO_OPTIONS));
  }
  blocks.push({ block, namespace, podSelector: podSelector._config(), addresses: Object.freeze([...addresses]) as string[], exceptions });
}

/**
 * The guard reads NetworkPolicies and Lists (which may hold them), and whatever a JSON patch may
 * turn into one; this library's own Policies through their rules.
 */
const MEMO_OPTIONS = { reads: (o: ApiObject) => o.kind === 'NetworkPolicy' || o.kind.endsWith('List'), trustTracked: true, readsMetadata: false };

/** The blocks still in the tree, by namespace. */
function attachedByNamespace(blocks: readonly GuardedBlock[]): Map<string, GuardedBlock[]> {
  const byNamespace = new Map<string, GuardedBlock[]>();
  for (const b of blocks) {
    if (isAttached(b.block)) byNamespace.set(b.namespace, [...(byNamespace.get(b.namespace) ?? []), b]);
  }
  return byNamespace;
}

/**
 * The check of one rendered object, for every block of the app: run when the guard reads the
 * object, and again on every later rendering that differs (what is written; see `renderJudged`).
 */
const judges = new WeakMap<GuardedBlock[], RenderJudge>();

function judgeOf(blocks: GuardedBlock[]): RenderJudge {
  let judge = judges.get(blocks);
  if (!judge) {
    judge = (o, rendered) => isAttached(o) ? leaksInRendered(o, rendered, attachedByNamespace(blocks)) : [];
    judges.set(blocks, judge);
  }
  return judge;
}

/** The messages for every egress rule that could reach a blocked endpoint from protected pods. */
function findMetadataLeaks(root: IConstruct, blocks: GuardedBlock[]): string[] {
  const byNamespace = attachedByNamespace(blocks);
  const judge = judgeOf(blocks);
  const messages: string[] = [];
  const { objects, allTrusted } = apiObjectsOf(root);
  for (const c of objects) {
    if (allTrusted || isTrusted(c)) {
      // this library's Policy, rendering exactly its rules (validated when they were added); its
      // path is computed only for a message (it walks the tree up to the root)
      const candidates = byNamespace.get(c.metadata.namespace ?? '');
      const egress = candidates ? egressOfPolicy(c as Policy) : undefined;
      if (candidates && egress) messages.push(...policyLeaks(() => `NetworkPolicy ${c.metadata.namespace}/${c.name} (${c.node.path})`, egress, candidates));
      continue;
    }
    // every other object that is or may hold a NetworkPolicy is read as it renders, and what it
    // writes is judged again if it renders differently (an object with JSON patches may be anything)
    if (patchCount(c) === 0 && !isTampered(c) && !isNetworkPolicyObject({ kind: c.kind, apiVersion: c.apiVersion }) && !c.kind.endsWith('List')) continue;
    const read = renderJudged(c, judge);
    if (read.problem !== undefined) {
      messages.push(`BlockMetadata: ${c.kind} ${c.name} (${c.node.path}) cannot be checked, because ${read.problem}`);
      continue;
    }
    messages.push(...read.messages!);
  }
  return messages;
}

/**
 * The leaks of one rendered object: a NetworkPolicy, or the NetworkPolicies of a `List` (the one
 * expansion of lists, `model/list-items`). A policy without a namespace (a List item, which
 * `kubectl apply` puts in the namespace of its context) may land in any namespace: every block
 * judges it.
 */
function leaksInRendered(c: IConstruct, rendered: any, byNamespace: Map<string, GuardedBlock[]>): string[] {
  const messages: string[] = [];
  for (const entry of expandList(rendered)) {
    const object = entry.object;
    if (object === undefined || !isNetworkPolicyObject(object)) continue;
    const namespace = object.metadata?.namespace;
    const candidates = typeof namespace === 'string' && namespace !== ''
      ? byNamespace.get(namespace)
      : [...byNamespace.values()].flat();
    if (!candidates || candidates.length === 0) continue;
    const name = object.metadata?.name;
    const where = `NetworkPolicy ${typeof namespace === 'string' && namespace !== '' ? namespace : '(no namespace)'}/${typeof name === 'string' ? name : '(unnamed)'} `
      + `(${c.node.path}${entry.item !== undefined ? `, List item ${entry.item}` : ''})`;
    const egress = egressOfRendered(object);
    if (typeof egress === 'string') {
      // fail closed: a policy that cannot be read cannot be shown to keep the endpoints unreachable
      messages.push(`BlockMetadata: ${where} cannot be checked, because the API server would reject it: ${egress}`);
      continue;
    }
    if (egress) messages.push(...policyLeaks(() => where, egress, candidates));
  }
  return messages;
}

/** The messages for the egress rules of one policy that reach a blocked endpoint from pods of a block (`where` names the policy). */
function policyLeaks(where: () => string, egress: { podSelector: any; rules: EgressRule[] }, candidates: readonly GuardedBlock[]): string[] {
  const messages: string[] = [];
  for (const block of candidates) {
    if (selectorsDisjoint(block.podSelector, egress.podSelector)) continue;
    const addresses = block.addresses.join(',') + (block.exceptions.size > 0 ? ` ${canonical([...block.exceptions])}` : '');
    egress.rules.forEach((rule, i) => {
      for (const leak of ruleLeaks(rule, block, addresses)) {
        messages.push(`BlockMetadata: ${where()} `
          + `spec.egress[${i}]${leak}: metadata endpoints must stay unreachable. Narrow the rule, or add the endpoints to the ipBlock's except`);
      }
    });
  }
  return messages;
}

/** The egress of this library's Policy, from its rules (no rendering), `undefined` when it cannot reach addresses. */
function egressOfPolicy(c: Policy): { podSelector: any; rules: EgressRule[] } | undefined {
  return c._egressToAddresses() && c.policyTypes.includes(Direction.EGRESS)
    ? {
      podSelector: c.podSelector._config(),
      rules: c._egressRules().map(r => ({
        ipBlocks: r.peers?.map(p => p.ipBlock),
        ports: r.ports,
        key: r.peers ? r.peerKeys.join('\u0000') : '*',
        portKey: r.ports ? r.portKeys.join('\u0000') : '*',
      })),
    }
    : undefined;
}

/**
 * The pod selector and egress rules of a rendered NetworkPolicy that isolates egress,
 * `undefined` when it does not, or why it cannot be read: through the one policy model
 * (validated and defaulted as on the API server).
 */
function egressOfRendered(rendered: any): { podSelector: any; rules: EgressRule[] } | string | undefined {
  const read = readNetworkPolicy(rendered, { defaultNamespace: '' });
  if (!read.policy) return NetworkPolicyValidator.formatError(read.errors[0]);
  if (!read.policy.isolatesEgress) return undefined;
  return {
    podSelector: rendered.spec?.podSelector ?? {},
    rules: read.policy.egress.map(r => ({
      ipBlocks: r.peers?.map(p => p.ipBlock && { cidr: p.ipBlock.cidr, except: [...p.ipBlock.except] }),
      ports: r.ports?.map(p => p.name !== undefined
        ? { protocol: p.protocol, port: p.name }
        : { protocol: p.protocol, port: p.port, endPort: p.endPort }),
    })),
  };
}

/** Equal rules recur across namespaces (DNS, internet egress): each is analysed once per address list. */
const LEAKS = new BoundedCache<string, string[]>();

/**
 * An egress rule as the guarantee reads it: for each peer of its `to`, the peer's ipBlock
 * (`undefined` for a selector peer); no `to` at all when `ipBlocks` is `undefined`. A Policy's
 * rules carry the keys of their peers in order.
 */
interface EgressRule {
  readonly ipBlocks?: readonly ({ readonly cidr: string; readonly except?: readonly string[] } | undefined)[];
  /** The rule's ports; `undefined` for every port of every protocol. */
  readonly ports?: readonly PortConfig[];
  readonly key?: string;
  /** A Policy rule's port keys, in order. */
  readonly portKey?: string;
}

function ruleLeaks(rule: EgressRule, block: GuardedBlock, addressesKey: string): string[] {
  // Messages name peers by index, so the key keeps their order (a Policy rule's own key sorts them).
  // the ports matter only against exceptions
  const ports = block.exceptions.size === 0 ? '' : ` ${rule.portKey ?? canonical(rule.ports ?? null)}`;
  const key = `${addressesKey} ${rule.key !== undefined ? `p:${rule.key}` : `j:${canonical(rule.ipBlocks ?? null)}`}${ports}`;
  return LEAKS.get(key, () => leaks(rule, block));
}

/**
 * How one egress rule reaches a blocked endpoint, if it does: each a field suffix and a reason.
 * An address reached only on ports of its exceptions (the cluster profile's) is not a leak.
 */
function leaks(rule: EgressRule, guarded: GuardedBlock): string[] {
  const addresses = guarded.addresses.filter(a => !withinExceptions(rule.ports, guarded.exceptions.get(a)));
  if (addresses.length === 0) return [];
  if (!rule.ipBlocks || rule.ipBlocks.length === 0) {
    return [` has no \`to\`, so it allows every address, including ${addresses.join(', ')}${onPorts(rule, guarded)}`];
  }
  const out: string[] = [];
  rule.ipBlocks.forEach((ipBlock, j) => {
    if (!ipBlock) return;
    const block = IpBlock.fromValid({ cidr: ipBlock.cidr, except: [...(ipBlock.except ?? [])] });
    const reached = addresses.filter(a => block.mayReach(parsed(a)!));
    if (reached.length > 0) out.push(`.to[${j}] ipBlock ${ipBlock.cidr} covers ${reached.join(', ')} without excepting it${onPorts(rule, guarded)}`);
  });
  return out;
}

/** For a block with exceptions: which ports the rule opens beyond them. */
function onPorts(rule: EgressRule, guarded: GuardedBlock): string {
  if (guarded.exceptions.size === 0) return '';
  const allowed = [...guarded.exceptions].map(([a, ports]) => `${a} on ${ports.map(portText).join(', ')}`).join('; ');
  return ` on ${rule.ports ? rule.ports.map(portText).join(', ') : 'every port'} (the cluster profile allows only ${allowed})`;
}

function portText(p: PortConfig): string {
  if (p.port === undefined) return `${p.protocol}/*`;
  return p.endPort !== undefined ? `${p.protocol}/${p.port}-${p.endPort}` : `${p.protocol}/${p.port}`;
}

/**
 * Whether every port a rule opens lies inside the exception ports (same protocol, numeric,
 * within the range); a rule of every port, a whole protocol or a named port never does.
 */
function withinExceptions(ports: readonly PortConfig[] | undefined, exceptions: readonly PortConfig[] | undefined): boolean {
  if (!exceptions || !ports || ports.length === 0) return false;
  return ports.every(p => typeof p.port === 'number' && exceptions.some(e => e.protocol === p.protocol && typeof e.port === 'number'
    && e.port <= p.port && (p.endPort ?? p.port) <= (e.endPort ?? e.port)));
}

/** The same few CIDRs recur in every namespace's rules: each text is parsed once. */
const PARSED = new BoundedCache<string, ReturnType<typeof parseCidrSloppy>>();

function parsed(text: string): ReturnType<typeof parseCidrSloppy> {
  return PARSED.get(text, parseCidrSloppy);
}
