/**
 * /cart through its real loader and action: an anonymous basket kept in the
 * ghs_cart cookie, refusals in Vietnamese with nothing changed, the header
 * count, and the basket following the buyer when they sign in.
 */
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cartItems, carts, listings } from "#db/schema";
import { createFarmerWithStall } from "#tests/fixtures/factories";
import { action as cartAction, loader as cartLoader } from "./cart";
import { action as loginAction } from "./login";
import { action as signupDetailsAction } from "./signup_.details";
import { createUserSession } from "~/auth/session.server";
import { cookiePair, createAccount, get, postForm, proofCookieFor } from "#tests/harness/routes";
import { CART_COOKIE_NAME, type CartView } from "~/cart/cart.server";
import { createActiveListing, createSellingStall } from "#tests/fixtures/orders";
import { loader as rootLoader } from "~/root";
import { db } from "~/utils/db.server";

type CartData = { view: CartView; error?: { message: string; items: string[]; fields: string[] } };

const { stall } = await createSellingStall(db);
const lychee = await createActiveListing(db, stall.id, { title: "Vải thiều", unit: "kg", priceDong: 45_000 });
const eggs = await createActiveListing(db, stall.id, {
  title: "Trứng gà ta",
  unit: "qua",
  minOrderQty: 10,
  stockQty: 30,
  priceDong: 4_000,
});

const cartCount = async () => (await db.select({ n: count() }).from(carts))[0].n;
const linesOf = async (cartId: string) =>
  db.select({ listingId: cartItems.listingId, qty: cartItems.qty }).from(cartItems).where(eq(cartItems.cartId, cartId));

/** The cart cookie of a response, ready for a Cookie header. */
function cartCookieOf(headers: Headers): string | null {
  const line = headers.getSetCookie().find((c) => c.startsWith(`${CART_COOKIE_NAME}=`));
  return line ? cookiePair(line) : null;
}

const add = (fields: Record<string, string>, cookie?: string) =>
  postForm<CartData>(cartAction, "/cart", { intent: "add", ...fields }, { cookie });

async function anonymousCartWith(listingId: string, quantity: string) {
  const res = await add({ listingId, quantity });
  expect(res.status).toBe(302);
  const cookie = cartCookieOf(res.headers);
  expect(cookie).not.toBeNull();
  return cookie!;
}

const viewOf = async (cookie?: string) => (await get<CartData>(cartLoader, "/cart", { cookie })).data!.view;

describe("adding to the cart without an account", () => {
  it("sets the ghs_cart cookie (httpOnly, lax, 90 days) and the cart shows the item and the count", async () => {
    const res = await add({ listingId: lychee.id, quantity: "3" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/cart");
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${CART_COOKIE_NAME}=`))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Max-Age=7776000/);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = cookiePair(setCookie);

    const view = await viewOf(cookie);
    expect(view.stalls).toHaveLength(1);
    expect(view.stalls[0].stall.name).toBe(stall.name);
    expect(view.stalls[0].lines).toMatchObject([{ title: "Vải thiều", qty: 3, lineTotalDong: 135_000 }]);
    expect(view.subtotalDong).toBe(135_000);

    // Adding again adds to the line; the header counts lines.
    expect((await add({ listingId: lychee.id, quantity: "2" }, cookie)).status).toBe(302);
    expect((await viewOf(cookie)).stalls[0].lines[0].qty).toBe(5);
    const root = await get<{ cartCount: number }>(rootLoader, "/", { cookie });
    expect(root.data!.cartCount).toBe(1);
    expect((await get<{ cartCount: number }>(rootLoader, "/")).data!.cartCount).toBe(0);
  });

  it("shows an empty cart to a visitor without a cookie", async () => {
    const view = await viewOf();
    expect(view.stalls).toEqual([]);
  });

  it.each([
    ["5", "Trứng gà ta: đặt tối thiểu 10"],
    ["0", "Số lượng phải là số nguyên lớn hơn 0"],
    ["-3", "Số lượng phải là số nguyên lớn hơn 0"],
    ["abc", "Số lượng phải là số nguyên lớn hơn 0"],
    ["2.5", "Số lượng phải là số nguyên lớn hơn 0"],
    ["", "Số lượng phải là số nguyên lớn hơn 0"],
    ["31", "Trứng gà ta: chỉ còn 30"],
  ])("refuses the quantity %j with a message, changing nothing", async (quantity, message) => {
    // A first add that is refused makes no cart and sets no cookie.
    const before = await cartCount();
    const first = await add({ listingId: eggs.id, quantity });
    expect(first.status).toBe(400);
    expect(first.data!.error!.items).toEqual([message]);
    expect(cartCookieOf(first.headers)).toBeNull();
    expect(await cartCount()).toBe(before);

    // In an existing cart, the line keeps its quantity (add and set alike; adding 5 to 10 is fine).
    const cookie = await anonymousCartWith(eggs.id, "10");
    const cartId = (await viewOf(cookie)).cartId!;
    for (const intent of quantity === "5" ? ["set"] : ["add", "set"]) {
      const res = await postForm<CartData>(cartAction, "/cart", { intent, listingId: eggs.id, quantity }, { cookie });
      expect(res.status).toBe(400);
      expect(res.data!.error!.message).toBe(
        "Một số mặt hàng không đặt được như yêu cầu. Đơn chưa được tạo, vui lòng xem lại",
      );
      expect(res.data!.error!.items).toEqual([message]);
      expect(await linesOf(cartId)).toEqual([{ listingId: eggs.id, qty: 10 }]);
    }
  });

  it("refuses a listing of an unpublished stall", async () => {
    const { stall: closed } = await createFarmerWithStall(db, { stall: { status: "unpublished", publishedAt: null } });
    const hidden = await createActiveListing(db, closed.id, { title: "Bưởi Diễn" });
    const before = await cartCount();
    const res = await add({ listingId: hidden.id, quantity: "1" });
    expect(res.status).toBe(400);
    expect(res.data!.error!.items).toEqual(["Bưởi Diễn: hiện không bán"]);
    expect(await cartCount()).toBe(before);
  });

  it("refuses an unknown intent or listing", async () => {
    const cookie = await anonymousCartWith(lychee.id, "1");
    const bogus = await postForm<CartData>(cartAction, "/cart", { intent: "steal", listingId: lychee.id }, { cookie });
    expect(bogus.status).toBe(400);
    const unknown = await add({ listingId: "not-a-listing", quantity: "1" }, cookie);
    expect(unknown.status).toBe(400);
    expect((await viewOf(cookie)).stalls[0].lines).toMatchObject([{ listingId: lychee.id, qty: 1 }]);
  });

  it("sets a quantity, removes a line, and shows a price changed since adding", async () => {
    const cookie = await anonymousCartWith(eggs.id, "10");
    await anonymousCartWith(lychee.id, "1"); // another visitor's cart: untouched below
    expect(
      (await postForm(cartAction, "/cart", { intent: "set", listingId: eggs.id, quantity: "12" }, { cookie })).status,
    ).toBe(302);
    expect((await viewOf(cookie)).stalls[0].lines[0].qty).toBe(12);

    await db.update(listings).set({ priceDong: 5_000 }).where(eq(listings.id, eggs.id));
    const changed = (await viewOf(cookie)).stalls[0].lines[0];
    expect(changed).toMatchObject({ priceChanged: true, priceDong: 5_000, priceAtAddDong: 4_000 });
    expect(changed.problems.map((p) => p.problem)).toEqual(["price_changed"]);
    await db.update(listings).set({ priceDong: 4_000 }).where(eq(listings.id, eggs.id));

    expect((await postForm(cartAction, "/cart", { intent: "remove", listingId: eggs.id }, { cookie })).status).toBe(
      302,
    );
    expect((await viewOf(cookie)).stalls).toEqual([]);
  });
});

describe("signing in", () => {
  it("moves the anonymous cart into the account at login and clears the cookie", async () => {
    const account = await createAccount({
      fullName: "Trần Thị Mua",
      phone: "+84912000111",
      password: "vaithieu-ThanhHa",
      role: "buyer",
    });
    if (!account.ok) throw new Error("account");
    // The account already had 1 kg of lychee in its cart from another phone.
    const session = cookiePair(
      (
        await createUserSession({
          request: new Request("http://localhost/login"),
          userId: account.user.id,
          redirectTo: "/",
        })
      ).headers.get("Set-Cookie"),
    );
    expect((await add({ listingId: lychee.id, quantity: "1" }, session)).status).toBe(302);

    const cookie = await anonymousCartWith(lychee.id, "2");
    await add({ listingId: eggs.id, quantity: "10" }, cookie);
    const res = await postForm(
      loginAction,
      "/login",
      { phone: "0912 000 111", password: "vaithieu-ThanhHa", redirectTo: "/cart" },
      { cookie },
    );
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/cart");
    const cleared = res.headers.getSetCookie().find((c) => c.startsWith(`${CART_COOKIE_NAME}=`));
    expect(cleared).toMatch(/Max-Age=0/);

    const signedIn = cookiePair(res.headers.getSetCookie().find((c) => c.startsWith("__session="))!);
    const view = await viewOf(signedIn);
    expect(view.stalls[0].lines.map((l) => [l.title, l.qty])).toEqual([
      ["Vải thiều", 3],
      ["Trứng gà ta", 10],
    ]);
    // The anonymous cookie no longer finds a cart.
    expect((await viewOf(cookie)).stalls).toEqual([]);
  });

  it("keeps the basket of a visitor who signs up", async () => {
    const cookie = await anonymousCartWith(eggs.id, "10");
    // Sign-up's last step, with the phone already proved by the code step.
    const proof = await proofCookieFor("+84912000222", "create-account");
    const res = await postForm(
      signupDetailsAction,
      "/signup/details",
      { fullName: "Lê Văn Mua", password: "vaithieu-ThanhHa", role: "buyer", redirectTo: "/cart" },
      { cookie: `${cookie}; ${proof}` },
    );
    expect(res.status).toBe(302);
    const signedIn = cookiePair(res.headers.getSetCookie().find((c) => c.startsWith("__session="))!);
    expect((await viewOf(signedIn)).stalls[0].lines).toMatchObject([{ title: "Trứng gà ta", qty: 10 }]);
  });
});
