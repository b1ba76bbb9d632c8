import { selectorText } from '../../src/analysis/representative';
import { SelectorSyntaxError, parseSelectorText } from '../../src/model/selector-syntax';

describe('parseSelectorText', () => {
  test.each([
    ['', '{}'],
    ['app=web', '{app=web}'],
    ['app==web', '{app=web}'],
    ['app!=web', '{app notin (web)}'],
    ['env in (prod, staging),!legacy', '{env in (prod,staging),!legacy}'],
    ['tier notin (db),canary', '{canary,tier notin (db)}'], // sorted by key
    ['foo.com/managed=yes', '{foo.com/managed=yes}'],
  ])('reads %j as kubectl does', (text, canonical) => {
    expect(selectorText(parseSelectorText(text))).toBe(canonical);
  });

  test('means what the same matchExpressions mean', () => {
    const s = parseSelectorText('env in (prod,staging),!legacy');
    expect(s.matches({ env: 'prod' })).toBe(true);
    expect(s.matches({ env: 'prod', legacy: '' })).toBe(false);
    expect(s.matches({ env: 'dev' })).toBe(false);
    expect(parseSelectorText('app!=web').matches({})).toBe(true); // like notin: no key matches
  });

  test.each([
    ['app in (x', /the values of "app" must end with "\)"/],
    ['app on (x)', /unknown operator "on" after "app"/],
    ['!', /a key must follow "!"/],
    ['app=web,', /a label key is missing/],
    ['Bad Key=x', /unknown operator "Key" after "Bad"/],
    ['app=-x-', /selector.matchExpressions\[0\].values\[0\]: Invalid value: "-x-"/],
  ])('throws for %j with what is wrong and what is valid', (text, why) => {
    expect(() => parseSelectorText(text)).toThrow(SelectorSyntaxError);
    expect(() => parseSelectorText(text)).toThrow(why);
    expect(() => parseSelectorText(text)).toThrow(/write requirements such as "app=web"/);
  });
});
