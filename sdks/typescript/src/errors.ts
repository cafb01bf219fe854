/**
 * Every failure the SDK reports is an ArqonBusError: a stable `code` to branch on and a human
 * sentence in `message`. Server refusals keep the server's `error_code` (VALIDATION_ERROR,
 * STORAGE_UNAVAILABLE, AUTHORIZATION_ERROR, …); the SDK's own codes are listed in ClientErrorCode.
 */
export type ClientErrorCode =
  /** publish/command while the outbox already holds `maxOutbox` items */
  | "OUTBOX_FULL"
  /** the connection dropped while the command waited for its reply */
  | "DISCONNECTED"
  /** the client was closed (by `close()` or a close code that stops it) */
  | "CLOSED"
  /** no reply or ack within the timeout */
  | "TIMEOUT"
  /** the server closed the connection because a frame of ours was too large (1009) */
  | "MESSAGE_TOO_BIG"
  /** a subscription was unsubscribed while its join was pending */
  | "UNSUBSCRIBED"
  /** the constructor was given an option out of range (e.g. `keepAliveIntervalMs: 0`) */
  | "INVALID_OPTION";

export class ArqonBusError extends Error {
  /** The SDK's code (ClientErrorCode) or the server's `error_code`. */
  readonly code: string;
  /** The server's `payload.data` or `payload` for server errors, when there is one. */
  readonly data: unknown;

  constructor(code: string, message: string, data?: unknown) {
    super(message);
    this.name = "ArqonBusError";
    this.code = code;
    this.data = data;
  }
}
