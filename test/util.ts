import { App, Chart, Testing, Yaml } from 'cdk8s';
import { NetworkPolicy as SchemaNetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { NetworkPolicyValidator } from '../src/validation/network-policy-validator';

/** A chart with a namespace, in a fresh app. */
export function chartIn(namespace: string = 'shop', id: string = 'test'): Chart {
  return new Chart(Testing.app(), id, { namespace });
}

/**
 * The NetworkPolicy objects a chart synthesizes, after checking each against the Kubernetes
 * OpenAPI schema (kubernetes-models) and this library's API-server validation (no errors,
 * no warnings). Every test that synthesizes goes through here, so no snapshot can record an
 * object the API server would reject.
 */
export function synthPolicies(chart: Chart): any[] {
  const policies = Testing.synth(chart).filter(o => o.kind === 'NetworkPolicy');
  assertValidPolicies(policies);
  return policies;
}

/** Every NetworkPolicy of every chart of an app, validated like `synthPolicies`. */
export function synthAppPolicies(app: App): any[] {
  return app.charts.flatMap(c => synthPolicies(c));
}

/** Asserts schema validity and API-server validity (no errors, no warnings) of each object. */
export function assertValidPolicies(objects: any[]): void {
  for (const obj of objects) {
    const where = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
    try {
      new SchemaNetworkPolicy(obj).validate();
    } catch (e) {
      throw new Error(`${where} does not match the Kubernetes OpenAPI schema: ${(e as Error).message}`);
    }
    const result = NetworkPolicyValidator.validate(obj);
    const problems = [
      ...result.errors.map(NetworkPolicyValidator.formatError),
      ...result.warnings.map(NetworkPolicyValidator.formatWarning),
    ];
    if (problems.length > 0) throw new Error(`${where} fails validation:\n  ${problems.join('\n  ')}`);
  }
}

/** The one policy with this name. */
export function policyNamed(policies: any[], name: string): any {
  const found = policies.filter(p => p.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one NetworkPolicy named ${name}, found ${found.length} among ${policies.map(p => p.metadata.name).join(', ')}`);
  }
  return found[0];
}

/** The objects as the multi-document YAML that `cdk8s synth` writes: what snapshots pin. */
export function yamlOf(objects: any[]): string {
  return Yaml.stringify(...objects);
}
