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
 *
 * Prints one line per case that differs and the agreement figures.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel, Connectivity, NetworkPolicyValidator, PortSet, Protocol } from '../src';
import { parseRepresentative, selectorText } from '../src/analysis/representative';
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

function connlist(): void {
  const dir = path.join(corpora, 'connlist');
  const cases: string[] = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8')).cases;
  let agree = 0;
  for (const c of cases) {
    const list = ClusterModel.fromObjects(objectsOf(path.join(dir, c, 'manifests'))).connectivity({ inputOnly: true });
    const problems: string[] = [];
    const expected = new Map<string, PortSet>();
    for (const line of fs.readFileSync(path.join(dir, c, 'expected.txt'), 'utf8').split('\n')) {
      const m = /^(\S+) => (\S+) : (.+)$/.exec(line.trim());
      if (!m) continue;
      expected.set(`${endpointName(list, m[1])}\u0000${endpointName(list, m[2])}`, parseConnections(m[3]));
    }
    for (const [key, want] of expected) {
      const [from, to] = key.split('\u0000');
      const got = list.allowed(from, to);
      if (!got.sameAs(want)) problems.push(`${from} => ${to}: np-guard ${want}, netpol ${got}`);
    }
    for (const conn of list.connections) {
      if (!expected.has(`${conn.from}\u0000${conn.to}`)) problems.push(`${conn.from} => ${conn.to}: netpol ${conn.allowed}, not in np-guard's list`);
    }
    if (problems.length === 0) agree++;
    else console.log(`connlist/${c}: ${problems.length} differences, e.g. ${problems.slice(0, 2).join('; ')}`);
  }
  console.log(`connlist: ${agree} of ${cases.length} cases agree`);
}

exposure();
if (process.env.CONNLIST) connlist();
