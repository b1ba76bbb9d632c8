/**
 * The library's promise, checked on random inputs: a `DefaultDeny` in every namespace plus the
 * allow constructs admits exactly the flows those constructs declare, and nothing else.
 */
import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { ClusterModel, SelfTraffic } from '../../src/analysis';
import { LabelSelector } from '../../src/label-selector';
import { AllowEgressTo } from '../../src/patterns/allow-egress-to';
import { AllowFromNamespace } from '../../src/patterns/allow-from-namespace';
import { DefaultDeny } from '../../src/patterns/default-deny';
import { Peer } from '../../src/peer';
import { Port, Protocol } from '../../src/port';
import { fcRuns } from '../fixtures/property-runs';

const NAMESPACES = ['ns0', 'ns1', 'ns2'];
const PODS = ['p0', 'p1', 'p2'];
const DECLARED_PORTS = [80, 443, 5432];

interface Flow { readonly from: [string, string]; readonly to: [string, string]; readonly port: number }

const endpoint = fc.tuple(fc.constantFrom(...NAMESPACES), fc.constantFrom(...PODS));
const flow = fc.record({ from: endpoint, to: endpoint, port: fc.constantFrom(...DECLARED_PORTS) });

function pods(): any[] {
  return NAMESPACES.flatMap(namespace => PODS.map(name => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: { pod: name } },
  })));
}

/** A chart with DefaultDeny everywhere and, for each flow, an ingress and an egress allowance. */
function synth(flows: Flow[]): any[] {
  const chart = new Chart(Testing.app(), 'test');
  for (const namespace of NAMESPACES) new DefaultDeny(chart, `Deny-${namespace}`, { namespace });
  flows.forEach(({ from, to, port }, i) => {
    new AllowFromNamespace(chart, `In${i}`, {
      namespace: to[0],
      podSelector: LabelSelector.labels({ pod: to[1] }),
      fromNamespace: from[0],
      fromPodLabels: { pod: from[1] },
      ports: [Port.tcp(port)],
    });
    new AllowEgressTo(chart, `Out${i}`, {
      namespace: from[0],
      podSelector: LabelSelector.labels({ pod: from[1] }),
      to: [Peer.podsInNamespace(to[0], { pod: to[1] })],
      ports: [Port.tcp(port)],
    });
  });
  return Testing.synth(chart);
}

describe('DefaultDeny plus allow constructs', () => {
  test('admit exactly the declared flows', () => {
    fc.assert(fc.property(fc.array(flow, { maxLength: 6 }), (flows) => {
      const model = ClusterModel.fromObjects([...synth(flows), ...pods()], { selfTraffic: SelfTraffic.EVALUATE });
      const declared = new Set(flows.map(f => `${f.from.join('/')} ${f.to.join('/')} ${f.port}`));
      for (const port of [...DECLARED_PORTS, 8080]) {
        for (const protocol of [Protocol.TCP, Protocol.UDP]) {
          const table = model.truthTable(port, protocol);
          for (const from of table.endpoints) {
            for (const to of table.endpoints) {
              const expected = protocol === Protocol.TCP && declared.has(`${from} ${to} ${port}`);
              expect({ from, to, port, protocol, allowed: table.isAllowed(from, to) }).toEqual({ from, to, port, protocol, allowed: expected });
            }
          }
        }
      }
    }), { numRuns: fcRuns(25) });
  });
});
