import { ClusterModel } from '../../../src';
import { Severity } from '../../../src/lint';
import { deployment, findingsOf, FILE, lint, policy, suppressedOf } from '../lint-helpers';

const backend = deployment('shop', 'backend', { app: 'backend' }, { ports: [{ name: 'http', containerPort: 5000 }] });
const service = (ports: any[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend-svc', namespace: 'shop' }, spec: { selector: { app: 'backend' }, ports } });
const ingress = (ports: any[], annotations?: Record<string, string>) =>
  policy('shop', 'backend', { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ podSelector: {} }], ports }] }, annotations);

describe('NP012 service-port-confusion: a Service port opened instead of its target port', () => {
  test('compliant: the target port, by number or by name', () => {
    expect(findingsOf(lint([backend, service([{ port: 5001, targetPort: 5000 }]), ingress([{ port: 5000 }])]), 'NP012')).toEqual([]);
    expect(findingsOf(lint([backend, service([{ port: 8080, targetPort: 'http' }]), ingress([{ port: 'http' }])]), 'NP012')).toEqual([]);
    // both the Service port and the target port: the target port is open, nothing is confused
    expect(findingsOf(lint([backend, service([{ port: 5001, targetPort: 5000 }]), ingress([{ port: 5001 }, { port: 5000 }])]), 'NP012')).toEqual([]);
    // the Service port equals the target port
    expect(findingsOf(lint([backend, service([{ port: 5000 }]), ingress([{ port: 5000 }])]), 'NP012')).toEqual([]);
  });

  test('non-compliant: the Service port, which the Service forwards to 5000', () => {
    const report = lint([backend, service([{ port: 5001, targetPort: 5000 }]), ingress([{ port: 5001 }])]);
    expect(findingsOf(report, 'NP012')).toEqual([{
      ruleId: 'NP012',
      ruleName: 'service-port-confusion',
      severity: Severity.WARNING,
      message: 'TCP/5001 is port 5001 of Service shop/backend-svc, which sends it to targetPort 5000 on shop/backend; policies see the target port, and this rule opens none of it',
      fix: 'Open the target port (the container port the Service forwards to, e.g. `port: 5000` or the named port `http`), not the Service port.',
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'backend',
      field: 'spec.ingress[0].ports[0]',
      file: FILE,
      documentIndex: 2,
    }]);
    // the analysis agrees: the Service port maps to 5000, which the policy denies
    const model = ClusterModel.fromObjects([backend, service([{ port: 5001, targetPort: 5000 }]), ingress([{ port: 5001 }]), deployment('shop', 'web', { app: 'web' })]);
    const [target] = model.serviceTargets('shop/backend-svc', 5001);
    expect(target).toMatchObject({ endpoint: 'shop/backend', targetPort: 5000, description: 'Service shop/backend-svc TCP port 5001 -> targetPort 5000 on shop/backend' });
    expect(model.isAllowed('shop/web', 'shop/backend', target.targetPort!)).toBe(false);
  });

  test('non-compliant: a named targetPort resolved on the pods', () => {
    const report = lint([backend, service([{ port: 8080, targetPort: 'http' }]), ingress([{ port: 8000, endPort: 8100 }])]);
    expect(findingsOf(report, 'NP012').map(f => f.message)).toEqual([
      'TCP/8000-8100 is port 8080 of Service shop/backend-svc, which sends it to targetPort "http" (5000) on shop/backend; policies see the target port, and this rule opens none of it',
    ]);
  });

  test('suppressed: with the annotation on the policy', () => {
    const report = lint([backend, service([{ port: 5001, targetPort: 5000 }]), ingress([{ port: 5001 }], { 'netpol.cdk8s.io/suppress': 'NP012: 5001 is also a container port of the sidecar' })]);
    expect(findingsOf(report, 'NP012')).toEqual([]);
    expect(suppressedOf(report, 'NP012').map(f => f.field)).toEqual(['spec.ingress[0].ports[0]']);
  });

  test('not applicable: a Service of other pods, another protocol, or a port entry without a number', () => {
    const other = { ...service([{ port: 5001, targetPort: 5000 }]), spec: { selector: { app: 'other' }, ports: [{ port: 5001, targetPort: 5000 }] } };
    expect(findingsOf(lint([backend, other, ingress([{ port: 5001 }])]), 'NP012')).toEqual([]);
    expect(findingsOf(lint([backend, service([{ port: 5001, targetPort: 5000, protocol: 'UDP' }]), ingress([{ port: 5001 }])]), 'NP012')).toEqual([]);
    expect(findingsOf(lint([backend, service([{ port: 5001, targetPort: 5000 }]), ingress([{ protocol: 'TCP' }])]), 'NP012')).toEqual([]);
  });
});
