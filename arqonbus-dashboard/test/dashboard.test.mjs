// The dashboard in real headless Chromium against a real server process carrying traffic, with API
// keys and telemetry auth on: the login gate, the numbers against /status, the plot, the telemetry
// tail, and the admin actions on real WebSocket clients.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { chromium } from "playwright-core";
import WebSocket from "ws";
import { BusClient, BusServer, CHROMIUM, CHROMIUM_FLAGS, waitFor } from "./harness.mjs";

const ADMIN_KEY = "dashboard-admin-key-0123456789";
const READ_KEY = "dashboard-read-key-0123456789";
const ROOM = "load";
const CHANNEL = "feed";
const LOAD_LIMIT = { messages: 6000, ms: 90_000, everyMs: 15 };

let server;
let browser;
const clients = [];
let load;

function startLoad(publisher) {
  // Bounded in count and in time; stopped by after() at the latest.
  const started = Date.now();
  let sent = 0;
  const timer = setInterval(() => {
    if (sent >= LOAD_LIMIT.messages || Date.now() - started > LOAD_LIMIT.ms) { clearInterval(timer); return; }
    publisher.publish(ROOM, CHANNEL, { n: sent++, at: Date.now() });
  }, LOAD_LIMIT.everyMs);
  return { stop: () => clearInterval(timer), sent: () => sent };
}

async function stat(page, name) {
  return (await page.locator(`[data-stat="${name}"]`).first().textContent())?.trim();
}

async function openPage(credential) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const answered = [];
  page.on("response", (r) => answered.push({ url: r.url(), status: r.status() }));
  page.answered = answered;
  await page.goto(`${server.httpUrl}/dashboard/`);
  if (credential) {
    await page.locator("#credential").fill(credential);
    await page.locator("#login-form button").click();
  }
  return page;
}

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set ARQONBUS_CHROMIUM)`);
  [server, browser] = await Promise.all([
    new BusServer({ env: {
      ARQONBUS_API_KEYS: `ops:admin=${ADMIN_KEY},viewer:read=${READ_KEY}`,
      ARQONBUS_TELEMETRY_AUTH: "true",
      ARQONBUS_CASIL_ENABLED: "true",
      ARQONBUS_CASIL_MODE: "enforce",
      ARQONBUS_CASIL_BLOCK_ON_PROBABLE_SECRET: "true",
    } }).start(),
    chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true }),
  ]);
  const types = ["ai-agent", "ai-agent", "human", "service"];
  for (let i = 0; i < types.length; i++) {
    clients.push(await new BusClient(server, { clientId: `dash-sub-${i}`, clientType: types[i], join: `${ROOM}:${CHANNEL}` }).ready);
  }
  const publisher = await new BusClient(server, { clientId: "dash-publisher", clientType: "service", join: `${ROOM}:${CHANNEL}` }).ready;
  clients.push(publisher);
  await waitFor(async () => (await server.status()).connections.active === clients.length, { what: "every client connected" });
  load = startLoad(publisher);
});

after(async () => {
  load?.stop();
  clients.forEach((c) => c.close());
  await browser?.close();
  await server?.stop();
});

test("the page is served from the jar with its own files only", async () => {
  const index = await fetch(`${server.httpUrl}/dashboard`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get("content-type"), /text\/html/);
  assert.match(index.headers.get("content-security-policy"), /default-src 'self'/);
  const missing = await fetch(`${server.httpUrl}/dashboard/nothing-here.js`);
  assert.equal(missing.status, 404);
  assert.match((await missing.json()).details, /No dashboard file/);
});

test("without a credential the page shows the login and no data", async () => {
  const page = await openPage(null);
  await page.locator("#login").waitFor({ state: "visible", timeout: 20_000 });
  assert.equal(await page.locator("#app").isHidden(), true);
  assert.equal(await stat(page, "connections"), "–");
  assert.equal(await page.locator("#channels tbody tr").count(), 0);
  assert.deepEqual(page.answered.filter((r) => r.url.includes("/api/") && r.status === 200), []);
  await page.context().close();
});

test("the telemetry socket refuses a client without an admin credential when telemetry auth is on", async () => {
  const refused = (url) => new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once("unexpected-response", (_req, res) => { resolve(res.statusCode); ws.terminate(); });
    ws.once("open", () => { resolve("open"); ws.close(); });
    ws.once("error", () => {});
  });
  assert.equal(await refused(server.telemetryUrl), 401);
  assert.equal(await refused(`${server.telemetryUrl}?token=${READ_KEY}`), 403);
  assert.equal(await refused(`${server.telemetryUrl}?token=${ADMIN_KEY}`), "open");
});

test("a wrong key gets the server's sentence and no data", async () => {
  const page = await openPage("not-a-configured-key-0123456789");
  await waitFor(async () => /Invalid credential/.test(await page.locator("#login-error").textContent()), { what: "the refusal" });
  assert.equal(await page.locator("#app").isHidden(), true);
  await page.context().close();
});

test("a key without admin rights shows nothing", async () => {
  const page = await openPage(READ_KEY);
  await waitFor(async () => /admin/.test(await page.locator("#login-error").textContent()), { what: "the refusal" });
  assert.equal(await page.locator("#app").isHidden(), true);
  assert.equal(await stat(page, "connections"), "–");
  await page.context().close();
});

test("with an admin key: the numbers match /status, the plot moves, the tail shows a publication, the actions work", async () => {
  const page = await openPage(ADMIN_KEY);
  await page.locator("#app").waitFor({ state: "visible", timeout: 20_000 });

  // The numbers shown are /status's (connections, rooms, channels, connections by client type).
  await waitFor(async () => {
    const status = await server.status();
    const shown = { active: await stat(page, "connections"), rooms: await stat(page, "rooms"), channels: await stat(page, "channels") };
    const byType = Object.fromEntries(await page.locator("#by-type tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [tr.cells[0].textContent, Number(tr.cells[1].textContent)])));
    return shown.active === String(status.connections.active) && shown.rooms === String(status.rooms)
      && shown.channels === String(status.channels) && JSON.stringify(byType) === JSON.stringify(
        Object.fromEntries(Object.entries(status.connections.by_type).sort((a, b) => b[1] - a[1])));
  }, { what: "the page's numbers to equal /status" });
  assert.equal(await stat(page, "connections"), "5");

  // The plot moves: more points, and a publish rate above zero, drawn on uPlot's canvas.
  const points = Number(await page.locator("#plot").getAttribute("data-points") ?? 0);
  await waitFor(async () => Number(await page.locator("#plot").getAttribute("data-points")) >= points + 2
    && Number(await page.locator("#plot").getAttribute("data-max-publish-rate")) > 0, { what: "the plot to move" });
  assert.equal(await page.locator("#plot canvas").count(), 1);
  await waitFor(async () => Number(await page.locator("#top-channels tbody tr").first().locator("td").nth(1).textContent()) > 0,
    { what: "a top channel with a rate" });
  assert.equal(await page.locator("#top-channels tbody tr td").first().textContent(), `${ROOM}:${CHANNEL}`);

  // The telemetry tail (through the telemetry socket with the admin key) shows the publication.
  await waitFor(async () => (await page.locator("#tail li", { hasText: "message_sent" }).filter({ hasText: "dash-publisher" }).count()) > 0,
    { what: "the published event in the tail" });
  await page.locator("#tail-filter").fill("no-such-event-anywhere");
  assert.equal(await page.locator("#tail li:visible").count(), 0);
  await page.locator("#tail-filter").fill("");
  assert.ok(await page.locator("#tail li:visible").count() > 0);

  // A CASIL block: counted, listed among the recent decisions, and its secret shown nowhere.
  const secret = "AKIA" + "IOSFODNN7EXAMPLE";
  clients[0].publish(ROOM, CHANNEL, { note: "leaked", key: secret });
  await waitFor(async () => Number(await stat(page, "casil-block")) >= 1, { what: "the block counted" });
  await page.locator("#casil-recent li", { hasText: '"decision":"block"' }).first().waitFor({ timeout: 20_000 });
  assert.equal(await page.getByText(secret).count(), 0);
  assert.ok(!(await page.content()).includes(secret));

  if (process.env.ARQONBUS_DASHBOARD_SCREENSHOT) {
    // A few more seconds of load, so the picture shows a curve.
    await waitFor(async () => Number(await page.locator("#plot").getAttribute("data-points")) >= 12,
      { timeoutMs: 40_000, what: "twelve points on the plot" });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: process.env.ARQONBUS_DASHBOARD_SCREENSHOT, type: "png", clip: { x: 0, y: 0, width: 1280, height: 760 } });
  }

  // Publish a test message, then inspect the channel: the message with its position.
  const publish = page.locator("#publish-form");
  await publish.locator("[name=room]").fill(ROOM);
  await publish.locator("[name=channel]").fill(CHANNEL);
  await publish.locator("[name=payload]").fill('{"probe":"from-the-dashboard"}');
  await publish.locator("button").click();
  await waitFor(async () => /published .* at offset \d+/.test(await page.locator("#action-result").textContent()),
    { what: "the publish result" });
  const inspect = page.locator("#inspect-form");
  await inspect.locator("[name=room]").fill(ROOM);
  await inspect.locator("[name=channel]").fill(CHANNEL);
  await inspect.locator("button").click();
  const row = page.locator("#inspect tbody tr", { hasText: "from-the-dashboard" });
  await row.waitFor({ timeout: 20_000 });
  assert.match(await row.locator("td").first().textContent(), /^\d+$/);

  // Disconnect a real client.
  const victim = await new BusClient(server, { clientId: "dash-victim", clientType: "human", join: `${ROOM}:${CHANNEL}` }).ready;
  await waitFor(async () => (await server.status()).connections.active === 6, { what: "the victim connected" });
  const disconnect = page.locator("#disconnect-form");
  await disconnect.locator("[name=client_id]").fill("dash-victim");
  await disconnect.locator("button").click();
  const closed = await Promise.race([victim.closed, new Promise((_, reject) => setTimeout(() => reject(new Error("the client was not closed")), 20_000))]);
  assert.ok(closed.code >= 1000, `closed with ${closed.code}`);
  await waitFor(async () => /1 connection\(s\) closed/.test(await page.locator("#action-result").textContent()), { what: "the disconnect result" });
  await waitFor(async () => (await stat(page, "connections")) === "5", { what: "the page to count one connection less" });

  assert.ok(load.sent() > 0);
  await page.context().close();
});
