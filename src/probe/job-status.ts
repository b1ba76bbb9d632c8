import { field, objects, text } from './kubectl-result';

/** How much of a message from the cluster a probe's detail quotes, in characters. */
export const MAX_CLUSTER_MESSAGE = 300;

/** A message from the cluster (an event, a condition, a termination message), cut to `MAX_CLUSTER_MESSAGE`. */
export function clusterMessage(value: unknown): string {
  const t = typeof value === 'string' ? value.trim() : '';
  return t.length <= MAX_CLUSTER_MESSAGE ? t : `${t.slice(0, MAX_CLUSTER_MESSAGE)}...`;
}

/**
 * Why a probe Job has no pod at the end of a run, read from what the cluster says about it: the
 * Job's conditions (`Failed` with `DeadlineExceeded` or `BackoffLimitExceeded`, `Suspended`) and
 * the `FailedCreate` events the Job controller records when it cannot create the pod (a quota,
 * an admission webhook, Pod Security). Only when none says anything is the cause unknown.
 *
 * @param name the Job's name
 * @param namespace its namespace
 * @param job the Job as kubectl returned it, or undefined when it is not there
 * @param events the `FailedCreate` events of Jobs in its namespace
 */
export function jobWithoutPod(name: string, namespace: string, job: unknown, events: readonly unknown[]): string {
  const describe = `kubectl describe job --namespace=${namespace} ${name}`;
  if (job === undefined) return `Job ${name} is not in the cluster any more, and no pod of it was seen (deleted by someone else?)`;
  const conditions = objects(job, 'status', 'conditions').filter(c => c.status === 'True');
  const failed = conditions.find(c => c.type === 'Failed');
  if (failed) {
    const reason = text(failed, 'reason') ?? 'no reason given';
    const message = clusterMessage(failed.message);
    const said = message ? `: ${message}` : '';
    if (reason === 'DeadlineExceeded') {
      return `Job ${name} reached its activeDeadlineSeconds (${String(field(job, 'spec', 'activeDeadlineSeconds') ?? '?')} s) before its pod reported (DeadlineExceeded${said})`;
    }
    if (reason === 'BackoffLimitExceeded') return `the pod of Job ${name} failed and the Job gave up (BackoffLimitExceeded${said})`;
    return `Job ${name} failed (${clusterMessage(reason)}${said})`;
  }
  if (conditions.some(c => c.type === 'Suspended')) return `Job ${name} is suspended (spec.suspend), so it created no pod`;
  const create = events.filter(e => text(e, 'involvedObject', 'name') === name && text(e, 'reason') === 'FailedCreate');
  if (create.length > 0) {
    // the latest one (ISO timestamps compare as text)
    const when = (e: unknown) => text(e, 'lastTimestamp') ?? text(e, 'eventTime') ?? text(e, 'metadata', 'creationTimestamp') ?? '';
    const last = create.reduce((a, b) => (when(b) >= when(a) ? b : a));
    return `the Job controller could not create the pod of Job ${name} (FailedCreate): ${clusterMessage(field(last, 'message')) || 'no message'}`;
  }
  return `no pod was created for Job ${name} before the deadline, and neither its status nor its events say why: ${describe}`;
}
