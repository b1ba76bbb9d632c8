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
   * The port number (1-65535). Omit it, and `name`, to match every port of the protocol.
   *
   * @default - every port of the protocol (unless `name` is set)
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
   * @default - a numeric port, or every port of the protocol
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
    return new Port({ protocol: Protocol.TCP, port });
  }

  /** A single UDP port. */
  public static udp(port: number): Port {
    return new Port({ protocol: Protocol.UDP, port });
  }

  /** A single SCTP port. */
  public static sctp(port: number): Port {
    return new Port({ protocol: Protocol.SCTP, port });
  }

  /** An inclusive range of TCP ports (`port` to `endPort`). */
  public static tcpRange(from: number, to: number): Port {
    return new Port({ protocol: Protocol.TCP, port: from, endPort: to });
  }

  /** An inclusive range of UDP ports (`port` to `endPort`). */
  public static udpRange(from: number, to: number): Port {
    return new Port({ protocol: Protocol.UDP, port: from, endPort: to });
  }

  /** An inclusive range of SCTP ports (`port` to `endPort`). */
  public static sctpRange(from: number, to: number): Port {
    return new Port({ protocol: Protocol.SCTP, port: from, endPort: to });
  }

  /**
   * A named container port, resolved against each destination pod's container ports
   * (matching name and protocol). A named port never matches an external IP address.
   *
   * @param name the container port's name (an IANA_SVC_NAME such as `http` or `metrics`)
   * @param protocol the protocol of the container port; defaults to TCP
   */
  public static named(name: string, protocol?: Protocol): Port {
    return new Port({ protocol: protocol ?? Protocol.TCP, name });
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
    return new Port({}, true);
  }

  /** Any port entry, from its fields. */
  public static of(options: PortOptions): Port {
    return new Port({ ...options, protocol: options.protocol ?? Protocol.TCP });
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
  private config?: PortConfig;
  private key?: string;

  protected constructor(options: PortOptions, allTraffic: boolean = false) {
    this.protocol = options.protocol;
    this.number = options.port;
    this.endPort = options.endPort;
    this.name = options.name;
    this.isAllTraffic = allTraffic;
  }

  /**
   * The Kubernetes form of this port entry.
   *
   * @returns the port entry, or `undefined` for all traffic (no `ports` list)
   */
  public toPortConfig(): PortConfig | undefined {
    const config = this._config();
    return config === undefined ? undefined : { ...config };
  }

  /**
   * The Kubernetes form, shared and frozen (no copy).
   *
   * @internal
   */
  public _config(): PortConfig | undefined {
    if (this.isAllTraffic) return undefined;
    return this.config ??= Object.freeze(this.render());
  }

  /**
   * A key equal for ports that mean the same, computed once: `*`, or protocol, port (a
   * number, or a quoted name) and end port.
   *
   * @internal
   */
  public _key(): string {
    if (this.key !== undefined) return this.key;
    const c = this._config();
    return this.key = c === undefined ? '*' : `${c.protocol}/${typeof c.port === 'string' ? JSON.stringify(c.port) : c.port ?? ''}/${c.endPort ?? ''}`;
  }

  private render(): PortConfig {
    const config: { protocol: string; port?: any; endPort?: number } = { protocol: this.protocol ?? Protocol.TCP };
    if (this.name !== undefined) config.port = this.name;
    else if (this.number !== undefined) config.port = this.number;
    if (this.endPort !== undefined) config.endPort = this.endPort;
    return config;
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
