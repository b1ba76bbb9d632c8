import { IConstruct } from 'constructs';
import { CLOUD_METADATA_ADDRESSES, DEFAULT_DNS_NAMESPACE, DEFAULT_DNS_POD_LABELS } from './constants';
import { parseIp } from './net/cidr';
import { Port, Protocol } from './port';
import { canonical, lockInstance, lockPrototypes } from './private/canonical';
import {
  EMPTY_POD_LABELS, VALUE_BRAND, Where, array, brandOf, constructArg, didYouMean, fail, freezeStatics, given, kindOf, labels as checkLabels,
  namespaceName, notAnInstance, optionalBoolean, props as checkProps, string,
} from './private/runtime-check';

/**
 * A port on which a metadata endpoint may legitimately be reached, and why.
 */
export interface MetadataException {
  /** The metadata address, e.g. `169.254.169.254`. */
  readonly address: string;
  /** The ports on which the address may be reached (numeric ports only), e.g. `[Port.DNS_UDP, Port.DNS_TCP]`. */
  readonly ports: Port[];
  /** Why the platform needs it, with the documentation that says so. */
  readonly reason: string;
}

/**
 * Properties of a custom `ClusterProfile`.
 */
export interface ClusterProfileProps {
  /** A name for the profile, e.g. `acme-onprem` (lowercase letters, digits and "-"). */
  readonly name: string;

  /**
   * The profile this one starts from: every prop left unset takes its value.
   *
   * @default ClusterProfile.GENERIC
   */
  readonly base?: ClusterProfile;

  /**
   * The namespace of the cluster DNS pods.
   *
   * @default - the base profile's ('kube-system' for GENERIC)
   */
  readonly dnsNamespace?: string;

  /**
   * The labels of the cluster DNS pods.
   *
   * @default - the base profile's ({ 'k8s-app': 'kube-dns' } for GENERIC)
   */
  readonly dnsPodLabels?: { [key: string]: string };

  /**
   * Whether DNS is served by pods at all (false: only by `dnsAddresses`, as with GKE's Cloud DNS).
   *
   * @default - the base profile's (true for GENERIC)
   */
  readonly dnsPods?: boolean;

  /**
   * IP addresses (not pods) that serve DNS to the pods, e.g. NodeLocal DNSCache's `169.254.20.10`.
   *
   * @default - the base profile's (none for GENERIC)
   */
  readonly dnsAddresses?: string[];

  /**
   * The DNS ports as NetworkPolicy sees them: the target (container) ports of the DNS pods,
   * not the Service port (OpenShift's DNS pods listen on 5353 behind Service port 53).
   *
   * @default - the base profile's ([Port.DNS_UDP, Port.DNS_TCP] for GENERIC)
   */
  readonly dnsPorts?: Port[];

  /**
   * The instance-metadata addresses that pods must never reach.
   *
   * @default - the base profile's (169.254.169.254, 100.100.100.200 and fd00:ec2::254 for GENERIC)
   */
  readonly metadataAddresses?: string[];

  /**
   * Ports on which a metadata address may legitimately be reached.
   *
   * @default - the base profile's (none for GENERIC)
   */
  readonly metadataExceptions?: MetadataException[];

  /**
   * The namespaces of the platform itself (its own policies are the platform's business):
   * names, or prefixes ending in `*` such as `openshift-*`.
   *
   * @default - the base profile's (kube-system, kube-public and kube-node-lease for GENERIC)
   */
  readonly systemNamespaces?: string[];

  /**
   * Whether the network plugin applies NetworkPolicies to `hostNetwork` pods.
   *
   * @default - the base profile's (false for GENERIC)
   */
  readonly hostNetworkPodsIsolated?: boolean;
}

const PROFILE_PROPS = [
  'name', 'base', 'dnsNamespace', 'dnsPodLabels', 'dnsPods', 'dnsAddresses', 'dnsPorts', 'metadataAddresses',
  'metadataExceptions', 'systemNamespaces', 'hostNetworkPodsIsolated',
] as const;

/** What this library knows of each profile (the only state it reads). */
interface ProfileState {
  readonly name: string;
  readonly dnsNamespace?: string;
  readonly dnsPodLabels?: Readonly<Record<string, string>>;
  readonly dnsAddresses: readonly string[];
  readonly dnsPorts: readonly Port[];
  readonly metadataAddresses: readonly string[];
  readonly metadataExceptions: readonly MetadataException[];
  readonly systemNamespaces: readonly string[];
  readonly hostNetworkPodsIsolated: boolean;
  readonly key: string;
}

const STATE = new WeakMap<ClusterProfile, ProfileState>();
/** Set while `make` builds a profile from checked fields (declared before the class: its statics use it). */
let trusted: ProfileState | undefined;

/** The profile set on a construct with `ClusterProfile.use()`. */
const USED = new WeakMap<IConstruct, ClusterProfile>();
/** Constructs at or above a construct that read its profile (a profile set there later would come too late). */
const READ = new WeakSet<IConstruct>();

/**
 * What NetworkPolicies must know about the cluster they run on: where DNS is and on which
 * ports policies see it, which instance-metadata endpoints to keep unreachable (and the
 * legitimate exceptions), the platform's own namespaces, and whether the network plugin
 * isolates `hostNetwork` pods. An immutable value.
 *
 * Set one profile per app or chart with `ClusterProfile.use(scope, profile)` before adding
 * patterns; `AllowDns`, `NamespaceBaseline`, `BlockMetadata`, `DenyExternalEgress`,
 * `TieredApp` and `SameNamespaceOnly` read it with `ClusterProfile.of(this)`, the nearest
 * profile set at or above them (a chart's wins over its app's). The linter and the probe plan
 * take it as an option (`profile`), and `netpol` as `--profile` or in `netpol.config.json`.
 * Without one, every reader uses `ClusterProfile.GENERIC`, which is what the library always did.
 *
 * Every fact of a built-in profile cites the platform's documentation below.
 *
 * @example
 * ClusterProfile.use(app, ClusterProfile.GKE_CLOUD_DNS);
 */
export class ClusterProfile {
  /**
   * Any conformant cluster: CoreDNS (kube-dns's labels) in kube-system on port 53, and the
   * metadata endpoints of the common clouds. What the library did before profiles existed.
   *
   * Sources: CoreDNS keeps `k8s-app: kube-dns` (https://kubernetes.io/docs/tasks/administer-cluster/dns-debugging-resolution/);
   * AWS 169.254.169.254 and fd00:ec2::254 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html);
   * Alibaba Cloud 100.100.100.200 (https://www.alibabacloud.com/help/en/ecs/user-guide/view-instance-metadata);
   * hostNetwork pods are outside NetworkPolicy's defined behaviour
   * (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-and-hostnetwork-pods).
   */
  public static readonly GENERIC: ClusterProfile = ClusterProfile._make({
    name: 'generic',
    dnsNamespace: DEFAULT_DNS_NAMESPACE,
    dnsPodLabels: { ...DEFAULT_DNS_POD_LABELS },
    dnsAddresses: [],
    dnsPorts: [Port.DNS_UDP, Port.DNS_TCP],
    metadataAddresses: [...CLOUD_METADATA_ADDRESSES],
    metadataExceptions: [],
    systemNamespaces: ['kube-system', 'kube-public', 'kube-node-lease'],
    hostNetworkPodsIsolated: false,
  });

  /**
   * GKE with kube-dns, its default DNS provider on Standard clusters: kube-dns pods labelled
   * `k8s-app: kube-dns` in kube-system, UDP and TCP 53
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/kube-dns). The metadata server is
   * 169.254.169.254 and, for IPv6, fd20:ce::254
   * (https://cloud.google.com/compute/docs/metadata/querying-metadata). GKE's own namespaces
   * include gke-managed-* and gmp-system
   * (https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-architecture).
   */
  public static readonly GKE: ClusterProfile = ClusterProfile._make({
    name: 'gke',
    dnsNamespace: 'kube-system',
    dnsPodLabels: { 'k8s-app': 'kube-dns' },
    dnsAddresses: [],
    dnsPorts: [Port.DNS_UDP, Port.DNS_TCP],
    metadataAddresses: ['169.254.169.254', 'fd20:ce::254'],
    metadataExceptions: [],
    systemNamespaces: ['kube-system', 'kube-public', 'kube-node-lease', 'gke-managed-*', 'gmp-system', 'gmp-public'],
    hostNetworkPodsIsolated: false,
  });

  /**
   * GKE with Cloud DNS (the default on Autopilot): kubelet points every pod's resolver at the
   * node's metadata server, 169.254.169.254, port 53, and the kube-dns pods are not used
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns,
   * https://cloud.google.com/kubernetes-engine/docs/concepts/about-cloud-dns). So DNS is an
   * address, and 169.254.169.254 may be reached on UDP and TCP 53 only: every other port stays
   * guarded.
   */
  public static readonly GKE_CLOUD_DNS: ClusterProfile = ClusterProfile._make({
    ...ClusterProfile.GKE._fields(),
    name: 'gke-cloud-dns',
    dnsNamespace: undefined,
    dnsPodLabels: undefined,
    dnsAddresses: ['169.254.169.254'],
    metadataExceptions: [{
      address: '169.254.169.254',
      ports: [Port.DNS_UDP, Port.DNS_TCP],
      reason: 'Cloud DNS for GKE answers the pods\' DNS queries on the metadata server, 169.254.169.254:53 '
        + '(https://cloud.google.com/kubernetes-engine/docs/how-to/cloud-dns)',
    }],
  });

  /**
   * GKE with kube-dns and NodeLocal DNSCache (the default on Standard clusters from 1.33.1):
   * pods query the cache on their node at 169.254.20.10 (a hostNetwork DaemonSet, which only
   * an ipBlock can allow), which forwards to the kube-dns pods
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/nodelocal-dns-cache,
   * https://kubernetes.io/docs/tasks/administer-cluster/nodelocaldns/). Both are allowed.
   */
  public static readonly GKE_NODELOCAL_DNS: ClusterProfile = ClusterProfile._make({
    ...ClusterProfile.GKE._fields(),
    name: 'gke-nodelocal-dns',
    dnsAddresses: ['169.254.20.10'],
  });

  /**
   * Amazon EKS: the CoreDNS add-on keeps the `k8s-app: kube-dns` label in kube-system, port 53
   * (https://docs.aws.amazon.com/eks/latest/userguide/managing-coredns.html); the instance
   * metadata service is 169.254.169.254 and fd00:ec2::254 over IPv6
   * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html).
   */
  public static readonly EKS: ClusterProfile = ClusterProfile._make({
    ...ClusterProfile.GENERIC._fields(),
    name: 'eks',
    metadataAddresses: ['169.254.169.254', 'fd00:ec2::254'],
  });

  /**
   * Azure AKS: CoreDNS in kube-system with the `k8s-app: kube-dns` label, port 53
   * (https://learn.microsoft.com/en-us/azure/aks/coredns-custom); the instance metadata
   * service at 169.254.169.254 (https://learn.microsoft.com/en-us/azure/virtual-machines/instance-metadata-service)
   * and the WireServer at 168.63.129.16, which hands out the VM's extension configuration
   * (https://learn.microsoft.com/en-us/azure/virtual-network/what-is-ip-address-168-63-129-16).
   * AKS's own namespaces include gatekeeper-system and calico-system
   * (https://learn.microsoft.com/en-us/azure/aks/use-network-policies).
   */
  public static readonly AKS: ClusterProfile = ClusterProfile._make({
    ...ClusterProfile.GENERIC._fields(),
    name: 'aks',
    metadataAddresses: ['169.254.169.254', '168.63.129.16'],
    systemNamespaces: ['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system', 'calico-system', 'tigera-operator'],
  });

  /**
   * OpenShift: the DNS Operator runs CoreDNS as the `dns-default` DaemonSet in openshift-dns,
   * pods labelled `dns.operator.openshift.io/daemonset-dns: default`, listening on 5353 (UDP
   * and TCP) behind the Service's port 53; NetworkPolicy sees 5353
   * (https://docs.openshift.com/container-platform/latest/networking/dns-operator.html,
   * https://github.com/openshift/cluster-dns-operator/blob/master/assets/dns/daemonset.yaml).
   * The platform's namespaces are openshift and openshift-*
   * (https://docs.openshift.com/container-platform/latest/applications/projects/working-with-projects.html).
   * It runs on any cloud, so every common metadata endpoint is guarded, Azure's WireServer included.
   */
  public static readonly OPENSHIFT: ClusterProfile = ClusterProfile._make({
    ...ClusterProfile.GENERIC._fields(),
    name: 'openshift',
    dnsNamespace: 'openshift-dns',
    dnsPodLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' },
    dnsPorts: [Port.udp(5353), Port.tcp(5353)],
    metadataAddresses: [...CLOUD_METADATA_ADDRESSES, '168.63.129.16'],
    systemNamespaces: ['kube-system', 'kube-public', 'kube-node-lease', 'openshift', 'openshift-*'],
  });

  /**
   * kind: a kubeadm cluster, so CoreDNS with the `k8s-app: kube-dns` label in kube-system on
   * port 53 (https://kubernetes.io/docs/tasks/administer-cluster/coredns/), and its own
   * local-path-storage namespace (https://kind.sigs.k8s.io/docs/user/configuration/). kind
   * often runs on a cloud VM (CI runners), whose metadata endpoint the pods can reach through
   * the node, so the common endpoints stay guarded.
   */
  public static readonly KIND: ClusterProfile = ClusterProfile._make({
    ...ClusterProfile.GENERIC._fields(),
    name: 'kind',
    systemNamespaces: ['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'],
  });

  /**
   * A profile from checked fields (inside the class: its statics use it before the module's functions exist).
   *
   * @internal
   */
  public static _make(fields: Fields): ClusterProfile {
    trusted = stateOf(fields);
    try {
      return new ClusterProfile({ name: fields.name });
    } finally {
      trusted = undefined;
    }
  }

  /** Every built-in profile, GENERIC first. */
  public static builtIns(): ClusterProfile[] {
    return [...BUILT_INS];
  }

  /**
   * The built-in profile with this name (`generic`, `gke`, `gke-cloud-dns`,
   * `gke-nodelocal-dns`, `eks`, `aks`, `openshift`, `kind`).
   */
  public static named(name: string): ClusterProfile {
    const text = string('ClusterProfile.named', 'name', name, { nonEmpty: true, what: 'the name of a built-in profile' });
    const found = BUILT_INS.find(p => p.name === text);
    if (found) return found;
    const names = BUILT_INS.map(p => p.name);
    const guess = didYouMean(text, names);
    return fail('ClusterProfile.named', 'name', text, `is not a built-in profile${guess ? `; did you mean ${JSON.stringify(guess)}?` : ''} `
      + `The built-in profiles are ${names.map(n => JSON.stringify(n)).join(', ')}; describe another cluster with ClusterProfile.custom()`);
  }

  /** A profile of your own, starting from `base` (GENERIC unless given). */
  public static custom(props: ClusterProfileProps): ClusterProfile {
    return make(customFields('ClusterProfile.custom', 'props', props));
  }

  /**
   * Sets the profile of every construct at or below `scope` (an App or a Chart). Set it before
   * adding the patterns that read it: setting it on a scope whose constructs already read a
   * profile, or setting a second one on the same scope, is an error.
   */
  public static use(scope: IConstruct, profile: ClusterProfile): void {
    constructArg('ClusterProfile.use', 'scope', scope, 'a construct (an App or a Chart)');
    const p = ClusterProfile._from('ClusterProfile.use', 'profile', profile);
    const current = USED.get(scope);
    const where = scope.node.path || '<app>';
    if (current !== undefined) {
      if (current === p) return;
      fail('ClusterProfile.use', 'profile', p.name, `${where} already uses profile ${JSON.stringify(current.name)}: one profile per scope `
        + '(set another one on a chart to override the app\'s)');
    }
    if (READ.has(scope)) {
      fail('ClusterProfile.use', 'profile', p.name, `constructs in ${where} have already read the cluster profile: `
        + 'call ClusterProfile.use() before adding the patterns, so that every policy reads the same profile');
    }
    USED.set(scope, p);
  }

  /**
   * The profile that applies to `scope`: the nearest one set at or above it with `use()`, else GENERIC.
   */
  public static of(scope: IConstruct): ClusterProfile {
    constructArg('ClusterProfile.of', 'scope', scope);
    const scopes = scope.node.scopes;
    let found: ClusterProfile | undefined;
    for (let i = scopes.length - 1; i >= 0 && found === undefined; i--) found = USED.get(scopes[i]);
    for (const s of scopes) READ.add(s);
    return found ?? ClusterProfile.GENERIC;
  }

  /**
   * A real `ClusterProfile` of this library, or a profile read from a config file's value: a
   * built-in's name, or the props of a custom profile (`base` then names a built-in).
   *
   * @internal
   */
  public static _fromJson(where: Where, field: string, value: unknown): ClusterProfile {
    if (typeof value === 'string') {
      const found = BUILT_INS.find(p => p.name === value);
      if (found) return found;
      const guess = didYouMean(value, BUILT_INS.map(p => p.name));
      return fail(where, field, value, `is not a built-in profile${guess ? `; did you mean ${JSON.stringify(guess)}?` : ''} `
        + `(${BUILT_INS.map(p => p.name).join(', ')}), nor the object of a custom profile`);
    }
    const raw = checkProps<{ [key: string]: unknown }>(where, field, value as { [key: string]: unknown }, PROFILE_PROPS);
    const copy: { [key: string]: unknown } = { ...raw };
    if (given(raw.base)) copy.base = ClusterProfile._fromJson(where, `${field}.base`, raw.base);
    for (const key of ['dnsPorts'] as const) {
      if (given(raw[key])) copy[key] = array(where, `${field}.${key}`, raw[key], 'ports ({ "protocol": "UDP", "port": 53 })', (p, f) => portFromJson(where, f, p));
    }
    if (given(raw.metadataExceptions)) {
      copy.metadataExceptions = array(where, `${field}.metadataExceptions`, raw.metadataExceptions, 'exceptions ({ address, ports, reason })', (e, f) => {
        const x = checkProps<{ [key: string]: unknown }>(where, f, e as { [key: string]: unknown }, ['address', 'ports', 'reason']);
        return { ...x, ports: array(where, `${f}.ports`, x.ports, 'ports', (p, g) => portFromJson(where, g, p)) };
      });
    }
    return make(customFields(where, field, copy as unknown as ClusterProfileProps));
  }

  /** @internal */
  public static _from(where: Where, field: string, value: unknown): ClusterProfile {
    if (STATE.has(value as ClusterProfile)) return value as ClusterProfile;
    return notAnInstance(where, field, value, 'ClusterProfile', 'ClusterProfile.GKE, ClusterProfile.named(), ClusterProfile.custom(), ...');
  }

  /** @internal */
  public static _stateOf(profile: ClusterProfile): ProfileState {
    const state = STATE.get(profile);
    if (state === undefined) throw new Error(`internal error: ${kindOf(profile)} is not a ClusterProfile of this library`);
    return state;
  }

  /** The profile's name, e.g. `gke-cloud-dns`. */
  public readonly name: string;
  /**
   * The namespace of the DNS pods.
   *
   * @default - DNS is not served by pods (see `dnsAddresses`)
   */
  public readonly dnsNamespace?: string;
  /**
   * The labels of the DNS pods.
   *
   * @default - DNS is not served by pods (see `dnsAddresses`)
   */
  public readonly dnsPodLabels?: { [key: string]: string };
  /** IP addresses that serve DNS besides (or instead of) the pods. */
  public readonly dnsAddresses: string[];
  /** The DNS ports, as NetworkPolicy sees them (target ports). */
  public readonly dnsPorts: Port[];
  /** The instance-metadata addresses pods must never reach. */
  public readonly metadataAddresses: string[];
  /** The ports on which a metadata address may legitimately be reached. */
  public readonly metadataExceptions: MetadataException[];
  /** The platform's own namespaces (names, or prefixes ending in `*`). */
  public readonly systemNamespaces: string[];
  /** Whether the network plugin applies NetworkPolicies to hostNetwork pods. */
  public readonly hostNetworkPodsIsolated: boolean;

  protected constructor(props: ClusterProfileProps) {
    // a subclass may call this directly: its props are checked like any input
    const state = trusted ?? stateOf(customFields('ClusterProfile', 'props', props));
    trusted = undefined;
    STATE.set(this, state);
    this.name = state.name;
    this.dnsNamespace = state.dnsNamespace;
    this.dnsPodLabels = state.dnsPodLabels as { [key: string]: string } | undefined;
    this.dnsAddresses = state.dnsAddresses as string[];
    this.dnsPorts = state.dnsPorts as Port[];
    this.metadataAddresses = state.metadataAddresses as string[];
    this.metadataExceptions = state.metadataExceptions as MetadataException[];
    this.systemNamespaces = state.systemNamespaces as string[];
    this.hostNetworkPodsIsolated = state.hostNetworkPodsIsolated;
    if (new.target === ClusterProfile) lockInstance(this);
  }

  /** Whether `namespace` is one of the platform's own namespaces. */
  public isSystemNamespace(namespace: string): boolean {
    return ClusterProfile._stateOf(this).systemNamespaces.some(s => s.endsWith('*') ? namespace.startsWith(s.slice(0, -1)) : namespace === s);
  }

  /** The metadata addresses as single-address CIDRs (`/32` or `/128`). */
  public metadataCidrs(): string[] {
    return ClusterProfile._stateOf(this).metadataAddresses.map(cidrOf);
  }

  /** The DNS addresses as single-address CIDRs (`/32` or `/128`). */
  public dnsCidrs(): string[] {
    return ClusterProfile._stateOf(this).dnsAddresses.map(cidrOf);
  }

  /** The profile as plain JSON (the form `netpol.config.json` accepts for a custom profile). */
  public toJson(): any {
    const s = ClusterProfile._stateOf(this);
    return JSON.parse(JSON.stringify({
      name: s.name,
      dnsPods: s.dnsNamespace !== undefined,
      dnsNamespace: s.dnsNamespace,
      dnsPodLabels: s.dnsPodLabels,
      dnsAddresses: s.dnsAddresses,
      dnsPorts: s.dnsPorts.map(p => p.toPortConfig()),
      metadataAddresses: s.metadataAddresses,
      metadataExceptions: s.metadataExceptions.map(e => ({ address: e.address, ports: e.ports.map(p => p.toPortConfig()), reason: e.reason })),
      systemNamespaces: s.systemNamespaces,
      hostNetworkPodsIsolated: s.hostNetworkPodsIsolated,
    }));
  }

  /** The profile's name. */
  public toString(): string {
    return this.name;
  }

  /**
   * The fields, to start another built-in from.
   *
   * @internal
   */
  public _fields(): Fields {
    const s = ClusterProfile._stateOf(this);
    return {
      name: s.name,
      dnsNamespace: s.dnsNamespace,
      dnsPodLabels: s.dnsPodLabels,
      dnsAddresses: [...s.dnsAddresses],
      dnsPorts: [...s.dnsPorts],
      metadataAddresses: [...s.metadataAddresses],
      metadataExceptions: [...s.metadataExceptions],
      systemNamespaces: [...s.systemNamespaces],
      hostNetworkPodsIsolated: s.hostNetworkPodsIsolated,
    };
  }

  /**
   * The key equal for profiles that mean the same.
   *
   * @internal
   */
  public _key(): string {
    return ClusterProfile._stateOf(this).key;
  }
}

Object.defineProperty(ClusterProfile.prototype, VALUE_BRAND, { value: 'ClusterProfile' });
lockPrototypes(ClusterProfile);

/** The fields of a profile, checked (its state without the key). */
type Fields = Omit<ProfileState, 'key'>;

function make(fields: Fields): ClusterProfile {
  return ClusterProfile._make(fields);
}

function stateOf(f: Fields): ProfileState {
  const exceptions = Object.freeze(f.metadataExceptions.map(e =>
    Object.freeze({ address: e.address, ports: Object.freeze([...e.ports]) as Port[], reason: e.reason })));
  const state = {
    name: f.name,
    dnsNamespace: f.dnsNamespace,
    dnsPodLabels: f.dnsPodLabels === undefined ? undefined : Object.freeze({ ...f.dnsPodLabels }),
    dnsAddresses: Object.freeze([...f.dnsAddresses]),
    dnsPorts: Object.freeze([...f.dnsPorts]),
    metadataAddresses: Object.freeze([...f.metadataAddresses]),
    metadataExceptions: exceptions,
    systemNamespaces: Object.freeze([...f.systemNamespaces]),
    hostNetworkPodsIsolated: f.hostNetworkPodsIsolated,
  };
  const key = canonical({
    ...state,
    dnsPorts: state.dnsPorts.map(p => p._key()),
    metadataExceptions: exceptions.map(e => ({ address: e.address, ports: e.ports.map(p => p._key()), reason: e.reason })),
  });
  return Object.freeze({ ...state, key });
}

/** A profile name: a DNS-1123 label (it names the profile in reports and on the command line). */
function profileName(where: Where, field: string, value: unknown): string {
  const text = string(where, field, value, { nonEmpty: true, what: 'a profile name such as "acme-onprem"' });
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(text)) {
    fail(where, field, text, 'must be a profile name: lowercase letters, digits and "-", at most 63 characters, starting and ending with a letter or digit');
  }
  return text;
}

function address(where: Where, field: string, value: unknown, what: string): string {
  const text = string(where, field, value, { nonEmpty: true, what });
  const parsed = parseIp(text, true);
  if (typeof parsed === 'string') fail(where, field, text, `must be ${what} (${parsed}); write one address, without a prefix length`);
  return text;
}

function addresses(where: Where, field: string, value: unknown, what: string): string[] {
  const out = array(where, field, value, `${what}s (strings)`, (v, f) => address(where, f, v, what));
  const seen = new Set<string>();
  out.forEach((a, i) => {
    if (seen.has(a)) fail(where, `${field}[${i}]`, a, 'is listed twice');
    seen.add(a);
  });
  return out;
}

function numericPorts(where: Where, field: string, value: unknown, what: string): Port[] {
  const ports = array(where, field, value, 'Ports', (p, f) => Port._from(where, f, p));
  if (ports.length === 0) fail(where, field, ports, `must list at least one port (${what})`);
  ports.forEach((p, i) => {
    if (p.isAllTraffic || p.number === undefined || p.name !== undefined) {
      fail(where, `${field}[${i}]`, p.toString(), `must be a numeric port such as Port.udp(53) (${what}): a named port or a whole protocol is never what a platform documents`);
    }
  });
  return ports;
}

function customFields(where: Where, field: string, value: ClusterProfileProps): Fields {
  const p = checkProps<ClusterProfileProps>(where, field, value, PROFILE_PROPS);
  const name = profileName(where, `${field}.name`, p.name);
  const base = given(p.base) ? ClusterProfile._from(where, `${field}.base`, p.base)._fields() : ClusterProfile.GENERIC._fields();
  const dnsPods = optionalBoolean(where, `${field}.dnsPods`, p.dnsPods);
  let dnsNamespace = given(p.dnsNamespace) ? namespaceName(where, `${field}.dnsNamespace`, p.dnsNamespace) : base.dnsNamespace;
  let dnsPodLabels = given(p.dnsPodLabels) ? checkLabels(where, `${field}.dnsPodLabels`, p.dnsPodLabels, EMPTY_POD_LABELS) : base.dnsPodLabels;
  if (dnsPods === false) {
    if (given(p.dnsNamespace) || given(p.dnsPodLabels)) fail(where, `${field}.dnsPods`, false, 'is false, so dnsNamespace and dnsPodLabels cannot be set');
    dnsNamespace = undefined;
    dnsPodLabels = undefined;
  } else if (dnsPods === true || given(p.dnsNamespace) || given(p.dnsPodLabels)) {
    // pods named by one of namespace and labels take the usual other half
    dnsNamespace = dnsNamespace ?? DEFAULT_DNS_NAMESPACE;
    dnsPodLabels = dnsPodLabels ?? { ...DEFAULT_DNS_POD_LABELS };
  }
  const dnsAddresses = given(p.dnsAddresses) ? addresses(where, `${field}.dnsAddresses`, p.dnsAddresses, 'a DNS server\'s IP address such as "169.254.20.10"') : base.dnsAddresses;
  if (dnsNamespace === undefined && dnsAddresses.length === 0) {
    fail(where, field, name, 'has no DNS: set dnsNamespace and dnsPodLabels (DNS pods), dnsAddresses (DNS servers by address), or both');
  }
  const dnsPorts = given(p.dnsPorts) ? numericPorts(where, `${field}.dnsPorts`, p.dnsPorts, 'the DNS pods\' target ports') : base.dnsPorts;
  const metadataAddresses = given(p.metadataAddresses)
    ? addresses(where, `${field}.metadataAddresses`, p.metadataAddresses, 'a metadata endpoint\'s IP address such as "169.254.169.254"') : base.metadataAddresses;
  const metadataExceptions = given(p.metadataExceptions)
    ? array(where, `${field}.metadataExceptions`, p.metadataExceptions, 'exceptions ({ address, ports, reason })', (e, f) => {
      const x = checkProps<MetadataException>(where, f, e as MetadataException, ['address', 'ports', 'reason']);
      return {
        address: address(where, `${f}.address`, x.address, 'a metadata endpoint\'s IP address'),
        ports: numericPorts(where, `${f}.ports`, x.ports, 'the ports on which the endpoint may be reached'),
        reason: string(where, `${f}.reason`, x.reason, { nonEmpty: true, what: 'why the platform needs it (cite its documentation)' }),
      };
    })
    : base.metadataExceptions;
  metadataExceptions.forEach((e, i) => {
    if (!metadataAddresses.includes(e.address)) {
      fail(where, `${field}.metadataExceptions[${i}].address`, e.address, `is not one of the metadata addresses (${metadataAddresses.join(', ')}): an exception for an unguarded address means nothing`);
    }
  });
  const systemNamespaces = given(p.systemNamespaces)
    ? array(where, `${field}.systemNamespaces`, p.systemNamespaces, 'namespace names, or prefixes ending in "*"', (v, f) => {
      const text = string(where, f, v, { nonEmpty: true, what: 'a namespace name or a prefix ending in "*"' });
      if (text.endsWith('*')) {
        if (text.length < 2 || !/^[a-z0-9][a-z0-9-]*$/.test(text.slice(0, -1))) fail(where, f, text, 'must be a namespace name prefix such as "openshift-*"');
        return text;
      }
      return namespaceName(where, f, text);
    })
    : base.systemNamespaces;
  const hostNetworkPodsIsolated = optionalBoolean(where, `${field}.hostNetworkPodsIsolated`, p.hostNetworkPodsIsolated) ?? base.hostNetworkPodsIsolated;
  return {
    name, dnsNamespace, dnsPodLabels, dnsAddresses, dnsPorts, metadataAddresses, metadataExceptions, systemNamespaces, hostNetworkPodsIsolated,
  };
}

/** A port from a config file: `{ "protocol": "UDP", "port": 53 }` (protocol defaults to TCP, as in a NetworkPolicy). */
function portFromJson(where: Where, field: string, value: unknown): Port {
  if (brandOf(value) === 'Port') return Port._from(where, field, value);
  const p = checkProps<{ protocol?: unknown; port?: unknown }>(where, field, value as { protocol?: unknown; port?: unknown }, ['protocol', 'port']);
  const protocol = (given(p.protocol) ? p.protocol : Protocol.TCP) as Protocol;
  return Port.of(given(p.port) ? { protocol, port: p.port as number } : { protocol });
}

function cidrOf(a: string): string {
  return `${a}/${a.includes(':') ? 128 : 32}`;
}

const BUILT_INS: readonly ClusterProfile[] = Object.freeze([
  ClusterProfile.GENERIC, ClusterProfile.GKE, ClusterProfile.GKE_CLOUD_DNS, ClusterProfile.GKE_NODELOCAL_DNS,
  ClusterProfile.EKS, ClusterProfile.AKS, ClusterProfile.OPENSHIFT, ClusterProfile.KIND,
]);

freezeStatics(ClusterProfile, ['GENERIC', 'GKE', 'GKE_CLOUD_DNS', 'GKE_NODELOCAL_DNS', 'EKS', 'AKS', 'OPENSHIFT', 'KIND']);
