import { and, count, eq, ne, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { communes, listings, orderEvents, orderItems, orders, stalls } from "#db/schema";
import { THANH_HA } from "#tests/fixtures/factories";
import { placeCheckout } from "./checkout.server";
import { OrderError } from "./errors";
import { ADDRESS_IN_THANH_HA, createActiveListing, createSellingStall, pickupCheckout } from "#tests/fixtures/orders";
import { sentOrderNotificationsForTests } from "./notify.server";
import { checkoutPayments } from "~/payments/index.server";
import { db } from "~/utils/db.server";

/** The OrderError a call fails with (and fails the test if it succeeds or throws something else). */
async function refusal(promise: Promise<unknown>): Promise<OrderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OrderError);
  return error as OrderError;
}

async function stockOf(listingId: string) {
  const [row] = await db
    .select({ stockQty: listings.stockQty, status: listings.status, preorderCapacity: listings.preorderCapacity })
    .from(listings)
    .where(eq(listings.id, listingId));
  return row;
}

async function orderCount() {
  const [{ n }] = await db.select({ n: count() }).from(orders);
  return n;
}

beforeEach(() => {
  sentOrderNotificationsForTests.length = 0;
});

describe("placeCheckout: stock never oversells", () => {
  it("50 simultaneous checkouts of 1 unit against a stock of 20: 20 orders, stock 0, 30 clear 'sold out' answers", async () => {
    const { stall } = await createSellingStall(db);
    const listing = await createActiveListing(db, stall.id, { stockQty: 20 });
    const before = await orderCount();

    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        placeCheckout(
          db,
          pickupCheckout([{ listing, qty: 1 }], { buyer: { name: `Khách ${i}`, phone: "0912345678" } }),
        ),
      ),
    );

    const placed = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(placed).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const { reason } of refused) {
      expect(reason).toBeInstanceOf(OrderError);
      expect(reason.code).toBe("items_unavailable");
      expect(reason.items).toEqual([
        expect.objectContaining({
          listingId: listing.id,
          title: listing.title,
          problem: "sold_out",
          messageKey: "problems.sold_out",
        }),
      ]);
    }
    expect(await stockOf(listing.id)).toMatchObject({ stockQty: 0, status: "sold_out" });
    expect((await orderCount()) - before).toBe(20);
    const [{ sold }] = await db
      .select({ sold: sql<number>`coalesce(sum(${orderItems.qty}), 0)`.mapWith(Number) })
      .from(orderItems)
      .where(eq(orderItems.listingId, listing.id));
    expect(sold).toBe(20);
    // Every order code is distinct and every order has its "placed" timeline row.
    const codes = new Set(
      placed.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof placeCheckout>>>).value.orders[0].code),
    );
    expect(codes.size).toBe(20);
    const [{ events }] = await db
      .select({ events: count() })
      .from(orderEvents)
      .innerJoin(orderItems, eq(orderItems.orderId, orderEvents.orderId))
      .where(and(eq(orderItems.listingId, listing.id), eq(orderEvents.toStatus, "placed")));
    expect(events).toBe(20);
  });

  it("a short item fails the whole checkout, names every short item, and changes nothing", async () => {
    const { stall } = await createSellingStall(db);
    const plenty = await createActiveListing(db, stall.id, {
      title: "Bưởi Diễn",
      unit: "qua",
      stockQty: 50,
      priceDong: 60_000,
    });
    const few = await createActiveListing(db, stall.id, { title: "Nhãn lồng", stockQty: 3 });
    const none = await createActiveListing(db, stall.id, { title: "Ổi", stockQty: 1 });
    await placeCheckout(db, pickupCheckout([{ listing: none, qty: 1 }]));
    const before = await orderCount();

    const error = await refusal(
      placeCheckout(
        db,
        pickupCheckout([
          { listing: plenty, qty: 5 },
          { listing: few, qty: 4 },
          { listing: none, qty: 1 },
        ]),
      ),
    );
    expect(error.code).toBe("items_unavailable");
    expect(error.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ title: "Nhãn lồng", problem: "only_left", left: 3 }),
        expect.objectContaining({ title: "Ổi", problem: "sold_out" }),
      ]),
    );
    expect(error.items).toHaveLength(2);
    expect(await stockOf(plenty.id)).toMatchObject({ stockQty: 50, status: "active" });
    expect(await stockOf(few.id)).toMatchObject({ stockQty: 3, status: "active" });
    expect(await orderCount()).toBe(before);
  });

  it("made-to-order listings take no stock; pre-orders stop at their capacity", async () => {
    const { stall } = await createSellingStall(db);
    const cake = await createActiveListing(db, stall.id, {
      title: "Bánh chưng",
      unit: "hop",
      madeToOrder: true,
      stockQty: 0,
    });
    const placed = await placeCheckout(db, pickupCheckout([{ listing: cake, qty: 500 }]));
    expect(placed.orders[0].subtotalDong).toBe(500 * cake.priceDong);
    expect(await stockOf(cake.id)).toMatchObject({ stockQty: 0, status: "active" });

    const nextYear = `${new Date().getFullYear() + 1}-06-01`;
    const preorder = await createActiveListing(db, stall.id, {
      title: "Vải thiều vụ tới",
      stockQty: 0,
      preorder: true,
      preorderCapacity: 10,
      availableFrom: nextYear,
    });
    await placeCheckout(db, pickupCheckout([{ listing: preorder, qty: 7 }]));
    const error = await refusal(placeCheckout(db, pickupCheckout([{ listing: preorder, qty: 4 }])));
    expect(error.items).toEqual([expect.objectContaining({ problem: "only_left", left: 3 })]);
    await placeCheckout(db, pickupCheckout([{ listing: preorder, qty: 3 }]));
    expect(await stockOf(preorder.id)).toMatchObject({ preorderCapacity: 0, stockQty: 0, status: "sold_out" });
  });
});

describe("placeCheckout: one order per stall", () => {
  it("splits a two-stall checkout into two orders under one checkout code, with fees from each stall", async () => {
    const a = await createSellingStall(db);
    const b = await createSellingStall(db, { shippingFeeMode: "per_kg", shippingFeeDong: 12_000 });
    const lychee = await createActiveListing(db, a.stall.id, { priceDong: 45_000 });
    const rice = await createActiveListing(db, b.stall.id, {
      title: "Gạo ST25",
      category: "lua-gao",
      unit: "kg",
      priceDong: 38_000,
    });
    const greens = await createActiveListing(db, b.stall.id, {
      title: "Rau muống",
      category: "rau-la",
      unit: "bo",
      priceDong: 8_000,
    });

    const placed = await placeCheckout(db, {
      buyer: { name: "  Trần   Thị Mua ", phone: "0912 345 678", locale: "en", phoneProved: true },
      address: ADDRESS_IN_THANH_HA,
      stalls: [
        { stallId: a.stall.id, delivery: "local", paymentMethod: "cod", note: "Giao sau 5 giờ chiều" },
        { stallId: b.stall.id, delivery: "shipping", paymentMethod: "cod" },
      ],
      items: [
        { listingId: lychee.id, qty: 2, priceDong: 45_000 },
        { listingId: rice.id, qty: 5, priceDong: 38_000 },
        { listingId: greens.id, qty: 3, priceDong: 8_000 },
      ],
      payments: checkoutPayments(),
    });

    expect(placed.checkoutCode).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(placed.orders).toHaveLength(2);
    const [oa, ob] = placed.orders;
    expect(oa).toMatchObject({
      stallId: a.stall.id,
      subtotalDong: 90_000,
      deliveryFeeDong: 15_000,
      totalDong: 105_000,
    });
    // 5 kg of rice; the bunches of greens have no known weight: ceil(5) × 12.000.
    expect(ob).toMatchObject({
      stallId: b.stall.id,
      subtotalDong: 214_000,
      deliveryFeeDong: 60_000,
      totalDong: 274_000,
    });
    expect(placed.totalDong).toBe(379_000);

    const [row] = await db.select().from(orders).where(eq(orders.id, oa.id));
    expect(row).toMatchObject({
      buyerName: "Trần Thị Mua",
      buyerPhone: "+84912345678",
      buyerLocale: "en",
      communeCode: THANH_HA.communeCode,
      addressLine: "Số 5, thôn Phú Lương",
      buyerNote: "Giao sau 5 giờ chiều",
      paymentMethod: "cod",
      status: "placed",
    });
    const items = await db.select().from(orderItems).where(eq(orderItems.orderId, ob.id));
    expect(items.map((i) => [i.title, i.unit, i.unitPriceDong, i.qty, i.lineTotalDong]).sort()).toEqual([
      ["Gạo ST25", "kg", 38_000, 5, 190_000],
      ["Rau muống", "bo", 8_000, 3, 24_000],
    ]);
    // Each farmer hears of their order and the buyer of each, in English.
    expect(sentOrderNotificationsForTests.filter((n) => n.recipient === "farmer")).toHaveLength(2);
    const buyerTexts = sentOrderNotificationsForTests.filter((n) => n.recipient === "buyer").map((n) => n.text);
    expect(buyerTexts).toHaveLength(2);
    expect(buyerTexts[0]).toContain("cash on delivery");
  });

  it("re-reads prices: a tampered or outdated price is refused with the current one, nothing changes", async () => {
    const { stall } = await createSellingStall(db);
    const listing = await createActiveListing(db, stall.id, { stockQty: 10, priceDong: 45_000 });
    const before = await orderCount();
    const input = pickupCheckout([{ listing: { ...listing, priceDong: 1_000 }, qty: 2 }]);
    const error = await refusal(placeCheckout(db, input));
    expect(error.items).toEqual([expect.objectContaining({ problem: "price_changed", priceDong: 45_000 })]);
    expect(await stockOf(listing.id)).toMatchObject({ stockQty: 10 });
    expect(await orderCount()).toBe(before);
  });

  it("refuses bad quantities, minimums, unpublished stalls and paused listings", async () => {
    const { stall } = await createSellingStall(db);
    const listing = await createActiveListing(db, stall.id, { minOrderQty: 5 });
    for (const qty of [0, -1, 1.5, Number.NaN]) {
      const error = await refusal(placeCheckout(db, pickupCheckout([{ listing, qty }])));
      expect(error.items[0].problem).toBe("invalid_quantity");
    }
    const below = await refusal(placeCheckout(db, pickupCheckout([{ listing, qty: 4 }])));
    expect(below.items).toEqual([expect.objectContaining({ problem: "below_minimum", min: 5 })]);

    const hidden = await createSellingStall(db);
    const hiddenListing = await createActiveListing(db, hidden.stall.id);
    await db.update(stalls).set({ status: "unpublished" }).where(eq(stalls.id, hidden.stall.id));
    const unpublished = await refusal(placeCheckout(db, pickupCheckout([{ listing: hiddenListing, qty: 1 }])));
    expect(unpublished.items).toEqual([expect.objectContaining({ problem: "unavailable" })]);

    await db.update(listings).set({ status: "paused" }).where(eq(listings.id, listing.id));
    const paused = await refusal(placeCheckout(db, pickupCheckout([{ listing, qty: 5 }])));
    expect(paused.items).toEqual([expect.objectContaining({ problem: "unavailable" })]);

    const unknown = await refusal(
      placeCheckout(db, pickupCheckout([{ listing: { ...listing, id: "not-a-uuid" }, qty: 1 }])),
    );
    expect(unknown.items[0].problem).toBe("unavailable");
  });

  it("checks the buyer, the address, the delivery choice and the payment method", async () => {
    const { stall } = await createSellingStall(db, { shippingEnabled: false });
    const listing = await createActiveListing(db, stall.id);

    const form = await refusal(
      placeCheckout(db, pickupCheckout([{ listing, qty: 1 }], { buyer: { name: " ", phone: "0243 123 4567" } })),
    );
    expect(form.code).toBe("invalid_input");
    expect(form.fields).toEqual({ name: "fields.name.required", phone: "fields.phone.landline" });

    const local = (address: typeof ADDRESS_IN_THANH_HA | null, delivery: "local" | "shipping" = "local") =>
      placeCheckout(db, {
        ...pickupCheckout([{ listing, qty: 1 }]),
        address,
        stalls: [{ stallId: stall.id, delivery, paymentMethod: "cod" }],
      });
    const noAddress = await refusal(local(null));
    expect(noAddress.fields).toMatchObject({
      addressLine: "fields.addressLine.required",
      commune: "fields.commune.required",
    });

    const [elsewhere] = await db
      .select({ code: communes.code, provinceCode: communes.provinceCode })
      .from(communes)
      .where(ne(communes.code, THANH_HA.communeCode))
      .limit(1);
    const mismatched = await refusal(
      local({ ...ADDRESS_IN_THANH_HA, communeCode: elsewhere.code, provinceCode: "zz" }),
    );
    expect(mismatched.fields).toMatchObject({ commune: "fields.commune.required" });

    const outside = await refusal(
      local({ provinceCode: elsewhere.provinceCode, communeCode: elsewhere.code, addressLine: "Số 1" }),
    );
    expect(outside).toMatchObject({ code: "delivery_unavailable", stallIds: [stall.id] });
    const notOffered = await refusal(local(ADDRESS_IN_THANH_HA, "shipping"));
    expect(notOffered.code).toBe("delivery_unavailable");

    const card = await refusal(
      placeCheckout(db, {
        ...pickupCheckout([{ listing, qty: 1 }]),
        stalls: [{ stallId: stall.id, delivery: "pickup", paymentMethod: "stripe" }],
      }),
    );
    expect(card).toMatchObject({ code: "payment_unavailable", stallIds: [stall.id] });
    await db.update(stalls).set({ codEnabled: false }).where(eq(stalls.id, stall.id));
    const noCod = await refusal(placeCheckout(db, pickupCheckout([{ listing, qty: 1 }])));
    expect(noCod.code).toBe("payment_unavailable");

    const noChoice = await refusal(placeCheckout(db, { ...pickupCheckout([{ listing, qty: 1 }]), stalls: [] }));
    expect(noChoice.fields).toEqual({ [`delivery.${stall.id}`]: "fields.delivery.required" });
    expect(await stockOf(listing.id)).toMatchObject({ stockQty: 200 });
    expect(await refusal(placeCheckout(db, { ...pickupCheckout([]) }))).toMatchObject({ code: "empty" });
  });
});
