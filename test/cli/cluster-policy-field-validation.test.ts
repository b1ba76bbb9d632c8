import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expectNoStackTrace, netpol } from './run-netpol';
import { ClusterNetworkPolicyValidator, ErrorType, FieldValidation } from '../../src';
import { cnp } from '../fixtures/cluster-policies';

/*
 * --validate (FieldValidation) applies to cluster-wide policies as it does to NetworkPolicies:
 * kubectl's default strict field validation rejects a ClusterNetworkPolicy with a field its CRD
 * does not have, so the analysis refuses it; --validate warn reads it as the server stores it.
 */

/**
 * v1alpha1's `ports` in a v1alpha2 rule (which has `protocols`): the CRD does not have it, so
 * under --validate warn the server prunes it and the Accept opens every port.
 */
const TYPO = cnp('typo', {
  priority: 3,
  subject: { namespaces: {} },
  ingress: [{ action: 'Accept', from: [{ namespaces: {} }], ports: [{ portNumber: { protocol: 'TCP', port: 80 } }] }],
});
const TYPO_YAML = `${JSON.stringify(TYPO)}\n`;
const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}\n';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cnp-validate-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
function write(name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('ClusterNetworkPolicyValidator | fieldValidation', () => {
  test('strict (the default, as kubectl): an unknown field is a strict decoding error, first', () => {
    const result = ClusterNetworkPolicyValidator.validate(TYPO);
    expect(result.valid).toBe(false);
    expect(result.errors[0]).toMatchObject({ field: 'spec.ingress[0].ports', type: ErrorType.STRICT_DECODING });
    expect(result.errors[0].detail).toMatch(/^unknown field "ports"( \(did you mean "[a-z]+"\?\))?: kubectl's default field validation/);
    expect(result.warnings.filter(w => w.code === 'UnknownField')).toEqual([]);
  });

  test('warn: a warning (UnknownField); ignore: nothing', () => {
    const warn = ClusterNetworkPolicyValidator.validate(TYPO, { fieldValidation: FieldValidation.WARN });
    expect(warn.errors.filter(e => e.type === ErrorType.STRICT_DECODING)).toEqual([]);
    expect(warn.warnings).toEqual([expect.objectContaining({ field: 'spec.ingress[0].ports', code: 'UnknownField' })]);
    const ignore = ClusterNetworkPolicyValidator.validate(TYPO, { fieldValidation: FieldValidation.IGNORE });
    expect(ignore.errors.filter(e => e.type === ErrorType.STRICT_DECODING)).toEqual([]);
    expect(ignore.warnings).toEqual([]);
  });

  test('a valid policy is valid in every mode', () => {
    const ok = cnp('ok', { ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] });
    for (const fieldValidation of [FieldValidation.STRICT, FieldValidation.WARN, FieldValidation.IGNORE]) {
      expect(ClusterNetworkPolicyValidator.validate(ok, { fieldValidation })).toEqual({ valid: true, errors: [], warnings: [] });
    }
  });

  test('throws on a mode that does not exist, quoting it', () => {
    expect(() => ClusterNetworkPolicyValidator.validate(TYPO, { fieldValidation: 'lenient' as any }))
      .toThrow('ClusterNetworkPolicyValidator.validate: options.fieldValidation: Unsupported value: "lenient": supported values: "Strict", "Warn", "Ignore"');
  });
});

describe('netpol --validate | cluster-wide policies', () => {
  jest.setTimeout(120_000);

  test('netpol validate: an unknown field is an error (exit 1); --validate warn makes it a warning (exit 0)', async () => {
    const file = write('typo.yaml', TYPO_YAML);
    const strict = await netpol(['validate', file]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/error: spec\.ingress\[0\]\.ports: strict decoding error: unknown field "ports"/);
    const warn = await netpol(['validate', file, '--validate', 'warn']);
    expect(warn.code).toBe(0);
    expect(warn.stdout).toMatch(/warning: spec\.ingress\[0\]\.ports: UnknownField/);
  });

  test.each([
    ['list', (f: string) => ['list', f]],
    ['explain', (f: string) => ['explain', f, '--from', '10.1.1.1', '--to', 'shop/web', '--port', '80']],
  ])('netpol %s refuses the policy under strict field validation (exit 2) and reads it under --validate warn', async (_, args) => {
    const file = write('with-pod.yaml', `${POD}---\n${TYPO_YAML}`);
    const strict = await netpol(args(file));
    expect(strict.code).toBe(2);
    expectNoStackTrace(strict);
    expect(strict.stderr).toMatch(/ClusterNetworkPolicy typo: invalid \(1 error\)/);
    expect(strict.stderr).toMatch(/1 cluster-wide policy has unknown fields, which strict field validation \(kubectl's default\) rejects/);
    const warn = await netpol([...args(file), '--validate', 'warn']);
    expect(warn.code === 0 || warn.code === 1).toBe(true);
    expect(warn.stderr).toMatch(/warning: .*ClusterNetworkPolicy typo: spec\.ingress\[0\]\.ports: UnknownField/);
  });
});
