/** The formats of observed flows `ObservedFlows` reads. */
export enum FlowFormat {
  /** Cilium Hubble's `hubble observe -o json` (JSON lines). */
  HUBBLE = 'HUBBLE',
  /** Calico's flow logs (JSON lines). */
  CALICO = 'CALICO',
  /** Inspektor Gadget's network traces (`trace network`, `trace_tcp`; JSON lines). */
  GADGET = 'GADGET',
  /** The generic form: JSON lines or CSV of source, destination, protocol, port, count. */
  GENERIC = 'GENERIC',
}
