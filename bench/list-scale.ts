/**
 * Hostile shapes for `netpol list` and `netpol diff` (issue 18, performance): many ipBlocks with
 * `except` lists in one namespace (the address ranges they cut), and thousands of distinct pods
 * in one namespace (the pairs they make). Generators only; `cli-scale.ts` measures them.
 */

/** The namespace both workloads use. */
export const HOSTILE_NAMESPACE = 'edge';

/** The pods of the ipBlock workload: each with its own `app` label and a pod IP. */
export const IPBLOCK_PODS = 10;

/** The address range (`a.b.0.0/16`) of ipBlock `i`: `10.0.0.0/16`, `10.1.0.0/16`, ... `10.255.0.0/16`, `11.0.0.0/16`, ... */
function blockPrefix(i: number): string {
  return `${10 + (i >> 8)}.${i & 255}`;
}

/**
 * The ipBlock of policy `i`: its own /16 except two /24s of it; every tenth is instead
 * everything (`0.0.0.0/0`) except that /16 and one /24 of the next, so those overlap every
 * other block (a range is then inside many ipBlocks at once).
 */
export function hostileIpBlock(i: number): { cidr: string; except: string[] } {
  const p = blockPrefix(i);
  if (i % 10 === 9) return { cidr: '0.0.0.0/0', except: [`${p}.0.0/16`, `${blockPrefix(i + 1)}.${(i * 11) & 255}.0/24`] };
  return { cidr: `${p}.0.0/16`, except: [`${p}.${(i * 7) & 255}.0/24`, `${p}.${(i * 13 + 1) & 255}.0/24`] };
}

/**
 * One namespace with `blocks` NetworkPolicies, each selecting one of 10 pods (by its own `app`
 * label; the pods have IPs inside the blocks), every tenth (the `0.0.0.0/0` ones) every pod, with egress to one ipBlock with an `except` list
 * (TCP 443) and ingress from the same ipBlock (TCP 8080), plus a default deny. With `variant`,
 * the policy of that index opens TCP 8443 too (a small change for `netpol diff`). As one JSON `List`.
 */
export function ipBlockCluster(blocks: number, variant?: number): string {
  const items: any[] = [{
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'default-deny', namespace: HOSTILE_NAMESPACE },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  }];
  for (let k = 0; k < IPBLOCK_PODS; k++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${k}`, namespace: HOSTILE_NAMESPACE, labels: { app: `app-${k}` } },
      spec: { containers: [{ name: 'main', image: 'app' }] },
      status: { podIP: `10.${k * 3}.${k}.${k + 1}` },
    });
  }
  for (let i = 0; i < blocks; i++) {
    const ipBlock = hostileIpBlock(i);
    const egressPorts: any[] = [{ protocol: 'TCP', port: 443 }];
    if (i === variant) egressPorts.push({ protocol: 'TCP', port: 8443 });
    items.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `block-${i}`, namespace: HOSTILE_NAMESPACE },
      spec: {
        podSelector: i % 10 === 9 ? {} : { matchLabels: { app: `app-${i % IPBLOCK_PODS}` } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ ipBlock }], ports: [{ protocol: 'TCP', port: 8080 }] }],
        egress: [{ to: [{ ipBlock }], ports: egressPorts }],
      },
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/**
 * One namespace of `pods` pods, each its own shape (its own `app` label), and one policy that
 * lets every pod of the namespace in: every ordered pair of pods is a flow (`pods` squared lines).
 * As one JSON `List`.
 */
export function distinctPodsNamespace(pods: number): string {
  const items: any[] = [{
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'same-namespace', namespace: HOSTILE_NAMESPACE },
    spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
  }];
  for (let i = 0; i < pods; i++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: HOSTILE_NAMESPACE, labels: { app: `a${i}` } },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}
