export * from './analysis-options';
export * from './cluster-model';
export * from './endpoint';
export * from './traffic-query';
export * from './truth-table';
export * from './verdict';
