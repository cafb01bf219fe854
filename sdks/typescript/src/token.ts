import { ArqonBusError } from "./errors.js";

/** The `exp` claim of a JWT in ms since the epoch, or undefined (no exp, not a JWT). Not verified. */
export function tokenExpiryMs(token: string): number | undefined {
  const part = token.split(".")[1];
  if (!part) return undefined;
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const json = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), "=")));
    return typeof json.exp === "number" ? json.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When to refresh a token that expires in `remainingMs`: a fifth of its remaining life before
 * expiry, at most a minute before (so a one-hour token is refreshed at 59 minutes, a 5-second
 * token after 4 seconds).
 */
export function refreshDelayMs(remainingMs: number): number {
  return Math.max(0, remainingMs - Math.min(60_000, remainingMs / 5));
}

/**
 * Sends `refresh` with a new token before the current one expires, again for each new token.
 * A failure (getToken threw, the server refused) is reported and not retried: the server's 4003
 * close follows and the client reconnects with a new token.
 */
export class TokenRefresher {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly getToken: () => Promise<string | undefined>,
    /** Sends the refresh; false when there is no connection to refresh. */
    private readonly send: (token: string) => Promise<boolean>,
    private readonly report: (error: Error) => void,
  ) {}

  /** Plans the refresh of `token` (nothing for a token without `exp`). */
  schedule(token: string): void {
    this.cancel();
    const expiry = tokenExpiryMs(token);
    if (expiry === undefined) return;
    this.timer = setTimeout(() => void this.refresh(), refreshDelayMs(expiry - Date.now()));
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async refresh(): Promise<void> {
    let token: string | undefined;
    try {
      token = await this.getToken();
    } catch (error) {
      this.report(new ArqonBusError("TOKEN_UNAVAILABLE", `getToken failed: ${String(error)}`));
      return;
    }
    if (!token) return;
    try {
      if (await this.send(token)) this.schedule(token);
    } catch (error) {
      this.report(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
