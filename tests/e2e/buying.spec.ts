import { expect, test } from "./fixtures";
import { checkoutCashOnDelivery, expectNoSidewaysScroll, findAndAdd, PHONE_CONTEXT } from "./phone";
import { codeSentTo, smsCount } from "./sms-outbox";

test("an anonymous buyer orders from two stalls with cash on delivery, and each farmer confirms from the phone", async ({
  page,
  signedInAs,
}) => {
  await page.goto("/");
  await expectNoSidewaysScroll(page);
  await findAndAdd(page, "vai thieu say", "Vải thiều sấy khô");
  await findAndAdd(page, "cu cai trang", "Củ cải trắng");

  // The cart holds both stalls' products.
  const main = page.getByRole("main");
  await expect(main.getByRole("link", { name: "Vải thiều sấy khô" })).toBeVisible();
  await expect(main.getByRole("link", { name: "Củ cải trắng" })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await main.getByRole("link", { name: "Đặt hàng" }).click();

  // Checkout: who, where, how each stall delivers; cash on delivery.
  // Two orders, one per stall, from one checkout.
  await checkoutCashOnDelivery(page, { fullName: "Nguyễn Thu Trang", phone: "0912 777 888" });
  const siblings = page.getByRole("main").getByRole("region", { name: "Các đơn trong lần đặt này" });
  const codes = (await siblings.getByRole("link").allTextContents())
    .concat(
      await page
        .getByRole("heading", { level: 1 })
        .textContent()
        .then((h) => [h ?? ""]),
    )
    .map((text) => /[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(text)?.[0])
    .filter((code): code is string => Boolean(code));
  const unique = [...new Set(codes)];
  expect(unique).toHaveLength(2);
  const buyerUrl = page.url();
  await expectNoSidewaysScroll(page);

  // Each farmer confirms theirs from the phone's order screen.
  for (const phone of ["0912 345 601", "0983 456 702"]) {
    const { page: farmer, close } = await signedInAs(phone, "/seller/orders");
    await expect(farmer.getByRole("heading", { level: 1, name: "Đơn hàng" })).toBeVisible();
    const confirm = farmer.getByRole("button", { name: new RegExp(`^Xác nhận đơn (${unique.join("|")})$`) });
    await expect(confirm).toHaveCount(1);
    await confirm.click();
    await expect(farmer.getByRole("status").filter({ hasText: "Đã xác nhận" })).toBeVisible();
    await close();
  }

  // The buyer's order pages show the new state and its timeline row.
  for (const code of unique) {
    await page.goto(buyerUrl.replace(/\/orders\/[^?]+/, `/orders/${code}`));
    await expect(page.getByRole("heading", { level: 1, name: `Đơn hàng ${code}` })).toBeVisible();
    await expect(page.getByRole("main").getByText("Đã xác nhận").first()).toBeVisible();
    await expect(page.getByRole("main").getByText("Người bán: Đã đặt → Đã xác nhận")).toBeVisible();
  }
});

test("a guest ordering again for a number whose order still waits confirms the number with the SMS code", async ({
  page,
}) => {
  const phone = "0912 777 999";
  const main = page.getByRole("main");
  const note = main.getByLabel("Ghi chú cho người bán (không bắt buộc)");
  async function orderRadishes() {
    await findAndAdd(page, "cu cai trang", "Củ cải trắng");
    await main.getByRole("link", { name: "Đặt hàng" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Đặt hàng" })).toBeVisible();
    await main.getByLabel("Họ và tên").fill("Trần Văn Khách");
    await main.getByLabel("Số điện thoại").fill(phone);
    for (const pickup of await main.getByLabel("Nhận tại vườn (miễn phí)").all()) await pickup.check();
    await note.fill("Để ở cổng giúp em");
    await main.getByRole("button", { name: "Đặt hàng", exact: true }).click();
  }
  const orderHeading = page.getByRole("heading", { level: 1, name: /^Đơn hàng [A-Z2-9]{4}-[A-Z2-9]{4}$/ });

  // The first order goes straight through.
  await page.goto("/");
  await orderRadishes();
  await expect(orderHeading).toBeVisible();

  // A second one for the same number while the first waits: the code first, on the same page, the form kept.
  const before = await smsCount(phone);
  await orderRadishes();
  await expect(page.getByRole("heading", { level: 2, name: "Xác nhận số điện thoại" })).toBeVisible();
  await expect(note).toHaveValue("Để ở cổng giúp em");
  await expectNoSidewaysScroll(page);
  await main.getByLabel("Mã xác nhận").fill(await codeSentTo(phone, before));
  await main.getByRole("button", { name: "Xác nhận và đặt hàng" }).click();
  await expect(orderHeading).toBeVisible();
  await expect(main.getByText("Ghi chú: Để ở cổng giúp em")).toBeVisible();
});

test("with JavaScript off, a buyer searches, orders and sees the order; public pages carry no framework script", async ({
  browser,
}) => {
  const context = await browser.newContext({ ...PHONE_CONTEXT, javaScriptEnabled: false });
  const page = await context.newPage();
  const main = page.getByRole("main");
  // What a page would run if it could: Remix's module scripts and their preloads (ADR 022).
  const frameworkScripts = () =>
    page.locator('script[type="module"], script[src^="/build/"], link[rel="modulepreload"]').count();
  const publicPages: Record<string, number> = {};
  page.on("load", async () => {
    const at = new URL(page.url()).pathname;
    if (at !== "/checkout") publicPages[at] = await frameworkScripts();
  });

  await page.goto("/");
  await findAndAdd(page, "cu cai trang", "Củ cải trắng");
  await main.getByRole("link", { name: "Đặt hàng" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đặt hàng" })).toBeVisible();
  await main.getByLabel("Họ và tên").fill("Phạm Thị Không");
  await main.getByLabel("Số điện thoại").fill("0912 777 333");
  // Without the commune search: the province, "Chọn tỉnh", then the commune from the list.
  await main.getByLabel("Tỉnh/thành phố").selectOption({ label: "Thành phố Hải Phòng" });
  await main.getByRole("button", { name: "Chọn tỉnh" }).click();
  await main.getByLabel("Xã/phường").selectOption({ label: "Xã Thanh Hà" });
  await main.getByLabel("Thôn, số nhà, đường").fill("Thôn Phú Lương, số 9");
  for (const pickup of await main.getByLabel("Nhận tại vườn (miễn phí)").all()) await pickup.check();
  await main.getByRole("button", { name: "Đặt hàng", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Đơn hàng [A-Z2-9]{4}-[A-Z2-9]{4}$/ })).toBeVisible();
  await expectNoSidewaysScroll(page);
  publicPages[new URL(page.url()).pathname] = await frameworkScripts();

  // Home, search, product, cart and the order: not one framework script among them.
  const paths = Object.keys(publicPages);
  for (const kind of [/^\/$/, /^\/search$/, /^\/s\/[^/]+\/[^/]+$/, /^\/cart$/, /^\/orders\/[A-Z2-9-]+$/]) {
    expect(
      paths.some((path) => kind.test(path)),
      `visited ${kind}`,
    ).toBe(true);
  }
  expect(Object.entries(publicPages).filter(([, scripts]) => scripts > 0)).toEqual([]);
  await context.close();
});
