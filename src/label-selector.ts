import { IPodSelectorSource } from './pod-selector-source';
import { deepFreeze } from './private/canonical';
import { kplusSelectorToKube as toKube, podSelectorConfig } from './private/kplus';

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
    return new LabelExpression(key, LabelOperator.IN, values);
  }

  /** The label `key` is absent, or has none of `values`. */
  public static notIn(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, LabelOperator.NOT_IN, values);
  }

  /** The label `key` is present. */
  public static exists(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.EXISTS);
  }

  /** The label `key` is absent. */
  public static doesNotExist(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.DOES_NOT_EXIST);
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
    this.values = values ? [...values] : undefined;
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
  /** A selector from labels and expressions. */
  public static of(options: LabelSelectorOptions = {}): LabelSelector {
    return new LabelSelector(options.labels ?? {}, options.expressions ?? []);
  }

  /** A selector that requires exactly these labels (`matchLabels`). */
  public static labels(labels: { [key: string]: string }): LabelSelector {
    return new LabelSelector(labels, []);
  }

  /** The empty selector: selects every pod (or namespace). */
  public static all(): LabelSelector {
    return ALL ??= LabelSelector.of();
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
   * A selector from its Kubernetes form (`matchLabels` and `matchExpressions`).
   */
  public static fromConfig(config: LabelSelectorConfig): LabelSelector {
    const expressions = (config.matchExpressions ?? []).map(e => {
      switch (e.operator) {
        case LabelOperator.IN: return LabelExpression.in(e.key, e.values ?? []);
        case LabelOperator.NOT_IN: return LabelExpression.notIn(e.key, e.values ?? []);
        case LabelOperator.EXISTS: return LabelExpression.exists(e.key);
        case LabelOperator.DOES_NOT_EXIST: return LabelExpression.doesNotExist(e.key);
        default: throw new Error(`Unsupported label selector operator ${JSON.stringify(e.operator)} for key ${JSON.stringify(e.key)}: use In, NotIn, Exists or DoesNotExist`);
      }
    });
    return new LabelSelector(config.matchLabels ?? {}, expressions);
  }

  /** The labels that must all match (`matchLabels`), keys sorted (frozen). */
  public readonly matchLabels: { [key: string]: string };
  /** The expressions that must all hold (`matchExpressions`, frozen). */
  public readonly matchExpressions: LabelExpression[];
  private config?: LabelSelectorConfig;

  private constructor(labels: { [key: string]: string }, expressions: LabelExpression[]) {
    const sorted: { [key: string]: string } = {};
    for (const key of Object.keys(labels).sort()) sorted[key] = labels[key];
    this.matchLabels = Object.freeze(sorted);
    this.matchExpressions = Object.freeze([...expressions]) as LabelExpression[];
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
    return this.config ??= deepFreeze(this.render());
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

let ALL: LabelSelector | undefined;
