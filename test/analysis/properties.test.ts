import * as fc from 'fast-check';
import { EXTERNAL_IPS, PROBES, cluster, clusterWithHostNetwork, policyObject } from './cluster-arbitraries';
import { ClusterModel, HostNetworkPods, SelfTraffic } from '../../src/analysis';
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

  test('with hostNetwork pods, in both modes: the truth table and the all-ports list agree with every single query', () => {
    fc.assert(fc.property(clusterWithHostNetwork, fc.constantFrom(HostNetworkPods.UNRESTRICTED, HostNetworkPods.ISOLATED), (c, mode) => {
      const model = ClusterModel.fromObjects([...c.namespaces, ...c.pods, ...c.policies], { ...options, hostNetworkPods: mode });
      const names = model.endpoints.map(e => e.name);
      const external = new Set(model.endpoints.filter(e => e.external).map(e => e.name));
      const list = model.connectivity();
      for (const [port, protocol] of PROBES) {
        const table = model.truthTable(port, protocol);
        for (const from of names) {
          for (const to of names) {
            const one = model.allowed({ from, to, port, protocol }).allowed;
            // the list leaves out flows between two external addresses (never through the cluster)
            const listed = external.has(from) && external.has(to) ? one : list.allowed(from, to).has(protocol, port);
            expect({ from, to, port, protocol, mode, table: table.isAllowed(from, to), list: listed })
              .toEqual({ from, to, port, protocol, mode, table: one, list: one });
          }
        }
      }
    }), { numRuns: fcRuns(60) });
  });

  test('unrestricted: a hostNetwork pod is never isolated, and a selector never admits it where the isolated mode would not', () => {
    fc.assert(fc.property(clusterWithHostNetwork, c => {
      const objects = [...c.namespaces, ...c.pods, ...c.policies];
      const unrestricted = ClusterModel.fromObjects(objects, options);
      const isolated = ClusterModel.fromObjects(objects, { ...options, hostNetworkPods: HostNetworkPods.ISOLATED });
      const endpoints = unrestricted.endpoints;
      for (const host of endpoints.filter(e => e.hostNetwork)) {
        for (const other of endpoints) {
          for (const [port, protocol] of PROBES) {
            const out = unrestricted.allowed({ from: host.name, to: other.name, port, protocol });
            const into = unrestricted.allowed({ from: other.name, to: host.name, port, protocol });
            // as the subject: no NetworkPolicy restricts it
            expect([out.egress.isolated, out.egress.allowed, into.ingress.isolated, into.ingress.allowed]).toEqual([false, true, false, true]);
            // as the peer: what the other end's rules admit of it is at most what they admit of an ordinary pod
            if (other.hostNetwork) continue;
            const asPod = isolated.allowed({ from: host.name, to: other.name, port, protocol });
            if (out.ingress.allowed) expect(asPod.ingress.allowed).toBe(true);
            const toPod = isolated.allowed({ from: other.name, to: host.name, port, protocol });
            if (into.egress.allowed) expect(toPod.egress.allowed).toBe(true);
          }
        }
      }
    }), { numRuns: fcRuns(60) });
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
