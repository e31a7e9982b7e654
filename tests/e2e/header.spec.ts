import { expect, test } from "./fixtures";

/*
 * The header on a 360 px phone (issue 14): the brand is never cut off, /search
 * has one search box, and the account menu closes when the page changes.
 */

test("the brand shows its initials on a phone and its name where there is room, never cut off", async ({ page }) => {
  await page.goto("/");
  const brand = page.getByRole("banner").getByRole("link", { name: "GHS – Gian Hàng Số, trang chủ" });
  await expect(brand).toContainText("GHS");
  await expect(brand.getByText("Gian Hàng Số")).toBeHidden();
  // Nothing in it is clipped: the link is as wide as what it shows.
  expect(await brand.evaluate((link) => link.scrollWidth <= link.clientWidth)).toBe(true);

  await page.setViewportSize({ width: 480, height: 800 });
  await expect(brand.getByText("Gian Hàng Số")).toBeVisible();
  await expect(brand.getByText("GHS")).toBeHidden();
  expect(await brand.evaluate((link) => link.scrollWidth <= link.clientWidth)).toBe(true);
});

test("/search has one search box, the page's own with its filters", async ({ page }) => {
  await page.goto("/search?q=vai");
  await expect(page.getByRole("searchbox")).toHaveCount(1);
  await expect(page.getByRole("main").getByRole("searchbox")).toHaveValue("vai");
  // Elsewhere the header's box is there.
  await page.goto("/cart");
  await expect(page.getByRole("banner").getByRole("searchbox")).toBeVisible();
});

test("the account menu closes when one of its links is tapped and when the page changes", async ({ signedInAs }) => {
  const { page } = await signedInAs("0912 345 601", "/seller/orders");
  const menu = page.getByRole("banner").locator("details.account-menu");
  const summary = menu.locator("summary");

  await summary.click();
  await expect(menu).toHaveAttribute("open", "");
  await menu.getByRole("link", { name: "Gian hàng của tôi" }).click();
  await page.waitForURL((url) => url.pathname === "/seller");
  await expect(menu).not.toHaveAttribute("open");

  // Back to the orders, in the page (no new document), with the menu open.
  await summary.click();
  await expect(menu).toHaveAttribute("open", "");
  await page.goBack();
  await page.waitForURL((url) => url.pathname === "/seller/orders");
  await expect(menu).not.toHaveAttribute("open");
});
