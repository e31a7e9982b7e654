/**
 * The seller's work done without signal (issue 17): it waits on the phone,
 * listed with its state, and is sent in order, once, when the signal returns;
 * what the server refuses is told in plain words. Service workers are blocked
 * here: `context.setOffline` cuts the page's own network, and the page alone
 * sends the queue (on `online`, on load).
 */
import type { BrowserContext } from "@playwright/test";
import { test, waitForHydration } from "./fixtures";
import { expect, farmerPhone, guestOrder, photo, refusedList, waitingList } from "./offline";
import { PHONE_CONTEXT } from "./phone";

/** Bác Thịnh, whose stall sells "Vải thiều sấy khô". */
const FARMER = "0912 345 601";
const CONTEXT = { ...PHONE_CONTEXT, serviceWorkers: "block" as const };

async function openPage(context: BrowserContext, path: string) {
  const page = await context.newPage();
  await page.goto(path);
  await waitForHydration(page);
  return page;
}

test("offline, a farmer creates a listing with two photos and confirms an order; back online both land once", async ({
  browser,
}) => {
  const buyer = await guestOrder(browser, "vai thieu say", "Vải thiều sấy khô");
  const { context, page: listingPage } = await farmerPhone(browser, FARMER, "/seller/listings/new");
  const orderPage = await openPage(context, `/seller/orders/${buyer.code.replace("-", "")}`);
  const title = `Nhãn lồng thử ${Date.now() % 100000}`;

  // She starts typing with signal (the form's checks load once someone types; without a worker nothing keeps
  // them for later), then the signal goes.
  const main = listingPage.getByRole("main");
  await main.getByLabel("Tên sản phẩm").fill(title);
  await main.getByLabel("Tên sản phẩm").blur();
  await main.getByLabel("Danh mục").selectOption({ label: "Trái cây" });
  await listingPage.waitForFunction(() =>
    performance.getEntriesByType("resource").some((entry) => /\/schemas-[A-Z0-9]+\.js$/.test(entry.name)),
  );
  await context.setOffline(true);

  // A bad price is caught on the phone at once: nothing is queued.
  await main.getByLabel("Giá bán (đồng)").fill("bốn mươi nghìn");
  await main.getByLabel("Đơn vị bán").selectOption({ label: "kg" });
  await main.getByLabel("Số lượng còn").fill("50");
  await main.getByRole("button", { name: "Lưu sản phẩm" }).click();
  await expect(main.getByText("Giá bán chỉ gồm chữ số, ví dụ 125000 hoặc 125.000")).toBeVisible();
  await expect(waitingList(listingPage)).toHaveCount(0);

  // Fixed, with two photos: stored on the phone.
  await main.getByLabel("Giá bán (đồng)").fill("40.000");
  await main.getByLabel("Ảnh sản phẩm").setInputFiles([
    { name: "vang.jpg", mimeType: "image/jpeg", buffer: await photo("#d4ac0d") },
    { name: "nau.jpg", mimeType: "image/jpeg", buffer: await photo("#7e5109") },
  ]);
  await main.getByRole("button", { name: "Lưu sản phẩm" }).click();
  await expect(
    listingPage.getByRole("status").filter({ hasText: "Đã lưu trên máy · sẽ gửi khi có mạng" }),
  ).toBeVisible();
  await expect(waitingList(listingPage).getByRole("heading")).toHaveText("Đang chờ gửi (3)");
  await expect(waitingList(listingPage)).toContainText(`Thêm sản phẩm «${title}»`);
  await expect(waitingList(listingPage)).toContainText(`Ảnh 2 của «${title}»`);

  // The order, on the other tab: confirmed offline, waiting after the listing (both tabs see all four).
  await orderPage.getByRole("button", { name: "Xác nhận đơn" }).click();
  await expect(orderPage.getByRole("status").filter({ hasText: "Đã lưu trên máy" })).toBeVisible();
  const orderWaiting = waitingList(orderPage);
  await expect(orderWaiting.getByRole("heading")).toHaveText("Đang chờ gửi (4)");
  await expect(orderWaiting.getByRole("listitem").last()).toContainText(`Xác nhận đơn ${buyer.code}`);
  await expect(orderWaiting.getByRole("listitem").last()).toContainText("Đang chờ mạng");
  await expect(waitingList(listingPage).getByRole("heading")).toHaveText("Đang chờ gửi (4)");

  // Signal again: both tabs hear `online`; one sends, in order, and the lists empty.
  await context.setOffline(false);
  await expect(waitingList(orderPage)).toHaveCount(0, { timeout: 30_000 });
  await expect(waitingList(listingPage)).toHaveCount(0);
  await expect(refusedList(orderPage)).toHaveCount(0);

  // The order page reads itself again: confirmed, once.
  const orderMain = orderPage.getByRole("main");
  await expect(orderMain.getByText("Người bán: Đã đặt → Đã xác nhận")).toHaveCount(1);

  // The listing is there once, with its two photos.
  await listingPage.goto("/seller/listings");
  const rows = listingPage.locator(".listing-row", { hasText: title });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("2 ảnh");

  await context.close();
  await buyer.context.close();
});

test("an order confirmed offline after the buyer cancelled it stays cancelled, and the farmer reads why", async ({
  browser,
}) => {
  const buyer = await guestOrder(browser, "vai thieu say", "Vải thiều sấy khô");
  const { context, page } = await farmerPhone(browser, FARMER, `/seller/orders/${buyer.code.replace("-", "")}`);

  await context.setOffline(true);
  await page.getByRole("button", { name: "Xác nhận đơn" }).click();
  await expect(waitingList(page).getByRole("heading")).toHaveText("Đang chờ gửi (1)");

  // Meanwhile the buyer cancels from their phone.
  await buyer.page.getByRole("button", { name: "Hủy đơn này" }).click();
  await expect(buyer.page.getByRole("main").getByText("Đã hủy").first()).toBeVisible();

  await context.setOffline(false);
  const refused = refusedList(page);
  await expect(refused.getByRole("heading")).toHaveText("Không gửi được (1)", { timeout: 30_000 });
  await expect(refused).toContainText(`Xác nhận đơn ${buyer.code}`);
  // The server's own words, then what happened instead, with the way to the order.
  await expect(refused.getByRole("alert")).not.toBeEmpty();
  await expect(refused).toContainText("Đơn hàng không đổi theo việc này.");
  await expect(refused.getByRole("link", { name: "Xem đơn hàng" })).toBeVisible();
  await expect(waitingList(page)).toHaveCount(0);

  // The page shows the order as it is: cancelled, never confirmed.
  const main = page.getByRole("main");
  await expect(main.getByText("Đã hủy").first()).toBeVisible();
  await expect(main.getByText("Người bán: Đã đặt → Đã xác nhận")).toHaveCount(0);

  // Read and dismissed: the list is empty.
  await refused.getByRole("button", { name: "Đã hiểu, bỏ khỏi danh sách" }).click();
  await expect(refusedList(page)).toHaveCount(0);

  await context.close();
  await buyer.context.close();
});

test("logout warns about unsent work and empties the queue on the phone", async ({ browser }) => {
  const { context, page } = await farmerPhone(browser, FARMER, "/seller/listings");
  await page.locator(".listing-row").first().click();
  await expect(page.getByRole("heading", { name: "Trạng thái" })).toBeVisible();
  const badge = page.locator(".status-badge").first();
  const statusBefore = await badge.textContent();

  await context.setOffline(true);
  const statusButton = page.getByRole("region", { name: "Trạng thái" }).getByRole("button").first();
  await statusButton.click();
  await expect(waitingList(page).getByRole("heading")).toHaveText("Đang chờ gửi (1)");
  // A photo added on the listing's page waits too.
  const title = (await page.getByRole("heading", { level: 1 }).textContent()) ?? "";
  await page
    .getByLabel(/Thêm ảnh/)
    .setInputFiles({ name: "la.jpg", mimeType: "image/jpeg", buffer: await photo("#1e8449") });
  await expect(waitingList(page).getByRole("heading")).toHaveText("Đang chờ gửi (2)");
  await expect(waitingList(page)).toContainText(`Ảnh 1 của «${title}»`);

  // The signal returns, but this phone's posts to the listing do not get through: the work still waits.
  await context.route("**/seller/listings/**", (route) =>
    route.request().method() === "POST" ? route.abort("internetdisconnected") : route.fallback(),
  );
  await context.setOffline(false);
  await expect(waitingList(page).getByRole("heading")).toHaveText("Đang chờ gửi (2)");

  const dialog = new Promise<string>((resolve) =>
    page.once("dialog", (d) => {
      resolve(d.message());
      void d.accept();
    }),
  );
  await page.locator("details:has(form[action='/logout']) > summary").click();
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  expect(await dialog).toContain("2 việc chưa gửi sẽ bị xoá trên máy này");
  await expect(page.getByRole("link", { name: "Đăng nhập" }).first()).toBeVisible();

  // Nothing of it is left on the phone, and the listing did not change.
  const left = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("ghs-offline");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("queue")) return resolve(0);
          const count = db.transaction("queue").objectStore("queue").count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
  expect(left).toBe(0);
  await context.unroute("**/seller/listings/**");
  await context.close();

  const again = await farmerPhone(browser, FARMER, "/seller/listings");
  await again.page.locator(".listing-row").first().click();
  await expect(again.page.locator(".status-badge").first()).toHaveText(statusBefore ?? "");
  await expect(waitingList(again.page)).toHaveCount(0);
  await again.context.close();
});

test("without JavaScript the order's buttons post as always", async ({ browser }) => {
  const buyer = await guestOrder(browser, "vai thieu say", "Vải thiều sấy khô");
  const { context } = await farmerPhone(browser, FARMER, "/seller/orders");
  const state = await context.storageState();
  await context.close();
  const noScript = await browser.newContext({ ...CONTEXT, javaScriptEnabled: false, storageState: state });
  const page = await noScript.newPage();
  await page.goto(`/seller/orders/${buyer.code.replace("-", "")}`);
  await page.getByRole("button", { name: "Xác nhận đơn" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã xác nhận" })).toBeVisible();
  await expect(page.getByRole("main").getByText("Người bán: Đã đặt → Đã xác nhận")).toBeVisible();
  await noScript.close();
  await buyer.context.close();
});
