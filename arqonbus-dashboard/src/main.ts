// The ArqonBus dashboard: polls /api/info, /api/channels, /status and /metrics once a second, plots
// publish and delivery rates with uPlot, tails the telemetry WebSocket, and runs the admin actions
// through /api/. With auth on it asks for an admin token or API key first and shows nothing without one.
import uPlot from "uplot";
import { Api, ApiError } from "./api";
import { byLabel, parseMetrics, total } from "./prometheus";
import { Telemetry, type TelemetryEvent } from "./telemetry";

interface Info {
  scope?: string;
  nodes: Array<{
    name: string; status: string; version: string;
    connections: { active: number; websocket: number; telemetry: number; by_type: Record<string, number> };
    rooms: number; channels: number;
    messages: { published: number; received: number; delivered: number };
    storage: { backend: string; history_size: number };
  }>;
}
interface Channel { room: string; channel: string; members: number; rate_per_second: number; last_offset: number; type: string; private: boolean }
interface Status { endpoints: { telemetry: string | null }; storage: { history_bytes: number } }

const POLL_MS = 1000;
const WINDOW_SECONDS = 300;
const TAIL_MAX = 200;

const api = new Api();
const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => document.querySelector(selector) as T;

function stat(name: string, value: string | number): void {
  document.querySelectorAll<HTMLElement>(`[data-stat="${name}"]`).forEach((el) => { el.textContent = String(value); });
}

function rows(table: string, cells: Array<Array<string | number | HTMLElement>>): void {
  const body = $(`${table} tbody`);
  body.replaceChildren(...cells.map((row) => {
    const tr = document.createElement("tr");
    for (const cell of row) {
      const td = document.createElement("td");
      if (cell instanceof HTMLElement) td.append(cell);
      else td.textContent = String(cell);
      tr.append(td);
    }
    return tr;
  }));
}

function showLogin(message: string): void {
  stopLive();
  $("#app").hidden = true;
  $("#login").hidden = false;
  $("#logout").hidden = true;
  $("#login-error").textContent = message;
}

// ---- the rate plot ----------------------------------------------------------------------------
const series: [number[], number[], number[]] = [[], [], []];
let plot: uPlot | undefined;
let last: { at: number; published: number; delivered: number } | undefined;

function makePlot(): uPlot {
  const el = $("#plot");
  return new uPlot({
    width: Math.max(320, el.clientWidth - 10),
    height: 220,
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
    series: [{}, { label: "published/s", stroke: "#2f6fde", width: 2 }, { label: "delivered/s", stroke: "#1b9e5a", width: 2 }],
    axes: [{}, { label: "messages/s" }],
  }, series, el);
}

function sampleRates(published: number, delivered: number): void {
  const at = Date.now() / 1000;
  if (last && at > last.at) {
    const seconds = at - last.at;
    const pub = Math.max(0, (published - last.published) / seconds);
    const del = Math.max(0, (delivered - last.delivered) / seconds);
    series[0].push(at); series[1].push(pub); series[2].push(del);
    while (series[0].length > 0 && series[0][0] < at - WINDOW_SECONDS) series.forEach((s) => s.shift());
    stat("publish-rate", pub.toFixed(1));
    stat("delivery-rate", del.toFixed(1));
    plot?.setData(series);
    const el = $("#plot");
    el.dataset.points = String(series[0].length);
    el.dataset.maxPublishRate = Math.max(0, ...series[1]).toFixed(1);
  }
  last = { at, published, delivered };
}

// ---- polling ------------------------------------------------------------------------------------
let timer: number | undefined;
let telemetry: Telemetry | undefined;

async function refresh(): Promise<void> {
  const [info, channels, status, metricsText] = await Promise.all([
    api.get<Info>("/api/info"),
    api.get<{ channels: Channel[] }>("/api/channels"),
    api.get<Status>("/status"),
    api.text("/metrics"),
  ]);
  const node = info.nodes[0];
  stat("connections", node.connections.active);
  stat("websocket", node.connections.websocket);
  stat("telemetry", node.connections.telemetry);
  stat("rooms", node.rooms);
  stat("channels", node.channels);
  stat("published", node.messages.published);
  stat("delivered", node.messages.delivered);
  stat("nodes", info.nodes.length);
  stat("node-status", info.nodes.map((n) => `${n.name} ${n.status}`).join(", "));
  $("#node").textContent = `${node.name} · ${node.version} · ${node.status}`;
  rows("#by-type", Object.entries(node.connections.by_type).sort((a, b) => b[1] - a[1]));
  sampleRates(node.messages.published, node.messages.delivered);

  const list = channels.channels;
  rows("#channels", list.map((c) => [c.room, c.channel, c.members, c.rate_per_second.toFixed(1), c.last_offset,
    c.private ? `${c.type} (private)` : c.type, inspectButton(c.room, c.channel)]));
  rows("#top-channels", [...list].sort((a, b) => b.rate_per_second - a.rate_per_second || b.members - a.members)
    .slice(0, 8).map((c) => [`${c.room}:${c.channel}`, c.rate_per_second.toFixed(1), c.members]));

  const metrics = parseMetrics(metricsText);
  const decisions = byLabel(metrics, "arqonbus_casil_decisions_total", "decision");
  stat("casil-block", decisions.get("block") ?? 0);
  stat("casil-redact", decisions.get("redact") ?? 0);
  stat("casil-flags", decisions.get("allow_with_flags") ?? 0);
  stat("casil-allow", decisions.get("allow") ?? 0);
  stat("slow-closes", total(metrics, "arqonbus_slow_consumer_disconnects_total"));
  stat("slow-drops", total(metrics, "arqonbus_slow_consumer_drops_total"));
  stat("rate-limited", total(metrics, "arqonbus_errors_total", { code: "RATE_LIMITED" }));
  stat("limit-closes", total(metrics, "arqonbus_limit_closes_total"));
  stat("store-backend", node.storage.backend);
  const available = metrics.find((m) => m.name === "arqonbus_storage_available");
  stat("store-available", available === undefined ? "unknown" : available.value > 0 ? "yes" : "NO (history in memory)");
  stat("history-size", node.storage.history_size);
  stat("history-bytes", status.storage.history_bytes);
  stat("append-failures", total(metrics, "arqonbus_store_append_failures_total"));
  $("#refreshed").textContent = `updated ${new Date().toLocaleTimeString()}`;

  if (!telemetry && status.endpoints.telemetry) {
    telemetry = new Telemetry(status.endpoints.telemetry, api.credential, onTelemetry, (state) => {
      $("#tail-state").textContent = state;
    });
  }
}

function schedule(): void {
  timer = window.setTimeout(async () => {
    try {
      await refresh();
      schedule();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) showLogin(e.message);
      else { $("#refreshed").textContent = `refresh failed: ${(e as Error).message}`; schedule(); }
    }
  }, POLL_MS);
}

function stopLive(): void {
  if (timer !== undefined) window.clearTimeout(timer);
  timer = undefined;
  telemetry?.close();
  telemetry = undefined;
}

// ---- telemetry tail -----------------------------------------------------------------------------
function describe(event: TelemetryEvent): string {
  const data = event.data ?? {};
  if (event.event_type === "casil_decision") {
    // Never the payload: only what was decided, why and where.
    const { decision, reason_code, room, channel, client_id, flags } = data as Record<string, unknown>;
    return JSON.stringify({ decision, reason_code, room, channel, client_id, flags });
  }
  return JSON.stringify(data);
}

function onTelemetry(event: TelemetryEvent): void {
  const item = document.createElement("li");
  const time = event.timestamp ? event.timestamp.slice(11, 19) : "";
  item.textContent = `${time} ${event.event_type ?? event.type ?? "?"} ${describe(event)}`;
  item.dataset.type = event.event_type ?? event.type ?? "";
  applyFilter(item);
  const tail = $("#tail");
  tail.prepend(item);
  while (tail.children.length > TAIL_MAX) tail.lastElementChild?.remove();
  if (event.event_type === "casil_decision") {
    const recent = $("#casil-recent");
    const copy = item.cloneNode(true) as HTMLElement;
    copy.hidden = false;
    recent.prepend(copy);
    while (recent.children.length > 50) recent.lastElementChild?.remove();
  }
}

function applyFilter(item: HTMLElement): void {
  const filter = $<HTMLInputElement>("#tail-filter").value.trim().toLowerCase();
  item.hidden = filter !== "" && !(item.textContent ?? "").toLowerCase().includes(filter);
}

// ---- actions ------------------------------------------------------------------------------------
function result(text: string, ok: boolean): void {
  const el = $("#action-result");
  el.textContent = text;
  el.className = ok ? "ok" : "error";
}

async function act(what: string, run: () => Promise<string>): Promise<void> {
  try {
    result(`${what}: ${await run()}`, true);
  } catch (e) {
    const code = e instanceof ApiError ? ` (${e.code})` : "";
    result(`${what} failed${code}: ${(e as Error).message}`, false);
  }
}

function inspectButton(room: string, channel: string): HTMLElement {
  const button = document.createElement("button");
  button.textContent = "inspect";
  button.addEventListener("click", () => void inspect(room, channel));
  return button;
}

async function inspect(room: string, channel: string): Promise<void> {
  await act(`Inspect ${room}:${channel}`, async () => {
    const q = new URLSearchParams({ room, channel, limit: "20" });
    const answer = await api.get<{ history: Array<Record<string, unknown>>; count: number }>(`/api/history?${q}`);
    rows("#inspect", answer.history.map((m) => {
      const position = (m.metadata ?? {}) as { offset?: number; epoch?: string };
      return [String(position.offset ?? ""), String(m.message_id ?? ""), String(m.sender ?? ""), String(m.timestamp ?? ""),
        JSON.stringify(m.payload ?? null)];
    }));
    return `${answer.count} recent messages`;
  });
}

function formValues(form: HTMLFormElement): Record<string, string> {
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
}

function wireActions(): void {
  $("#inspect-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    void inspect(v.room, v.channel);
  });
  $("#publish-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    void act("Publish", async () => {
      let payload: unknown;
      try { payload = JSON.parse(v.payload); } catch { payload = v.payload; }
      const answer = await api.call<{ id: string; offset: number }>("POST", "/api/publish",
        { room: v.room, channel: v.channel, payload });
      return `published ${answer.id} at offset ${answer.offset}`;
    });
  });
  $("#disconnect-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    void act("Disconnect", async () => {
      const answer = await api.call<{ disconnected: number }>("POST", "/api/disconnect",
        { client_id: v.client_id, reason: v.reason || "disconnected from the dashboard" });
      return `${answer.disconnected} connection(s) closed`;
    });
  });
  $("#casil-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void act("Reload CASIL", async () => {
      await api.call("POST", "/api/casil/reload", {});
      return "policy reloaded";
    });
  });
  $("#tail-filter").addEventListener("input", () => {
    document.querySelectorAll<HTMLElement>("#tail li").forEach(applyFilter);
  });
  $("#login-form").addEventListener("submit", (e) => {
    e.preventDefault();
    api.remember($<HTMLInputElement>("#credential").value.trim());
    void start();
  });
  $("#logout").addEventListener("click", () => {
    api.remember(null);
    showLogin("");
  });
}

// ---- start --------------------------------------------------------------------------------------
async function start(): Promise<void> {
  try {
    const info = await api.get<Info>("/api/info");
    if (api.credential && info.scope && info.scope !== "admin") {
      api.remember(null);
      showLogin(`This credential has scope '${info.scope}'; the dashboard needs an admin token or an API key of scope admin.`);
      return;
    }
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      const hadCredential = api.credential !== null;
      api.remember(null);
      // No credential yet: just the form; a refused one: the server's sentence.
      showLogin(hadCredential || e.status === 403 ? e.message : "");
      return;
    }
    showLogin(`The server could not be read: ${(e as Error).message}`);
    return;
  }
  $("#login").hidden = true;
  $("#app").hidden = false;
  $("#logout").hidden = api.credential === null;
  plot ??= makePlot();
  try { await refresh(); } catch (e) { $("#refreshed").textContent = `refresh failed: ${(e as Error).message}`; }
  schedule();
}

wireActions();
void start();
