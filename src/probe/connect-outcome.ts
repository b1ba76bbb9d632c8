import { Protocol } from '../port';

/**
 * The program a probe pod runs to connect.
 */
export enum ProbeClient {
  /**
   * `agnhost connect <host:port> --protocol tcp|udp|sctp --timeout <n>s`, from the image the
   * upstream network-policy end-to-end tests use. It exits 0 when it connected, else 1 with one
   * line on stderr starting `TIMEOUT`, `REFUSED`, `DNS`, `OTHER` or `UNKNOWN`.
   */
  AGNHOST = 'AGNHOST',
  /**
   * BusyBox `nc -vv -z -w <n> <host> <port>`: TCP only. It exits 0 when it connected, else 1
   * with the system's error text (`Connection refused`, `Connection timed out`).
   */
  BUSYBOX = 'BUSYBOX',
}

/**
 * What the connect program reported, independent of the program.
 */
export enum ConnectOutcome {
  /** The connection was established (TCP/SCTP), or the UDP destination answered. */
  CONNECTED = 'CONNECTED',
  /** The destination refused it (TCP reset, ICMP port unreachable for UDP). */
  REFUSED = 'REFUSED',
  /** No answer within the timeout. */
  TIMEOUT = 'TIMEOUT',
  /** An ICMP host, network or administratively-prohibited unreachable: a filter rejected it. */
  UNREACHABLE = 'UNREACHABLE',
  /** The destination's name could not be resolved. */
  DNS = 'DNS',
  /** Anything else: bad arguments, an unexpected error, output that cannot be read. */
  ERROR = 'ERROR',
}

/**
 * What a probe observed in the cluster.
 */
export enum ProbeObservation {
  /** The connection was established: the policies let the packet through. */
  REACHED = 'REACHED',
  /** The destination refused the connection: the packet got through, nothing listened. */
  REACHED_REFUSED = 'REACHED_REFUSED',
  /** The connection timed out (dropped), or was rejected with an ICMP unreachable. */
  BLOCKED = 'BLOCKED',
  /** The probe could not tell: its pod did not run (image pull, scheduling) or the connect step failed otherwise. */
  COULD_NOT_RUN = 'COULD_NOT_RUN',
}

/**
 * An observation with the outcome behind it, in words.
 */
export interface ConnectClassification {
  /** The outcome the connect program reported. */
  readonly outcome: ConnectOutcome;
  /** What it means for the probe. */
  readonly observation: ProbeObservation;
  /** A readable reason, e.g. `connection timed out after 5s: dropped`. */
  readonly detail: string;
}

/**
 * Reads the result of a connect program (its exit code and its output) into an observation.
 *
 * The same classification reads what `agnhost connect` printed in a probe pod (through the
 * container's termination message) and, in this library's tests, what the same connect step
 * reports against real sockets on the loopback. A refusal counts as reached, because the packet
 * got through; a timeout as blocked. For UDP, which has no handshake, a timeout also means that
 * nothing answered: a UDP probe tells allowed from dropped only when the destination replies.
 */
export class ConnectClassifier {
  /**
   * The outcome a connect program reported.
   *
   * @param client the program
   * @param exitCode its exit code
   * @param output what it printed (stdout and stderr, or the termination message)
   */
  public static outcome(client: ProbeClient, exitCode: number, output: string): ConnectOutcome {
    const text = typeof output === 'string' ? output : '';
    if (exitCode === 0) return ConnectOutcome.CONNECTED;
    if (client === ProbeClient.AGNHOST) {
      const line = text.split('\n').map(l => l.trim()).find(l => /^(TIMEOUT|REFUSED|DNS|OTHER|UNKNOWN)\b/.test(l)) ?? '';
      if (line.startsWith('TIMEOUT')) return ConnectOutcome.TIMEOUT;
      if (line.startsWith('REFUSED')) return ConnectOutcome.REFUSED;
      if (line.startsWith('DNS')) return ConnectOutcome.DNS;
      if (line.startsWith('OTHER') && UNREACHABLE.test(line)) return ConnectOutcome.UNREACHABLE;
      if (line.startsWith('OTHER') && /connection refused/i.test(line)) return ConnectOutcome.REFUSED;
      if (line.startsWith('OTHER') && /i\/o timeout/i.test(line)) return ConnectOutcome.TIMEOUT;
      return ConnectOutcome.ERROR;
    }
    if (/connection refused/i.test(text)) return ConnectOutcome.REFUSED;
    if (/timed out/i.test(text)) return ConnectOutcome.TIMEOUT;
    if (UNREACHABLE.test(text)) return ConnectOutcome.UNREACHABLE;
    if (/bad address|can't resolve|name or service not known/i.test(text)) return ConnectOutcome.DNS;
    return ConnectOutcome.ERROR;
  }

  /**
   * The observation for a connect program's result.
   *
   * @param client the program
   * @param protocol the probe's protocol
   * @param exitCode its exit code
   * @param output what it printed
   */
  public static classify(client: ProbeClient, protocol: Protocol, exitCode: number, output: string): ConnectClassification {
    const outcome = ConnectClassifier.outcome(client, exitCode, output);
    const said = firstLine(output);
    switch (outcome) {
      case ConnectOutcome.CONNECTED:
        return { outcome, observation: ProbeObservation.REACHED, detail: protocol === Protocol.UDP ? 'the destination answered' : 'connected' };
      case ConnectOutcome.REFUSED:
        return { outcome, observation: ProbeObservation.REACHED_REFUSED, detail: 'refused by the destination: the packet got through, nothing listens on that port' };
      case ConnectOutcome.TIMEOUT:
        return {
          outcome,
          observation: ProbeObservation.BLOCKED,
          detail: protocol === Protocol.UDP
            ? 'no answer within the timeout: dropped, or nothing answers on that UDP port (UDP has no handshake)'
            : 'no answer within the timeout: dropped',
        };
      case ConnectOutcome.UNREACHABLE:
        return { outcome, observation: ProbeObservation.BLOCKED, detail: `rejected on the way (${said})` };
      case ConnectOutcome.DNS:
        return { outcome, observation: ProbeObservation.COULD_NOT_RUN, detail: `the destination's name did not resolve (${said}): is DNS egress allowed for the source?` };
      default:
        return { outcome, observation: ProbeObservation.COULD_NOT_RUN, detail: `the connect step failed: ${said || `exit code ${exitCode}, no output`}` };
    }
  }
}

const UNREACHABLE = /no route to host|host is unreachable|host unreachable|network is unreachable|administratively prohibited|EHOSTUNREACH|ENETUNREACH/i;

function firstLine(text: unknown): string {
  if (typeof text !== 'string') return '';
  const line = text.split('\n').map(l => l.trim()).find(l => l !== '') ?? '';
  return line.length > 200 ? line.slice(0, 200) + '...' : line;
}
