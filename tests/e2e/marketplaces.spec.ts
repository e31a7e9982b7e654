import sharp from "sharp";
import { expect, test } from "./fixtures";
import { expectNoSidewaysScroll } from "./phone";

const FARMER = "0912 345 601";
const ADMIN = "0973 000 401";

test("a farmer fixes a listing Meta would leave out, copies the Google feed URL and makes the feeds private", async ({
  signedInAs,
}) => {
  const title = `Rau muống thử ${Date.now() % 100000}`;
  const { page } = await signedInAs(FARMER, "/seller/listings/new");
  const main = page.getByRole("main");

  // A listing with a photo and no description: Google and Meta need one.
  await main.getByLabel("Tên sản phẩm").fill(title);
  await main.getByLabel("Danh mục").selectOption({ label: "Rau lá" });
  await main.getByLabel("Giá bán (đồng)").fill("15.000");
  await main.getByLabel("Đơn vị bán").selectOption({ label: "kg" });
  await main.getByLabel("Số lượng còn").fill("40");
  const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#3f8f3a" } })
    .jpeg()
    .toBuffer();
  await main.getByLabel("Ảnh sản phẩm").setInputFiles([{ name: "rau.jpg", mimeType: "image/jpeg", buffer: photo }]);
  await main.getByRole("button", { name: "Lưu sản phẩm" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".photo-grid img")).toHaveCount(1, { timeout: 30_000 });

  await page.goto("/seller/marketplaces");
  await expect(page.getByRole("heading", { level: 1, name: "Bán trên sàn khác" })).toBeVisible();
  const listing = page.locator("article.readiness").filter({ has: page.getByRole("heading", { name: title }) });
  const forMeta = listing.locator('[data-target="meta"]');
  await expect(forMeta).toContainText("Chưa có mô tả");
  await expectNoSidewaysScroll(page);

  // The link goes to the description, which the farmer fills and saves.
  await forMeta.getByRole("link", { name: `Sửa mô tả của ${title}` }).click();
  await expect(page).toHaveURL(/\?fix=description#f-description$/);
  await main.getByLabel("Mô tả").fill("Rau muống hái sáng, bó 1 kg, giao trong ngày.");
  await main.getByRole("button", { name: "Lưu thay đổi" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu thay đổi." })).toBeVisible();
  await page.getByRole("button", { name: "Đăng bán" }).click();
  await expect(page.getByRole("button", { name: "Tạm dừng bán" })).toBeVisible();

  await page.goto("/seller/marketplaces");
  await expect(
    page.locator("article.readiness").filter({ hasText: title }).locator('[data-target="meta"]'),
  ).toHaveCount(0);

  // Copy the Google feed URL, as the farmer will paste it into Merchant Center.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const googleXml = page.getByRole("textbox", { name: "Google Merchant Center (XML)" });
  const publicUrl = await googleXml.inputValue();
  expect(publicUrl).toMatch(/\/feeds\/vai-thieu-bac-thinh\/google\.xml$/);
  const copy = page.getByRole("button", { name: "Chép đường dẫn Google Merchant Center (XML)" });
  await copy.click();
  await expect(copy).toHaveText("Đã chép");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(publicUrl);
  const feed = await page.request.get(publicUrl);
  expect(feed.status()).toBe(200);
  expect(await feed.text()).toContain(title);

  // Private: the old URL stops working, the new one carries the secret.
  await page.getByRole("button", { name: "Chuyển sang riêng tư" }).click();
  await expect(page.getByText("Riêng tư: chỉ đường dẫn có mã bí mật mới dùng được.")).toBeVisible();
  const privateUrl = await googleXml.inputValue();
  expect(privateUrl).toMatch(/google\.xml\?token=[A-Za-z0-9_-]{43}$/);
  expect((await page.request.get(publicUrl)).status()).toBe(404);
  expect((await page.request.get(privateUrl)).status()).toBe(200);

  // Back to public, as the demo stall was.
  await page.getByRole("button", { name: "Chuyển về công khai" }).click();
  await expect(page.getByText("Công khai: ai có đường dẫn")).toBeVisible();
  expect((await page.request.get(publicUrl)).status()).toBe(200);
});

test("an admin runs a province export and downloads the file", async ({ signedInAs }) => {
  const { page } = await signedInAs(ADMIN, "/admin/exports");
  await expect(page.getByRole("heading", { level: 1, name: "Xuất tệp hàng loạt" })).toBeVisible();
  await page.getByLabel("Cả tỉnh/thành phố").check();
  await page.getByLabel("Tỉnh/thành phố", { exact: true }).selectOption({ label: "Thành phố Hải Phòng" });
  await page.getByLabel("Định dạng").selectOption({ label: "Google Merchant Center (XML)" });
  await page.getByRole("button", { name: "Tạo tệp" }).click();

  // The job runs in the background; the page follows it without a reload.
  const download = page.getByRole("link", { name: "Tải tệp" }).first();
  await expect(download).toBeVisible({ timeout: 30_000 });
  await expectNoSidewaysScroll(page);
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
  expect(file.suggestedFilename()).toMatch(/^gian-hang-so-tinh-\d+-\d{4}-\d{2}-\d{2}-google\.xml$/);
  const xml = await (await file.createReadStream()).toArray();
  const body = Buffer.concat(xml).toString("utf8");
  expect(body).toMatch(
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<rss version="2\.0" xmlns:g="http:\/\/base\.google\.com\/ns\/1\.0">/,
  );
  // Every demo stall is in the province: the lychee farm's products are in the file.
  expect(body).toContain("/s/vai-thieu-bac-thinh/");
});
