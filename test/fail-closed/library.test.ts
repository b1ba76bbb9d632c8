import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { allowedSet, beyond, chart, expectLibraryError, synthOrFail } from './world';
import {
  AllowDns, AllowEgressTo, AllowFromNamespace, AllowMonitoring, AllowSameNamespace, BlockMetadata, DefaultDeny, DenyExternalEgress,
  Direction, LabelExpression, LabelSelector, Linter, NamespaceBaseline, NetpolLint, Peer, Policy, Port, Protocol, SameNamespaceOnly,
  Synthesis, TieredApp,
} from '../../src';

/**
 * Every public entry point, given every kind of wrong value a caller from plain JavaScript,
 * another jsii language or a config file can pass: it throws this library's error (naming where,
 * the field, the value and what would be valid), or it synthesizes exactly the narrow policy
 * meant. "Never wider" is proved with the connectivity engine, also for what a failed
 * construction leaves in the tree.
 */

/** The wrong values, by name. A factory so that each case gets fresh objects. */
const VALUES: [string, () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['NaN', () => NaN],
  ['1.5', () => 1.5],
  ['42', () => 42],
  ['true', () => true],
  ['"text"', () => 'text'],
  ['""', () => ''],
  ['a 200-character string', () => 'x'.repeat(200)],
  ['[]', () => []],
  ['[null]', () => [null]],
  ['{}', () => ({})],
  ['{ typo: 1 }', () => ({ typo: 1 })],
  ['{ app: null }', () => ({ app: null })],
  ['{ app: 1 }', () => ({ app: 1 })],
  ['a Map', () => new Map([['app', 'web']])],
  ['a function', () => () => 1],
  ['a symbol', () => Symbol('x')],
  ['a Peer look-alike', () => ({ isAnywhere: true, toPeerConfig: () => undefined, toString: () => 'anywhere' })],
  ['a Port look-alike', () => ({ isAllTraffic: true, toPortConfig: () => undefined, toString: () => '*' })],
  ['a LabelSelector look-alike', () => ({ matchLabels: {}, matchExpressions: [], isEmpty: () => true, toSelectorConfig: () => ({}) })],
  ['Object.create(Peer.prototype)', () => Object.create(Peer.prototype)],
  ['Object.create(Port.prototype)', () => Object.create(Port.prototype)],
  ['Object.create(LabelSelector.prototype)', () => Object.create(LabelSelector.prototype)],
  ['a Peer where something else is meant', () => Peer.anywhere()],
  ['a Port where something else is meant', () => Port.allTraffic()],
  ['a LabelSelector where something else is meant', () => LabelSelector.all()],
];

interface Site {
  /** The entry point and argument, for the test name. */
  readonly api: string;
  /** What the error names in brackets: the API or the construct path. */
  readonly where: string;
  /** The field the error names (a pattern, for props whose errors name the prop at fault). */
  readonly field: string | RegExp;
  /** Uses the value in a chart (values are used in a policy, so that what they render is seen). */
  readonly call: (value: any, chart: Chart) => void;
  /** The values accepted, each with the typed value it stands for (itself when not given). */
  readonly accepts?: { [name: string]: unknown };
  /** Values whose kind is right for this site (not wrong values here). */
  readonly skip?: string[];
}

const WEB = () => LabelSelector.labels({ app: 'web' });
function usePort(c: Chart, port: Port): void {
  new Policy(c, 'P', { podSelector: WEB(), ingress: [{ from: [Peer.pods({ app: 'api' })], ports: [port] }] });
}
function usePeer(c: Chart, peer: Peer): void {
  new Policy(c, 'P', { podSelector: WEB(), ingress: [{ from: [peer], ports: [Port.tcp(80)] }] });
}
function useSelector(c: Chart, selector: LabelSelector): void {
  new Policy(c, 'P', { podSelector: selector, ingress: [{ from: [Peer.pods({ app: 'api' })], ports: [Port.tcp(80)] }] });
}
function useExpression(c: Chart, e: LabelExpression): void {
  useSelector(c, LabelSelector.of({ expressions: [e] }));
}

const IS_PEER = ['a Peer where something else is meant'];
const IS_PORT = ['a Port where something else is meant'];
const IS_SELECTOR = ['a LabelSelector where something else is meant'];
const STRING = { '"text"': 'text', 'a 200-character string': 'x'.repeat(200) };
const LABELS_OK = {};
const OPTIONAL = { undefined: undefined };

/** Port number arguments: an integer is the only right kind. */
function portNumberSites(): Site[] {
  const one = (api: string, make: (v: any) => Port): Site => ({ api, where: api.replace(/\(.*/, ''), field: api.match(/\((\w+)/)![1], call: (v, c) => usePort(c, make(v)), accepts: { 42: 42 } });
  return [
    one('Port.tcp(port)', v => Port.tcp(v)), one('Port.udp(port)', v => Port.udp(v)), one('Port.sctp(port)', v => Port.sctp(v)),
    one('Port.tcpRange(from)', v => Port.tcpRange(v, 100)), { ...one('Port.tcpRange(to)', v => Port.tcpRange(1, v)), field: 'to' },
    one('Port.udpRange(from)', v => Port.udpRange(v, 100)), { ...one('Port.udpRange(to)', v => Port.udpRange(1, v)), field: 'to' },
    one('Port.sctpRange(from)', v => Port.sctpRange(v, 100)), { ...one('Port.sctpRange(to)', v => Port.sctpRange(1, v)), field: 'to' },
  ];
}

const SITES: Site[] = [
  ...portNumberSites(),
  { api: 'Port.named(name)', where: 'Port.named', field: 'name', call: (v, c) => usePort(c, Port.named(v)), accepts: { '"text"': 'text' } },
  { api: 'Port.named(_, protocol)', where: 'Port.named', field: 'protocol', call: (v, c) => usePort(c, Port.named('http', v)), accepts: OPTIONAL },
  { api: 'Port.of(options)', where: 'Port.of', field: 'options', call: (v, c) => usePort(c, Port.of(v)) },
  { api: 'Port.of({ port })', where: 'Port.of', field: 'port', call: (v, c) => usePort(c, Port.of({ port: v })), accepts: { 42: 42 } },
  { api: 'Port.of({ name })', where: 'Port.of', field: 'name', call: (v, c) => usePort(c, Port.of({ name: v })), accepts: { '"text"': 'text' } },
  { api: 'Port.of({ protocol })', where: 'Port.of', field: 'protocol', call: (v, c) => usePort(c, Port.of({ port: 80, protocol: v })), accepts: OPTIONAL },
  { api: 'Port.of({ endPort })', where: 'Port.of', field: 'endPort', call: (v, c) => usePort(c, Port.of({ port: 40, endPort: v })), accepts: { 42: 42 } },

  { api: 'Peer.pods(labels)', where: 'Peer.pods', field: 'labels', call: (v, c) => usePeer(c, Peer.pods(v)) },
  { api: 'Peer.podsMatching(selector)', where: 'Peer.podsMatching', field: 'selector', call: (v, c) => usePeer(c, Peer.podsMatching(v)), skip: IS_SELECTOR },
  { api: 'Peer.namespace(name)', where: 'Peer.namespace', field: 'name', call: (v, c) => usePeer(c, Peer.namespace(v)), accepts: STRING },
  { api: 'Peer.namespaces(labels)', where: 'Peer.namespaces', field: 'labels', call: (v, c) => usePeer(c, Peer.namespaces(v)) },
  { api: 'Peer.namespacesMatching(selector)', where: 'Peer.namespacesMatching', field: 'selector', call: (v, c) => usePeer(c, Peer.namespacesMatching(v)), skip: IS_SELECTOR },
  { api: 'Peer.podsInNamespace(namespace)', where: 'Peer.podsInNamespace', field: 'namespace', call: (v, c) => usePeer(c, Peer.podsInNamespace(v, { app: 'x' })), accepts: STRING },
  { api: 'Peer.podsInNamespace(_, podLabels)', where: 'Peer.podsInNamespace', field: 'podLabels', call: (v, c) => usePeer(c, Peer.podsInNamespace('monitoring', v)) },
  { api: 'Peer.podsInNamespaces(namespaceLabels)', where: 'Peer.podsInNamespaces', field: 'namespaceLabels', call: (v, c) => usePeer(c, Peer.podsInNamespaces(v, { app: 'x' })) },
  { api: 'Peer.podsInNamespaces(_, podLabels)', where: 'Peer.podsInNamespaces', field: 'podLabels', call: (v, c) => usePeer(c, Peer.podsInNamespaces({ team: 'obs' }, v)) },
  { api: 'Peer.podsInAllNamespaces(podLabels)', where: 'Peer.podsInAllNamespaces', field: 'podLabels', call: (v, c) => usePeer(c, Peer.podsInAllNamespaces(v)) },
  { api: 'Peer.selectors(options)', where: 'Peer.selectors', field: 'options', call: (v, c) => usePeer(c, Peer.selectors(v)) },
  { api: 'Peer.selectors({ pods })', where: 'Peer.selectors', field: 'pods', call: (v, c) => usePeer(c, Peer.selectors({ pods: v })), skip: IS_SELECTOR },
  { api: 'Peer.selectors({ namespaces })', where: 'Peer.selectors', field: 'namespaces', call: (v, c) => usePeer(c, Peer.selectors({ namespaces: v })), skip: IS_SELECTOR },
  { api: 'Peer.ipBlock(cidr)', where: 'Peer.ipBlock', field: 'cidr', call: (v, c) => usePeer(c, Peer.ipBlock(v)) },
  { api: 'Peer.ipBlock(_, except)', where: 'Peer.ipBlock', field: 'except', call: (v, c) => usePeer(c, Peer.ipBlock('10.0.0.0/8', v)), accepts: { ...OPTIONAL, '[]': [] } },
  { api: 'Peer.anyIpv4(except)', where: 'Peer.anyIpv4', field: 'except', call: (v, c) => usePeer(c, Peer.anyIpv4(v)), accepts: { ...OPTIONAL, '[]': [] } },
  { api: 'Peer.anyIpv6(except)', where: 'Peer.anyIpv6', field: 'except', call: (v, c) => usePeer(c, Peer.anyIpv6(v)), accepts: { ...OPTIONAL, '[]': [] } },
  { api: 'Peer.fromPodSelector(selector)', where: 'Peer.fromPodSelector', field: 'selector', call: (v, c) => usePeer(c, Peer.fromPodSelector(v)) },

  { api: 'LabelSelector.of(options)', where: 'LabelSelector.of', field: 'options', call: (v, c) => useSelector(c, LabelSelector.of(v)) },
  { api: 'LabelSelector.of({ labels })', where: 'LabelSelector.of', field: 'labels', call: (v, c) => useSelector(c, LabelSelector.of({ labels: v })) },
  { api: 'LabelSelector.of({ expressions })', where: 'LabelSelector.of', field: 'expressions', call: (v, c) => useSelector(c, LabelSelector.of({ expressions: v })) },
  { api: 'LabelSelector.labels(labels)', where: 'LabelSelector.labels', field: 'labels', call: (v, c) => useSelector(c, LabelSelector.labels(v)) },
  { api: 'LabelSelector.fromConfig(config)', where: 'LabelSelector.fromConfig', field: 'config', call: (v, c) => useSelector(c, LabelSelector.fromConfig(v)), accepts: { '{}': {} } },
  { api: 'LabelSelector.fromConfig({ matchLabels })', where: 'LabelSelector.fromConfig', field: 'matchLabels', call: (v, c) => useSelector(c, LabelSelector.fromConfig({ matchLabels: v })), accepts: OPTIONAL },
  { api: 'LabelSelector.fromConfig({ matchExpressions })', where: 'LabelSelector.fromConfig', field: 'matchExpressions', call: (v, c) => useSelector(c, LabelSelector.fromConfig({ matchLabels: { app: 'web' }, matchExpressions: v })), accepts: { ...OPTIONAL, '[]': [] } },
  { api: 'LabelSelector.fromPodSelector(selector)', where: 'LabelSelector.fromPodSelector', field: 'selector', call: (v, c) => useSelector(c, LabelSelector.fromPodSelector(v)) },

  ...(['in', 'notIn'] as const).flatMap((op): Site[] => [
    { api: `LabelExpression.${op}(key)`, where: `LabelExpression.${op}`, field: 'key', call: (v, c) => useExpression(c, LabelExpression[op](v, ['web'])), accepts: { '"text"': 'text' } },
    { api: `LabelExpression.${op}(_, values)`, where: `LabelExpression.${op}`, field: 'values', call: (v, c) => useExpression(c, LabelExpression[op]('app', v)) },
  ]),
  ...(['exists', 'doesNotExist'] as const).map((op): Site => (
    { api: `LabelExpression.${op}(key)`, where: `LabelExpression.${op}`, field: 'key', call: (v, c) => useExpression(c, LabelExpression[op](v)), accepts: { '"text"': 'text' } })),

  { api: 'new Policy(scope)', where: 'new Policy', field: 'scope', call: v => new Policy(v, 'X') },
  { api: 'new Policy(_, id)', where: 'new Policy', field: 'id', call: (v, c) => new Policy(c, v, { podSelector: WEB(), policyTypes: [Direction.INGRESS] }), accepts: STRING },
  { api: 'new Policy(_, _, props)', where: 'test/X', field: 'props', call: (v, c) => new Policy(c, 'X', v), accepts: { ...OPTIONAL, '{}': {} } },
  ...policyPropSites(),
  { api: 'policy.addIngress(rule)', where: 'test/X', field: 'spec.ingress[0]', call: (v, c) => new Policy(c, 'X', { podSelector: WEB() }).addIngress(v) },
  { api: 'policy.addEgress(rule)', where: 'test/X', field: 'spec.egress[0]', call: (v, c) => new Policy(c, 'X', { podSelector: WEB() }).addEgress(v) },
  { api: 'policy.addIngress({ from })', where: 'test/X', field: 'from', call: (v, c) => new Policy(c, 'X', { podSelector: WEB() }).addIngress({ from: v, ports: [Port.HTTP] }) },
  { api: 'policy.addIngress({ from: [peer] })', where: 'test/X', field: 'from[0]', call: (v, c) => new Policy(c, 'X', { podSelector: WEB() }).addIngress({ from: [v], ports: [Port.HTTP] }), skip: IS_PEER },
  { api: 'policy.addEgress({ ports: [port] })', where: 'test/X', field: 'ports[0]', call: (v, c) => new Policy(c, 'X', { podSelector: WEB() }).addEgress({ to: [Peer.pods({ app: 'api' })], ports: [v] }), skip: IS_PORT },

  ...patternSites(),

  { api: 'Synthesis.synth(app)', where: 'Synthesis.synth', field: 'app', call: v => Synthesis.synth(v) },
  { api: 'Synthesis.synthYaml(app)', where: 'Synthesis.synthYaml', field: 'app', call: v => Synthesis.synthYaml(v) },
  { api: 'Synthesis.charts(app)', where: 'Synthesis.charts', field: 'app', call: v => Synthesis.charts(v) },
  { api: 'Linter.lint(inputs)', where: 'Linter.lint', field: 'inputs', call: v => Linter.lint(v), accepts: { '[]': [] } },
  { api: 'Linter.lint([input])', where: 'Linter.lint', field: 'inputs[0]', call: v => Linter.lint([v]) },
  { api: 'Linter.lintObjects(manifests)', where: 'Linter.lintObjects', field: 'manifests', call: v => Linter.lintObjects(v), accepts: { '[]': [] } },
  { api: 'Linter.lintObjects(_, options)', where: 'Linter.lintObjects', field: 'options', call: v => Linter.lintObjects([], v), accepts: { ...OPTIONAL, '{}': {} } },
  { api: 'Linter.lintChart(chart)', where: 'Linter.lintChart', field: 'chart', call: v => Linter.lintChart(v) },
  { api: 'Linter.lintApp(app)', where: 'Linter.lintApp', field: 'app', call: v => Linter.lintApp(v) },
  ...(['dnsNamespace', 'dnsPodLabels', 'metadataAddresses', 'defaultNamespace', 'ipBlockMatchesPodIps', 'maxPortRangeWidth'] as const).map((key): Site => ({
    api: `Linter.lintObjects(_, { ${key} })`,
    where: 'Linter.lintObjects',
    field: key,
    call: v => Linter.lintObjects([], { [key]: v }),
    accepts: { ...OPTIONAL, ...lintAccepts(key) },
  })),
  { api: 'NetpolLint.addTo(scope)', where: 'NetpolLint.addTo', field: 'scope', call: v => NetpolLint.addTo(v) },
  { api: 'NetpolLint.addTo(_, options)', where: 'NetpolLint.addTo', field: 'options', call: (v, c) => NetpolLint.addTo(c, v), accepts: { ...OPTIONAL, '{}': {} } },
  { api: 'NetpolLint.addTo(_, { failOnWarnings })', where: 'NetpolLint.addTo', field: 'failOnWarnings', call: (v, c) => NetpolLint.addTo(c, { failOnWarnings: v }), accepts: { ...OPTIONAL, true: true } },
  { api: 'NetpolLint.suppress(scope)', where: 'NetpolLint.suppress', field: 'scope', call: v => NetpolLint.suppress(v, []) },
  { api: 'NetpolLint.suppress(_, suppressions)', where: 'NetpolLint.suppress(test)', field: 'suppressions', call: (v, c) => NetpolLint.suppress(c, v), accepts: { '[]': [] } },
];

function lintAccepts(key: string): { [name: string]: unknown } {
  switch (key) {
    case 'dnsNamespace': case 'defaultNamespace': return STRING;
    case 'ipBlockMatchesPodIps': return { true: true };
    case 'metadataAddresses': return { '[]': [] };
    case 'maxPortRangeWidth': return { 42: 42 };
    default: return LABELS_OK;
  }
}

function policyPropSites(): Site[] {
  const site = (field: string, make: (v: any) => any, extra: Partial<Site> = {}): Site => ({
    api: `new Policy(_, _, { ${field} })`, where: 'test/X', field, call: (v, c) => new Policy(c, 'X', make(v)), ...extra,
  });
  const rule = { from: [Peer.pods({ app: 'api' })], ports: [Port.HTTP] };
  return [
    site('namespace', v => ({ namespace: v, podSelector: WEB(), ingress: [rule] }), { accepts: { ...OPTIONAL, '"text"': 'text' } }),
    site('name', v => ({ name: v, podSelector: WEB(), ingress: [rule] }), { accepts: { ...OPTIONAL, ...STRING } }),
    site('podSelector', v => ({ podSelector: v, ingress: [rule] }), { skip: IS_SELECTOR, accepts: OPTIONAL }),
    site('policyTypes', v => ({ podSelector: WEB(), policyTypes: v }), { accepts: OPTIONAL }),
    site('policyTypes[0]', v => ({ podSelector: WEB(), policyTypes: [v] })),
    site('ingress', v => ({ podSelector: WEB(), ingress: v, policyTypes: [Direction.INGRESS] }), { accepts: { ...OPTIONAL, '[]': [] } }),
    site('egress[0]', v => ({ podSelector: WEB(), egress: [v] })),
    site('labels', v => ({ labels: v, podSelector: WEB(), ingress: [rule] }), { accepts: { ...OPTIONAL, '{}': {} } }),
    site('annotations', v => ({ annotations: v, podSelector: WEB(), ingress: [rule] }), { accepts: { ...OPTIONAL, '{}': {} } }),
    site('podSelecter', v => ({ podSelecter: v, ingress: [rule] })),
  ];
}

function patternSites(): Site[] {
  const ports = [Port.HTTP];
  const patterns: [string, (c: Chart, props: any) => void, { [key: string]: unknown }, string[]][] = [
    // name, constructor, required props, props (beyond namespace and name) that take a value of another kind
    ['DefaultDeny', (c, p) => new DefaultDeny(c, 'X', p), { podSelector: WEB() }, ['directions', 'podSelector']],
    ['AllowDns', (c, p) => new AllowDns(c, 'X', p), { podSelector: WEB() }, ['dnsNamespace', 'dnsPodLabels', 'dnsPorts', 'nodeLocalDnsCidr', 'podSelector']],
    ['AllowEgressTo', (c, p) => new AllowEgressTo(c, 'X', p), { podSelector: WEB(), to: [Peer.pods({ app: 'api' })], ports }, ['to', 'ports', 'podSelector']],
    // `ports` of AllowFromNamespace and AllowSameNamespace defaults to every port, as documented (undefined is the default; null is an error)
    ['AllowFromNamespace', (c, p) => new AllowFromNamespace(c, 'X', p), { podSelector: WEB(), fromNamespace: 'monitoring', ports }, ['fromNamespace', 'fromPodLabels', 'podSelector', 'ports']],
    ['AllowMonitoring', (c, p) => new AllowMonitoring(c, 'X', p), { podSelector: WEB(), ports }, ['ports', 'monitoringNamespace', 'scraperPodLabels', 'podSelector']],
    ['AllowSameNamespace', (c, p) => new AllowSameNamespace(c, 'X', p), { podSelector: WEB(), ports }, ['podSelector', 'ports']],
    ['BlockMetadata', (c, p) => new BlockMetadata(c, 'X', p), { podSelector: WEB() }, ['podSelector', 'addresses', 'allowInternet']],
    ['DenyExternalEgress', (c, p) => new DenyExternalEgress(c, 'X', p), { podSelector: WEB() }, ['privateRanges', 'allowClusterPods', 'excluded', 'podSelector']],
    ['NamespaceBaseline', (c, p) => new NamespaceBaseline(c, 'X', p), {}, ['allowDns', 'dns', 'metadataAddresses', 'allowInternet']],
    ['SameNamespaceOnly', (c, p) => new SameNamespaceOnly(c, 'X', p), {}, ['allowDns', 'dns']],
    ['TieredApp', (c, p) => new TieredApp(c, 'X', p), { entry: [Peer.pods({ app: 'client' })], tiers: [{ name: 'web', podSelector: WEB(), ports }] }, ['tiers', 'entry', 'allowDns', 'dns']],
  ];
  const sites: Site[] = [];
  for (const [name, make, required, keys] of patterns) {
    const optional = Object.keys(required).length === 0 || !['AllowEgressTo', 'AllowFromNamespace', 'AllowMonitoring', 'TieredApp'].includes(name);
    sites.push({ api: `new ${name}(scope)`, where: `new ${name}`, field: 'scope', call: v => make(v, required) });
    sites.push({ api: `new ${name}(_, _, props)`, where: 'test/X', field: /props|fromNamespace|tiers/, call: (v, c) => make(c, v), accepts: optional ? { ...OPTIONAL, '{}': {} } : {} });
    sites.push({ api: `new ${name}(_, _, { typo })`, where: 'test/X', field: 'typo', call: (v, c) => make(c, { ...required, typo: v }) });
    for (const key of ['namespace', 'name', ...keys]) {
      const isRequired = key in required && !['podSelector', 'fromNamespace'].includes(key)
        && !(key === 'ports' && ['AllowFromNamespace', 'AllowSameNamespace'].includes(name));
      sites.push({
        api: `new ${name}(_, _, { ${key} })`,
        where: 'test/X',
        field: key,
        call: (v, c) => make(c, { ...required, [key]: v }),
        accepts: { ...(isRequired ? {} : OPTIONAL), ...patternAccepts(name, key) },
        skip: key === 'podSelector' ? IS_SELECTOR : undefined,
      });
    }
  }
  // a tier's own props
  for (const key of ['name', 'podSelector', 'ports']) {
    sites.push({
      api: `new TieredApp(_, _, { tiers: [{ ${key} }] })`,
      where: 'test/X',
      field: `tiers[0].${key}`,
      call: (v, c) => new TieredApp(c, 'X', { entry: [Peer.pods({ app: 'client' })], tiers: [{ name: 'web', podSelector: WEB(), ports: [Port.HTTP], [key]: v }] }),
      accepts: key === 'name' ? STRING : key === 'podSelector' ? OPTIONAL : {},
      skip: key === 'podSelector' ? IS_SELECTOR : undefined,
    });
  }
  return sites;
}

function patternAccepts(pattern: string, key: string): { [name: string]: unknown } {
  if (['namespace', 'name', 'dnsNamespace', 'monitoringNamespace', 'fromNamespace', 'nodeLocalDnsCidr'].includes(key)) {
    return key === 'nodeLocalDnsCidr' ? {} : STRING;
  }
  if (['allowDns', 'allowInternet', 'allowClusterPods'].includes(key)) return { true: true };
  if (key === 'entry' || (pattern === 'DenyExternalEgress' && ['excluded', 'privateRanges'].includes(key))) return { '[]': [] };
  if (key === 'dns') return { '{}': {} };
  return {};
}

/** The chart every case runs in, with its baseline: a default deny for the namespace. */
function baselineChart(): Chart {
  const c = chart();
  new DefaultDeny(c, 'Baseline');
  return c;
}

let BASELINE: Set<string>;
beforeAll(() => {
  BASELINE = allowedSet(synthOrFail(baselineChart().node.root as any)!);
});

const CASES: [string, string, Site, () => unknown][] = [];
for (const site of SITES) {
  for (const [name, make] of VALUES) {
    if (site.skip?.includes(name)) continue;
    CASES.push([site.api, name, site, make]);
  }
}

describe('every entry point fails closed for every wrong value', () => {
  test.each(CASES)('%s given %s throws a clear error, or synthesizes exactly what it means', (_api, name, site, make) => {
    const value = make();
    const c = baselineChart();
    let error: unknown;
    try {
      site.call(value, c);
    } catch (e) {
      error = e;
    }
    const accepted = site.accepts !== undefined && Object.prototype.hasOwnProperty.call(site.accepts, name);
    if (error === undefined) {
      if (!accepted) throw new Error(`${site.api} accepted ${name} without an error`);
    } else {
      expectLibraryError(error);
      const message = (error as Error).message;
      // where: the API or construct given, or (for what only the API server's rules reject, checked
      // where the value is used) the policy, naming the rendered field
      const atPolicy = /^\[test\/[^\]]*\] (spec|metadata)\./.test(message);
      const atLinter = (error as Error).name === 'LintInputError' && typeof site.field === 'string' && message.startsWith(site.field);
      if (!atPolicy && !atLinter) {
        expect(message).toContain(`[${site.where}`);
        expect(message).toMatch(site.field);
      }
      if (!/\bValidation failed\b/.test(message)) {
        // the field, then the value as given (quoted, cut when long) or the kind of error, then what would be valid
        if (!atLinter) expect(message).toMatch(/^\[[^\]]+\] (set exactly one of|[^ ]+ is empty:|[^ ]+: (undefined|null|NaN|true|false|-?\d|"|\{|\[|Map|function|Symbol|unknown prop|Required value|Invalid value|Unsupported value|Forbidden))/);
        expect(message).toMatch(/must|use |Use |set |did you mean|supported values|The props are|is required|leave the key out|write |e\.g\./);
        expect(message.length).toBeLessThan(1200);
      }
    }
    // never wider: what the chart synthesizes (a failed construction may have left a partial
    // construct) allows nothing beyond the baseline and what the value as typed would allow
    const policies = synthOrFail(c.node.root as any);
    if (policies === undefined) return;
    const allowed = allowedSet(policies);
    let meant = BASELINE;
    if (error === undefined) {
      const typed = site.accepts![name] === undefined && name !== 'undefined' ? value : site.accepts![name];
      const reference = baselineChart();
      site.call(typed, reference);
      meant = new Set([...BASELINE, ...allowedSet(synthOrFail(reference.node.root as any) ?? [])]);
    }
    expect(beyond(allowed, meant)).toEqual([]);
  });
});

describe('the issue\'s list, each one by name', () => {
  function expectNoWiderThanBaseline(c: Chart): void {
    const policies = synthOrFail(c.node.root as any);
    if (policies) expect(beyond(allowedSet(policies), BASELINE)).toEqual([]);
  }
  const cases: [string, (c: Chart) => void, RegExp][] = [
    ['Port.tcp(undefined)', c => usePort(c, Port.tcp(undefined as any)), /^\[Port\.tcp\] port: undefined: must be an integer port number between 1 and 65535 \(for every port of a protocol use Port\.allTcp\(\)/],
    ['Port.tcp(null)', c => usePort(c, Port.tcp(null as any)), /^\[Port\.tcp\] port: null: must be an integer port number/],
    ['Port.tcp()', c => usePort(c, (Port.tcp as any)()), /^\[Port\.tcp\] port: undefined: /],
    ['Port.udp()', c => usePort(c, (Port.udp as any)()), /^\[Port\.udp\] port: undefined: /],
    ['Port.named(undefined)', c => usePort(c, Port.named(undefined as any)), /^\[Port\.named\] name: undefined: must be the name of a container port/],
    ['Port.of({ portt: 80 })', c => usePort(c, Port.of({ portt: 80 } as any)), /^\[Port\.of\] options\.portt: unknown prop "portt"; did you mean `port`\?/],
    ['Port.of({ port: undefined })', c => usePort(c, Port.of({ port: undefined })), /^\[Port\.of\] options\.port: undefined: was given as undefined/],
    ['Port.of({})', c => usePort(c, Port.of({})), /^\[Port\.of\] options: \{\}: set `port` \(a number\) or `name`.*Port\.allTcp\(\)/],
    ['Peer.pods({ app: null })', c => usePeer(c, Peer.pods({ app: null } as any)), /^\[Peer\.pods\] labels\["app"\]: null: a label value must be a string/],
    ['Peer.namespace(null)', c => usePeer(c, Peer.namespace(null as any)), /^\[Peer\.namespace\] name: null: must be a namespace name, not null/],
    ['LabelSelector.labels({ app: null }) as a podSelector', c => useSelector(c, LabelSelector.labels({ app: null } as any)), /^\[LabelSelector\.labels\] labels\["app"\]: null: /],
    ['DefaultDeny directions: ["egress"]', c => new DefaultDeny(c, 'D', { directions: ['egress' as Direction] }),
      /^\[test\/D\] directions\[0\]: "egress": must be one of "Ingress", "Egress" \(Direction: Direction\.INGRESS, Direction\.EGRESS\); did you mean "Egress"\?/],
    ['Policy policyTypes: ["egress"]', c => new Policy(c, 'P', { policyTypes: ['egress' as Direction] }), /^\[test\/P\] policyTypes\[0\]: "egress": must be one of "Ingress", "Egress"/],
    ['Policy policyTypes: {}', c => new Policy(c, 'P', { policyTypes: {} as any }), /^\[test\/P\] policyTypes: \{\}: must be an array of Directions, not an object/],
    ['ports: [Peer.pods(...)]', c => new Policy(c, 'P', { ingress: [{ from: [Peer.anywhere()], ports: [Peer.pods({ app: 'x' }) as any] }] }),
      /^\[test\/P\] spec\.ingress\[0\]\.ports\[0\]: .*must be a Port made with its factories .*not a Peer/],
    ['Peer.pods({})', c => usePeer(c, Peer.pods({})), /^\[Peer\.pods\] labels: \{\}: an empty label map would select every pod: use Peer\.sameNamespace\(\).*Peer\.allNamespaces\(\).*LabelSelector\.all\(\)/],
    ['Peer.namespaces({})', c => usePeer(c, Peer.namespaces({})), /^\[Peer\.namespaces\] labels: \{\}: an empty label map would select every namespace: use Peer\.allNamespaces\(\)/],
    ['Peer.pods(new Map(...))', c => usePeer(c, Peer.pods(new Map([['app', 'web']]) as any)), /^\[Peer\.pods\] labels: Map\(1\) \{"app":"web"\}: must be an object of label keys to string values.*not a Map/],
    ['LabelSelector.of({ label })', c => useSelector(c, LabelSelector.of({ label: { app: 'web' } } as any)), /^\[LabelSelector\.of\] options\.label: unknown prop "label"; did you mean `labels`\?/],
    ['LabelSelector.fromConfig({ matchLabel })', c => useSelector(c, LabelSelector.fromConfig({ matchLabel: { app: 'web' } } as any)), /^\[LabelSelector\.fromConfig\] config\.matchLabel: unknown prop "matchLabel"; did you mean `matchLabels`\?/],
    ['Policy podSelecter', c => new Policy(c, 'P', { podSelecter: WEB() } as any), /^\[test\/P\] props\.podSelecter: unknown prop "podSelecter"; did you mean `podSelector`\?/],
    ['AllowMonitoring scraperLabels', c => new AllowMonitoring(c, 'M', { ports: [Port.HTTP], scraperLabels: { app: 'prometheus' } } as any),
      /^\[test\/M\] props\.scraperLabels: unknown prop "scraperLabels"; did you mean `scraperPodLabels`\?/],
    ['TieredApp without entry', c => new TieredApp(c, 'T', { tiers: [{ name: 'web', ports: [Port.HTTP] }] } as any), /^\[test\/T\] entry: undefined: must be an array of Peers \(use \[\] for nobody outside the app\)/],
    ['a tier without name', c => new TieredApp(c, 'T', { entry: [], tiers: [{ ports: [Port.HTTP] }] } as any), /^\[test\/T\] tiers\[0\]\.name: undefined: must be a tier name/],
    ['AllowFromNamespace() with no props', c => new (AllowFromNamespace as any)(c, 'A'), /^\[test\/A\] props: undefined: must be an object with the props/],
    ['a plain-object peer', c => usePeer(c, { podSelector: {} } as any), /^\[test\/P\] spec\.ingress\[0\]\.from\[0\]: \{"podSelector":\{\}\}: must be a Peer made with its factories.*only looks like a Peer is never accepted/],
    ['a plain-object port', c => usePort(c, { protocol: 'TCP' } as any), /^\[test\/P\] spec\.ingress\[0\]\.ports\[0\]: \{"protocol":"TCP"\}: must be a Port made with its factories/],
    ['Peer.ipBlock(null)', c => usePeer(c, Peer.ipBlock(null as any)), /^\[Peer\.ipBlock\] cidr: null: must be a CIDR such as "10\.0\.0\.0\/8", not null/],
    ['namespace: 5', c => new Policy(c, 'P', { namespace: 5 as any }), /^\[test\/P\] namespace: 5: must be a namespace name, not an integer/],
  ];
  test.each(cases)('%s fails with a clear error and leaves nothing wider', (_name, attempt, message) => {
    const c = baselineChart();
    let error: unknown;
    try {
      attempt(c);
    } catch (e) {
      error = e;
    }
    expect(error).toBeDefined();
    expectLibraryError(error);
    expect((error as Error).message).toMatch(message);
    expectNoWiderThanBaseline(c);
  });
});

describe('classes found beyond the issue\'s list', () => {
  test('null is never "leave it out": AllowFromNamespace ports: null fails instead of allowing every port', () => {
    const c = baselineChart();
    expect(() => new AllowFromNamespace(c, 'A', { fromNamespace: 'monitoring', ports: null as any }))
      .toThrow(/^\[test\/A\] spec\.ingress\[0\]\.ports: null: a rule must list at least one port/);
    expect(beyond(allowedSet(synthOrFail(c.node.root as any)!), BASELINE)).toEqual([]);
  });

  test('throws if LabelSelector.of() is given nothing (it selected every pod)', () => {
    expect(() => LabelSelector.of({ labels: undefined })).toThrow(/^\[LabelSelector\.of\] options: \{\}: has no labels and no expressions.*LabelSelector\.all\(\)/);
  });

  test('throws if a label selector\'s Kubernetes form has an empty matchLabels and nothing else', () => {
    expect(() => LabelSelector.fromConfig({ matchLabels: {} })).toThrow(/an empty label map would select everything: use LabelSelector\.all\(\)/);
    expect(() => LabelSelector.fromConfig({ matchExpressions: [] })).toThrow(/an empty selector would select everything/);
    expect(LabelSelector.fromConfig({}).isEmpty()).toBe(true); // `{}` is the Kubernetes form of "everything", as cdk8s-plus renders Pods.all()
  });

  test('throws if DNS pod labels are empty (every pod of kube-system)', () => {
    expect(() => new AllowDns(chart(), 'D', { dnsPodLabels: {} })).toThrow(/^\[test\/D\] props\.dnsPodLabels: \{\}: an empty label map would select every pod/);
  });

  test('a tier\'s ports are checked even when no entry uses them', () => {
    expect(() => new TieredApp(chart(), 'T', { entry: [], tiers: [{ name: 'web', ports: null as any }] }))
      .toThrow(/^\[test\/T\] tiers\[0\]\.ports: null: must be an array of Ports/);
  });

  test('a symbol never becomes a TypeError while the error is written', () => {
    expect(() => Peer.namespace(Symbol('ns') as any)).toThrow(/^\[Peer\.namespace\] name: Symbol\(ns\): must be a namespace name, not a symbol/);
  });

  test('a value that is too long is quoted, then cut', () => {
    expect(() => Peer.pods('y'.repeat(500) as any)).toThrow(new RegExp(`^\\[Peer\\.pods\\] labels: "${'y'.repeat(116)}\\.\\.\\.: must be an object`));
  });

  test('a cdk8s-plus object that is not a pod selector fails clearly', () => {
    const c = chart();
    const ns = kplus.Namespaces.select(c, 'ns', { names: ['x'] });
    expect(() => Peer.fromPodSelector(ns as any)).toThrow(/^\[Peer\.fromPodSelector\] selector: .*must be a cdk8s-plus workload or pod selection/);
  });

  test('Port.named with a null protocol fails instead of meaning TCP', () => {
    expect(() => Port.named('http', null as any)).toThrow(/^\[Port\.named\] protocol: null: must be one of "TCP", "UDP", "SCTP" \(Protocol\)/);
    expect(Port.named('dns', Protocol.UDP).toString()).toBe('UDP/dns');
  });
});
