import { RunClock } from '../../../src/probe/run-clock';

/**
 * A clock whose time moves only when the code under test sleeps: each sleep advances it by the
 * time asked (unless aborted) and resolves on the next turn of the event loop. Deadlines and
 * polls then never depend on the wall clock.
 */
export class FakeClock implements RunClock {
  public time = 1_000_000;
  public readonly sleeps: number[] = [];

  public now(): number {
    return this.time;
  }

  public sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise(resolve => setImmediate(() => {
      if (!signal?.aborted) this.time += Math.max(0, ms);
      resolve();
    }));
  }
}

/** A clock whose sleeps end only when the test says so (`fire`), or when aborted. */
export class ManualClock implements RunClock {
  private waiting: Array<{ ms: number; resolve: () => void }> = [];

  public now(): number {
    return 0;
  }

  public sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
      const entry = { ms, resolve };
      this.waiting.push(entry);
      signal?.addEventListener('abort', () => {
        this.waiting = this.waiting.filter(w => w !== entry);
        resolve();
      }, { once: true });
    });
  }

  /** The durations of the sleeps still waiting. */
  public pending(): number[] {
    return this.waiting.map(w => w.ms);
  }

  /** Ends every sleep still waiting. */
  public fire(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const x of w) x.resolve();
  }
}
