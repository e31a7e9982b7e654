import type { Page } from "@playwright/test";
import sharp from "sharp";
import { expect, test } from "./fixtures";
import { PHONE_CONTEXT, signUp } from "./phone";

/** A fresh, valid Viettel number per run, so the tests can run against any database. */
function newPhone() {
  const tail = String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0");
  return `0386 ${tail.slice(0, 3)} ${tail.slice(3)}`;
}

const PASSWORD = "vuon-nha-toi-2026";

function signUpAsFarmer(page: Page, fullName: string, phone: string) {
  return signUp(page, { fullName, phone, password: PASSWORD, role: "farmer" });
}

/** The wizard step the page shows ("Bước 2/6 · Gian hàng"). */
const stepCount = (page: Page) => page.locator(".wizard-count");

async function fillHousehold(page: Page) {
  const main = page.getByRole("main");
  await main.getByLabel("Tỉnh/thành phố").selectOption({ label: "Thành phố Hải Phòng" });
  // Typed without diacritics, as farmers do on a phone keyboard.
  await main.getByRole("combobox", { name: "Tìm xã/phường" }).fill("thanh ha");
  await main.getByRole("listbox").getByRole("option", { name: "Xã Thanh Hà" }).click();
  await expect(main.getByLabel("Xã/phường", { exact: true })).toHaveValue("10813");
  await main.getByLabel("Thôn, xóm, số nhà").fill("Thôn Phú Lương");
}

test("a new farmer opens a stall in six screens, and a buyer sees the product and its photo", async ({
  page,
  browser,
}) => {
  const suffix = Date.now() % 100000;
  const stallName = `Vườn vải thử ${suffix}`;
  const screens = new Set<string>();
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame() && new URL(frame.url()).pathname.startsWith("/setup/"))
      screens.add(new URL(frame.url()).pathname);
  });

  await signUpAsFarmer(page, "Phạm Văn Vải", newPhone());

  // 1. Household: name prefilled from sign-up.
  await expect(stepCount(page)).toHaveText("Bước 1/6 · Hộ của bạn");
  await expect(page.getByRole("main").getByLabel("Họ và tên")).toHaveValue("Phạm Văn Vải");
  await fillHousehold(page);
  await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

  // 2. Stall: the link follows the name.
  await expect(stepCount(page)).toHaveText("Bước 2/6 · Gian hàng");
  const main = page.getByRole("main");
  await main.getByLabel("Tên gian hàng").fill(stallName);
  await expect(main.getByLabel("Đường link gian hàng")).toHaveValue(`vuon-vai-thu-${suffix}`);
  await main.getByLabel("Ảnh bìa").setInputFiles({
    name: "vuon.jpg",
    mimeType: "image/jpeg",
    buffer: await sharp({ create: { width: 1600, height: 900, channels: 3, background: "#2e7d32" } })
      .jpeg()
      .toBuffer(),
  });
  await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

  // 3. First product with a photo.
  await expect(stepCount(page)).toHaveText("Bước 3/6 · Sản phẩm đầu tiên");
  await main.getByLabel("Tên sản phẩm").fill("Vải thiều Thanh Hà loại 1");
  await main.getByLabel("Danh mục").selectOption({ label: "Trái cây" });
  await main.getByLabel("Giá bán (đồng)").fill("45.000");
  await main.getByLabel("Đơn vị bán").selectOption({ label: "kg" });
  await main.getByLabel("Số lượng còn").fill("200");
  await main.getByLabel("Ảnh sản phẩm").setInputFiles({
    name: "vai.jpg",
    mimeType: "image/jpeg",
    buffer: await sharp({ create: { width: 2400, height: 1800, channels: 3, background: "#c0392b" } })
      .jpeg()
      .toBuffer(),
  });
  await page.getByRole("button", { name: "Lưu sản phẩm và tiếp tục" }).click();

  // 4. Payment: cash on delivery is on already.
  await expect(stepCount(page)).toHaveText("Bước 4/6 · Thanh toán");
  await expect(main.getByLabel("Tiền mặt khi nhận hàng (COD)")).toBeChecked();
  await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

  // 5. Delivery: pickup at the farm is suggested with the household's address.
  await expect(stepCount(page)).toHaveText("Bước 5/6 · Giao hàng");
  await expect(main.getByLabel("Địa chỉ lấy hàng")).toHaveValue("Thôn Phú Lương");
  await main.getByLabel("Giờ lấy hàng").fill("7:00–17:00");
  await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

  // 6. Review and publish.
  await expect(stepCount(page)).toHaveText("Bước 6/6 · Xem lại và mở");
  await expect(main.getByText("Vải thiều Thanh Hà loại 1")).toBeVisible();
  await expect(main.getByText("Còn thiếu để mở gian hàng")).toHaveCount(0);
  await page.getByRole("button", { name: "Mở gian hàng" }).click();
  await expect(page.getByRole("status").filter({ hasText: "đã mở" })).toBeVisible();

  expect([...screens]).toEqual([
    "/setup/household",
    "/setup/stall",
    "/setup/product",
    "/setup/payment",
    "/setup/delivery",
    "/setup/review",
  ]);

  // An anonymous buyer on another phone opens the stall and sees the product with its photo.
  const buyer = await browser.newContext(PHONE_CONTEXT);
  const buyerPage = await buyer.newPage();
  const response = await buyerPage.goto(`/s/vuon-vai-thu-${suffix}`);
  expect(response?.status()).toBe(200);
  await expect(buyerPage.getByRole("heading", { level: 1, name: stallName })).toBeVisible();
  const card = buyerPage.getByRole("link", { name: /Vải thiều Thanh Hà loại 1/ }).first();
  await expect(card).toBeVisible();
  const img = buyerPage.locator("main img[alt*='Vải thiều Thanh Hà loại 1']").first();
  await img.scrollIntoViewIfNeeded();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
  await expect(buyerPage.getByText("45.000\u00a0₫").first()).toBeVisible();
  await buyer.close();
});

test("the wizard resumes after a reload and on another device, and an incomplete stall is told what is missing", async ({
  page,
  browser,
}) => {
  const phone = newPhone();
  await signUpAsFarmer(page, "Đỗ Thị Cà", phone);
  await fillHousehold(page);
  await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();
  const main = page.getByRole("main");
  await main.getByLabel("Tên gian hàng").fill("Cà rốt nhà Cà");
  await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();
  await expect(stepCount(page)).toHaveText("Bước 3/6 · Sản phẩm đầu tiên");

  // A reload stays on the same step.
  await page.reload();
  await expect(stepCount(page)).toHaveText("Bước 3/6 · Sản phẩm đầu tiên");

  // Another phone: logging in resumes at the same step, with what was saved.
  const other = await browser.newContext(PHONE_CONTEXT);
  const otherPage = await other.newPage();
  await otherPage.goto("/login");
  await otherPage.getByRole("main").getByLabel("Số điện thoại").fill(phone);
  await otherPage.getByRole("main").getByLabel("Mật khẩu").fill(PASSWORD);
  await otherPage.getByRole("main").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(otherPage.locator(".wizard-count")).toHaveText("Bước 3/6 · Sản phẩm đầu tiên");
  await otherPage.getByRole("link", { name: "Quay lại" }).click();
  await expect(otherPage.getByRole("main").getByLabel("Tên gian hàng")).toHaveValue("Cà rốt nhà Cà");
  await expect(otherPage.getByRole("main").getByLabel("Đường link gian hàng")).toHaveValue("ca-rot-nha-ca");
  await other.close();

  // Skip the product, and turn every payment method off: refused with a message.
  await page.getByRole("button", { name: "Để sau" }).click();
  await expect(stepCount(page)).toHaveText("Bước 4/6 · Thanh toán");
  await main.getByLabel("Tiền mặt khi nhận hàng (COD)").uncheck();
  await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();
  await expect(main.getByText(/ít nhất một/)).toBeVisible();
  await expect(stepCount(page)).toHaveText("Bước 4/6 · Thanh toán");
  await main.getByLabel("Tiền mặt khi nhận hàng (COD)").check();
  await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();
  await page.getByRole("button", { name: "Lưu và tiếp tục" }).click();

  // Publishing without a product: the review says what is missing, with a link to fix it.
  await expect(stepCount(page)).toHaveText("Bước 6/6 · Xem lại và mở");
  await page.getByRole("button", { name: "Mở gian hàng" }).click();
  const missing = page.getByRole("alert").filter({ hasText: "Còn thiếu để mở gian hàng" });
  await expect(missing).toContainText("Chưa có sản phẩm nào đang bán.");
  await missing.getByRole("link", { name: "Bổ sung" }).click();
  await expect(stepCount(page)).toHaveText("Bước 3/6 · Sản phẩm đầu tiên");
  // Nothing was published.
  const response = await page.request.get("/s/ca-rot-nha-ca");
  expect(response.status()).toBe(404);
});
