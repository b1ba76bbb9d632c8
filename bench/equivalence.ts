import * as YAML from 'yaml';

/**
 * Semantic comparison of NetworkPolicy outputs. Two outputs are equivalent when, for every
 * namespace, they hold the same multiset of normalized specs; names and labels are ignored.
 *
 * Normalization keeps the meaning (Kubernetes NetworkPolicy semantics) and removes only
 * spelling differences:
 * - object keys sorted, `policyTypes` sorted;
 * - an empty selector part dropped (`matchLabels: {}`, `matchExpressions: []`);
 * - `podSelector: {}` next to a `namespaceSelector` dropped (all pods of those namespaces either way);
 * - a port's protocol defaulted to TCP; `ports: []` read as no `ports` (every port), and
 *   `from`/`to: []` as none (every peer);
 * - a rule with several peers split into one rule per peer with the same ports (peers are ORed,
 *   so `{to: [A, B], ports: P}` allows exactly what `{to: [A], ports: P}` plus `{to: [B], ports: P}` do),
 *   and the resulting rules of a policy sorted and deduplicated.
 */
export interface NormalizedOutput {
  /** namespace → sorted canonical specs. */
  readonly byNamespace: Map<string, string[]>;
  /** Number of NetworkPolicy documents. */
  readonly policies: number;
  /** Documents that are not NetworkPolicies (kind), if any. */
  readonly otherKinds: string[];
  /** `namespace/name` used more than once. */
  readonly duplicateNames: string[];
  /** Which spelling normalizations changed something (see above), with counts. */
  readonly normalizations: { [what: string]: number };
}

/** Parses multi-document YAML strings and normalizes every NetworkPolicy in them. */
export function normalizeYaml(yamlTexts: string[]): NormalizedOutput {
  const docs: any[] = [];
  for (const text of yamlTexts) {
    for (const doc of YAML.parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0].message}`);
      const value = doc.toJS();
      if (value !== null && value !== undefined) docs.push(value);
    }
  }
  return normalizeObjects(docs);
}

export function normalizeObjects(docs: any[]): NormalizedOutput {
  const byNamespace = new Map<string, string[]>();
  const otherKinds: string[] = [];
  const names = new Set<string>();
  const duplicateNames: string[] = [];
  const counts: { [what: string]: number } = {};
  const note = (what: string) => { counts[what] = (counts[what] ?? 0) + 1; };
  let policies = 0;
  for (const doc of docs) {
    if (doc.kind !== 'NetworkPolicy' || doc.apiVersion !== 'networking.k8s.io/v1') {
      otherKinds.push(`${doc.apiVersion}/${doc.kind}`);
      continue;
    }
    policies++;
    const ns = doc.metadata?.namespace ?? '';
    const id = `${ns}/${doc.metadata?.name}`;
    if (names.has(id)) duplicateNames.push(id);
    names.add(id);
    const spec = canonical(normalizeSpec(doc.spec ?? {}, note));
    const list = byNamespace.get(ns);
    if (list) list.push(spec);
    else byNamespace.set(ns, [spec]);
  }
  for (const list of byNamespace.values()) list.sort();
  return { byNamespace, policies, otherKinds, duplicateNames, normalizations: counts };
}

/**
 * The differences between two normalized outputs, as readable lines (empty when equivalent).
 * At most `limit` lines.
 */
export function compareOutputs(expected: NormalizedOutput, actual: NormalizedOutput, limit = 10): string[] {
  const out: string[] = [];
  const push = (line: string) => { if (out.length < limit) out.push(line); };
  if (actual.otherKinds.length > 0) push(`unexpected kinds: ${[...new Set(actual.otherKinds)].join(', ')}`);
  if (actual.duplicateNames.length > 0) push(`duplicate names: ${actual.duplicateNames.slice(0, 5).join(', ')}`);
  if (expected.policies !== actual.policies) push(`${actual.policies} NetworkPolicies, expected ${expected.policies}`);
  const namespaces = new Set([...expected.byNamespace.keys(), ...actual.byNamespace.keys()]);
  for (const ns of [...namespaces].sort()) {
    const want = expected.byNamespace.get(ns) ?? [];
    const got = actual.byNamespace.get(ns) ?? [];
    const missing = multisetMinus(want, got);
    const extra = multisetMinus(got, want);
    for (const m of missing) push(`${ns || '(no namespace)'}: missing ${m}`);
    for (const e of extra) push(`${ns || '(no namespace)'}: unexpected ${e}`);
  }
  return out;
}

function multisetMinus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

type Note = (what: string) => void;

function normalizeSpec(spec: any, note: Note): any {
  const out: any = {
    podSelector: normalizeSelector(spec.podSelector ?? {}, note),
    policyTypes: [...(spec.policyTypes ?? [])].sort(),
  };
  if (spec.policyTypes?.join() !== out.policyTypes.join()) note('policyTypes reordered');
  for (const [field, peersField] of [['ingress', 'from'], ['egress', 'to']] as const) {
    const rules = spec[field];
    if (rules === undefined) continue;
    const atoms = new Set<string>();
    let added = 0;
    for (const rule of rules) {
      let ports = rule.ports;
      if (Array.isArray(ports) && ports.length === 0) {
        note('`ports: []` read as every port');
        ports = undefined;
      }
      const portKeys = ports === undefined ? undefined : [...new Set<string>(ports.map((p: any) => canonical(normalizePort(p, note))))].sort();
      let peers = rule[peersField];
      if (Array.isArray(peers) && peers.length === 0) {
        note(`\`${peersField}: []\` read as every peer`);
        peers = undefined;
      }
      if (peers !== undefined && peers.length > 1) note('rule with several peers split into one rule per peer');
      for (const peer of peers ?? [undefined]) {
        atoms.add(canonical({ peer: peer === undefined ? '*' : normalizePeer(peer, note), ports: portKeys ?? '*' }));
        added++;
      }
    }
    if (atoms.size < added) note('equal rules merged');
    if (atoms.size > 0) out[field] = [...atoms].sort();
  }
  return out;
}

function normalizePeer(peer: any, note: Note): any {
  const out: any = {};
  if (peer.ipBlock) {
    out.ipBlock = { cidr: peer.ipBlock.cidr, except: [...(peer.ipBlock.except ?? [])].sort() };
  }
  if (peer.namespaceSelector) out.namespaceSelector = normalizeSelector(peer.namespaceSelector, note);
  if (peer.podSelector) {
    const pods = normalizeSelector(peer.podSelector, note);
    if (peer.namespaceSelector && Object.keys(pods).length === 0) note('`podSelector: {}` next to a namespaceSelector dropped');
    else out.podSelector = pods;
  }
  return out;
}

function normalizeSelector(selector: any, note: Note): any {
  const out: any = {};
  if (selector.matchLabels && Object.keys(selector.matchLabels).length > 0) out.matchLabels = selector.matchLabels;
  else if (selector.matchLabels) note('empty matchLabels dropped');
  if (selector.matchExpressions && selector.matchExpressions.length > 0) {
    out.matchExpressions = selector.matchExpressions
      .map((e: any) => ({ key: e.key, operator: e.operator, values: e.values === undefined ? undefined : [...e.values].sort() }))
      .map(canonical).sort().map((s: string) => JSON.parse(s));
  } else if (selector.matchExpressions) {
    note('empty matchExpressions dropped');
  }
  return out;
}

function normalizePort(port: any, note: Note): any {
  const out: any = { protocol: port.protocol ?? 'TCP' };
  if (port.protocol === undefined) note('port protocol defaulted to TCP');
  if (port.port !== undefined) out.port = port.port;
  if (port.endPort !== undefined) out.endPort = port.endPort;
  return out;
}

/** JSON with sorted keys. */
export function canonical(value: any): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: any = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) out[key] = sortKeys(value[key]);
  }
  return out;
}
