// Every row of the close-code table (docs/protocol.md, "Writing a client") against real servers
// configured so that each close happens: the client reconnects or stops as the table says.
// 1001 and 1006 are exercised in recovery.test.mjs (restart, kill, cut connection), 4003 in
// auth.test.mjs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import WebSocket from "ws";
import { ArqonBusClient, closeRule, closeTable } from "../dist/index.js";
import { BusServer, nextEvent, repoRoot, trackedWebSocket, waitFor } from "./harness.mjs";

const FAST = { minReconnectDelayMs: 50, maxReconnectDelayMs: 400 };
const clients = [];

function client(server, options = {}) {
  const c = new ArqonBusClient(server.url, { WebSocket, ...FAST, ...options });
  clients.push(c);
  return c.connect();
}

after(() => clients.forEach((c) => c.close()));

// The three servers start together (a JVM start takes seconds); each describe uses one.
const servers = {
  limits: new BusServer({ http: true, env: {
      ARQONBUS_RECEIVE_TIMEOUT_SECONDS: "1", ARQONBUS_MAX_MESSAGE_SIZE: "32768", ARQONBUS_MAX_FRAME_SIZE: "65536",
      ARQONBUS_MAX_VIOLATIONS: "2", ARQONBUS_MAX_PENDING_BYTES: "65536",
      // No message_response echoing each payload back: the flooding publisher must not be the slow one.
      ARQONBUS_LEGACY_ACKS: "false",
  } }),
  crowded: new BusServer({ env: {
      ARQONBUS_MAX_CONNECTIONS: "1", ARQONBUS_KEEPALIVE_INTERVAL_SECONDS: "1", ARQONBUS_KEEPALIVE_TIMEOUT_SECONDS: "1",
  } }),
  limited: new BusServer({ env: {
      ARQONBUS_IDLE_TIMEOUT_SECONDS: "1", ARQONBUS_RATE_LIMIT_PER_SECOND: "5", ARQONBUS_RATE_LIMIT_BURST: "5",
      ARQONBUS_RATE_LIMIT_CLOSE_AFTER: "3",
  } }),
};
before(() => Promise.all(Object.values(servers).map((s) => s.start())));
after(() => Promise.all(Object.values(servers).map((s) => s.stop())));

test("the SDK's table is the one docs/protocol.md documents", () => {
  const doc = readFileSync(path.join(repoRoot, "docs/protocol.md"), "utf8");
  const start = doc.search(/^## (\d+\. )?Writing a client$/m);
  assert.ok(start >= 0, "protocol.md has its 'Writing a client' section");
  const section = doc.slice(start);
  const rows = [...section.matchAll(/^\| (\d{4}) \| [^|]* \| \*\*(reconnect|stop|new token)\*\*/gm)]
      .map(([, code, action]) => [Number(code), action === "new token" ? "token" : action]);
  assert.deepEqual(rows, closeTable().map(([code, rule]) => [code, rule.action]));
  assert.equal(closeRule(4999).action, "reconnect", "unknown codes reconnect");
});

describe("frames and limits (receive timeout, frame size, violations, slow consumer)", () => {
  const server = servers.limits;

  test("1000: the client's own close ends it for good", async () => {
    const c = client(server);
    await c.ready();
    const closed = nextEvent(c, "closed");
    c.close();
    assert.equal((await closed).code, 1000);
    assert.equal(c.state, "closed");
    await assert.rejects(c.command("ping"), { code: "CLOSED" });
  });

  test("1002: a protocol error stops the client", async () => {
    const Tracked = trackedWebSocket();
    const c = client(server, { WebSocket: Tracked });
    await c.ready();
    const closed = nextEvent(c, "closed");
    Tracked.last()._socket.write(Buffer.from([0x81, 0x02, 0x68, 0x69])); // an unmasked client frame
    const info = await closed;
    assert.equal(info.code, 1002);
    assert.equal(c.state, "closed");
    assert.equal(Tracked.instances.length, 1, "no reconnect");
  });

  test("1008: a frame not received within the receive timeout stops the client", async () => {
    const Tracked = trackedWebSocket();
    const c = client(server, { WebSocket: Tracked });
    await c.ready();
    const closed = nextEvent(c, "closed");
    // A masked text frame announcing 256 bytes, of which only 4 arrive.
    Tracked.last()._socket.write(Buffer.from([0x81, 0xfe, 0x01, 0x00, 1, 2, 3, 4, 0x61, 0x62, 0x63, 0x64]));
    assert.equal((await closed).code, 1008);
    assert.equal(Tracked.instances.length, 1, "no reconnect");
  });

  test("1009: a frame over the maximum frame size fails its publish and the client reconnects", async () => {
    const c = client(server);
    await c.ready();
    const dropped = nextEvent(c, "disconnected");
    const big = c.publish("limits", "big", { blob: "x".repeat(100_000) });
    await assert.rejects(big, { code: "MESSAGE_TOO_BIG" });
    const info = await dropped;
    assert.equal(info.code, 1009);
    assert.equal(info.reconnect, true);
    await nextEvent(c, "connected");
    assert.equal((await c.publish("limits", "big", { small: true }, { durable: true })).id.startsWith("arq_"), true);
  });

  test("4000: too many protocol violations stop the client", async () => {
    const Tracked = trackedWebSocket();
    const c = client(server, { WebSocket: Tracked });
    await c.ready();
    const closed = nextEvent(c, "closed");
    Tracked.last().send("not json");
    Tracked.last().send("still not json");
    assert.equal((await closed).code, 4000);
    assert.equal(Tracked.instances.length, 1, "no reconnect");
  });

  test("4001: a slow consumer reconnects and rejoins", async () => {
    const Tracked = trackedWebSocket();
    const slow = client(server, { WebSocket: Tracked });
    const subscribed = [];
    slow.subscribe("limits", "flood", { onMessage: () => {}, onSubscribed: (ctx) => subscribed.push(ctx) });
    const publisher = client(server);
    await Promise.all([slow.ready(), publisher.ready()]);
    await waitFor(() => subscribed.length === 1, { what: "the join" });
    const dropped = nextEvent(slow, "disconnected");
    Tracked.last()._socket.pause(); // stop reading: the server's output for it piles up
    // Publish until the server has given up on the stalled reader, then read at once: the close
    // frame queued behind its pending output is written only if it is read within 2 s.
    const chunk = "y".repeat(16_000);
    let sent = 0;
    while (((await server.metric("arqonbus_slow_consumer_disconnects_total")) ?? 0) < 1) {
      assert.ok(sent < 2000, "the stalled reader was never closed");
      await Promise.all(Array.from({ length: 25 }, () => publisher.publish("limits", "flood", { i: sent++, chunk }, { durable: true })));
    }
    Tracked.last()._socket.resume();
    const info = await dropped;
    assert.equal(info.code, 4001);
    assert.equal(info.reconnect, true);
    await waitFor(() => subscribed.length === 2, { what: "the rejoin" });
    assert.equal(subscribed[1].wasRecovering, true);
  });
});

describe("connection limit and keepalive", () => {
  const server = servers.crowded;

  test("1013: try again later reconnects until there is room", async () => {
    const first = client(server);
    await first.ready();
    const second = client(server);
    const info = await nextEvent(second, "disconnected");
    assert.equal(info.code, 1013);
    assert.equal(info.reconnect, true);
    await nextEvent(second, "disconnected"); // still full: it keeps trying
    first.close();
    await second.ready();
    second.close();
  });

  test("1011: a keepalive timeout reconnects", async () => {
    const Tracked = trackedWebSocket();
    const c = client(server, { WebSocket: Tracked });
    await c.ready();
    const dropped = nextEvent(c, "disconnected");
    Tracked.last()._socket.pause(); // no pong: the server gives up after interval + timeout (2 s)
    await new Promise((r) => setTimeout(r, 3000)); // hold the socket unread past that on purpose
    Tracked.last()._socket.resume();
    const info = await dropped;
    assert.equal(info.code, 1011);
    assert.equal(info.reconnect, true);
    await nextEvent(c, "connected");
    c.close();
  });
});

describe("rate limit and idle timeout", () => {
  const server = servers.limited;

  test("4002: a repeatedly rate-limited client reconnects; its unanswered publishes fail", async () => {
    const c = client(server);
    await c.ready();
    const errors = [];
    c.on("error", (e) => errors.push(e.code));
    const dropped = nextEvent(c, "disconnected");
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => c.publish("limits", "rate", { i })));
    const info = await dropped;
    assert.equal(info.code, 4002);
    assert.equal(info.reconnect, true);
    assert.ok(errors.includes("RATE_LIMITED"));
    const failed = results.filter((r) => r.status === "rejected").map((r) => r.reason.code);
    assert.ok(failed.length > 0 && failed.every((code) => code === "DISCONNECTED" || code === "RATE_LIMITED"), failed.join());
    await nextEvent(c, "connected");
  });

  test("4004: an idle connection is closed and the client reconnects", async () => {
    const c = client(server);
    await c.ready();
    const info = await nextEvent(c, "disconnected");
    assert.equal(info.code, 4004);
    assert.equal(info.reconnect, true);
    await nextEvent(c, "connected");
  });
});
