/**
 * Issue 21's performance target: analysis (model + truth table + count) and `list` (model +
 * connectivity + text) of the 10,002-pod organisation, without and with 20 Admin and 10 Baseline
 * ClusterNetworkPolicies (a metadata guard, DNS, 18 tenant groups that Pass inside and Deny
 * low ports from outside, 10 baseline default denies), each twice in one process; the target is
 * at most 1.5 times the time without them.
 *
 *   npx ts-node --transpile-only bench/cluster-tiers.ts [both|with|without]
 */
import * as os from 'os';
import { performance } from 'perf_hooks';
import { organisationObjects, TRUTH_TABLE_PORT } from './analysis';
import { ClusterModel } from '../src';
import { namespaceName } from './workload/spec';

const N = 1000;
const names = (from: number, count: number) => Array.from({ length: count }, (_, i) => namespaceName(from + i));
const inNames = (list: string[]) => ({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: list }] });
const cnp = (name: string, spec: any) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec });
function clusterPolicies(): any[] {
  const out: any[] = [
    cnp('metadata-guard', { tier: 'Admin', priority: 0, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['169.254.169.254/32', '100.100.100.200/32'] }] }] }),
    cnp('dns', {
      tier: 'Admin',
      priority: 1,
      subject: { namespaces: {} },
      egress: [{
        action: 'Accept',
        to: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } } }],
        protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { number: 53 } } }],
      }],
    }),
  ];
  for (let g = 0; g < 18; g++) {
    const group = names(g * 50, 50);
    out.push(cnp(`tenant-${g}`, {
      tier: 'Admin',
      priority: 10 + g,
      subject: { namespaces: inNames(group) },
      ingress: [{ action: 'Pass', from: [{ namespaces: inNames(group) }] }, { action: 'Deny', from: [{ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: group }] } }], protocols: [{ tcp: { destinationPort: { range: { start: 1, end: 1024 } } } }] }],
      egress: [{ action: 'Pass', to: [{ namespaces: inNames(group) }] }],
    }));
  }
  for (let g = 0; g < 10; g++) {
    const group = names(g * 100, 100);
    out.push(cnp(`baseline-${g}`, {
      tier: 'Baseline',
      priority: g,
      subject: { namespaces: inNames(group) },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ action: 'Deny', to: [{ networks: ['0.0.0.0/0'] }] }],
    }));
  }
  return out;
}
function measure(objects: any[]) {
  const t0 = performance.now();
  const model = ClusterModel.fromObjects(objects);
  const table = model.truthTable(TRUTH_TABLE_PORT);
  const allowed = table.countAllowed();
  const t1 = performance.now();
  const model2 = ClusterModel.fromObjects(objects);
  const text = model2.connectivity().toText();
  const t2 = performance.now();
  return { analysisMs: Math.round(t1 - t0), listMs: Math.round(t2 - t1), allowed, lines: text.split('\n').length };
}
const base = organisationObjects(N);
const extra = [...base, ...clusterPolicies()];
const which = process.argv[2] ?? 'both';
for (let run = 0; run < 2; run++) {
  if (which !== 'with') console.log('without', JSON.stringify(measure(base)));
  if (which !== 'without') console.log('with   ', JSON.stringify(measure(extra)));
}
console.log(`load average ${os.loadavg().map(l => l.toFixed(2)).join(', ')}`);
