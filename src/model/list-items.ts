/**
 * The one expansion of Kubernetes `List` objects, used by every reader (the manifest loader,
 * the analysis and lint), so that all of them see the same objects.
 *
 * - An object whose `kind` ends in `List` and that has an `items` array is a list: `kind: List`
 *   (what `kubectl get -o yaml` prints for several kinds) or a typed list such as
 *   `NetworkPolicyList`.
 * - Items of a typed list without `kind`, as the API returns them, get the list's item kind
 *   and its `apiVersion`: a `NetworkPolicyList` item is a NetworkPolicy.
 * - Lists inside lists are flattened in place, as kubectl's `FlattenListVisitor` does; each
 *   object keeps the index of the outermost item it came from. A list that contains itself (a
 *   YAML alias, or an object graph) is a problem, never an endless loop.
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

/** The objects an input object stands for: itself, or the items of a list (nested lists flattened). */
export function expandList(obj: any): ListItem[] {
  if (!isList(obj)) return [{ object: obj }];
  const out: ListItem[] = [];
  const open = new Set<unknown>([obj]);
  // an explicit stack, not recursion: lists may nest deeply
  const stack: { list: any; outer?: number; next: number }[] = [{ list: obj, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const items: unknown[] = top.list.items;
    if (top.next >= items.length) {
      open.delete(top.list);
      stack.pop();
      continue;
    }
    const i = top.next++;
    const item = top.outer ?? i;
    const raw = items[i];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      out.push({ item, problem: `is ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}, not a Kubernetes object` });
      continue;
    }
    if (open.has(raw)) {
      out.push({ item, problem: `is a ${(raw as any).kind} that contains itself` });
      continue;
    }
    let object: any = raw;
    const itemKind = top.list.kind.slice(0, -'List'.length);
    if (itemKind !== '' && (object.kind === undefined || object.kind === null)) {
      // a typed list (NetworkPolicyList) as the API returns it: its items carry no kind
      object = { ...object, apiVersion: object.apiVersion ?? top.list.apiVersion, kind: itemKind };
    }
    if (isList(object)) {
      open.add(raw);
      stack.push({ list: object, outer: item, next: 0 });
    } else {
      out.push({ object, item });
    }
  }
  return out;
}
