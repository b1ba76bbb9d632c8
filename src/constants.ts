/** The label every namespace carries with its own name (immutable, set by the API server). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
