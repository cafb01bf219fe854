/** A frame as it travels on the wire (docs/protocol.md §2). */
export interface Frame {
  id?: string;
  type: string;
  timestamp?: string;
  version?: string;
  room?: string;
  channel?: string;
  sender?: string;
  command?: string;
  request_id?: string;
  status?: string;
  error?: string;
  error_code?: string;
  ack?: string;
  to?: string | string[];
  payload?: any;
  args?: any;
  metadata?: any;
}

/** A publication as a subscriber receives it. */
export interface BusMessage {
  id: string;
  type: string;
  room: string;
  channel?: string;
  sender?: string;
  payload: any;
  metadata: Record<string, unknown>;
  /** The stream position (`metadata.offset`), for stored channel publications. */
  offset?: number;
  /** The stream's epoch (`metadata.epoch`). */
  epoch?: string;
  timestamp?: string;
}

/** The publication a frame carries, with its position taken from `metadata`. */
export function toMessage(frame: Frame): BusMessage {
  const metadata = frame.metadata ?? {};
  return {
    id: frame.id ?? "", type: frame.type, room: frame.room ?? "", channel: frame.channel, sender: frame.sender,
    payload: frame.payload, metadata, timestamp: frame.timestamp,
    offset: typeof metadata.offset === "number" ? metadata.offset : undefined,
    epoch: typeof metadata.epoch === "string" ? metadata.epoch : undefined,
  };
}

/** A stream position: the last offset seen and its epoch. */
export interface StreamPosition {
  offset: number;
  epoch: string;
}

/** The subset of the WebSocket API the client uses (browser `WebSocket` and the `ws` package both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: any }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: any) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export type ClientState = "idle" | "connecting" | "connected" | "disconnected" | "closed";

export interface DisconnectInfo {
  code: number;
  reason: string;
  /** Whether the client reconnects by itself (the close-code table). */
  reconnect: boolean;
  /** The delay before the next attempt, when it reconnects. */
  delayMs?: number;
}

export interface ClientEvents {
  state: (state: ClientState) => void;
  connecting: (info: { attempt: number }) => void;
  connected: (info: { clientId: string }) => void;
  disconnected: (info: DisconnectInfo) => void;
  closed: (info: { code: number; reason: string }) => void;
  /** Failures that belong to no call: a refused token refresh, an uncorrelated error frame. */
  error: (error: Error) => void;
  /** Publications and private messages no subscription took. */
  message: (message: BusMessage) => void;
}

export interface PublishOptions {
  /** Ask for the store's `ack` (offset, epoch, duplicate) instead of the legacy `message_response`. */
  durable?: boolean;
  /** `metadata.idempotency_key`; generated for durable publishes when not given. */
  idempotencyKey?: string;
  /** Extra `metadata` fields. */
  metadata?: Record<string, unknown>;
  /** Envelope type: `message` (default) or `event`. */
  type?: "message" | "event";
  /** Time allowed between sending and the ack, in ms (default: the client's `publishTimeoutMs`). */
  timeoutMs?: number;
}

export interface PublishResult {
  /** The publication's id. */
  id: string;
  /** Durable publishes: the stored position. */
  offset?: number;
  epoch?: string;
  /** Durable publishes: true when the idempotency key had been stored before (not stored again). */
  duplicate?: boolean;
}
