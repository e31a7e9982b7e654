/**
 * What the end-to-end journeys share: a phone-sized browser context, the
 * no-sideways-scroll check, a farmer signed in on their own phone, and a
 * buyer finding a product from the header's search box.
 */
import { expect, type Browser, type Page } from "@playwright/test";

export const PHONE_CONTEXT = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: "vi-VN" };

/** The demo farmers' password (db/seed/demo.ts). */
const DEMO_PASSWORD = "nongsan2026";

/** The page fits the phone's width: nothing pushes the layout sideways. */
export async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

/** A demo farmer on their own phone, signed in, at `path`. */
export async function farmerAt(browser: Browser, phone: string, path: string) {
  const context = await browser.newContext(PHONE_CONTEXT);
  const page = await context.newPage();
  await page.goto(`/login?redirectTo=${encodeURIComponent(path)}`);
  await page.getByRole("main").getByLabel("Số điện thoại").fill(phone);
  await page.getByRole("main").getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
  await page.getByRole("main").getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => url.pathname === path);
  return { page, close: () => context.close() };
}

/** From the header's search box (typed as given, e.g. without diacritics) to the product page, into the cart. */
export async function findAndAdd(page: Page, query: string, title: string) {
  await page.getByRole("banner").getByRole("searchbox").fill(query);
  await page.getByRole("banner").getByRole("button", { name: "Tìm" }).click();
  await page
    .getByRole("main")
    .getByRole("link", { name: new RegExp(title) })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.getByRole("button", { name: "Thêm vào giỏ hàng" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Giỏ hàng" })).toBeVisible();
}
