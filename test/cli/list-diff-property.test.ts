/**
 * The command line shows exactly what the library computes. The library's property
 * (`test/analysis/connectivity.test.ts`) compares `ClusterModel.connectivity()` with `allowed()`;
 * it never ran the CLI, so a default the CLI added on its own (`--protocol TCP`, issue 18) could
 * drop every UDP- and SCTP-only flow unseen. These run `netpol list` and `netpol diff` with their
 * default options, in process, on random clusters and compare with the library, protocol by
 * protocol.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { netpol } from './run-netpol';
import { ClusterModel, ConnectivityDiff, Protocol } from '../../src';
import { cluster } from '../analysis/cluster-arbitraries';
import { fcRuns } from '../fixtures/property-runs';

const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];
const objectsOf = (c: { namespaces: any[]; pods: any[]; policies: any[] }) => [...c.namespaces, ...c.pods, ...c.policies];
const asList = (objects: any[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });

// The two CLI properties run the command line in process some 200 times: generous timeouts, as
// for any test that does much work on a shared machine.

/** Whether a flow of a list's JSON allows some port of the protocol: numbered, or named (towards a representative endpoint). */
function hasProtocol(c: any, protocol: Protocol): boolean {
  return c.allowed[protocol] !== undefined || c.allowed.named?.[protocol] !== undefined;
}

/** The flows of a list's JSON that allow some port of the protocol, as `from => to`. */
function flowsWith(json: any, protocol: Protocol): string[] {
  return json.connections.filter((c: any) => hasProtocol(c, protocol)).map((c: any) => `${c.from} => ${c.to}`);
}

/** Only the protocol's part of each flow (numbered and named ports): a flow without it is left out. */
function onlyProtocol(json: any, protocol: Protocol): any[] {
  return json.connections.filter((c: any) => hasProtocol(c, protocol))
    .map((c: any) => ({ from: c.from, to: c.to, ports: c.allowed[protocol], named: c.allowed.named?.[protocol] }));
}

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cli-property-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the CLI against the library', () => {
  test('netpol list with default options prints exactly the library\'s connectivity, for TCP, UDP and SCTP', async () => {
    await fc.assert(fc.asyncProperty(cluster, async c => {
      const objects = objectsOf(c);
      const library = ClusterModel.fromObjects(objects).connectivity().toJson();
      const out = await netpol(['list', '-', '--format', 'json'], asList(objects));
      expect(out.code).toBe(0);
      const cli = JSON.parse(out.stdout);
      for (const protocol of PROTOCOLS) {
        expect({ protocol, flows: onlyProtocol(cli, protocol) }).toEqual({ protocol, flows: onlyProtocol(library, protocol) });
        // --protocol alone focuses on that protocol, without losing any of its flows
        const focused = JSON.parse((await netpol(['list', '-', '--format', 'json', '--protocol', protocol], asList(objects))).stdout);
        expect({ protocol, flows: focused.connections.map((x: any) => `${x.from} => ${x.to}`) }).toEqual({ protocol, flows: flowsWith(library, protocol) });
      }
      expect(cli).toEqual(library);
    }), { numRuns: fcRuns(40) });
  }, 120_000);

  test('the generators produce the flows the bug dropped: UDP-only and SCTP-only ones', () => {
    // a fixed sample (deterministic), so that this never depends on the luck of one run
    const seen = { UDP: 0, SCTP: 0 };
    for (const c of fc.sample(cluster, { numRuns: 300, seed: 18 })) {
      for (const x of ClusterModel.fromObjects(objectsOf(c)).connectivity().connections) {
        const protocols = Object.keys(x.allowed.toJson());
        if (protocols.length === 1 && (protocols[0] === 'UDP' || protocols[0] === 'SCTP')) seen[protocols[0]]++;
      }
    }
    expect(seen.UDP).toBeGreaterThan(0);
    expect(seen.SCTP).toBeGreaterThan(0);
  });

  test('netpol diff with default options shows every change of the library\'s diff, for TCP, UDP and SCTP', async () => {
    await fc.assert(fc.asyncProperty(cluster, cluster, async (a, b) => {
      const before = objectsOf(a);
      const after = objectsOf(b);
      fs.writeFileSync(path.join(dir, 'before.json'), asList(before));
      fs.writeFileSync(path.join(dir, 'after.json'), asList(after));
      const library = ConnectivityDiff.betweenModels(ClusterModel.fromObjects(before), ClusterModel.fromObjects(after));
      const out = await netpol(['diff', path.join(dir, 'before.json'), path.join(dir, 'after.json'), '--format', 'json', '--fail-on', 'opened']);
      const cli = JSON.parse(out.stdout);
      const key = (x: any) => `${x.change} ${x.from} => ${x.to} ${JSON.stringify(x.before)} ${JSON.stringify(x.after)}`;
      expect(cli.changes.map(key)).toEqual(library.toJson().changes.map(key));
      expect(out.code).toBe(library.opensConnections ? 4 : 0);
      // the summary and the gate agree: it trips exactly when the summary counts something opened
      expect({ opened: cli.summary.opened, tripped: out.code === 4 }).toEqual({ opened: cli.summary.opened, tripped: cli.summary.opened > 0 });
      expect(cli.summary.text.startsWith(cli.summary.opened > 0 ? `${cli.summary.opened} flow` : cli.changes.length > 0 ? '0 flows opened' : '')).toBe(true);
    }), { numRuns: fcRuns(25) });
  }, 120_000);
});
