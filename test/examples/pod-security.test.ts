import { buildApp } from '../../examples/app';
import { ENFORCE_LABEL, PodSecurityLevel, podSecurityViolations, podSpecOf } from '../fixtures/pod-security';

/** Every object the example app synthesizes. */
function exampleObjects(): any[] {
  return buildApp().charts.flatMap(chart => chart.toJson());
}

describe('the examples run in a real cluster |', () => {
  test('every workload passes the Pod Security level its namespace enforces', () => {
    const objects = exampleObjects();
    const levels = new Map<string, PodSecurityLevel>();
    for (const o of objects) {
      const level = o.kind === 'Namespace' ? o.metadata.labels?.[ENFORCE_LABEL] : undefined;
      if (level !== undefined) levels.set(o.metadata.name, level);
    }
    expect(levels.get('shop')).toBe('restricted'); // the flagship namespace enforces the strictest level
    const checked: string[] = [];
    const violations: string[] = [];
    for (const o of objects) {
      const spec = podSpecOf(o);
      const level = levels.get(o.metadata.namespace);
      if (!spec || level === undefined) continue;
      checked.push(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
      for (const v of podSecurityViolations(spec, level)) violations.push(`${o.kind} ${o.metadata.namespace}/${o.metadata.name}: ${v}`);
    }
    expect(violations).toEqual([]);
    expect(checked).toEqual(expect.arrayContaining(['Deployment shop/frontend', 'Deployment shop/backend', 'StatefulSet shop/postgres', 'Job shop/migrations']));
  });

  test('the checker refuses what the restricted level refuses', () => {
    const ok = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    };
    expect(podSecurityViolations(ok, 'restricted')).toEqual([]);
    // cdk8s-plus's own defaults (non-root, no privilege escalation) are not enough: capabilities and seccomp are missing
    const plusDefaults = { containers: [{ name: 'c', securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false } }] };
    expect(podSecurityViolations(plusDefaults, 'restricted')).toEqual([
      'container "c" must set seccompProfile.type to RuntimeDefault or Localhost (or the pod must)',
      'container "c" must drop ALL capabilities',
    ]);
    expect(podSecurityViolations(plusDefaults, 'baseline')).toEqual([]);
    expect(podSecurityViolations({ hostNetwork: true, containers: [] }, 'baseline')).toEqual(['hostNetwork=true']);
    expect(podSecurityViolations({ ...ok, volumes: [{ name: 'h', hostPath: { path: '/' } }] }, 'restricted'))
      .toEqual(['volume "h" is a hostPath', 'volume "h" has the type hostPath']);
  });
});
