// The client's keep-alive against a real server process: a server frozen with SIGSTOP (the TCP
// connection stays open, nothing answers) is noticed within interval + timeout (plus slack for a
// loaded machine); after SIGCONT the client reconnects by itself and recovers by position what it
// missed. A healthy idle connection, where only the keep-alive's pings and their replies cross
// (the server's own keep-alive off), stays open over many intervals.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { ArqonBusClient } from "../dist/index.js";
import { BusServer, gate, nextEvent, waitFor } from "./harness.mjs";

const FAST = { minReconnectDelayMs: 50, maxReconnectDelayMs: 400 };
const INTERVAL_MS = 1000;
const TIMEOUT_MS = 1000;
/** interval + timeout, plus slack for a busy two-core machine. */
const DETECTION_BOUND_MS = INTERVAL_MS + TIMEOUT_MS + 5000;
let server;
const clients = [];

function client(options = {}) {
  const c = new ArqonBusClient(server.url, { WebSocket, ...FAST, ...options });
  clients.push(c);
  return c.connect();
}

before(async () => {
  // The server's own keep-alive off: only the client's keep-alive is at work.
  server = await new BusServer({ env: { ARQONBUS_KEEPALIVE_INTERVAL_SECONDS: "0" } }).start();
});

after(async () => {
  clients.forEach((c) => c.close());
  await server.dispose();
});

test("a frozen server is noticed within interval + timeout; after SIGCONT the client recovers what it missed", async () => {
  const held = gate();
  const received = [];
  const subscribed = [];
  const subscriber = client({
    getToken: async () => { await held.wait(); return null; },
    keepAliveIntervalMs: INTERVAL_MS, keepAliveTimeoutMs: TIMEOUT_MS,
  });
  subscriber.subscribe("tska", "feed", {
    onMessage: (m) => received.push(m.payload.n),
    onSubscribed: (ctx) => subscribed.push(ctx),
  });
  const publisher = client({ keepAlive: false, commandTimeoutMs: 30_000, publishTimeoutMs: 30_000 });
  await Promise.all([subscriber.ready(), publisher.ready()]);
  await waitFor(() => subscribed.length === 1, { what: "the first join" });
  for (let n = 1; n <= 3; n++) await publisher.publish("tska", "feed", { n }, { durable: true });
  await waitFor(() => received.length === 3, { what: "three live messages" });

  held.close(); // the reconnect waits until the missed publications are stored
  const dropped = nextEvent(subscriber, "disconnected", () => true, DETECTION_BOUND_MS + 10_000);
  await server.pause();
  const frozenAt = Date.now();
  let info;
  try {
    info = await dropped;
  } finally {
    server.resume();
  }
  const detectedMs = Date.now() - frozenAt;
  assert.equal(info.code, 1006);
  assert.match(info.reason, /^keep-alive timeout/);
  assert.equal(info.reconnect, true);
  assert.ok(detectedMs <= DETECTION_BOUND_MS, `detected after ${detectedMs} ms (bound ${DETECTION_BOUND_MS} ms)`);

  const acks = [];
  for (let n = 4; n <= 6; n++) acks.push(await publisher.publish("tska", "feed", { n }, { durable: true }));
  assert.deepEqual(acks.map((a) => a.offset), [4, 5, 6]);
  assert.deepEqual(received, [1, 2, 3]);
  held.open();
  await waitFor(() => subscribed.length === 2, { timeoutMs: 30_000, what: "the rejoin" });
  assert.equal(subscribed[1].wasRecovering, true);
  assert.equal(subscribed[1].recovered, true);
  assert.equal(subscribed[1].missed, 3);
  await waitFor(() => received.length === 6, { what: "the recovered messages" });
  await publisher.publish("tska", "feed", { n: 7 }, { durable: true });
  await waitFor(() => received.length === 7, { what: "a live message after the recovery" });
  assert.deepEqual(received, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(subscriber.state, "connected");
  console.log(`event=fault_test kind=ts_client_keepalive keepalive_interval_ms=${INTERVAL_MS}`
      + ` keepalive_timeout_ms=${TIMEOUT_MS} detected_ms=${detectedMs} reason="${info.reason}" recovered=3`);
});

test("a healthy idle connection stays open over many keep-alive intervals", async () => {
  const events = [];
  // Were the ping's reply not taken as life, the client would drop the connection after 2.3 s.
  const c = client({ keepAliveIntervalMs: 300, keepAliveTimeoutMs: 2000 });
  c.on("state", (s) => events.push(s));
  await c.ready();
  const watchedUntil = Date.now() + 5000;
  await waitFor(() => {
    assert.equal(c.state, "connected", "the idle connection was dropped");
    return Date.now() >= watchedUntil;
  }, { timeoutMs: 8000, intervalMs: 100, what: "five seconds of an idle connection" });
  assert.deepEqual(events, ["connected"]);
  c.close();
});

test("a keep-alive option that is not a positive number of ms is refused with its name", () => {
  assert.throws(() => new ArqonBusClient(server.url, { WebSocket, keepAliveIntervalMs: 0 }),
      { code: "INVALID_OPTION", message: "keepAliveIntervalMs: 0 (expected: a number of ms > 0)" });
  assert.throws(() => new ArqonBusClient(server.url, { WebSocket, keepAliveTimeoutMs: Number.NaN }),
      { code: "INVALID_OPTION", message: "keepAliveTimeoutMs: NaN (expected: a number of ms > 0)" });
});
