import { safely } from "./emitter.js";
import type { BusMessage } from "./types.js";

/** A filter of the `subscribe` command (docs/protocol.md, "Filtered subscriptions"). */
export interface Filter {
  room?: string;
  channel?: string;
  sender?: string;
  types?: string[];
}

export interface FilterOptions {
  onMessage: (message: BusMessage) => void;
  onError?: (error: Error) => void;
}

export interface FilterHost {
  filterSubscribe(subscription: FilterSubscription): void;
  filterUnsubscribe(subscription: FilterSubscription): Promise<void>;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/**
 * A filtered subscription: every publication the filter matches, not a membership (no presence,
 * no recovery). Re-subscribed after every reconnect.
 */
export class FilterSubscription {
  /** The server's `subscriber_id` on the current connection. */
  subscriberId: string | undefined;
  private active = true;
  private readonly channelPattern: RegExp | undefined;

  constructor(readonly filter: Filter, private readonly options: FilterOptions, private readonly host: FilterHost) {
    this.channelPattern = filter.channel === undefined ? undefined : globToRegExp(filter.channel);
  }

  get isActive(): boolean {
    return this.active;
  }

  unsubscribe(): Promise<void> {
    if (!this.active) return Promise.resolve();
    this.active = false;
    return this.host.filterUnsubscribe(this);
  }

  /** @internal whether a frame matches, as the server decides. */
  matches(message: BusMessage): boolean {
    const f = this.filter;
    if (f.room !== undefined && message.room !== f.room) return false;
    if (this.channelPattern && (message.channel === undefined || !this.channelPattern.test(message.channel))) return false;
    if (f.sender !== undefined && message.sender !== f.sender) return false;
    if (f.types !== undefined && !f.types.includes(message.type)) return false;
    return true;
  }

  /** @internal */
  deliver(message: BusMessage): void {
    if (this.active) safely(this.options.onMessage, message);
  }

  /** @internal */
  refused(error: Error): void {
    this.active = false;
    safely(this.options.onError, error);
  }
}
