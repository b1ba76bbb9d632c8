/**
 * Issue 18.3: users think in Services. `explain`, `list --port` and the matchers accept a
 * Service port and evaluate the target port it maps to on each selected pod, saying so.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expectNoStackTrace, netpol } from './run-netpol';
import { ClusterModel } from '../../src';
import { netpolMatchers } from '../../src/testing';

/** The recipe: the backend listens on 5000, its Service on 5001 (and 8080 by the port's name); the policy opens 5000. */
const OBJECTS = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'backend', namespace: 'shop' },
    spec: { template: { metadata: { labels: { app: 'backend' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 5000 }] }] } } },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'frontend', namespace: 'shop', labels: { app: 'frontend' } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop', labels: { app: 'debug' } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend', namespace: 'shop' }, spec: { selector: { app: 'backend' }, ports: [{ port: 5001, targetPort: 5000 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'backend-svc', namespace: 'shop' }, spec: { selector: { app: 'backend' }, ports: [{ name: 'web', port: 8080, targetPort: 'http' }] } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'backend', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'backend' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 5000 }] }] },
  },
];

let dir: string;
let file: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-service-'));
  file = path.join(dir, 'shop.json');
  fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: OBJECTS }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ClusterModel: Services', () => {
  const model = ClusterModel.fromObjects(OBJECTS);

  test('reads the Services and maps a port to each selected pod\'s target port', () => {
    expect(model.services.map(s => s.name)).toEqual(['shop/backend', 'shop/backend-svc']);
    expect(model.serviceTargets('shop/backend-svc', 8080)).toEqual([{
      service: 'shop/backend-svc',
      servicePort: 8080,
      protocol: 'TCP',
      endpoint: 'shop/backend',
      targetPort: 5000,
      description: 'Service shop/backend-svc TCP port 8080 -> targetPort "http" = 5000 on shop/backend',
    }]);
    expect(() => model.serviceTargets('shop/backend-svc', 9)).toThrow('port: Invalid value: 9: Service shop/backend-svc has no TCP port 9 (its ports: TCP/8080)');
    expect(() => model.serviceTargets('shop/nothing', 80)).toThrow(/unknown Service "shop\/nothing"; known Services: shop\/backend, shop\/backend-svc/);
  });

  test('a name shared by a workload and its Service is the Service only for a port the workload does not have', () => {
    expect(model.serviceQueryTargets({ from: 'shop/frontend', to: 'shop/backend', port: 5001 })!.map(t => t.targetPort)).toEqual([5000]);
    expect(model.serviceQueryTargets({ from: 'shop/frontend', to: 'shop/backend', port: 5000 })).toBeUndefined();
    expect(model.serviceQueryTargets({ from: 'shop/frontend', to: 'shop/frontend', port: 80 })).toBeUndefined();
    expect(model.serviceQueryTargets({ from: 'shop/frontend', to: 'shop/backend-svc', portName: 'web' })!.map(t => t.targetPort)).toEqual([5000]);
  });
});

describe('netpol explain --to <Service>', () => {
  test('the recipe: Service port 5001 is evaluated as targetPort 5000, and says so', async () => {
    const out = await netpol(['explain', file, '--from', 'shop/frontend', '--to', 'shop/backend', '--port', '5001']);
    expect(out.code).toBe(0);
    expect(out.stdout.split('\n').slice(0, 3)).toEqual([
      'shop/backend is a Service: policies see the pod it selects and the target port, never the Service port',
      'Service shop/backend TCP port 5001 -> targetPort 5000 on shop/backend',
      'shop/frontend -> shop/backend TCP/5000: allowed',
    ]);
  });

  test('a named targetPort, and a source the policy refuses (exit 3)', async () => {
    const out = await netpol(['explain', file, '--from', 'shop/debug', '--to', 'shop/backend-svc', '--port', '8080']);
    expect(out.code).toBe(3);
    expect(out.stdout).toContain('Service shop/backend-svc TCP port 8080 -> targetPort "http" = 5000 on shop/backend\nshop/debug -> shop/backend TCP/5000: denied');
    const json = JSON.parse((await netpol(['explain', file, '--from', 'shop/frontend', '--to', 'shop/backend-svc', '--port', '8080', '--format', 'json'])).stdout);
    expect(json).toMatchObject({ service: 'shop/backend-svc', allowed: true, targets: [{ endpoint: 'shop/backend', targetPort: 5000, verdict: { allowed: true, port: 5000 } }] });
  });

  test('a port the Service does not have is exit 2 with its ports', async () => {
    const out = await netpol(['explain', file, '--from', 'shop/frontend', '--to', 'shop/backend-svc', '--port', '9']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('netpol explain: port: Invalid value: 9: Service shop/backend-svc has no TCP port 9 (its ports: TCP/8080 ("web"))\n');
    expectNoStackTrace(out);
  });
});

describe('netpol list --to <Service> --port', () => {
  test('lists the flows to the selected pods that allow the target port, the mapping on standard error', async () => {
    const out = await netpol(['list', file, '--to', 'shop/backend-svc', '--port', '8080']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('shop/frontend => shop/backend : TCP 5000\n');
    expect(out.stderr).toBe('netpol list: Service shop/backend-svc TCP port 8080 -> targetPort "http" = 5000 on shop/backend (policies see the target port)\n');
    const recipe = await netpol(['list', file, '--to', 'shop/backend', '--port', '5001', '--format', 'json']);
    expect(JSON.parse(recipe.stdout).connections).toEqual([{ from: 'shop/frontend', to: 'shop/backend', allowed: { TCP: [[5000, 5000]] } }]);
  });
});

describe('toAllowTraffic / toDenyTraffic with a Service', () => {
  const call = (name: 'toAllowTraffic' | 'toDenyTraffic', traffic: any) => (netpolMatchers[name] as any).call({ isNot: false }, OBJECTS, traffic);

  test('the Service port is judged on the target port of every selected pod', () => {
    expect(call('toAllowTraffic', { from: 'shop/frontend', to: 'shop/backend', port: 5001 }).pass).toBe(true);
    expect(call('toAllowTraffic', { from: 'shop/frontend', to: 'shop/backend-svc', port: 8080 }).pass).toBe(true);
    const denied = call('toAllowTraffic', { from: 'shop/debug', to: 'shop/backend-svc', port: 8080 });
    expect(denied.pass).toBe(false);
    expect(denied.message()).toContain('Service shop/backend-svc TCP port 8080 -> targetPort "http" = 5000 on shop/backend');
    expect(call('toDenyTraffic', { from: 'shop/debug', to: 'shop/backend-svc', port: 'web' }).pass).toBe(true);
  });
});
