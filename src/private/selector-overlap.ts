import type { LabelSelectorConfig } from '../label-selector';

/** A requirement on one label's value; `undefined` stands for "label absent". */
type Requirement = (value: string | undefined) => boolean;

/**
 * Whether two label selectors can never select the same object, judged from the selectors
 * alone. Answers `true` only when that is certain: some key on which no value (nor absence)
 * satisfies the requirements of both. `false` means "they may overlap", so callers that must
 * fail closed can rely on it.
 */
export function selectorsDisjoint(a: LabelSelectorConfig, b: LabelSelectorConfig): boolean {
  const ra = requirements(a);
  const rb = requirements(b);
  for (const key of new Set([...ra.keys(), ...rb.keys()])) {
    const reqs = [...(ra.get(key)?.reqs ?? []), ...(rb.get(key)?.reqs ?? [])];
    const mentioned = new Set([...(ra.get(key)?.values ?? []), ...(rb.get(key)?.values ?? [])]);
    // The outcome of a requirement only depends on whether the value is absent, one of the
    // values mentioned, or any other value: try one of each.
    const candidates: (string | undefined)[] = [undefined, ...mentioned, freshValue(mentioned)];
    if (!candidates.some(v => reqs.every(r => r(v)))) return true;
  }
  return false;
}

function requirements(sel: LabelSelectorConfig): Map<string, { reqs: Requirement[]; values: string[] }> {
  const out = new Map<string, { reqs: Requirement[]; values: string[] }>();
  const add = (key: string, req: Requirement, values: string[]) => {
    const entry = out.get(key) ?? { reqs: [], values: [] };
    entry.reqs.push(req);
    entry.values.push(...values);
    out.set(key, entry);
  };
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) add(key, v => v === value, [value]);
  for (const e of sel.matchExpressions ?? []) {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': add(e.key, v => v !== undefined && values.includes(v), values); break;
      case 'NotIn': add(e.key, v => v === undefined || !values.includes(v), values); break;
      case 'Exists': add(e.key, v => v !== undefined, []); break;
      case 'DoesNotExist': add(e.key, v => v === undefined, []); break;
      default: break; // rejected by validation; assume nothing here (may overlap)
    }
  }
  return out;
}

function freshValue(mentioned: Set<string>): string {
  let v = 'x';
  while (mentioned.has(v)) v += 'x';
  return v;
}
