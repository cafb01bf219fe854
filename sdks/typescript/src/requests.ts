import { ArqonBusError } from "./errors.js";
import type { Frame, PublishResult } from "./types.js";

/** One publish or command on its way: queued in the outbox, then in flight until its reply. */
export interface Request {
  readonly frame: Frame;
  readonly kind: "publish" | "command";
  /** Durable publishes resolve on `ack`, other publishes on `message_response`. */
  readonly durable: boolean;
  /** Re-sent after a reconnect when in flight at a drop (publishes with an idempotency key). */
  readonly retryable: boolean;
  readonly timeoutMs: number;
  resolve(value: any): void;
  reject(error: Error): void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * The bounded outbox (requests waiting for a connection) and the requests in flight (sent,
 * waiting for their reply), keyed by frame id.
 */
export class Requests {
  private outbox: Request[] = [];
  private readonly inflight = new Map<string, Request>();

  constructor(private readonly maxOutbox: number) {}

  get queued(): number {
    return this.outbox.length;
  }

  /** Queues a request, or fails it at once when the outbox is full. */
  enqueue(request: Request): void {
    if (this.outbox.length >= this.maxOutbox) {
      this.fail(request, new ArqonBusError("OUTBOX_FULL",
          `The outbox is full: ${this.maxOutbox} requests wait for a connection (maxOutbox); not queued`));
      return;
    }
    this.outbox.push(request);
  }

  /** Takes every queued request, oldest first. */
  drain(): Request[] {
    const all = this.outbox;
    this.outbox = [];
    return all;
  }

  /** Marks a request as sent; its reply timeout (publishes) starts now. */
  sent(request: Request, startTimer: boolean): void {
    this.inflight.set(request.frame.id!, request);
    if (startTimer) this.startTimer(request);
  }

  startTimer(request: Request): void {
    clearTimeout(request.timer);
    request.timer = setTimeout(() => {
      this.inflight.delete(request.frame.id!);
      this.outbox = this.outbox.filter((r) => r !== request);
      request.reject(new ArqonBusError("TIMEOUT", `No ${request.kind === "command"
          ? `reply to command '${request.frame.command}'` : "ack for the publish"} within ${request.timeoutMs} ms`));
    }, request.timeoutMs);
  }

  take(id: string | undefined): Request | undefined {
    if (id === undefined) return undefined;
    const request = this.inflight.get(id);
    if (request) {
      this.inflight.delete(id);
      clearTimeout(request.timer);
    }
    return request;
  }

  peek(id: string | undefined): Request | undefined {
    return id === undefined ? undefined : this.inflight.get(id);
  }

  complete(request: Request, value: PublishResult | unknown): void {
    clearTimeout(request.timer);
    request.resolve(value);
  }

  fail(request: Request, error: Error): void {
    clearTimeout(request.timer);
    request.reject(error);
  }

  /**
   * The connection dropped: retryable requests in flight go back to the front of the outbox (in
   * their order; they were accepted, so the bound does not apply), the others fail with `error`.
   */
  dropped(error: (request: Request) => Error | undefined): void {
    const requeue: Request[] = [];
    for (const request of this.inflight.values()) {
      const failure = error(request);
      if (failure) {
        this.fail(request, failure);
      } else {
        if (request.kind === "publish") clearTimeout(request.timer);
        requeue.push(request);
      }
    }
    this.inflight.clear();
    this.outbox = [...requeue, ...this.outbox];
  }

  /** Fails everything, queued and in flight. */
  failAll(error: Error): void {
    for (const request of [...this.inflight.values(), ...this.outbox]) this.fail(request, error);
    this.inflight.clear();
    this.outbox = [];
  }
}
