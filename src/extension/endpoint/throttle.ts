// No `vscode` import: unit-tested with an injected clock.

export interface TimerApi {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: TimerApi = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Runs `fn` at most once per `intervalMs`, however many times `schedule()` is
 * called: the first call runs at the end of the interval, and calls during a
 * pending interval are merged into it. A burst of endpoint events (a client
 * publishing in a loop) becomes one tree refresh per interval, and the last
 * event is never lost.
 */
export class Throttle {
  private handle: unknown;
  private pending = false;

  constructor(
    private readonly fn: () => void,
    private readonly intervalMs: number,
    private readonly timers: TimerApi = REAL_TIMERS,
  ) {}

  schedule(): void {
    if (this.pending) return;
    this.pending = true;
    this.handle = this.timers.setTimeout(() => {
      this.pending = false;
      this.handle = undefined;
      this.fn();
    }, this.intervalMs);
  }

  /** Runs a pending call now (e.g. before the endpoint stops). */
  flush(): void {
    if (!this.pending) return;
    this.cancel();
    this.fn();
  }

  cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.pending = false;
  }
}
