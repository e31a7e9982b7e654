/**
 * The whole field day (issue 17), with the seller app's worker in control: a
 * farmer opens her dashboard once with signal; in the field she reads her
 * stall, adds a product with two photos and confirms an order; the signal
 * comes back weak, a new version of the app arrives meanwhile, and the first
 * request of the replay reaches the server but its answer is lost. Each thing
 * she did lands exactly once, and nothing she queued is lost to the update.
 */
import fs from "node:fs";
import path from "node:path";
import type { Page, Route } from "@playwright/test";
import { test } from "./fixtures";
import { expect, farmerPhone, goOffline, guestOrder, photo, refusedList, waitForSync, waitingList } from "./offline";

test.use({ serviceWorkers: "allow" });

/** Cô Lan, who sells bánh gai; no other journey signs in as her. */
const FARMER = "0974 678 904";
const WORKER_FILE = path.join(import.meta.dirname, "../../public/seller-sw.js");

const newVersionWaiting = (page: Page) =>
  page.evaluate(() => navigator.serviceWorker.getRegistration("/seller").then((r) => Boolean(r?.waiting)));

test("offline she reads her stall, adds a product with photos and confirms an order; on a weak signal, through an update, each lands once", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const buyer = await guestOrder(browser, "banh gai hop qua", "Bánh gai hộp quà 20 chiếc");
  const { context, page } = await farmerPhone(browser, FARMER, "/seller", "allow");
  await waitForSync(page);
  const main = page.getByRole("main");
  const nav = page.getByRole("navigation", { name: /gian hàng/i });
  const title = `Bánh gai lá mới ${Date.now() % 100000}`;

  // In the field: everything she reads comes from the last sync.
  await goOffline(context);
  await page.reload();
  await expect(page.getByRole("status").filter({ hasText: /^Đang ngoại tuyến · số liệu lúc/ })).toBeVisible();
  await nav.getByRole("link", { name: "Sản phẩm", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sản phẩm của tôi" })).toBeVisible();
  await main.getByRole("link", { name: "Thêm sản phẩm" }).first().click();
  await main.getByLabel("Tên sản phẩm").fill(title);
  await main.getByLabel("Danh mục").selectOption({ label: "Đặc sản chế biến" });
  await main.getByLabel("Giá bán (đồng)").fill("60.000");
  await main.getByLabel("Đơn vị bán").selectOption({ label: "hộp" });
  await main.getByLabel("Số lượng còn").fill("30");
  await main.getByLabel("Ảnh sản phẩm").setInputFiles([
    { name: "xanh.jpg", mimeType: "image/jpeg", buffer: await photo("#1e8449") },
    { name: "den.jpg", mimeType: "image/jpeg", buffer: await photo("#17202a") },
  ]);
  await main.getByRole("button", { name: "Lưu sản phẩm" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu trên máy" })).toBeVisible();

  await nav.getByRole("link", { name: "Đơn hàng" }).click();
  await main.getByRole("link", { name: buyer.code }).first().click();
  await page.getByRole("button", { name: "Xác nhận đơn" }).click();
  await expect(waitingList(page).getByRole("heading")).toHaveText("Đang chờ gửi (4)");

  // The signal comes back weak: pages load, but nothing she sends gets through yet.
  let posts = 0;
  let sending: "cut" | "cut-after-server" | "through" = "cut";
  await context.unrouteAll({ behavior: "wait" });
  await context.route("**/*", async (route: Route) => {
    if (route.request().method() !== "POST" || sending === "through") return route.continue();
    posts++;
    if (sending === "cut") return route.abort("connectionreset");
    // Once: the request reaches the server, which does it, and its answer never reaches the phone.
    sending = "cut";
    await route.fetch({ maxRedirects: 0 });
    return route.abort("connectionreset");
  });
  await context.setOffline(false);
  await page.goto("/seller");
  await expect(waitingList(page).getByRole("heading")).toHaveText("Đang chờ gửi (4)");

  // A new version of the app arrives meanwhile: it waits, and the queued work stays.
  const current = fs.readFileSync(WORKER_FILE, "utf8");
  try {
    fs.writeFileSync(WORKER_FILE, `${current}\n// next version\n`);
    await page.evaluate(() => navigator.serviceWorker.getRegistration("/seller").then((r) => r?.update()));
    await expect.poll(() => newVersionWaiting(page), { timeout: 20_000 }).toBe(true);
    await page.reload();
    await expect(waitingList(page).getByRole("heading")).toHaveText("Đang chờ gửi (4)");
    expect(await newVersionWaiting(page)).toBe(true);

    // The first send reaches the server but its answer is lost: the work stays queued, under the same key.
    sending = "cut-after-server";
    const before = posts;
    await waitingList(page).getByRole("button", { name: "Gửi ngay" }).click();
    await expect.poll(() => posts).toBeGreaterThan(before);
    await expect(waitingList(page).getByRole("heading")).toHaveText("Đang chờ gửi (4)");

    // A good signal: sent again (by the page, or the worker's Background Sync, whichever comes first).
    sending = "through";
    await expect(async () => {
      if (await waitingList(page).count()) {
        await waitingList(page).getByRole("button", { name: "Gửi ngay" }).click({ timeout: 2_000 });
      }
      await expect(waitingList(page)).toHaveCount(0, { timeout: 5_000 });
    }).toPass({ timeout: 45_000 });
    await expect(refusedList(page)).toHaveCount(0);

    // With nothing left to send, the new version takes over (its notice: seller-app.spec.ts).
    await expect.poll(() => newVersionWaiting(page), { timeout: 45_000 }).toBe(false);
  } finally {
    fs.writeFileSync(WORKER_FILE, current);
  }

  // Exactly once: one product of that name, with both photos through the pipeline; the order confirmed once.
  await page.goto("/seller/listings");
  const rows = page.locator(".listing-row", { hasText: title });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("2 ảnh");
  await rows.click();
  await expect(page.locator(".photo-grid img")).toHaveCount(2);
  for (const img of await page.locator(".photo-grid img").all()) {
    await expect(img).toHaveAttribute("src", /^\/media\/photos\/[0-9a-f]+\/\d+\.jpg$/);
  }
  await page.goto(`/seller/orders/${buyer.code.replace("-", "")}`);
  await expect(page.getByRole("main").getByText("Người bán: Đã đặt → Đã xác nhận")).toHaveCount(1);

  await context.close();
  await buyer.context.close();
});
