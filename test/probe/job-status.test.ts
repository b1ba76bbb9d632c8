import { jobWithoutPod } from '../../src/probe/job-status';

const job = (status: any) => ({ metadata: { name: 'netpol-probe-t1-p01' }, spec: { activeDeadlineSeconds: 210 }, status });
const event = (name: string, message: string, lastTimestamp: string) => ({ involvedObject: { kind: 'Job', name }, reason: 'FailedCreate', message, lastTimestamp });

describe('why a probe Job has no pod', () => {
  test.each([
    ['the Job controller stopped it at its deadline',
      job({ conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }] }), [],
      'Job netpol-probe-t1-p01 reached its activeDeadlineSeconds (210 s) before its pod reported (DeadlineExceeded: Job was active longer than specified deadline)'],
    ['its pod failed', job({ conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] }), [],
      'the pod of Job netpol-probe-t1-p01 failed and the Job gave up (BackoffLimitExceeded: Job has reached the specified backoff limit)'],
    ['another failure', job({ conditions: [{ type: 'Failed', status: 'True', reason: 'PodFailurePolicy' }] }), [],
      'Job netpol-probe-t1-p01 failed (PodFailurePolicy)'],
    ['a condition that is not true is no cause', job({ conditions: [{ type: 'Failed', status: 'False', reason: 'DeadlineExceeded' }] }), [],
      'no pod was created for Job netpol-probe-t1-p01 before the deadline, and neither its status nor its events say why: kubectl describe job --namespace=shop netpol-probe-t1-p01'],
    ['it is suspended', job({ conditions: [{ type: 'Suspended', status: 'True' }] }), [], 'Job netpol-probe-t1-p01 is suspended (spec.suspend), so it created no pod'],
    ['a quota refused its pod (the latest event wins; other Jobs\' events are not read)', job({}), [
      event('netpol-probe-t1-p01', 'Error creating: pods "x" is forbidden: exceeded quota: compute, requested: cpu=10m', '2026-12-07T10:00:02Z'),
      event('netpol-probe-t1-p01', 'Error creating: older', '2026-12-07T10:00:01Z'),
      event('netpol-probe-t1-p02', 'Error creating: another Job', '2026-12-07T10:00:09Z'),
    ], 'the Job controller could not create the pod of Job netpol-probe-t1-p01 (FailedCreate): Error creating: pods "x" is forbidden: exceeded quota: compute, requested: cpu=10m'],
    ['Pod Security refused it', job({ conditions: 'garbage' }), [
      event('netpol-probe-t1-p01', 'Error creating: pods "x" is forbidden: violates PodSecurity "restricted:latest"', '2026-12-07T10:00:02Z'),
    ], 'the Job controller could not create the pod of Job netpol-probe-t1-p01 (FailedCreate): Error creating: pods "x" is forbidden: violates PodSecurity "restricted:latest"'],
    ['it is gone', undefined, [], 'Job netpol-probe-t1-p01 is not in the cluster any more, and no pod of it was seen (deleted by someone else?)'],
    ['nothing says why', job(null), [null, 5, 'x'],
      'no pod was created for Job netpol-probe-t1-p01 before the deadline, and neither its status nor its events say why: kubectl describe job --namespace=shop netpol-probe-t1-p01'],
  ])('%s', (_, j, events, expected) => {
    expect(jobWithoutPod('netpol-probe-t1-p01', 'shop', j, events)).toBe(expected);
  });

  test('a long message from the cluster is cut', () => {
    const text = jobWithoutPod('j', 'shop', job({}), [{ ...event('j', 'x'.repeat(1000), 't'), involvedObject: { name: 'j' } }]);
    expect(text).toMatch(/x{300}\.\.\.$/);
  });
});
