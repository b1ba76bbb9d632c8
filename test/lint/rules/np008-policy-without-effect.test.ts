import { ApiObject } from 'cdk8s';
import { LabelSelector, Peer, Policy, Port } from '../../../src';
import { Linter, NetpolLint, Severity } from '../../../src/lint';
import { chartIn } from '../../util';
import { FILE, deployment, findingsOf, lint, namespace, pod, policy } from '../lint-helpers';

const api = deployment('shop', 'api', { app: 'api' }, { ports: [{ name: 'https', containerPort: 8443 }, { name: 'metrics', containerPort: 9090 }] });
const web = deployment('shop', 'web', { app: 'web' });
const deny = policy('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const toApi = (name: string, from: any[] | undefined, ports?: any[]) => policy('shop', name, {
  podSelector: { matchLabels: { app: 'api' } },
  ingress: [{ ...(from ? { from } : {}), ...(ports ? { ports } : {}) }],
});
const fromWeb = [{ podSelector: { matchLabels: { app: 'web' } } }];

describe('NP008 policy-without-effect: other policies already isolate the pods and allow everything it allows', () => {
  test('compliant: each policy allows something the others do not', () => {
    const report = lint([api, web, deny, toApi('a', fromWeb, [{ port: 8443 }]), toApi('b', fromWeb, [{ port: 9090 }])]);
    expect(findingsOf(report, 'NP008')).toEqual([]);
  });

  test('non-compliant: a subset of another policy', () => {
    const report = lint([api, web, deny, toApi('api-from-web', fromWeb, [{ port: 8443 }, { port: 9090 }]), toApi('api-https', fromWeb, [{ port: 8443 }])]);
    expect(findingsOf(report, 'NP008')).toEqual([{
      ruleId: 'NP008',
      ruleName: 'policy-without-effect',
      severity: Severity.WARNING,
      message: 'the policy has no effect: for every pod it selects (Deployment shop/api), other policies already isolate ingress, '
        + 'and shop/api-from-web already allows everything it allows',
      fix: 'Remove the policy, or merge what it was meant to allow into the policy that shadows it.',
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'api-https',
      file: FILE,
      documentIndex: 4,
    }]);
  });

  test('non-compliant: of two equal policies, the one that sorts last', () => {
    const report = lint([api, web, toApi('b', fromWeb), toApi('a', fromWeb)]);
    expect(findingsOf(report, 'NP008').map(f => f.name)).toEqual(['b']);
  });

  test('non-compliant: covered by the union of two others, on ranges and named ports', () => {
    const report = lint([api, web, deny,
      toApi('low', fromWeb, [{ port: 8000, endPort: 8500 }]),
      toApi('metrics', fromWeb, [{ port: 'metrics' }]),
      toApi('web-https-and-metrics', fromWeb, [{ port: 8443 }, { port: 9090 }])]);
    expect(findingsOf(report, 'NP008').map(f => [f.name, f.message])).toEqual([[
      'web-https-and-metrics',
      'the policy has no effect: for every pod it selects (Deployment shop/api), other policies already isolate ingress, and shop/low and shop/metrics already allow everything it allows',
    ]]);
  });

  test('compliant: the only policy that isolates its pods has an effect, whatever it allows', () => {
    const report = lint([api, web, toApi('narrow', fromWeb, [{ port: 8443 }]), policy('shop', 'egress', { podSelector: {}, egress: [{}] })]);
    expect(findingsOf(report, 'NP008')).toEqual([]);
  });

  test('compliant: peers outside the input count (witness pods), here the scraper of another namespace', () => {
    const report = lint([api, web, deny, toApi('everything-from-web', fromWeb), toApi('scrape', [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      podSelector: { matchLabels: { app: 'prometheus' } },
    }], [{ port: 'metrics' }])]);
    expect(findingsOf(report, 'NP008')).toEqual([]);
  });

  test('compliant: witnesses take the values other selectors test (NotIn, Exists)', () => {
    const report = lint([namespace('shop'), api, deny,
      toApi('prod', [{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] } }]),
      toApi('team', [{ namespaceSelector: { matchLabels: { team: 'a' } } }])]);
    expect(findingsOf(report, 'NP008')).toEqual([]);
  });

  test('compliant: ipBlocks are compared range by range', () => {
    const report = lint([api, deny,
      toApi('private', [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }]),
      toApi('office', [{ ipBlock: { cidr: '10.1.2.0/24' } }])]);
    expect(findingsOf(report, 'NP008')).toEqual([]);
    const covered = lint([api, deny,
      toApi('private', [{ ipBlock: { cidr: '10.0.0.0/8' } }]),
      toApi('office', [{ ipBlock: { cidr: '10.1.2.0/24' } }])]);
    expect(findingsOf(covered, 'NP008').map(f => f.name)).toEqual(['office']);
  });

  test('compliant: an ipBlock reaches pods of other namespaces through their IPs (here only a named port on one)', () => {
    // The only connection `to-db-ip` allows is to other/db's IP on its named port: external addresses
    // have no named ports, so without that pod the policy would allow nothing.
    const db = pod('other', 'db', { app: 'db' }, { ip: '10.9.0.5', ports: [{ name: 'pg', containerPort: 5432 }] });
    const toDbIp = policy('shop', 'to-db-ip', {
      podSelector: { matchLabels: { app: 'api' } },
      egress: [{ to: [{ ipBlock: { cidr: '10.9.0.0/16' } }], ports: [{ port: 'pg' }] }],
    });
    expect(findingsOf(lint([api, db, deny, toDbIp]), 'NP008')).toEqual([]);
    const noIp = pod('other', 'db', { app: 'db' }, { ports: [{ name: 'pg', containerPort: 5432 }] });
    expect(findingsOf(lint([api, noIp, deny, toDbIp]), 'NP008').map(f => f.name)).toEqual(['to-db-ip']);
  });

  describe('pods of other namespaces that an ipBlock reaches', () => {
    // Such pods are many at scale; pods that no rule can tell apart are tried once. These pin
    // what tells them apart. billing/db sorts first and is covered; legacy/db is not.
    const apiEgress = (name: string, to: any[], ports: any[]) => policy('shop', name, {
      podSelector: { matchLabels: { app: 'api' } },
      policyTypes: ['Egress'],
      egress: [{ to, ports }],
    });
    const db = (ns: string, port: number, ip: string) => pod(ns, 'db', { app: 'db' }, { ip, ports: [{ name: 'pg', containerPort: port }] });
    const toDbPg = apiEgress('to-db-pg', [{ ipBlock: { cidr: '10.9.0.0/16' } }], [{ port: 'pg' }]);

    test('compliant: they are told apart by their named ports', () => {
      const to5432 = apiEgress('to-db-5432', [{ ipBlock: { cidr: '10.9.0.0/16' } }], [{ port: 5432 }]);
      expect(findingsOf(lint([api, deny, db('billing', 5432, '10.9.0.5'), db('legacy', 6432, '10.9.0.6'), to5432, toDbPg]), 'NP008')).toEqual([]);
      expect(findingsOf(lint([api, deny, db('billing', 5432, '10.9.0.5'), db('legacy', 5432, '10.9.0.6'), to5432, toDbPg]), 'NP008')
        .map(f => f.name)).toEqual(['to-db-pg']);
    });

    test('compliant: they are told apart by the other policies\' selectors', () => {
      const toData = apiEgress('to-data', [{ namespaceSelector: { matchLabels: { team: 'data' } } }], [{ port: 'pg' }]);
      const pods = [db('billing', 5432, '10.9.0.5'), db('legacy', 5432, '10.9.0.6')];
      expect(findingsOf(lint([api, deny, namespace('billing', { team: 'data' }), namespace('legacy', { team: 'old' }), ...pods, toData, toDbPg]), 'NP008'))
        .toEqual([]);
      expect(findingsOf(lint([api, deny, namespace('billing', { team: 'data' }), namespace('legacy', { team: 'data' }), ...pods, toData, toDbPg]), 'NP008')
        .map(f => f.name)).toEqual(['to-db-pg']);
    });
  });

  test('compliant: the same policy in another namespace does not shadow it', () => {
    const copy = (ns: string, name: string) => policy(ns, name, { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: fromWeb }] });
    const report = lint([api, web, deny, deployment('shop2', 'api', { app: 'api' }), deployment('shop2', 'web', { app: 'web' }),
      policy('shop2', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }), copy('shop', 'a'), copy('shop2', 'b')]);
    expect(findingsOf(report, 'NP008')).toEqual([]);
  });

  test('suppressed: on the Policy construct', () => {
    const chart = chartIn('shop');
    new ApiObject(chart, 'Api', api);
    new ApiObject(chart, 'Web', web);
    const selector = LabelSelector.labels({ app: 'api' });
    new Policy(chart, 'ApiFromWeb', { podSelector: selector, ingress: [{ from: [Peer.pods({ app: 'web' })], ports: [Port.allTcp()] }] });
    const https = new Policy(chart, 'ApiHttps', { podSelector: selector, ingress: [{ from: [Peer.pods({ app: 'web' })], ports: [Port.tcp(8443)] }] });
    NetpolLint.suppress(https, [{ id: 'NP008', reason: 'kept while the wide policy is phased out' }]);
    const report = Linter.lintChart(chart);
    expect(findingsOf(report, 'NP008')).toEqual([]);
    expect(report.suppressedFindings.filter(f => f.ruleId === 'NP008').map(f => f.constructPath)).toEqual(['test/ApiHttps']);
  });

  test('not applicable: default denies, and policies that select no pod in the input', () => {
    const report = lint([api, deny,
      policy('shop', 'deny-again', { podSelector: {}, policyTypes: ['Ingress'] }),
      toApi('x', fromWeb),
      policy('payments', 'p', { podSelector: {}, ingress: [{}] }),
      policy('payments', 'q', { podSelector: {}, ingress: [{}] })]);
    expect(findingsOf(report, 'NP008')).toEqual([]);
  });
});
