import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { listings, orderEvents, orders } from "../../db/schema";
import { createUser } from "../../tests/factories";
import { placeCheckout } from "./checkout.server";
import { OrderError } from "./errors";
import {
  cancelExpiredOrders,
  changeOrderStatus,
  getCheckoutOrders,
  getOrder,
  listBuyerOrders,
  listStallOrders,
  type StatusChange,
} from "./orders.server";
import { ORDER_STATUSES, type OrderStatusCode } from "./state-machine";
import { ADDRESS_IN_THANH_HA, createActiveListing, createSellingStall, pickupCheckout } from "./test-helpers.server";
import { sentOrderNotificationsForTests } from "~/notifications/orders.server";
import { db } from "~/utils/db.server";

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
    expect(await listStallOrders(db, { stallId: other.stall.id })).toEqual([]);
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
