// The dashboard of a bus without API keys or auth (the defaults): the page shows the bus at once,
// with no login, and the admin actions are refused with the API's sentence.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { BusClient, BusServer, CHROMIUM, CHROMIUM_FLAGS, waitFor } from "./harness.mjs";

let server;
let browser;
let client;

before(async () => {
  [server, browser] = await Promise.all([
    new BusServer().start(),
    chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true }),
  ]);
  client = await new BusClient(server, { clientId: "open-client", clientType: "human", join: "open:lobby" }).ready;
});

after(async () => {
  client?.close();
  await browser?.close();
  await server?.stop();
});

test("without auth the page shows the bus without a login and refuses admin actions", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.httpUrl}/dashboard`);
  await page.locator("#app").waitFor({ state: "visible", timeout: 20_000 });
  assert.equal(await page.locator("#login").isHidden(), true);
  await waitFor(async () => (await page.locator('[data-stat="connections"]').textContent()) === "1"
    && (await server.status()).connections.active === 1, { what: "one connection shown" });
  await waitFor(async () => (await page.locator("#tail-state").textContent()) === "live", { what: "the open telemetry stream" });

  const disconnect = page.locator("#disconnect-form");
  await disconnect.locator("[name=client_id]").fill("open-client");
  await disconnect.locator("button").click();
  await waitFor(async () => /^Disconnect failed \(\w+\)/.test(
    await page.locator("#action-result").textContent()), { what: "the refusal" });
  assert.match(await page.locator("#action-result").textContent(), /admin/);
  assert.equal((await server.status()).connections.active, 1);
  await page.close();
});
