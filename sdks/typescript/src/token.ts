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
