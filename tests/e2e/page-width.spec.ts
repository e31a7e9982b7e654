import type { Locator, Page } from "@playwright/test";
import { expect, test, waitForHydration, type SignedInAs } from "./fixtures";
import { longWord, readLongValues, type LongValues } from "./long-values";
import { addressOf, appRoutes } from "./routes";

/*
 * What people type never makes a page wider than the phone (issue 14): one
 * long word in a product title used to make the stall page 588 px wide at
 * 360 px, and the browser zoomed the whole page out.
 *
 * Two ways in: the forms, each field filled with the longest word it accepts
 * (its maxlength), and the result pages; then every page of the app, read
 * from the build's route list so a new page is covered without editing this
 * file, over rows with values longer than any form allows (as an import
 * could make them: seed-long-values.ts, run by start-server.ts).
 */

const ADMIN = "0973 000 401";
const OFFICER = "0903 000 301";

/** Who opens each part of the app, by the path's first segment; anyone else's pages are opened signed out. */
type Visitor = "anonymous" | "farmer" | "buyer" | "admin" | "officer";
const VISITORS: Record<string, Visitor> = {
  seller: "farmer",
  setup: "farmer",
  admin: "admin",
  officer: "officer",
  orders: "buyer",
  account: "buyer",
  cart: "buyer",
  checkout: "buyer",
};

let long: LongValues;
test.beforeAll(() => {
  long = readLongValues();
});

/**
 * How wide the page is, and what sticks out past the phone's edge: the
 * innermost boxes, and boxes whose text runs out of them (named by their
 * class and two ancestors', for the failure message).
 */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const limit = document.documentElement.clientWidth + 0.5;
    // What sticks out of a box that scrolls or clips it (a row of tabs, a gallery) does not widen the page.
    const clipped = (el: Node) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== "visible") return true;
      }
      return false;
    };
    const right = new Map<Element, number>();
    for (const el of document.body.querySelectorAll("*")) {
      const edge = el.getBoundingClientRect().right;
      if (edge > limit && !clipped(el)) right.set(el, edge);
    }
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let text = texts.nextNode(); text; text = texts.nextNode()) {
      range.selectNodeContents(text);
      const edge = range.getBoundingClientRect().right;
      const box = text.parentElement!;
      if (edge > limit && !clipped(text) && !right.has(box)) right.set(box, edge);
    }
    const out = [...right.keys()];
    const name = (el: Element) =>
      el.tagName.toLowerCase() +
      (typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "");
    const culprits = out
      .filter((el) => !out.some((other) => other !== el && el.contains(other)))
      .slice(0, 5)
      .map((el) => {
        const chain = [el.parentElement?.parentElement, el.parentElement, el].filter((e): e is Element => Boolean(e));
        return `${chain.map(name).join(" > ")} (to ${Math.round(right.get(el)!)} px)`;
      });
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits };
  });
}

/** The page is as wide as the phone: nothing typed pushes it sideways, so the browser never zooms it out. */
async function expectPhoneWidth(page: Page, what = new URL(page.url()).pathname) {
  const phone = page.viewportSize()!.width;
  const measured = await overflow(page);
  const message = `${what} is ${measured.scrollWidth} px wide on a ${phone} px phone; sticking out: ${measured.culprits.join(", ")}`;
  expect.soft(measured.scrollWidth, message).toBeLessThanOrEqual(phone);
  expect.soft(measured.innerWidth, message).toBe(phone);
}

/** Fills the field with one unbroken word as long as its maxlength allows. */
async function fillLongest(field: Locator) {
  const max = Number(await field.getAttribute("maxlength"));
  expect(max, `${await field.getAttribute("name")} has a maxlength`).toBeGreaterThan(0);
  await field.fill(longWord(max));
}

async function signedIn(signedInAs: SignedInAs, phone: string, at: string) {
  const { page } = await signedInAs(phone, at);
  return page;
}

test("the forms take their longest words, and neither they nor the pages showing them get wider than the phone", async ({
  page,
  signedInAs,
}) => {
  test.setTimeout(120_000);
  const farmer = await signedIn(signedInAs, long.formFarmerPhone, "/setup/household");
  const form = farmer.getByRole("main");
  const save = form.getByRole("button", { name: "Lưu và tiếp tục" });

  // The household: the farmer's name and address.
  await fillLongest(form.getByLabel("Họ và tên"));
  await fillLongest(form.getByLabel("Thôn, xóm, số nhà"));
  await expectPhoneWidth(farmer);
  await save.click();
  await expect(farmer.getByRole("status").filter({ hasText: "Đã lưu thay đổi." })).toBeVisible();
  await expectPhoneWidth(farmer);

  // The stall: its name and what it says about itself (its link is fixed: the stall is published).
  await farmer.goto("/setup/stall");
  await fillLongest(form.getByLabel("Tên gian hàng"));
  await fillLongest(form.getByLabel("Giới thiệu ngắn"));
  await expectPhoneWidth(farmer);
  await save.click();
  await expect(farmer.getByRole("status").filter({ hasText: "Đã lưu thay đổi." })).toBeVisible();
  await expectPhoneWidth(farmer);

  // Delivery: where and when to pick up.
  await farmer.goto("/setup/delivery");
  await fillLongest(form.getByLabel("Địa chỉ lấy hàng"));
  await fillLongest(form.getByLabel("Giờ lấy hàng"));
  await expectPhoneWidth(farmer);
  await save.click();
  await expect(farmer.getByRole("status").filter({ hasText: "Đã lưu thay đổi." })).toBeVisible();

  // A product: its title and description.
  await farmer.goto("/seller/listings/new");
  await fillLongest(form.getByLabel("Tên sản phẩm"));
  await form.getByLabel("Danh mục").selectOption({ label: "Trái cây" });
  await form.getByLabel("Giá bán (đồng)").fill("45.000");
  await form.getByLabel("Đơn vị bán").selectOption({ label: "kg" });
  await form.getByLabel("Số lượng còn").fill("120");
  await fillLongest(form.getByLabel("Mô tả"));
  await expectPhoneWidth(farmer);
  await form.getByRole("button", { name: "Lưu sản phẩm" }).click();
  await expect(farmer.getByRole("status").filter({ hasText: "Đã lưu sản phẩm" })).toBeVisible();
  await expectPhoneWidth(farmer, "the listing's edit page");

  // Where all that shows: the farmer's pages, the stall page and its poster.
  for (const at of [
    "/seller",
    "/seller/listings",
    "/setup/review",
    `/s/${long.formStallSlug}`,
    `/s/${long.formStallSlug}/poster`,
  ]) {
    await farmer.goto(at);
    await expectPhoneWidth(farmer);
  }

  // A buyer searches for the longest word the box takes: the heading repeats it, the results are the long titles.
  await page.goto("/search");
  const main = page.getByRole("main");
  await fillLongest(main.getByRole("searchbox"));
  await main.getByRole("button", { name: "Tìm", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Kết quả cho/ })).toBeVisible();
  await expect(main.getByRole("link", { name: new RegExp(`^${longWord(40)}`) }).first()).toBeVisible();
  await expectPhoneWidth(page, "the search results");

  // And orders the long-value farmer's product with the longest name, address and note.
  await page.goto(`/s/${long.params.stallSlug}/${long.params.productSlug}`);
  await page.getByRole("button", { name: "Thêm vào giỏ hàng" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Giỏ hàng" })).toBeVisible();
  await expectPhoneWidth(page);
  await main.getByRole("link", { name: "Đặt hàng" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đặt hàng" })).toBeVisible();
  // The commune search box is React's: the checkout hydrates before it is there.
  await waitForHydration(page);
  await fillLongest(main.getByLabel("Họ và tên"));
  await main.getByLabel("Số điện thoại").fill("0915 432 100");
  await main.getByLabel("Tỉnh/thành phố").selectOption({ label: "Thành phố Hải Phòng" });
  await main.getByRole("combobox", { name: "Tìm xã/phường" }).fill("thanh ha");
  await main.getByRole("listbox").getByRole("option", { name: "Xã Thanh Hà" }).click();
  await fillLongest(main.getByLabel("Thôn, số nhà, đường"));
  await main.getByLabel(/^Người bán tự giao/).check();
  await fillLongest(main.getByLabel("Ghi chú cho người bán (không bắt buộc)"));
  await expectPhoneWidth(page);
  await main.getByRole("button", { name: "Đặt hàng", exact: true }).click();
  const heading = page.getByRole("heading", { level: 1, name: /^Đơn hàng [A-Z2-9]{4}-[A-Z2-9]{4}$/ });
  await expect(heading).toBeVisible();
  await expectPhoneWidth(page, "the buyer's new order");
  const code = /[A-Z2-9]{4}-[A-Z2-9]{4}/.exec((await heading.textContent()) ?? "")![0].replace("-", "");

  // The buyer cancels it with the longest reason; the farmer reads all of it on their order page.
  await fillLongest(main.getByLabel("Lý do (không bắt buộc)"));
  await main.getByRole("button", { name: "Hủy đơn này" }).click();
  await expect(main.getByText("Đã hủy").first()).toBeVisible();
  await expectPhoneWidth(page, "the buyer's cancelled order");
  const seller = await signedIn(signedInAs, long.farmerPhone, `/seller/orders/${code}`);
  await expectPhoneWidth(seller, "the farmer's cancelled order");
});

test("every page of the build, showing the longest values, is as wide as the phone", async ({ page, signedInAs }) => {
  test.setTimeout(180_000);
  await page.goto("/");
  const paths = new Map<string, { routeId: string; withParams: boolean }>();
  for (const route of (await appRoutes(page)).filter((r) => r.page)) {
    const at = addressOf(route, long.params, "seed-long-values.ts");
    if (!paths.has(at)) paths.set(at, { routeId: route.id, withParams: route.pattern.includes(":") });
  }
  expect(paths.size, "the build's pages").toBeGreaterThan(20);

  const phones: Record<Exclude<Visitor, "anonymous">, string> = {
    farmer: long.farmerPhone,
    buyer: long.buyerPhone,
    admin: ADMIN,
    officer: OFFICER,
  };
  const visitors = new Map<Visitor, Page>([["anonymous", page]]);
  async function pageOf(visitor: Visitor) {
    if (!visitors.has(visitor)) {
      visitors.set(visitor, await signedIn(signedInAs, phones[visitor as Exclude<Visitor, "anonymous">], "/account"));
    }
    return visitors.get(visitor)!;
  }

  const wide: string[] = [];
  for (const [at, { routeId, withParams }] of paths) {
    const visitor = VISITORS[at.split("/")[1]] ?? "anonymous";
    const tab = await pageOf(visitor);
    const response = await tab.goto(at);
    const status = response?.status() ?? 0;
    const landed = new URL(tab.url()).pathname;
    // A page reached with its parameters' rows must show them; one without parameters may answer
    // 4xx when opened bare (a payment return page without the provider's query), and is measured all the same.
    expect(status, `${routeId} (${at}, as ${visitor}) answered ${status}`).toBeLessThan(withParams ? 400 : 500);
    if (landed === "/login" && at !== "/login") {
      throw new Error(`${routeId} (${at}) sent the ${visitor} visitor to sign in: say who opens it in VISITORS`);
    }
    if (landed !== at) test.info().annotations.push({ type: "redirected", description: `${at} → ${landed}` });
    const phone = tab.viewportSize()!.width;
    const measured = await overflow(tab);
    if (measured.scrollWidth > phone || measured.innerWidth !== phone) {
      wide.push(`${at} (${routeId}, as ${visitor}): ${measured.scrollWidth} px; ${measured.culprits.join(", ")}`);
    }
  }
  expect(wide, "pages wider than the phone").toEqual([]);
});
