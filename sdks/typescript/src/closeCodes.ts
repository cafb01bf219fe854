/**
 * The close-code table (docs/protocol.md, "Writing a client"): what the client does when the
 * connection ends with each code. `reconnect`: reconnect with backoff (and recover every
 * subscription); `stop`: go to `closed` and stay there; `token`: ask `getToken` for a new token
 * and reconnect, or stop when there is no `getToken`.
 */
export type CloseAction = "reconnect" | "stop" | "token";

export interface CloseRule {
  readonly action: CloseAction;
  readonly meaning: string;
}

const RULES: Readonly<Record<number, CloseRule>> = {
  1000: { action: "reconnect", meaning: "normal close the client did not ask for" },
  1001: { action: "reconnect", meaning: "server shutting down (restart or redeploy)" },
  1002: { action: "stop", meaning: "protocol error: the client broke RFC 6455; reconnecting would repeat it" },
  1006: { action: "reconnect", meaning: "connection lost without a close frame (also a refused handshake in browsers)" },
  1008: { action: "stop", meaning: "policy violation (a message not received within the receive timeout)" },
  1009: { action: "reconnect", meaning: "a frame of ours was larger than the server accepts; it is failed, not resent" },
  1011: { action: "reconnect", meaning: "keepalive ping timeout or server error" },
  1013: { action: "reconnect", meaning: "try again later (connection limit, server busy or out of memory)" },
  4000: { action: "stop", meaning: "too many protocol violations" },
  4001: { action: "reconnect", meaning: "slow consumer: the client read too slowly; recovery fills the gap" },
  4002: { action: "reconnect", meaning: "rate limit exceeded repeatedly" },
  4003: { action: "token", meaning: "token expired without a refresh" },
  4004: { action: "reconnect", meaning: "idle timeout" },
};

const UNKNOWN: CloseRule = { action: "reconnect", meaning: "unknown close code" };

/** The rule for a close code; unknown codes reconnect. */
export function closeRule(code: number): CloseRule {
  return RULES[code] ?? UNKNOWN;
}

/** The whole table, for documentation and tests. */
export function closeTable(): ReadonlyArray<readonly [number, CloseRule]> {
  return Object.entries(RULES).map(([code, rule]) => [Number(code), rule] as const);
}
