import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/**
 * Declares a Namespace with labels, so that whoever reads the manifests (the cluster, and
 * this library's analysis engine) sees the labels that namespace selectors match.
 *
 * cdk8s stamps a chart's namespace on every object of the chart, cluster-scoped ones
 * included; a Namespace has no namespace, so the stray field is removed.
 */
export function declareNamespace(scope: Construct, name: string, labels: { [key: string]: string } = {}): kplus.Namespace {
  const namespace = new kplus.Namespace(scope, `Namespace-${name}`, { metadata: { name, labels } });
  if (Chart.of(scope).namespace !== undefined) {
    ApiObject.of(namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return namespace;
}
