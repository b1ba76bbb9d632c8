import type { IPodSelectorLabels, IPodSelectorSource, PodSelectorSourceConfig } from '../pod-selector-source';

/** The Kubernetes form of a label selector, as cdk8s-plus renders it. */
export interface KubeLabelSelector {
  readonly matchLabels?: { [key: string]: string };
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A short description of a value for error messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'a plain object';
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The configuration of a cdk8s-plus pod selector, checked: callers from JavaScript or the
 * other jsii languages can pass anything.
 *
 * @param method the public method, for messages (`Peer.fromPodSelector`)
 */
export function podSelectorConfig(method: string, selector: IPodSelectorSource): PodSelectorSourceConfig {
  if (!selector || typeof (selector as any).toPodSelectorConfig !== 'function') {
    throw new Error(`${method}: expected a cdk8s-plus workload or pod selection (a Deployment, StatefulSet, DaemonSet, Job, Pod or Pods `
      + `of any cdk8s-plus-2x package, with toPodSelectorConfig()); received ${describe(selector)}`);
  }
  const config = selector.toPodSelectorConfig();
  if (!config || typeof config !== 'object' || !config.labelSelector) {
    throw new Error(`${method}: toPodSelectorConfig() of ${describe(selector)} returned no labelSelector; is it a cdk8s-plus-2x selector?`);
  }
  return config;
}

/**
 * Reads the Kubernetes form out of a cdk8s-plus `LabelSelector`. cdk8s-plus keeps the fields
 * private and renders them only through `_toKube()`, which every cdk8s-plus-2x release (28 to
 * 33) has; fail with a clear message if that ever changes.
 */
export function kplusSelectorToKube(selector: IPodSelectorLabels): KubeLabelSelector {
  const render = (selector as any)?._toKube;
  if (typeof render !== 'function') {
    throw new Error(`Unable to read a cdk8s-plus label selector (${describe(selector)}): expected a LabelSelector of cdk8s-plus-28 ... cdk8s-plus-33, `
      + 'which renders itself with _toKube()');
  }
  return render.call(selector) as KubeLabelSelector;
}
