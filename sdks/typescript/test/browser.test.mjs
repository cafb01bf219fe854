// The esbuild bundle in real headless Chromium: subscribe, receive, publish, and survive a server
// restart (file store) recovering exactly what was missed; the keep-alive (the `ping` command, as
// browsers cannot send WebSocket pings) notices a server stopped with SIGSTOP and recovers after it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";
import WebSocket from "ws";
import { ArqonBusClient } from "../dist/index.js";
import { BusServer, nextEvent, sdkRoot, waitFor } from "./harness.mjs";

const CHROMIUM = process.env.ARQONBUS_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--disable-sync", "--no-first-run"];

const PAGE = `<!doctype html><meta charset="utf-8"><title>ArqonBus SDK</title>
<script type="module">
  import { ArqonBusClient } from "/arqonbus.browser.js";
  window.received = []; window.subscribed = []; window.states = []; window.drops = []; window.hold = false;
  const params = new URLSearchParams(location.search);
  const keepAliveMs = params.get("keepalive");
  const client = new ArqonBusClient(params.get("bus"), {
    minReconnectDelayMs: 50, maxReconnectDelayMs: 400,
    ...(keepAliveMs ? { keepAliveIntervalMs: Number(keepAliveMs), keepAliveTimeoutMs: Number(keepAliveMs) } : {}),
    // Called before every connection attempt: the test holds the reconnect while it publishes.
    getToken: async () => { while (window.hold) await new Promise((r) => setTimeout(r, 20)); return null; },
  });
  client.on("state", (s) => window.states.push(s));
  client.on("disconnected", (info) => window.drops.push(info));
  client.subscribe("browser", params.get("channel") ?? "feed", {
    onMessage: (m) => window.received.push(m.payload.n),
    onSubscribed: (ctx) => window.subscribed.push(ctx),
  });
  window.client = client.connect();
</script>`;

let server;
let web;
let browser;
const clients = [];

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set ARQONBUS_CHROMIUM)`);
  const bundle = readFileSync(path.join(sdkRoot, "dist/arqonbus.browser.js"));
  web = http.createServer((req, res) => {
    if (req.url.startsWith("/arqonbus.browser.js")) {
      res.writeHead(200, { "content-type": "text/javascript" }).end(bundle);
    } else if (req.url.startsWith("/index.html")) {
      res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => web.listen(0, "127.0.0.1", r));
  [server, browser] = await Promise.all([
    new BusServer({ store: true }).start(),
    chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true }),
  ]);
});

after(async () => {
  clients.forEach((c) => c.close());
  await browser?.close();
  web?.close();
  await server?.dispose();
});

test("the bundled SDK in Chromium subscribes, receives, publishes and survives a server restart", async () => {
  const node = new ArqonBusClient(server.url, { WebSocket, minReconnectDelayMs: 50, maxReconnectDelayMs: 400 });
  clients.push(node);
  const fromBrowser = [];
  node.subscribe("browser", "replies", { onMessage: (m) => fromBrowser.push(m.payload) });
  node.connect();
  await node.ready();

  const page = await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`http://127.0.0.1:${web.address().port}/index.html?bus=${encodeURIComponent(server.url)}`);
  await page.waitForFunction(() => window.subscribed.length === 1, null, { timeout: 15_000 });
  assert.equal(await page.evaluate(() => typeof WebSocket), "function", "the browser's own WebSocket");

  for (let n = 1; n <= 3; n++) await node.publish("browser", "feed", { n }, { durable: true });
  await page.waitForFunction(() => window.received.length === 3, null, { timeout: 15_000 });

  const ack = await page.evaluate(() => window.client.publish("browser", "replies", { hello: "from chromium" }, { durable: true }));
  assert.equal(ack.duplicate, false);
  assert.equal(ack.offset, 1);
  await waitFor(() => fromBrowser.length === 1, { what: "the browser's publication" });
  assert.deepEqual(fromBrowser, [{ hello: "from chromium" }]);

  await page.evaluate(() => { window.hold = true; });
  const nodeBack = nextEvent(node, "connected", () => true, 60_000);
  await server.restart();
  await page.waitForFunction(() => window.states.includes("disconnected"), null, { timeout: 15_000 });
  await nodeBack;
  for (let n = 4; n <= 6; n++) await node.publish("browser", "feed", { n }, { durable: true });
  await page.evaluate(() => { window.hold = false; });

  await page.waitForFunction(() => window.subscribed.length === 2, null, { timeout: 15_000 });
  const rejoin = await page.evaluate(() => window.subscribed[1]);
  assert.equal(rejoin.wasRecovering, true);
  assert.equal(rejoin.recovered, true);
  assert.equal(rejoin.missed, 3);
  await page.waitForFunction(() => window.received.length >= 6, null, { timeout: 15_000 });
  assert.deepEqual(await page.evaluate(() => window.received), [1, 2, 3, 4, 5, 6]);

  const after = await page.evaluate(() => window.client.publish("browser", "replies", { again: true }, { durable: true }));
  assert.equal(after.offset, 2, "the stream survived the restart");
  await waitFor(() => fromBrowser.length === 2, { what: "the publication after the restart" });
  assert.deepEqual(pageErrors, []);
});

test("in Chromium the keep-alive notices a frozen server and recovers after it resumes", async () => {
  const node = new ArqonBusClient(server.url, { WebSocket, keepAlive: false, minReconnectDelayMs: 50,
    maxReconnectDelayMs: 400, publishTimeoutMs: 30_000 });
  clients.push(node);
  node.connect();
  await node.ready();
  const page = await browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`http://127.0.0.1:${web.address().port}/index.html?bus=${encodeURIComponent(server.url)}`
      + "&channel=keepalive&keepalive=1000");
  await page.waitForFunction(() => window.subscribed.length === 1, null, { timeout: 15_000 });
  for (let n = 1; n <= 3; n++) await node.publish("browser", "keepalive", { n }, { durable: true });
  await page.waitForFunction(() => window.received.length === 3, null, { timeout: 15_000 });

  await page.evaluate(() => { window.hold = true; });
  await server.pause();
  const frozenAt = Date.now();
  try {
    // interval + timeout (2 s) plus slack for a loaded machine
    await page.waitForFunction(() => window.drops.length === 1, null, { timeout: 7_000, polling: 20 });
  } finally {
    server.resume();
  }
  const detectedMs = Date.now() - frozenAt;
  const drop = await page.evaluate(() => window.drops[0]);
  assert.equal(drop.code, 1006);
  assert.match(drop.reason, /^keep-alive timeout/);
  assert.equal(drop.reconnect, true);

  for (let n = 4; n <= 6; n++) await node.publish("browser", "keepalive", { n }, { durable: true });
  await page.evaluate(() => { window.hold = false; });
  await page.waitForFunction(() => window.subscribed.length === 2, null, { timeout: 30_000 });
  const rejoin = await page.evaluate(() => window.subscribed[1]);
  assert.equal(rejoin.recovered, true);
  assert.equal(rejoin.missed, 3);
  await page.waitForFunction(() => window.received.length >= 6, null, { timeout: 15_000 });
  assert.deepEqual(await page.evaluate(() => window.received), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(pageErrors, []);
  console.log(`event=fault_test kind=browser_client_keepalive keepalive_interval_ms=1000 keepalive_timeout_ms=1000`
      + ` detected_ms=${detectedMs}`);
  await page.close();
});
