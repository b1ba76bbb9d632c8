import { describe, expect, jest as jestObject, test } from '@jest/globals';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { DefaultDeny, NetpolLint, Peer, Policy, Port } from '../../src';
import { connectivitySnapshotText, registerConnectivitySnapshotMatcher, registerNetpolMatchers } from '../../src/testing';

// `expect` from '@jest/globals' has the matchers' types (this file type-checks with
// tsc -p tsconfig.dev.json), and registering on it works.
registerNetpolMatchers(expect);
registerConnectivitySnapshotMatcher(expect);

function objects(): any[] {
  return [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'shop', labels: { app: 'db' } } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] },
    },
  ];
}

describe('matchers with @jest/globals |', () => {
  test('toAllowTraffic and toDenyTraffic work on the imported expect', () => {
    expect(objects()).toAllowTraffic({ from: 'shop/web', to: 'shop/db', port: 5432 });
    expect(objects()).toDenyTraffic({ from: 'shop/web', to: 'shop/db', port: 80 });
    expect(() => expect(objects()).toAllowTraffic({ from: 'shop/web', to: 'shop/db', port: 80 })).toThrow(/to be allowed, but it is denied/);
  });

  test('toMatchConnectivitySnapshot works on the imported expect, and is typed there (tsc checks this call)', () => {
    expect(connectivitySnapshotText(objects())).toContain('shop/web => shop/db : TCP 5432\n');
    expect(objects()).toMatchConnectivitySnapshot();
  });
});

describe('matchers do not lint |', () => {
  test('a chart whose app fails the lint is judged without failing or printing', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'Web', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } } });
    new DefaultDeny(chart, 'Deny');
    new Policy(chart, 'Open', { ingress: [{ from: [Peer.anyIpv4()], ports: [Port.HTTPS] }] });
    NetpolLint.addTo(app, { failOnWarnings: true });
    expect(() => Testing.synth(chart)).toThrow(/NP0/); // the lint does fail synthesis
    const stderr = jestObject.spyOn(process.stderr, 'write');
    try {
      expect(chart).toDenyTraffic({ from: '10.0.0.1', to: 'shop/web', port: 80 });
      expect(app).toAllowTraffic({ from: '10.0.0.1', to: 'shop/web', port: 443 });
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
    }
  });

  test('a chart nested in the received chart is left out, as chart.toJson() leaves it out; the app has both', () => {
    const app = new App();
    const parent = new Chart(app, 'parent', { namespace: 'shop' });
    const child = new Chart(parent, 'child', { namespace: 'shop' });
    new ApiObject(parent, 'Db', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', labels: { app: 'db' } } });
    new ApiObject(child, 'Web', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } } });
    expect(() => expect(parent).toAllowTraffic({ from: 'shop/db', to: 'shop/web', port: 80 })).toThrow(/unknown endpoint "shop\/web"/);
    expect(app).toAllowTraffic({ from: 'shop/db', to: 'shop/web', port: 80 });
  });
});
