import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listings, orderEvents, paymentRefunds } from "#db/schema";
import { listPaymentAlerts } from "./alerts.server";
import { abandonAttempt, createAttempt, expireAttempts, markAttemptStarted } from "./attempts.server";
import { PaymentError } from "./errors";
import { markPaidByFarmer, recordCashOnDelivery } from "../farmer/money-received.server";
import { applyNotification } from "./notifications.server";
import { recordRefund } from "./refunds.server";
import { attemptRow, ledgerOf, notification, orderRow, paymentRows, placeWith } from "#tests/fixtures/payments";
import { SYSTEM_CANCEL_REASONS } from "~/orders/cancel-reasons";
import { changeOrderStatus, getOrder } from "~/orders/orders.server";
import { createSellingStall, VIETQR_STALL } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";

const farm = await createSellingStall(db, { ...VIETQR_STALL });
const otherFarm = await createSellingStall(db);
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function refusal(promise: Promise<unknown>): Promise<PaymentError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PaymentError);
  return error as PaymentError;
}

const farmerActor = { role: "farmer" as const, userId: farm.user.id };

describe("createAttempt", () => {
  it("pays all of a checkout's orders of that method, with the amount from the database", async () => {
    const placed = await placeWith(db, [
      { stallId: farm.stall.id, method: "vnpay", qty: 3 },
      { stallId: otherFarm.stall.id, method: "vnpay", priceDong: 20_000 },
    ]);
    const { attempt, orders } = await createAttempt(db, {
      checkoutCode: placed.checkoutCode.toLowerCase(),
      provider: "vnpay",
      expiresAt: later(15),
    });
    expect(attempt).toMatchObject({ status: "created", amountDong: 155_000, collectedBy: "platform", currency: "VND" });
    expect(orders.map((o) => o.amountDong).sort()).toEqual([135_000, 20_000].sort());
    // Started: pending, and its orders' payment too.
    await markAttemptStarted(db, { attemptId: attempt.id, providerRef: "REF-ALL" });
    expect((await attemptRow(db, attempt.id)).status).toBe("pending");
    for (const o of placed.orders) expect((await orderRow(db, o.id)).paymentStatus).toBe("pending");
    // Given up: unpaid again.
    await abandonAttempt(db, { attemptId: attempt.id, to: "cancelled" });
    for (const o of placed.orders) expect((await orderRow(db, o.id)).paymentStatus).toBe("unpaid");
  });

  it("refuses what cannot be paid, and makes nothing", async () => {
    const mixed = await placeWith(db, [
      { stallId: farm.stall.id, method: "vietqr" },
      { stallId: otherFarm.stall.id, method: "vietqr" },
    ]);
    const ids = mixed.orders.map((o) => o.id);
    expect((await refusal(createAttempt(db, { orderIds: ids, provider: "vietqr", expiresAt: null }))).code).toBe(
      "mixed_stalls",
    );
    expect(
      (await refusal(createAttempt(db, { checkoutCode: mixed.checkoutCode, provider: "vietqr", expiresAt: null })))
        .code,
    ).toBe("mixed_stalls");
    expect((await refusal(createAttempt(db, { orderIds: ids, provider: "vnpay", expiresAt: null }))).code).toBe(
      "wrong_method",
    );
    expect(
      (await refusal(createAttempt(db, { checkoutCode: mixed.checkoutCode, provider: "stripe", expiresAt: null })))
        .code,
    ).toBe("no_orders");
    expect(
      (await refusal(createAttempt(db, { checkoutCode: "ZZZZ-ZZZZ", provider: "vnpay", expiresAt: null }))).code,
    ).toBe("not_found");

    const other = await placeWith(db, [{ stallId: farm.stall.id, method: "vietqr" }]);
    expect(
      (
        await refusal(
          createAttempt(db, { orderIds: [ids[0], other.orders[0].id], provider: "vietqr", expiresAt: null }),
        )
      ).code,
    ).toBe("mixed_checkouts");

    await changeOrderStatus(db, {
      order: { orderId: other.orders[0].id },
      scope: { system: true },
      to: "cancelled",
      actor: { role: "system" },
      reason: "test",
    });
    expect(
      (await refusal(createAttempt(db, { orderIds: [other.orders[0].id], provider: "vietqr", expiresAt: null }))).code,
    ).toBe("order_cancelled");
    expect(
      (await refusal(createAttempt(db, { checkoutCode: other.checkoutCode, provider: "vietqr", expiresAt: null })))
        .code,
    ).toBe("order_cancelled");

    const { attempt } = await createAttempt(db, { orderIds: [ids[0]], provider: "vietqr", expiresAt: null });
    await markPaidByFarmer(db, {
      order: { orderId: ids[0] },
      stallId: farm.stall.id,
      actor: farmerActor,
      amountDong: 45_000,
    });
    expect((await attemptRow(db, attempt.id)).status).toBe("succeeded");
    expect((await refusal(createAttempt(db, { orderIds: [ids[0]], provider: "vietqr", expiresAt: null }))).code).toBe(
      "already_paid",
    );
  });
});

describe("markPaidByFarmer (VietQR)", () => {
  it("the farmer marks the transfer received: paid once, with a timeline row and the attempt the buyer was shown", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "vietqr", qty: 2 }]);
    const order = placed.orders[0];
    const { attempt } = await createAttempt(db, { orderIds: [order.id], provider: "vietqr", expiresAt: null });
    expect(attempt).toMatchObject({ status: "pending", collectedBy: "farmer" });
    expect((await orderRow(db, order.id)).paymentStatus).toBe("pending");

    const first = await markPaidByFarmer(db, {
      order: { orderCode: order.code },
      stallId: farm.stall.id,
      actor: farmerActor,
      amountDong: 90_000,
    });
    expect(first.changed).toBe(true);
    expect(first.order.paymentStatus).toBe("paid");
    expect((await attemptRow(db, attempt.id)).status).toBe("succeeded");
    const again = await markPaidByFarmer(db, {
      order: { orderCode: order.code },
      stallId: farm.stall.id,
      actor: farmerActor,
      amountDong: 90_000,
    });
    expect(again.changed).toBe(false);
    expect(await paymentRows(db, order.id)).toEqual([
      { paymentStatus: "paid", amountDong: 90_000, actorRole: "farmer", fromStatus: "placed", toStatus: "placed" },
    ]);
    expect((await ledgerOf(db, order.id)).map((l) => [l.kind, l.amountDong, l.collectedBy])).toEqual([
      ["buyer_paid", 90_000, "farmer"],
    ]);
    // The buyer's view of the order shows it paid, and the payment row in its timeline.
    const details = (await getOrder(db, { orderCode: order.code }, { byCode: true }))!;
    expect(details.order.paymentStatus).toBe("paid");
    expect(details.timeline.at(-1)).toMatchObject({ paymentStatus: "paid", amountDong: 90_000 });
  });

  it("a wrong amount is refused with the total to expect, and nothing changes", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "vietqr", qty: 2 }]);
    const order = placed.orders[0];
    const error = await refusal(
      markPaidByFarmer(db, {
        order: { orderId: order.id },
        stallId: farm.stall.id,
        actor: farmerActor,
        amountDong: 9_000,
      }),
    );
    expect(error.code).toBe("amount_mismatch");
    expect(error.details).toEqual({ expectedDong: 90_000 });
    expect(error.messageKey).toBe("refusals.amount_mismatch");
    expect((await orderRow(db, order.id)).paymentStatus).toBe("unpaid");
    expect(await ledgerOf(db, order.id)).toEqual([]);
    expect(await paymentRows(db, order.id)).toEqual([]);
  });

  it("another farmer cannot mark it (not found), nor anyone a VNPay order", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "vietqr" }]);
    const order = placed.orders[0];
    const error = await refusal(
      markPaidByFarmer(db, {
        order: { orderId: order.id },
        stallId: otherFarm.stall.id,
        actor: { role: "farmer", userId: otherFarm.user.id },
        amountDong: 45_000,
      }),
    );
    expect(error.code).toBe("not_found");
    expect(error.httpStatus).toBe(404);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("unpaid");

    const online = await placeWith(db, [{ stallId: farm.stall.id, method: "vnpay" }]);
    expect(
      (
        await refusal(
          markPaidByFarmer(db, {
            order: { orderId: online.orders[0].id },
            stallId: farm.stall.id,
            actor: farmerActor,
            amountDong: 45_000,
          }),
        )
      ).code,
    ).toBe("wrong_method");
  });
});

describe("cash on delivery", () => {
  it("delivering the order records the cash as paid, on the delivered row of the timeline", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "cod", qty: 2 }]);
    const order = placed.orders[0];
    const farmer = (to: "confirmed" | "packed" | "ready_for_pickup" | "delivered") =>
      changeOrderStatus(db, {
        order: { orderId: order.id },
        scope: { stallId: farm.stall.id },
        to,
        actor: { role: "farmer", userId: farm.user.id },
        onDelivered: recordCashOnDelivery,
      });
    for (const to of ["confirmed", "packed", "ready_for_pickup"] as const) await farmer(to);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("unpaid");
    const delivered = await farmer("delivered");
    expect(delivered.order).toMatchObject({ status: "delivered", paymentStatus: "paid" });
    const rows = await db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(rows).toHaveLength(5); // placed + four changes: the payment shares the delivered row
    expect(rows.find((r) => r.toStatus === "delivered")).toMatchObject({
      fromStatus: "ready_for_pickup",
      paymentStatus: "paid",
      amountDong: 90_000,
    });
    expect((await ledgerOf(db, order.id)).map((l) => [l.kind, l.amountDong, l.collectedBy])).toEqual([
      ["buyer_paid", 90_000, "farmer"],
    ]);
  });

  it("cash the farmer marked received before delivery is not recorded again", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "cod" }]);
    const order = placed.orders[0];
    await markPaidByFarmer(db, {
      order: { orderId: order.id },
      stallId: farm.stall.id,
      actor: farmerActor,
      amountDong: 45_000,
    });
    for (const to of ["confirmed", "packed", "ready_for_pickup", "delivered"] as const) {
      await changeOrderStatus(db, {
        order: { orderId: order.id },
        scope: { stallId: farm.stall.id },
        to,
        actor: { role: "farmer", userId: farm.user.id },
        onDelivered: recordCashOnDelivery,
      });
    }
    expect(await ledgerOf(db, order.id)).toHaveLength(1);
    expect(await paymentRows(db, order.id)).toHaveLength(1);
  });
});

describe("recordRefund", () => {
  async function paidVnpay(qty = 2) {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "vnpay", qty }]);
    const { attempt } = await createAttempt(db, {
      checkoutCode: placed.checkoutCode,
      provider: "vnpay",
      expiresAt: later(15),
    });
    const ref = `R${attempt.id.slice(0, 8)}`;
    await markAttemptStarted(db, { attemptId: attempt.id, providerRef: ref });
    await applyNotification(db, notification("vnpay", ref, { amountDong: 45_000 * qty, transactionRef: `T${ref}` }));
    return { order: placed.orders[0], attemptId: attempt.id };
  }

  it("a partial refund, then the rest: each asked once with its own key, books and timeline follow", async () => {
    const { order, attemptId } = await paidVnpay();
    const asked: { amountDong: number; idempotencyKey: string }[] = [];
    const provider = async (input: { amountDong: number; idempotencyKey: string }) => {
      asked.push({ amountDong: input.amountDong, idempotencyKey: input.idempotencyKey });
      return { refundRef: `rf_${asked.length}` };
    };
    const part = await recordRefund(db, {
      attemptId,
      orderId: order.id,
      amountDong: 30_000,
      reason: "Thiếu 1 kg",
      actor: { role: "farmer", userId: farm.user.id, stallId: farm.stall.id },
      refundAtProvider: provider,
    });
    expect(part.attempt).toMatchObject({ status: "partially_refunded", refundedDong: 30_000 });
    expect(part.refund).toMatchObject({ status: "succeeded", refundRef: "rf_1", n: 1 });
    expect((await orderRow(db, order.id)).paymentStatus).toBe("partially_refunded");

    const rest = await recordRefund(db, {
      attemptId,
      amountDong: 60_000,
      actor: { role: "admin" },
      refundAtProvider: provider,
    });
    expect(rest.attempt).toMatchObject({ status: "refunded", refundedDong: 90_000 });
    expect(asked).toEqual([
      { amountDong: 30_000, idempotencyKey: `refund:${attemptId}:1` },
      { amountDong: 60_000, idempotencyKey: `refund:${attemptId}:2` },
    ]);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("refunded");
    expect((await paymentRows(db, order.id)).map((r) => [r.paymentStatus, r.amountDong, r.actorRole])).toEqual([
      ["paid", 90_000, "system"],
      ["partially_refunded", 30_000, "farmer"],
      ["refunded", 60_000, "system"],
    ]);
    const owed = (await ledgerOf(db, order.id))
      .filter((l) => l.kind === "owed_to_farmer")
      .reduce((sum, l) => sum + l.amountDong, 0);
    expect(owed).toBe(0);
  });

  it("refuses more than is left, and more than was paid, changing nothing", async () => {
    const { order, attemptId } = await paidVnpay();
    let asked = 0;
    const provider = async () => ({ refundRef: `rf_${++asked}` });
    const over = await refusal(
      recordRefund(db, { attemptId, amountDong: 90_001, actor: { role: "admin" }, refundAtProvider: provider }),
    );
    expect(over.code).toBe("over_refund");
    expect(over.details).toEqual({ availableDong: 90_000 });
    await recordRefund(db, { attemptId, amountDong: 50_000, actor: { role: "admin" }, refundAtProvider: provider });
    const again = await refusal(
      recordRefund(db, { attemptId, amountDong: 40_001, actor: { role: "admin" }, refundAtProvider: provider }),
    );
    expect(again.details).toEqual({ availableDong: 40_000 });
    expect((await refusal(recordRefund(db, { attemptId, amountDong: 0, actor: { role: "admin" } }))).code).toBe(
      "invalid_amount",
    );
    expect((await refusal(recordRefund(db, { attemptId, amountDong: 1.5, actor: { role: "admin" } }))).code).toBe(
      "invalid_amount",
    );
    expect(asked).toBe(1);
    expect((await attemptRow(db, attemptId)).refundedDong).toBe(50_000);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("partially_refunded");
  });

  it("two refunds of the last money at once: one goes through, the other is refused", async () => {
    const { attemptId } = await paidVnpay();
    let asked = 0;
    const provider = async () => ({ refundRef: `rf_${++asked}` });
    const results = await Promise.allSettled([
      recordRefund(db, { attemptId, amountDong: 90_000, actor: { role: "admin" }, refundAtProvider: provider }),
      recordRefund(db, { attemptId, amountDong: 90_000, actor: { role: "admin" }, refundAtProvider: provider }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as PaymentError).code).toBe("over_refund");
    expect(asked).toBe(1);
    expect((await attemptRow(db, attemptId)).refundedDong).toBe(90_000);
  });

  it("the provider says no: refund_failed, nothing booked, an alert, the amount free to try again", async () => {
    const { order, attemptId } = await paidVnpay();
    const error = await refusal(
      recordRefund(db, {
        attemptId,
        amountDong: 90_000,
        actor: { role: "admin" },
        refundAtProvider: async () => {
          throw new Error("VNPay 94: duplicate request");
        },
      }),
    );
    expect(error.code).toBe("refund_failed");
    expect(await attemptRow(db, attemptId)).toMatchObject({ status: "succeeded", refundedDong: 0 });
    expect((await orderRow(db, order.id)).paymentStatus).toBe("paid");
    expect((await ledgerOf(db, order.id)).filter((l) => l.kind === "refund")).toEqual([]);
    const [failed] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, attemptId));
    expect(failed).toMatchObject({ status: "failed", error: "VNPay 94: duplicate request" });
    expect((await listPaymentAlerts(db)).some((a) => a.kind === "refund_failed" && a.attemptId === attemptId)).toBe(
      true,
    );
    // Trying again works, with a new key.
    const retried = await recordRefund(db, {
      attemptId,
      amountDong: 90_000,
      actor: { role: "admin" },
      refundAtProvider: async (input) => ({ refundRef: input.idempotencyKey }),
    });
    expect(retried.refund.refundRef).toBe(`refund:${attemptId}:2`);
  });

  it("a farmer refunds only their own orders, and nothing unpaid", async () => {
    const { attemptId } = await paidVnpay();
    const stranger = await refusal(
      recordRefund(db, {
        attemptId,
        amountDong: 1_000,
        actor: { role: "farmer", userId: otherFarm.user.id, stallId: otherFarm.stall.id },
        refundAtProvider: async () => ({ refundRef: "never" }),
      }),
    );
    expect(stranger.code).toBe("not_found");

    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "vnpay" }]);
    const { attempt } = await createAttempt(db, {
      checkoutCode: placed.checkoutCode,
      provider: "vnpay",
      expiresAt: later(15),
    });
    expect(
      (await refusal(recordRefund(db, { attemptId: attempt.id, amountDong: 1_000, actor: { role: "admin" } }))).code,
    ).toBe("not_refundable");
  });

  it("cash the farmer holds is given back by hand: booked at once, no provider", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "vietqr" }]);
    const order = placed.orders[0];
    await markPaidByFarmer(db, {
      order: { orderId: order.id },
      stallId: farm.stall.id,
      actor: farmerActor,
      amountDong: 45_000,
    });
    const [{ attemptId }] = (await ledgerOf(db, order.id)).map((l) => ({ attemptId: l.attemptId! }));
    const { attempt } = await recordRefund(db, {
      attemptId,
      amountDong: 45_000,
      actor: { role: "farmer", userId: farm.user.id, stallId: farm.stall.id },
    });
    expect(attempt.status).toBe("refunded");
    expect((await orderRow(db, order.id)).paymentStatus).toBe("refunded");
    expect((await ledgerOf(db, order.id)).map((l) => [l.kind, l.amountDong, l.collectedBy]).sort()).toEqual([
      ["buyer_paid", 45_000, "farmer"],
      ["refund", -45_000, "farmer"],
    ]);
  });
});

describe("expireAttempts", () => {
  it("an abandoned VNPay payment expires, its order is cancelled and the stock goes back", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "vnpay", qty: 4, stockQty: 10 }]);
    const order = placed.orders[0];
    const listingId = placed.listings[0].id;
    const stock = async () => (await db.select().from(listings).where(eq(listings.id, listingId)))[0].stockQty;
    expect(await stock()).toBe(6);
    const { attempt } = await createAttempt(db, {
      checkoutCode: placed.checkoutCode,
      provider: "vnpay",
      expiresAt: later(15),
    });
    await markAttemptStarted(db, { attemptId: attempt.id, providerRef: `EXP-${attempt.id.slice(0, 8)}` });

    // Not yet.
    expect(await expireAttempts(db, later(10))).toEqual({ expired: [], cancelledOrders: [] });
    expect((await orderRow(db, order.id)).status).toBe("placed");

    const result = await expireAttempts(db, later(16));
    expect(result.expired).toContain(attempt.id);
    expect(result.cancelledOrders).toContain(order.code);
    expect((await attemptRow(db, attempt.id)).status).toBe("expired");
    const after = await orderRow(db, order.id);
    expect(after).toMatchObject({
      status: "cancelled",
      paymentStatus: "unpaid",
      cancelReason: SYSTEM_CANCEL_REASONS.paymentExpired,
    });
    expect(await stock()).toBe(10);
    const last = (await getOrder(db, { orderId: order.id }, { system: true }))!.timeline.at(-1);
    expect(last).toMatchObject({ fromStatus: "placed", toStatus: "cancelled", actorRole: "system" });

    // Running again changes nothing; a late success is money to give back.
    expect(await expireAttempts(db, later(30))).toEqual({ expired: [], cancelledOrders: [] });
    const late = await applyNotification(
      db,
      notification("vnpay", `EXP-${attempt.id.slice(0, 8)}`, { amountDong: 180_000 }),
    );
    expect(late).toMatchObject({
      result: "applied",
      refundNeeded: { amountDong: 180_000, reason: "orders_cancelled" },
    });
    expect(await stock()).toBe(10);
  });

  it("a retry still open keeps the order; a paid order is never cancelled; VietQR orders wait for the farmer", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "vnpay" }]);
    const order = placed.orders[0];
    const first = await createAttempt(db, {
      checkoutCode: placed.checkoutCode,
      provider: "vnpay",
      expiresAt: later(15),
    });
    await markAttemptStarted(db, { attemptId: first.attempt.id, providerRef: `A-${first.attempt.id.slice(0, 8)}` });
    const retry = await createAttempt(db, {
      checkoutCode: placed.checkoutCode,
      provider: "vnpay",
      expiresAt: later(40),
    });
    await markAttemptStarted(db, { attemptId: retry.attempt.id, providerRef: `B-${retry.attempt.id.slice(0, 8)}` });

    const now = later(20);
    expect((await expireAttempts(db, now)).cancelledOrders).not.toContain(order.code);
    expect(await orderRow(db, order.id)).toMatchObject({ status: "placed", paymentStatus: "pending" });
    await applyNotification(db, notification("vnpay", `B-${retry.attempt.id.slice(0, 8)}`, { amountDong: 45_000 }));
    expect((await expireAttempts(db, later(60))).cancelledOrders).not.toContain(order.code);
    expect(await orderRow(db, order.id)).toMatchObject({ status: "placed", paymentStatus: "paid" });

    const qr = await placeWith(db, [{ stallId: farm.stall.id, method: "vietqr" }]);
    await createAttempt(db, { orderIds: [qr.orders[0].id], provider: "vietqr", expiresAt: later(5) });
    expect((await expireAttempts(db, later(60))).cancelledOrders).not.toContain(qr.orders[0].code);
    expect(await orderRow(db, qr.orders[0].id)).toMatchObject({ status: "placed", paymentStatus: "unpaid" });
  });
});
