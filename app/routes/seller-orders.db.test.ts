/**
 * The farmer's order pages through their real loaders and actions: the list
 * in to-do order with its one-tap confirm, the order page's next steps, and
 * what the buyer then sees; another stall's order is a 404 and an illegal
 * step changes nothing.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { orderEvents, orders } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { loader as buyerPageLoader } from "./orders.$orderCode";
import { action as detailAction, loader as detailLoader } from "./seller.orders.$orderCode";
import { action as listAction, loader as listLoader } from "./seller.orders._index";
import { sentOrderNotificationsForTests } from "~/orders/notify.server";
import { placeCheckout } from "~/orders/checkout.server";
import { call, signedIn } from "#tests/harness/routes";
import { createActiveListing, createSellingStall, pickupCheckout } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";

const seller = await createSellingStall(db);
const rival = await createSellingStall(db);
const buyer = await createUser(db, { role: "buyer", fullName: "Trần Thị Mua" });
const farmer = await signedIn(seller.user.id);
const rivalFarmer = await signedIn(rival.user.id);

beforeEach(() => {
  sentOrderNotificationsForTests.length = 0;
});

async function newOrder(stallId = seller.stall.id) {
  const listing = await createActiveListing(db, stallId, { title: "Vải thiều", unit: "kg" });
  const placed = await placeCheckout(
    db,
    pickupCheckout([{ listing, qty: 3 }], { buyer: { userId: buyer.id, name: "Trần Thị Mua", phone: "0912345678" } }),
  );
  return placed.orders[0];
}

type ListData = {
  groups: {
    id: string;
    orders: { code: string; buyerName: string; items: { title: string; qty: number; unit: string }[] }[];
  }[];
  error?: string;
};
type PagedList = {
  groups: { id: string; count: number; orders: { code: string }[] }[];
  next: string | null;
  first: boolean;
};
type DetailData = {
  order: { status: string };
  next: string[];
  items: { title: string; qty: number; unit: string }[];
  timeline: { actorRole: string; fromStatus: string | null; toStatus: string; note: string }[];
  error?: string;
};

const advanceFromList = (code: string, to: string, cookie = farmer) =>
  call<ListData>(listAction, "/seller/orders", { cookies: [cookie], form: { intent: "advance", orderCode: code, to } });
const advance = (code: string, to: string, { reason = "", cookie = farmer } = {}) =>
  call<DetailData>(detailAction, `/seller/orders/${code}`, {
    params: { orderCode: code },
    cookies: [cookie],
    form: { intent: "advance", to, reason },
  });
const detail = (code: string, cookie = farmer) =>
  call<DetailData>(detailLoader, `/seller/orders/${code}`, { params: { orderCode: code }, cookies: [cookie] });
const statusOf = async (code: string) => (await db.select().from(orders).where(eq(orders.code, code)))[0];
const eventCount = async (orderId: string) =>
  (await db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId))).length;

describe("/seller/orders", () => {
  it("puts new orders first, then those in progress, then the finished ones", async () => {
    const fresh = await newOrder();
    const going = await newOrder();
    await advanceFromList(going.code, "confirmed");
    const res = await call<ListData>(listLoader, "/seller/orders", { cookies: [farmer] });
    const groups = Object.fromEntries(res.data.groups.map((g) => [g.id, g.orders.map((o) => o.code)]));
    expect(res.data.groups.map((g) => g.id)).toEqual(["new", "inProgress", "done"]);
    expect(groups.new).toContain(fresh.code);
    expect(groups.inProgress).toContain(going.code);
    const row = res.data.groups[0].orders.find((o) => o.code === fresh.code);
    expect(row).toMatchObject({ buyerName: "Trần Thị Mua", items: [{ title: "Vải thiều", qty: 3, unit: "kg" }] });
  });

  it("confirms from the list; the buyer's page then shows it confirmed with a timeline row, and hears once", async () => {
    const order = await newOrder();
    sentOrderNotificationsForTests.length = 0;
    const res = await advanceFromList(order.code, "confirmed");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/seller/orders");

    const buyerPage = await call<DetailData & { locked: boolean }>(buyerPageLoader, `/orders/${order.code}`, {
      params: { orderCode: order.code },
      cookies: [await signedIn(buyer.id)],
    });
    expect(buyerPage.data.locked).toBe(false);
    expect(buyerPage.data.order.status).toBe("confirmed");
    expect(buyerPage.data.timeline.at(-1)).toMatchObject({
      actorRole: "farmer",
      fromStatus: "placed",
      toStatus: "confirmed",
    });
    expect(sentOrderNotificationsForTests.map((n) => [n.recipient, n.template])).toEqual([
      ["buyer", "buyer_confirmed"],
    ]);
  });

  it("pages 30 at a time with a plain link, new orders first, counting every group", async () => {
    const shop = await createSellingStall(db);
    const shopFarmer = await signedIn(shop.user.id);
    const listing = await createActiveListing(db, shop.stall.id, { stockQty: 500 });
    const codes: string[] = [];
    for (let i = 0; i < 34; i++) {
      const placed = await placeCheckout(db, pickupCheckout([{ listing, qty: 1 }]));
      codes.push(placed.orders[0].code);
    }
    // The four oldest are being handled; thirty are still new.
    for (const code of codes.slice(0, 4)) await advanceFromList(code, "confirmed", shopFarmer);
    await newOrder(); // another farmer's, which never shows here

    const list = (query = "") => call<PagedList>(listLoader, `/seller/orders${query}`, { cookies: [shopFarmer] });
    const first = await list();
    expect(first.data.first).toBe(true);
    expect(first.data.groups.map((g) => [g.id, g.count, g.orders.length])).toEqual([
      ["new", 30, 30],
      // Nothing in progress fits on this page; nothing is done at all, which the first page says.
      ["done", 0, 0],
    ]);
    expect(first.data.next).toMatch(/^[A-Za-z0-9_-]+$/);

    // What "Xem thêm đơn" links to.
    const second = await list(`?after=${first.data.next}`);
    expect(second.status).toBe(200);
    expect(second.data.first).toBe(false);
    expect(second.data.next).toBeNull();
    expect(second.data.groups.map((g) => [g.id, g.count, g.orders.length])).toEqual([["inProgress", 4, 4]]);
    const shown = [...first.data.groups, ...second.data.groups].flatMap((g) => g.orders.map((o) => o.code));
    expect(shown).toHaveLength(34);
    expect(new Set(shown)).toEqual(new Set(codes));
    // Newest first inside a group.
    expect(second.data.groups[0].orders.map((o) => o.code)).toEqual(codes.slice(0, 4).reverse());

    // A cursor that was tampered with gives the first page, not an error.
    for (const bad of ["?after=%27%3B--", `?after=${first.data.next?.slice(2)}`, "?after="]) {
      const res = await list(bad);
      expect(res.status).toBe(200);
      expect(res.data.first).toBe(true);
      expect(res.data.groups[0].orders.map((o) => o.code)).toEqual(first.data.groups[0].orders.map((o) => o.code));
    }
    // The cursor is no key to anyone's orders: the rival farmer following it sees only their own.
    const rivalPage = await call<PagedList>(listLoader, `/seller/orders?after=${first.data.next}`, {
      cookies: [rivalFarmer],
    });
    expect(rivalPage.status).toBe(200);
    const rivalCodes = rivalPage.data.groups.flatMap((g) => g.orders.map((o) => o.code));
    expect(rivalCodes.filter((code) => codes.includes(code))).toEqual([]);
  });

  it("sends a visitor to log in and refuses someone without a stall", async () => {
    expect((await call(listLoader, "/seller/orders")).location).toBe("/login?redirectTo=%2Fseller%2Forders");
    expect((await call(listLoader, "/seller/orders", { cookies: [await signedIn(buyer.id)] })).status).toBe(403);
  });
});

describe("/seller/orders/:orderCode", () => {
  it("offers only the next steps of the order's life, and takes a pickup order to the end", async () => {
    const order = await newOrder();
    expect((await detail(order.code)).data.next).toEqual(["confirmed", "cancelled"]);
    expect((await detail(order.code)).data.items).toEqual([expect.objectContaining({ title: "Vải thiều", qty: 3 })]);
    for (const [to, next] of [
      ["confirmed", ["packed", "cancelled"]],
      ["packed", ["ready_for_pickup", "cancelled"]],
      ["ready_for_pickup", ["delivered"]],
      ["delivered", ["completed"]],
      ["completed", []],
    ] as const) {
      expect((await advance(order.code, to)).status).toBe(302);
      const page = await detail(order.code);
      expect(page.data.order.status).toBe(to);
      expect(page.data.next).toEqual(next);
    }
    expect((await detail(order.code)).data.timeline).toHaveLength(6);
  });

  it("refuses an illegal step (placed → delivered) with a message, changing nothing", async () => {
    const order = await newOrder();
    sentOrderNotificationsForTests.length = 0;
    const res = await advance(order.code, "delivered");
    expect(res.status).toBe(400);
    expect(res.data.error).toBe("Không thể chuyển đơn sang trạng thái này");
    expect((await statusOf(order.code)).status).toBe("placed");
    expect(await eventCount(order.id)).toBe(1);
    expect(sentOrderNotificationsForTests).toEqual([]);
  });

  it("cancels only with a reason, which the buyer then reads", async () => {
    const order = await newOrder();
    const bare = await advance(order.code, "cancelled", { reason: "  " });
    expect(bare.status).toBe(400);
    expect(bare.data.error).toBe("Vui lòng ghi lý do hủy đơn để người mua được biết");
    expect((await statusOf(order.code)).status).toBe("placed");

    expect((await advance(order.code, "cancelled", { reason: "Mưa đá, vải bị dập" })).status).toBe(302);
    const row = await statusOf(order.code);
    expect(row).toMatchObject({ status: "cancelled", cancelReason: "Mưa đá, vải bị dập" });
    expect((await detail(order.code)).data.timeline.at(-1)).toMatchObject({
      actorRole: "farmer",
      toStatus: "cancelled",
      note: "Mưa đá, vải bị dập",
    });
  });

  it("treats another stall's order as not found: no page, no action from the page or the list", async () => {
    const order = await newOrder();
    expect((await detail(order.code, rivalFarmer)).status).toBe(404);
    expect((await advance(order.code, "confirmed", { cookie: rivalFarmer })).status).toBe(404);
    expect((await advanceFromList(order.code, "confirmed", rivalFarmer)).status).toBe(404);
    const rivalList = await call<ListData>(listLoader, "/seller/orders", { cookies: [rivalFarmer] });
    expect(rivalList.data.groups.flatMap((g) => g.orders.map((o) => o.code))).not.toContain(order.code);
    expect((await statusOf(order.code)).status).toBe("placed");
    expect(await eventCount(order.id)).toBe(1);
  });

  it("answers a malformed or unknown code with 404", async () => {
    expect((await detail("nope")).status).toBe(404);
    expect((await detail("ABCD2345")).status).toBe(404);
  });
});
