// Test harness: real ArqonBus server processes from the runnable jar, free loopback ports,
// HS256 tokens, and waits with deadlines (never a bare sleep standing in for synchronisation).
import { spawn, execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../..");
export const sdkRoot = path.resolve(here, "..");

/** The runnable jar: ARQONBUS_JAR, else arqonbus-cli/target/arqon.jar (built by `./arqon` or Maven). */
export function jarPath() {
  const jar = process.env.ARQONBUS_JAR ?? path.join(repoRoot, "arqonbus-cli/target/arqon.jar");
  if (!existsSync(jar)) {
    throw new Error(`No server jar at ${jar}: build it with './mvnw -B -q -DskipTests -pl arqonbus-cli -am package' or set ARQONBUS_JAR`);
  }
  return jar;
}

let javaCache;
/** A java >= 21: ARQONBUS_JAVA, else the JDK the repository's .mvn/select-jdk.sh picks. */
export function javaPath() {
  if (process.env.ARQONBUS_JAVA) return process.env.ARQONBUS_JAVA;
  if (!javaCache) {
    const home = execFileSync("bash", ["-c", `. "${repoRoot}/.mvn/select-jdk.sh" >/dev/null && printf %s "$JAVA_HOME"`]).toString();
    javaCache = path.join(home, "bin", "java");
  }
  return javaCache;
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

/** Resolves when `condition()` is truthy (returning it), or rejects after `timeoutMs`. */
export async function waitFor(condition, { timeoutMs = 15_000, intervalMs = 20, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves with the first event `event` of `emitter` matching `predicate`, within `timeoutMs`. */
export function nextEvent(client, event, predicate = () => true, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`No '${event}' event within ${timeoutMs} ms`)); }, timeoutMs);
    const off = client.on(event, (info) => {
      if (!predicate(info)) return;
      clearTimeout(timer);
      off();
      resolve(info);
    });
  });
}

function portAccepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("error", () => resolve(false));
  });
}

/**
 * A server process on a fixed loopback port (so clients reconnect to the same address after a
 * restart). `env` adds ARQONBUS_* settings; `store: true` gives it a file store directory that
 * survives restarts of this handle.
 */
export class BusServer {
  constructor({ env = {}, store = false, http = false } = {}) {
    this.extraEnv = env;
    this.http = http;
    this.storeDir = store ? mkdtempSync(path.join(tmpdir(), "arqonbus-ts-store-")) : undefined;
    this.process = undefined;
    this.output = "";
  }

  get url() {
    return `ws://127.0.0.1:${this.port}/`;
  }

  async start() {
    if (this.port === undefined) this.port = await freePort();
    if (this.http && this.httpPort === undefined) this.httpPort = await freePort();
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ARQONBUS_")));
    Object.assign(env, {
      ARQONBUS_SERVER_HOST: "127.0.0.1",
      ARQONBUS_SERVER_PORT: String(this.port),
      ARQONBUS_TELEMETRY_PORT: "-1",
      ARQONBUS_HTTP_PORT: this.http ? String(this.httpPort) : "-1",
      ARQONBUS_IO_THREADS: "2",
      ARQONBUS_STATS_INTERVAL_SECONDS: "0",
      ...(this.storeDir ? { ARQONBUS_STORE: `file:${this.storeDir}`, ARQONBUS_STORE_SYNC: "none" } : {}),
      ...this.extraEnv,
    });
    const child = spawn(javaPath(), ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
      "--enable-native-access=ALL-UNNAMED", "-jar", jarPath(), "serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
    this.process = child;
    this.output = "";
    const keep = (chunk) => { this.output = (this.output + chunk).slice(-20_000); };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    this.exited = exited;
    let gone;
    exited.then((r) => { gone = r; });
    await waitFor(async () => {
      if (gone) throw new Error(`The server exited (${JSON.stringify(gone)}) before listening:\n${this.output}`);
      return portAccepts(this.port);
    }, { timeoutMs: 60_000, intervalMs: 50, what: `the server on port ${this.port}` });
    return this;
  }

  /** The value of a counter or gauge on the HTTP port's /metrics (the server needs `http: true`). */
  async metric(name) {
    const text = await (await fetch(`http://127.0.0.1:${this.httpPort}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
  }

  /** SIGTERM: the server closes every client with 1001 and exits. */
  async stop() {
    if (!this.process) return;
    const child = this.process;
    this.process = undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL: the connections end without a close frame (1006 at the clients). */
  async kill() {
    if (!this.process) return;
    const child = this.process;
    this.process = undefined;
    child.kill("SIGKILL");
    await this.exited;
  }

  /** SIGSTOP / SIGCONT: the server stops reading (frames sent meanwhile wait in the kernel). */
  async pause() {
    const pid = this.process.pid;
    this.process.kill("SIGSTOP");
    // SIGSTOP reaches each thread on its own: wait until every thread of the JVM is stopped.
    await waitFor(() => readdirSync(`/proc/${pid}/task`).every((task) => {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, "utf8");
        return /^[Tt]$/.test(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
      } catch {
        return true; // the thread ended
      }
    }), { timeoutMs: 10_000, what: `server ${pid} stopped` });
  }

  resume() { this.process.kill("SIGCONT"); }

  async restart() {
    await this.stop();
    await this.start();
  }

  async dispose() {
    await this.stop();
    if (this.storeDir) rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/** A `ws` WebSocket class that remembers its instances, so a test can cut or stall a connection. */
export function trackedWebSocket() {
  const instances = [];
  class Tracked extends WebSocket {
    constructor(url, ...rest) {
      super(url, ...rest);
      instances.push(this);
    }
  }
  Tracked.instances = instances;
  Tracked.last = () => instances[instances.length - 1];
  return Tracked;
}

/** An HS256 JWT (the server's default algorithm) for the tests' secret. */
export function hs256(secret, claims) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64(claims)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

/** A gate: `wait()` resolves once `open()` was called (closed again by `close()`). */
export function gate(initiallyOpen = true) {
  let open = initiallyOpen;
  let waiters = [];
  return {
    wait: () => (open ? Promise.resolve() : new Promise((r) => waiters.push(r))),
    open: () => { open = true; waiters.forEach((r) => r()); waiters = []; },
    close: () => { open = false; },
  };
}
