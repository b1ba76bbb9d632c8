/**
 * Jest matchers that prove what a chart's NetworkPolicies allow, offline:
 *
 *   expect(chart).toAllowTraffic({ from: 'shop/web', to: 'shop/db', port: 5432 });
 *   expect(chart).toDenyTraffic({ from: 'shop/web', to: 'billing/api', port: 443 });
 *
 * The received value is a cdk8s `Chart` or `App`, an array of Kubernetes objects, or a
 * `ClusterModel`. A failure shows the verdict's explanation.
 *
 * A matcher renders the chart's objects without running the app's validations: it judges
 * traffic, and does not lint (so `NetpolLint` neither fails nor prints from inside a matcher;
 * use `Testing.synth()` or `Linter` in a test that is about the lint).
 *
 * Types: for the global `expect` (`@types/jest`) and for `import { expect } from '@jest/globals'`.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AnalysisOptions, ClusterModel, Verdict } from '../analysis';
import type { ConnectivitySnapshotMatchers } from './connectivity-snapshot';
import { Protocol } from '../port';

/** The connection a matcher asserts about. */
export interface TrafficExpectation {
  /** The source: `namespace/name` of a pod or workload, or an IP address. */
  readonly from: string;
  /**
   * The destination: `namespace/name` of a pod or workload, an IP address, or a Service (then
   * `port` is a Service port, evaluated on the target port it maps to on each pod it selects).
   */
  readonly to: string;
  /** The destination port: a number, or the name of a container port of the destination (of a Service: its port or port name). */
  readonly port: number | string;
  /** The protocol (any case); TCP when omitted. */
  readonly protocol?: Protocol | 'TCP' | 'UDP' | 'SCTP' | 'tcp' | 'udp' | 'sctp';
}

/** The matchers, as both Jest typings declare them. */
export interface NetpolMatchers<R> extends ConnectivitySnapshotMatchers<R> {
  /**
   * Passes when the NetworkPolicies of the received chart, app, objects or `ClusterModel`
   * allow the connection (both the source's egress and the destination's ingress).
   */
  toAllowTraffic(traffic: TrafficExpectation, options?: AnalysisOptions): R;
  /**
   * Passes when the NetworkPolicies of the received chart, app, objects or `ClusterModel`
   * deny the connection (the source's egress or the destination's ingress).
   */
  toDenyTraffic(traffic: TrafficExpectation, options?: AnalysisOptions): R;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // The global `expect` (@types/jest). The type parameters must be exactly those of
    // @types/jest for the declarations to merge.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type
    interface Matchers<R, T = {}> extends NetpolMatchers<R> {}
  }
}

declare module 'expect' {
  // `import { expect } from '@jest/globals'` (the `expect` package's own types). The type
  // parameters must be exactly those of `expect` for the declarations to merge.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type
  interface Matchers<R extends void | Promise<void>, T = unknown> extends NetpolMatchers<R> {}
}

/** What Jest passes a matcher as `this`, as far as the matchers use it. */
interface MatcherThis {
  readonly isNot?: boolean;
  readonly utils?: { matcherHint?(name: string, received: string, expected: string, options: { isNot?: boolean }): string };
}

/** What a matcher returns to Jest. */
interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** Builds a model from what a test passed to `expect()`. */
export function modelOf(received: unknown, options?: AnalysisOptions): ClusterModel {
  if (received instanceof ClusterModel) return received;
  if (Array.isArray(received)) return ClusterModel.fromObjects(received, options);
  const candidate = received as any;
  if (candidate && typeof candidate === 'object') {
    if (Array.isArray(candidate.charts) && typeof candidate.synth === 'function') return ClusterModel.fromObjects(objectsBelow(candidate), options);
    if (Chart.isChart(candidate)) return ClusterModel.fromObjects(objectsBelow(candidate, candidate), options);
  }
  throw new TypeError('expected a cdk8s Chart or App, an array of Kubernetes objects, or a ClusterModel; received '
    + (received === null ? 'null' : Array.isArray(received) ? 'an array' : typeof received));
}

/**
 * The objects below a scope (of one chart, as `chart.toJson()` lists them), rendered one by one:
 * `chart.toJson()` would run every validation of the app, the linter's included.
 */
function objectsBelow(scope: IConstruct, chart?: Chart): any[] {
  return scope.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && (chart === undefined || Chart.of(c) === chart))
    .map(o => o.toJson());
}

/** The verdict for an expectation. */
export function verdictOf(received: unknown, traffic: TrafficExpectation, options?: AnalysisOptions): Verdict {
  if (!traffic || typeof traffic !== 'object') {
    throw new TypeError('expected traffic like { from: "ns/pod", to: "ns/pod", port: 80, protocol: "TCP" }');
  }
  const protocol = traffic.protocol === undefined ? Protocol.TCP : String(traffic.protocol).toUpperCase() as Protocol;
  const model = modelOf(received, options);
  const port = traffic.port;
  return typeof port === 'string' && !/^[0-9]+$/.test(port)
    ? model.allowed({ from: traffic.from, to: traffic.to, portName: port, protocol })
    : model.allowed({ from: traffic.from, to: traffic.to, port: Number(port), protocol });
}

function describeTraffic(v: Verdict): string {
  const port = v.portName !== undefined ? `${v.protocol}/${v.port} (${JSON.stringify(v.portName)})` : `${v.protocol}/${v.port}`;
  return `${v.from} -> ${v.to} ${port}`;
}

/**
 * The verdicts for a Service destination: one per pod or workload it selects, on the target port
 * the Service port maps to there; `undefined` when `to` is not a Service.
 */
function serviceVerdicts(
  received: unknown, traffic: TrafficExpectation, options?: AnalysisOptions,
): { lines: string[]; verdicts: Verdict[]; complete: boolean } | undefined {
  if (!traffic || typeof traffic !== 'object') return undefined;
  const protocol = traffic.protocol === undefined ? Protocol.TCP : String(traffic.protocol).toUpperCase() as Protocol;
  const model = modelOf(received, options);
  const port = traffic.port;
  const named = typeof port === 'string' && !/^[0-9]+$/.test(port);
  const targets = model.serviceQueryTargets({
    from: traffic.from, to: traffic.to, protocol, ...(named ? { portName: port } : { port: Number(port) }),
  });
  if (!targets) return undefined;
  const lines: string[] = [`${traffic.to} is a Service: policies see the pod it selects and the target port, never the Service port`];
  const verdicts: Verdict[] = [];
  let complete = targets.length > 0;
  for (const t of targets) {
    lines.push(t.description);
    if (t.targetPort === undefined) {
      complete = false;
      continue;
    }
    const v = model.allowed({ from: traffic.from, to: t.endpoint, port: t.targetPort, protocol });
    verdicts.push(v);
    lines.push(v.explanation);
  }
  if (targets.length === 0) lines.push('it selects no pod or workload: nothing receives its traffic');
  return { lines, verdicts, complete };
}

function matcher(name: 'toAllowTraffic' | 'toDenyTraffic', wantAllowed: boolean) {
  return function (this: MatcherThis, received: unknown, traffic: TrafficExpectation, options?: AnalysisOptions): MatcherResult {
    const viaService = serviceVerdicts(received, traffic, options);
    if (viaService) {
      // allowed: every selected pod accepts it; denied: none does
      const allowed = viaService.complete && viaService.verdicts.every(v => v.allowed);
      const denied = viaService.verdicts.every(v => !v.allowed);
      const pass = wantAllowed ? allowed : denied;
      const hint = this.utils?.matcherHint ? this.utils.matcherHint(name, 'received', 'traffic', { isNot: this.isNot }) : `expect(received).${name}(traffic)`;
      const actual = allowed ? 'allowed' : denied ? 'denied' : 'allowed by some of its pods only';
      return {
        pass,
        message: () => `${hint}\n\nExpected ${traffic.from} -> ${traffic.to} ${traffic.port} ${this.isNot ? 'not ' : ''}to be ${wantAllowed ? 'allowed' : 'denied'}, `
          + `but it is ${actual}:\n\n${viaService.lines.join('\n')}`,
      };
    }
    const verdict = verdictOf(received, traffic, options);
    // policies of equal priority that disagree leave the outcome to the plugin: the verdict is
    // the most open outcome, and a promise must hold in every order (the worst case for it)
    const undecided = Boolean(verdict.egress.undefinedBetween || verdict.ingress.undefinedBetween);
    const mayBeAllowed = verdict.allowed;
    const surelyAllowed = verdict.allowed && !undecided;
    const pass = wantAllowed ? (this.isNot ? mayBeAllowed : surelyAllowed) : (this.isNot ? !surelyAllowed : !mayBeAllowed);
    const hint = this.utils?.matcherHint ? this.utils.matcherHint(name, 'received', 'traffic', { isNot: this.isNot }) : `expect(received).${name}(traffic)`;
    const want = wantAllowed ? 'allowed' : 'denied';
    const actual = undecided ? 'undefined (policies of equal priority disagree: it depends on the order the plugin applies them)'
      : verdict.allowed ? 'allowed' : 'denied';
    return {
      pass,
      message: () => `${hint}\n\nExpected ${describeTraffic(verdict)} ${this.isNot ? 'not ' : ''}to be ${want}, but it is ${actual}:\n\n${verdict.explanation}`,
    };
  };
}

/**
 * The matchers, for `expect.extend(netpolMatchers)`.
 */
export const netpolMatchers = {
  toAllowTraffic: matcher('toAllowTraffic', true),
  toDenyTraffic: matcher('toDenyTraffic', false),
};

/**
 * Registers `toAllowTraffic` and `toDenyTraffic` with Jest.
 *
 * @param expectFn Jest's `expect` (the global one by default)
 */
export function registerNetpolMatchers(expectFn: { extend(matchers: any): void } = (globalThis as any).expect): void {
  if (!expectFn || typeof expectFn.extend !== 'function') {
    throw new Error('registerNetpolMatchers: Jest\'s expect is not available; call it from a Jest test or setup file, or pass expect');
  }
  expectFn.extend(netpolMatchers);
}
