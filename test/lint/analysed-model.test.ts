import * as fc from 'fast-check';
import { namespace, policy } from './lint-helpers';
import { AnalysedModel } from '../../src/lint/private/analysed-model';
import { resolveOptions } from '../../src/lint/private/engine';
import { Selector } from '../../src/model/selector';

const KEYS = ['kubernetes.io/metadata.name', 'team', 'env'];
const VALUES = ['a', 'b', 'c'];

const requirement = fc.record({
  key: fc.constantFrom(...KEYS),
  operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
  values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 2 }),
}).map(r => (r.operator === 'In' || r.operator === 'NotIn' ? r : { key: r.key, operator: r.operator }));

const selector = fc.record({
  matchLabels: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 }),
  matchExpressions: fc.array(requirement, { maxLength: 2 }),
});

const namespaces = fc.uniqueArray(
  fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e'), labels: fc.dictionary(fc.constantFrom('team', 'env'), fc.constantFrom(...VALUES)) }),
  { selector: ns => ns.name, maxLength: 5 },
);

function model(objects: any[]): AnalysedModel {
  return AnalysedModel.build(objects, resolveOptions());
}

describe('AnalysedModel | namespacesMatching', () => {
  test('the label index and the cache give what a scan of every namespace gives', () => {
    fc.assert(fc.property(namespaces, fc.array(selector, { minLength: 1, maxLength: 4 }), (nss, raws) => {
      const m = model(nss.map(ns => namespace(ns.name, ns.labels)));
      // twice: the second answers come from the cache, through equal selectors parsed anew
      for (let round = 0; round < 2; round++) {
        for (const raw of raws) {
          const s = Selector.fromValid(raw);
          expect(m.namespacesMatching(s).map(ns => ns.name)).toEqual(m.namespaces.filter(ns => s.matches(ns.labels)).map(ns => ns.name));
        }
      }
    }));
  });

  test('policies with equal specs share one immutable model of their rules', () => {
    const spec = { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] };
    const m = model([policy('a', 'p', spec), policy('b', 'q', structuredClone(spec))]);
    expect(m.policies.map(p => p.id)).toEqual(['a/p', 'b/q']);
    expect(m.policies[0].ingress).toBe(m.policies[1].ingress);
    expect(Object.isFrozen(m.policies[0].ingress[0].peers![0])).toBe(true);
  });

  test('callers get their own copy of the answer', () => {
    const m = model([namespace('a', { team: 'x' }), namespace('b', { team: 'x' })]);
    const s = Selector.fromValid({ matchLabels: { team: 'x' } });
    m.namespacesMatching(s).pop();
    expect(m.namespacesMatching(s).map(ns => ns.name)).toEqual(['a', 'b']);
  });

  test('peers of policies in different namespaces with equal selectors get equal answers', () => {
    const peer = { namespaceSelector: { matchLabels: { team: 'x' } } };
    const m = model([namespace('a', { team: 'x' }), namespace('b', { team: 'y' }), namespace('c', { team: 'x' }),
      policy('a', 'p', { podSelector: {}, ingress: [{ from: [peer] }] }),
      // different specs (equal ones share their model), equal peer selectors
      policy('b', 'p', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [peer] }] })]);
    const [pa, pb] = m.policies.map(p => p.ingress[0].peers![0].namespaceSelector!);
    expect(pa).not.toBe(pb);
    expect(m.namespacesMatching(pa).map(ns => ns.name)).toEqual(['a', 'c']);
    expect(m.namespacesMatching(pb).map(ns => ns.name)).toEqual(['a', 'c']);
  });
});
