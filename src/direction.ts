/**
 * A direction of traffic, as a NetworkPolicy's `policyTypes` names it.
 */
export enum Direction {
  /** Traffic into the selected pods. */
  INGRESS = 'Ingress',
  /** Traffic out of the selected pods. */
  EGRESS = 'Egress',
}
