// The live tail: the telemetry WebSocket (protocol §9), with the dashboard's credential as the
// `token` query parameter (needed when the server runs with ARQONBUS_TELEMETRY_AUTH=true).

export interface TelemetryEvent {
  event_type?: string;
  type?: string;
  timestamp?: string;
  data?: Record<string, unknown>;
}

export class Telemetry {
  private socket: WebSocket | undefined;
  private closed = false;
  private delay = 500;

  constructor(private readonly endpoint: string, private readonly credential: string | null,
    private readonly onEvent: (event: TelemetryEvent) => void, private readonly onState: (state: string) => void) {
    this.open();
  }

  private url(): string {
    const url = new URL(this.endpoint);
    if (url.hostname === "0.0.0.0" || url.hostname === "[::]") url.hostname = location.hostname;
    if (location.protocol === "https:") url.protocol = "wss:";
    if (this.credential) url.searchParams.set("token", this.credential);
    return url.toString();
  }

  private open(): void {
    if (this.closed) return;
    const socket = new WebSocket(this.url());
    this.socket = socket;
    socket.onopen = () => { this.delay = 500; this.onState("live"); };
    socket.onmessage = (message) => {
      try { this.onEvent(JSON.parse(String(message.data)) as TelemetryEvent); } catch { /* not JSON: ignored */ }
    };
    socket.onclose = (close) => {
      if (this.closed) return;
      this.onState(`disconnected (${close.code}${close.reason ? " " + close.reason : ""}); retrying`);
      setTimeout(() => this.open(), this.delay);
      this.delay = Math.min(this.delay * 2, 10_000);
    };
  }

  close(): void {
    this.closed = true;
    this.socket?.close(1000, "dashboard closed");
  }
}
