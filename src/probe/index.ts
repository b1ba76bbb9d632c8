// The public, jsii-compatible part of the probes; the runner and the report are the CLI's.
export * from './probe';
export * from './probe-plan';
export * from './connect-outcome';
export * from './probe-manifests';
export * from './probe-jobs';
