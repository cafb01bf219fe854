/** Reconnect delays: exponential backoff with full jitter and a ceiling. */
export interface BackoffOptions {
  /** Base delay of the first retry, in ms (default 500). */
  minDelayMs?: number;
  /** Ceiling of any delay, in ms (default 20000). */
  maxDelayMs?: number;
}

/**
 * The n-th retry (from 0) waits a uniformly random time in [0, min(max, min × 2^n)] ("full
 * jitter"), so that clients dropped together by a restart do not come back together.
 */
export class Backoff {
  private attempt = 0;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: BackoffOptions = {}, private readonly random: () => number = Math.random) {
    this.minDelayMs = Math.max(1, options.minDelayMs ?? 500);
    this.maxDelayMs = Math.max(this.minDelayMs, options.maxDelayMs ?? 20_000);
  }

  /** The delay before the next attempt; each call doubles the window up to the ceiling. */
  next(): number {
    const window = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(this.random() * window);
  }

  /** Called after a connection succeeded: the next retry starts from the base delay again. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
