import { startVnpayDouble, type VnpayDouble } from "../doubles/vnpay-double";
import { expect, test } from "./fixtures";
import { expectNoSidewaysScroll, findAndAdd } from "./phone";
import { E2E_VNPAY } from "./vnpay-env";

/*
 * A buyer pays two farms' orders from one checkout: one by VietQR transfer
 * (the QR on the order page; the farmer marks the money received), the other
 * through VNPay — here a local double that signs like VNPay, shows a page with
 * a "Thanh toán" button and calls the app's IPN before sending the buyer back.
 * The farmers first turn these methods on in their payment settings.
 */

const APP = `http://localhost:${Number(process.env.E2E_PORT ?? 3100)}`;
const LYCHEE_FARMER = "0912 345 601";
const RADISH_FARMER = "0983 456 702";
const ACCOUNT = { number: "0011001234567", name: "NGUYEN VAN THINH" };

let vnpay: VnpayDouble;
test.beforeAll(async () => {
  vnpay = await startVnpayDouble({
    appOrigin: APP,
    tmnCode: E2E_VNPAY.tmnCode,
    secret: E2E_VNPAY.secret,
    port: E2E_VNPAY.port,
  });
});
test.afterAll(async () => {
  await vnpay?.close();
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
  const payment = main.getByRole("region", { name: "Thanh toán" });
  await expect(payment.getByText("Đã thanh toán", { exact: true })).toBeVisible();
  await expect(main.getByText("Hệ thống: Đã thanh toán 8.000 ₫")).toBeVisible();
  await expectNoSidewaysScroll(page);

  // The other order of the checkout: pay by VietQR to the farmer's own account.
  const siblings = main.getByRole("region", { name: "Các đơn trong lần đặt này" });
  const qrLink = siblings.getByRole("link", { name: /Vườn vải thiều bác Thịnh/ });
  const qrOrder = /[A-Z2-9]{4}-[A-Z2-9]{4}/.exec((await qrLink.textContent()) ?? "")![0];
  await qrLink.click();
  await expect(page.getByRole("heading", { level: 1, name: `Đơn hàng ${qrOrder}` })).toBeVisible();
  const qrPayment = main.getByRole("region", { name: "Thanh toán" });
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
