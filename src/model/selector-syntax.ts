/**
 * Label selectors in kubectl's string syntax (`kubectl get pods -l ...`, apimachinery's
 * `labels.Parse`): comma-separated requirements, each `key=value` (or `key==value`),
 * `key!=value`, `key in (v1,v2)`, `key notin (v1,v2)`, `key` (exists) or `!key` (does not
 * exist). The empty text is the empty selector. The result is validated like a policy's
 * selector, so it means exactly what the same `matchExpressions` would.
 *
 * `!=` is apimachinery's "not equal", which (like `notin`) also matches pods without the key.
 */
import { Selector } from './selector';
import { NetworkPolicyValidator } from '../validation/network-policy-validator';
import { validateLabelSelector } from '../validation/private/label-selector';

/** Thrown for text that is not a selector. */
export class SelectorSyntaxError extends Error {}

/**
 * Parses a selector in kubectl's syntax (without braces) into the selector model.
 *
 * @throws SelectorSyntaxError with what is wrong and what would be valid
 */
export function parseSelectorText(text: string): Selector {
  const expressions: { key: string; operator: string; values?: string[] }[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new SelectorSyntaxError(`label selector ${JSON.stringify(text)}: ${why}; write requirements such as "app=web", "tier in (api,db)", "env notin (dev)", "canary" or "!legacy", separated by commas`);
  };
  const skip = () => { while (i < text.length && text[i] === ' ') i++; };
  const word = (): string => {
    skip();
    const start = i;
    while (i < text.length && !' ,()=!'.includes(text[i])) i++;
    return text.slice(start, i);
  };
  skip();
  if (i === text.length) return Selector.EVERYTHING;
  for (;;) {
    skip();
    if (text[i] === '!') {
      i++;
      const key = word();
      if (key === '') fail(`a key must follow "!" at position ${i}`);
      expressions.push({ key, operator: 'DoesNotExist' });
    } else {
      const key = word();
      if (key === '') fail(`a label key is missing at position ${i}`);
      skip();
      if (text.startsWith('!=', i)) {
        i += 2;
        expressions.push({ key, operator: 'NotIn', values: [word()] });
      } else if (text.startsWith('==', i) || text[i] === '=') {
        i += text.startsWith('==', i) ? 2 : 1;
        expressions.push({ key, operator: 'In', values: [word()] });
      } else if (i === text.length || text[i] === ',') {
        expressions.push({ key, operator: 'Exists' });
      } else {
        const op = word();
        if (op !== 'in' && op !== 'notin') fail(`unknown operator ${JSON.stringify(op)} after ${JSON.stringify(key)}`);
        skip();
        if (text[i] !== '(') fail(`"(" must follow "${op}" at position ${i}`);
        i++;
        const values: string[] = [];
        for (;;) {
          values.push(word());
          skip();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === ')') { i++; break; }
          fail(`the values of ${JSON.stringify(key)} must end with ")"`);
        }
        expressions.push({ key, operator: op === 'in' ? 'In' : 'NotIn', values });
      }
    }
    skip();
    if (i === text.length) break;
    if (text[i] !== ',') fail(`unexpected ${JSON.stringify(text[i])} at position ${i}`);
    i++;
  }
  const raw = { matchExpressions: expressions };
  const errors = validateLabelSelector(raw, 'selector');
  if (errors.length > 0) fail(NetworkPolicyValidator.formatError(errors[0]));
  return Selector.fromValid(raw);
}
