import { AnalysisInputError } from '../../src/analysis/analysis-input-error';
import { imageReferenceProblems } from '../../src/probe/image-reference';
import {
  applyStdin, contextArg, deleteJobs, deleteNamespace, describeKubectl, getNamespace, getService, listJobCreateFailures, listJobs, listPods,
  namespaceArg, objectNameArg, selectorArg, serviceNameArg,
} from '../../src/probe/kubectl-args';

/** Values a hostile manifest or command line could carry into a kubectl argument. */
const HOSTILE = [
  '--kubeconfig=./evil.kubeconfig',
  '-n',
  '--all-namespaces',
  '-oyaml',
  '--',
  'a b',
  'shop\n--kubeconfig=x',
  'shop\u001b[2J',
  '',
  'Shop',
  'a'.repeat(64),
  'shop.prod',
  '.',
  '../x',
];

describe('values passed to kubectl', () => {
  test.each(HOSTILE)('a namespace %j is refused as an input error', value => {
    expect(() => namespaceArg('namespace', value)).toThrow(AnalysisInputError);
    expect(() => listPods(value)).toThrow(/namespace: Invalid value: .*only a namespace name \(a DNS-1123 label\) is passed to kubectl/);
  });

  test.each([...HOSTILE, '1backend', 'back_end', 'backend-'])('a Service name %j is refused (a Service name is a DNS-1035 label)', value => {
    expect(() => serviceNameArg('Service name', value)).toThrow(AnalysisInputError);
    expect(() => getService('shop', value)).toThrow(/Service name: Invalid value: /);
  });

  test.each(HOSTILE.filter(v => v !== 'shop.prod' && v.length < 64))('a Job name %j is refused', value => {
    expect(() => objectNameArg('Job name', value)).toThrow(AnalysisInputError);
    expect(() => deleteJobs('shop', ['netpol-probe-t1-p01', value])).toThrow(/Job name: Invalid value/);
  });

  test.each([
    ['-x', /must not start with "-"/],
    ['--kubeconfig=./evil.kubeconfig', /must not start with "-"/],
    ['', /must be non-empty/],
    ['kind\n--kubeconfig=x', /must not contain control characters/],
    ['kind\u001b]0;x\u0007', /must not contain control characters/],
    ['x'.repeat(1025), /must be no more than 1024 characters/],
  ])('a context %j is refused', (value, message) => {
    expect(() => contextArg(value)).toThrow(message);
  });

  test.each(['kind-dev', 'arn:aws:eks:eu-west-1:123456789012:cluster/prod', 'gke_project_europe-west1_prod', 'admin@cluster'])('a context %j is accepted', value => {
    expect(contextArg(value)).toBe(value);
  });

  test.each([
    [[['app', 'web,other=x']]],
    [[['--kubeconfig', 'x']]],
    [[['app', 'a b']]],
    [[]],
  ] as const)('a selector %j is refused', labels => {
    expect(() => selectorArg('selector', labels as any)).toThrow(AnalysisInputError);
  });

  test('valid values go to kubectl as `--flag=value`, and object names after `--`', () => {
    expect(getNamespace('netpol-probe')).toEqual(['get', 'namespace', '-o', 'json', '--', 'netpol-probe']);
    expect(getService('shop', 'backend')).toEqual(['get', 'service', '--namespace=shop', '-o', 'json', '--', 'backend']);
    expect(listPods('shop')).toEqual(['get', 'pods', '--namespace=shop', '-o', 'json']);
    const selector = selectorArg('selector', [['netpol.cdk8s.io/probe-run', 't1'], ['netpol.cdk8s.io/probe-attempt', '2']]);
    expect(selector).toBe('netpol.cdk8s.io/probe-run=t1,netpol.cdk8s.io/probe-attempt=2');
    expect(listPods('shop', selector)).toEqual(['get', 'pods', '--namespace=shop', `--selector=${selector}`, '-o', 'json']);
    expect(listJobs('shop', selector)).toEqual(['get', 'jobs', '--namespace=shop', `--selector=${selector}`, '-o', 'json']);
    expect(listJobCreateFailures('shop')).toEqual(['get', 'events', '--namespace=shop', '--field-selector=involvedObject.kind=Job,reason=FailedCreate', '-o', 'json']);
    expect(applyStdin()).toEqual(['apply', '-f', '-', '-o', 'name']);
    expect(deleteJobs('shop', ['netpol-probe-t1-p01', 'netpol-probe-t1-p02-a2'])).toEqual(
      ['delete', 'job', '--namespace=shop', '--ignore-not-found', '--wait=false', '--cascade=background', '--', 'netpol-probe-t1-p01', 'netpol-probe-t1-p02-a2']);
    expect(deleteNamespace('netpol-probe')).toEqual(['delete', 'namespace', '--ignore-not-found', '--wait=false', '--', 'netpol-probe']);
  });

  test('a command is described as typed, quoting anything unusual', () => {
    expect(describeKubectl(listPods('shop'))).toBe('kubectl get pods --namespace=shop -o json');
    expect(describeKubectl(['get', 'a b', '\u001b'])).toBe('kubectl get "a b" "\\u001b"');
  });
});

describe('image references', () => {
  test.each([
    'registry.k8s.io/e2e-test-images/agnhost:2.53',
    'busybox:1.36',
    'busybox',
    'localhost:5000/mirror/agnhost:2.53',
    'my-registry.example.com/team/agnhost@sha256:' + 'a'.repeat(64),
    'ghcr.io/org/img:v1.2.3-rc.1',
    '[::1]:5000/agnhost:2.53',
  ])('%s is an image reference', image => {
    expect(imageReferenceProblems(image)).toEqual([]);
  });

  test.each([
    '--privileged',
    '-',
    'busybox:1.36 --help',
    'Busybox',
    'busybox:',
    'busybox@sha256:abc',
    '',
    'busybox\n',
    'a/' + 'b'.repeat(300),
  ])('%j is not an image reference', image => {
    expect(imageReferenceProblems(image).length).toBeGreaterThan(0);
  });
});
