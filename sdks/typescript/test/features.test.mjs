// The bounded outbox, commands failing on a drop, timeouts, filtered subscriptions, presence,
// typing and unsubscribe, against a real server (in-memory store); the backoff's arithmetic.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { ArqonBusClient, Backoff } from "../dist/index.js";
import { BusServer, freePort, nextEvent, trackedWebSocket, waitFor } from "./harness.mjs";

const FAST = { minReconnectDelayMs: 50, maxReconnectDelayMs: 200 };
const server = new BusServer();
const clients = [];

function client(options = {}) {
  const c = new ArqonBusClient(server.url, { WebSocket, ...FAST, ...options });
  clients.push(c);
  return c.connect();
}

before(async () => {
  server.port = await freePort(); // clients may point at it before the server runs
});

after(async () => {
  clients.forEach((c) => c.close());
  await server.stop();
});

test("backoff: full jitter below an exponential window with a ceiling, reset after a connection", () => {
  const top = new Backoff({ minDelayMs: 100, maxDelayMs: 1000 }, () => 1);
  assert.deepEqual(Array.from({ length: 6 }, () => top.next()), [100, 200, 400, 800, 1000, 1000]);
  top.reset();
  assert.equal(top.next(), 100);
  const bottom = new Backoff({ minDelayMs: 100, maxDelayMs: 1000 }, () => 0);
  assert.equal(bottom.next(), 0);
  const any = new Backoff({ minDelayMs: 100, maxDelayMs: 1000 });
  for (let i = 0; i < 50; i++) {
    const d = any.next();
    assert.ok(d >= 0 && d <= 1000, String(d));
  }
});

test("while disconnected the outbox holds up to maxOutbox requests; one more fails at once", async () => {
  const c = client({ maxOutbox: 3 });
  await nextEvent(c, "disconnected"); // nothing listens yet
  const queued = [c.publish("feat", "outbox", { n: 1 }), c.publish("feat", "outbox", { n: 2 }, { durable: true }),
    c.command("ping", {}, { timeoutMs: 60_000 })]; // a command's timeout counts its time in the outbox
  await assert.rejects(c.publish("feat", "outbox", { n: 4 }), (error) => {
    assert.equal(error.code, "OUTBOX_FULL");
    assert.match(error.message, /outbox is full: 3 requests/);
    return true;
  });
  await server.start();
  const [first, second, pong] = await Promise.all(queued);
  assert.ok(first.id);
  assert.equal(second.offset, 2, "sent in order once connected");
  assert.equal(pong.pong, true);
});

test("a command waiting for its reply fails at once when the connection drops", async () => {
  const Tracked = trackedWebSocket();
  const c = client({ WebSocket: Tracked });
  await c.ready();
  await server.pause();
  try {
    const pending = c.command("status", {}, { timeoutMs: 30_000 });
    const started = Date.now();
    Tracked.last().terminate();
    await assert.rejects(pending, (error) => {
      assert.equal(error.code, "DISCONNECTED");
      assert.match(error.message, /dropped \(1006.*before the reply to 'status'/);
      return true;
    });
    assert.ok(Date.now() - started < 5000, "not a timeout");
  } finally {
    server.resume();
  }
  await c.ready();
});

test("a command without a reply within its timeout fails with TIMEOUT", async () => {
  const c = client();
  await c.ready();
  await server.pause();
  try {
    await assert.rejects(c.command("ping", {}, { timeoutMs: 300 }), { code: "TIMEOUT" });
  } finally {
    server.resume();
  }
});

test("a filtered subscription receives what its filter matches", async () => {
  const listener = client();
  const got = [];
  const filter = listener.subscribeFilter({ room: "feat", channel: "alerts-*" }, { onMessage: (m) => got.push(m.channel) });
  const publisher = client();
  await Promise.all([listener.ready(), publisher.ready()]);
  await waitFor(() => filter.subscriberId, { what: "the subscriber id" });
  await publisher.publish("feat", "other", { x: 1 });
  await publisher.publish("feat", "alerts-cpu", { x: 2 });
  await waitFor(() => got.length === 1, { what: "the matching publication" });
  assert.deepEqual(got, ["alerts-cpu"]);
  await filter.unsubscribe();
  await publisher.publish("feat", "alerts-disk", { x: 3 });
  await publisher.command("ping"); // replies are ordered behind what the listener's loop delivers
  await listener.command("ping");
  assert.deepEqual(got, ["alerts-cpu"], "nothing after unsubscribe");
});

test("presence, join and leave notices, typing, and unsubscribe", async () => {
  const alice = client();
  const bob = client();
  const aliceSeen = [];
  const typing = [];
  const messages = [];
  const aliceSub = alice.subscribe("feat", "chat", {
    onMessage: (m) => messages.push(m.payload.text),
    onPresence: (e) => aliceSeen.push(`${e.event}:${e.client_id}`),
    onTyping: (e) => typing.push(`${e.client_id}:${e.state}`),
  });
  await alice.ready();
  await waitFor(() => aliceSub.state === "subscribed", { what: "alice's join" });
  const bobSub = bob.subscribe("feat", "chat", { onMessage: () => {} });
  await bob.ready();
  await waitFor(() => bobSub.state === "subscribed", { what: "bob's join" });
  await waitFor(() => aliceSeen.includes(`join:${bob.clientId}`), { what: "bob's join notice" });

  const presence = await alice.presence("feat", "chat");
  assert.equal(presence.count, 2);
  assert.deepEqual(presence.clients.map((c) => c.client_id).sort(), [alice.clientId, bob.clientId].sort());

  const reply = await bob.typing("feat", "chat", "start");
  assert.equal(reply.relayed, true);
  await waitFor(() => typing.includes(`${bob.clientId}:start`), { what: "the typing notice" });

  await bob.publish("feat", "chat", { text: "hi" });
  await waitFor(() => messages.includes("hi"), { what: "bob's message" });
  await bobSub.unsubscribe();
  assert.equal(bobSub.state, "unsubscribed");
  await waitFor(() => aliceSeen.includes(`leave:${bob.clientId}`), { what: "bob's leave notice" });
  assert.equal((await alice.presence("feat", "chat")).count, 1);
});

test("a callback that throws is reported and breaks neither the client nor the next delivery", async () => {
  const c = client();
  const got = [];
  const logged = [];
  const original = console.error;
  console.error = (...args) => logged.push(args.join(" "));
  try {
    const sub = c.subscribe("feat", "throws", { onMessage: (m) => { got.push(m.payload.n); throw new Error("app bug"); } });
    await c.ready();
    await waitFor(() => sub.state === "subscribed", { what: "the join" });
    const other = client(); // a publisher never gets its own publication back
    await other.ready();
    await other.publish("feat", "throws", { n: 1 });
    await other.publish("feat", "throws", { n: 2 });
    await waitFor(() => got.length === 2, { what: "both deliveries" });
    assert.deepEqual(got, [1, 2]);
    assert.ok(logged.some((line) => line.includes("a callback threw")));
    assert.equal(c.state, "connected");
  } finally {
    console.error = original;
  }
});

test("a refused join is reported and the subscription ends", async () => {
  const c = client();
  const errors = [];
  const sub = c.subscribe("bad room", "x", { onMessage: () => {}, onError: (e) => errors.push(e.code) });
  await waitFor(() => errors.length === 1, { what: "the refusal" });
  assert.deepEqual(errors, ["VALIDATION_ERROR"]);
  assert.equal(sub.state, "unsubscribed");
});
