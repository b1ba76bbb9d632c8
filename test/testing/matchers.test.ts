import { ApiObject, Chart, Testing } from 'cdk8s';
import { ClusterModel } from '../../src/analysis';
import { Direction } from '../../src/direction';
import { LabelSelector } from '../../src/label-selector';
import { AllowFromNamespace } from '../../src/patterns/allow-from-namespace';
import { DefaultDeny } from '../../src/patterns/default-deny';
import { Port } from '../../src/port';
import { netpolMatchers, registerNetpolMatchers } from '../../src/testing';

registerNetpolMatchers();

function shopChart(): Chart {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new ApiObject(chart, 'web', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  });
  new ApiObject(chart, 'db', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: { template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres', ports: [{ name: 'postgres', containerPort: 5432 }] }] } } },
  });
  new DefaultDeny(chart, 'Deny', { name: 'deny-ingress', directions: [Direction.INGRESS] });
  new AllowFromNamespace(chart, 'DbFromWeb', {
    name: 'db-from-web',
    podSelector: LabelSelector.labels({ app: 'db' }),
    fromNamespace: 'shop',
    fromPodLabels: { app: 'web' },
    ports: [Port.tcp(5432)],
  });
  return chart;
}

describe('toAllowTraffic / toDenyTraffic', () => {
  test('accept representative endpoints: pods the input does not contain', () => {
    // GIVEN the web pods also accept the tools namespace on 8080
    const chart = shopChart();
    new AllowFromNamespace(chart, 'WebFromTools', { name: 'web-from-tools', podSelector: LabelSelector.labels({ app: 'web' }), fromNamespace: 'tools', ports: [Port.tcp(8080)] });
    // THEN a pod of tools (not in the chart) reaches web on 8080 only, and a pod of any other namespace does not
    expect(chart).toAllowTraffic({ from: 'tools/*', to: 'shop/web', port: 8080 });
    expect(chart).toDenyTraffic({ from: 'tools/*', to: 'shop/web', port: 9090 });
    expect(chart).toDenyTraffic({ from: '*/*', to: 'shop/web', port: 8080 });
    expect(chart).toDenyTraffic({ from: 'tools/{role=debug}', to: 'shop/db', port: 5432 });
    expect(() => expect(chart).toAllowTraffic({ from: '*/*', to: 'shop/web', port: 8080 })).toThrow(/\*\/\* -> shop\/web TCP\/8080: denied/);
  });

  test('assert on a chart', () => {
    const chart = shopChart();
    expect(chart).toAllowTraffic({ from: 'shop/web', to: 'shop/db', port: 5432 });
    expect(chart).toDenyTraffic({ from: 'shop/db', to: 'shop/web', port: 80 });
    expect(chart).toDenyTraffic({ from: 'shop/web', to: 'shop/db', port: 5432, protocol: 'UDP' });
    expect(chart).not.toDenyTraffic({ from: 'shop/web', to: 'shop/db', port: 5432 });
    expect(chart).not.toAllowTraffic({ from: '203.0.113.9', to: 'shop/db', port: 5432 });
  });

  test('assert on an app, an array of objects or a model', () => {
    const chart = shopChart();
    const objects = Testing.synth(chart);
    expect(chart.node.scope).toAllowTraffic({ from: 'shop/web', to: 'shop/db', port: 5432 });
    expect(objects).toAllowTraffic({ from: 'shop/web', to: 'shop/db', port: 5432 });
    expect(ClusterModel.fromObjects(objects)).toDenyTraffic({ from: 'shop/web', to: 'shop/db', port: 5433 });
  });

  test('a port may be a container port name, and the protocol any case', () => {
    const chart = shopChart();
    expect(chart).toAllowTraffic({ from: 'shop/web', to: 'shop/db', port: 'postgres', protocol: 'tcp' });
    expect(chart).toAllowTraffic({ from: 'shop/web', to: 'shop/db', port: '5432' });
  });

  test('analysis options are passed on', () => {
    const objects = [
      { kind: 'Pod', metadata: { name: 'a', namespace: 'x' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'x' }, spec: { podSelector: {} } },
    ];
    expect(objects).toAllowTraffic({ from: 'x/a', to: 'x/a', port: 80 });
    expect(objects).toDenyTraffic({ from: 'x/a', to: 'x/a', port: 80 }, { selfTraffic: 'EVALUATE' as any });
  });

  test('fails with the explanation of the verdict', () => {
    const chart = shopChart();
    expect(() => expect(chart).toAllowTraffic({ from: 'shop/db', to: 'shop/web', port: 80 })).toThrow([
      'Expected shop/db -> shop/web TCP/80 to be allowed, but it is denied:',
      '',
      'shop/db -> shop/web TCP/80: denied by ingress',
      '  egress from shop/db: not isolated (no policy in namespace shop selects it for Egress); allowed',
      '  ingress to shop/web: isolated by shop/deny-ingress; no rule of the policy that selects shop/web allows it',
      '    - shop/deny-ingress: no ingress rules (it only isolates)',
    ].join('\n'));
    expect(() => expect(chart).toDenyTraffic({ from: 'shop/web', to: 'shop/db', port: 5432 }))
      .toThrow(/Expected shop\/web -> shop\/db TCP\/5432 to be denied, but it is allowed:\n\n.*\n.*\n  ingress to shop\/db: isolated by .*; allowed by shop\/db-from-web ingress rule 0/);
    expect(() => expect(chart).not.toAllowTraffic({ from: 'shop/web', to: 'shop/db', port: 5432 }))
      .toThrow(/Expected shop\/web -> shop\/db TCP\/5432 not to be allowed, but it is allowed/);
  });

  test('throws for input that is not a chart, an app, objects or a model', () => {
    expect(() => expect('manifest.yaml').toAllowTraffic({ from: 'a/b', to: 'c/d', port: 1 }))
      .toThrow('expected a cdk8s Chart or App, an array of Kubernetes objects, or a ClusterModel; received string');
  });

  test('throws for an unknown endpoint', () => {
    expect(() => expect(shopChart()).toAllowTraffic({ from: 'shop/nope', to: 'shop/db', port: 5432 })).toThrow(/from: unknown endpoint "shop\/nope"/);
  });

  test('the matchers can be registered by hand', () => {
    const extend = jest.fn();
    registerNetpolMatchers({ extend });
    expect(extend).toHaveBeenCalledWith(netpolMatchers);
    expect(() => registerNetpolMatchers({} as any)).toThrow(/Jest's expect is not available/);
  });
});
