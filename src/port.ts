import { lockInstance, lockPrototypes } from './private/canonical';
import { VALUE_BRAND, Where, brandOf, freezeStatics, enumValue, fail, given, integer, isPlainObject, kindOf, notAnInstance, props, snapshotObject, string } from './private/runtime-check';

/**
 * A transport protocol a NetworkPolicy port can name.
 *
 * Kubernetes compares protocols exactly: TCP, UDP and SCTP never match each other.
 */
export enum Protocol {
  /** Transmission Control Protocol. */
  TCP = 'TCP',
  /** User Datagram Protocol. */
  UDP = 'UDP',
  /** Stream Control Transmission Protocol. */
  SCTP = 'SCTP',
}

/** What this library knows of each port; the only state it reads (see `Port._stateOf`). */
const STATE = new WeakMap<Port, { readonly config?: PortConfig; readonly key: string }>();

const PORT_OPTION_KEYS = ['protocol', 'port', 'endPort', 'name'] as const;
const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP] as const;
const PORT_NUMBER = 'an integer port number between 1 and 65535 (for every port of a protocol use Port.allTcp(), Port.allUdp() or Port.allSctp())';

/**
 * Options for `Port.of()`: the fields of one NetworkPolicy port entry.
 */
export interface PortOptions {
  /**
   * The protocol.
   *
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;

  /**
   * The port number (1-65535). Set exactly one of `port` and `name`; for every port of a
   * protocol use `Port.allTcp()`, `Port.allUdp()` or `Port.allSctp()`.
   *
   * @default - a named port (`name` is then required)
   */
  readonly port?: number;

  /**
   * The last port of an inclusive range starting at `port`.
   *
   * @default - a single port
   */
  readonly endPort?: number;

  /**
   * A named container port (an IANA_SVC_NAME), resolved on the destination pod.
   *
   * @default - a numeric port (`port` is then required)
   */
  readonly name?: string;
}

/**
 * The Kubernetes form of one port entry of a NetworkPolicy rule.
 */
export interface PortConfig {
  /** The protocol; always set, never left to server defaulting. */
  readonly protocol: string;
  /**
   * A port number, or the name of a container port.
   *
   * @default - every port of the protocol
   */
  readonly port?: any;
  /**
   * The last port of the range starting at `port`.
   *
   * @default - a single port
   */
  readonly endPort?: number;
}

/**
 * The ports made by `tcp()`, `udp()` and `sctp()`, by protocol and number, and `allTraffic()`:
 * ports are immutable values, so one serves every call (an app names the same few ports in
 * every namespace). Declared before the class: its static constants are made by the factories.
 */
const SINGLE = new Map<string, Port>();
let ALL_TRAFFIC: Port | undefined;

/**
 * Ports and protocols a NetworkPolicy rule allows: an immutable value.
 *
 * Ports are always those of the pod (container ports), never Service ports.
 *
 * @example
 * Port.tcp(443);
 * Port.tcpRange(32000, 32768);
 * Port.named('metrics');
 * Port.DNS_UDP;
 */
export class Port {
  /** DNS over UDP: UDP port 53. */
  public static readonly DNS_UDP = Port.udp(53);
  /** DNS over TCP: TCP port 53 (large answers, zone transfers, and some resolvers always). */
  public static readonly DNS_TCP = Port.tcp(53);
  /** HTTP: TCP port 80. */
  public static readonly HTTP = Port.tcp(80);
  /** HTTPS: TCP port 443. */
  public static readonly HTTPS = Port.tcp(443);

  /** A single TCP port. */
  public static tcp(port: number): Port {
    return Port.single(Protocol.TCP, portNumber('Port.tcp', 'port', port));
  }

  /** A single UDP port. */
  public static udp(port: number): Port {
    return Port.single(Protocol.UDP, portNumber('Port.udp', 'port', port));
  }

  /** A single SCTP port. */
  public static sctp(port: number): Port {
    return Port.single(Protocol.SCTP, portNumber('Port.sctp', 'port', port));
  }

  /** An inclusive range of TCP ports (`port` to `endPort`). */
  public static tcpRange(from: number, to: number): Port {
    return new Port({ protocol: Protocol.TCP, port: portNumber('Port.tcpRange', 'from', from), endPort: portNumber('Port.tcpRange', 'to', to) });
  }

  /** An inclusive range of UDP ports (`port` to `endPort`). */
  public static udpRange(from: number, to: number): Port {
    return new Port({ protocol: Protocol.UDP, port: portNumber('Port.udpRange', 'from', from), endPort: portNumber('Port.udpRange', 'to', to) });
  }

  /** An inclusive range of SCTP ports (`port` to `endPort`). */
  public static sctpRange(from: number, to: number): Port {
    return new Port({ protocol: Protocol.SCTP, port: portNumber('Port.sctpRange', 'from', from), endPort: portNumber('Port.sctpRange', 'to', to) });
  }

  /**
   * A named container port, resolved against each destination pod's container ports
   * (matching name and protocol). A named port never matches an external IP address.
   *
   * @param name the container port's name (an IANA_SVC_NAME such as `http` or `metrics`)
   * @param protocol the protocol of the container port; defaults to TCP
   */
  public static named(name: string, protocol?: Protocol): Port {
    return new Port({
      protocol: protocol === undefined ? Protocol.TCP : protocolOf('Port.named', 'protocol', protocol),
      name: string('Port.named', 'name', name, { nonEmpty: true, what: 'the name of a container port, such as "metrics"' }),
    });
  }

  /** Every TCP port (the protocol alone, with no port number). */
  public static allTcp(): Port {
    return new Port({ protocol: Protocol.TCP });
  }

  /** Every UDP port (the protocol alone, with no port number). */
  public static allUdp(): Port {
    return new Port({ protocol: Protocol.UDP });
  }

  /** Every SCTP port (the protocol alone, with no port number). */
  public static allSctp(): Port {
    return new Port({ protocol: Protocol.SCTP });
  }

  /**
   * Every port of every protocol. A rule with this port renders without a `ports` list,
   * which is how Kubernetes spells "all traffic". It must be asked for: an empty port
   * list is an error, never a silent "all ports".
   */
  public static allTraffic(): Port {
    return ALL_TRAFFIC ??= new Port({}, true);
  }

  /**
   * Any port entry, from its fields: exactly one of `port` and `name` is required (for every
   * port of a protocol, use `Port.allTcp()`, `Port.allUdp()` or `Port.allSctp()`).
   */
  public static of(options: PortOptions): Port {
    return new Port(portOptions('Port.of', 'options', options, true));
  }

  /**
   * A real `Port` of this library from `value`: the value itself, or (for a `Port` of
   * another copy of the library in the process) a `Port` read from its Kubernetes form and
   * checked. Anything else fails, naming `where` and `field`.
   *
   * @internal
   */
  public static _from(where: Where, field: string, value: unknown): Port {
    if (STATE.has(value as Port)) return value as Port;
    // an object that inherits this copy's brand without having been made by it is a forgery
    if (value instanceof Port || brandOf(value) !== 'Port') notAnInstance(where, field, value, 'Port', 'Port.tcp(443), Port.named(\'metrics\'), Port.allTraffic(), ...');
    let allTraffic: unknown;
    let config: unknown;
    try {
      allTraffic = (value as Port).isAllTraffic;
      config = (value as Port).toPortConfig();
    } catch (e) {
      fail(where, field, value, `is a Port of another copy of cdk8s-netpol that could not be read (${(e as Error)?.message}): make it with this copy's factories`);
    }
    if (allTraffic === true && config === undefined) return Port.allTraffic();
    if (allTraffic !== false || !isPlainObject(config)) fail(where, field, value, 'is a Port of another copy of cdk8s-netpol whose Kubernetes form could not be read: make it with this copy\'s factories');
    // read once (a snapshot); a key that is present must hold a value: `port: undefined` is never "every port"
    const c = snapshotObject(config as object);
    const { protocol, port, endPort, ...rest } = c as { protocol?: unknown; port?: unknown; endPort?: unknown };
    if (Object.keys(rest).length > 0) fail(where, field, config, 'is a Port of another copy of cdk8s-netpol with unknown fields: make it with this copy\'s factories');
    for (const key of ['protocol', 'port', 'endPort']) {
      if (key in c && c[key] === undefined) {
        fail(where, `${field}.${key}`, undefined, `is a Port of another copy of cdk8s-netpol whose ${key} is undefined: an undefined ${key} is never "every port"; make it with this copy's factories`);
      }
    }
    if (protocol === undefined) fail(where, `${field}.protocol`, undefined, 'is a Port of another copy of cdk8s-netpol without a protocol: make it with this copy\'s factories');
    const options: { [key: string]: unknown } = { protocol };
    if (port !== undefined) options[typeof port === 'string' ? 'name' : 'port'] = port;
    if (endPort !== undefined) options.endPort = endPort;
    return new Port(portOptions(where, field, options as PortOptions, false));
  }

  /**
   * The Kubernetes form (shared, frozen) and the key of a port, from this library's own
   * record of it: a subclass cannot change what a port renders.
   *
   * @internal
   */
  public static _stateOf(port: Port): { readonly config?: PortConfig; readonly key: string } {
    const state = STATE.get(port);
    if (state === undefined) throw new Error(`internal error: ${kindOf(port)} is not a Port of this library`);
    return state;
  }

  /** The port `protocol`/`port` (checked), shared (see SINGLE); inside the class, as its static constants use it. */
  private static single(protocol: Protocol, port: number): Port {
    const key = `${protocol} ${port}`;
    let out = SINGLE.get(key);
    if (out === undefined) SINGLE.set(key, out = new Port({ protocol, port }));
    return out;
  }

  /**
   * The protocol.
   *
   * @default - every protocol (only for `Port.allTraffic()`)
   */
  public readonly protocol?: Protocol;
  /**
   * The first (or only) port number.
   *
   * @default - not a numeric port
   */
  public readonly number?: number;
  /**
   * The last port of an inclusive range.
   *
   * @default - not a range
   */
  public readonly endPort?: number;
  /**
   * The name of a container port.
   *
   * @default - not a named port
   */
  public readonly name?: string;
  /** Whether this stands for every port of every protocol. */
  public readonly isAllTraffic: boolean;

  protected constructor(options: PortOptions, allTraffic: boolean = false) {
    // a subclass may call this directly: check what it passes, too
    const checked = allTraffic === true ? {} : portOptions('Port', 'options', options, false);
    this.protocol = checked.protocol;
    this.number = checked.port;
    this.endPort = checked.endPort;
    this.name = checked.name;
    this.isAllTraffic = allTraffic === true;
    const config = this.isAllTraffic ? undefined : render(checked);
    STATE.set(this, { config, key: config === undefined ? '*' : keyOf(config) });
    if (new.target === Port) lockInstance(this);
  }

  /**
   * The Kubernetes form of this port entry.
   *
   * @returns the port entry, or `undefined` for all traffic (no `ports` list)
   */
  public toPortConfig(): PortConfig | undefined {
    const config = Port._stateOf(this).config;
    return config === undefined ? undefined : { ...config };
  }

  /**
   * The Kubernetes form, shared and frozen (no copy).
   *
   * @internal
   */
  public _config(): PortConfig | undefined {
    return Port._stateOf(this).config;
  }

  /**
   * A key equal for ports that mean the same, computed once: `*`, or protocol, port (a
   * number, or a quoted name) and end port.
   *
   * @internal
   */
  public _key(): string {
    return Port._stateOf(this).key;
  }

  /**
   * A stable, readable form: `TCP/443`, `TCP/8000-8080`, `TCP/metrics`, `UDP/*`, or `*` for all traffic.
   */
  public toString(): string {
    if (this.isAllTraffic) return '*';
    const protocol = this.protocol ?? Protocol.TCP;
    if (this.name !== undefined) {
      return this.endPort !== undefined ? `${protocol}/${this.name}-${this.endPort}` : `${protocol}/${this.name}`;
    }
    if (this.number === undefined) {
      return this.endPort !== undefined ? `${protocol}/*-${this.endPort}` : `${protocol}/*`;
    }
    return this.endPort !== undefined ? `${protocol}/${this.number}-${this.endPort}` : `${protocol}/${this.number}`;
  }
}

// The brand every copy of the library recognizes (see runtime-check.ts); not enumerable.
Object.defineProperty(Port.prototype, VALUE_BRAND, { value: 'Port' });
lockPrototypes(Port);
freezeStatics(Port, ['DNS_UDP', 'DNS_TCP', 'HTTP', 'HTTPS']);

function portNumber(where: Where, field: string, value: unknown): number {
  return integer(where, field, value, PORT_NUMBER);
}

/** A protocol: any string is kept (the validator names the supported ones where it is used); null never means TCP. */
function protocolOf(where: Where, field: string, value: unknown): Protocol {
  if (typeof value !== 'string') return enumValue(where, field, value, PROTOCOLS, 'Protocol');
  return value as Protocol;
}

/**
 * Checks port options: known keys, the JSON types, and (when `needsPort`) a port or a name.
 * A key that is present must hold a value: `{ port: undefined }` is never "every port".
 */
function portOptions(where: Where, field: string, value: PortOptions, needsPort: boolean): PortOptions {
  const options = props<PortOptions>(where, field, value, PORT_OPTION_KEYS);
  for (const key of PORT_OPTION_KEYS) {
    if (key in options && options[key] === undefined && key !== 'protocol') {
      fail(where, `${field}.${key}`, undefined, `was given as undefined: leave the key out, or give it a value (an undefined ${key} is never "every port")`);
    }
  }
  const out: { protocol: Protocol; port?: number; endPort?: number; name?: string } = {
    protocol: given(options.protocol) ? protocolOf(where, `${field}.protocol`, options.protocol) : Protocol.TCP,
  };
  if (given(options.port)) out.port = portNumber(where, `${field}.port`, options.port);
  if (given(options.endPort)) out.endPort = portNumber(where, `${field}.endPort`, options.endPort);
  if (given(options.name)) out.name = string(where, `${field}.name`, options.name, { nonEmpty: true, what: 'the name of a container port, such as "metrics"' });
  if (out.port !== undefined && out.name !== undefined) {
    fail(where, field, value, 'set one of `port` (a number) and `name` (a container port name), not both');
  }
  if (needsPort && out.port === undefined && out.name === undefined) {
    fail(where, field, value, 'set `port` (a number) or `name` (a container port name); for every port of a protocol use Port.allTcp(), Port.allUdp() or Port.allSctp(), '
      + 'and for every port of every protocol Port.allTraffic()');
  }
  return out;
}

function render(options: PortOptions): PortConfig {
  const config: { protocol: string; port?: any; endPort?: number } = { protocol: options.protocol ?? Protocol.TCP };
  if (options.name !== undefined) config.port = options.name;
  else if (options.port !== undefined) config.port = options.port;
  if (options.endPort !== undefined) config.endPort = options.endPort;
  return Object.freeze(config);
}

function keyOf(c: PortConfig): string {
  return `${c.protocol}/${typeof c.port === 'string' ? JSON.stringify(c.port) : c.port ?? ''}/${c.endPort ?? ''}`;
}
