import { listPods } from '../../src/probe/kubectl-args';
import { CommandResult } from '../../src/probe/kubectl-executor';
import { field, KubectlError, kubectlItems, kubectlObject, kubectlOutput } from '../../src/probe/kubectl-result';

const ARGS = listPods('shop');
const ok = (stdout: string, stderr = ''): CommandResult => ({ code: 0, stdout, stderr });

describe('reading what kubectl answered', () => {
  test.each([
    ['exit status 0 with an error line', ok('', 'error: You must be logged in to the server (Unauthorized)\n'),
      'kubectl get pods --namespace=shop -o json reported an error with exit status 0: error: You must be logged in to the server (Unauthorized)'],
    ['exit status 0 with an error from the server', ok('{"items":[]}', 'Error from server (Forbidden): pods is forbidden\n'),
      'kubectl get pods --namespace=shop -o json reported an error with exit status 0: Error from server (Forbidden): pods is forbidden'],
    ['a failure', { code: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "pods"' },
      'kubectl get pods --namespace=shop -o json failed (exit code 1): error: the server doesn\'t have a resource type "pods"'],
    ['a failure without output', { code: 3, stdout: '', stderr: '' }, 'kubectl get pods --namespace=shop -o json failed (exit code 3): no output'],
    ['a kill at the deadline', { code: 1, stdout: '', stderr: '', failure: 'did not finish within 60 s: killed' },
      'kubectl get pods --namespace=shop -o json: did not finish within 60 s: killed'],
  ])('%s is an error naming the command', (_, result, message) => {
    expect(() => kubectlOutput(ARGS, result)).toThrow(new KubectlError(message));
  });

  test('a warning on standard error is not an error', () => {
    expect(kubectlOutput(ARGS, ok('{"items":[]}', 'Warning: v1 ComponentStatus is deprecated\n'))).toBe('{"items":[]}');
  });

  test('a very long standard error is quoted cut', () => {
    const e = (() => { try { kubectlOutput(ARGS, { code: 1, stdout: '', stderr: 'x'.repeat(5000) }); } catch (err) { return err as Error; } return undefined; })();
    expect(e?.message).toMatch(/x{1000}\.\.\. \(4000 more characters\)$/);
  });

  test.each([
    ['<html>gateway timeout</html>', /output is not JSON \(.*\): <html>gateway timeout<\/html>$/],
    ['', /output is not JSON \(.*\): no output$/],
    ['{"items": [', /output is not JSON/],
    ['null', /its output is null, not a JSON object$/],
    ['[1,2]', /its output is an array, not a JSON object$/],
    ['"pods"', /its output is a string, not a JSON object$/],
    ['{"kind":"Status"}', /its output is not a list \(`items` is missing\)$/],
    ['{"items": 5}', /its output is not a list \(`items` is a number\)$/],
    ['{"items": {"0": {}}}', /its output is not a list \(`items` is a object\)$/],
    ['{"items": [{}, null]}', /items\[1\] of its output is null, not an object$/],
    ['{"items": [[]]}', /items\[0\] of its output is an array, not an object$/],
  ])('garbage JSON %j is a clear error naming the command, never a TypeError', (stdout, message) => {
    let error: unknown;
    try {
      kubectlItems(ARGS, ok(stdout));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KubectlError);
    expect((error as Error).message).toMatch(/^kubectl get pods --namespace=shop -o json: exit status 0, but /);
    expect((error as Error).message).toMatch(message);
  });

  test('a list of objects is read', () => {
    expect(kubectlItems(ARGS, ok('{"items":[{"a":1}]}'))).toEqual([{ a: 1 }]);
    expect(kubectlObject(ARGS, ok('{"spec":{"clusterIP":"10.0.0.1"}}'))).toEqual({ spec: { clusterIP: '10.0.0.1' } });
  });

  test('fields are read without ever throwing, and never from a prototype', () => {
    const pod = JSON.parse('{"metadata": null, "status": {"phase": 5, "__proto__": {"podIP": "10.0.0.9"}}}');
    expect(field(pod, 'metadata', 'labels', 'app')).toBeUndefined();
    expect(field(pod, 'status', 'phase')).toBe(5);
    expect(field(pod, 'status', 'podIP')).toBeUndefined();
    expect(field(pod, 'status', 'constructor')).toBeUndefined();
    expect(field('text', 'length')).toBeUndefined();
  });
});
