import type { IPodSelectorLabels, IPodSelectorSource, PodSelectorSourceConfig } from '../pod-selector-source';
import { fail, kindOf } from './runtime-check';

/** The Kubernetes form of a label selector, as cdk8s-plus renders it. */
export interface KubeLabelSelector {
  readonly matchLabels?: { [key: string]: string };
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * The configuration of a cdk8s-plus pod selector, checked: callers from JavaScript or the
 * other jsii languages can pass anything.
 *
 * @param method the public method, for messages (`Peer.fromPodSelector`)
 */
export function podSelectorConfig(method: string, selector: IPodSelectorSource): PodSelectorSourceConfig {
  if (!selector || typeof (selector as any).toPodSelectorConfig !== 'function') {
    fail(method, 'selector', selector, 'must be a cdk8s-plus workload or pod selection (a Deployment, StatefulSet, DaemonSet, Job, Pod or Pods '
      + `of any cdk8s-plus-2x package, with toPodSelectorConfig()), not ${kindOf(selector)}`);
  }
  const config = selector.toPodSelectorConfig();
  if (!config || typeof config !== 'object' || !config.labelSelector) {
    fail(method, 'selector', selector, 'returned no labelSelector from toPodSelectorConfig(): is it a cdk8s-plus-2x selector?');
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
    fail('cdk8s-plus interop', 'labelSelector', selector, 'must be a LabelSelector of cdk8s-plus-28 ... cdk8s-plus-33, which renders itself with _toKube()');
  }
  return render.call(selector) as KubeLabelSelector;
}
