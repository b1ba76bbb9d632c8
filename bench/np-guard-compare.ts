/**
 * Compares `ClusterModel.connectivity()` with np-guard's expected outputs (the reference corpora in
 * `../shared/corpora/np-guard`, read at run time, never copied into the project; not part of the
 * test suite):
 *
 *   npx ts-node --transpile-only bench/np-guard-compare.ts [corpora-dir]
 *
 * - exposure/: every exposure line of np-guard with a representative peer (`entire-cluster`,
 *   `[namespace with {...}]/[all pods]`, `ns/[pod with {...}]`, ...) must be the flow the list
 *   gives between the workload and the representative endpoint of the same description, with the
 *   same connections (named ports included); and every workload's flows to and from `*\/*` must
 *   be np-guard's `entire-cluster` lines (none where np-guard has none).
 * - connlist/: the plain list (with `inputOnly`) must equal np-guard's, line for line.
 * - diff/ and admin-diff/: `netpol diff --format json` between each pair of versions must report
 *   exactly np-guard's changed pairs, with the same connections before and after.
 * - admin/: `netpol list` of inputs with AdminNetworkPolicy/BaselineAdminNetworkPolicy (v1alpha1)
 *   must equal np-guard's list.
 *
 * Every case is read as `netpol ... -R --validate warn` reads it (np-guard's inputs carry the
 * NetworkPolicy `status` of pre-1.27 clusters), and with `--no-ip-block-pod-ips` for the
 * AdminNetworkPolicy corpora (np-guard's model: `networks` peers skip pod addresses), and with
 * `--host-network isolated` (np-guard applies NetworkPolicies to hostNetwork pods as to any pod;
 * netpol's default follows the common implementations, where their traffic is the node's).
 *
 * Prints one line per case that differs and the agreement figures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel, Connectivity, HostNetworkPods, NetworkPolicyValidator, PortSet, Protocol } from '../src';
import { parseRepresentative, selectorText } from '../src/analysis/representative';
import { run } from '../src/cli/main';
import { loadManifests } from '../src/io/manifest-loader';
import { isNetworkPolicyObject } from '../src/model/network-policy';
import { parseSelectorText } from '../src/model/selector-syntax';

/**
 * What a concrete pod matching a representative's description (added to the input, with its
 * namespace when the input lacks it) is allowed with `workload`, in the direction given.
 */
function realised(objects: any[], model: ClusterModel, rep: string, workload: string, outbound: boolean): PortSet {
  const internal = model as any;
  const description = parseRepresentative(rep, internal.objects.namespaces, internal.objects.policies)!;
  const name = description.namespaceLabels['kubernetes.io/metadata.name'];
  const extra: any[] = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'realised-pod', namespace: name, labels: description.labels }, spec: { containers: [{ name: 'c', image: 'i' }] } }];
  if (!internal.objects.namespaces.has(name)) extra.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: description.namespaceLabels } });
  const list = ClusterModel.fromObjects([...objects, ...extra]).connectivity({ inputOnly: true });
  const pod = `${name}/realised-pod`;
  return outbound ? list.allowed(pod, workload) : list.allowed(workload, pod);
}

const corpora = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'corpora', 'np-guard');

/** np-guard's connection text (`All Connections`, `TCP 8080,9090,UDP 53`, `TCP http`) as a port set. */
function parseConnections(text: string): PortSet {
  if (text === 'All Connections') return PortSet.ALL;
  if (text === 'No Connections') return PortSet.NONE;
  let set = PortSet.NONE;
  let protocol: Protocol | undefined;
  for (let token of text.split(',')) {
    token = token.trim();
    const m = /^(TCP|UDP|SCTP) (.*)$/.exec(token);
    if (m) { protocol = m[1] as Protocol; token = m[2]; }
    if (!protocol) throw new Error(`cannot read connections ${JSON.stringify(text)}`);
    const range = /^(\d+)(?:-(\d+))?$/.exec(token);
    if (range) set = set.union(PortSet.range(protocol, Number(range[1]), Number(range[2] ?? range[1])));
    else set = set.union(PortSet.named(protocol, token));
  }
  return set;
}

/** np-guard's selector text (`{role=monitoring}`, `{{Key:env,Operator:NotIn,Values:[a b],}}`, mixed) in canonical kubectl syntax. */
function selectorFrom(text: string): string {
  let inner = text.slice(1, -1);
  const parts: string[] = [];
  const expression = /\{Key:([^,]*),Operator:(In|NotIn|Exists|DoesNotExist),Values:\[([^\]]*)\],\}/g;
  inner = inner.replace(expression, (_, key: string, op: string, values: string) => {
    const vs = values.split(' ').filter(v => v !== '');
    switch (op) {
      case 'In': parts.push(`${key} in (${vs.join(',')})`); break;
      case 'NotIn': parts.push(`${key} notin (${vs.join(',')})`); break;
      case 'Exists': parts.push(key); break;
      default: parts.push(`!${key}`);
    }
    return '';
  });
  for (const kv of inner.split(',')) if (kv.trim() !== '') parts.push(kv.trim());
  return selectorText(parseSelectorText(parts.join(',')));
}

/** np-guard's representative peer as a representative endpoint name. */
function representativeName(peer: string): string | undefined {
  if (peer === 'entire-cluster') return '*/*';
  const m = /^(\[namespace with (\{.*\})\]|\[all namespaces\]|([a-z0-9-]+))\/(\[pod with (\{.*\})\]|\[all pods\])$/.exec(peer);
  if (!m) return undefined;
  const ns = m[2] !== undefined ? selectorFrom(m[2]) : m[3] ?? '*';
  const pods = m[5] !== undefined ? selectorFrom(m[5]) : '*';
  // np-guard prints a namespace selector exactly {kubernetes.io/metadata.name=N} as N
  const named = /^\{kubernetes\.io\/metadata\.name=([a-z0-9-]+)\}$/.exec(ns);
  return `${named ? named[1] : ns}/${pods}`;
}

function objectsOf(dir: string): any[] {
  const loaded = loadManifests([dir], { recursive: true });
  // np-guard's inputs come from `kubectl get -o yaml` of clusters that still had NetworkPolicy's
  // `status` (removed from the API in Kubernetes 1.27): read them as `netpol list --validate warn`
  // does, without the fields today's API does not have
  return loaded.objects.map(o => (isNetworkPolicyObject(o.object) ? NetworkPolicyValidator.withoutUnknownFields(o.object) : o.object));
}

/** np-guard's workload name (`ns/name[Kind]`) as an endpoint of the list. */
function endpointName(list: Connectivity, name: string): string {
  const m = /^(.*)\[(\w+)\]$/.exec(name);
  if (!m) return name;
  if (m[2] === 'External') return m[1];
  if (list.endpoints.includes(m[1])) return m[1];
  // a ReplicaSet of a Deployment: its pods are listed under the Deployment (np-guard names the ReplicaSet)
  const owner = m[1].replace(/-[a-z0-9]{5,10}$/, '');
  if (m[2] === 'ReplicaSet' && list.endpoints.includes(owner)) return owner;
  const slash = m[1].indexOf('/');
  return `${m[1].slice(0, slash)}/${m[2].toLowerCase()}/${m[1].slice(slash + 1)}`;
}

function exposure(): { agree: number; total: number } {
  const dir = path.join(corpora, 'exposure');
  const cases: string[] = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')).cases;
  let agree = 0;
  let explained = 0;
  let lines = 0;
  let linesAgree = 0;
  for (const c of cases) {
    const problems: string[] = [];
    const differences: string[] = [];
    const objects = objectsOf(path.join(dir, c, 'manifests'));
    const model = ClusterModel.fromObjects(objects);
    const list = model.connectivity();
    /** A difference that a concrete pod of the description confirms (netpol's answer is the cluster's), or a problem. */
    const differ = (from: string, to: string, text: string) => {
      const rep = /[*{]/.test(from) ? from : to;
      const workload = rep === from ? to : from;
      const real = realised(objects, model, rep, workload, rep === from);
      if (!list.endpoints.includes(rep)) {
        // left out because the input has a pod of exactly that description: its flow stands for it
        const internal = model as any;
        const d = parseRepresentative(rep, internal.objects.namespaces, internal.objects.policies)!;
        const labelsText = (labels: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
        const same = model.endpoints.find(e => e.namespace === d.namespace && labelsText(e.labels) === labelsText(d.labels));
        const theirs = same && (rep === from ? list.allowed(same.name, workload) : list.allowed(workload, same.name));
        if (same && theirs!.sameAs(real)) differences.push(`${text}: the input has such a pod, ${same.name}, listed with ${theirs}`);
        else problems.push(text);
        return;
      }
      const got = list.allowed(from, to);
      if (real.sameAs(got) && !got.hasNamedPorts) differences.push(`${text} (a concrete pod ${rep}: ${real.isEmpty ? 'nothing' : real})`);
      else problems.push(text);
    };
    const expected = fs.readFileSync(path.join(dir, c, 'expected.txt'), 'utf8').split('\n');
    const section = expected.indexOf('Exposure Analysis Result:');
    const entire = new Set<string>();
    for (const line of expected.slice(section + 1)) {
      const m = /^(\S+)\s+(=>|<=)\s+(.+?) : (.+)$/.exec(line.trim());
      if (!m) continue;
      const rep = representativeName(m[3]);
      if (!rep) continue; // an address range or a workload: the plain list's business
      lines++;
      const workload = endpointName(list, m[1]);
      const [from, to] = m[2] === '=>' ? [workload, rep] : [rep, workload];
      if (rep === '*/*') entire.add(`${from}\u0000${to}`);
      const want = parseConnections(m[4]);
      const got = list.allowed(from, to);
      if (got.sameAs(want)) linesAgree++;
      else differ(from, to, `${from} => ${to}: np-guard ${want}, netpol ${got.isEmpty ? '(not listed)' : got}`);
    }
    // every flow between an input workload and */* is one of np-guard's entire-cluster lines
    for (const conn of list.connections) {
      const ends = [conn.from, conn.to];
      if (!ends.includes('*/*') || ends.some(e => e !== '*/*' && (!e.includes('/') || /[*{]/.test(e)))) continue;
      if (!entire.has(`${conn.from}\u0000${conn.to}`)) differ(conn.from, conn.to, `${conn.from} => ${conn.to}: netpol ${conn.allowed}, np-guard has no entire-cluster line`);
    }
    if (problems.length === 0 && differences.length === 0) agree++;
    else if (problems.length === 0) explained++;
    if (problems.length > 0 || differences.length > 0) {
      console.log(`exposure/${c}:${[...problems.map(p => `\n  PROBLEM ${p}`), ...differences.map(d => `\n  differs ${d}`)].join('')}`);
    }
  }
  console.log(`exposure: ${agree} of ${cases.length} cases agree, ${explained} more differ only where a concrete pod of the description confirms netpol; `
    + `${cases.length - agree - explained} unexplained (${linesAgree} of ${lines} representative lines equal)`);
  return { agree, total: cases.length };
}

/** The IPv4 range `a.b.c.d-e.f.g.h` of an endpoint name, as numbers. */
function ipv4Range(e: string): [number, number] | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$/.exec(e);
  const n = (t: string) => t.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  return m ? [n(m[1]), n(m[2])] : undefined;
}
const ipv4Text = (n: number): string => [24, 16, 8, 0].map(b => Math.floor(n / 2 ** b) % 256).join('.');

/**
 * Flows (`from => to` to connections) in the form both tools can be compared in: IPv6 ranges left
 * out (np-guard has none), adjacent IPv4 ranges with the same other end and connections merged
 * (each tool cuts the address space at its own boundaries), pods renamed by `rename` (np-guard's
 * owner grouping), flows from a pod to itself, empty flows and np-guard's `{ingress-controller}`
 * (Ingress/Route objects, not NetworkPolicy) left out.
 */
function comparable(flows: Map<string, string>, rename: (e: string) => string = e => e): Map<string, string> {
  const out = new Map<string, string>();
  const ranges = new Map<string, [number, number][]>();
  for (const [k, text] of flows) {
    if (text === 'NONE') continue;
    const [from, to] = k.split(' => ').map(rename);
    if (from.includes(':') || to.includes(':') || from === to) continue;
    // np-guard models Ingress and Route objects as a source `{ingress-controller}`; netpol reads
    // NetworkPolicies only (an ingress controller is a pod like any other)
    if (from === '{ingress-controller}') continue;
    const range = ipv4Range(from) ?? ipv4Range(to);
    if (!range) {
      const key = `${from} => ${to}`;
      out.set(key, out.has(key) && out.get(key) !== text ? `${out.get(key)} | ${text} (members of one owner differ)` : text);
      continue;
    }
    const group = ipv4Range(from) ? `in\u0000${to}\u0000${text}` : `out\u0000${from}\u0000${text}`;
    (ranges.get(group) ?? ranges.set(group, []).get(group)!).push(range);
  }
  for (const [group, list] of ranges) {
    const [direction, other, text] = group.split('\u0000');
    list.sort((x, y) => x[0] - y[0]);
    const merged: [number, number][] = [];
    for (const r of list) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    for (const [a, b] of merged) {
      const range = `${ipv4Text(a)}-${ipv4Text(b)}`;
      out.set(direction === 'in' ? `${range} => ${other}` : `${other} => ${range}`, text);
    }
  }
  return out;
}

/** The differences between np-guard's flows and netpol's, both comparable. */
function compareFlows(expected: Map<string, string>, ours: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [k, v] of expected) if (ours.get(k) !== v) problems.push(`${k}: np-guard ${v}, netpol ${ours.get(k) ?? '(nothing)'}`);
  for (const [k, v] of ours) if (!expected.has(k)) problems.push(`${k}: netpol ${v}, np-guard (nothing)`);
  return problems;
}

/** np-guard's expected list (`from => to : connections` lines), workload names as netpol's. */
function expectedList(file: string, name: (e: string) => string): Map<string, string> {
  const expected = new Map<string, string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\S+) => (\S+) : (.+)$/.exec(line.trim());
    if (m) expected.set(`${name(m[1])} => ${name(m[2])}`, connectionsText(parseConnections(m[3])));
  }
  return expected;
}

/**
 * Pods of one owner that np-guard lists as one endpoint (no policy tells them apart) while netpol
 * lists them apart (their labels differ) are compared under the owner's name.
 */
function ownerRename(objects: any[], expected: Map<string, string>): (e: string) => string {
  const owner = new Map<string, string>();
  for (const o of objects) {
    const ref = o?.kind === 'Pod' ? o.metadata?.ownerReferences?.[0]?.name : undefined;
    if (ref) owner.set(`${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, `${o.metadata.namespace ?? 'default'}/${ref}`);
  }
  const named = new Set([...expected.keys()].flatMap(k => k.split(' => ')));
  return e => (named.has(e) ? e : owner.get(e) ?? e);
}

function connlist(): void {
  const dir = path.join(corpora, 'connlist');
  const cases: string[] = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')).cases;
  let agree = 0;
  for (const c of cases) {
    const objects = objectsOf(path.join(dir, c, 'manifests'));
    const model = ClusterModel.fromObjects(objects, { ipBlockMatchesPodIps: false, hostNetworkPods: HostNetworkPods.ISOLATED });
    const list = model.connectivity({ inputOnly: true });
    const expected = expectedList(path.join(dir, c, 'expected.txt'), e => (/\[Pod\]$/.test(e) ? stripKind(e) : endpointName(list, e)));
    const ours = new Map(list.connections.map(conn => [`${conn.from} => ${conn.to}`, connectionsText(conn.allowed)] as [string, string]));
    const problems = compareFlows(comparable(expected), comparable(ours, ownerRename(objects, expected)));
    if (problems.length === 0) agree++;
    else console.log(`connlist/${c}: ${problems.length} differences, e.g. ${problems.slice(0, 2).join('; ')}`);
  }
  console.log(`connlist: ${agree} of ${cases.length} cases agree`);
}

/** Runs the CLI in-process; returns its exit code and output. */
async function netpol(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, readStdin: () => '' });
  return { code, stdout, stderr };
}

/** A port set as both tools' texts compare: `ALL`, `NONE`, or per-protocol ranges. */
function connectionsText(set: PortSet): string {
  return set.sameAs(PortSet.ALL) ? 'ALL' : set.isEmpty ? 'NONE' : set.toString();
}

/** np-guard's endpoint (`ns/name[Kind]`, an address range) without its kind, as netpol names workloads. */
const stripKind = (e: string): string => e.replace(/\[[A-Za-z]+\]$/, '');

async function diffs(name: string): Promise<void> {
  const dir = path.join(corpora, name);
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'pairs.json'), 'utf8'));
  let agree = 0;
  for (const pair of spec.pairs) {
    // a change is compared as one flow "before -> after" (an address range merges only with
    // neighbours that changed the same way)
    const change = (before: PortSet, after: PortSet): string => `${connectionsText(before)} -> ${connectionsText(after)}`;
    const out = await netpol(['diff', '-R', '--validate', 'warn', '--input-only', '--no-ip-block-pod-ips', '--host-network', 'isolated', '--format', 'json',
      path.join(dir, spec.dirs[pair.first]), path.join(dir, spec.dirs[pair.second])]);
    let problems: string[];
    if (out.code !== 0 && out.code !== 4) {
      problems = [`exit ${out.code}: ${out.stderr.trim().split('\n')[0]}`];
    } else {
      const ours = new Map<string, string>();
      const set = (p: unknown): PortSet => (p === null ? PortSet.NONE : PortSet.fromJson(p));
      for (const c of JSON.parse(out.stdout).changes) ours.set(`${c.from} => ${c.to}`, change(set(c.before), set(c.after)));
      const endpoints = new Set([...ours.keys()].flatMap(k => k.split(' => ')));
      // np-guard names a Deployment's pods by their ReplicaSet; netpol by the Deployment
      const endpoint = (e: string) => {
        const owner = stripKind(e).replace(/-[a-z0-9]{5,10}$/, '');
        return /\[ReplicaSet\]$/.test(e) && !endpoints.has(stripKind(e)) && endpoints.has(owner) ? owner : stripKind(e);
      };
      const expected = new Map<string, string>();
      for (const line of fs.readFileSync(path.join(dir, pair.expected), 'utf8').split('\n')) {
        const m = /source: (.*?), destination: (.*?), ref1: (.*?), ref2: (.*?)(?:, workloads-diff-info: .*)?$/.exec(line);
        if (m) expected.set(`${endpoint(m[1])} => ${endpoint(m[2])}`, change(parseConnections(m[3]), parseConnections(m[4])));
      }
      problems = compareFlows(comparable(expected), comparable(ours));
    }
    if (problems.length === 0) agree++;
    else console.log(`${name}/${pair.first} -> ${pair.second}: ${problems.length} differences, e.g. ${problems.slice(0, 3).join('; ')}`);
  }
  console.log(`${name}: ${agree} of ${spec.pairs.length} pairs agree`);
}

async function admin(): Promise<void> {
  const dir = path.join(corpora, 'admin');
  const cases: string[] = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')).cases;
  let agree = 0;
  for (const c of cases) {
    const manifests = path.join(dir, c, 'manifests');
    const expected = expectedList(path.join(dir, c, 'expected.txt'), stripKind);
    const rename = ownerRename(objectsOf(manifests), expected);
    const out = await netpol(['list', '-R', '--validate', 'warn', '--input-only', '--no-ip-block-pod-ips', '--host-network', 'isolated', '--format', 'json', manifests]);
    let problems: string[];
    if (out.code !== 0) {
      problems = [`exit ${out.code}: ${out.stderr.trim().split('\n')[0]}`];
    } else {
      const ours = new Map<string, string>();
      for (const conn of JSON.parse(out.stdout).connections) ours.set(`${conn.from} => ${conn.to}`, connectionsText(PortSet.fromJson(conn.allowed)));
      problems = compareFlows(comparable(expected), comparable(ours, rename));
    }
    if (problems.length === 0) agree++;
    else console.log(`admin/${c}: ${problems.length} differences, e.g. ${problems.slice(0, 3).join('; ')}`);
  }
  console.log(`admin: ${agree} of ${cases.length} cases agree`);
}

async function main(): Promise<void> {
  const only = process.env.CORPUS?.split(',');
  const wanted = (name: string) => !only || only.includes(name);
  if (wanted('exposure')) exposure();
  if (wanted('connlist')) connlist();
  if (wanted('diff')) await diffs('diff');
  if (wanted('admin')) await admin();
  if (wanted('admin-diff')) await diffs('admin-diff');
}

main().catch(e => { console.error(e); process.exit(1); });
