/**
 * Label selectors (`matchLabels` + `matchExpressions`) of the policy model, compiled once and
 * matched many times. They are built only from selectors the validator accepted.
 *
 * Semantics (k8s.io/apimachinery labels.Selector): all requirements are ANDed; `matchLabels`
 * entries are equality requirements; `In` needs the key with one of the values; `NotIn` matches
 * when the key is absent or has none of the values; `Exists`/`DoesNotExist` test the key only.
 * An empty selector (`{}`) matches everything. A `null` label value decodes as the empty string,
 * as on the API server.
 */

import { NAMESPACE_NAME_LABEL } from '../constants';

/** Labels of a pod or namespace. */
export type Labels = Readonly<Record<string, string>>;

/** The four selector operators. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

/** One requirement of a selector, in canonical form (values sorted, deduplicated). */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
  /** Whether it came from `matchLabels` (only changes how it is printed). */
  readonly fromMatchLabels: boolean;
}

/** Above this many values, an `In` or `NotIn` requirement looks the label's value up in a set. */
const VALUE_SET_THRESHOLD = 8;

/**
 * Per selector with such a requirement, each requirement's values as a set (or undefined), built
 * with the (frozen) selector: a namespace selector listing fifty names is matched against every
 * namespace. Kept beside the selector so that its own fields stay what they are.
 */
const VALUE_SETS = new WeakMap<Selector, readonly (ReadonlySet<string> | undefined)[]>();

/**
 * A compiled label selector.
 */
export class Selector {
  /** The selector that matches everything (`{}`). */
  public static readonly EVERYTHING = new Selector([]);

  /**
   * Compiles a label selector that the validator accepted (`validateLabelSelector`): absent
   * (missing or `null`) is `{}`.
   */
  public static fromValid(raw: any): Selector {
    if (raw === undefined || raw === null) return Selector.EVERYTHING;
    const requirements: SelectorRequirement[] = [];
    for (const [key, value] of Object.entries(raw.matchLabels ?? {})) {
      requirements.push({ key, operator: 'In', values: [decodeValue(value)], fromMatchLabels: true });
    }
    for (const expr of raw.matchExpressions ?? []) {
      const values: string[] = (expr.values ?? []).map(decodeValue);
      requirements.push({ key: expr.key, operator: expr.operator, values: [...new Set(values)].sort(), fromMatchLabels: false });
    }
    return requirements.length === 0 ? Selector.EVERYTHING : new Selector(requirements);
  }

  /** The requirements, ANDed. */
  public readonly requirements: readonly SelectorRequirement[];
  /** A canonical string: equal for selectors that match the same label sets by construction. */
  public readonly key: string;

  private constructor(requirements: SelectorRequirement[]) {
    this.requirements = Object.freeze(requirements.map(r => Object.freeze({ ...r, values: Object.freeze(r.values) })));
    const sets = this.requirements.map(r => ((r.operator === 'In' || r.operator === 'NotIn') && r.values.length > VALUE_SET_THRESHOLD ? new Set(r.values) : undefined));
    if (sets.some(set => set !== undefined)) VALUE_SETS.set(this, sets);
    this.key = requirements
      .map(r => `${r.key}\u0000${r.operator}\u0000${r.values.join('\u0001')}`)
      .sort()
      .join('\u0002');
    Object.freeze(this);
  }

  /** Whether this is `{}`, which matches everything. */
  public get isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** Whether the labels satisfy every requirement. */
  public matches(labels: Labels): boolean {
    const sets = VALUE_SETS.get(this);
    for (let i = 0; i < this.requirements.length; i++) {
      if (!requirementMatches(this.requirements[i], labels, sets?.[i])) return false;
    }
    return true;
  }

  /**
   * The selector in `kubectl` syntax inside braces, e.g. `{app=web,tier in (api,db),!legacy}`;
   * `{}` for the empty selector.
   */
  public toString(): string {
    return `{${this.requirements.map(describeRequirement).join(',')}}`;
  }
}

/** A label value as the API server decodes it: `null` is the empty string. */
function decodeValue(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * The value of label `key`, if the labels have it: an own key only, so that a key such as
 * `constructor` or `toString` is never read from the prototype of a plain object.
 */
export function labelValue(labels: Labels, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}

/**
 * Whether one requirement holds for the labels.
 *
 * @param values the requirement's values as a set, when the caller keeps one (equal to `r.values`)
 */
export function requirementMatches(r: SelectorRequirement, labels: Labels, values?: ReadonlySet<string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In': return has && (values ? values.has(labels[r.key]) : r.values.includes(labels[r.key]));
    case 'NotIn': return !has || !(values ? values.has(labels[r.key]) : r.values.includes(labels[r.key]));
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
  }
}

function describeRequirement(r: SelectorRequirement): string {
  switch (r.operator) {
    case 'In': return r.fromMatchLabels ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
    case 'NotIn': return `${r.key} notin (${r.values.join(',')})`;
    case 'Exists': return r.key;
    case 'DoesNotExist': return `!${r.key}`;
  }
}

/** The namespace names a selector picks by `kubernetes.io/metadata.name In (...)`, if it does. */
export function namespacesNamed(selector: Selector): string[] | undefined {
  const byName = selector.requirements.find(r => r.key === NAMESPACE_NAME_LABEL && r.operator === 'In');
  return byName ? [...byName.values] : undefined;
}
