/**
 * One model of a NetworkPolicy: every reader (the validator behind `netpol validate`, the
 * manifest loader, the analysis, lint and the constructs' own output) sees the same policies,
 * with the same defaults, and agrees on which are valid. A differential property over random
 * policies, valid and invalid, written plainly or inside `List`s whose items have no kind.
 */
import * as fc from 'fast-check';
import { ClusterModel } from '../../src/analysis';
import { Direction } from '../../src/direction';
import { parseManifestText } from '../../src/io/manifest-loader';
import { LabelSelector } from '../../src/label-selector';
import { Linter } from '../../src/lint';
import { Peer } from '../../src/peer';
import { Policy } from '../../src/policy';
import { Port } from '../../src/port';
import { NetworkPolicyValidator } from '../../src/validation/network-policy-validator';
import { pod as podObject } from '../fixtures/manifests';
import { fcRuns } from '../fixtures/property-runs';
import { chartIn, synthPolicies } from '../util';

// ---- random specs, with every defaulting case and the usual mistakes

const protocol = fc.constantFrom(undefined, null, 'TCP', 'UDP', 'SCTP', 'tcp');
const portEntry = fc.oneof(
  fc.record({ protocol, port: fc.constantFrom(undefined, 80, 0, 65536, 'http', '80') }, { requiredKeys: [] }),
  fc.record({ protocol, port: fc.constantFrom(8000, 9000), endPort: fc.constantFrom(8080, 7000) }),
  fc.constant({}),
  fc.constant(80), // a number where an object belongs
);
const peer = fc.oneof(
  fc.constant({ podSelector: { matchLabels: { app: 'web' } } }),
  fc.constant({ namespaceSelector: {} }),
  fc.constant({ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: {} }),
  fc.constant({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }),
  fc.constant({ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }), // forbidden
  fc.constant({}), // no peer at all
  fc.constant({ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: 'web' }] } }), // values not a list
);
const rule = (peers: 'from' | 'to') => fc.oneof(
  fc.record({
    [peers]: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }),
    ports: fc.option(fc.array(portEntry, { maxLength: 2 }), { nil: undefined }),
  }, { requiredKeys: [] }),
  fc.constantFrom('from', 1, []), // not an object
);
const policyTypes = fc.constantFrom(undefined, null, [], ['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['Egress', 'Egress'], ['ingress'], {});
const spec = fc.record({
  podSelector: fc.constantFrom({}, { matchLabels: { app: 'web' } }, { matchLabels: { app: 'db' } }),
  policyTypes,
  ingress: fc.option(fc.array(rule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(rule('to'), { maxLength: 2 }), { nil: undefined }),
}, { requiredKeys: ['podSelector'] });

const policyObject = spec.map(s => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'shop' }, spec: s }));

/** How the policy is written: alone, in a `List`, or kindless in a `NetworkPolicyList` as the API returns it. */
const wrapping = fc.constantFrom('plain', 'List', 'NetworkPolicyList');
function wrap(policy: any, how: string): any {
  if (how === 'List') return { apiVersion: 'v1', kind: 'List', items: [policy] };
  if (how === 'NetworkPolicyList') {
    const { kind, apiVersion, ...item } = policy;
    return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicyList', items: [item] };
  }
  return policy;
}

const pod = (name: string, labels: Record<string, string>) => podObject('shop', name, labels);

/** What the API server's defaulting makes of policyTypes (semantics.md, section 1), written independently of the library. */
function defaultedTypes(s: any): string[] {
  const written = s.policyTypes;
  if (Array.isArray(written) && written.length > 0) return written;
  return ['Ingress', ...(Array.isArray(s.egress) && s.egress.length > 0 ? ['Egress'] : [])];
}

describe('one model: every reader sees the same policies with the same defaults', () => {
  test('the validator, the loader, the analysis and lint agree on validity and on isolation', () => {
    fc.assert(fc.property(policyObject, wrapping, (policy, how) => {
      const input = wrap(policy, how);

      // the loader (what every CLI command reads) finds exactly the policy, with its kind
      const loaded = parseManifestText(JSON.stringify(input), 'in.json');
      expect(loaded.errors).toEqual([]);
      expect(loaded.objects.map(o => o.object)).toEqual([policy]);

      const verdict = NetworkPolicyValidator.validate(policy);
      const objects = [input, pod('web', { app: 'web' }), pod('other', { app: 'other' })];
      let model: ClusterModel | undefined;
      let analysisError: unknown;
      try {
        model = ClusterModel.fromObjects(objects);
      } catch (err) {
        analysisError = err;
      }
      let lintError: unknown;
      let report;
      try {
        report = Linter.lintObjects(objects);
      } catch (err) {
        lintError = err;
      }

      if (!verdict.valid) {
        // an invalid policy is never evaluated: both refuse it with the validator's first error
        const first = NetworkPolicyValidator.formatError(verdict.errors[0]);
        expect((analysisError as Error)?.message).toContain(first);
        expect((lintError as Error)?.message).toContain(first);
        return;
      }
      expect(analysisError).toBeUndefined();
      expect(lintError).toBeUndefined();

      // the analysis isolates exactly as the API server's defaulting says
      const types = defaultedTypes(policy.spec);
      const selectsWeb = !policy.spec.podSelector.matchLabels || policy.spec.podSelector.matchLabels.app === 'web';
      const v = model!.allowed({ from: 'shop/other', to: 'shop/web', port: 80 });
      expect(v.ingress.isolated).toBe(selectsWeb && types.includes(Direction.INGRESS));
      const back = model!.allowed({ from: 'shop/web', to: 'shop/other', port: 80 });
      expect(back.egress.isolated).toBe(selectsWeb && types.includes(Direction.EGRESS));

      // lint sees the same defaults: NP007 exactly when rules are written for a direction left out
      const ignored = (['ingress', 'egress'] as const).filter(f =>
        Array.isArray(policy.spec[f]) && policy.spec[f].length > 0 && !types.includes(f === 'ingress' ? 'Ingress' : 'Egress'));
      expect(report!.findings.filter(f => f.ruleId === 'NP007').map(f => f.field)).toEqual(ignored.map(f => `spec.${f}`));
    }), { numRuns: fcRuns(400) });
  });

  test('what the constructs synthesize is valid, and the analysis isolates as the construct says', () => {
    const ports = fc.constantFrom(Port.tcp(80), Port.udp(53), Port.tcpRange(8000, 8080), Port.allTcp(), Port.named('http'), Port.allTraffic());
    const peers = fc.constantFrom(Peer.pods({ app: 'web' }), Peer.namespace('ops'), Peer.ipBlock('10.0.0.0/8'), Peer.anywhere());
    const direction = fc.constantFrom(Direction.INGRESS, Direction.EGRESS);
    const ruleProps = fc.record({ peers: fc.array(peers, { minLength: 1, maxLength: 2 }), ports: fc.array(ports, { minLength: 1, maxLength: 2 }) });
    fc.assert(fc.property(fc.uniqueArray(direction, { minLength: 1 }), fc.array(ruleProps, { maxLength: 2 }), fc.array(ruleProps, { maxLength: 2 }),
      (types, ingress, egress) => {
        const chart = chartIn('shop');
        const withIngress = types.includes(Direction.INGRESS);
        const withEgress = types.includes(Direction.EGRESS);
        new Policy(chart, 'P', {
          podSelector: LabelSelector.labels({ app: 'web' }),
          policyTypes: types,
          ingress: withIngress ? ingress.map(r => ({ from: r.peers, ports: r.ports })) : undefined,
          egress: withEgress ? egress.map(r => ({ to: r.peers, ports: r.ports })) : undefined,
        });
        const [policy] = synthPolicies(chart); // schema-valid and valid for the API server, no warnings

        const model = ClusterModel.fromObjects([policy, pod('web', { app: 'web' }), pod('other', { app: 'other' })]);
        expect(model.allowed({ from: 'shop/other', to: 'shop/web', port: 80 }).ingress.isolated).toBe(withIngress);
        expect(model.allowed({ from: 'shop/web', to: 'shop/other', port: 80 }).egress.isolated).toBe(withEgress);
        expect(Linter.lintObjects([policy]).findings.filter(f => f.ruleId === 'NP007')).toEqual([]);
      }), { numRuns: fcRuns(100) });
  });
});
