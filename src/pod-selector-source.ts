/**
 * A cdk8s-plus label selector, as this library reads it: any cdk8s-plus-2x `LabelSelector`
 * (cdk8s-plus-28 ... cdk8s-plus-33) has this shape.
 *
 * The selector's labels and expressions are read through cdk8s-plus's rendering of it, so
 * only cdk8s-plus selectors (not hand-written objects) are accepted at run time.
 */
export interface IPodSelectorLabels {
  /** Whether the selector has neither labels nor expressions. */
  isEmpty(): boolean;
}

/**
 * The namespaces a cdk8s-plus pod selection is restricted to (cdk8s-plus's
 * `NamespaceSelectorConfig`).
 */
export interface PodSelectorNamespaces {
  /**
   * The namespaces, by their labels.
   *
   * @default - every namespace (unless `names` restricts them)
   */
  readonly labelSelector?: IPodSelectorLabels;

  /**
   * The namespaces, by name.
   *
   * @default - no restriction by name
   */
  readonly names?: string[];
}

/**
 * What a cdk8s-plus pod selector says (cdk8s-plus's `PodSelectorConfig`).
 */
export interface PodSelectorSourceConfig {
  /** The pods, by their labels. */
  readonly labelSelector: IPodSelectorLabels;

  /**
   * The namespaces the pods may be in.
   *
   * @default - the namespace of the policy that uses the selector
   */
  readonly namespaces?: PodSelectorNamespaces;
}

/**
 * Anything that selects pods the way cdk8s-plus workloads do: a `Deployment`, `StatefulSet`,
 * `DaemonSet`, `Job`, `Pod` or `Pods` selection of any cdk8s-plus-2x package
 * (`cdk8s-plus-28` ... `cdk8s-plus-33`). cdk8s-plus is not needed otherwise.
 */
export interface IPodSelectorSource {
  /** The selector's configuration (cdk8s-plus's `toPodSelectorConfig()`). */
  toPodSelectorConfig(): PodSelectorSourceConfig;
}
