/**
 * /checkout through its real loader and action: a cart of two stalls becomes
 * two orders under one checkout code; a tampered price, short stock, a bad
 * phone or a missing address re-render the form with the typed values and a
 * Vietnamese message, and place nothing.
 */
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cartItems, checkouts, listings, orders } from "#db/schema";
import { THANH_HA } from "#tests/fixtures/factories";
import { action as cartAction } from "./cart";
import { action as checkoutAction, loader as checkoutLoader } from "./checkout";
import { createUserSession } from "~/auth/session.server";
import { cookiePair, createAccount, get, postForm, cartWith } from "#tests/harness/routes";
import type { CartView } from "~/cart/cart.server";
import { createActiveListing, createSellingStall } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";
import { formatVnd } from "~/utils/format";

type CheckoutData = {
  view: CartView;
  values: Record<string, unknown> & { name: string; phone: string; delivery: Record<string, string> };
  errors: Record<string, string>;
  message: string | null;
  problems: string[];
  communes?: { code: string; fullName: string }[];
};

const a = await createSellingStall(db);
const b = await createSellingStall(db);

const orderCount = async () => (await db.select({ n: count() }).from(orders))[0].n;

/** The form as the page renders it (prices from the loader), with these fields on top. */
async function checkoutForm(cookie: string, fields: Record<string, string>) {
  const page = await get<CheckoutData>(checkoutLoader, "/checkout", { cookie });
  expect(page.status).toBe(200);
  const prices = Object.fromEntries(
    page.data!.view.stalls.flatMap((g) => g.lines.map((l) => [`price.${l.listingId}`, String(l.priceDong)])),
  );
  return {
    name: "Trần Thị Mua",
    phone: "0912 345 678",
    provinceCode: "",
    communeCode: "",
    addressLine: "",
    ...prices,
    ...fields,
  };
}

const place = (cookie: string, form: Record<string, string>) =>
  postForm<CheckoutData>(checkoutAction, "/checkout", form, { cookie });

describe("checkout", () => {
  it("sends an empty cart back to /cart", async () => {
    const res = await get(checkoutLoader, "/checkout");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/cart");
  });

  it("fills in a signed-in buyer's name and phone", async () => {
    const account = await createAccount({
      fullName: "Phạm Thị Lan",
      phone: "+84912000333",
      password: "vaithieu-ThanhHa",
      role: "buyer",
    });
    if (!account.ok) throw new Error("account");
    const session = cookiePair(
      (
        await createUserSession({ request: new Request("http://localhost/"), userId: account.user.id, redirectTo: "/" })
      ).headers.get("Set-Cookie"),
    );
    const lychee = await createActiveListing(db, a.stall.id);
    await postForm(cartAction, "/cart", { intent: "add", listingId: lychee.id, quantity: "1" }, { cookie: session });
    const page = await get<CheckoutData>(checkoutLoader, "/checkout", { cookie: session });
    expect(page.data!.values).toMatchObject({ name: "Phạm Thị Lan", phone: "0912 000 333" });
  });

  it("places one order per stall under one checkout code, redirects to the first and empties the cart", async () => {
    const lychee = await createActiveListing(db, a.stall.id, { title: "Vải thiều", stockQty: 50 });
    const greens = await createActiveListing(db, b.stall.id, { title: "Rau muống", unit: "bo", priceDong: 8_000 });
    const cookie = await cartWith([
      { id: lychee.id, qty: 2 },
      { id: greens.id, qty: 5 },
    ]);
    const before = await orderCount();
    const res = await place(
      cookie,
      await checkoutForm(cookie, {
        [`delivery.${a.stall.id}`]: "pickup",
        [`delivery.${b.stall.id}`]: "local",
        [`note.${b.stall.id}`]: "Giao sau 5 giờ chiều",
        ...THANH_HA,
        addressLine: "Số 5, thôn Phú Lương",
      }),
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("Location")!, "http://localhost");
    expect(await orderCount()).toBe(before + 2);

    const [checkout] = await db
      .select()
      .from(checkouts)
      .where(eq(checkouts.code, location.searchParams.get("checkout")!));
    const placed = await db.select().from(orders).where(eq(orders.checkoutId, checkout.id));
    expect(location.pathname).toBe(`/orders/${placed.find((o) => o.stallId === a.stall.id)!.code}`);
    expect(
      placed
        .map((o) => [o.stallId, o.deliveryMethod, o.totalDong, o.buyerPhone, o.buyerNote])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    ).toEqual(
      [
        [a.stall.id, "pickup", 90_000, "+84912345678", ""],
        [b.stall.id, "local", 40_000 + 15_000, "+84912345678", "Giao sau 5 giờ chiều"],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    const [stock] = await db.select({ n: listings.stockQty }).from(listings).where(eq(listings.id, lychee.id));
    expect(stock.n).toBe(48);
    // The cart is empty: a second tap of the button places nothing more.
    expect((await get(checkoutLoader, "/checkout", { cookie })).headers.get("Location")).toBe("/cart");
    const again = await place(cookie, { name: "Trần Thị Mua", phone: "0912 345 678" });
    expect(again.status).toBe(302);
    expect(again.headers.get("Location")).toBe("/cart");
    expect(await orderCount()).toBe(before + 2);
  });

  it("refuses a tampered price, naming the item and the real price; nothing placed", async () => {
    const lychee = await createActiveListing(db, a.stall.id, { title: "Vải thiều", priceDong: 45_000 });
    const cookie = await cartWith([{ id: lychee.id, qty: 2 }]);
    const before = await orderCount();
    const res = await place(cookie, {
      ...(await checkoutForm(cookie, { [`delivery.${a.stall.id}`]: "pickup" })),
      [`price.${lychee.id}`]: "1000",
    });
    expect(res.status).toBe(400);
    expect(res.data!.message).toBe("Một số mặt hàng không đặt được như yêu cầu. Đơn chưa được tạo, vui lòng xem lại");
    expect(res.data!.problems).toEqual([`Vải thiều: giá đã đổi thành ${formatVnd(45_000)}`]);
    expect(res.data!.values).toMatchObject({ name: "Trần Thị Mua", phone: "0912 345 678" });
    expect(await orderCount()).toBe(before);
    const [line] = await db.select().from(cartItems).where(eq(cartItems.listingId, lychee.id));
    expect(line.qty).toBe(2);
  });

  it("says clearly when stock ran short since adding, and places nothing", async () => {
    const eggs = await createActiveListing(db, a.stall.id, { title: "Trứng gà ta", unit: "qua", stockQty: 20 });
    const lychee = await createActiveListing(db, b.stall.id, { title: "Vải thiều", stockQty: 10 });
    const cookie = await cartWith([
      { id: eggs.id, qty: 15 },
      { id: lychee.id, qty: 1 },
    ]);
    const form = await checkoutForm(cookie, {
      [`delivery.${a.stall.id}`]: "pickup",
      [`delivery.${b.stall.id}`]: "pickup",
    });
    await db.update(listings).set({ stockQty: 6 }).where(eq(listings.id, eggs.id)); // someone else bought 14
    const before = await orderCount();
    const res = await place(cookie, form);
    expect(res.status).toBe(400);
    expect(res.data!.problems).toEqual(["Trứng gà ta: chỉ còn 6"]);
    expect(await orderCount()).toBe(before);
    const stocks = await db.select({ id: listings.id, n: listings.stockQty }).from(listings);
    expect(stocks.find((s) => s.id === lychee.id)!.n).toBe(10);
    expect(stocks.find((s) => s.id === eggs.id)!.n).toBe(6);
    // The re-rendered page shows the shortage next to the item too.
    const line = res.data!.view.stalls.flatMap((g) => g.lines).find((l) => l.listingId === eggs.id)!;
    expect(line.problems.map((p) => p.problem)).toEqual(["only_left"]);
  });

  it("refuses a bad phone and a missing address with field messages, keeping what was typed", async () => {
    const lychee = await createActiveListing(db, a.stall.id);
    const cookie = await cartWith([{ id: lychee.id, qty: 1 }]);
    const before = await orderCount();
    const badPhone = await place(
      cookie,
      await checkoutForm(cookie, { phone: "0243 123 4567", [`delivery.${a.stall.id}`]: "pickup" }),
    );
    expect(badPhone.status).toBe(400);
    expect(badPhone.data!.errors.phone).toBe("Vui lòng dùng số di động để nhận tin nhắn về đơn hàng");
    expect(badPhone.data!.values.phone).toBe("0243 123 4567");

    const noAddress = await place(
      cookie,
      await checkoutForm(cookie, { [`delivery.${a.stall.id}`]: "shipping", addressLine: " " }),
    );
    expect(noAddress.status).toBe(400);
    expect(noAddress.data!.errors).toEqual({
      provinceCode: "Vui lòng chọn tỉnh, thành phố",
      communeCode: "Vui lòng chọn xã, phường",
      addressLine: "Vui lòng nhập thôn, số nhà, đường",
    });
    expect(noAddress.data!.values.delivery).toEqual({ [a.stall.id]: "shipping" });
    expect(await orderCount()).toBe(before);
  });

  it("refuses local delivery outside the stall's communes", async () => {
    const lychee = await createActiveListing(db, a.stall.id);
    const cookie = await cartWith([{ id: lychee.id, qty: 1 }]);
    const before = await orderCount();
    const res = await place(
      cookie,
      await checkoutForm(cookie, {
        [`delivery.${a.stall.id}`]: "local",
        provinceCode: "31",
        communeCode: "10507", // Phường Thành Đông: the stall delivers to Xã Thanh Hà only
        addressLine: "Số 1 Trần Hưng Đạo",
      }),
    );
    expect(res.status).toBe(400);
    expect(res.data!.message).toBe("Cách giao hàng đã chọn không có cho gian hàng này hoặc không giao đến xã của bạn");
    expect(res.data!.view.stalls[0].deliveryOptions.find((o) => o.method === "local")!.available).toBe(false);
    expect(await orderCount()).toBe(before);
  });

  it("reloads a province's communes without JavaScript, placing nothing", async () => {
    const lychee = await createActiveListing(db, a.stall.id);
    const cookie = await cartWith([{ id: lychee.id, qty: 1 }]);
    const before = await orderCount();
    const res = await place(
      cookie,
      await checkoutForm(cookie, { intent: "pick-province", provinceCode: "31", addressLine: "Xóm 3" }),
    );
    expect(res.status).toBe(200);
    expect(res.data!.errors).toEqual({});
    expect(res.data!.communes).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "10813", fullName: "Xã Thanh Hà" })]),
    );
    expect(res.data!.values).toMatchObject({ provinceCode: "31", communeCode: "", addressLine: "Xóm 3" });
    expect(await orderCount()).toBe(before);
  });
});
