import { expect, test } from "./fixtures";
import { PHONE_CONTEXT, signUp } from "./phone";
import { codeSentTo, smsCount } from "./sms-outbox";

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

  // Sign up as a buyer: the number, the SMS code, then name and password.
  await signUp(page, { fullName: "Nguyễn Thị Lan", phone: phone.typed, password, role: "buyer" });

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

test("a person who forgot the password gets a code by SMS, chooses a new one, and the other phone is signed out", async ({
  page,
  browser,
}) => {
  const phone = newPhone();
  await signUp(page, { fullName: "Trần Văn Quên", phone: phone.typed, password: "mat-khau-cu-2026", role: "buyer" });
  await expect(page.locator("summary", { hasText: "Quên" })).toBeVisible();

  // On another phone: "Quên mật khẩu?" on the login page.
  const other = await browser.newContext(PHONE_CONTEXT);
  const otherPage = await other.newPage();
  await otherPage.goto("/login");
  await otherPage.getByRole("link", { name: "Quên mật khẩu?" }).click();
  await expect(otherPage.getByRole("heading", { level: 1, name: "Quên mật khẩu" })).toBeVisible();
  const main = otherPage.getByRole("main");
  await main.getByLabel("Số điện thoại").fill(phone.typed);
  const before = await smsCount(phone.typed);
  await main.getByRole("button", { name: "Nhận mã đặt lại mật khẩu" }).click();
  await expect(otherPage.getByRole("heading", { level: 1, name: "Nhập mã đặt lại mật khẩu" })).toBeVisible();
  await main.getByLabel("Mã xác nhận").fill(await codeSentTo(phone.typed, before));
  await main.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(otherPage.getByRole("heading", { level: 1, name: "Đặt mật khẩu mới" })).toBeVisible();
  await main.getByLabel("Mật khẩu mới").fill("mat-khau-moi-2026");
  await main.getByRole("button", { name: "Lưu mật khẩu và đăng nhập" }).click();
  await expect(otherPage.locator("summary", { hasText: "Quên" })).toBeVisible();
  await other.close();

  // The first phone's session ended with the reset.
  await page.reload();
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  await expect(page.locator("summary", { hasText: "Quên" })).toHaveCount(0);

  // The new password works; the old one does not.
  await page.goto("/login");
  await page.getByRole("main").getByLabel("Số điện thoại").fill(phone.typed);
  await page.getByRole("main").getByLabel("Mật khẩu").fill("mat-khau-cu-2026");
  await page.getByRole("main").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("main").getByText("Số điện thoại hoặc mật khẩu không đúng")).toBeVisible();
  await page.getByRole("main").getByLabel("Mật khẩu").fill("mat-khau-moi-2026");
  await page.getByRole("main").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.locator("summary", { hasText: "Quên" })).toBeVisible();
});

test("the seeded home page lists demo stalls and unknown pages get a translated 404", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("main").getByRole("link").filter({ hasText: "Thanh Hà" }).first()).toBeVisible();
  const response = await page.goto("/khong-co-trang-nay");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
});
