import { createHash } from 'crypto';

// The names the probes share (internal: the public API exposes them as ProbeManifests' statics).

/** The label every probe object (Job, its Pod, the probe Namespace) carries, with the value `"true"`. */
export const PROBE_LABEL = 'netpol.cdk8s.io/probe';
/** The label that ties a probe Job and its Pod to one probe of the plan (the probe's `id`). */
export const PROBE_ID_LABEL = 'netpol.cdk8s.io/probe-id';
/** The label that ties every object of one run (or one rendering of the manifests) together. */
export const PROBE_RUN_LABEL = 'netpol.cdk8s.io/probe-run';
/** The label `netpol probe run` adds to a probe pod: which attempt of its probe it is (1, 2, ...). */
export const PROBE_ATTEMPT_LABEL = 'netpol.cdk8s.io/probe-attempt';

/** The name of the label-less pod a plan adds to each namespace with workloads. */
export const UNLABELLED_PROBE_POD = 'netpol-probe-unlabelled';
/** The name (with `-1`, `-2`, ... appended) of the pods a plan adds for its representative sources. */
export const REPRESENTATIVE_PROBE_POD = 'netpol-probe-representative';
/** The name of the pod a plan adds to its probe namespace. */
export const OUTSIDER_PROBE_POD = 'netpol-probe-outsider';

/** The agnhost image of the upstream end-to-end tests (`registry.k8s.io/e2e-test-images/agnhost`). */
export const DEFAULT_AGNHOST_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
/** The BusyBox image used with `ProbeClient.BUSYBOX`. */
export const DEFAULT_BUSYBOX_IMAGE = 'busybox:1.36';

/** The name of a probe's Job in a run. */
export function probeJobName(runId: string, probeId: string): string {
  return `netpol-probe-${runId}-${probeId}`;
}

/** Where a flow falls in the deterministic sample: the hex SHA-256 of its key (smallest first). */
export function sampleRank(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
