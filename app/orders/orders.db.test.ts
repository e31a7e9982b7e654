import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { checkouts, listings, orderEvents, orders } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { placeCheckout } from "./checkout.server";
import { OrderError } from "./errors";
import {
  cancelExpiredOrders,
  changeOrderStatus,
  countStallOrders,
  getCheckoutOrders,
  getOrder,
  listBuyerOrders,
  listStallOrders,
  stallOrdersQuery,
  type StatusChange,
} from "./orders.server";
import { ORDER_STATUSES, type OrderStatusCode } from "./state-machine";
import { ADDRESS_IN_THANH_HA, createActiveListing, createSellingStall, pickupCheckout } from "#tests/fixtures/orders";
import { sentOrderNotificationsForTests } from "./notify.server";
import { recordCashOnDelivery } from "~/payments/index.server";
import { db } from "~/utils/db.server";
import { rowsOf } from "#db/client";

const seller = await createSellingStall(db);
const other = await createSellingStall(db);
const buyer = await createUser(db, { role: "buyer", fullName: "Trần Thị Mua" });

beforeEach(() => {
  sentOrderNotificationsForTests.length = 0;
});

async function newOrder({
  delivery = "pickup",
  stock = 100,
  qty = 1,
}: { delivery?: "pickup" | "shipping"; stock?: number; qty?: number } = {}) {
  const listing = await createActiveListing(db, seller.stall.id, { stockQty: stock });
  const placed = await placeCheckout(db, {
    ...pickupCheckout([{ listing, qty }], { buyer: { userId: buyer.id, name: "Trần Thị Mua", phone: "0912345678" } }),
    address: ADDRESS_IN_THANH_HA,
    stalls: [{ stallId: seller.stall.id, delivery, paymentMethod: "cod" }],
  });
  return { listing, order: placed.orders[0], checkoutCode: placed.checkoutCode };
}

const asFarmer = (orderCode: string, to: OrderStatusCode, reason?: string): StatusChange => ({
  order: { orderCode },
  scope: { stallId: seller.stall.id },
  to,
  actor: { role: "farmer", userId: seller.user.id },
  reason,
  onDelivered: recordCashOnDelivery,
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrderError);
  return (error as OrderError).code;
}

const eventsOf = (orderId: string) => db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId));

/** The path from placed to each status (for the delivery method used). */
const PATH: Record<"pickup" | "shipping", OrderStatusCode[]> = {
  pickup: ["confirmed", "packed", "ready_for_pickup", "delivered", "completed"],
  shipping: ["confirmed", "packed", "shipped", "delivered", "completed"],
};

describe("changeOrderStatus", () => {
  for (const delivery of ["pickup", "shipping"] as const) {
    it(`takes a ${delivery} order through its whole life, one timeline row per change`, async () => {
      const { order } = await newOrder({ delivery });
      sentOrderNotificationsForTests.length = 0;
      for (const to of PATH[delivery]) {
        const { changed, order: updated } = await changeOrderStatus(db, asFarmer(order.code, to));
        expect(changed).toBe(true);
        expect(updated.status).toBe(to);
      }
      const details = (await getOrder(db, { orderCode: order.code }, { buyerUserId: buyer.id }))!;
      expect(details.order.status).toBe("completed");
      expect(details.timeline.map((e) => [e.fromStatus, e.toStatus, e.actorRole])).toEqual([
        [null, "placed", "buyer"],
        ...PATH[delivery].map((to, i) => [i === 0 ? "placed" : PATH[delivery][i - 1], to, "farmer"]),
      ]);
      expect(details.timeline.slice(1).every((e) => e.actorUserId === seller.user.id)).toBe(true);
      // The buyer heard of every change, in Vietnamese.
      expect(sentOrderNotificationsForTests.map((n) => [n.recipient, n.status])).toEqual(
        PATH[delivery].map((to) => ["buyer", to]),
      );
      expect(sentOrderNotificationsForTests[0].text).toContain("đã xác nhận đơn");
    });
  }

  it("refuses every change the state machine does not have, from every status, and writes nothing", async () => {
    for (const [i, from] of ["placed", ...PATH.shipping, "cancelled"].entries()) {
      const { order } = await newOrder({ delivery: "shipping" });
      const steps = from === "cancelled" ? ["cancelled" as const] : PATH.shipping.slice(0, i);
      for (const to of steps) await changeOrderStatus(db, asFarmer(order.code, to, "Hết hàng"));
      const events = (await eventsOf(order.id)).length;
      const legal =
        {
          placed: ["confirmed", "cancelled"],
          confirmed: ["packed", "cancelled"],
          packed: ["shipped", "cancelled"],
          shipped: ["delivered"],
          delivered: ["completed"],
        }[from as string] ?? [];
      for (const to of ORDER_STATUSES.filter((s) => s !== from && !legal.includes(s))) {
        expect(await refusal(changeOrderStatus(db, asFarmer(order.code, to, "lý do"))), `${from} → ${to}`).toBe(
          "illegal_transition",
        );
      }
      const [row] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, order.id));
      expect(row.status).toBe(from);
      expect(await eventsOf(order.id)).toHaveLength(events);
    }
  });

  it("a farmer cannot see or act on another stall's order", async () => {
    const { order } = await newOrder();
    const theirs: StatusChange = { ...asFarmer(order.code, "confirmed"), scope: { stallId: other.stall.id } };
    expect(await refusal(changeOrderStatus(db, theirs))).toBe("not_found");
    expect(await refusal(changeOrderStatus(db, { ...theirs, order: { orderId: order.id } }))).toBe("not_found");
    expect(await getOrder(db, { orderId: order.id }, { stallId: other.stall.id })).toBeNull();
    expect((await listStallOrders(db, { stallId: other.stall.id })).orders).toEqual([]);
    // Pretending to be the buyer from a seller's scope (or the reverse) is refused outright.
    expect(
      await refusal(changeOrderStatus(db, { ...asFarmer(order.code, "cancelled"), actor: { role: "buyer" } })),
    ).toBe("forbidden");
    expect(await eventsOf(order.id)).toHaveLength(1);
    expect((await getOrder(db, { orderCode: order.code }, { stallId: seller.stall.id }))?.order.status).toBe("placed");
  });

  it("the buyer can cancel only before the farmer confirms, and only their own order", async () => {
    const asBuyer = (orderCode: string, userId = buyer.id): StatusChange => ({
      order: { orderCode },
      scope: { buyerUserId: userId },
      to: "cancelled",
      actor: { role: "buyer", userId },
    });
    const stranger = await createUser(db, { role: "buyer" });
    const first = await newOrder();
    sentOrderNotificationsForTests.length = 0;
    expect(await refusal(changeOrderStatus(db, asBuyer(first.order.code, stranger.id)))).toBe("not_found");
    const { changed } = await changeOrderStatus(db, asBuyer(first.order.code));
    expect(changed).toBe(true);
    expect(sentOrderNotificationsForTests.map((n) => [n.recipient, n.template])).toEqual([
      ["farmer", "farmer_cancelled_by_buyer"],
    ]);

    const second = await newOrder();
    await changeOrderStatus(db, asFarmer(second.order.code, "confirmed"));
    expect(await refusal(changeOrderStatus(db, asBuyer(second.order.code)))).toBe("forbidden");
    expect(await refusal(changeOrderStatus(db, { ...asBuyer(second.order.code), to: "completed" }))).toBe(
      "illegal_transition",
    );
    expect((await listBuyerOrders(db, { buyerUserId: buyer.id })).map((o) => o.code)).toEqual(
      expect.arrayContaining([first.order.code, second.order.code]),
    );
  });

  it("a guest who proved an order theirs may cancel that order only, as a buyer without an account", async () => {
    const asGuest = (orderCode: string, orderId: string): StatusChange => ({
      order: { orderCode },
      scope: { guestOrderId: orderId },
      to: "cancelled",
      actor: { role: "buyer" },
    });
    const mine = await newOrder();
    const theirs = await newOrder();
    // Proof for one order opens no other.
    expect(await refusal(changeOrderStatus(db, asGuest(theirs.order.code, mine.order.id)))).toBe("not_found");
    // A guest names no account, nor acts as the farmer.
    expect(
      await refusal(
        changeOrderStatus(db, {
          ...asGuest(mine.order.code, mine.order.id),
          actor: { role: "buyer", userId: buyer.id },
        }),
      ),
    ).toBe("forbidden");
    expect(
      await refusal(changeOrderStatus(db, { ...asGuest(mine.order.code, mine.order.id), actor: { role: "farmer" } })),
    ).toBe("forbidden");
    expect(await eventsOf(theirs.order.id)).toHaveLength(1);
    expect(await eventsOf(mine.order.id)).toHaveLength(1);

    const { changed } = await changeOrderStatus(db, asGuest(mine.order.code, mine.order.id));
    expect(changed).toBe(true);
    expect((await eventsOf(mine.order.id)).find((e) => e.toStatus === "cancelled")).toMatchObject({
      actorRole: "buyer",
      actorUserId: null,
      fromStatus: "placed",
    });

    // The same rule as for a signed-in buyer: not once the farmer confirmed.
    await changeOrderStatus(db, asFarmer(theirs.order.code, "confirmed"));
    expect(await refusal(changeOrderStatus(db, asGuest(theirs.order.code, theirs.order.id)))).toBe("forbidden");
  });

  it("cancelling gives the stock back (a sold-out listing is on sale again); the farmer must say why", async () => {
    const { order, listing } = await newOrder({ stock: 3, qty: 3 });
    const sold = () =>
      db
        .select()
        .from(listings)
        .where(eq(listings.id, listing.id))
        .then(([l]) => l);
    expect(await sold()).toMatchObject({ stockQty: 0, status: "sold_out" });
    await changeOrderStatus(db, asFarmer(order.code, "confirmed"));
    expect(await refusal(changeOrderStatus(db, asFarmer(order.code, "cancelled", "  ")))).toBe("reason_required");
    await changeOrderStatus(db, asFarmer(order.code, "cancelled", "Mưa to, vải bị dập"));
    expect(await sold()).toMatchObject({ stockQty: 3, status: "active" });
    const [row] = await db.select().from(orders).where(eq(orders.id, order.id));
    expect(row).toMatchObject({ status: "cancelled", cancelReason: "Mưa to, vải bị dập" });
    const events = await eventsOf(order.id);
    expect(events.at(-1)).toMatchObject({ fromStatus: "confirmed", toStatus: "cancelled", note: "Mưa to, vải bị dập" });
    expect(sentOrderNotificationsForTests.at(-1)?.text).toContain("Lý do: Mưa to, vải bị dập");
    // A double tap changes nothing more (and gives nothing back twice).
    const again = await changeOrderStatus(db, asFarmer(order.code, "cancelled", "Mưa to, vải bị dập"));
    expect(again.changed).toBe(false);
    expect(await sold()).toMatchObject({ stockQty: 3 });
    expect(await eventsOf(order.id)).toHaveLength(events.length);
  });

  it("two simultaneous confirmations: one change, one timeline row", async () => {
    const { order } = await newOrder();
    const results = await Promise.allSettled([
      changeOrderStatus(db, asFarmer(order.code, "confirmed")),
      changeOrderStatus(db, asFarmer(order.code, "confirmed")),
    ]);
    const changed = results.filter((r) => r.status === "fulfilled" && r.value.changed);
    expect(changed).toHaveLength(1);
    for (const r of results) {
      if (r.status === "rejected") expect((r.reason as OrderError).code).toBe("conflict");
    }
    expect((await eventsOf(order.id)).filter((e) => e.toStatus === "confirmed")).toHaveLength(1);
  });

  it("orders are found by code, whatever way it is typed; the checkout code finds all its orders", async () => {
    const { order, checkoutCode } = await newOrder();
    const typed = `${order.code.slice(0, 4).toLowerCase()}-${order.code.slice(4)}`;
    expect((await getOrder(db, { orderCode: typed }, { byCode: true }))?.order.id).toBe(order.id);
    expect(await getOrder(db, { orderCode: "OOOO1111" }, { byCode: true })).toBeNull();
    expect(await getOrder(db, { orderId: order.id }, { byCode: true })).toBeNull();
    expect((await getCheckoutOrders(db, checkoutCode)).map((o) => o.id)).toEqual([order.id]);
  });

  it("the system cancels orders left unconfirmed too long, and gives their stock back", async () => {
    const { order, listing } = await newOrder({ stock: 5, qty: 2 });
    const confirmed = await newOrder();
    await changeOrderStatus(db, asFarmer(confirmed.order.code, "confirmed"));
    const cancelled = await cancelExpiredOrders(db, {
      placedBefore: new Date(Date.now() + 60_000),
      reason: "Quá hạn xác nhận",
    });
    expect(cancelled).toContain(order.code);
    expect(cancelled).not.toContain(confirmed.order.code);
    const [l] = await db.select().from(listings).where(eq(listings.id, listing.id));
    expect(l.stockQty).toBe(5);
    expect((await eventsOf(order.id)).at(-1)).toMatchObject({
      actorRole: "system",
      actorUserId: null,
      toStatus: "cancelled",
    });
  });
});

describe("listStallOrders (the farmer's list)", () => {
  const RANK: Record<OrderStatusCode, number> = {
    placed: 0,
    confirmed: 1,
    packed: 1,
    shipped: 1,
    ready_for_pickup: 1,
    delivered: 2,
    completed: 2,
    cancelled: 2,
  };

  /**
   * `count` orders of a fresh stall, a third each new, confirmed and
   * cancelled, placed at instants a microsecond apart with four orders on each
   * instant: a cursor that lost the microseconds, or broke ties badly, would
   * repeat or skip some.
   */
  async function stallWithOrders(count: number) {
    const shop = await createSellingStall(db);
    const listing = await createActiveListing(db, shop.stall.id, { stockQty: 1000 });
    const codes: string[] = [];
    for (let i = 0; i < count; i++) {
      const placed = await placeCheckout(
        db,
        pickupCheckout([{ listing, qty: 1 }], { buyer: { name: "Lê Thị Hoa", phone: "0912345678" } }),
      );
      const { code } = placed.orders[0];
      codes.push(code);
      const farmer = { scope: { stallId: shop.stall.id }, actor: { role: "farmer" as const, userId: shop.user.id } };
      if (i % 3 === 1) await changeOrderStatus(db, { ...farmer, order: { orderCode: code }, to: "confirmed" });
      if (i % 3 === 2)
        await changeOrderStatus(db, { ...farmer, order: { orderCode: code }, to: "cancelled", reason: "Hết hàng" });
      await db
        .update(orders)
        .set({
          createdAt: sql`'2026-06-01 09:00:00.000001+07'::timestamptz + ${Math.floor(i / 4)} * interval '1 microsecond'`,
        })
        .where(eq(orders.code, code));
    }
    const rows = await db.select().from(orders).where(eq(orders.stallId, shop.stall.id));
    expect(rows).toHaveLength(count);
    // To-do order: group, then newest first, then id (descending) among orders of the same instant.
    const expected = rows
      .map((o) => ({ ...o, instant: Math.floor(codes.indexOf(o.code) / 4) }))
      .sort((a, b) => RANK[a.status] - RANK[b.status] || b.instant - a.instant || (a.id < b.id ? 1 : -1))
      .map((o) => o.code);
    return { shop, expected };
  }

  async function allPages(stallId: string) {
    const pages = [];
    let after: string | null = null;
    do {
      const page = await listStallOrders(db, { stallId, after });
      pages.push(page);
      after = page.next;
    } while (after && pages.length < 10);
    return pages;
  }

  it("gives 70 orders in three pages of 30, new ones first, with no repeats and no gaps", async () => {
    const { shop, expected } = await stallWithOrders(70);
    // Another farmer's orders, placed at the very same instants, never show.
    const rival = await stallWithOrders(6);

    const pages = await allPages(shop.stall.id);
    expect(pages.map((p) => p.orders.length)).toEqual([30, 30, 10]);
    expect(pages.map((p) => p.first)).toEqual([true, false, false]);
    expect(pages.at(-1)?.next).toBeNull();
    for (const p of pages.slice(0, -1)) expect(p.next).toMatch(/^[A-Za-z0-9_-]+$/);
    const codes = pages.flatMap((p) => p.orders.map((o) => o.code));
    expect(codes).toEqual(expected);
    expect(new Set(codes).size).toBe(70);
    expect(codes).not.toEqual(expect.arrayContaining([rival.expected[0]]));
    expect(pages.flatMap((p) => p.orders).every((o) => o.stallId === shop.stall.id)).toBe(true);

    // 24 new orders fill most of the first page; the groups follow in to-do order.
    const groups = pages.flatMap((p) => p.orders.map((o) => o.group));
    expect(groups.indexOf("inProgress")).toBe(24);
    expect(groups.lastIndexOf("inProgress")).toBe(46);
    expect(groups.slice(47).every((g) => g === "done")).toBe(true);
    expect(await countStallOrders(db, shop.stall.id)).toEqual({ new: 24, inProgress: 23, done: 23 });

    // The rival's cursor is only a position: on our stall it still shows only our orders.
    const theirNext = (await listStallOrders(db, { stallId: rival.shop.stall.id, limit: 2 })).next;
    const ours = await listStallOrders(db, { stallId: shop.stall.id, after: theirNext });
    expect(ours.orders.every((o) => o.stallId === shop.stall.id)).toBe(true);
  });

  it("starts again at the top for a cursor it did not write, and never fails on one", async () => {
    const { shop, expected } = await stallWithOrders(35);
    const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const { next } = await listStallOrders(db, { stallId: shop.stall.id });
    const real = JSON.parse(Buffer.from(next!, "base64url").toString("utf8")) as Record<string, unknown>;
    for (const after of [
      "",
      "garbage",
      "%%%",
      "a".repeat(5000),
      forge("not an object"),
      forge({ ...real, g: 7 }),
      forge({ ...real, g: -1 }),
      forge({ ...real, t: "2026-13-45 99:99:99" }),
      forge({ ...real, t: "now(); DROP TABLE orders" }),
      forge({ ...real, i: "1 OR 1=1" }),
      next!.slice(0, -3),
    ]) {
      const page = await listStallOrders(db, { stallId: shop.stall.id, after });
      expect(page.first, after.slice(0, 40)).toBe(true);
      expect(page.orders.map((o) => o.code)).toEqual(expected.slice(0, 30));
    }
  });

  it("reads every page from the index orders_stall_status_idx, never the whole table", async () => {
    // Enough orders, over a few stalls and every status, that the planner would rather read the table if it could.
    const shops = [];
    for (let i = 0; i < 4; i++) shops.push(await createSellingStall(db));
    const [checkout] = await db.insert(checkouts).values({ code: "PLANBULK" }).returning();
    const stallIds = sql.join(
      shops.map((s) => sql`${s.stall.id}::uuid`),
      sql`, `,
    );
    await db.execute(sql`
      INSERT INTO orders (code, checkout_id, stall_id, buyer_name, buyer_phone, delivery_method,
                          subtotal_dong, delivery_fee_dong, total_dong, payment_method, status, created_at)
      SELECT 'P' || lpad(g::text, 7, '0'), ${checkout.id}, (ARRAY[${stallIds}])[1 + g % 4], 'Khách', '+84912345678',
             'pickup', 1000, 0, 1000, 'cod', (enum_range(NULL::order_status))[1 + (g / 4) % 8],
             now() - g * interval '1 minute'
      FROM generate_series(1, 8000) g`);
    await db.execute(sql`ANALYZE orders`);

    const stallId = shops[0].stall.id;
    const { next } = await listStallOrders(db, { stallId });
    // A cursor inside the finished orders, where only their branches are left to read.
    let cursorInDone: string | null = null;
    for (let after = next, i = 0; after && !cursorInDone && i < 100; i++) {
      const page = await listStallOrders(db, { stallId, after });
      if (page.orders.at(-1)?.group === "done") cursorInDone = page.next;
      after = page.next;
    }
    expect(JSON.parse(Buffer.from(cursorInDone!, "base64url").toString("utf8"))).toMatchObject({ g: 2 });
    for (const after of [null, next, cursorInDone]) {
      const plan = rowsOf(await db.execute(sql`EXPLAIN ${stallOrdersQuery(db, { stallId, after })}`))
        .map((row) => String(Object.values(row)[0]))
        .join("\n");
      expect(plan).toMatch(/Index Scan Backward using orders_stall_status_idx/);
      expect(plan).not.toMatch(/Seq Scan on orders|Bitmap Heap Scan on orders/);
    }
  });
});
