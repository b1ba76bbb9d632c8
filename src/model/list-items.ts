/**
 * The one expansion of Kubernetes `List` objects, used by every reader (the manifest loader,
 * the analysis and lint), so that all of them see the same objects.
 *
 * - An object whose `kind` ends in `List` and that has an `items` array is a list: `kind: List`
 *   (what `kubectl get -o yaml` prints for several kinds) or a typed list such as
 *   `NetworkPolicyList`.
 * - Items of a typed list without `kind`, as the API returns them, get the list's item kind
 *   and its `apiVersion`: a `NetworkPolicyList` item is a NetworkPolicy.
 * - A list inside a list is a problem, not expanded: kubectl flattens one level only, so its
 *   items would never reach the cluster.
 */

/** One object of the input, or a problem with one item of a list. */
export interface ListItem {
  /** The object (the item, with the kind and apiVersion a typed list gives it). */
  readonly object?: any;
  /** The 0-based index in the list's `items`, when it came from a list. */
  readonly item?: number;
  /** Why the item is not an object of the input. */
  readonly problem?: string;
}

/** Whether an object is a `List` (generic or typed) with items. */
export function isList(obj: any): boolean {
  return typeof obj === 'object' && obj !== null && typeof obj.kind === 'string'
    && obj.kind.endsWith('List') && Array.isArray(obj.items);
}

/** The objects an input object stands for: itself, or the items of a list. */
export function expandList(obj: any): ListItem[] {
  if (!isList(obj)) return [{ object: obj }];
  const itemKind = obj.kind.slice(0, -'List'.length);
  const out: ListItem[] = [];
  (obj.items as unknown[]).forEach((raw, item) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      out.push({ item, problem: `is ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}, not a Kubernetes object` });
      return;
    }
    let object: any = raw;
    if (itemKind !== '' && (object.kind === undefined || object.kind === null)) {
      object = { ...object, apiVersion: object.apiVersion ?? obj.apiVersion, kind: itemKind };
    }
    if (isList(object)) {
      out.push({ item, problem: `is a ${object.kind} inside a ${obj.kind}: kubectl expands one level of lists only, so its items would not be applied; move them into the outer list` });
      return;
    }
    out.push({ object, item });
  });
  return out;
}
