import { Endpoint, EndpointPort } from '../analysis';
import { ProbeService } from './probe';
import { AnalysisInputError } from '../analysis/analysis-input-error';
import { isDns1035Label, isDns1123Label } from '../validation/private/names';

/** A Service as the probes need it. */
export interface ServiceRecord {
  readonly name: string;
  readonly namespace: string;
  readonly selector: { [key: string]: string };
  readonly headless: boolean;
  readonly ports: { port: number; protocol: string; targetPort?: number | string }[];
}

/**
 * The Services among some objects that select pods by labels (`spec.selector`, not empty),
 * sorted by namespace and name. Services without a selector, ExternalName Services and
 * malformed entries are left out: a probe never goes through them.
 */
export function readServices(objects: readonly any[], defaultNamespace: string): ServiceRecord[] {
  const out: ServiceRecord[] = [];
  for (const obj of objects) {
    if (obj === null || typeof obj !== 'object' || obj.kind !== 'Service' || (obj.apiVersion !== undefined && obj.apiVersion !== 'v1')) continue;
    const spec = obj.spec ?? {};
    const selector = spec.selector;
    const name = obj.metadata?.name;
    const namespace = obj.metadata?.namespace;
    // The API server refuses these; the probes pass both to kubectl as arguments.
    const nameProblems = typeof name === 'string' ? isDns1035Label(name) : ['Required value'];
    if (nameProblems.length > 0) {
      throw new AnalysisInputError(`Service ${JSON.stringify(name)}: metadata.name: Invalid value: ${JSON.stringify(name)}: ${nameProblems.join('; ')}`);
    }
    const namespaceProblems = namespace === undefined || namespace === '' ? [] : typeof namespace === 'string' ? isDns1123Label(namespace) : ['must be a string'];
    if (namespaceProblems.length > 0) {
      throw new AnalysisInputError(`Service ${JSON.stringify(name)}: metadata.namespace: Invalid value: ${JSON.stringify(namespace)}: ${namespaceProblems.join('; ')}`);
    }
    if (spec.type === 'ExternalName') continue;
    if (selector === null || typeof selector !== 'object' || Array.isArray(selector) || Object.keys(selector).length === 0) continue;
    if (!Object.values(selector).every(v => typeof v === 'string')) continue;
    const ports = (Array.isArray(spec.ports) ? spec.ports : [])
      .filter((p: any) => p && Number.isInteger(p.port))
      .map((p: any) => ({ port: p.port as number, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP', targetPort: p.targetPort }));
    out.push({ name, namespace: obj.metadata?.namespace || defaultNamespace, selector: { ...selector }, headless: spec.clusterIP === 'None', ports });
  }
  return out.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
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
