export * from './matched-flow';
export * from './suggested-port';
export * from './suggested-policy';
export * from './suggest-options';
export * from './suggestion-proof';
export * from './policy-suggestion';
