import * as fc from 'fast-check';
import { EXTERNAL_IPS, PROBES, cluster, policyObject } from './cluster-arbitraries';
import { ClusterModel, SelfTraffic } from '../../src/analysis';
import { fcRuns } from '../fixtures/property-runs';

const options = { selfTraffic: SelfTraffic.EVALUATE, externalIps: EXTERNAL_IPS };
const build = (objects: any[]) => ClusterModel.fromObjects(objects, options);

describe('properties of the policy semantics', () => {
  test('the truth table agrees with the verdicts of every single query', () => {
    fc.assert(fc.property(cluster, ({ namespaces, pods, policies }) => {
      const model = build([...namespaces, ...pods, ...policies]);
      const names = model.endpoints.map(e => e.name);
      for (const [port, protocol] of PROBES) {
        const table = model.truthTable(port, protocol);
        for (const from of names) {
          for (const to of names) {
            expect({ from, to, port, protocol, allowed: table.isAllowed(from, to) })
              .toEqual({ from, to, port, protocol, allowed: model.allowed({ from, to, port, protocol }).allowed });
          }
        }
      }
    }), { numRuns: fcRuns(100) });
  });

  test('adding a policy never removes traffic from a pod already isolated in that direction', () => {
    fc.assert(fc.property(cluster, policyObject('added'), ({ namespaces, pods, policies }, added) => {
      const before = build([...namespaces, ...pods, ...policies]);
      const after = build([...namespaces, ...pods, ...policies, added]);
      const names = before.endpoints.map(e => e.name);
      for (const [port, protocol] of PROBES) {
        for (const from of names) {
          for (const to of names) {
            const b = before.allowed({ from, to, port, protocol });
            const a = after.allowed({ from, to, port, protocol });
            for (const direction of ['ingress', 'egress'] as const) {
              if (b[direction].isolated) {
                expect(a[direction].isolated).toBe(true);
                if (b[direction].allowed) {
                  const where = { from, to, port, protocol, direction };
                  expect({ ...where, allowed: a[direction].allowed }).toEqual({ ...where, allowed: true });
                }
              }
            }
            if (b.allowed && (b.egress.isolated || b.egress.external) && (b.ingress.isolated || b.ingress.external)) {
              expect({ from, to, port, protocol, allowed: a.allowed }).toEqual({ from, to, port, protocol, allowed: true });
            }
          }
        }
      }
    }), { numRuns: fcRuns(80) });
  });

  test('the order of objects never matters', () => {
    const withOrder = cluster.chain(c => {
      const objects = [...c.namespaces, ...c.pods, ...c.policies];
      return fc.tuple(fc.constant(objects), fc.shuffledSubarray(objects, { minLength: objects.length, maxLength: objects.length }));
    });
    fc.assert(fc.property(withOrder, ([objects, shuffled]) => {
      const a = build(objects);
      const b = build(shuffled);
      expect(b.endpoints).toEqual(a.endpoints);
      expect(b.policies).toEqual(a.policies);
      const names = a.endpoints.map(e => e.name);
      for (const [port, protocol] of PROBES) {
        expect(b.truthTable(port, protocol).toGrid()).toEqual(a.truthTable(port, protocol).toGrid());
        for (const from of names) {
          for (const to of names) {
            expect(b.allowed({ from, to, port, protocol }).explanation).toEqual(a.allowed({ from, to, port, protocol }).explanation);
          }
        }
      }
    }), { numRuns: fcRuns(60) });
  });
});
