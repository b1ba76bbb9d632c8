/**
 * Label selectors (`matchLabels` + `matchExpressions`), compiled once and matched many times.
 *
 * Semantics (k8s.io/apimachinery labels.Selector): all requirements are ANDed; `matchLabels`
 * entries are equality requirements; `In` needs the key with one of the values; `NotIn` matches
 * when the key is absent or has none of the values; `Exists`/`DoesNotExist` test the key only.
 * An empty selector (`{}`) matches everything.
 */
import { AnalysisInputError } from './analysis-input-error';

/** Labels of a pod or namespace. */
export type Labels = Readonly<Record<string, string>>;

/** The four selector operators. */
export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** One requirement of a selector, in canonical form (values sorted, deduplicated). */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
  /** Whether it came from `matchLabels` (only changes how it is printed). */
  readonly fromMatchLabels: boolean;
}

/**
 * A compiled label selector.
 */
export class Selector {
  /** The selector that matches everything (`{}`). */
  public static readonly EVERYTHING = new Selector([]);

  /**
   * Compiles a Kubernetes `LabelSelector` object.
   *
   * @param raw the selector (`{ matchLabels?, matchExpressions? }`); `{}` matches everything
   * @param where the object and field, for error messages (e.g. `NetworkPolicy x/p: spec.podSelector`)
   */
  public static parse(raw: any, where: string): Selector {
    if (raw === undefined || raw === null) return Selector.EVERYTHING;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new AnalysisInputError(`${where}: Invalid value: ${JSON.stringify(raw)}: a label selector must be an object`);
    }
    const requirements: SelectorRequirement[] = [];
    const matchLabels = raw.matchLabels ?? {};
    if (typeof matchLabels !== 'object' || Array.isArray(matchLabels)) {
      throw new AnalysisInputError(`${where}.matchLabels: Invalid value: ${JSON.stringify(matchLabels)}: must be a map of strings`);
    }
    for (const [key, value] of Object.entries(matchLabels)) {
      requirements.push({ key, operator: 'In', values: [String(value)], fromMatchLabels: true });
    }
    const expressions = raw.matchExpressions ?? [];
    if (!Array.isArray(expressions)) {
      throw new AnalysisInputError(`${where}.matchExpressions: Invalid value: ${JSON.stringify(expressions)}: must be a list`);
    }
    expressions.forEach((expr: any, i: number) => {
      const field = `${where}.matchExpressions[${i}]`;
      if (typeof expr?.key !== 'string' || expr.key === '') {
        throw new AnalysisInputError(`${field}.key: Required value`);
      }
      const operator = expr.operator;
      if (!OPERATORS.includes(operator)) {
        throw new AnalysisInputError(`${field}.operator: Unsupported value: ${JSON.stringify(operator)}: supported values: "In", "NotIn", "Exists", "DoesNotExist"`);
      }
      const values: string[] = (expr.values ?? []).map((v: unknown) => String(v));
      if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
        throw new AnalysisInputError(`${field}.values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`);
      }
      if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
        throw new AnalysisInputError(`${field}.values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`);
      }
      requirements.push({ key: expr.key, operator, values: [...new Set(values)].sort(), fromMatchLabels: false });
    });
    return new Selector(requirements);
  }

  /** The requirements, ANDed. */
  public readonly requirements: readonly SelectorRequirement[];
  /** A canonical string: equal for selectors that match the same label sets by construction. */
  public readonly key: string;

  private constructor(requirements: SelectorRequirement[]) {
    this.requirements = requirements;
    this.key = requirements
      .map(r => `${r.key}\u0000${r.operator}\u0000${r.values.join('\u0001')}`)
      .sort()
      .join('\u0002');
  }

  /** Whether this is `{}`, which matches everything. */
  public get isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** Whether the labels satisfy every requirement. */
  public matches(labels: Labels): boolean {
    for (const r of this.requirements) {
      if (!requirementMatches(r, labels)) return false;
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

/** Whether one requirement holds for the labels. */
export function requirementMatches(r: SelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'In': return has && r.values.includes(labels[r.key]);
    case 'NotIn': return !has || !r.values.includes(labels[r.key]);
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

/** Reads a labels map, coercing values to strings (YAML may have parsed `version: 1` as a number). */
export function readLabels(raw: any): Record<string, string> {
  const labels: Record<string, string> = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw)) {
      if (v !== undefined && v !== null) labels[k] = String(v);
    }
  }
  return labels;
}
