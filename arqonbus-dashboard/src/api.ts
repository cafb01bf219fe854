// Calls to the server's HTTP port with the credential the user gave (an admin token or API key).

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const TOKEN_KEY = "arqonbus.dashboard.credential";

export class Api {
  credential: string | null = sessionStorage.getItem(TOKEN_KEY);

  remember(credential: string | null): void {
    this.credential = credential;
    if (credential) sessionStorage.setItem(TOKEN_KEY, credential);
    else sessionStorage.removeItem(TOKEN_KEY);
  }

  private headers(json: boolean): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.credential) headers["Authorization"] = `Bearer ${this.credential}`;
    if (json) headers["Content-Type"] = "application/json";
    return headers;
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } | string; details?: string }) ?? {};
      const inner = typeof error.error === "object" ? error.error : undefined;
      throw new ApiError(response.status, inner?.code ?? String(error.error ?? response.status),
        inner?.message ?? error.details ?? `${method} ${path} answered ${response.status}`);
    }
    return parsed as T;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  async text(path: string): Promise<string> {
    const response = await fetch(path, { headers: this.headers(false), cache: "no-store" });
    if (!response.ok) throw new ApiError(response.status, String(response.status), `GET ${path} answered ${response.status}`);
    return response.text();
  }
}
