import { safely } from "./emitter.js";
import type { BusMessage, StreamPosition } from "./types.js";

export type SubscriptionState = "subscribing" | "subscribed" | "unsubscribed";

/** What a (re)join reports. */
export interface SubscribedContext {
  /** Whether the join asked to recover from a position (every rejoin after a reconnect does). */
  wasRecovering: boolean;
  /** Whether the server sent every publication missed since that position. */
  recovered: boolean;
  /** Publications the channel had after that position (sent when recovered). */
  missed: number;
  /** The channel's position at the join. */
  offset: number;
  epoch: string;
}

/** A presence or typing notice of the channel (`system` frames). */
export interface ChannelEvent {
  event: "join" | "leave" | "typing" | string;
  client_id?: string;
  state?: "start" | "stop";
  member_count?: number;
  [key: string]: unknown;
}

export interface SubscribeOptions {
  onMessage: (message: BusMessage) => void;
  /** After every successful join or rejoin. */
  onSubscribed?: (context: SubscribedContext) => void;
  /**
   * A rejoin could not recover what was missed (`recovered: false`: the stream was reset, or the
   * gap left history or was too large). Live traffic goes on from the channel's current position;
   * refetch what the application needs (e.g. `history`).
   */
  onRecoveryFailed?: (context: SubscribedContext) => void;
  /** Join and leave notices of other members. */
  onPresence?: (event: ChannelEvent) => void;
  /** Typing notices of other members. */
  onTyping?: (event: ChannelEvent) => void;
  /** A join the server refused (e.g. AUTHORIZATION_ERROR); the subscription is then unsubscribed. */
  onError?: (error: Error) => void;
  onStateChange?: (state: SubscriptionState) => void;
  /** Start from this position (e.g. one the application kept): the first join recovers from it. */
  since?: StreamPosition;
}

/** The part of the client a subscription needs. */
export interface SubscriptionHost {
  join(subscription: Subscription): void;
  leave(subscription: Subscription): Promise<void>;
}

/**
 * A channel membership that survives reconnects: it tracks the last position it delivered and
 * rejoins with it, so the server sends exactly what was missed (or says it cannot).
 */
export class Subscription {
  private currentState: SubscriptionState = "subscribing";
  private position: StreamPosition | undefined;

  constructor(
    readonly room: string,
    readonly channel: string,
    private readonly options: SubscribeOptions,
    private readonly host: SubscriptionHost,
  ) {
    this.position = options.since ? { ...options.since } : undefined;
  }

  get state(): SubscriptionState {
    return this.currentState;
  }

  /** The last position delivered (or reported by the last join). */
  get lastPosition(): StreamPosition | undefined {
    return this.position ? { ...this.position } : undefined;
  }

  /** Leaves the channel; no callback runs afterwards. */
  unsubscribe(): Promise<void> {
    if (this.currentState === "unsubscribed") return Promise.resolve();
    this.setState("unsubscribed");
    return this.host.leave(this);
  }

  /** @internal the args of the join: with `recover` when a position is known. */
  joinArgs(): Record<string, unknown> {
    const args: Record<string, unknown> = { room: this.room, channel: this.channel };
    if (this.position) args.recover = { offset: this.position.offset, epoch: this.position.epoch };
    return args;
  }

  /** @internal the connection dropped: the subscription rejoins on the next connection. */
  disconnected(): void {
    if (this.currentState === "subscribed") this.setState("subscribing");
  }

  /** @internal the join's reply. */
  joined(data: any, wasRecovering: boolean): void {
    if (this.currentState === "unsubscribed") return;
    const context: SubscribedContext = {
      wasRecovering,
      recovered: wasRecovering && data.recovered === true,
      missed: typeof data.missed === "number" ? data.missed : 0,
      offset: data.offset,
      epoch: data.epoch,
    };
    if (!context.recovered) this.position = { offset: data.offset, epoch: data.epoch };
    this.setState("subscribed");
    safely(this.options.onSubscribed, context);
    if (wasRecovering && !context.recovered) safely(this.options.onRecoveryFailed, context);
  }

  /** @internal the server refused the join. */
  refused(error: Error): void {
    if (this.currentState === "unsubscribed") return;
    this.setState("unsubscribed");
    safely(this.options.onError, error);
  }

  /** @internal a publication of the channel; repeats at or before the known position are dropped. */
  deliver(message: BusMessage): void {
    if (this.currentState === "unsubscribed") return;
    if (message.offset !== undefined && message.epoch !== undefined) {
      if (this.position && this.position.epoch === message.epoch && message.offset <= this.position.offset) return;
      this.position = { offset: message.offset, epoch: message.epoch };
    }
    safely(this.options.onMessage, message);
  }

  /** @internal a join, leave or typing notice. */
  notice(event: ChannelEvent): void {
    if (this.currentState === "unsubscribed") return;
    if (event.event === "typing") safely(this.options.onTyping, event);
    else if (event.event === "join" || event.event === "leave") safely(this.options.onPresence, event);
  }

  private setState(state: SubscriptionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    safely(this.options.onStateChange, state);
  }
}
