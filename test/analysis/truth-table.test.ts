import { conformanceModel, policy } from './conformance-fixture';
import { ClusterModel, SelfTraffic } from '../../src/analysis';
import { Protocol } from '../../src/port';
import { pod } from '../fixtures/manifests';


describe('TruthTable', () => {
  const model = ClusterModel.fromObjects([
    pod('shop', 'web', { app: 'web' }),
    pod('shop', 'db', { app: 'db' }),
    pod('ops', 'prometheus', { app: 'prometheus' }),
    policy('shop', 'db-from-web', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] }),
  ], { externalIps: ['203.0.113.9'] });

  test('covers every ordered pair of endpoints, external ones included', () => {
    const table = model.truthTable(5432);
    expect(table.port).toBe(5432);
    expect(table.protocol).toBe(Protocol.TCP);
    expect(table.endpoints).toEqual(['ops/prometheus', 'shop/db', 'shop/web', '203.0.113.9']);
    expect(table.isAllowed('shop/web', 'shop/db')).toBe(true);
    expect(table.isAllowed('ops/prometheus', 'shop/db')).toBe(false);
    expect(table.isAllowed('203.0.113.9', 'shop/db')).toBe(false);
    expect(table.isAllowedAt(2, 1)).toBe(true);
    expect(table.countAllowed()).toBe(16 - 2);
  });

  test('prints a grid like the conformance tooling', () => {
    expect(model.truthTable(5432).toGrid()).toEqual([
      '-              ops/prometheus shop/db shop/web 203.0.113.9',
      'ops/prometheus .              X       .        .',
      'shop/db        .              .       .        .',
      'shop/web       .              .       .        .',
      '203.0.113.9    .              X       .        .',
      '',
    ].join('\n'));
  });

  test('renders JSON covering every pair', () => {
    expect(model.truthTable(5432, Protocol.TCP).toJson()).toEqual({
      port: 5432,
      protocol: 'TCP',
      pods: ['ops/prometheus', 'shop/db', 'shop/web', '203.0.113.9'],
      allowed: {
        'ops/prometheus': { 'ops/prometheus': true, 'shop/db': false, 'shop/web': true, '203.0.113.9': true },
        'shop/db': { 'ops/prometheus': true, 'shop/db': true, 'shop/web': true, '203.0.113.9': true },
        'shop/web': { 'ops/prometheus': true, 'shop/db': true, 'shop/web': true, '203.0.113.9': true },
        '203.0.113.9': { 'ops/prometheus': true, 'shop/db': false, 'shop/web': true, '203.0.113.9': true },
      },
    });
  });

  test('renders the allowed flows as a Mermaid flowchart grouped by namespace, without self-loops', () => {
    const m = ClusterModel.fromObjects([
      pod('shop', 'web', { app: 'web' }),
      pod('shop', 'db', { app: 'db' }),
      policy('shop', 'deny', { podSelector: {}, ingress: [] }),
      policy('shop', 'db-from-web', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }),
    ]);
    expect(m.truthTable(5432).toMermaid()).toEqual([
      'flowchart LR',
      '  subgraph g0 ["shop"]',
      '    n0["shop/db"]',
      '    n1["shop/web"]',
      '  end',
      '  n1 --> n0',
      '',
    ].join('\n'));
  });

  test('throws for unknown endpoints and out-of-range indices', () => {
    const table = model.truthTable(80);
    expect(() => table.isAllowed('shop/nope', 'shop/db')).toThrow(/unknown endpoint "shop\/nope"/);
    expect(() => table.isAllowedAt(0, 4)).toThrow('toIndex 4 is out of range (0-3)');
    expect(() => table.isAllowedAt(-1, 0)).toThrow('fromIndex -1 is out of range (0-3)');
  });

  test('throws for an invalid port', () => {
    expect(() => model.truthTable(0)).toThrow('port: Invalid value: 0: must be between 1 and 65535, inclusive');
  });

  test('counts the diagonal according to the selfTraffic option', () => {
    const policies = [policy('x', 'deny-all', { podSelector: {}, ingress: [] })];
    expect(conformanceModel(policies).truthTable(80).countAllowed()).toBe(81 - 9 * 3 + 3);
    expect(conformanceModel(policies, { selfTraffic: SelfTraffic.EVALUATE }).truthTable(80).countAllowed()).toBe(81 - 9 * 3);
  });
});

describe('TruthTable | equivalent pods', () => {
  test('thousands of replicas cost what their shapes cost', () => {
    // GIVEN 3,000 pods of 3 shapes
    const objects: any[] = [];
    for (let i = 0; i < 1000; i++) {
      objects.push(pod('shop', `web-${i}`, { app: 'web' }));
      objects.push(pod('shop', `db-${i}`, { app: 'db' }));
      objects.push(pod('shop', `batch-${i}`, { app: 'batch' }));
    }
    objects.push(policy('shop', 'db-from-web', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }));
    const model = ClusterModel.fromObjects(objects);

    // WHEN
    const start = Date.now();
    const table = model.truthTable(5432);
    const count = table.countAllowed();

    // THEN 9,000,000 pairs, of which batch -> db and db -> db are denied (except each db pod to itself)
    expect(count).toBe(9_000_000 - 2 * 1000 * 1000 + 1000);
    expect(table.isAllowed('shop/web-17', 'shop/db-999')).toBe(true);
    expect(table.isAllowed('shop/batch-3', 'shop/db-4')).toBe(false);
    expect(Date.now() - start).toBeLessThan(2000);
  });
});
