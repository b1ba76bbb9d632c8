/** The label every namespace carries with its own name (immutable, set by the API server). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The lowest port number a NetworkPolicy or a container port can name. */
export const MIN_PORT = 1;

/** The highest port number (`port`, `endPort`, `containerPort`). */
export const MAX_PORT = 65535;
