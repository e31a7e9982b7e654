import type { Page } from "@playwright/test";
import sharp from "sharp";
import { expect, test, type SignedInAs } from "./fixtures";

/** A phone-camera-like JPEG of one colour, so the two photos are told apart by their colour. */
function photo(color: string) {
  return sharp({ create: { width: 1600, height: 1200, channels: 3, background: color } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** Bác Thịnh, a demo farmer, on his phone at his products. */
async function farmerAtListings(signedInAs: SignedInAs) {
  const { page } = await signedInAs("0912 345 601", "/seller/listings");
  await expect(page.getByRole("heading", { name: "Sản phẩm của tôi" })).toBeVisible();
  return page;
}

/** The colour of the cover (first) photo on the page, read from the painted placeholder. */
async function photoColors(page: Page) {
  return page
    .locator(".photo-grid img")
    .evaluateAll((imgs) => imgs.map((img) => getComputedStyle(img).backgroundColor));
}

test("a farmer creates a listing with two photos, reorders them, changes the price, pauses and re-activates it", async ({
  signedInAs,
}) => {
  const title = `Vải thiều loại 1 – thử ${Date.now() % 100000}`;
  const page = await farmerAtListings(signedInAs);

  await page.getByRole("link", { name: "Thêm sản phẩm" }).first().click();
  const main = page.getByRole("main");
  await main.getByLabel("Tên sản phẩm").fill(title);
  await main.getByLabel("Danh mục").selectOption({ label: "Trái cây" });
  await main.getByLabel("Giá bán (đồng)").fill("45.000");
  await main.getByLabel("Đơn vị bán").selectOption({ label: "kg" });
  await main.getByLabel("Số lượng còn").fill("120");
  await main.getByLabel("Mô tả").fill("Vải chín cây, hái buổi sáng, giao trong ngày.");
  await main.getByLabel("Ảnh sản phẩm").setInputFiles([
    { name: "do.jpg", mimeType: "image/jpeg", buffer: await photo("#c0392b") },
    { name: "xanh.jpg", mimeType: "image/jpeg", buffer: await photo("#2e86c1") },
  ]);
  await main.getByRole("button", { name: "Lưu sản phẩm" }).click();

  // The edit page uploads both photos with progress bars, then shows them in order.
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu sản phẩm" })).toBeVisible();
  await expect(page.locator(".photo-grid img")).toHaveCount(2, { timeout: 30_000 });
  const before = await photoColors(page);
  expect(before[0]).not.toEqual(before[1]);

  // Reorder: the second photo becomes the cover.
  await page.locator(".photo-grid li").nth(1).getByRole("button", { name: "Lên trước" }).click();
  await expect.poll(() => photoColors(page)).toEqual([before[1], before[0]]);
  await expect(page.locator(".photo-grid li").first()).toContainText("Ảnh bìa");

  // Change the price.
  await main.getByLabel("Giá bán (đồng)").fill("52000");
  await main.getByRole("button", { name: "Lưu thay đổi" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu thay đổi" })).toBeVisible();
  await expect(main.getByLabel("Giá bán (đồng)")).toHaveValue("52000");

  // Put it on sale, pause it, sell again.
  await main.getByRole("button", { name: "Đăng bán" }).click();
  await expect(page.locator(".status-badge").first()).toHaveText("Đang bán");
  await main.getByRole("button", { name: "Tạm dừng bán" }).click();
  await expect(page.locator(".status-badge").first()).toHaveText("Tạm ẩn");
  await main.getByRole("button", { name: "Bán lại" }).click();
  await expect(page.locator(".status-badge").first()).toHaveText("Đang bán");

  // The product page shows it, with the new price and the new cover first.
  const productLink = main.getByRole("link", { name: "Xem trang sản phẩm" });
  const href = (await productLink.getAttribute("href"))!;
  expect(href).toMatch(/^\/s\/vai-thieu-bac-thinh\/vai-thieu-loai-1-thu-\d+$/);
  await productLink.click();
  await page.waitForURL(`**${href}`);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".price").first()).toContainText("52.000\u00a0₫");
  const gallery = page.locator(".gallery img");
  await expect(gallery).toHaveCount(2);
  expect(await gallery.first().evaluate((img) => getComputedStyle(img).backgroundColor)).toBe(before[1]);
  // Responsive images: AVIF and WebP sources, sized per viewport.
  await expect(page.locator(".gallery picture source[type='image/avif']").first()).toHaveAttribute("srcset", /320w/);
  const ld = await page.locator('script[type="application/ld+json"]').textContent();
  expect(JSON.parse(ld!)).toMatchObject({ "@type": "Product", offers: { price: 52000, priceCurrency: "VND" } });
});

test("a fake photo gets a clear message and changes nothing", async ({ signedInAs }) => {
  const page = await farmerAtListings(signedInAs);
  await page.locator(".list-plain .listing-row").first().click();
  await expect(page.getByRole("heading", { name: "Ảnh", exact: true })).toBeVisible();
  const count = await page.locator(".photo-grid img").count();
  await page.getByLabel(/Thêm ảnh/).setInputFiles({
    name: "anh.jpg",
    mimeType: "image/jpeg",
    buffer: Buffer.from("đây không phải là ảnh"),
  });
  await expect(page.locator(".upload-item.is-failed")).toContainText("không phải là ảnh");
  await expect(page.getByRole("button", { name: "Thử lại" })).toBeVisible();
  await page.reload();
  await expect(page.locator(".photo-grid img")).toHaveCount(count);
});
