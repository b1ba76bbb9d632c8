import * as dgram from 'dgram';
import * as net from 'net';

/** What a connect program reported: its exit code and its output (stderr, as in a termination message). */
export interface ConnectRun { exitCode: number; output: string }

/**
 * The connect step of `agnhost connect <host:port> --protocol tcp|udp --timeout <t>`, in Node,
 * against real sockets, with agnhost's exit codes and output lines (test/images/agnhost/connect
 * in kubernetes/kubernetes): exit 0 when connected (TCP) or when the server answered (UDP), else
 * exit 1 and `TIMEOUT`, `REFUSED`, `DNS: ...` or `OTHER: ...` on stderr. Used to feed the
 * library's classifier with outcomes of real sockets on the loopback.
 */
export function agnhostConnect(host: string, port: number, protocol: 'tcp' | 'udp', timeoutMs: number): Promise<ConnectRun> {
  return protocol === 'tcp' ? connectTcp(host, port, timeoutMs) : connectUdp(host, port, timeoutMs);
}

function connectTcp(host: string, port: number, timeoutMs: number): Promise<ConnectRun> {
  return new Promise(resolve => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => { socket.destroy(); resolve({ exitCode: 1, output: 'TIMEOUT\n' }); }, timeoutMs);
    socket.once('connect', () => { clearTimeout(timer); socket.destroy(); resolve({ exitCode: 0, output: '' }); });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      if (err.code === 'ECONNREFUSED') resolve({ exitCode: 1, output: 'REFUSED\n' });
      else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') resolve({ exitCode: 1, output: `DNS: lookup ${host}: no such host\n` });
      else resolve({ exitCode: 1, output: `OTHER: dial tcp ${host}:${port}: connect: ${err.message}\n` });
    });
  });
}

function connectUdp(host: string, port: number, timeoutMs: number): Promise<ConnectRun> {
  return new Promise(resolve => {
    const socket = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    let done = false;
    const finish = (r: ConnectRun) => { if (!done) { done = true; clearTimeout(timer); socket.close(); resolve(r); } };
    const timer = setTimeout(() => finish({ exitCode: 1, output: `TIMEOUT: read udp ${host}:${port}: i/o timeout\n` }), timeoutMs);
    socket.on('message', msg => finish(msg.length > 0 ? { exitCode: 0, output: '' }
      : { exitCode: 1, output: 'OTHER: No data received from the server. Cannot guarantee the server received the request.\n' }));
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNREFUSED'
      ? { exitCode: 1, output: `REFUSED: read udp ${host}:${port}: recvfrom: connection refused\n` }
      : { exitCode: 1, output: `UNKNOWN: ${err.message}\n` }));
    socket.connect(port, host, () => socket.send('hostname\n'));
  });
}
