/**
 * The seller app on a farmer's phone (ADR 031): Chrome would offer to install
 * it; after one visit to the dashboard its pages read without signal, with
 * the time of their figures; logout leaves nothing of it on a shared phone; a
 * repeat visit to the dashboard costs few bytes.
 *
 * The only journey that allows service workers (playwright.config.ts blocks
 * them elsewhere). Playwright 1.65 sees and routes a worker's own requests
 * by default (the experimental flag of older versions is gone), and
 * `setOffline` alone would leave the worker's network up, so going offline
 * here is both: the context offline and every request aborted.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import { DEMO_PASSWORD } from "../../db/seed/demo-password";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/lib/chromium";
import { expect, test } from "./fixtures";
import { goOffline, waitForSync } from "./offline";
import { checkoutCashOnDelivery, expectNoSidewaysScroll, findAndAdd, PHONE_CONTEXT } from "./phone";

test.use({ serviceWorkers: "allow" });

/** Chị Hằng, a demo farmer who sells Củ cải trắng (not a farmer the other journeys sign out). */
const FARMER = "0983 456 702";
/** Another demo farmer, signed out by the logout journey (no other journey uses this number). */
const FARMER_SIGNING_OUT = "0903 567 803";

const BANNER = /^Đang ngoại tuyến · số liệu lúc \d{2}:\d{2} \d{2}\/\d{2}$/;

test("Chrome finds the seller app installable from the dashboard", async ({ baseURL }) => {
  // Chrome never offers to install from an incognito profile, which every Playwright context is: a profile on disk.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-install-"));
  const context = await chromium.launchPersistentContext(profile, {
    ...PHONE_CONTEXT,
    baseURL,
    serviceWorkers: "allow",
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto("/login?redirectTo=/seller");
    await page.getByRole("main").getByLabel("Số điện thoại").fill(FARMER);
    await page.getByRole("main").getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
    await page.getByRole("main").getByRole("button", { name: "Đăng nhập" }).click();
    await page.waitForURL((url) => url.pathname === "/seller");
    const cdp = await context.newCDPSession(page);
    const { url, errors } = await cdp.send("Page.getAppManifest");
    expect(errors).toEqual([]);
    expect(url).toMatch(/\/seller\.webmanifest$/);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

test("after one visit the dashboard, listings and orders read offline with the time of their figures; a page never kept says it is offline", async ({
  page: buyer,
  signedInAs,
}) => {
  // A buyer orders from chị Hằng, so she has an order to read.
  await buyer.goto("/");
  await findAndAdd(buyer, "cu cai trang", "Củ cải trắng");
  await buyer.getByRole("main").getByRole("link", { name: "Đặt hàng" }).click();
  // A number of its own each run: a number whose order still waits is asked for an SMS code (a retry, a rerun).
  const phone = `0912 7${String(Date.now() % 100_000).padStart(5, "0")}`;
  const code = await checkoutCashOnDelivery(buyer, { fullName: "Lê Văn Phúc", phone });

  const { page } = await signedInAs(FARMER, "/seller");
  await waitForSync(page);
  await goOffline(page.context());

  await page.reload();
  const main = page.getByRole("main");
  await expect(page.getByRole("heading", { level: 1, name: "Cà rốt Cẩm Giàng – chị Hằng" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: BANNER })).toBeVisible();
  await expectNoSidewaysScroll(page);

  const nav = page.getByRole("navigation", { name: /gian hàng/i });
  await nav.getByRole("link", { name: "Sản phẩm", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sản phẩm của tôi" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: BANNER })).toBeVisible();

  await main
    .getByRole("link", { name: /Củ cải trắng/ })
    .first()
    .click();
  await expect(main.getByLabel("Tên sản phẩm")).toHaveValue("Củ cải trắng");
  await expect(page.getByRole("status").filter({ hasText: BANNER })).toBeVisible();

  await nav.getByRole("link", { name: "Đơn hàng" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đơn hàng" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: BANNER })).toBeVisible();

  await main.getByRole("link", { name: code }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(code) })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: BANNER })).toBeVisible();

  // The officers' trail was never kept: the offline page, in Vietnamese with English.
  await page.goto("/seller/trail");
  await expect(page.getByRole("heading", { level: 1, name: "Đang ngoại tuyến" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
});

test("a repeat visit to the dashboard fetches a few kilobytes over the network", async ({ signedInAs }) => {
  const { page } = await signedInAs(FARMER, "/seller");
  await waitForSync(page);
  const context = page.context();

  // Every response that came over the network, the worker's own fetches included; not what the worker answered.
  const fetched: { url: string; bytes: number }[] = [];
  context.on("requestfinished", (request) => {
    void (async () => {
      const response = await request.response();
      if (!response || response.fromServiceWorker()) return;
      const sizes = await request.sizes();
      fetched.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize });
    })();
  });
  const again = await context.newPage();
  await again.goto("/seller");
  await expect(again.getByRole("heading", { level: 1 })).toBeVisible();
  await again.waitForLoadState("networkidle");
  const total = fetched.reduce((sum, f) => sum + f.bytes, 0);
  console.log(
    `repeat visit to /seller: ${total} bytes over the network in ${fetched.length} responses\n` +
      fetched.map((f) => `  ${f.bytes}\t${new URL(f.url).pathname}`).join("\n"),
  );
  // Without the worker the scripts alone are over 300 kB; the page itself (compressed HTML with its data), the
  // worker's update check and the routes' discovery are under 20 kB. 60 kB leaves room for a longer dashboard
  // and fails if scripts or styles come over the network again.
  expect(total).toBeLessThan(60_000);
  expect(fetched.filter((f) => /\/build\//.test(f.url))).toEqual([]);

  // Someone else's page on this phone: the worker drops the kept pages before anything else.
  expect(await again.evaluate(() => caches.has("ghs-seller-pages"))).toBe(true);
  await again.evaluate(() => navigator.serviceWorker.controller?.postMessage({ type: "user", userId: "someone-else" }));
  await again.waitForFunction(() => caches.has("ghs-seller-pages").then((kept) => !kept));
});

test("a new version of the app takes over and the dashboard says so", async ({ signedInAs }) => {
  const { page } = await signedInAs(FARMER, "/seller");
  await waitForSync(page);
  // The next version, as a deployment would serve it: the same worker with a few bytes more. (The browser fetches
  // a worker's script itself, past Playwright's routes: the file the server serves changes, and is put back.)
  // The browser asks the server again on every check for a new version.
  expect((await page.request.get("/seller-sw.js")).headers()["cache-control"]).toBe("no-cache");
  const file = path.join(import.meta.dirname, "../../public/seller-sw.js");
  const current = fs.readFileSync(file, "utf8");
  try {
    fs.writeFileSync(file, `${current}\n// next version\n`);
    await page.evaluate(() => navigator.serviceWorker.getRegistration("/seller").then((r) => r?.update()));
    await expect(page.getByRole("status").filter({ hasText: "Đã có phiên bản mới của ứng dụng." })).toBeVisible();
  } finally {
    fs.writeFileSync(file, current);
  }
  await expect(page.getByRole("button", { name: "Tải lại trang" })).toBeVisible();
});

test("logout leaves no kept page, queue or worker on the phone", async ({ signedInAs }) => {
  const { page } = await signedInAs(FARMER_SIGNING_OUT, "/seller");
  await waitForSync(page);
  // The queue's database, as the offline queue keeps it.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open("ghs-offline");
        open.onsuccess = () => {
          open.result.close();
          resolve();
        };
        open.onerror = () => reject(open.error);
      }),
  );
  expect(await page.evaluate(() => caches.keys())).toContain("ghs-seller-pages");

  await page.getByRole("banner").locator("summary").last().click();
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.waitForURL((url) => url.pathname === "/");

  expect(await page.evaluate(() => caches.keys())).toEqual([]);
  expect(await page.evaluate(() => indexedDB.databases().then((all) => all.map((d) => d.name)))).not.toContain(
    "ghs-offline",
  );
  expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((r) => r.length))).toBe(0);
});
