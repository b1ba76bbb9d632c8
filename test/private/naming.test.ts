import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { Direction, Policy } from '../../src';
import { isDns1123Subdomain } from '../../src/validation/private/names';

describe('derived names', () => {
  test('are valid DNS-1123 subdomains of at most 63 characters, whatever the construct ids', () => {
    // Policy checks only names it is given: the names it derives must be valid by construction.
    // (ids that are Object.prototype keys clash inside constructs itself)
    const id = fc.string({ minLength: 1, maxLength: 40 }).filter(s => !s.includes('/') && !(s in {}));
    fc.assert(fc.property(fc.array(id, { minLength: 0, maxLength: 4 }), id, (path, leaf) => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'shop' });
      let scope: Construct = chart;
      path.forEach((p, i) => scope = new Construct(scope, `${p}${i}`));
      const policy = new Policy(scope, leaf, { policyTypes: [Direction.INGRESS] });
      expect(isDns1123Subdomain(policy.name)).toEqual([]);
      expect(policy.name.length).toBeLessThanOrEqual(63);
    }), { numRuns: 300 });
  });
});
