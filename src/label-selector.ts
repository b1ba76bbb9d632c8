import { IPodSelectorSource } from './pod-selector-source';
import { BoundedCache } from './private/bounded-cache';
import { deepFreeze, lockInstance, lockPrototypes } from './private/canonical';
import { PolicyError, describeValue } from './private/errors';
import { kplusSelectorToKube as toKube, podSelectorConfig } from './private/kplus';
import { VALUE_BRAND, Where, array, brandOf, fail, given, labels as checkLabels, mapKey, notAnInstance, props, string, strings } from './private/runtime-check';

/**
 * The operators of a label selector requirement.
 */
export enum LabelOperator {
  /** The label's value is one of the values. */
  IN = 'In',
  /** The label is absent, or its value is none of the values. */
  NOT_IN = 'NotIn',
  /** The label is present, whatever its value. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/**
 * One requirement of a label selector (a `matchExpressions` entry): an immutable value.
 */
export class LabelExpression {
  /** The label `key` has one of `values`. */
  public static in(key: string, values: string[]): LabelExpression {
    return new LabelExpression(labelKey('LabelExpression.in', key), LabelOperator.IN, labelValues('LabelExpression.in', values));
  }

  /** The label `key` is absent, or has none of `values`. */
  public static notIn(key: string, values: string[]): LabelExpression {
    return new LabelExpression(labelKey('LabelExpression.notIn', key), LabelOperator.NOT_IN, labelValues('LabelExpression.notIn', values));
  }

  /** The label `key` is present. */
  public static exists(key: string): LabelExpression {
    return new LabelExpression(labelKey('LabelExpression.exists', key), LabelOperator.EXISTS);
  }

  /** The label `key` is absent. */
  public static doesNotExist(key: string): LabelExpression {
    return new LabelExpression(labelKey('LabelExpression.doesNotExist', key), LabelOperator.DOES_NOT_EXIST);
  }

  /**
   * A real `LabelExpression` of this library from `value` (one of another copy of the library
   * is read through its public fields and checked); anything else fails.
   *
   * @internal
   */
  public static _from(where: Where, field: string, value: unknown): LabelExpression {
    if (EXPRESSIONS.has(value as LabelExpression)) return value as LabelExpression;
    if (value instanceof LabelExpression || brandOf(value) !== 'LabelExpression') {
      notAnInstance(where, field, value, 'LabelExpression', 'LabelExpression.in(), notIn(), exists(), doesNotExist()');
    }
    let fields: { key: unknown; operator: unknown; values: unknown };
    try {
      const { key, operator, values } = value as LabelExpression; // each read once
      fields = { key, operator, values };
    } catch (e) {
      fail(where, field, value, `is a LabelExpression of another copy of cdk8s-netpol that could not be read (${(e as Error)?.message}): make it with this copy's factories`);
    }
    return expressionFrom(where, field, fields.values === undefined ? { key: fields.key, operator: fields.operator } : fields);
  }

  /** The label key. */
  public readonly key: string;
  /** The operator. */
  public readonly operator: LabelOperator;
  /**
   * The values, for `In` and `NotIn`.
   *
   * @default - none (`Exists` and `DoesNotExist`)
   */
  public readonly values?: string[];

  private constructor(key: string, operator: LabelOperator, values?: string[]) {
    this.key = key;
    this.operator = operator;
    this.values = values ? Object.freeze([...values]) as string[] : undefined;
    EXPRESSIONS.add(this);
    lockInstance(this);
  }

  /** A stable, readable form such as `tier in (api,web)` or `!canary`. */
  public toString(): string {
    switch (this.operator) {
      case LabelOperator.IN: return `${this.key} in (${(this.values ?? []).join(',')})`;
      case LabelOperator.NOT_IN: return `${this.key} notin (${(this.values ?? []).join(',')})`;
      case LabelOperator.EXISTS: return this.key;
      default: return `!${this.key}`;
    }
  }
}

Object.defineProperty(LabelExpression.prototype, VALUE_BRAND, { value: 'LabelExpression' });
lockPrototypes(LabelExpression);

/** The expressions this library made (frozen, so their fields are what it made). */
const EXPRESSIONS = new WeakSet<LabelExpression>();

function labelKey(where: Where, key: unknown, field: string = 'key'): string {
  return mapKey(where, field, string(where, field, key, { nonEmpty: true, what: 'a label key such as "app"' }), false);
}

function labelValues(where: Where, values: unknown, field: string = 'values'): string[] {
  return strings(where, field, values, 'label values (strings)');
}

/** An expression from its Kubernetes form, checked. */
function expressionFrom(where: Where, field: string, e: unknown): LabelExpression {
  const { key, operator, values } = props<LabelExpressionConfig>(where, field, e as LabelExpressionConfig, ['key', 'operator', 'values']);
  const k = labelKey(where, key, `${field}.key`);
  const vs = given(values) ? labelValues(where, values, `${field}.values`) : undefined;
  switch (operator) {
    case LabelOperator.IN: return LabelExpression.in(k, vs ?? []);
    case LabelOperator.NOT_IN: return LabelExpression.notIn(k, vs ?? []);
    case LabelOperator.EXISTS:
    case LabelOperator.DOES_NOT_EXIST:
      if (vs !== undefined && vs.length > 0) fail(where, `${field}.values`, values, `must be empty for the operator ${operator}`);
      return operator === LabelOperator.EXISTS ? LabelExpression.exists(k) : LabelExpression.doesNotExist(k);
    default:
      throw new PolicyError(where, `${field}.operator: Unsupported label selector operator ${describeValue(operator)} for key ${describeValue(key)}: use In, NotIn, Exists or DoesNotExist`);
  }
}

/**
 * Options for a label selector.
 */
export interface LabelSelectorOptions {
  /**
   * Labels that must all be present with these exact values (`matchLabels`).
   *
   * @default - no label requirements
   */
  readonly labels?: { [key: string]: string };

  /**
   * Requirements that must all hold (`matchExpressions`).
   *
   * @default - no expressions
   */
  readonly expressions?: LabelExpression[];
}

/**
 * The Kubernetes form of a label selector.
 */
export interface LabelSelectorConfig {
  /**
   * `matchLabels`.
   *
   * @default - none
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * `matchExpressions`.
   *
   * @default - none
   */
  readonly matchExpressions?: LabelExpressionConfig[];
}

/**
 * The Kubernetes form of one `matchExpressions` entry.
 */
export interface LabelExpressionConfig {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  /**
   * The values.
   *
   * @default - none
   */
  readonly values?: string[];
}

/**
 * A label selector (for pods or namespaces): an immutable value. All labels and
 * expressions must hold (AND). The empty selector selects everything.
 *
 * @example
 * LabelSelector.of({ labels: { app: 'web' } });
 * LabelSelector.of({ expressions: [LabelExpression.in('tier', ['api', 'web'])] });
 * LabelSelector.all();
 */
export class LabelSelector {
  /**
   * A selector from labels and expressions, at least one of them.
   *
   * The selector that selects everything is `LabelSelector.all()`: `of()` with neither is an error.
   */
  public static of(options: LabelSelectorOptions = {}): LabelSelector {
    const o = props<LabelSelectorOptions>('LabelSelector.of', 'options', options, ['labels', 'expressions'], { optional: true });
    const labels = given(o.labels) ? checkLabels('LabelSelector.of', 'labels', o.labels) : {};
    const expressions = given(o.expressions)
      ? array('LabelSelector.of', 'expressions', o.expressions, 'LabelExpressions', (e, f) => LabelExpression._from('LabelSelector.of', f, e))
      : [];
    if (Object.keys(labels).length === 0 && expressions.length === 0) {
      fail('LabelSelector.of', 'options', options, 'has no labels and no expressions, so it would select everything: '
        + 'use LabelSelector.all() (or Peer.sameNamespace(), Peer.allNamespaces()) to say so');
    }
    return new LabelSelector(labels, expressions);
  }

  /** A selector that requires exactly these labels (`matchLabels`), at least one. */
  public static labels(labels: { [key: string]: string }): LabelSelector {
    return LabelSelector._ofCheckedLabels(checkLabels('LabelSelector.labels', 'labels', labels, EMPTY_SELECTOR));
  }

  /**
   * The selector of a label map already checked (`labels()` of runtime-check: a copy, string
   * keys and values): one shared, read-only selector per distinct map (an app names the same few
   * labels in every namespace; each is sorted, rendered and validated once).
   *
   * @internal
   */
  public static _ofCheckedLabels(labels: { [key: string]: string }): LabelSelector {
    const keys = Object.keys(labels);
    if (keys.length === 0) return new LabelSelector(labels, []);
    // unambiguous: every key and value is length-prefixed
    let key = '';
    for (const k of keys.length === 1 ? keys : keys.sort()) key += `${k.length}:${k}${labels[k].length}:${labels[k]}`;
    return BY_LABELS.get(key, () => new LabelSelector(labels, []));
  }

  /** The empty selector: selects every pod (or namespace). */
  public static all(): LabelSelector {
    return ALL ??= new LabelSelector({}, []);
  }

  /**
   * The label selector of a cdk8s-plus workload (Deployment, StatefulSet, ...) or `Pods`
   * selection, of any cdk8s-plus-2x package (cdk8s-plus-28 ... cdk8s-plus-33). Only the pod
   * labels are taken; to keep a namespace restriction the selection carries, use
   * `Peer.fromPodSelector()`.
   *
   * @param selector a cdk8s-plus workload or pod selection
   */
  public static fromPodSelector(selector: IPodSelectorSource): LabelSelector {
    const config = podSelectorConfig('LabelSelector.fromPodSelector', selector);
    return LabelSelector.fromConfig(toKube(config.labelSelector));
  }

  /**
   * A selector from its Kubernetes form (`matchLabels` and `matchExpressions`). `{}` is the
   * empty selector, which selects everything; an empty `matchLabels` with no expressions is an
   * error (write `{}` or use `LabelSelector.all()`).
   */
  public static fromConfig(config: LabelSelectorConfig): LabelSelector {
    return selectorFrom('LabelSelector.fromConfig', 'config', config);
  }

  /**
   * A selector from a Kubernetes form given at `where` and `field`, checked like `fromConfig()`.
   *
   * @internal
   */
  public static _fromConfig(where: Where, field: string, config: unknown): LabelSelector {
    return selectorFrom(where, field, config);
  }

  /**
   * A real `LabelSelector` of this library from `value` (one of another copy of the library is
   * read through its Kubernetes form and checked); anything else fails.
   *
   * @internal
   */
  public static _from(where: Where, field: string, value: unknown): LabelSelector {
    if (SELECTORS.has(value as LabelSelector)) return value as LabelSelector;
    // an object that inherits this copy's brand without having been made by it is a forgery
    if (value instanceof LabelSelector || brandOf(value) !== 'LabelSelector') {
      notAnInstance(where, field, value, 'LabelSelector', 'LabelSelector.labels(), LabelSelector.of(), LabelSelector.all(), ...');
    }
    let config: unknown;
    try {
      config = (value as LabelSelector).toSelectorConfig();
    } catch (e) {
      fail(where, field, value, `is a LabelSelector of another copy of cdk8s-netpol that could not be read (${(e as Error)?.message}): make it with this copy's factories`);
    }
    return selectorFrom(where, field, config);
  }

  /** The labels that must all match (`matchLabels`), keys sorted (frozen). */
  public readonly matchLabels: { [key: string]: string };
  /** The expressions that must all hold (`matchExpressions`, frozen). */
  public readonly matchExpressions: LabelExpression[];
  private readonly config: LabelSelectorConfig;

  private constructor(labels: { [key: string]: string }, expressions: LabelExpression[]) {
    const sorted: { [key: string]: string } = {};
    for (const key of Object.keys(labels).sort()) sorted[key] = labels[key];
    this.matchLabels = Object.freeze(sorted);
    this.matchExpressions = Object.freeze([...expressions]) as LabelExpression[];
    this.config = deepFreeze(this.render());
    SELECTORS.add(this);
    lockInstance(this);
  }

  /** Whether this is the empty selector, which selects everything. */
  public isEmpty(): boolean {
    return Object.keys(this.matchLabels).length === 0 && this.matchExpressions.length === 0;
  }

  /** The Kubernetes form (`{}` for the empty selector). */
  public toSelectorConfig(): LabelSelectorConfig {
    return this.render();
  }

  /**
   * The Kubernetes form, shared and frozen (no copy).
   *
   * @internal
   */
  public _config(): LabelSelectorConfig {
    return this.config;
  }

  private render(): LabelSelectorConfig {
    const config: { matchLabels?: { [key: string]: string }; matchExpressions?: LabelExpressionConfig[] } = {};
    if (Object.keys(this.matchLabels).length > 0) config.matchLabels = { ...this.matchLabels };
    if (this.matchExpressions.length > 0) {
      config.matchExpressions = this.matchExpressions.map(e => e.values === undefined
        ? { key: e.key, operator: e.operator }
        : { key: e.key, operator: e.operator, values: [...e.values] });
    }
    return config;
  }

  /** A stable, readable form in kubectl's syntax, e.g. `app=web,tier in (api)`; `{}` for the empty selector. */
  public toString(): string {
    if (this.isEmpty()) return '{}';
    return [
      ...Object.entries(this.matchLabels).map(([k, v]) => `${k}=${v}`),
      ...this.matchExpressions.map(e => e.toString()),
    ].join(',');
  }
}

Object.defineProperty(LabelSelector.prototype, VALUE_BRAND, { value: 'LabelSelector' });
lockPrototypes(LabelSelector);

/** The selectors this library made (frozen, so their fields are what it made). */
const SELECTORS = new WeakSet<LabelSelector>();

let ALL: LabelSelector | undefined;

/** The selectors made by `labels()`, by label map (values are immutable, so one serves every call). */
const BY_LABELS = new BoundedCache<string, LabelSelector>();

const EMPTY_SELECTOR = 'an empty label map would select everything: use LabelSelector.all(), Peer.sameNamespace() or Peer.allNamespaces() to say so';

/** A selector from its Kubernetes form, checked (`undefined` fields are absent, as in JSON). */
function selectorFrom(where: Where, field: string, value: unknown): LabelSelector {
  // read once (a snapshot): the expressions are copied before anything depends on them
  const config = props<LabelSelectorConfig>(where, field, value as LabelSelectorConfig, ['matchLabels', 'matchExpressions']);
  const expressions = config.matchExpressions === undefined ? [] : array(where, `${field}.matchExpressions`, config.matchExpressions,
    'label selector requirements ({ key, operator, values })', (e, f) => expressionFrom(where, f, e));
  const labels = config.matchLabels === undefined ? {} : checkLabels(where, `${field}.matchLabels`, config.matchLabels, expressions.length > 0 ? undefined : EMPTY_SELECTOR);
  if (Object.keys(labels).length === 0 && expressions.length === 0) {
    if (config.matchExpressions !== undefined) fail(where, field, value, EMPTY_SELECTOR.replace('label map', 'selector'));
    return LabelSelector.all(); // `{}`: the Kubernetes form of "everything", as cdk8s-plus renders Pods.all()
  }
  return LabelSelector.of({ labels, expressions });
}
