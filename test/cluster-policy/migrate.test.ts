import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterModel } from '../../src/analysis/cluster-model';
import { ClusterPolicyMigration } from '../../src/cluster-policy/migrate';
import { ClusterNetworkPolicyValidator } from '../../src/validation/cluster-network-policy-validator';
import { netpol } from '../cli/run-netpol';
import { anp, banp } from '../fixtures/cluster-policies';
import { namespace, pod, policy } from '../fixtures/manifests';

const CLUSTER = [
  namespace('a', { team: 'a' }),
  namespace('b', { team: 'b' }),
  pod('a', 'web', { app: 'web' }, { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 8080 }] }),
  pod('b', 'api', { app: 'api' }, { ip: '10.0.1.1', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }),
  policy('b', 'allow-all', { podSelector: {}, ingress: [{}] }),
];
const V1ALPHA1 = [
  anp('guard', {
    priority: 7,
    subject: { namespaces: { matchLabels: { team: 'b' } } },
    ingress: [
      { name: 'web-http', action: 'Allow', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } }], ports: [{ namedPort: 'dns' }, { portRange: { start: 80, end: 80 } }] },
      { action: 'Pass', from: [{ namespaces: { matchLabels: { team: 'a' } } }], ports: [{ portRange: { protocol: 'UDP', start: 9, end: 1 } }, { portNumber: { port: 443 } }] },
      { action: 'Deny', from: Array.from({ length: 30 }, (_, i) => ({ namespaces: { matchLabels: { n: `x${i}` } } })) },
    ],
    egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/24'] }] }],
  }),
  banp({ egress: [{ action: 'Deny', to: [{ namespaces: {} }], ports: [{ portNumber: { protocol: 'UDP', port: 53 } }] }] }),
];

describe('ClusterPolicyMigration |', () => {
  test('turns v1alpha1 objects into valid v1alpha2 ones with the same connectivity', () => {
    const result = ClusterPolicyMigration.migrate([...CLUSTER, ...V1ALPHA1]);
    expect(result.migrated).toBe(2);
    expect(result.equivalent).toBe(true);
    const cnps = result.objects.filter(o => o.kind === 'ClusterNetworkPolicy');
    expect(cnps.map(o => [o.metadata.name, o.spec.tier, o.spec.priority])).toEqual([['guard', 'Admin', 7], ['baseline-default', 'Baseline', 0]]);
    for (const o of cnps) expect(ClusterNetworkPolicyValidator.validate(o).errors).toEqual([]);
    const ingress = cnps[0].spec.ingress;
    expect(ingress[0]).toEqual({
      name: 'web-http',
      action: 'Accept',
      from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } }],
      protocols: [{ destinationNamedPort: 'dns' }, { tcp: { destinationPort: { number: 80 } } }],
    });
    expect(ingress[1].protocols).toEqual([{ tcp: { destinationPort: { number: 443 } } }]); // the inverted range matches nothing
    expect(ingress.slice(2).map((r: any) => r.from.length)).toEqual([25, 5]); // 30 peers split, same action
    expect(result.notes.join('\n')).toMatch(/split into 2 consecutive rules/);
    // the proof, independently: every pair, every port
    const before = ClusterModel.fromObjects([...CLUSTER, ...V1ALPHA1]).connectivity().toText();
    expect(ClusterModel.fromObjects(result.objects).connectivity().toText()).toBe(before);
  });

  test('netpol migrate prints the ClusterNetworkPolicies and says it proved them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-migrate-'));
    fs.writeFileSync(path.join(dir, 'in.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [...CLUSTER, ...V1ALPHA1] }));
    const c = await netpol(['migrate', dir]);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('kind: ClusterNetworkPolicy\n');
    expect(c.stdout).not.toContain('AdminNetworkPolicy');
    expect(c.stderr).toContain('migrated 2 policies to ClusterNetworkPolicy; the engine finds the same connectivity');
  });

  test('refuses an invalid input policy with its error', () => {
    expect(() => ClusterPolicyMigration.migrate([anp('bad', { priority: 5000 })])).toThrow(/AdminNetworkPolicy bad: spec.priority: Invalid value: 5000/);
    expect(() => ClusterPolicyMigration.migrate([], { bogus: 1 } as any)).toThrow(/unknown option "bogus"/);
  });
});
