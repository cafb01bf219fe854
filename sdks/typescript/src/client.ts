import { Backoff } from "./backoff.js";
import { closeRule } from "./closeCodes.js";
import { Emitter } from "./emitter.js";
import { ArqonBusError } from "./errors.js";
import { type Filter, type FilterHost, type FilterOptions, FilterSubscription } from "./filter.js";
import { newId, newIdempotencyKey } from "./ids.js";
import { KeepAlive } from "./keepalive.js";
import { type Request, Requests } from "./requests.js";
import { type ChannelEvent, type SubscribeOptions, Subscription, type SubscriptionHost } from "./subscription.js";
import { TokenRefresher } from "./token.js";
import { toMessage } from "./types.js";
import type {
  ClientEvents, ClientState, Frame, PublishOptions, PublishResult, WebSocketConstructor, WebSocketLike,
} from "./types.js";

export interface ClientOptions {
  /** The WebSocket constructor; default: the global `WebSocket` (browsers, Node 22+). Node 20: `ws`. */
  WebSocket?: WebSocketConstructor;
  /** A fixed token (JWT). Without `getToken`, a 4003 (token expired) close stops the client. */
  token?: string;
  /** Called before every connection attempt and before the token expires (then sent as `refresh`). */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** Query parameter that carries the token in the URL (browsers cannot set headers): `token`. */
  tokenParam?: string;
  /** Reconnect after drops (the close-code table); default true. */
  reconnect?: boolean;
  /** Backoff base delay in ms (500). */
  minReconnectDelayMs?: number;
  /** Backoff ceiling in ms (20000). */
  maxReconnectDelayMs?: number;
  /** Publishes and commands kept while disconnected (1000); one more fails at once with OUTBOX_FULL. */
  maxOutbox?: number;
  /** Time a command may take, from the call, queued time included (10000 ms). */
  commandTimeoutMs?: number;
  /** Time a publish may wait for its ack once sent (10000 ms). */
  publishTimeoutMs?: number;
  /** Time from opening the socket to the welcome frame before the attempt is abandoned (10000 ms). */
  connectTimeoutMs?: number;
  /**
   * Keep-alive (default true): when nothing has arrived from the server for `keepAliveIntervalMs`,
   * the client sends the `ping` command; when nothing arrives within `keepAliveTimeoutMs` after
   * it, the client drops the socket (a `disconnected` event with code 1006 and a reason starting
   * `keep-alive timeout`) and reconnects and recovers as after any broken connection.
   */
  keepAlive?: boolean;
  /** Quiet time before a keep-alive `ping` in ms (20000, the server's own keep-alive interval). */
  keepAliveIntervalMs?: number;
  /** Time the `ping` may go unanswered before the connection counts as dead, in ms (10000). */
  keepAliveTimeoutMs?: number;
}

const OPEN = 1;

/**
 * An ArqonBus connection that reconnects, rejoins its subscriptions with their positions, keeps a
 * bounded outbox while disconnected and refreshes its token. The outbox (Requests),
 * subscriptions, filters and the close-code table live in their own modules.
 */
export class ArqonBusClient extends Emitter<ClientEvents> implements SubscriptionHost, FilterHost {
  private currentState: ClientState = "idle";
  private socket: WebSocketLike | undefined;
  private id: string | undefined;
  private welcomed = false;
  private stopping = false;
  private token: string | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly backoff: Backoff;
  private readonly requests: Requests;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly filters = new Set<FilterSubscription>();
  private readonly WebSocketImpl: WebSocketConstructor;
  private readonly refresher: TokenRefresher;
  private readonly keepAlive: KeepAlive | undefined;

  constructor(readonly url: string, private readonly options: ClientOptions = {}) {
    super();
    const impl = options.WebSocket ?? (globalThis as any).WebSocket;
    if (!impl) {
      throw new ArqonBusError("NO_WEBSOCKET",
          "No WebSocket implementation: pass one as the WebSocket option (e.g. `import WebSocket from \"ws\"`)");
    }
    this.WebSocketImpl = impl;
    this.backoff = new Backoff({ minDelayMs: options.minReconnectDelayMs, maxDelayMs: options.maxReconnectDelayMs });
    this.requests = new Requests(options.maxOutbox ?? 1000);
    this.keepAlive = options.keepAlive === false ? undefined : new KeepAlive(
        positive(options.keepAliveIntervalMs, 20_000, "keepAliveIntervalMs"),
        positive(options.keepAliveTimeoutMs, 10_000, "keepAliveTimeoutMs"),
        () => {
          try {
            this.socket?.send(JSON.stringify({ id: newId(), type: "command", command: "ping", args: {} }));
          } catch {
            // not writable: the timeout decides
          }
        },
        (reason) => this.dropDead(reason));
    this.refresher = new TokenRefresher(
        async () => (this.options.getToken ? await this.options.getToken() : undefined) ?? undefined,
        async (token) => {
          if (this.currentState !== "connected") return false;
          await this.command("refresh", { token });
          this.token = token;
          return true;
        },
        (error) => { if (this.currentState === "connected") this.emit("error", error); });
  }

  get state(): ClientState {
    return this.currentState;
  }

  /** The server-assigned client id of the current connection. */
  get clientId(): string | undefined {
    return this.id;
  }

  /** Starts connecting (and reconnecting); returns the client. */
  connect(): this {
    if (this.currentState === "idle" || this.currentState === "closed") {
      this.stopping = false;
      void this.open();
    }
    return this;
  }

  /** Resolves once connected (at once when connected); rejects when the client closes first. */
  ready(): Promise<void> {
    if (this.currentState === "connected") return Promise.resolve();
    if (this.currentState === "closed") return Promise.reject(new ArqonBusError("CLOSED", "The client is closed"));
    return new Promise((resolve, reject) => {
      const offConnected = this.on("connected", () => { offClosed(); offConnected(); resolve(); });
      const offClosed = this.on("closed", (info) => {
        offClosed(); offConnected();
        reject(new ArqonBusError("CLOSED", `The client closed: ${info.code} ${info.reason}`));
      });
    });
  }

  /** Closes the connection for good (code 1000); queued and pending requests fail with CLOSED. */
  close(): void {
    this.stop(1000, "closed by the client");
  }

  /**
   * Publishes to `room:channel`. Resolves with the server's acknowledgement: for a durable
   * publish the stored `offset`, `epoch` and `duplicate`; otherwise the `message_response`.
   * Durable publishes get an idempotency key by default and are re-sent after a reconnect when
   * the connection dropped before their ack: the server then answers `duplicate: true` if it had
   * stored them. While disconnected they wait in the outbox (up to `maxOutbox`).
   */
  publish(room: string, channel: string, payload: unknown, options: PublishOptions = {}): Promise<PublishResult> {
    const durable = options.durable === true;
    const key = options.idempotencyKey ?? (durable ? newIdempotencyKey() : undefined);
    const metadata: Record<string, unknown> = { ...(options.metadata ?? {}) };
    if (key !== undefined) metadata.idempotency_key = key;
    const frame: Frame = { id: newId(), type: options.type ?? "message", room, channel, payload, metadata };
    if (durable) frame.ack = "durable";
    return this.submit(frame, "publish", durable, key !== undefined, options.timeoutMs ?? this.options.publishTimeoutMs ?? 10_000);
  }

  /** Sends a command; resolves with the reply's `payload.data`, rejects with its `error_code`. */
  command<T = any>(name: string, args: Record<string, unknown> = {}, options: { timeoutMs?: number } = {}): Promise<T> {
    const frame: Frame = { id: newId(), type: "command", command: name, args };
    return this.submit(frame, "command", false, false, options.timeoutMs ?? this.options.commandTimeoutMs ?? 10_000);
  }

  /** Joins `room:channel` now and after every reconnect, recovering what was missed. */
  subscribe(room: string, channel: string, options: SubscribeOptions): Subscription {
    const key = `${room}:${channel}`;
    if (this.subscriptions.has(key)) {
      throw new ArqonBusError("ALREADY_SUBSCRIBED", `Already subscribed to ${key}; unsubscribe first`);
    }
    const subscription = new Subscription(room, channel, options, this);
    this.subscriptions.set(key, subscription);
    if (this.currentState === "connected") this.join(subscription);
    return subscription;
  }

  /** A filtered subscription (`subscribe` command), renewed after every reconnect. */
  subscribeFilter(filter: Filter, options: FilterOptions): FilterSubscription {
    const subscription = new FilterSubscription(filter, options, this);
    this.filters.add(subscription);
    if (this.currentState === "connected") this.filterSubscribe(subscription);
    return subscription;
  }

  /** The `history` command: `{history: [...], count, ...}`; `since` = an offset of the channel. */
  history(room: string, channel?: string, options: { limit?: number; since?: number; reverse?: boolean } = {}): Promise<any> {
    return this.command("history", { room, ...(channel === undefined ? {} : { channel }), ...options });
  }

  /** The `presence` command: `{room, channel, count, clients: [...]}`. */
  presence(room: string, channel?: string): Promise<any> {
    return this.command("presence", channel === undefined ? { room } : { room, channel });
  }

  /** The `typing` command (the caller must be a member of the channel). */
  typing(room: string, channel: string, state: "start" | "stop"): Promise<any> {
    return this.command("typing", { room, channel, state });
  }

  /** @internal SubscriptionHost */
  join(subscription: Subscription): void {
    const args = subscription.joinArgs();
    this.sendNow({ id: newId(), type: "command", command: "join_channel", args })
        .then((data) => subscription.joined(data, args.recover !== undefined),
              (error: ArqonBusError) => { if (error.code !== "DISCONNECTED" && error.code !== "CLOSED") subscription.refused(error); });
  }

  /** @internal SubscriptionHost */
  leave(subscription: Subscription): Promise<void> {
    const key = `${subscription.room}:${subscription.channel}`;
    if (this.subscriptions.get(key) === subscription) this.subscriptions.delete(key);
    if (this.currentState !== "connected") return Promise.resolve();
    return this.command("leave_channel", { room: subscription.room, channel: subscription.channel })
        .then(() => undefined, () => undefined);
  }

  /** @internal FilterHost */
  filterSubscribe(subscription: FilterSubscription): void {
    subscription.subscriberId = undefined;
    this.sendNow({ id: newId(), type: "command", command: "subscribe", args: { filter: subscription.filter } })
        .then((data) => {
          subscription.subscriberId = data.subscriber_id;
          if (!subscription.isActive) void this.filterUnsubscribe(subscription);
        }, (error: ArqonBusError) => {
          if (error.code !== "DISCONNECTED" && error.code !== "CLOSED") subscription.refused(error);
        });
  }

  /** @internal FilterHost */
  filterUnsubscribe(subscription: FilterSubscription): Promise<void> {
    this.filters.delete(subscription);
    const id = subscription.subscriberId;
    if (id === undefined || this.currentState !== "connected") return Promise.resolve();
    subscription.subscriberId = undefined;
    return this.command("unsubscribe", { subscriber_id: id }).then(() => undefined, () => undefined);
  }

  private submit(frame: Frame, kind: Request["kind"], durable: boolean, retryable: boolean, timeoutMs: number): Promise<any> {
    if (this.currentState === "closed") {
      return Promise.reject(new ArqonBusError("CLOSED", "The client is closed; create or connect it again"));
    }
    return new Promise((resolve, reject) => {
      const request: Request = { frame, kind, durable, retryable, timeoutMs, resolve, reject };
      if (kind === "command") this.requests.startTimer(request);
      if (this.currentState === "connected") this.write(request);
      else this.requests.enqueue(request);
    });
  }

  private sendNow(frame: Frame): Promise<any> {
    return new Promise((resolve, reject) => {
      const request: Request = { frame, kind: "command", durable: false, retryable: false,
        timeoutMs: this.options.commandTimeoutMs ?? 10_000, resolve, reject };
      this.requests.startTimer(request);
      this.write(request);
    });
  }

  private write(request: Request): void {
    this.requests.sent(request, request.kind === "publish");
    this.socket!.send(JSON.stringify(request.frame));
  }

  private async open(): Promise<void> {
    this.setState("connecting");
    this.emit("connecting", { attempt: this.backoff.attempts });
    let url = this.url;
    try {
      const token = this.options.getToken ? await this.options.getToken() : this.options.token;
      this.token = token ?? undefined;
    } catch (error) {
      this.emit("error", new ArqonBusError("TOKEN_UNAVAILABLE", `getToken failed: ${String(error)}`));
      this.scheduleReconnect(1006, "getToken failed");
      return;
    }
    if (this.stopping) return;
    if (this.token) {
      const u = new URL(url);
      u.searchParams.set(this.options.tokenParam ?? "token", this.token);
      url = u.toString();
    }
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketImpl(url);
    } catch (error) {
      this.stop(1006, `cannot open ${this.url}: ${String(error)}`);
      return;
    }
    this.socket = socket;
    this.welcomed = false;
    this.connectTimer = setTimeout(() => socket.close(4100, "no welcome"), this.options.connectTimeoutMs ?? 10_000);
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.keepAlive?.heard();
      this.onFrame(String(event.data));
    };
    socket.onclose = (event) => { if (this.socket === socket) this.onClose(event.code, event.reason); };
    socket.onerror = () => { /* a close event follows */ };
  }

  private onFrame(text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!this.welcomed) {
      if (frame.payload && typeof frame.payload.welcome === "string") this.onWelcome(frame.payload.client_id);
      return;
    }
    switch (frame.type) {
      case "response": return this.onResponse(frame);
      case "ack": return this.onAck(frame);
      case "message_response": return this.onLegacyAck(frame);
      case "error": return this.onError(frame);
      case "system": return this.onSystem(frame);
      case "command_response": return;
      default: return this.onPublication(frame);
    }
  }

  private onWelcome(clientId: string): void {
    clearTimeout(this.connectTimer);
    this.welcomed = true;
    this.id = clientId;
    this.backoff.reset();
    this.setState("connected");
    this.keepAlive?.start();
    for (const subscription of this.subscriptions.values()) this.join(subscription);
    for (const filter of this.filters) this.filterSubscribe(filter);
    for (const request of this.requests.drain()) this.write(request);
    if (this.options.getToken && this.token) this.refresher.schedule(this.token);
    this.emit("connected", { clientId });
  }

  private onResponse(frame: Frame): void {
    const request = this.requests.take(frame.request_id);
    if (!request) return;
    if (frame.status === "success") this.requests.complete(request, frame.payload?.data);
    else this.requests.fail(request, new ArqonBusError(frame.error_code ?? "ERROR", frame.error ?? "Command failed", frame.payload?.data));
  }

  private onAck(frame: Frame): void {
    const request = this.requests.take(frame.request_id);
    if (!request) return;
    const { offset, epoch, duplicate } = frame.payload ?? {};
    this.requests.complete(request, { id: request.frame.id!, offset, epoch, duplicate: duplicate === true });
  }

  private onLegacyAck(frame: Frame): void {
    const request = this.requests.peek(frame.request_id);
    if (!request || request.durable) return;
    this.requests.take(frame.request_id);
    this.requests.complete(request, { id: request.frame.id! });
  }

  private onError(frame: Frame): void {
    const error = new ArqonBusError(frame.error_code ?? "ERROR", frame.error ?? "Error", frame.payload);
    const request = this.requests.take(frame.request_id);
    if (request) this.requests.fail(request, error);
    else this.emit("error", error);
  }

  private onSystem(frame: Frame): void {
    const subscription = frame.room && frame.channel ? this.subscriptions.get(`${frame.room}:${frame.channel}`) : undefined;
    if (subscription && frame.payload) subscription.notice(frame.payload as ChannelEvent);
  }

  private onPublication(frame: Frame): void {
    const message = toMessage(frame);
    let taken = false;
    const subscription = frame.channel ? this.subscriptions.get(`${message.room}:${frame.channel}`) : undefined;
    if (subscription) {
      subscription.deliver(message);
      taken = true;
    }
    for (const filter of this.filters) {
      if (filter.matches(message)) {
        filter.deliver(message);
        taken = true;
      }
    }
    if (!taken) this.emit("message", message);
  }

  /**
   * The keep-alive found the server silent: drop the socket without waiting for a close handshake
   * that will not come (`terminate()` where the WebSocket has it, as `ws` does; else `close()`,
   * whose late close event is ignored) and go on as after an abnormal close.
   */
  private dropDead(reason: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.socket = undefined;
    socket.onmessage = null;
    socket.onclose = null;
    try {
      const terminate = (socket as { terminate?: () => void }).terminate;
      if (typeof terminate === "function") terminate.call(socket);
      else socket.close(4000, "keep-alive timeout");
    } catch {
      // already closing: nothing more to do with it
    }
    this.onClose(1006, reason);
  }

  private onClose(code: number, reason: string): void {
    this.socket = undefined;
    this.welcomed = false;
    this.keepAlive?.stop();
    clearTimeout(this.connectTimer);
    this.refresher.cancel();
    for (const subscription of this.subscriptions.values()) subscription.disconnected();
    for (const filter of this.filters) filter.subscriberId = undefined;
    const rule = closeRule(code);
    const stop = this.stopping || this.options.reconnect === false || rule.action === "stop"
        || (rule.action === "token" && !this.options.getToken);
    if (stop) {
      this.stop(code, reason);
      return;
    }
    this.requests.dropped((request) => {
      if (code === 1009) {
        return new ArqonBusError("MESSAGE_TOO_BIG", `The server closed the connection (1009 ${reason}); not sent again`);
      }
      if (request.retryable) return undefined;
      return new ArqonBusError("DISCONNECTED", `The connection dropped (${code} ${reason}) before the ${request.kind === "command"
          ? `reply to '${request.frame.command}'` : "ack of the publish"} arrived`);
    });
    this.scheduleReconnect(code, reason);
  }

  private scheduleReconnect(code: number, reason: string): void {
    const delayMs = this.backoff.next();
    this.setState("disconnected");
    this.emit("disconnected", { code, reason, reconnect: true, delayMs });
    this.reconnectTimer = setTimeout(() => { if (!this.stopping) void this.open(); }, delayMs);
  }

  private stop(code: number, reason: string): void {
    if (this.currentState === "closed") return;
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    this.refresher.cancel();
    this.keepAlive?.stop();
    clearTimeout(this.connectTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket && socket.readyState <= OPEN) socket.close(1000, "bye");
    for (const subscription of this.subscriptions.values()) subscription.disconnected();
    this.requests.failAll(new ArqonBusError("CLOSED", `The client closed (${code} ${reason})`));
    if (this.currentState === "connected" || this.currentState === "connecting") {
      this.emit("disconnected", { code, reason, reconnect: false });
    }
    this.setState("closed");
    this.emit("closed", { code, reason });
  }

  private setState(state: ClientState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    this.emit("state", state);
  }
}

/** An option that must be a positive number of ms when given. */
function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0)) {
    throw new ArqonBusError("INVALID_OPTION", `${name}: ${String(value)} (expected: a number of ms > 0)`);
  }
  return value;
}
