import { startStripeCheckoutDouble, type StripeCheckoutDouble } from "../doubles/stripe-checkout-double";
import { startVnpayDouble, type VnpayDouble } from "../doubles/vnpay-double";
import { expect, test } from "./fixtures";
import { expectNoSidewaysScroll, findAndAdd } from "./phone";
import { E2E_STRIPE } from "./stripe-env";
import { E2E_VNPAY } from "./vnpay-env";

/*
 * A buyer pays two farms' orders from one checkout: one by VietQR transfer
 * (the QR on the order page; the farmer marks the money received), the other
 * through VNPay — here a local double that signs like VNPay, shows a page with
 * a "Thanh toán" button and calls the app's IPN before sending the buyer back.
 * The farmers first turn these methods on in their payment settings. Then a
 * checkout of a VNPay farm and a card farm is paid in one go: VNPay, then the
 * return page goes on to Stripe Checkout (a local double of its API and its
 * page, whose "Pay" sends the signed webhook).
 */

const APP = `http://localhost:${Number(process.env.E2E_PORT ?? 3100)}`;
const LYCHEE_FARMER = "0912 345 601";
const RADISH_FARMER = "0983 456 702";
const ACCOUNT = { number: "0011001234567", name: "NGUYEN VAN THINH" };

let vnpay: VnpayDouble;
let stripe: StripeCheckoutDouble;
test.beforeAll(async () => {
  vnpay = await startVnpayDouble({
    appOrigin: APP,
    tmnCode: E2E_VNPAY.tmnCode,
    secret: E2E_VNPAY.secret,
    port: E2E_VNPAY.port,
  });
  stripe = await startStripeCheckoutDouble({
    appOrigin: APP,
    secretKey: E2E_STRIPE.secretKey,
    webhookSecret: E2E_STRIPE.webhookSecret,
    port: E2E_STRIPE.port,
  });
});
test.afterAll(async () => {
  await vnpay?.close();
  await stripe?.close();
});

test("a buyer pays one order by VietQR and one through VNPay; each shows paid", async ({ page, signedInAs }) => {
  // The farmers turn the methods on: VietQR to bác Thịnh's own account, VNPay for chị Hằng.
  const lycheeFarm = await signedInAs(LYCHEE_FARMER, "/setup/payment");
  const settings = lycheeFarm.page.getByRole("main");
  await settings.getByLabel("Chuyển khoản bằng mã VietQR").check();
  await settings.getByLabel("Ngân hàng", { exact: true }).selectOption("970436");
  await settings.getByLabel("Số tài khoản").fill(ACCOUNT.number);
  await settings.getByLabel("Tên chủ tài khoản").fill("Nguyễn Văn Thịnh");
  await settings.getByRole("button", { name: "Lưu và tiếp tục" }).click();
  await expect(lycheeFarm.page.getByText("Đã lưu thay đổi.")).toBeVisible();
  await lycheeFarm.close();

  const radishFarm = await signedInAs(RADISH_FARMER, "/setup/payment");
  await radishFarm.page.getByRole("main").getByLabel("VNPay", { exact: true }).check();
  await radishFarm.page.getByRole("main").getByRole("button", { name: "Lưu và tiếp tục" }).click();
  await expect(radishFarm.page.getByText("Đã lưu thay đổi.")).toBeVisible();
  await radishFarm.close();

  // The buyer fills one cart from both farms.
  await page.goto("/");
  await findAndAdd(page, "vai thieu say", "Vải thiều sấy khô");
  await findAndAdd(page, "cu cai trang", "Củ cải trắng");
  const main = page.getByRole("main");
  await main.getByRole("link", { name: "Đặt hàng" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đặt hàng" })).toBeVisible();

  // Each stall offers its own ways to pay, cash on delivery first.
  const lycheeStall = main.getByRole("region", { name: /Vườn vải thiều bác Thịnh/ });
  const radishStall = main.getByRole("region", { name: /Cà rốt Cẩm Giàng/ });
  await expect(lycheeStall.getByLabel("Thanh toán khi nhận hàng (COD)")).toBeChecked();
  await expect(
    lycheeStall.getByText("Chuyển khoản tới tài khoản của người bán, mã QR hiện sau khi đặt."),
  ).toBeVisible();
  await expect(lycheeStall.getByLabel("VNPay")).toHaveCount(0);
  await expect(radishStall.getByText("Thẻ ATM/QR ngân hàng qua VNPay.")).toBeVisible();
  await expectNoSidewaysScroll(page);

  await main.getByLabel("Họ và tên").fill("Lê Thị Mai");
  await main.getByLabel("Số điện thoại").fill("0912 555 666");
  for (const pickup of await main.getByLabel("Nhận tại vườn (miễn phí)").all()) await pickup.check();
  await lycheeStall.getByLabel("Chuyển khoản VietQR").check();
  await radishStall.getByLabel("VNPay").check();
  await main.getByRole("button", { name: "Đặt hàng" }).click();

  // VNPay's page (the double): 8.000 ₫ for the radishes; the buyer pays.
  await page.waitForURL((url) => url.port === String(E2E_VNPAY.port));
  await expect(page.getByRole("heading", { name: "VNPay (thử nghiệm)" })).toBeVisible();
  await expect(page.getByText("8.000 VND")).toBeVisible();
  await page.getByRole("button", { name: "Thanh toán" }).click();

  // Back in the app: the return page says it is paid (the IPN came first), and leads to the order.
  await expect(page.getByRole("heading", { level: 1, name: "Kết quả thanh toán" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Đã thanh toán 8.000 ₫" })).toBeVisible();
  expect(vnpay.ipnAnswers.map((a) => (a.body as { RspCode: string }).RspCode)).toEqual(["00"]);
  await expectNoSidewaysScroll(page);
  await main.getByRole("link", { name: /^Xem đơn [A-Z2-9]{4}-[A-Z2-9]{4}$/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Đơn hàng / })).toBeVisible();
  const payment = main.getByRole("region", { name: "Thanh toán", exact: true });
  await expect(payment.getByText("Đã thanh toán", { exact: true })).toBeVisible();
  await expect(main.getByText("Hệ thống: Đã thanh toán 8.000 ₫")).toBeVisible();
  await expectNoSidewaysScroll(page);

  // The other order of the checkout: pay by VietQR to the farmer's own account.
  const siblings = main.getByRole("region", { name: "Các đơn trong lần đặt này" });
  const qrLink = siblings.getByRole("link", { name: /Vườn vải thiều bác Thịnh/ });
  const qrOrder = /[A-Z2-9]{4}-[A-Z2-9]{4}/.exec((await qrLink.textContent()) ?? "")![0];
  await qrLink.click();
  await expect(page.getByRole("heading", { level: 1, name: `Đơn hàng ${qrOrder}` })).toBeVisible();
  const qrPayment = main.getByRole("region", { name: "Thanh toán", exact: true });
  await expect(
    qrPayment.getByRole("img", { name: /^Mã VietQR: chuyển 160\.000 ₫ đến tài khoản 0011001234567/ }),
  ).toBeVisible();
  for (const text of ["Vietcombank", ACCOUNT.number, ACCOUNT.name, "160.000 ₫", qrOrder.replace("-", "")]) {
    await expect(qrPayment.getByText(text, { exact: true })).toBeVisible();
  }
  await expect(qrPayment.getByText("Đang chờ thanh toán", { exact: true })).toBeVisible();
  // The code and the amount to pay are on the first screen of a 360×640 phone: no scrolling to pay.
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const part of [qrPayment.getByRole("img", { name: /^Mã VietQR/ }), qrPayment.getByText("Số tiền: 160.000 ₫")]) {
    const box = (await part.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(640);
  }
  // Copying needs no React: public/enhance.js shows the button once the clipboard works, and copies.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const copyAccount = qrPayment.getByRole("button", { name: "Sao chép Số tài khoản" });
  await expect(copyAccount).toBeVisible();
  await copyAccount.click();
  await expect(copyAccount).toHaveText("Đã sao chép");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ACCOUNT.number);
  await expectNoSidewaysScroll(page);
  const qrOrderUrl = page.url();

  // The farmer sees the transfer in their bank app and marks the money received.
  const farmer = await signedInAs(LYCHEE_FARMER, `/seller/orders/${qrOrder.replace("-", "")}`);
  await farmer.page.getByRole("button", { name: "Đã nhận tiền" }).click();
  await expect(farmer.page.getByText(`Đã ghi nhận tiền của đơn ${qrOrder}`)).toBeVisible();
  await farmer.close();

  // The buyer sees it paid, the QR gone.
  await page.goto(qrOrderUrl);
  await expect(qrPayment.getByText("Đã thanh toán", { exact: true })).toBeVisible();
  await expect(qrPayment.getByRole("img", { name: /Mã VietQR/ })).toHaveCount(0);
  await expect(main.getByText("Người bán: Đã thanh toán 160.000 ₫")).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test("one checkout of a VNPay farm and a card farm is paid in one go: VNPay, then on to Stripe, both paid", async ({
  page,
  signedInAs,
}) => {
  // The farmers turn the methods on: cards for bác Thịnh, VNPay for chị Hằng.
  const lycheeFarm = await signedInAs(LYCHEE_FARMER, "/setup/payment");
  await lycheeFarm.page.getByRole("main").getByLabel("Thẻ (Stripe)").check();
  await lycheeFarm.page.getByRole("main").getByRole("button", { name: "Lưu và tiếp tục" }).click();
  await expect(lycheeFarm.page.getByText("Đã lưu thay đổi.")).toBeVisible();
  await lycheeFarm.close();
  const radishFarm = await signedInAs(RADISH_FARMER, "/setup/payment");
  await radishFarm.page.getByRole("main").getByLabel("VNPay", { exact: true }).check();
  await radishFarm.page.getByRole("main").getByRole("button", { name: "Lưu và tiếp tục" }).click();
  await expect(radishFarm.page.getByText("Đã lưu thay đổi.")).toBeVisible();
  await radishFarm.close();

  // The buyer fills one cart from both farms and places it once: the lychees by card, the radishes by VNPay.
  await page.goto("/");
  await findAndAdd(page, "vai thieu say", "Vải thiều sấy khô");
  await findAndAdd(page, "cu cai trang", "Củ cải trắng");
  const main = page.getByRole("main");
  await main.getByRole("link", { name: "Đặt hàng" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Đặt hàng" })).toBeVisible();
  await main.getByLabel("Họ và tên").fill("Phạm Thu Hà");
  await main.getByLabel("Số điện thoại").fill("0912 555 777");
  for (const pickup of await main.getByLabel("Nhận tại vườn (miễn phí)").all()) await pickup.check();
  await main
    .getByRole("region", { name: /Vườn vải thiều bác Thịnh/ })
    .getByLabel("Thẻ quốc tế")
    .check();
  await main
    .getByRole("region", { name: /Cà rốt Cẩm Giàng/ })
    .getByLabel("VNPay")
    .check();
  await main.getByRole("button", { name: "Đặt hàng" }).click();

  // VNPay first (VNPay, then cards, whatever the cart's order): 8.000 ₫ for the radishes.
  await page.waitForURL((url) => url.port === String(E2E_VNPAY.port));
  await expect(page.getByText("8.000 VND")).toBeVisible();
  await page.getByRole("button", { name: "Thanh toán" }).click();

  // Back in the app: the radishes are paid, and the page goes on by itself to the card payment.
  await expect(page.getByRole("heading", { level: 1, name: "Kết quả thanh toán" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Đã thanh toán 8.000 ₫" })).toBeVisible();
  const next = main.getByRole("region", { name: "Thanh toán tiếp", exact: true });
  await expect(next.getByRole("button", { name: "Thanh toán tiếp 160.000 ₫ qua thẻ (Stripe)" })).toBeVisible();
  await expect(next.getByText("Đang chuyển sang trang thanh toán thẻ (Stripe)…")).toBeVisible();
  const radishOrder = (await main.getByRole("link", { name: /^Xem đơn / }).getAttribute("href"))!;
  await page.waitForURL((url) => url.port === String(E2E_STRIPE.port));

  // Meanwhile the radish order's page says which order of the checkout still waits, and how to pay it.
  const tab = await page.context().newPage();
  await tab.goto(radishOrder);
  await expect(
    tab
      .getByRole("main")
      .getByRole("region", { name: "Thanh toán", exact: true })
      .getByText("Đã thanh toán", { exact: true }),
  ).toBeVisible();
  const waiting = tab.getByRole("main").getByRole("region", { name: "Đơn khác còn chờ thanh toán" });
  await expect(waiting.getByText(/Vườn vải thiều bác Thịnh\): 160\.000\s₫ qua thẻ \(Stripe\)/)).toBeVisible();
  await expect(waiting.getByRole("button", { name: "Thanh toán lại 160.000 ₫ qua thẻ (Stripe)" })).toBeVisible();
  await expectNoSidewaysScroll(tab);
  await tab.close();

  // Stripe Checkout (the double): 160.000 ₫ for the lychees; the buyer pays.
  await expect(page.getByRole("heading", { name: "Stripe Checkout (thử nghiệm)" })).toBeVisible();
  await expect(page.getByText("160.000 VND")).toBeVisible();
  await page.getByRole("button", { name: "Pay" }).click();

  // Back again: all of the checkout is paid, its orders linked; nothing goes on by itself any more.
  await expect(page.getByRole("heading", { level: 1, name: "Kết quả thanh toán" })).toBeVisible();
  const status = page.getByRole("status");
  await expect(status.filter({ hasText: "Đã thanh toán 160.000 ₫" })).toBeVisible();
  await expect(status.filter({ hasText: "Tất cả các đơn của lần đặt này đã được thanh toán." })).toBeVisible();
  expect(stripe.webhookAnswers.map((a) => [a.status, a.body])).toEqual([[200, { received: true, result: "applied" }]]);
  await expect(main.getByRole("button")).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  const orders = main.getByRole("link", { name: /^Xem đơn [A-Z2-9]{4}-[A-Z2-9]{4}$/ });
  await expect(orders).toHaveCount(2);
  const hrefs = await orders.evaluateAll((links) => links.map((a) => a.getAttribute("href")!));

  // Each order's page says paid, and that nothing of the checkout waits.
  for (const href of hrefs) {
    await page.goto(href);
    await expect(page.getByRole("heading", { level: 1, name: /^Đơn hàng / })).toBeVisible();
    await expect(
      main.getByRole("region", { name: "Thanh toán", exact: true }).getByText("Đã thanh toán", { exact: true }),
    ).toBeVisible();
    await expect(main.getByRole("region", { name: "Đơn khác còn chờ thanh toán" })).toHaveCount(0);
    await expectNoSidewaysScroll(page);
  }
});
