export * from './probe';
export * from './probe-plan';
export * from './connect-outcome';
export * from './probe-manifests';
export * from './probe-jobs';
