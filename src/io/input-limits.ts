/**
 * The limits on what the manifest loader reads, so that hostile or broken input ends with a
 * clear error in bounded time and memory instead of a crash. Each is documented in
 * docs/command-line.md.
 */

/** 1 MiB, in bytes. */
export const MIB = 1024 * 1024;

/**
 * The largest file (or standard input) read, in bytes: 256 MiB. A larger one is refused
 * (`--max-file-size` raises the limit).
 */
export const DEFAULT_MAX_FILE_BYTES = 256 * MIB;

/**
 * The largest lint configuration file (`netpol.config.json` and what it `extends`) read, in
 * bytes: 1 MiB. A configuration is a few hundred bytes; a larger file (or `/dev/zero`) is refused
 * before it is read whole.
 */
export const MAX_CONFIG_FILE_BYTES = 1 * MIB;

/**
 * The deepest nesting of mappings and sequences in one document: 200 levels. Kubernetes
 * objects, CRDs' schemas included, stay far below it; deeper input is refused before anything
 * walks it recursively.
 */
export const MAX_NESTING_DEPTH = 200;

/**
 * How much YAML alias expansion one document may do (the `yaml` library's `maxAliasCount`):
 * guards against "billion laughs" documents, as go-yaml's own limit does.
 */
export const MAX_ALIAS_COUNT = 100;

/** The longest quoted input value shown in an error message, in characters. */
export const MAX_QUOTED_LENGTH = 80;

/**
 * The longest line of an observed-flow file read (`netpol replay`), in bytes: 1 MiB (a Hubble
 * flow is 1-2 kB). Flow files are streamed, so their size is not limited; a longer line is
 * reported with its line number and not read.
 */
export const MAX_FLOW_LINE_BYTES = 1 * MIB;

/** The most unreadable lines of flow files kept with their file and line (the rest are counted): 1,000. */
export const MAX_KEPT_FLOW_PROBLEMS = 1000;
