// Reconnect and recovery across real server restarts with the file store, recovered:false past
// retention, durable acks and idempotent retries across a reconnect.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { ArqonBusClient } from "../dist/index.js";
import { BusServer, gate, nextEvent, trackedWebSocket, waitFor } from "./harness.mjs";

const FAST = { minReconnectDelayMs: 50, maxReconnectDelayMs: 400 };
let server;
const clients = [];

function client(options = {}) {
  const c = new ArqonBusClient(server.url, { WebSocket, ...FAST, ...options });
  clients.push(c);
  return c.connect();
}

before(async () => {
  server = await new BusServer({ store: true, env: { ARQONBUS_MAX_HISTORY_SIZE: "10" } }).start();
});

after(async () => {
  clients.forEach((c) => c.close());
  await server.dispose();
});

test("after a server restart a subscriber recovers exactly the publications it missed", async () => {
  const held = gate();
  const received = [];
  const subscribed = [];
  const subscriber = client({ getToken: async () => { await held.wait(); return null; } });
  subscriber.subscribe("tsrec", "feed", {
    onMessage: (m) => received.push(m.payload.n),
    onSubscribed: (ctx) => subscribed.push(ctx),
  });
  const publisher = client();
  await Promise.all([subscriber.ready(), publisher.ready()]);
  await waitFor(() => subscribed.length === 1, { what: "the first join" });
  for (let n = 1; n <= 3; n++) await publisher.publish("tsrec", "feed", { n }, { durable: true });
  await waitFor(() => received.length === 3, { what: "three live messages" });

  held.close(); // the subscriber's next connection attempt waits for the gate
  const dropped = nextEvent(subscriber, "disconnected");
  await server.restart();
  const info = await dropped;
  assert.equal(info.code, 1001);
  assert.equal(info.reconnect, true);

  await publisher.ready();
  const acks = [];
  for (let n = 4; n <= 7; n++) acks.push(await publisher.publish("tsrec", "feed", { n }, { durable: true }));
  assert.deepEqual(acks.map((a) => a.offset), [4, 5, 6, 7], "the stream continues after the restart");

  held.open();
  await waitFor(() => subscribed.length === 2, { what: "the rejoin" });
  assert.deepEqual({ ...subscribed[1], epoch: undefined },
      { wasRecovering: true, recovered: true, missed: 4, offset: 7, epoch: undefined });
  assert.equal(subscribed[1].epoch, subscribed[0].epoch);
  await publisher.publish("tsrec", "feed", { n: 8 }, { durable: true });
  await waitFor(() => received.length >= 8, { what: "recovered and live messages" });
  assert.deepEqual(received, [1, 2, 3, 4, 5, 6, 7, 8], "each publication once, in order");
});

test("past the retained history the rejoin reports recovered:false and the application is told", async () => {
  const held = gate();
  const Tracked = trackedWebSocket();
  const received = [];
  const failures = [];
  const subscriber = client({ WebSocket: Tracked, getToken: async () => { await held.wait(); return null; } });
  const sub = subscriber.subscribe("tsrec", "trimmed", {
    onMessage: (m) => received.push(m.payload.n),
    onRecoveryFailed: (ctx) => failures.push(ctx),
  });
  const publisher = client();
  await Promise.all([subscriber.ready(), publisher.ready()]);
  await waitFor(() => sub.state === "subscribed", { what: "the join" });
  await publisher.publish("tsrec", "trimmed", { n: 1 }, { durable: true });
  await waitFor(() => received.length === 1, { what: "the first message" });

  held.close();
  const dropped = nextEvent(subscriber, "disconnected");
  Tracked.last().terminate(); // the connection ends without a close frame: 1006
  assert.equal((await dropped).code, 1006);
  for (let n = 2; n <= 16; n++) await publisher.publish("tsrec", "trimmed", { n }, { durable: true }); // history keeps 10
  held.open();

  await waitFor(() => failures.length === 1, { what: "recovered:false" });
  assert.equal(failures[0].recovered, false);
  assert.equal(failures[0].wasRecovering, true);
  assert.equal(failures[0].missed, 15);
  assert.equal(failures[0].offset, 16);
  assert.deepEqual(received, [1], "nothing of the missed range is delivered");
  assert.deepEqual(sub.lastPosition.offset, 16, "live traffic goes on from the channel's position");
  const refetched = await subscriber.history("tsrec", "trimmed", { since: 1, limit: 100 });
  assert.deepEqual(refetched.history.map((h) => h.payload.n), [7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  await publisher.publish("tsrec", "trimmed", { n: 17 }, { durable: true });
  await waitFor(() => received.includes(17), { what: "the next live message" });
});

test("a durable publish is acked with its offset and a retry with the same key after a restart is a duplicate", async () => {
  const publisher = client();
  await publisher.ready();
  const first = await publisher.publish("tsrec", "acks", { order: 1 }, { durable: true, idempotencyKey: "order-1" });
  assert.equal(first.duplicate, false);
  assert.equal(typeof first.epoch, "string");
  assert.ok(first.offset >= 1);

  const dropped = nextEvent(publisher, "disconnected");
  await server.restart();
  await dropped;
  const retry = await publisher.publish("tsrec", "acks", { order: 1 }, { durable: true, idempotencyKey: "order-1" });
  assert.deepEqual({ offset: retry.offset, epoch: retry.epoch, duplicate: retry.duplicate },
      { offset: first.offset, epoch: first.epoch, duplicate: true });
  const stored = await publisher.history("tsrec", "acks", { limit: 100 });
  assert.equal(stored.history.filter((h) => h.payload.order === 1).length, 1, "stored once");
});

test("a durable publish in flight when the server dies is re-sent after the reconnect and stored once", async () => {
  const publisher = client();
  await publisher.ready();
  const queuedWhileDown = [];
  await server.pause(); // frames sent now wait unread in the kernel
  const inFlight = publisher.publish("tsrec", "inflight", { n: 1 }, { durable: true, timeoutMs: 60_000 });
  const dropped = nextEvent(publisher, "disconnected");
  await server.kill();
  assert.equal((await dropped).code, 1006);
  queuedWhileDown.push(publisher.publish("tsrec", "inflight", { n: 2 }, { durable: true, timeoutMs: 60_000 }));
  await server.start();
  const [ack1, ack2] = await Promise.all([inFlight, ...queuedWhileDown]);
  assert.equal(ack1.duplicate, false);
  assert.equal(ack2.offset, ack1.offset + 1, "the re-sent publish keeps its place before the queued one");
  const stored = await publisher.history("tsrec", "inflight", { limit: 100 });
  assert.deepEqual(stored.history.map((h) => h.payload.n), [1, 2]);
});
