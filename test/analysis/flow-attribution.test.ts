import * as fc from 'fast-check';
import { EXTERNAL_IPS, cluster } from './cluster-arbitraries';
import { ClusterModel, Connectivity, Protocol } from '../../src';
import { fcRuns } from '../fixtures/property-runs';

const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];
const PORTS = [1, 53, 80, 443, 9090];
const objectsOf = (c: { namespaces: any[]; pods: any[]; policies: any[] }) => [...c.namespaces, ...c.pods, ...c.policies];
const isRange = (name: string) => name.includes('-') && !name.includes('/');

describe('Connectivity.allowedBy', () => {
  test('names every rule that allow() cites for a port of the flow, and nothing but its policies\' rules and isolation notes', () => {
    fc.assert(fc.property(cluster, c => {
      const objects = objectsOf(c);
      const list = ClusterModel.fromObjects(objects, { externalIps: EXTERNAL_IPS }).connectivity();
      // the reference: each derived range queried at its first address
      const ranges = list.endpoints.filter(isRange);
      const first = (name: string) => (isRange(name) ? name.slice(0, name.indexOf('-')) : name);
      const model = ClusterModel.fromObjects(objects, { externalIps: [...EXTERNAL_IPS, ...ranges.map(first)] });
      for (const flow of list.connections) {
        const rules = list.allowedBy(flow.from, flow.to)!;
        expect(rules).toBeDefined();
        const named = new Set([...rules.egress, ...rules.ingress]);
        const cited = new Set<string>();
        for (const protocol of PROTOCOLS) {
          for (const port of PORTS) {
            if (!flow.allowed.has(protocol, port)) continue;
            const v = model.allowed({ from: first(flow.from), to: first(flow.to), port, protocol });
            for (const d of [v.egress, v.ingress]) {
              const word = d === v.egress ? 'egress' : 'ingress';
              if (d.external) continue;
              if (!d.isolated) {
                const note = `${word === 'egress' ? 'egress from' : 'ingress to'} ${word === 'egress' ? flow.from : flow.to}: not isolated`;
                expect({ flow: `${flow.from} => ${flow.to}`, named: [...named] }).toEqual({ flow: `${flow.from} => ${flow.to}`, named: expect.arrayContaining([note]) });
              }
              for (const r of d.allowedBy) {
                const name = `${r.policy} ${word} rule ${r.ruleIndex}`;
                cited.add(name);
                if (!named.has(name)) throw new Error(`${flow.from} => ${flow.to} ${protocol}/${port}: allowed() cites ${name}; allowedBy names ${[...named].join(', ')}`);
              }
            }
          }
        }
        // every named rule is one of the flow's policies (it was cited for some port, or allows ports outside the sample)
        for (const name of named) expect(name).toMatch(/^(n[0-2]\/p\d (ingress|egress) rule \d|(egress from|ingress to) .+: not isolated)$/);
      }
    }), { numRuns: fcRuns(20) });
  });

  test('names the rule of each direction, with an unlisted flow and a hand-made connectivity knowing none', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q', namespace: 'demo', labels: { app: 'q' } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ui', namespace: 'demo', labels: { app: 'ui' } } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'q-out', namespace: 'demo' },
        spec: { podSelector: { matchLabels: { app: 'q' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }, { to: [{ podSelector: { matchLabels: { app: 'ui' } } }], ports: [{ port: 8080, protocol: 'UDP' }] }] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'ui-in', namespace: 'demo' },
        spec: { podSelector: { matchLabels: { app: 'ui' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'q' } } }] }] },
      },
    ];
    const list = ClusterModel.fromObjects(objects).connectivity();
    expect(list.allowed('demo/q', 'demo/ui').toString()).toBe('UDP 53,8080');
    expect(list.allowedBy('demo/q', 'demo/ui')).toEqual({ egress: ['demo/q-out egress rule 0', 'demo/q-out egress rule 1'], ingress: ['demo/ui-in ingress rule 0'] });
    expect(list.allowedBy('demo/ui', 'demo/q')).toEqual({ egress: ['egress from demo/ui: not isolated'], ingress: ['ingress to demo/q: not isolated'] });
    expect(list.allowedBy('demo/q', '0.0.0.0-255.255.255.255')).toEqual({ egress: ['demo/q-out egress rule 0'], ingress: [] });
    expect(list.allowedBy('demo/ui', 'demo/ui')).toBeUndefined(); // not listed: nothing to explain
    expect(list.filter({ to: 'demo/ui' }).allowedBy('demo/q', 'demo/ui')).toEqual(list.allowedBy('demo/q', 'demo/ui'));
    expect(Connectivity.fromJson(list.toJson()).allowedBy('demo/q', 'demo/ui')).toBeUndefined();
  });
});
