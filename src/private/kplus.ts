import type * as kplus from 'cdk8s-plus-28';

/** The Kubernetes form of a label selector, as cdk8s-plus renders it. */
export interface KubeLabelSelector {
  readonly matchLabels?: { [key: string]: string };
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * Reads the Kubernetes form out of a cdk8s-plus-28 `LabelSelector`. cdk8s-plus keeps the
 * fields private and renders them only through `_toKube()`, which every version of
 * cdk8s-plus-28 has; fail with a clear message if that ever changes.
 */
export function kplusSelectorToKube(selector: kplus.LabelSelector): KubeLabelSelector {
  const render = (selector as any)?._toKube;
  if (typeof render !== 'function') {
    throw new Error('Unable to read a cdk8s-plus-28 label selector: this version of cdk8s-plus-28 is not supported (no LabelSelector._toKube())');
  }
  return render.call(selector) as KubeLabelSelector;
}
