/**
 * How serious a lint finding is.
 */
export enum Severity {
  /** Almost certainly a mistake that leaves pods unprotected or breaks them: fails synthesis and `netpol lint`. */
  ERROR = 'error',
  /** Probably a mistake, or a hardening gap: reported, but does not fail unless asked to. */
  WARNING = 'warning',
}
