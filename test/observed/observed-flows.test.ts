/**
 * The flow readers on samples written from each format's documentation (sources in
 * test/fixtures/observed/README.md: docs.cilium.io hubble-cli and the Flow API, docs.tigera.io
 * flow log data types, inspektor-gadget.io gadgets), and FlowReplay on them.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ClusterModel, FlowFormat, FlowReplay, ObservedFlows, ObservedVerdict } from '../../src';
import { loadManifests } from '../../src/io/manifest-loader';
import { splitLines } from '../../src/observed/line-reader';

const F = path.join(__dirname, '..', 'fixtures', 'observed');
const file = (name: string) => path.join(F, name);
const model = (name: string) => ClusterModel.fromObjects(loadManifests([file(name)], {}).objects.map(o => o.object));

describe('readers', () => {
  test('Hubble: flows aggregated, replies, ICMP and non-flow records skipped and counted, a broken line reported with its line', async () => {
    const o = await ObservedFlows.fromFiles([file('hubble.json')]);
    expect(o.flows.map(f => `${f.source.pod ?? f.source.ip ?? '?'}>${f.destination.pod ?? f.destination.ip} ${f.protocol}/${f.port} ${f.verdict}`)).toEqual([
      'web-7d4b9c8f6-x2x9k>db-0 TCP/5432 ALLOWED',
      'web-7d4b9c8f6-x2x9k>93.184.216.34 TCP/443 DENIED',
      'debug>db-0 TCP/5432 DENIED',
      'x-1>db-0 TCP/5432 ALLOWED',
      '10.0.0.6>db-0 TCP/5432 ALLOWED',
    ]);
    expect(o.flows[0].source.labels).toEqual({ 'app': 'web', 'pod-template-hash': '7d4b9c8f6' });
    expect(o.flows[0].source.workload).toBe('web');
    expect(o.problems).toEqual([{ file: file('hubble.json'), line: 6, message: expect.stringMatching(/^not JSON/) }]);
    expect(o.skipped.map(s => [s.reason.split(' ')[0], s.count, s.firstSeen.split(':').pop()])).toEqual([['reply', 1, '2'], ['ICMPV4', 1, '4'], ['Hubble', 1, '9']]);
    expect(Object.isFrozen(o.flows[0].source.labels)).toBe(true);
  });

  test('Calico: num_flows is the count, a pub network without an address is skipped, a bad port is a problem', async () => {
    const o = await ObservedFlows.fromFiles([file('calico.json')]);
    expect(o.flows.map(f => [f.source.workload ?? f.source.pod, f.destination.workload, f.count, f.verdict])).toEqual([
      ['web-7d4b9c8f6', 'db', 5, ObservedVerdict.ALLOWED], ['debug', 'db', 2, ObservedVerdict.DENIED],
    ]);
    expect(o.problems.map(p => [p.line, p.message])).toEqual([[5, expect.stringContaining('dest_port: Invalid value: "70000"')]]);
    expect(o.skipped.map(s => s.count)).toEqual([1, 1]);
  });

  test('Inspektor Gadget: trace network (OUTGOING/HOST) and trace_tcp connect events; close and svc skipped', async () => {
    const o = await ObservedFlows.fromFiles([file('gadget.json')]);
    expect(o.flows.map(f => `${f.source.pod ?? f.source.ip}>${f.destination.pod ?? f.destination.ip}:${f.port}`)).toEqual([
      'web-7d4b9c8f6-x2x9k>db-0:5432', '10.1.2.3>db-0:5432', 'web-7d4b9c8f6-x2x9k>93.184.216.34:443',
    ]);
    expect(o.problems.map(p => p.line)).toEqual([6]);
    expect(o.skipped.map(s => s.reason)).toEqual([expect.stringContaining('remoteKind svc'), expect.stringContaining('close events')]);
  });

  test('generic CSV with a BOM and CRLF; generic JSON lines with an unknown protocol and a bad endpoint', async () => {
    const csv = await ObservedFlows.fromFiles([file('generic.csv')]);
    expect(csv.flows.map(f => [f.source.namespace, f.source.pod, f.destination.pod, f.port, f.count])).toEqual([
      ['shop', 'web', 'db', 5432, 4], ['ops', 'debug', 'db', 5432, 1],
    ]);
    expect(csv.problems.map(p => p.line)).toEqual([4, 5]);
    const json = await ObservedFlows.fromFiles([file('generic.jsonl')], { format: FlowFormat.GENERIC });
    expect(json.observations).toBe(16);
    expect(json.skipped).toEqual([{ reason: expect.stringContaining('GRE'), count: 1, firstSeen: `${file('generic.jsonl')}:4` }]);
    expect(json.problems[0]).toMatchObject({ line: 5, message: expect.stringContaining('"shop"') });
  });

  test('a line over the limit is reported, not read, and the next line is read', async () => {
    const text = `{"source":"shop/web","destination":"shop/db","port":1,"x":"${'a'.repeat(5000)}"}\n{"source":"shop/web","destination":"shop/db","port":2}\n`;
    const o = await ObservedFlows.fromText(text, 'big', { maxLineBytes: 1000 });
    expect(o.problems).toEqual([{ file: 'big', line: 1, message: expect.stringContaining('more than the limit of 1,000') }]);
    expect(o.flows.map(f => f.port)).toEqual([2]);
  });

  test('a FIFO is refused without waiting for a writer', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-fifo-'));
    const fifo = path.join(dir, 'flows');
    execFileSync('mkfifo', [fifo]);
    await expect(ObservedFlows.fromFiles([fifo])).rejects.toThrow(/FIFO \(named pipe\), not a regular file/);
    fs.rmSync(dir, { recursive: true });
  }, 30000);

  test('bad options are clear errors', async () => {
    await expect(ObservedFlows.fromFiles([file('generic.csv')], { format: 'csv' as any })).rejects.toThrow(/options.format/);
    await expect(ObservedFlows.fromFiles('x' as any)).rejects.toThrow(/files/);
  });

  test('streams: the first line comes out before the input ends', async () => {
    let produced = 0;
    let seenAt = -1;
    async function* chunks() {
      for (let i = 0; i < 1000; i++) {
        produced++;
        yield Buffer.from(`{"source":"shop/web","destination":"shop/db","port":${1 + (i % 100)}}\n`);
      }
    }
    for await (const l of splitLines(chunks(), 1024)) {
      if (seenAt < 0) seenAt = produced;
      expect(l.text).toBeDefined();
    }
    expect(seenAt).toBeLessThan(5);
    expect(produced).toBe(1000);
  });
});

describe('FlowReplay', () => {
  test('broken now, the change breaks, unmatched, by workload, labels, IP and external address', async () => {
    const o = await ObservedFlows.fromFiles([file('hubble.json')]);
    const r = FlowReplay.replay(model('shop.yaml'), o, { against: model('shop-narrowed.yaml') });
    expect(r.brokenNow.map(g => `${g.from}>${g.to} ${g.protocol}/${g.port} x${g.observations}`)).toEqual([
      'ops/debug>shop/db TCP/5432 x1', 'shop/web>93.184.216.34 TCP/443 x1',
    ]);
    expect(r.brokenNow[0].deniedBy[0]).toMatch(/^ingress to shop\/db: isolated by shop\/db/);
    // the pod named by its Deployment's naming and the pod known only by its labels are both shop/web
    expect(r.changeBreaks).toEqual([expect.objectContaining({ from: 'shop/web', to: 'shop/db', observations: 2, flows: 2 })]);
    expect(r.unmatched).toHaveLength(1); // once, though both versions lack it
    expect(r.unmatched[0].reason).toContain('the input has no endpoint in namespace other');
    expect(r.neverSeen.map(p => `${p.from}>${p.to} ${p.unused}`)).toEqual(expect.arrayContaining(['ops/debug>shop/web TCP 8080']));
    expect(Object.isFrozen(r.brokenNow[0])).toBe(true);
  });

  test('an IP is matched to the pod that has it', async () => {
    const o = await ObservedFlows.fromText('{"source":"10.1.2.3","destination":"shop/db","port":5432}\n');
    const r = FlowReplay.replay(model('shop.yaml'), o);
    expect(r.brokenNow.map(g => g.from)).toEqual(['ops/debug']);
  });

  test('refuses what is not a model', async () => {
    const o = await ObservedFlows.fromText('');
    expect(() => FlowReplay.replay({} as any, o)).toThrow(/before: .*ClusterModel/);
    expect(() => FlowReplay.replay(model('shop.yaml'), o, { against: 1 as any })).toThrow(/options.against/);
  });
});
