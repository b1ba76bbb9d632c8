/**
 * The cluster of the upstream Kubernetes network-policy e2e tests: namespaces x, y and z, pods
 * a, b and c in each (labelled `pod: <name>`), every pod serving TCP, UDP and SCTP on ports 80
 * and 81 through container ports named `serve-<port>-<protocol>`.
 *
 * Namespaces also carry a `team` label (x: red, y: blue, z: none) for selectors by label, and each
 * pod has an IP: 10.0.<namespace index>.<pod index>, e.g. x/a 10.0.0.1, y/b 10.0.1.2, z/c 10.0.2.3.
 */
import { AnalysisOptions, ClusterModel, SelfTraffic } from '../../src/analysis';
import { Protocol } from '../../src/port';

export const NAMESPACES = ['x', 'y', 'z'];
export const PODS = ['a', 'b', 'c'];
export const ENDPOINTS = NAMESPACES.flatMap(ns => PODS.map(pod => `${ns}/${pod}`));
const TEAMS: Record<string, string | undefined> = { x: 'red', y: 'blue', z: undefined };

/** The namespaces and pods of the conformance cluster. */
export function conformanceObjects(): any[] {
  const objects: any[] = [];
  NAMESPACES.forEach((ns, n) => {
    const team = TEAMS[ns];
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: team ? { team } : {} } });
    PODS.forEach((pod, p) => {
      const containers = [80, 81].flatMap(port => ['TCP', 'UDP', 'SCTP'].map(protocol => ({
        name: `cont-${port}-${protocol.toLowerCase()}`,
        image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
        ports: [{ containerPort: port, name: `serve-${port}-${protocol.toLowerCase()}`, protocol }],
      })));
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: pod, namespace: ns, labels: { pod } },
        spec: { containers },
        status: { podIP: `10.0.${n}.${p + 1}` },
      });
    });
  });
  return objects;
}

export { policy } from '../fixtures/manifests';

/**
 * Parses a hand-written grid: an optional header line starting with `-`, then one line per
 * source: its name and one cell per destination, `.` allowed and `X` denied.
 */
export function parseGrid(text: string): string[][] {
  const rows = text.split('\n').map(l => l.trim()).filter(l => l !== '' && !l.startsWith('-'));
  return rows.map(row => {
    const [name, ...cells] = row.split(/\s+/);
    if (cells.length !== ENDPOINTS.length || cells.some(c => c !== '.' && c !== 'X')) {
      throw new Error(`bad grid row: ${row}`);
    }
    return [name, ...cells];
  });
}

/** Renders a 9×9 table in the same compact form, for readable diffs. */
export function renderGrid(rows: string[][]): string {
  return rows.map(r => r.join(' ')).join('\n');
}

/** The table of a model for one port and protocol, computed through `truthTable()`. */
export function tableGrid(model: ClusterModel, port: number, protocol: Protocol): string[][] {
  const table = model.truthTable(port, protocol);
  return ENDPOINTS.map(from => [from, ...ENDPOINTS.map(to => (table.isAllowed(from, to) ? '.' : 'X'))]);
}

/** The table of a model for one port and protocol, computed query by query through `allowed()`. */
export function queryGrid(model: ClusterModel, port: number, protocol: Protocol): string[][] {
  return ENDPOINTS.map(from => [from, ...ENDPOINTS.map(to => (model.allowed({ from, to, port, protocol }).allowed ? '.' : 'X'))]);
}

/**
 * The table of a model for one port and protocol, read from the all-ports connectivity
 * (`connectivity()`); under `SelfTraffic.ALLOW` the diagonal, never listed, is allowed.
 */
export function connectivityGrid(model: ClusterModel, port: number, protocol: Protocol): string[][] {
  const all = model.connectivity();
  const selfAllowed = model.selfTraffic === SelfTraffic.ALLOW;
  return ENDPOINTS.map(from => [from, ...ENDPOINTS.map(to => ((from === to && selfAllowed) || all.allowed(from, to).has(protocol, port) ? '.' : 'X'))]);
}

/** The expected table with its diagonal allowed (`SelfTraffic.ALLOW`). */
export function withAllowedDiagonal(rows: string[][]): string[][] {
  return rows.map((row, i) => row.map((cell, j) => (j === i + 1 ? '.' : cell)));
}

/** Keys of expected tables: `TCP/80`, `UDP/81`, `SCTP/80`... */
export function parseCase(key: string): [number, Protocol] {
  const [protocol, port] = key.split('/');
  return [Number(port), protocol as Protocol];
}

/** Builds the conformance cluster with the policies. */
export function conformanceModel(policies: any[], options: AnalysisOptions = {}): ClusterModel {
  return ClusterModel.fromObjects([...conformanceObjects(), ...policies], options);
}

export { SelfTraffic };
