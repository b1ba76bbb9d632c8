import * as fc from 'fast-check';
import { NearestIndex, nearest } from '../../../src/validation/private/did-you-mean';
import { fullPropertyRuns } from '../../fixtures/property-runs';

describe('NearestIndex | "did you mean" over many questions', () => {
  const declared = ['payments', 'payment-gateway', 'shop', 'monitoring', 'kube-system', 'ingress-nginx', 'team-a', 'team-b'];

  test.each([
    ['paymnets', 2, 'payments'],
    ['shpo', 1, undefined],
    ['shop', 1, 'shop'],
    ['SHOP', 1, 'shop'],
    ['monitorng', 2, 'monitoring'],
    ['kube-sytem', 2, 'kube-system'],
    ['team-c', 1, 'team-a'],
    ['ingress-ngnix', 2, 'ingress-nginx'],
    ['', 1, undefined],
    ['x', 1, undefined],
    ['completely-unrelated-name', 2, undefined],
  ])('%j within %d edits: %j, as nearest() answers', (word, max, expected) => {
    const index = new NearestIndex(declared);
    expect(index.nearest(word, max)).toBe(expected);
    expect(index.nearest(word, max)).toBe(nearest(word, declared, max));
  });

  test('answers exactly as nearest() on random words and candidates', () => {
    const word = fc.stringMatching(/^[a-e-]{0,14}$/);
    const words = fc.array(word, { maxLength: 10 });
    fc.assert(fc.property(fc.array(word, { maxLength: 30 }), words, fc.integer({ min: 0, max: 2 }), (candidates, asked, max) => {
      const index = new NearestIndex(candidates);
      for (const w of asked) expect(index.nearest(w, max)).toBe(nearest(w, candidates, max));
    }), { numRuns: 300 });
  });

  test('the work is capped: past the budget there is no answer, never a wrong one, and no long run', () => {
    // thousands of near-identical names: every one shares most trigrams with every other
    const candidates = Array.from({ length: 3000 }, (_, i) => `team-aaaaaaaaaaaaaaaaaaaa-${i.toString(36)}`);
    const index = new NearestIndex(candidates, 200_000);
    const answers = Array.from({ length: 3000 }, (_, i) => index.nearest(`team-aaaaaaaaaaaaaaaaaaaa-${i.toString(36)}x`, 2));
    expect(index.exhausted).toBe(true);
    const given = answers.filter(a => a !== undefined);
    expect(given.length).toBeGreaterThan(0);
    expect(given.length).toBeLessThan(3000);
    // every answer given is nearest()'s; checking one is a scan of all 3,000 names, so every 30th
    // unless FC_RUNS=full (test/fixtures/property-runs.ts)
    const step = fullPropertyRuns() ? 1 : 30;
    const checked = answers.map((a, i) => [a, i] as const).filter(([a, i]) => a !== undefined && i % step === 0);
    expect(checked.length).toBeGreaterThan(given.length / step / 2);
    for (const [a, i] of checked) expect(a).toBe(nearest(`team-aaaaaaaaaaaaaaaaaaaa-${i.toString(36)}x`, candidates, 2));
  });
});
