/**
 * What the end-to-end journeys share: a phone-sized browser context, the
 * no-sideways-scroll check, signing up with the SMS code, and a buyer finding
 * a product from the header's search box. (A demo account signed in on its own
 * phone is the `signedInAs` fixture, fixtures.ts.)
 */
import { expect, type Page } from "@playwright/test";
import { codeSentTo, smsCount } from "./sms-outbox";

export const PHONE_CONTEXT = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: "vi-VN" };

/** The page fits the phone's width: nothing pushes the layout sideways. */
export async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
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

/**
 * The checkout form, as a guest paying cash on delivery and picking the order
 * up at each farm; returns the code of the order the page then shows.
 */
export async function checkoutCashOnDelivery(page: Page, buyer: { fullName: string; phone: string }) {
  const main = page.getByRole("main");
  await expect(page.getByRole("heading", { level: 1, name: "Đặt hàng" })).toBeVisible();
  // The commune search box is the hydrated form's (without JavaScript: a "Chọn tỉnh" button).
  await page.waitForFunction(() => "__remixRouter" in window);
  await expectNoSidewaysScroll(page);
  await main.getByLabel("Họ và tên").fill(buyer.fullName);
  await main.getByLabel("Số điện thoại").fill(buyer.phone);
  await main.getByLabel("Tỉnh/thành phố").selectOption({ label: "Thành phố Hải Phòng" });
  await main.getByRole("combobox", { name: "Tìm xã/phường" }).fill("thanh ha");
  await main.getByRole("listbox").getByRole("option", { name: "Xã Thanh Hà" }).click();
  await main.getByLabel("Thôn, số nhà, đường").fill("Thôn Phú Lương, số 8");
  for (const pickup of await main.getByLabel("Nhận tại vườn (miễn phí)").all()) await pickup.check();
  await expect(main.getByText("Thanh toán khi nhận hàng (COD)").first()).toBeVisible();
  await main.getByRole("button", { name: "Đặt hàng" }).click();
  const heading = page.getByRole("heading", { level: 1, name: /^Đơn hàng [A-Z2-9]{4}-[A-Z2-9]{4}$/ });
  await expect(heading).toBeVisible();
  return /[A-Z2-9]{4}-[A-Z2-9]{4}/.exec((await heading.textContent()) ?? "")![0];
}

/**
 * Signs up through the three steps: the number, the SMS code (from the test
 * outbox), then name, password and what the person comes for.
 */
export async function signUp(
  page: Page,
  { fullName, phone, password, role }: { fullName: string; phone: string; password: string; role: "farmer" | "buyer" },
) {
  await page.goto("/signup");
  const main = page.getByRole("main");
  await main.getByLabel("Số điện thoại").fill(phone);
  const before = await smsCount(phone);
  await main.getByRole("button", { name: "Nhận mã xác nhận" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nhập mã xác nhận" })).toBeVisible();
  await main.getByLabel("Mã xác nhận").fill(await codeSentTo(phone, before));
  await main.getByRole("button", { name: "Xác nhận" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Hoàn tất đăng ký" })).toBeVisible();
  await main.getByLabel("Họ và tên").fill(fullName);
  await main.getByLabel("Mật khẩu").fill(password);
  await main.getByLabel(role === "farmer" ? "Tôi bán nông sản" : "Tôi mua hàng").check();
  await main.getByRole("button", { name: "Đăng ký" }).click();
}
