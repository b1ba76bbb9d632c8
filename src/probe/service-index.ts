import { ClusterModel, Endpoint, EndpointPort } from '../analysis';
import { ProbeService } from './probe';

/** A Service as the probes need it. */
export interface ServiceRecord {
  readonly name: string;
  readonly namespace: string;
  readonly selector: { [key: string]: string };
  readonly headless: boolean;
  readonly ports: { port: number; protocol: string; targetPort?: number | string }[];
}

/**
 * The Services of a model (read once, by the model loader), as the probes need them: those that
 * select pods by labels, sorted by namespace and name.
 */
export function readServices(model: ClusterModel): ServiceRecord[] {
  return model.services.map(s => ({
    name: s.name.slice(s.namespace.length + 1),
    namespace: s.namespace,
    selector: { ...s.selector },
    headless: s.headless,
    ports: s.ports.map(p => ({ port: p.port, protocol: p.protocol, targetPort: p.targetPort ?? p.targetPortName })),
  }));
}

/** Whether a Service selects an endpoint's pods (same namespace, every selector label present). */
export function selects(service: ServiceRecord, endpoint: Endpoint): boolean {
  return service.namespace === endpoint.namespace && Object.entries(service.selector).every(([k, v]) => endpoint.labels[k] === v);
}

/**
 * The first Service (by name) that selects the destination's pods and sends a port to the given
 * container port: `targetPort` equal to the number, or to the container port's name, or absent
 * with the Service port equal to the number.
 */
export function findService(services: readonly ServiceRecord[], destination: Endpoint, target: EndpointPort): ProbeService | undefined {
  for (const s of services) {
    if (!selects(s, destination)) continue;
    for (const p of s.ports) {
      if (p.protocol !== target.protocol) continue;
      const t = p.targetPort;
      const matches = t === undefined || t === null ? p.port === target.port
        : typeof t === 'number' ? t === target.port
          : typeof t === 'string' && /^[0-9]+$/.test(t) ? Number(t) === target.port
            : t === target.name && target.name !== undefined;
      if (matches) return { name: s.name, namespace: s.namespace, port: s.headless ? target.port : p.port, headless: s.headless };
    }
  }
  return undefined;
}
