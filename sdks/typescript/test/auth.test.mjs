// Token refresh and the 4003 close against a server with JWT auth (HS256, no clock skew).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import WebSocket from "ws";
import { ArqonBusClient } from "../dist/index.js";
import { BusServer, hs256, nextEvent, waitFor } from "./harness.mjs";

const SECRET = "typescript-sdk-test-secret-0123456789";
const FAST = { minReconnectDelayMs: 50, maxReconnectDelayMs: 400 };
let server;
const clients = [];

function token(sub, lifetimeSeconds) {
  const now = Math.floor(Date.now() / 1000);
  return hs256(SECRET, { sub, iat: now, exp: now + lifetimeSeconds });
}

function client(options) {
  const c = new ArqonBusClient(server.url, { WebSocket, ...FAST, ...options });
  clients.push(c);
  return c.connect();
}

before(async () => {
  server = await new BusServer({ env: {
    ARQONBUS_ENABLE_AUTH: "true", ARQONBUS_AUTH_JWT_SECRET: SECRET, ARQONBUS_AUTH_JWT_CLOCK_SKEW_SECONDS: "0",
  } }).start();
});

after(async () => {
  clients.forEach((c) => c.close());
  await server.stop();
});

test("getToken's refresh keeps a connection open past its first token's expiry", async () => {
  let issued = 0;
  const first = { exp: 0 };
  const c = client({ getToken: () => {
    issued++;
    const t = token("refresher", 3);
    if (issued === 1) first.exp = JSON.parse(Buffer.from(t.split(".")[1], "base64url")).exp * 1000;
    return t;
  } });
  const drops = [];
  c.on("disconnected", (info) => drops.push(info));
  await c.ready();
  const connectedAs = c.clientId;
  await waitFor(() => Date.now() > first.exp + 1500, { timeoutMs: 10_000, intervalMs: 100, what: "the first token's expiry" });
  assert.equal(c.state, "connected");
  assert.deepEqual(drops, [], "never disconnected");
  assert.equal(c.clientId, connectedAs, "the same connection");
  assert.ok(issued >= 2, `refreshed (${issued} tokens)`);
  const pong = await c.command("ping");
  assert.equal(pong.pong, true);
});

test("4003 without getToken stops the client", async () => {
  const c = client({ token: token("static", 2) });
  await c.ready();
  const closed = await nextEvent(c, "closed", () => true, 10_000);
  assert.equal(closed.code, 4003);
  assert.equal(c.state, "closed");
  await assert.rejects(c.publish("r", "c", {}), { code: "CLOSED" });
});

test("after a 4003 the client asks getToken for a new token and reconnects", async () => {
  let calls = 0;
  // Refreshes are refused (a token of another subject), so the first connection expires with 4003.
  const c = client({ getToken: () => (++calls === 2 ? token("someone-else", 2) : token("renewer", 2)) });
  const errors = [];
  c.on("error", (e) => errors.push(e));
  const sub = c.subscribe("auth", "room", { onMessage: () => {} });
  await c.ready();
  const dropped = await nextEvent(c, "disconnected", () => true, 10_000);
  assert.equal(dropped.code, 4003);
  assert.equal(dropped.reconnect, true);
  assert.equal(errors[0]?.code, "AUTHORIZATION_ERROR", "the refused refresh is reported");
  await nextEvent(c, "connected");
  assert.ok(calls >= 3);
  await waitFor(() => sub.state === "subscribed", { what: "the rejoin" });
});
