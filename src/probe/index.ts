export * from './probe';
export * from './probe-plan';
