export * from './flow-format';
export * from './observed-flow';
export * from './observed-flows';
export * from './replay-report';
export * from './flow-replay';
