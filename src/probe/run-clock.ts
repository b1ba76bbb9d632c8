/**
 * The time a probe run reads and waits on: the system's by default, a test's own in tests, so
 * that no deadline, poll or kill ever depends on the wall clock there.
 */
export interface RunClock {
  /** The current time, in milliseconds. */
  now(): number;
  /** Resolves after `ms` milliseconds, or as soon as `signal` aborts (at once if it already has). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The system clock: `Date.now()` and `setTimeout`. */
export const SYSTEM_CLOCK: RunClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new Promise<void>(resolve => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  }),
};
