/**
 * The buyer's order pages through their real loaders and actions: who can read
 * an order (its signed-in buyer, the checkout link, the phone used at
 * checkout), the sibling orders of a checkout, cancelling (signed in or
 * unlocked as a guest), and the history.
 */
import { desc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { listings, orderEvents, orders } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { action as orderAction, loader as orderLoader } from "./orders.$orderCode";
import { loader as historyLoader } from "./orders._index";
import { placeCheckout } from "~/orders/checkout.server";
import { sentOrderNotificationsForTests } from "~/orders/notify.server";
import { changeOrderStatus } from "~/orders/orders.server";
import { call, signedIn } from "#tests/harness/routes";
import { createActiveListing, createSellingStall, pickupCheckout } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

const seller = await createSellingStall(db, { name: "Vườn vải Bác Tư" });
const otherSeller = await createSellingStall(db, { name: "Nhà vườn Cô Lan" });
const buyer = await createUser(db, { role: "buyer", fullName: "Trần Thị Mua" });
const LOCKED_REFUSAL = "Bạn cần mở đơn bằng số điện thoại đã dùng khi đặt hàng rồi mới hủy được.";

type Page = {
  locked: boolean;
  order?: { code: string; status: string; buyerName: string; totalDong: number; paymentMethod: string };
  timeline?: { actorRole: string; fromStatus: string | null; toStatus: string }[];
  items?: { title: string; qty: number }[];
  stall?: { name: string; phone: string | null };
  checkout?: { code: string; orders: { code: string; stallName: string; current: boolean }[] } | null;
  cancel?: boolean;
  error?: string;
};

/** A guest order (phone 0912 345 678) from the first stall, or from both stalls in one checkout. */
async function guestCheckout({ twoStalls = false, userId = null as string | null } = {}) {
  const first = await createActiveListing(db, seller.stall.id, { title: "Vải thiều Thanh Hà" });
  const second = twoStalls ? await createActiveListing(db, otherSeller.stall.id, { title: "Nhãn lồng" }) : null;
  const placed = await placeCheckout(
    db,
    pickupCheckout([{ listing: first, qty: 2 }, ...(second ? [{ listing: second, qty: 1 }] : [])], {
      buyer: { userId, name: "Trần Thị Mua", phone: "0912 345 678" },
    }),
  );
  return { ...placed, listing: first };
}

const page = (code: string, opts: Parameters<typeof call>[2] = {}, query = "") =>
  call<Page>(orderLoader, `/orders/${code}${query}`, { params: { orderCode: code }, ...opts });

const unlock = (code: string, phone: string, opts: Parameters<typeof call>[2] = {}) =>
  call<Page>(orderAction, `/orders/${code}`, {
    params: { orderCode: code },
    form: { intent: "unlock", phone },
    ...opts,
  });

describe("/orders/:orderCode for a guest", () => {
  afterEach(() => {
    env().DISABLE_RATE_LIMIT = false;
  });

  it("shows only the phone form, nothing of the order, without proof", async () => {
    const { orders: placed } = await guestCheckout();
    const res = await page(placed[0].code);
    expect(res.status).toBe(200);
    expect(res.data.locked).toBe(true);
    expect(JSON.stringify(res.data)).not.toContain("Trần Thị Mua");
    expect(JSON.stringify(res.data)).not.toContain("Vải thiều");
  });

  it("answers a code that does not exist like a locked order, and a malformed one with 404", async () => {
    expect((await page("ABCD2345")).data.locked).toBe(true);
    expect((await page("not-a-code")).status).toBe(404);
  });

  for (const typed of ["0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"]) {
    it(`unlocks with the checkout phone typed as "${typed}" and remembers it`, async () => {
      const { orders: placed } = await guestCheckout();
      const code = placed[0].code;
      const res = await unlock(code, typed);
      expect(res.status).toBe(302);
      expect(res.location).toBe(`/orders/${code}`);
      expect(res.setCookie).toMatch(/^orders_unlocked=/);

      const open = await page(code, { cookies: [res.setCookie] });
      expect(open.data.locked).toBe(false);
      expect(open.data.order).toMatchObject({
        code,
        status: "placed",
        buyerName: "Trần Thị Mua",
        paymentMethod: "cod",
      });
      expect(open.data.items).toEqual([expect.objectContaining({ title: "Vải thiều Thanh Hà", qty: 2 })]);
      expect(open.data.stall).toMatchObject({ name: "Vườn vải Bác Tư", phone: seller.household.phone });
      expect(open.data.timeline).toEqual([expect.objectContaining({ fromStatus: null, toStatus: "placed" })]);
      // Not confirmed yet: the guest may cancel it.
      expect(open.data.cancel).toBe(true);
    });
  }

  it("refuses a wrong or malformed phone with a message, and stays locked", async () => {
    const { orders: placed } = await guestCheckout();
    const code = placed[0].code;
    const wrong = await unlock(code, "0987 654 321");
    expect(wrong.status).toBe(400);
    expect(wrong.data.error).toBe(
      "Số điện thoại không khớp với đơn hàng này. Vui lòng kiểm tra lại số điện thoại và mã đơn.",
    );
    expect(wrong.setCookie).toBeNull();
    const malformed = await unlock(code, "abc");
    expect(malformed.status).toBe(400);
    expect(malformed.data.error).toBe("Số điện thoại không đúng. Ví dụ: 0912 345 678");
    expect((await page(code)).data.locked).toBe(true);
  });

  it("stops guessing after 5 tries on one order, even with the right phone", async () => {
    const { orders: placed } = await guestCheckout();
    const code = placed[0].code;
    const ip = "198.51.100.20";
    for (let i = 0; i < 5; i++) expect((await unlock(code, `0987 654 32${i}`, { ip })).status).toBe(400);
    const blocked = await unlock(code, "0912 345 678", { ip: "198.51.100.21" });
    expect(blocked.status).toBe(429);
    expect(blocked.data.error).toMatch(/^Bạn đã thử quá nhiều lần\. Vui lòng thử lại sau \d+ phút\.$/);
    expect(blocked.setCookie).toBeNull();
  });

  it("does not trust a forged unlock cookie", async () => {
    const { orders: placed } = await guestCheckout();
    const forged = `orders_unlocked=${Buffer.from(JSON.stringify([placed[0].id])).toString("base64")}`;
    expect((await page(placed[0].code, { cookies: [forged] })).data.locked).toBe(true);
  });

  it("opens with its checkout code, lists the checkout's orders, and remembers them all", async () => {
    const placed = await guestCheckout({ twoStalls: true });
    const [first, second] = placed.orders;
    const res = await page(first.code, {}, `?checkout=${placed.checkoutCode}`);
    expect(res.data.locked).toBe(false);
    expect(res.data.checkout?.code).toBe(placed.checkoutCode);
    expect(res.data.checkout?.orders).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: first.code, stallName: "Vườn vải Bác Tư", current: true }),
        expect.objectContaining({ code: second.code, stallName: "Nhà vườn Cô Lan", current: false }),
      ]),
    );
    // The sibling's link works later without the checkout code.
    expect((await page(second.code, { cookies: [res.setCookie] })).data.locked).toBe(false);

    // Another checkout's code proves nothing about this order.
    const stranger = await guestCheckout();
    const wrong = await page(first.code, {}, `?checkout=${stranger.checkoutCode}`);
    expect(wrong.data.locked).toBe(true);
    expect(wrong.setCookie).toBeNull();
  });
});

describe("/orders/:orderCode for a signed-in buyer", () => {
  it("opens their order without a phone and lets them cancel it before confirmation", async () => {
    const { orders: placed } = await guestCheckout({ userId: buyer.id });
    const code = placed[0].code;
    const session = await signedIn(buyer.id);
    const open = await page(code, { cookies: [session] });
    expect(open.data.locked).toBe(false);
    expect(open.data.cancel).toBe(true);

    const res = await call(orderAction, `/orders/${code}`, {
      params: { orderCode: code },
      cookies: [session],
      form: { intent: "cancel", reason: "Đặt nhầm" },
    });
    expect(res.status).toBe(302);
    const after = await page(code, { cookies: [session] });
    expect(after.data.order?.status).toBe("cancelled");
    expect(after.data.timeline?.at(-1)).toMatchObject({
      actorRole: "buyer",
      fromStatus: "placed",
      toStatus: "cancelled",
    });
    expect(after.data.cancel).toBe(false);
  });

  it("refuses the buyer's cancel once the farmer confirmed, changing nothing", async () => {
    const { orders: placed } = await guestCheckout({ userId: buyer.id });
    const code = placed[0].code;
    await changeOrderStatus(db, {
      order: { orderCode: code },
      scope: { stallId: seller.stall.id },
      to: "confirmed",
      actor: { role: "farmer", userId: seller.user.id },
    });
    const session = await signedIn(buyer.id);
    expect((await page(code, { cookies: [session] })).data.cancel).toBe(false);
    const res = await call<Page>(orderAction, `/orders/${code}`, {
      params: { orderCode: code },
      cookies: [session],
      form: { intent: "cancel" },
    });
    expect(res.status).toBe(403);
    expect(res.data.error).toBe(
      "Người bán đã xác nhận đơn này nên bạn không tự hủy được nữa. Nếu cần hủy, vui lòng gọi cho gian hàng.",
    );
    const [row] = await db.select().from(orders).where(eq(orders.code, code));
    expect(row.status).toBe("confirmed");
  });

  it("keeps another person's order locked and refuses their cancel, changing nothing", async () => {
    const { orders: placed } = await guestCheckout({ userId: buyer.id });
    const code = placed[0].code;
    const stranger = await signedIn((await createUser(db, { role: "buyer" })).id);
    expect((await page(code, { cookies: [stranger] })).data.locked).toBe(true);
    const res = await call<Page>(orderAction, `/orders/${code}`, {
      params: { orderCode: code },
      cookies: [stranger],
      form: { intent: "cancel" },
    });
    expect(res.status).toBe(403);
    expect(res.data.error).toBe(LOCKED_REFUSAL);
    const [row] = await db.select().from(orders).where(eq(orders.code, code));
    expect(row.status).toBe("placed");
    expect(await db.select().from(orderEvents).where(eq(orderEvents.orderId, row.id))).toHaveLength(1);
  });
});

describe("/orders/:orderCode cancelled by a guest", () => {
  const cancel = (code: string, opts: Parameters<typeof call>[2] = {}, query = "") =>
    call<Page>(orderAction, `/orders/${code}${query}`, {
      params: { orderCode: code },
      form: { intent: "cancel", reason: "Đặt nhầm số lượng" },
      ...opts,
    });
  const stockOf = async (listingId: string) =>
    (await db.select({ qty: listings.stockQty }).from(listings).where(eq(listings.id, listingId)))[0].qty;
  /** Status, timeline length and stock: what a refused cancel must leave as it was. */
  const snapshot = async (order: { id: string }, listingId: string) => {
    const [row] = await db.select().from(orders).where(eq(orders.id, order.id));
    const events = await db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    return { status: row.status, events: events.length, stock: await stockOf(listingId) };
  };

  it("unlocked with the checkout phone, cancels before confirmation: stock back, timeline row, farmer told", async () => {
    const placed = await guestCheckout();
    const [order] = placed.orders;
    expect(await stockOf(placed.listing.id)).toBe(198);
    const unlocked = (await unlock(order.code, "0912 345 678")).setCookie;
    sentOrderNotificationsForTests.length = 0;

    const res = await cancel(order.code, { cookies: [unlocked] });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/orders/${order.code}`);

    expect(await stockOf(placed.listing.id)).toBe(200);
    const after = await page(order.code, { cookies: [unlocked] });
    expect(after.data.order?.status).toBe("cancelled");
    expect(after.data.cancel).toBe(false);
    const [last] = await db
      .select()
      .from(orderEvents)
      .where(eq(orderEvents.orderId, order.id))
      .orderBy(desc(orderEvents.at))
      .limit(1);
    expect(last).toMatchObject({
      actorRole: "buyer",
      actorUserId: null,
      fromStatus: "placed",
      toStatus: "cancelled",
      note: "Đặt nhầm số lượng",
    });
    expect(sentOrderNotificationsForTests.map((n) => [n.recipient, n.template])).toEqual([
      ["farmer", "farmer_cancelled_by_buyer"],
    ]);
  });

  it("arriving from checkout, cancels one order of the checkout and leaves the other stall's", async () => {
    const placed = await guestCheckout({ twoStalls: true });
    const [first, second] = placed.orders;
    const fromCheckout = (await page(first.code, {}, `?checkout=${placed.checkoutCode}`)).setCookie;
    expect((await cancel(second.code, { cookies: [fromCheckout] })).status).toBe(302);
    const statuses = await db.select({ code: orders.code, status: orders.status }).from(orders);
    expect(statuses).toEqual(
      expect.arrayContaining([
        { code: first.code, status: "placed" },
        { code: second.code, status: "cancelled" },
      ]),
    );
  });

  it("refuses without an unlock, with a forged cookie, or for a code that does not exist, changing nothing", async () => {
    const placed = await guestCheckout();
    const [order] = placed.orders;
    const before = await snapshot(order, placed.listing.id);
    const forged = `orders_unlocked=${Buffer.from(JSON.stringify([order.id])).toString("base64")}`;
    for (const cookies of [[], [forged]]) {
      const res = await cancel(order.code, { cookies });
      expect(res.status).toBe(403);
      expect(res.data.error).toBe(LOCKED_REFUSAL);
    }
    // A code nobody holds gets the very same answer: the refusal tells nothing.
    const unknown = await cancel("ABCD2345");
    expect(unknown).toMatchObject({ status: 403, data: { error: LOCKED_REFUSAL } });
    expect(await snapshot(order, placed.listing.id)).toEqual(before);
  });

  it("refuses a cookie that unlocked another order, changing neither", async () => {
    const mine = await guestCheckout();
    const theirs = await guestCheckout();
    const myCookie = (await unlock(mine.orders[0].code, "0912 345 678")).setCookie;
    const before = await snapshot(theirs.orders[0], theirs.listing.id);

    const res = await cancel(theirs.orders[0].code, { cookies: [myCookie] });
    expect(res.status).toBe(403);
    expect(res.data.error).toBe(LOCKED_REFUSAL);
    expect(await snapshot(theirs.orders[0], theirs.listing.id)).toEqual(before);
    expect((await snapshot(mine.orders[0], mine.listing.id)).status).toBe("placed");
  });

  it("once the farmer confirmed, says the guest can no longer cancel, changing nothing", async () => {
    const placed = await guestCheckout();
    const [order] = placed.orders;
    const unlocked = (await unlock(order.code, "0912 345 678")).setCookie;
    await changeOrderStatus(db, {
      order: { orderCode: order.code },
      scope: { stallId: seller.stall.id },
      to: "confirmed",
      actor: { role: "farmer", userId: seller.user.id },
    });
    expect((await page(order.code, { cookies: [unlocked] })).data.cancel).toBe(false);
    const before = await snapshot(order, placed.listing.id);

    const res = await cancel(order.code, { cookies: [unlocked] });
    expect(res.status).toBe(403);
    expect(res.data.error).toBe(
      "Người bán đã xác nhận đơn này nên bạn không tự hủy được nữa. Nếu cần hủy, vui lòng gọi cho gian hàng.",
    );
    expect(await snapshot(order, placed.listing.id)).toEqual({ ...before, status: "confirmed" });
  });
});

describe("/orders", () => {
  it("lists the signed-in buyer's orders, newest first, and only theirs", async () => {
    const me = await createUser(db, { role: "buyer" });
    const older = await guestCheckout({ userId: me.id });
    const newer = await guestCheckout({ userId: me.id, twoStalls: true });
    await guestCheckout({ userId: buyer.id });
    const res = await call<{ orders: { code: string; stallName: string }[] }>(historyLoader, "/orders", {
      cookies: [await signedIn(me.id)],
    });
    const codes = res.data.orders.map((o) => o.code);
    expect(codes).toHaveLength(3);
    expect(codes.at(-1)).toBe(older.orders[0].code);
    expect(codes.slice(0, 2).sort()).toEqual(newer.orders.map((o) => o.code).sort());
  });

  it("sends an anonymous visitor to log in", async () => {
    const res = await call(historyLoader, "/orders");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Forders");
  });
});
