// The public, jsii-compatible part of the probes; the runner and the report are the CLI's.
export { ProbeKind } from './probe';
export type { Probe, ProbeService } from './probe';
export { ProbePlan } from './probe-plan';
export type { ProbePlanOptions } from './probe-plan';
export { ProbeClient, ConnectOutcome, ProbeObservation, ConnectClassifier } from './connect-outcome';
export type { ConnectClassification } from './connect-outcome';
export { ProbeManifests } from './probe-manifests';
export type { ProbeManifestOptions } from './probe-manifests';
export { ProbeJobs } from './probe-jobs';
export type { ProbeJobsProps } from './probe-jobs';
