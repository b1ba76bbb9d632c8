import { App, Chart, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterModel } from '../analysis/cluster-model';
import { isExternalName } from '../analysis/flow-filter';
import { ClusterProfile } from '../cluster-profile';
import { MatchedFlow } from './matched-flow';
import { proveSuggestion } from './prove-suggestion';
import { SuggestOptions } from './suggest-options';
import { SkippedFlow, SuggestedBaseline, SuggestedDnsAccess, SuggestedPolicy } from './suggested-policy';
import { addPlan, planCode } from './suggestion-constructs';
import { SuggestionPlan, planSuggestion } from './suggestion-plan';
import { SuggestionProof } from './suggestion-proof';
import { parseCidrSloppy } from '../net/cidr';
import { matchFlows } from '../observed/endpoint-matcher';
import { ObservedVerdict } from '../observed/observed-flow';
import { ObservedFlows } from '../observed/observed-flows';
import { UnmatchedFlow } from '../observed/replay-report';
import { deepFreeze, lockInstance } from '../private/canonical';
import { array, constructArg, fail, optionalBoolean, props, string } from '../private/runtime-check';
import { NetworkPolicyValidator } from '../validation/network-policy-validator';

const WHERE = 'PolicySuggestion.fromFlows';
const WHERE_OBSERVED = 'PolicySuggestion.fromObserved';

/** The unmatched flows the proof text lists before it only counts the rest. */
const LISTED_UNMATCHED = 100;

/**
 * Least-privilege NetworkPolicies from observed flows: policies that allow exactly the flows
 * seen between the input's workloads, written as a person would write them, with the engine's
 * proof.
 *
 * Without current policies in the model (it has no NetworkPolicy), the suggestion is complete:
 * a `NamespaceBaseline` per namespace of the input (default deny both ways, the metadata
 * guarantee, and DNS where a workload of the namespace was seen using cluster DNS), then one
 * `Policy` per workload and direction that saw traffic. Its `podSelector` is the fewest stable
 * labels that select exactly the workload's pods in its namespace; peers are workloads by the
 * same labels (with their namespace's `kubernetes.io/metadata.name` when it is another
 * namespace) and addresses as /32 or /128 ipBlocks; peers seen on the same ports share a rule,
 * and consecutive observed ports become a range (a gap never does). Workloads of the profile's
 * system namespaces get no policy (the platform's business).
 *
 * With current policies in the model, the suggestion is only the additions: for each observed
 * flow the current policies deny, a rule on the side that denies it (DNS as an `AllowDns` for
 * the workload). Policies only add up, so additions never narrow what is allowed now.
 *
 * Flows to a cloud metadata endpoint (other than the profile's DNS there) and flows of a
 * workload no label tells apart from its neighbours are not suggested (`skipped`, with why).
 *
 * The proof (`proof`) is the engine's: the input with the suggested policies added allows every
 * observed flow, and no pair of the input's workloads is allowed beyond what was observed (or,
 * with current policies, beyond what they already allowed); pairs that are, and why, are listed.
 *
 * @example
 * const model = ClusterModel.fromChart(chart);
 * const suggestion = PolicySuggestion.fromFlows(model, [
 *   { from: 'shop/web', to: 'shop/db', protocol: Protocol.TCP, port: 5432 },
 * ]);
 * console.log(suggestion.toYaml());
 *
 * // or from a recorder's files (Hubble, Calico, Inspektor Gadget, the generic form)
 * void ObservedFlows.fromFiles(['flows.json']).then(observed => {
 *   console.log(PolicySuggestion.fromObserved(model, observed).toYaml());
 * });
 */
export class PolicySuggestion {
  /**
   * The suggestion for flows read from a recorder (`ObservedFlows.fromFiles()`): each flow is
   * matched to the model's endpoints exactly as `FlowReplay.replay()` matches it (namespace and
   * pod name, workload name, labels, then IP; an address outside the cluster stays an address),
   * and the matched flows are suggested as `fromFlows()` suggests them. A flow that matches
   * nothing in the input, or whose two ends are both outside the cluster (no NetworkPolicy
   * decides it), is not suggested and not dropped: it is in `unmatched`, with the reason and
   * where it was first seen, and listed in the proof's comments.
   *
   * @param model the input: its workloads, and its current policies if any
   * @param observed the observed flows
   * @param options the profile, and how to treat external addresses
   */
  public static fromObserved(model: ClusterModel, observed: ObservedFlows, options: SuggestOptions = {}): PolicySuggestion {
    if (!(model instanceof ClusterModel)) fail(WHERE_OBSERVED, 'model', model, 'must be a ClusterModel (ClusterModel.fromObjects, fromChart or fromApp)');
    if (!(observed instanceof ObservedFlows)) fail(WHERE_OBSERVED, 'observed', observed, 'must be ObservedFlows (ObservedFlows.fromFiles() or fromText())');
    const unmatched: UnmatchedFlow[] = [];
    const flows: MatchedFlow[] = [];
    const dropped: MatchedFlow[] = [];
    for (const m of matchFlows(model, observed.flows, unmatched)) {
      const f = m.flow;
      if (isExternalName(m.from) && isExternalName(m.to)) {
        unmatched.push({
          source: m.from,
          destination: m.to,
          protocol: f.protocol,
          port: f.port,
          count: f.count,
          firstSeen: f.firstSeen,
          reason: 'neither end is a pod or workload of the input: no NetworkPolicy decides a flow between two addresses outside the cluster',
        });
        continue;
      }
      (f.verdict === ObservedVerdict.DENIED ? dropped : flows).push({ from: m.from, to: m.to, protocol: f.protocol, port: f.port, count: f.count });
    }
    return PolicySuggestion.make(WHERE_OBSERVED, model, flows, options, unmatched, dropped);
  }

  /**
   * The suggestion for `flows` on `model`.
   *
   * @param model the input: its workloads (pods, Deployments, ...), and its current policies if any
   * @param flows the observed flows, matched to the model's endpoints (names as `netpol list` writes them)
   * @param options the profile, and how to treat external addresses
   * @throws if a flow is not a `MatchedFlow` or names an endpoint the model does not have (the error names the flow)
   */
  public static fromFlows(model: ClusterModel, flows: MatchedFlow[], options: SuggestOptions = {}): PolicySuggestion {
    return PolicySuggestion.make(WHERE, model, flows, options, [], []);
  }

  /** Checks the arguments, plans and proves the suggestion. */
  private static make(where: string, model: ClusterModel, flows: MatchedFlow[], options: SuggestOptions,
    unmatched: UnmatchedFlow[], dropped: MatchedFlow[]): PolicySuggestion {
    if (!(model instanceof ClusterModel)) fail(where, 'model', model, 'must be a ClusterModel (ClusterModel.fromObjects, fromChart or fromApp)');
    const list = array(where, 'flows', flows, 'matched flows ({ from, to, protocol, port, count? })', v => v);
    const o = props<SuggestOptions>(where, 'options', options, ['profile', 'anywhereForExternal', 'clusterCidrs', 'includeDropped'], { optional: true });
    const profile = o.profile === undefined ? ClusterProfile.GENERIC : ClusterProfile._from(where, 'options.profile', o.profile);
    const anywhereForExternal = optionalBoolean(where, 'options.anywhereForExternal', o.anywhereForExternal) ?? false;
    const includeDropped = optionalBoolean(where, 'options.includeDropped', o.includeDropped) ?? false;
    const clusterCidrs = o.clusterCidrs === undefined ? [] : array(where, 'options.clusterCidrs', o.clusterCidrs, 'CIDRs (strings)', (v, f) => {
      const text = string(where, f, v, { what: 'a CIDR such as "10.0.0.0/8"' });
      return parseCidrSloppy(text) ?? fail(where, f, text, 'is not a CIDR: write an IPv4 or IPv6 network such as "10.0.0.0/8" or "fd00::/48"');
    });
    const plan = planSuggestion(model, includeDropped ? [...list, ...dropped] : list, { profile, anywhereForExternal, clusterCidrs });
    return new PolicySuggestion(model, plan, profile, unmatched, { flows: dropped, included: includeDropped });
  }

  /** Whether the model had current policies, so that only what they deny was suggested. */
  public readonly additionsOnly: boolean;
  /** The observed flows: checked, named as the model names them, duplicates merged (their counts added), sorted. */
  public readonly flows: MatchedFlow[];
  /** The observed flows the model already allows (its current policies, or an endpoint's traffic to itself). */
  public readonly alreadyAllowed: MatchedFlow[];
  /** The observed flows not suggested, with why. */
  public readonly skipped: SkippedFlow[];
  /**
   * The observed flows that match nothing in the input (`fromObserved()`), with why and where
   * each was first seen: not suggested, not checked by the proof.
   */
  public readonly unmatched: UnmatchedFlow[];
  /**
   * The observed flows the recorder reported as dropped (`fromObserved()`), as matched.
   *
   * They are left out of the suggestion unless `includeDropped` was set (`droppedIncluded`),
   * and listed in the proof either way.
   */
  public readonly dropped: MatchedFlow[];
  /** Whether the flows reported as dropped were suggested like the others (`includeDropped`). */
  public readonly droppedIncluded: boolean;
  /** The namespace baselines (none when the model had current policies). */
  public readonly baselines: SuggestedBaseline[];
  /** DNS egress per workload (only when the model had current policies that deny it). */
  public readonly dnsAccess: SuggestedDnsAccess[];
  /** The policies, one per workload and direction, sorted by workload (ingress first). */
  public readonly policies: SuggestedPolicy[];
  /** The engine's check of the suggestion. */
  public readonly proof: SuggestionProof;
  /** The profile the suggestion was made for. */
  public readonly profile: ClusterProfile;

  private readonly plan: SuggestionPlan;
  private readonly objects: readonly any[];

  private constructor(model: ClusterModel, plan: SuggestionPlan, profile: ClusterProfile, unmatched: UnmatchedFlow[],
    dropped: { flows: MatchedFlow[]; included: boolean }) {
    this.plan = deepFreeze(plan);
    this.unmatched = deepFreeze(unmatched);
    this.dropped = deepFreeze(dropped.flows);
    this.droppedIncluded = dropped.included;
    this.profile = profile;
    this.additionsOnly = plan.additions;
    this.flows = plan.flows as MatchedFlow[];
    this.alreadyAllowed = plan.alreadyAllowed as MatchedFlow[];
    this.skipped = plan.skipped as SkippedFlow[];
    this.baselines = plan.baselines as SuggestedBaseline[];
    this.dnsAccess = plan.dnsAccess as SuggestedDnsAccess[];
    this.policies = plan.policies as SuggestedPolicy[];
    this.objects = deepFreeze(this.synthesize());
    this.proof = deepFreeze(proveSuggestion(model, model._withPolicies(this.objects), plan));
    lockInstance(this);
  }

  /**
   * Adds the suggested constructs to a scope (set the same cluster profile there first with
   * `ClusterProfile.use`): what `toTypeScript()` writes.
   */
  public addTo(scope: Construct): void {
    constructArg('PolicySuggestion.addTo', 'scope', scope);
    addPlan(scope, this.plan);
  }

  /** The suggested NetworkPolicy objects, as synthesized and validated, in a stable order (copies). */
  public toObjects(): any[] {
    return JSON.parse(JSON.stringify(this.objects));
  }

  /** The suggested NetworkPolicies as YAML documents, the proof first as comments. */
  public toYaml(): string {
    const header = this.proofText().split('\n').filter(l => l !== '').map(l => `# ${l}`.trimEnd()).join('\n') + '\n';
    return this.objects.length === 0 ? header : `${header}${Yaml.stringify(...this.objects)}`;
  }

  /**
   * The suggestion as a cdk8s app of this library's constructs (`NamespaceBaseline`, `AllowDns`,
   * `Policy` with `Peer` and `Port`), the proof first as comments. It synthesizes to `toYaml()`'s objects.
   */
  public toTypeScript(): string {
    return planCode(this.plan, this.profile, this.proofText().split('\n').filter(l => l !== ''));
  }

  /** The proof as text: what was checked, and every flow or pair that breaks it, with why. */
  public proofText(): string {
    const p = this.proof;
    const extra = p.extraPairs.filter(x => !x.dns);
    const dns = p.extraPairs.filter(x => x.dns);
    const flow = (f: MatchedFlow) => `${f.from} => ${f.to} ${f.protocol}/${f.port}`;
    const lines = [
      `Suggested from ${this.flows.length} distinct observed flows, profile ${this.profile.name}`
        + (this.additionsOnly ? `: only what the current policies deny (${this.alreadyAllowed.length} already allowed).` : '.'),
      'Checked by the connectivity engine on the input\'s workloads with the suggested policies added:',
      `  observed flows allowed: ${p.flowsAllowed} of ${p.flowsChecked}`,
      ...(this.unmatched.length === 0 ? [] : [
        `  observed flows matching nothing in the input (not suggested, not checked): ${this.unmatched.length}`,
        ...this.unmatched.slice(0, LISTED_UNMATCHED).map(u => `  unmatched: ${u.source} => ${u.destination} ${u.protocol}/${u.port}`
          + ` (seen ${u.count === 1 ? 'once' : `${u.count} times`}, first at ${u.firstSeen}): ${u.reason}`),
        ...(this.unmatched.length > LISTED_UNMATCHED ? [`  and ${this.unmatched.length - LISTED_UNMATCHED} more unmatched flows`] : []),
      ]),
      ...(this.dropped.length === 0 ? [] : [
        this.droppedIncluded
          ? `  observed flows the recorder reported dropped, suggested on request (includeDropped): ${this.dropped.length}`
          : `  observed flows the recorder reported dropped (the cluster denies them today), not suggested: ${this.dropped.length}; `
            + 'suggest them with includeDropped (--include-dropped) if they are dependencies, not scans or mistakes',
        ...this.dropped.slice(0, LISTED_UNMATCHED).map(f => `  dropped: ${flow(f)}`),
        ...(this.dropped.length > LISTED_UNMATCHED ? [`  and ${this.dropped.length - LISTED_UNMATCHED} more flows reported dropped`] : []),
      ]),
      ...p.denied.map(d => `  denied: ${flow(d.flow)}: ${d.reason}`),
      ...this.skipped.map(s => `  not suggested: ${flow(s.flow)}: ${s.reason}`),
      `  pairs of the input's workloads allowed beyond the observed flows: ${extra.length === 0 ? 'none' : extra.length}`,
      ...extra.map(x => `  beyond: ${x.from} => ${x.to} : ${x.allowed}: ${x.reason}`),
      ...(dns.length === 0 ? [] : [
        `  and, by design, cluster DNS on every DNS port of the profile for the pods given DNS: ${dns.length} pairs`,
        ...dns.map(x => `  dns: ${x.from} => ${x.to} : ${x.allowed}`),
      ]),
      p.holds ? 'The proof holds.' : 'The proof does not hold: see the lines above.',
    ];
    return lines.join('\n') + '\n';
  }

  /** Builds the constructs in a chart of their own and synthesizes them; each object checked by the validator. */
  private synthesize(): any[] {
    const chart = new Chart(new App(), 'suggested-policies');
    ClusterProfile.use(chart, this.profile);
    addPlan(chart, this.plan);
    const objects = chart.toJson();
    for (const obj of objects) {
      const result = NetworkPolicyValidator.validate(obj);
      if (!result.valid) {
        throw new Error(`internal error: the suggested NetworkPolicy ${obj.metadata?.namespace}/${obj.metadata?.name} is invalid: `
          + result.errors.map(e => NetworkPolicyValidator.formatError(e)).join('; '));
      }
    }
    return objects;
  }
}
