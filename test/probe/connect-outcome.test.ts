import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as dgram from 'dgram';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { agnhostConnect } from './support/agnhost-connect';
import { Protocol } from '../../src/port';
import { ConnectClassifier, ConnectOutcome, ProbeClient, ProbeObservation } from '../../src/probe';

/**
 * The connect step against real sockets, on the loopback only (127.0.0.1 and ::1): what
 * agnhost's connect reports for each socket outcome, read by the library's classifier.
 */

const TIMEOUT_MS = 1000;

async function observe(host: string, port: number, protocol: 'tcp' | 'udp') {
  const run = await agnhostConnect(host, port, protocol, TIMEOUT_MS);
  return ConnectClassifier.classify(ProbeClient.AGNHOST, protocol === 'tcp' ? Protocol.TCP : Protocol.UDP, run.exitCode, run.output);
}

function listenTcp(host: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer(s => s.destroy());
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => resolve(server));
  });
}

/** A port that nothing listens on: bound, read, then closed. */
async function closedTcpPort(host: string): Promise<number> {
  const server = await listenTcp(host);
  const port = (server.address() as net.AddressInfo).port;
  await new Promise(r => server.close(r));
  return port;
}

function udpSocket(host: string, onMessage?: (msg: Buffer, rinfo: dgram.RemoteInfo, socket: dgram.Socket) => void): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    socket.once('error', reject);
    if (onMessage) socket.on('message', (m, r) => onMessage(m, r, socket));
    socket.bind(0, host, () => resolve(socket));
  });
}

function hasIpv6Loopback(): boolean {
  return Object.values(os.networkInterfaces()).flat().some(i => i?.address === '::1');
}

describe.each([
  ['127.0.0.1'],
  ...(hasIpv6Loopback() ? [['::1']] : []),
])('TCP on %s', host => {
  test('a listening port is reached', async () => {
    const server = await listenTcp(host);
    try {
      const c = await observe(host, (server.address() as net.AddressInfo).port, 'tcp');
      expect(c).toMatchObject({ outcome: ConnectOutcome.CONNECTED, observation: ProbeObservation.REACHED });
    } finally {
      server.close();
    }
  });

  test('a closed port is reached (refused): the packet got through', async () => {
    const c = await observe(host, await closedTcpPort(host), 'tcp');
    expect(c).toMatchObject({ outcome: ConnectOutcome.REFUSED, observation: ProbeObservation.REACHED_REFUSED });
  });
});

describe('TCP to a listener whose accept queue is full (its SYNs are dropped)', () => {
  let child: ChildProcess;
  let port: number;
  const fillers: net.Socket[] = [];

  beforeAll(async () => {
    // A listener with a backlog of 1 whose process never accepts: once the queue is full the
    // kernel drops new SYNs, as a firewall DROP rule would.
    child = spawn(process.execPath, ['-e', [
      "const s = require('net').createServer();",
      "s.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {",
      "  process.stdout.write(s.address().port + '\\n');",
      '  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);',
      '});',
    ].join('\n')], { stdio: ['ignore', 'pipe', 'inherit'] });
    port = await new Promise<number>(resolve => child.stdout!.once('data', d => resolve(Number(String(d).trim()))));
    for (let i = 0; i < 16; i++) {
      const connected = await new Promise<boolean>(resolve => {
        const s = net.connect({ host: '127.0.0.1', port });
        fillers.push(s);
        const t = setTimeout(() => resolve(false), 500);
        s.once('connect', () => { clearTimeout(t); resolve(true); });
        s.once('error', () => { clearTimeout(t); resolve(false); });
      });
      if (!connected) break;
    }
  }, 20_000);

  afterAll(() => {
    fillers.forEach(s => s.destroy());
    child.kill('SIGKILL');
  });

  test('is blocked: the connection times out', async () => {
    const c = await observe('127.0.0.1', port, 'tcp');
    expect(c).toMatchObject({ outcome: ConnectOutcome.TIMEOUT, observation: ProbeObservation.BLOCKED });
    expect(c.detail).toBe('no answer within the timeout: dropped');
  });
});

describe.each([
  ['127.0.0.1'],
  ...(hasIpv6Loopback() ? [['::1']] : []),
])('UDP on %s', host => {
  test('a port with a responder is reached', async () => {
    const echo = await udpSocket(host, (msg, rinfo, socket) => socket.send(msg, rinfo.port, rinfo.address));
    try {
      const c = await observe(host, echo.address().port, 'udp');
      expect(c).toMatchObject({ outcome: ConnectOutcome.CONNECTED, observation: ProbeObservation.REACHED, detail: 'the destination answered' });
    } finally {
      echo.close();
    }
  });

  test('a closed port is reached (refused): the ICMP port unreachable came back', async () => {
    const s = await udpSocket(host);
    const port = s.address().port;
    await new Promise<void>(r => s.close(() => r()));
    const c = await observe(host, port, 'udp');
    expect(c).toMatchObject({ outcome: ConnectOutcome.REFUSED, observation: ProbeObservation.REACHED_REFUSED });
  });

  test('a port whose datagrams are swallowed (never answered) is blocked, and the detail says UDP cannot tell it from no responder', async () => {
    const sink = await udpSocket(host, () => undefined);
    try {
      const c = await observe(host, sink.address().port, 'udp');
      expect(c).toMatchObject({ outcome: ConnectOutcome.TIMEOUT, observation: ProbeObservation.BLOCKED });
      expect(c.detail).toMatch(/nothing answers on that UDP port \(UDP has no handshake\)/);
    } finally {
      sink.close();
    }
  });
});

/**
 * A real DROP rule: a network namespace of its own (unshare -rn), its loopback up, an iptables
 * rule that drops the port, and the connect step run inside it. Needs unshare, ip, iptables and
 * permission to create user and network namespaces; otherwise the test is skipped and says why.
 */
function netnsUnavailable(): string | undefined {
  for (const tool of ['unshare', 'ip', 'iptables']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} not found`;
  }
  const probe = spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && iptables -L -n >/dev/null'], { timeout: 10_000 });
  if (probe.status !== 0) return `cannot create a network namespace with iptables: ${String(probe.stderr).trim().slice(0, 100) || `exit ${probe.status}`}`;
  return undefined;
}

const netnsSkip = netnsUnavailable();
(netnsSkip ? test.skip : test)(`TCP and UDP to a port dropped by an iptables rule in a network namespace are blocked${netnsSkip ? ` (skipped: ${netnsSkip})` : ''}`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-netns-'));
  try {
    const script = path.join(dir, 'inside.ts');
    fs.writeFileSync(script, [
      `import { agnhostConnect } from ${JSON.stringify(path.join(__dirname, 'support', 'agnhost-connect'))};`,
      "import * as net from 'net';",
      "import * as dgram from 'dgram';",
      'void (async () => {',
      "  const server = net.createServer(); await new Promise<void>(r => server.listen(7777, '127.0.0.1', () => r()));",
      "  const udp = dgram.createSocket('udp4'); udp.on('message', (m, r) => udp.send(m, r.port, r.address)); await new Promise<void>(r => udp.bind(7778, '127.0.0.1', () => r()));",
      "  const tcp = await agnhostConnect('127.0.0.1', 7777, 'tcp', 1000);",
      "  const u = await agnhostConnect('127.0.0.1', 7778, 'udp', 1000);",
      '  process.stdout.write(JSON.stringify({ tcp, udp: u }));',
      '  server.close(); udp.close();',
      '})();',
    ].join('\n'));
    const rules = 'iptables -A INPUT -p tcp --dport 7777 -j DROP && iptables -A INPUT -p udp --dport 7778 -j DROP';
    const run = spawnSync('unshare', ['-rn', 'sh', '-c', `ip link set lo up && ${rules} && "${process.execPath}" -r ts-node/register/transpile-only "${script}"`],
      { cwd: path.join(__dirname, '..', '..'), timeout: 60_000, encoding: 'utf8' });
    const out = JSON.parse(run.stdout);
    const read = (r: { exitCode: number; output: string }, protocol: Protocol) =>
      ConnectClassifier.classify(ProbeClient.AGNHOST, protocol, r.exitCode, r.output);
    expect(read(out.tcp, Protocol.TCP).observation).toBe(ProbeObservation.BLOCKED);
    expect(read(out.udp, Protocol.UDP).observation).toBe(ProbeObservation.BLOCKED);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);

describe('ConnectClassifier reads agnhost output', () => {
  test.each([
    [0, '', Protocol.TCP, ConnectOutcome.CONNECTED, ProbeObservation.REACHED],
    [1, 'TIMEOUT\n', Protocol.TCP, ConnectOutcome.TIMEOUT, ProbeObservation.BLOCKED],
    [1, 'REFUSED\n', Protocol.TCP, ConnectOutcome.REFUSED, ProbeObservation.REACHED_REFUSED],
    [1, 'TIMEOUT: read udp 10.0.0.1:53: i/o timeout\n', Protocol.UDP, ConnectOutcome.TIMEOUT, ProbeObservation.BLOCKED],
    [1, 'REFUSED: read udp 10.0.0.1:53: recvfrom: connection refused\n', Protocol.UDP, ConnectOutcome.REFUSED, ProbeObservation.REACHED_REFUSED],
    [1, 'OTHER: dial tcp 10.0.0.1:80: connect: no route to host\n', Protocol.TCP, ConnectOutcome.UNREACHABLE, ProbeObservation.BLOCKED],
    [1, 'DNS: lookup db.shop.svc: no such host\n', Protocol.TCP, ConnectOutcome.DNS, ProbeObservation.COULD_NOT_RUN],
    [1, 'OTHER: connection refused\n', Protocol.SCTP, ConnectOutcome.REFUSED, ProbeObservation.REACHED_REFUSED],
    [1, 'TIMEOUT\n', Protocol.SCTP, ConnectOutcome.TIMEOUT, ProbeObservation.BLOCKED],
    [1, 'UNKNOWN: missing port in address\n', Protocol.TCP, ConnectOutcome.ERROR, ProbeObservation.COULD_NOT_RUN],
    [1, 'exec /agnhost: no such file or directory\n', Protocol.TCP, ConnectOutcome.ERROR, ProbeObservation.COULD_NOT_RUN],
    [137, '', Protocol.TCP, ConnectOutcome.ERROR, ProbeObservation.COULD_NOT_RUN],
  ])('exit %d with %j (%s) is %s, %s', (code, output, protocol, outcome, observation) => {
    expect(ConnectClassifier.classify(ProbeClient.AGNHOST, protocol, code, output)).toMatchObject({ outcome, observation });
  });
});

describe('ConnectClassifier reads BusyBox nc output', () => {
  test.each([
    [0, 'backend (10.0.0.7:9000) open\nsent 0, rcvd 0\n', ConnectOutcome.CONNECTED, ProbeObservation.REACHED],
    [1, 'nc: 10.0.0.7 (10.0.0.7:5432): Connection refused\nsent 0, rcvd 0\n', ConnectOutcome.REFUSED, ProbeObservation.REACHED_REFUSED],
    [1, 'nc: 10.0.0.7 (10.0.0.7:5432): Connection timed out\n', ConnectOutcome.TIMEOUT, ProbeObservation.BLOCKED],
    [1, 'nc: 10.0.0.7 (10.0.0.7:5432): Operation timed out\n', ConnectOutcome.TIMEOUT, ProbeObservation.BLOCKED],
    [1, 'nc: 10.0.0.7 (10.0.0.7:5432): No route to host\n', ConnectOutcome.UNREACHABLE, ProbeObservation.BLOCKED],
    [1, "nc: bad address 'db.shop.svc'\n", ConnectOutcome.DNS, ProbeObservation.COULD_NOT_RUN],
    [1, 'sh: nc: not found\n', ConnectOutcome.ERROR, ProbeObservation.COULD_NOT_RUN],
  ])('exit %d with %j is %s, %s', (code, output, outcome, observation) => {
    expect(ConnectClassifier.classify(ProbeClient.BUSYBOX, Protocol.TCP, code, output)).toMatchObject({ outcome, observation });
  });

  test('output that is not text is an error, not a crash', () => {
    expect(ConnectClassifier.classify(ProbeClient.AGNHOST, Protocol.TCP, 1, undefined as any).observation).toBe(ProbeObservation.COULD_NOT_RUN);
  });
});
