// Test harness: a real ArqonBus server process from the runnable jar on free loopback ports (bus,
// telemetry, HTTP), real WebSocket clients (ws), headless Chromium, and waits with deadlines.
import { spawn, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../..");
export const dashboardRoot = path.resolve(here, "..");
export const CHROMIUM = process.env.ARQONBUS_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

export function jarPath() {
  const jar = process.env.ARQONBUS_JAR ?? path.join(repoRoot, "arqonbus-cli/target/arqon.jar");
  if (!existsSync(jar)) {
    throw new Error(`No server jar at ${jar}: build it with './mvnw -B -q -DskipTests -pl arqonbus-cli -am package' or set ARQONBUS_JAR`);
  }
  return jar;
}

function javaPath() {
  if (process.env.ARQONBUS_JAVA) return process.env.ARQONBUS_JAVA;
  const home = execFileSync("bash", ["-c", `. "${repoRoot}/.mvn/select-jdk.sh" >/dev/null && printf %s "$JAVA_HOME"`]).toString();
  return path.join(home, "bin", "java");
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves with `condition()` once truthy, or rejects after `timeoutMs`. */
export async function waitFor(condition, { timeoutMs = 20_000, intervalMs = 50, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function portAccepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

/** A server process with bus, telemetry and HTTP ports; `env` adds ARQONBUS_* settings. */
export class BusServer {
  constructor({ env = {} } = {}) {
    this.extraEnv = env;
    this.output = "";
  }

  get busUrl() { return `ws://127.0.0.1:${this.port}/`; }
  get telemetryUrl() { return `ws://127.0.0.1:${this.telemetryPort}/`; }
  get httpUrl() { return `http://127.0.0.1:${this.httpPort}`; }

  async start() {
    [this.port, this.telemetryPort, this.httpPort] = [await freePort(), await freePort(), await freePort()];
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ARQONBUS_")));
    Object.assign(env, {
      ARQONBUS_SERVER_HOST: "127.0.0.1",
      ARQONBUS_SERVER_PORT: String(this.port),
      ARQONBUS_TELEMETRY_PORT: String(this.telemetryPort),
      ARQONBUS_HTTP_PORT: String(this.httpPort),
      ARQONBUS_IO_THREADS: "2",
      ARQONBUS_STATS_INTERVAL_SECONDS: "0",
      ...this.extraEnv,
    });
    const child = spawn(javaPath(), ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
      "--enable-native-access=ALL-UNNAMED", "-jar", jarPath(), "serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
    this.process = child;
    const keep = (chunk) => { this.output = (this.output + chunk).slice(-20_000); };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    let gone;
    this.exited.then((r) => { gone = r; });
    await waitFor(async () => {
      if (gone) throw new Error(`The server exited (${JSON.stringify(gone)}) before listening:\n${this.output}`);
      return await portAccepts(this.httpPort) && await portAccepts(this.port);
    }, { timeoutMs: 60_000, what: "the server's ports" });
    return this;
  }

  async status() {
    return (await fetch(`${this.httpUrl}/status`)).json();
  }

  async stop() {
    if (!this.process) return;
    const child = this.process;
    this.process = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * A bus client over a real WebSocket: identifies with `clientId`/`clientType` in `room:channel`,
 * records every frame, `closed` resolves with the close code and reason.
 */
export class BusClient {
  constructor(server, { clientId, clientType = "app", join }) {
    this.frames = [];
    this.socket = new WebSocket(server.busUrl);
    this.closed = new Promise((resolve) => this.socket.once("close", (code, reason) => resolve({ code, reason: String(reason) })));
    this.socket.on("message", (data) => this.frames.push(JSON.parse(String(data))));
    this.ready = new Promise((resolve, reject) => {
      this.socket.once("error", reject);
      this.socket.once("open", () => {
        this.socket.send(JSON.stringify({ client_id: clientId, client_type: clientType, room: join }));
        resolve(this);
      });
    });
    this.clientId = clientId;
  }

  publish(room, channel, payload) {
    this.socket.send(JSON.stringify({ type: "message", room, channel, payload }));
  }

  close() {
    this.socket.close();
  }
}
