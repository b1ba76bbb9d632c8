import * as fs from 'fs';
import { RULES_MD, renderRulesMarkdown } from '../../scripts/gen-rules';
import { Linter } from '../../src/lint';

describe('RULES.md', () => {
  test('is generated from the rules\' metadata and current (run `npx ts-node --transpile-only scripts/gen-rules.ts`)', () => {
    expect(fs.readFileSync(RULES_MD, 'utf8')).toBe(renderRulesMarkdown());
  });

  test('documents every rule, with its summary, explanation and fix', () => {
    const doc = renderRulesMarkdown();
    for (const r of Linter.rules()) {
      expect(doc).toContain(`### ${r.id} ${r.name}\n`);
      expect(doc).toContain(r.explanation);
      expect(doc).toContain(`**Fix:** ${r.fix}`);
    }
  });
});
