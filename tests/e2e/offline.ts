/**
 * What the seller app's journeys share (seller-app, offline-queue and field
 * specs): a phone signed in through the form in a context of its own, a
 * guest's order to a given stall, camera-like photos, the queue's lists, and
 * the worker's sync and going offline.
 */
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import sharp from "sharp";
import { DEMO_PASSWORD } from "../../db/seed/demo-password";
import { waitForHydration } from "./fixtures";
import { checkoutCashOnDelivery, findAndAdd, PHONE_CONTEXT } from "./phone";

export type Workers = "allow" | "block";

/**
 * A farmer's phone of its own, signed in through the form at `path` (a logout
 * there must not end a session other journeys share).
 */
export async function farmerPhone(
  browser: Browser,
  phone: string,
  path: string,
  serviceWorkers: Workers = "block",
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...PHONE_CONTEXT, serviceWorkers });
  const page = await context.newPage();
  await page.goto(`/login?redirectTo=${encodeURIComponent(path)}`);
  const main = page.getByRole("main");
  await main.getByLabel("Số điện thoại").fill(phone);
  await main.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
  await main.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => url.pathname === path);
  await waitForHydration(page);
  return { context, page };
}

/** A guest orders `title` (found by `query`), cash on delivery; their phone stays on the order's page. */
export async function guestOrder(browser: Browser, query: string, title: string) {
  const context = await browser.newContext({ ...PHONE_CONTEXT, serviceWorkers: "block" });
  const page = await context.newPage();
  await page.goto("/");
  await findAndAdd(page, query, title);
  await page.getByRole("main").getByRole("link", { name: "Đặt hàng" }).click();
  // A number of its own each run: a number whose order still waits is asked for an SMS code.
  const phone = `0912 8${String((Date.now() + Math.floor(Math.random() * 1000)) % 100_000).padStart(5, "0")}`;
  const code = await checkoutCashOnDelivery(page, { fullName: "Lê Thị Hoa", phone });
  return { context, page, code };
}

/** A phone-camera-like JPEG of one colour. */
export function photo(color: string) {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: color } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

export const waitingList = (page: Page) => page.getByRole("region", { name: /^Đang chờ gửi/ });
export const refusedList = (page: Page) => page.getByRole("region", { name: /^Không gửi được/ });

/** The dashboard registered the worker, it took control and kept the pages to read offline. */
export async function waitForSync(page: Page) {
  await page.waitForFunction(() => Boolean(document.documentElement.dataset.offlineSynced), null, {
    timeout: 45_000,
  });
  await page.waitForFunction(() => Boolean(navigator.serviceWorker.controller));
}

/**
 * No signal: the context offline (the page's own network, navigator.onLine) and
 * every request aborted, the worker's included (setOffline alone leaves the
 * worker's network up).
 */
export async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  await context.route("**/*", (route) => route.abort("internetdisconnected"));
}

export { expect };
