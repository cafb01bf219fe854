/**
 * The client's keep-alive on one socket. Browsers cannot send WebSocket pings, so when nothing has
 * arrived from the server for `intervalMs` the client sends the protocol's `ping` command; when
 * still nothing (its reply or any other frame) has arrived `timeoutMs` after it, `onDead` is called
 * with a reason, and the client drops the socket and reconnects and recovers as after any broken
 * connection. One timer at a time, each set for the earliest moment something could be due; a busy
 * connection costs one timestamp per received frame.
 */
export class KeepAlive {
  private lastHeard = Date.now();
  private pingSentAt: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly intervalMs: number, private readonly timeoutMs: number,
              private readonly sendPing: () => void, private readonly onDead: (reason: string) => void) {
  }

  /** Starts watching (again): the quiet time counts from now. */
  start(): void {
    this.stop();
    this.lastHeard = Date.now();
    this.pingSentAt = undefined;
    this.schedule(this.intervalMs);
  }

  /** Something arrived from the server. */
  heard(): void {
    this.lastHeard = Date.now();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.check(), Math.max(1, delayMs));
  }

  private check(): void {
    this.timer = undefined;
    const now = Date.now();
    if (this.pingSentAt !== undefined && this.lastHeard < this.pingSentAt) {
      const waited = now - this.pingSentAt;
      if (waited >= this.timeoutMs) {
        this.onDead(`keep-alive timeout: nothing from the server within ${this.timeoutMs} ms of a ping`
            + ` (quiet for ${now - this.lastHeard} ms)`);
        return;
      }
      this.schedule(this.timeoutMs - waited);
      return;
    }
    this.pingSentAt = undefined;
    const quiet = now - this.lastHeard;
    if (quiet < this.intervalMs) {
      this.schedule(this.intervalMs - quiet);
      return;
    }
    this.pingSentAt = now;
    this.sendPing();
    this.schedule(this.timeoutMs);
  }
}
