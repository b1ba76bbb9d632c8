/**
 * Which controller owns each Pod, from `metadata.ownerReferences`, so that the flow list can
 * show a Deployment's pods as one endpoint. Not part of the public API.
 *
 * A pod's owner is its `controller: true` owner reference (or its only one). A ReplicaSet made
 * by a Deployment is named `<deployment>-<pod-template-hash>`; when the pod carries that hash
 * label, the group is the Deployment's name, as `kubectl` shows it.
 */

/** The label a Deployment's ReplicaSets put on their pods. */
const POD_TEMPLATE_HASH = 'pod-template-hash';

function ownerGroup(pod: any): string | undefined {
  const refs = pod?.metadata?.ownerReferences;
  if (!Array.isArray(refs) || refs.length === 0) return undefined;
  const controllers = refs.filter((r: any) => r?.controller === true);
  const owner = controllers.length === 1 ? controllers[0] : refs.length === 1 ? refs[0] : undefined;
  if (!owner || typeof owner.name !== 'string' || owner.name === '' || typeof owner.kind !== 'string') return undefined;
  const hash = pod.metadata?.labels?.[POD_TEMPLATE_HASH];
  if (owner.kind === 'ReplicaSet' && typeof hash === 'string' && hash !== '' && owner.name.endsWith(`-${hash}`)) {
    return owner.name.slice(0, -(hash.length + 1));
  }
  return owner.name;
}

/**
 * For each Pod with an owner, `namespace/pod/name` (the alias every pod endpoint has) to the
 * group it belongs to, `namespace/owner`. `List` objects are read through.
 */
export function podOwnerGroups(objects: readonly any[], defaultNamespace: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (obj: any): void => {
    if (!obj || typeof obj !== 'object') return;
    if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
      obj.items.forEach(visit);
      return;
    }
    if (obj.kind !== 'Pod' || typeof obj.metadata?.name !== 'string') return;
    const group = ownerGroup(obj);
    if (group === undefined) return;
    const namespace = obj.metadata.namespace || defaultNamespace;
    out.set(`${namespace}/pod/${obj.metadata.name}`, `${namespace}/${group}`);
  };
  objects.forEach(visit);
  return out;
}
