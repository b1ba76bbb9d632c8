import { FakeResponse } from './fake-kubectl';
import { Probe, ProbePlan } from '../../../src/probe';
import { PROBE_ID_LABEL, PROBE_RUN_LABEL } from '../../../src/probe/probe-names';

/** The run id the tests pass with --run-id. */
export const RUN_ID = 't1';

const ADDR = {
  frontend: 'shop-Frontend-c803f2e0',
  backend: 'shop-Backend-c846e2fe',
  database: 'shop-Database-c83d88df',
};

/**
 * The flagship shop as `kubectl get pods --namespace shop` returns it: one running pod per
 * workload, plus pods the runner must not pick (a pending one, a leftover probe pod).
 */
export const SHOP_PODS = JSON.stringify({
  items: [
    { metadata: { name: 'backend-7d9-a', labels: { 'cdk8s.io/metadata.addr': ADDR.backend, 'pod-template-hash': '7d9' } }, status: { phase: 'Running', podIP: '10.1.0.12' } },
    { metadata: { name: 'backend-7d9-0', labels: { 'cdk8s.io/metadata.addr': ADDR.backend } }, status: { phase: 'Pending' } },
    { metadata: { name: 'frontend-5c-a', labels: { 'cdk8s.io/metadata.addr': ADDR.frontend } }, status: { phase: 'Running', podIP: '10.1.0.11' } },
    { metadata: { name: 'frontend-5c-0', labels: { 'cdk8s.io/metadata.addr': ADDR.frontend, 'netpol.cdk8s.io/probe': 'true' } }, status: { phase: 'Running', podIP: '10.1.0.99' } },
    { metadata: { name: 'postgres-0', labels: { 'cdk8s.io/metadata.addr': ADDR.database } }, status: { phase: 'Running', podIP: '10.1.0.13' } },
  ],
});

/** The probe pods as `kubectl get pods -l netpol.cdk8s.io/probe-run=t1` returns them, each with the given container state. */
export function probePods(plan: ProbePlan, state: (p: Probe) => any): string {
  return JSON.stringify({
    items: plan.probes.map(p => ({
      metadata: { name: `netpol-probe-${RUN_ID}-${p.id}-x`, namespace: p.sourceNamespace, labels: { [PROBE_ID_LABEL]: p.id, [PROBE_RUN_LABEL]: RUN_ID } },
      status: { phase: 'Failed', containerStatuses: [{ name: 'probe', state: state(p) }] },
    })),
  });
}

/** A cluster that enforces the policies: allowed probes connect, denied ones time out (agnhost's output). */
export const enforced = (p: Probe) => ({ terminated: p.expectAllowed ? { exitCode: 0 } : { exitCode: 1, message: 'TIMEOUT\n' } });
/** A cluster whose network plugin ignores NetworkPolicy: everything connects. */
export const notEnforced = () => ({ terminated: { exitCode: 0 } });

/** The namespaces the shop's representative sources run in (the shop's policies name them; the input lacks them). */
export const REPRESENTATIVE_NAMESPACES = ['ingress-nginx', 'monitoring'];

/** The fake kubectl's answers for a run of the shop's plan (a cluster without the representatives' namespaces). */
export function shopResponses(probePodsJson: string, extra: FakeResponse[] = []): FakeResponse[] {
  return [
    ...extra,
    { when: 'get namespace -o json -- netpol-probe', code: 1, stderr: 'Error from server (NotFound): namespaces "netpol-probe" not found\n' },
    ...REPRESENTATIVE_NAMESPACES.flatMap(ns => [
      { when: `get namespace -o json -- ${ns}`, code: 1, stderr: `Error from server (NotFound): namespaces "${ns}" not found\n` },
      { when: `get pods --namespace=${ns} --selector=${PROBE_RUN_LABEL}=${RUN_ID}`, stdout: probePodsJson },
    ]),
    { when: 'get jobs', stdout: '{"items":[]}' },
    { when: 'get events', stdout: '{"items":[]}' },
    { when: `get pods --namespace=shop --selector=${PROBE_RUN_LABEL}=${RUN_ID}`, stdout: probePodsJson },
    { when: `get pods --namespace=netpol-probe --selector=${PROBE_RUN_LABEL}=${RUN_ID}`, stdout: probePodsJson },
    { when: 'get pods --namespace=shop -o json', stdout: SHOP_PODS },
    { when: 'apply -f - -o name', echoApplied: true },
    { when: 'delete', stdout: '' },
  ];
}
