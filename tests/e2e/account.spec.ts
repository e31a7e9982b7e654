import { expect, test } from "@playwright/test";

/** A fresh, valid VinaPhone number per run, so the test can run against any database. */
function newPhone() {
  const tail = String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0");
  return { typed: `0912 ${tail.slice(0, 3)} ${tail.slice(3)}`, digits: `0912${tail}` };
}

test("a new person signs up with a phone number, switches to English and back, logs out and logs in again", async ({
  page,
}) => {
  const phone = newPhone();
  const password = "vuonvai-thanhha-2026";

  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mua nông sản tận gốc, từ chính người trồng");

  // Sign up as a buyer.
  await page.goto("/signup");
  const main = page.getByRole("main");
  await main.getByLabel("Họ và tên").fill("Nguyễn Thị Lan");
  await main.getByLabel("Số điện thoại").fill(phone.typed);
  await main.getByLabel("Mật khẩu").fill(password);
  await main.getByLabel("Tôi mua hàng").check();
  await main.getByRole("button", { name: "Đăng ký" }).click();

  // Signed in: the account menu greets her by her given name.
  const accountMenu = page.locator("summary", { hasText: "Lan" });
  await expect(accountMenu).toBeVisible();

  // Switch to English: the page is re-rendered in English and stays there across pages.
  await page.getByRole("button", { name: /English/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Buy produce straight from the people who grow it");
  await expect(page.getByRole("button", { name: "Search", exact: true })).toBeVisible();

  // And back to Vietnamese.
  await page.getByRole("button", { name: /Tiếng Việt/ }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mua nông sản tận gốc, từ chính người trồng");

  // Log out from the account menu.
  await accountMenu.click();
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  await expect(page.locator("summary", { hasText: "Lan" })).toHaveCount(0);

  // A wrong password gets one plain message.
  await page.goto("/login");
  await page.getByRole("main").getByLabel("Số điện thoại").fill(phone.digits);
  await page.getByRole("main").getByLabel("Mật khẩu").fill("not-her-password");
  await page.getByRole("main").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("main").getByText("Số điện thoại hoặc mật khẩu không đúng")).toBeVisible();

  // Log in again with the number written differently (+84).
  await page
    .getByRole("main")
    .getByLabel("Số điện thoại")
    .fill(`+84${phone.digits.slice(1)}`);
  await page.getByRole("main").getByLabel("Mật khẩu").fill(password);
  await page.getByRole("main").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.locator("summary", { hasText: "Lan" })).toBeVisible();

  await page.goto("/account");
  await expect(page.getByRole("main")).toContainText(phone.typed);
});

test("the seeded home page lists demo stalls and unknown pages get a translated 404", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("main").getByRole("link").filter({ hasText: "Thanh Hà" }).first()).toBeVisible();
  const response = await page.goto("/khong-co-trang-nay");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
});
