import type { MatchedFlow } from './matched-flow';

/** A pair of the input's workloads that the suggestion allows beyond what was observed. */
export interface ExtraPair {
  /** The source (`namespace/name`). */
  readonly from: string;
  /** The destination (`namespace/name`). */
  readonly to: string;
  /** What is allowed and was not observed (and, with current policies, was not allowed before), e.g. `TCP 1-65535`. */
  readonly allowed: string;
  /**
   * Whether it is only the profile's DNS, which the suggestion allows by design to every pod of
   * a namespace where DNS was observed (the `NamespaceBaseline`), on every DNS port of the profile.
   */
  readonly dns: boolean;
  /** Why, from the engine's verdict on one of those ports: what each direction says. */
  readonly reason: string;
}

/** An observed flow that the input's workloads with the suggestion do not allow. */
export interface DeniedFlow {
  /** The flow. */
  readonly flow: MatchedFlow;
  /** The engine's explanation. */
  readonly reason: string;
}

/**
 * The check of a suggestion, made by the connectivity engine on the input's workloads with the
 * suggested policies added (and the current ones, if any): every observed flow allowed, and no
 * pair of the input's workloads allowed beyond what was observed.
 */
export interface SuggestionProof {
  /** Whether both hold: `denied` is empty, and every extra pair is DNS allowed by design (`ExtraPair.dns`). */
  readonly holds: boolean;
  /** How many distinct observed flows were checked. */
  readonly flowsChecked: number;
  /** How many of them are allowed. */
  readonly flowsAllowed: number;
  /** The observed flows that are not allowed (those the suggestion skipped on purpose among them). */
  readonly denied: DeniedFlow[];
  /** The pairs of the input's workloads allowed beyond the observed flows. */
  readonly extraPairs: ExtraPair[];
}
