import { Severity } from './severity';

/**
 * One problem found by the linter, with where it is.
 *
 * A finding is located at one Kubernetes object (a NetworkPolicy, a workload or a Namespace):
 * by construct path when the object came from a cdk8s chart, by file and document index when
 * it came from a manifest file.
 */
export interface Finding {
  /** The rule's stable id, e.g. `NP003`. */
  readonly ruleId: string;
  /** The rule's name, e.g. `egress-without-dns`. */
  readonly ruleName: string;
  /** How serious it is. */
  readonly severity: Severity;
  /** What is wrong, naming the objects and fields involved. */
  readonly message: string;
  /** How to fix it (the rule's suggested fix). */
  readonly fix: string;

  /**
   * The kind of the object the finding is about, e.g. `NetworkPolicy` or `Deployment`.
   *
   * @default - the finding is about the input as a whole
   */
  readonly kind?: string;
  /**
   * The namespace the finding is about (the object's namespace).
   *
   * @default - none: a cluster-wide finding, or a cluster-scoped object
   */
  readonly namespace?: string;
  /**
   * The name of the object the finding is about.
   *
   * @default - the finding is about the input as a whole
   */
  readonly name?: string;
  /**
   * The field of the object, e.g. `spec.ingress[0].from[1]`.
   *
   * @default - the object as a whole
   */
  readonly field?: string;

  /**
   * The construct path of the object, when it came from a cdk8s chart (for the constructs of
   * this library and of cdk8s-plus, the construct that owns the `Resource` ApiObject).
   *
   * @default - the object did not come from a construct
   */
  readonly constructPath?: string;
  /**
   * The file the object was read from.
   *
   * @default - the object did not come from a file
   */
  readonly file?: string;
  /**
   * The 0-based index of the YAML document (or JSON value) in `file`.
   *
   * @default - the object did not come from a file
   */
  readonly documentIndex?: number;
  /**
   * The 1-based line where the object starts in `file` (YAML input only).
   *
   * @default - unknown
   */
  readonly line?: number;

  /**
   * Why the finding is accepted, when a suppression matched it.
   *
   * @default - not suppressed
   */
  readonly suppressionReason?: string;
}
