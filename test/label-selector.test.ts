import { LabelExpression, LabelOperator, LabelSelector } from '../src';

describe('LabelSelector', () => {
  test('renders matchLabels with sorted keys and matchExpressions in order', () => {
    const selector = LabelSelector.of({
      labels: { tier: 'web', app: 'shop' },
      expressions: [LabelExpression.in('env', ['prod', 'staging']), LabelExpression.doesNotExist('canary')],
    });
    expect(Object.keys(selector.toSelectorConfig().matchLabels!)).toEqual(['app', 'tier']);
    expect(selector.toSelectorConfig()).toEqual({
      matchLabels: { app: 'shop', tier: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'staging'] },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    });
    expect(selector.toString()).toBe('app=shop,tier=web,env in (prod,staging),!canary');
    expect(selector.isEmpty()).toBe(false);
  });

  test('the empty selector renders as {} and selects everything', () => {
    expect(LabelSelector.all().toSelectorConfig()).toEqual({});
    expect(LabelSelector.all().isEmpty()).toBe(true);
    expect(LabelSelector.all().toString()).toBe('{}');
  });

  test('throws if of() is given no labels and no expressions: "everything" is LabelSelector.all()', () => {
    expect(() => LabelSelector.of()).toThrow('[LabelSelector.of] options: {}: has no labels and no expressions, so it would select everything: use LabelSelector.all()');
  });

  test.each([
    [LabelExpression.in('a', ['x']), { key: 'a', operator: 'In', values: ['x'] }, 'a in (x)'],
    [LabelExpression.notIn('a', ['x', 'y']), { key: 'a', operator: 'NotIn', values: ['x', 'y'] }, 'a notin (x,y)'],
    [LabelExpression.exists('a'), { key: 'a', operator: 'Exists' }, 'a'],
    [LabelExpression.doesNotExist('a'), { key: 'a', operator: 'DoesNotExist' }, '!a'],
  ])('expression %s', (expression, config, text) => {
    expect(LabelSelector.of({ expressions: [expression] }).toSelectorConfig().matchExpressions).toEqual([config]);
    expect(expression.toString()).toBe(text);
  });

  test('values are copied: later changes to the caller\'s objects do not leak in', () => {
    const labels = { app: 'web' };
    const values = ['a'];
    const selector = LabelSelector.of({ labels, expressions: [LabelExpression.in('k', values)] });
    labels.app = 'db';
    values.push('b');
    expect(selector.toSelectorConfig()).toEqual({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'k', operator: 'In', values: ['a'] }] });
  });

  test('fromConfig reads the Kubernetes form back', () => {
    const config = { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'c', operator: 'Exists' }] };
    expect(LabelSelector.fromConfig(config).toSelectorConfig()).toEqual(config);
    expect(LabelSelector.fromConfig({ matchExpressions: [{ key: 'c', operator: LabelOperator.NOT_IN, values: ['x'] }] }).toString()).toBe('c notin (x)');
  });

  test('fromConfig rejects an unknown operator, quoting it', () => {
    expect(() => LabelSelector.fromConfig({ matchExpressions: [{ key: 'c', operator: 'Like' }] }))
      .toThrow('Unsupported label selector operator "Like" for key "c": use In, NotIn, Exists or DoesNotExist');
  });
});
