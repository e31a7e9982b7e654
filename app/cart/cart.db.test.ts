import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { cartItems, carts, listings, stalls } from "#db/schema";
import { createUser, oneCharacterOff } from "#tests/fixtures/factories";
import { addToCart, cartView, findCart, getOrCreateCart, mergeCarts, removeItem, setQuantity } from "./cart.server";
import { placeCheckout } from "~/orders/checkout.server";
import { OrderError } from "~/orders/errors";
import { createActiveListing, createSellingStall, pickupCheckout } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";

/** The first item problem a call is refused with ("not_found" etc. when it is not about an item). */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrderError);
  const e = error as OrderError;
  return e.items[0]?.problem ?? e.code;
}

const a = await createSellingStall(db);
const b = await createSellingStall(db);

async function anonymousCart() {
  const { cart, token } = await getOrCreateCart(db, { token: undefined });
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return { cart, token: token! };
}

describe("cart", () => {
  it("works without an account: the cookie token finds the same cart, and only its hash is stored", async () => {
    const { cart, token } = await anonymousCart();
    expect((await getOrCreateCart(db, { token })).cart.id).toBe(cart.id);
    expect((await getOrCreateCart(db, { token })).token).toBeNull();
    const [row] = await db.select().from(carts).where(eq(carts.id, cart.id));
    expect(row.tokenHash).not.toContain(token);
    expect(await findCart(db, { token: "forged" })).toBeNull();
    expect(await findCart(db, { token: oneCharacterOff(token) })).toBeNull();
  });

  it("holds items of several stalls, grouped by stall, in the listing's unit", async () => {
    const { cart } = await anonymousCart();
    const lychee = await createActiveListing(db, a.stall.id, { title: "Vải thiều", unit: "kg" });
    const greens = await createActiveListing(db, b.stall.id, {
      title: "Rau muống",
      unit: "bo",
      category: "rau-la",
      priceDong: 8_000,
    });
    await addToCart(db, { cartId: cart.id, listingId: lychee.id, qty: 2 });
    await addToCart(db, { cartId: cart.id, listingId: greens.id, qty: 3 });
    await addToCart(db, { cartId: cart.id, listingId: lychee.id, qty: 1 });
    const view = await cartView(db, cart.id);
    expect(view.stalls.map((g) => [g.stall.id, g.lines.map((l) => [l.title, l.unit, l.qty, l.lineTotalDong])])).toEqual(
      [
        [a.stall.id, [["Vải thiều", "kg", 3, 135_000]]],
        [b.stall.id, [["Rau muống", "bo", 3, 24_000]]],
      ],
    );
    expect(view).toMatchObject({ itemCount: 2, subtotalDong: 159_000, blocked: false });
    expect(view.stalls[0].deliveryOptions.map((o) => o.method)).toEqual(["pickup", "local", "shipping"]);

    await setQuantity(db, { cartId: cart.id, listingId: greens.id, qty: 10 });
    await removeItem(db, { cartId: cart.id, listingId: lychee.id });
    const after = await cartView(db, cart.id);
    expect(after.stalls.map((g) => g.lines.map((l) => l.qty))).toEqual([[10]]);
  });

  it("refuses quantities that are not whole, ≤ 0, below the minimum or above the stock; nothing changes", async () => {
    const { cart } = await anonymousCart();
    const eggs = await createActiveListing(db, a.stall.id, {
      title: "Trứng gà ta",
      unit: "qua",
      minOrderQty: 10,
      stockQty: 30,
    });
    for (const qty of [0, -5, 2.5, Number.NaN, 10_000_001]) {
      expect(await refusal(addToCart(db, { cartId: cart.id, listingId: eggs.id, qty }))).toBe("invalid_quantity");
    }
    expect(await refusal(addToCart(db, { cartId: cart.id, listingId: eggs.id, qty: 9 }))).toBe("below_minimum");
    expect(await refusal(addToCart(db, { cartId: cart.id, listingId: eggs.id, qty: 31 }))).toBe("only_left");
    const [{ n }] = await db.select({ n: count() }).from(cartItems).where(eq(cartItems.cartId, cart.id));
    expect(n).toBe(0);

    await addToCart(db, { cartId: cart.id, listingId: eggs.id, qty: 20 });
    expect(await refusal(addToCart(db, { cartId: cart.id, listingId: eggs.id, qty: 11 }))).toBe("only_left");
    expect(await refusal(setQuantity(db, { cartId: cart.id, listingId: eggs.id, qty: 5 }))).toBe("below_minimum");
    expect(await refusal(setQuantity(db, { cartId: cart.id, listingId: eggs.id, qty: 0 }))).toBe("invalid_quantity");
    expect((await cartView(db, cart.id)).stalls[0].lines[0].qty).toBe(20);
    // Made to order has no stock limit.
    const cake = await createActiveListing(db, a.stall.id, {
      title: "Bánh chưng",
      unit: "hop",
      madeToOrder: true,
      stockQty: 0,
    });
    await addToCart(db, { cartId: cart.id, listingId: cake.id, qty: 500 });
  });

  it("refuses a listing of an unpublished stall, a paused listing and an unknown one", async () => {
    const { cart } = await anonymousCart();
    const hidden = await createSellingStall(db);
    const listing = await createActiveListing(db, hidden.stall.id);
    await db.update(stalls).set({ status: "unpublished" }).where(eq(stalls.id, hidden.stall.id));
    expect(await refusal(addToCart(db, { cartId: cart.id, listingId: listing.id, qty: 1 }))).toBe("unavailable");
    const paused = await createActiveListing(db, a.stall.id);
    await db.update(listings).set({ status: "paused" }).where(eq(listings.id, paused.id));
    expect(await refusal(addToCart(db, { cartId: cart.id, listingId: paused.id, qty: 1 }))).toBe("unavailable");
    expect(await refusal(addToCart(db, { cartId: cart.id, listingId: "nope", qty: 1 }))).toBe("unavailable");
    expect(await refusal(addToCart(db, { cartId: "nope", listingId: paused.id, qty: 1 }))).toBe("not_found");
    expect((await cartView(db, cart.id)).itemCount).toBe(0);
  });

  it("shows a price change and stock problems since adding, before paying", async () => {
    const { cart } = await anonymousCart();
    const lychee = await createActiveListing(db, a.stall.id, { priceDong: 45_000, stockQty: 10 });
    await addToCart(db, { cartId: cart.id, listingId: lychee.id, qty: 8 });
    await db.update(listings).set({ priceDong: 50_000, stockQty: 5 }).where(eq(listings.id, lychee.id));

    const view = await cartView(db, cart.id);
    const [line] = view.stalls[0].lines;
    expect(line).toMatchObject({
      priceDong: 50_000,
      priceAtAddDong: 45_000,
      priceChanged: true,
      lineTotalDong: 400_000,
      left: 5,
    });
    expect(line.problems.map((p) => [p.problem, p.left ?? p.priceDong])).toEqual([
      ["only_left", 5],
      ["price_changed", 50_000],
    ]);
    expect(view.blocked).toBe(true);

    // Checking out with the price the cart first showed is refused; with the one shown now it goes through.
    const stale = pickupCheckout([{ listing: { ...lychee, priceDong: 45_000 }, qty: 5 }]);
    expect(await refusal(placeCheckout(db, { ...stale, cartId: cart.id }))).toBe("price_changed");
    await placeCheckout(db, {
      ...pickupCheckout([{ listing: { ...lychee, priceDong: 50_000 }, qty: 5 }]),
      cartId: cart.id,
    });
    expect((await cartView(db, cart.id)).itemCount).toBe(0);
  });

  it("merges the anonymous cart into the account at login", async () => {
    const buyer = await createUser(db, { role: "buyer" });
    const lychee = await createActiveListing(db, a.stall.id, { priceDong: 45_000 });
    const greens = await createActiveListing(db, b.stall.id, {
      title: "Rau muống",
      unit: "bo",
      category: "rau-la",
      priceDong: 8_000,
    });
    const { cart: mine } = await getOrCreateCart(db, { userId: buyer.id });
    await addToCart(db, { cartId: mine.id, listingId: lychee.id, qty: 1 });

    const { cart: anon, token } = await anonymousCart();
    await addToCart(db, { cartId: anon.id, listingId: lychee.id, qty: 2 });
    await addToCart(db, { cartId: anon.id, listingId: greens.id, qty: 4 });

    const merged = await mergeCarts(db, { token, userId: buyer.id });
    expect(merged.id).toBe(mine.id);
    const view = await cartView(db, mine.id);
    expect(view.stalls.flatMap((g) => g.lines.map((l) => [l.title, l.qty]))).toEqual([
      ["Vải thiều Thanh Hà", 3],
      ["Rau muống", 4],
    ]);
    expect(await findCart(db, { token })).toBeNull();
    // Merging again (a second login with the old cookie) changes nothing.
    await mergeCarts(db, { token, userId: buyer.id });
    expect((await cartView(db, mine.id)).stalls.flatMap((g) => g.lines.map((l) => l.qty))).toEqual([3, 4]);
  });
});
