import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ledgerEntries, paymentEvents, stalls } from "#db/schema";
import { listPaymentAlerts, ALERT_LOG_MESSAGES } from "./alerts.server";
import { createAttempt, markAttemptStarted } from "./attempts.server";
import { applyNotification, type NotificationResult } from "./notifications.server";
import { recordRefund } from "./refunds.server";
import { attemptRow, ledgerOf, notification, orderRow, paymentRows, placeWith } from "#tests/fixtures/payments";
import { changeOrderStatus } from "~/orders/orders.server";
import { createSellingStall } from "#tests/fixtures/orders";
import { createStripeProvider } from "../stripe/provider.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

const farm = await createSellingStall(db);
const otherFarm = await createSellingStall(db);

afterEach(() => {
  vi.restoreAllMocks();
});

/** A VNPay attempt for one order of 90.000 ₫ (2 × 45.000), started with a reference. */
async function startedVnpay(lines = [{ stallId: farm.stall.id, method: "vnpay" as const, qty: 2 }]) {
  const placed = await placeWith(db, lines);
  const { attempt } = await createAttempt(db, {
    checkoutCode: placed.checkoutCode,
    provider: "vnpay",
    expiresAt: new Date(Date.now() + 15 * 60_000),
  });
  const ref = `TXN${attempt.id.replaceAll("-", "").slice(0, 20)}`;
  await markAttemptStarted(db, { attemptId: attempt.id, providerRef: ref });
  return { ...placed, attempt: await attemptRow(db, attempt.id), ref };
}

describe("applyNotification: recorded once", () => {
  it("a valid success pays the order once: status, timeline row, ledger lines", async () => {
    const { attempt, ref, orders } = await startedVnpay();
    expect(attempt.status).toBe("pending");
    expect((await orderRow(db, orders[0].id)).paymentStatus).toBe("pending");

    const result = await applyNotification(db, notification("vnpay", ref, { amountDong: 90_000 }));
    expect(result).toEqual({ result: "applied", attemptId: attempt.id, status: "succeeded" });
    const order = await orderRow(db, orders[0].id);
    expect(order.paymentStatus).toBe("paid");
    expect(order.paidAt).toBeInstanceOf(Date);
    expect(order.status).toBe("placed"); // the order's own status is the farmer's to move
    expect(await paymentRows(db, order.id)).toEqual([
      { paymentStatus: "paid", amountDong: 90_000, actorRole: "system", fromStatus: "placed", toStatus: "placed" },
    ]);
    const lines = (await ledgerOf(db, order.id)).map((l) => [l.kind, l.amountDong, l.collectedBy]).sort();
    expect(lines).toEqual([
      ["buyer_paid", 90_000, "platform"],
      ["owed_to_farmer", 90_000, "platform"],
    ]);
  });

  it("the same event 5 times, one after the other: one transition, one set of ledger lines", async () => {
    const { attempt, ref, orders } = await startedVnpay();
    const event = notification("vnpay", ref, { amountDong: 90_000 });
    const results: NotificationResult[] = [];
    for (let i = 0; i < 5; i++) results.push(await applyNotification(db, event));
    expect(results.map((r) => r.result)).toEqual(["applied", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect(results[1]).toMatchObject({ reason: "event_seen", attemptId: attempt.id });
    expect(await ledgerOf(db, orders[0].id)).toHaveLength(2);
    expect(await paymentRows(db, orders[0].id)).toHaveLength(1);
    const events = await db.select().from(paymentEvents).where(eq(paymentEvents.eventId, event.eventId));
    expect(events).toHaveLength(1);
    expect(events[0].result).toBe("applied");
  });

  it("the same event 5 times at once: one applied, four duplicates, one set of ledger lines", async () => {
    const { ref, orders } = await startedVnpay();
    const event = notification("vnpay", ref, { amountDong: 90_000 });
    const results = await Promise.all(Array.from({ length: 5 }, () => applyNotification(db, event)));
    expect(results.filter((r) => r.result === "applied")).toHaveLength(1);
    expect(results.filter((r) => r.result === "duplicate")).toHaveLength(4);
    expect(await ledgerOf(db, orders[0].id)).toHaveLength(2);
    expect(await paymentRows(db, orders[0].id)).toHaveLength(1);
  });

  it("two different success events for one attempt at once (Stripe completed + async succeeded): paid once", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "stripe" }]);
    const { attempt } = await createAttempt(db, {
      checkoutCode: placed.checkoutCode,
      provider: "stripe",
      expiresAt: new Date(Date.now() + 60 * 60_000),
    });
    await markAttemptStarted(db, { attemptId: attempt.id, providerRef: "cs_test_twice" });
    const results = await Promise.all([
      applyNotification(db, notification("stripe", "cs_test_twice", { amountDong: 45_000 })),
      applyNotification(db, notification("stripe", "cs_test_twice", { amountDong: 45_000 })),
    ]);
    expect(results.map((r) => r.result).sort()).toEqual(["applied", "duplicate"]);
    expect(results.find((r) => r.result === "duplicate")).toMatchObject({ reason: "same_state" });
    expect(await ledgerOf(db, placed.orders[0].id)).toHaveLength(2);
  });
});

describe("applyNotification: any order of arrival", () => {
  it("a failure or an expiry after the success changes nothing", async () => {
    const { attempt, ref, orders } = await startedVnpay();
    await applyNotification(db, notification("vnpay", ref, { amountDong: 90_000 }));
    const late = [
      await applyNotification(db, notification("vnpay", ref, { outcome: "failed", amountDong: 90_000 })),
      await applyNotification(db, notification("vnpay", ref, { outcome: "expired" })),
    ];
    expect(late).toEqual([
      { result: "duplicate", attemptId: attempt.id, reason: "settled" },
      { result: "duplicate", attemptId: attempt.id, reason: "settled" },
    ]);
    expect((await attemptRow(db, attempt.id)).status).toBe("succeeded");
    expect((await orderRow(db, orders[0].id)).paymentStatus).toBe("paid");
    expect(await ledgerOf(db, orders[0].id)).toHaveLength(2);
  });

  it("a failure, then the success: paid (the provider is the authority on money taken)", async () => {
    const { attempt, ref, orders } = await startedVnpay();
    const failed = await applyNotification(db, notification("vnpay", ref, { outcome: "failed", amountDong: 90_000 }));
    expect(failed).toEqual({ result: "applied", attemptId: attempt.id, status: "failed" });
    expect((await orderRow(db, orders[0].id)).paymentStatus).toBe("unpaid");
    const paid = await applyNotification(db, notification("vnpay", ref, { amountDong: 90_000 }));
    expect(paid).toEqual({ result: "applied", attemptId: attempt.id, status: "succeeded" });
    expect((await orderRow(db, orders[0].id)).paymentStatus).toBe("paid");
  });

  it("a refund reported before the success is recorded, then booked when the success arrives", async () => {
    const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "stripe", qty: 2 }]);
    const { attempt } = await createAttempt(db, {
      checkoutCode: placed.checkoutCode,
      provider: "stripe",
      expiresAt: new Date(Date.now() + 60 * 60_000),
    });
    await markAttemptStarted(db, { attemptId: attempt.id, providerRef: "cs_test_refund_first" });
    // charge.refunded knows the PaymentIntent and (metadata) the attempt, not the session.
    const refunded = await applyNotification(
      db,
      notification("stripe", "pi_refund_first", {
        outcome: "refunded",
        amountDong: 30_000,
        attemptId: attempt.id,
        transactionRef: "pi_refund_first",
      }),
    );
    expect(refunded).toEqual({ result: "ignored", attemptId: attempt.id, reason: "refund_before_payment" });
    expect((await attemptRow(db, attempt.id)).status).toBe("pending");

    const paid = await applyNotification(
      db,
      notification("stripe", "cs_test_refund_first", { amountDong: 90_000, transactionRef: "pi_refund_first" }),
    );
    expect(paid).toEqual({ result: "applied", attemptId: attempt.id, status: "partially_refunded" });
    const after = await attemptRow(db, attempt.id);
    expect(after.refundedDong).toBe(30_000);
    expect(after.transactionRef).toBe("pi_refund_first");
    expect((await orderRow(db, placed.orders[0].id)).paymentStatus).toBe("partially_refunded");
    expect((await paymentRows(db, placed.orders[0].id)).map((r) => [r.paymentStatus, r.amountDong])).toEqual([
      ["paid", 90_000],
      ["partially_refunded", 30_000],
    ]);
    // The same refund again (cumulative 30.000) is nothing new; the rest (cumulative 90.000) refunds it all.
    expect(
      await applyNotification(
        db,
        notification("stripe", "pi_refund_first", { outcome: "refunded", amountDong: 30_000, attemptId: attempt.id }),
      ),
    ).toMatchObject({ result: "duplicate", reason: "same_state" });
    expect(
      await applyNotification(
        db,
        notification("stripe", "pi_refund_first", { outcome: "refunded", amountDong: 90_000, attemptId: attempt.id }),
      ),
    ).toMatchObject({ result: "applied", status: "refunded" });
    expect((await orderRow(db, placed.orders[0].id)).paymentStatus).toBe("refunded");
  });

  it("the notification of our own refund does not refund twice", async () => {
    const { attempt, ref, orders } = await startedVnpay();
    await applyNotification(db, notification("vnpay", ref, { amountDong: 90_000, transactionRef: "14226112" }));
    const calls: unknown[] = [];
    await recordRefund(db, {
      attemptId: attempt.id,
      amountDong: 20_000,
      actor: { role: "admin" },
      refundAtProvider: async (input) => {
        calls.push(input);
        // The provider tells us about it while we are still asking: it is ours, nothing new.
        expect(
          await applyNotification(db, notification("vnpay", ref, { outcome: "refunded", amountDong: 20_000 })),
        ).toMatchObject({ result: "duplicate", reason: "same_state" });
        return { refundRef: "rf_1" };
      },
    });
    expect(calls).toEqual([
      expect.objectContaining({
        amountDong: 20_000,
        idempotencyKey: `refund:${attempt.id}:1`,
        transactionRef: "14226112",
      }),
    ]);
    expect(
      await applyNotification(db, notification("vnpay", ref, { outcome: "refunded", amountDong: 20_000 })),
    ).toMatchObject({ result: "duplicate", reason: "same_state" });
    expect((await attemptRow(db, attempt.id)).refundedDong).toBe(20_000);
    const refundLines = (await ledgerOf(db, orders[0].id)).filter((l) => l.kind === "refund");
    expect(refundLines.map((l) => l.amountDong)).toEqual([-20_000]);
  });
});

describe("applyNotification: refusals", () => {
  it("a wrong amount: amount_mismatch, the event and an alert recorded, nothing else changes; a replay answers the same", async () => {
    const { attempt, ref, orders } = await startedVnpay();
    const warn = vi.spyOn(logger, "warn");
    const wrong = notification("vnpay", ref, { amountDong: 9_000 });
    const expected = { result: "amount_mismatch", attemptId: attempt.id, expectedDong: 90_000, receivedDong: 9_000 };
    expect(await applyNotification(db, wrong)).toEqual(expected);
    expect(await applyNotification(db, wrong)).toEqual(expected);
    expect((await attemptRow(db, attempt.id)).status).toBe("pending");
    expect((await orderRow(db, orders[0].id)).paymentStatus).toBe("pending");
    expect(await ledgerOf(db, orders[0].id)).toEqual([]);
    const alerts = (await listPaymentAlerts(db)).filter((a) => a.attemptId === attempt.id);
    expect(alerts.map((a) => a.kind)).toEqual(["amount_mismatch"]);
    expect(warn).toHaveBeenCalledWith(expect.anything(), ALERT_LOG_MESSAGES.amount_mismatch);
    // The right amount afterwards still pays it.
    expect(await applyNotification(db, notification("vnpay", ref, { amountDong: 90_000 }))).toMatchObject({
      result: "applied",
    });
  });

  it("a wrong currency is a mismatch too", async () => {
    const { attempt, ref } = await startedVnpay();
    expect(
      await applyNotification(db, notification("vnpay", ref, { amountDong: 90_000, currency: "USD" })),
    ).toMatchObject({
      result: "amount_mismatch",
    });
    expect((await attemptRow(db, attempt.id)).status).toBe("pending");
  });

  it("an unknown attempt: unknown_attempt, and nothing is recorded", async () => {
    const event = notification("vnpay", "NO-SUCH-REF", { amountDong: 90_000 });
    expect(await applyNotification(db, event)).toEqual({ result: "unknown_attempt" });
    expect(await db.select().from(paymentEvents).where(eq(paymentEvents.eventId, event.eventId))).toEqual([]);
    // Another provider's reference does not match either.
    const { ref } = await startedVnpay();
    expect(await applyNotification(db, notification("stripe", ref, { amountDong: 90_000 }))).toEqual({
      result: "unknown_attempt",
    });
  });
});

describe("applyNotification: money that must go back", () => {
  it("a success after the order was cancelled: booked as the buyer's money, refundNeeded, an alert and a warning", async () => {
    const { attempt, ref, orders } = await startedVnpay();
    await changeOrderStatus(db, {
      order: { orderId: orders[0].id },
      scope: { system: true },
      to: "cancelled",
      actor: { role: "system" },
      reason: "test",
    });
    const warn = vi.spyOn(logger, "warn");
    const result = await applyNotification(db, notification("vnpay", ref, { amountDong: 90_000 }));
    expect(result).toMatchObject({
      result: "applied",
      status: "succeeded",
      refundNeeded: { attemptId: attempt.id, amountDong: 90_000, orderIds: [orders[0].id], reason: "orders_cancelled" },
    });
    // The farmer is owed nothing for it; the order is not "paid".
    expect((await ledgerOf(db, orders[0].id)).map((l) => [l.kind, l.amountDong])).toEqual([["buyer_paid", 90_000]]);
    expect((await orderRow(db, orders[0].id)).paymentStatus).toBe("unpaid");
    const alert = (await listPaymentAlerts(db)).find((a) => a.attemptId === attempt.id)!;
    expect(alert).toMatchObject({ kind: "late_payment", amountDong: 90_000 });
    expect(warn).toHaveBeenCalledWith(expect.anything(), ALERT_LOG_MESSAGES.late_payment);

    // The caller refunds it: the books balance, the order's payment status is untouched.
    if (result.result !== "applied" || !result.refundNeeded) throw new Error("expected a refund");
    await recordRefund(db, {
      attemptId: result.refundNeeded.attemptId,
      amountDong: result.refundNeeded.amountDong,
      actor: { role: "system" },
      refundAtProvider: async () => ({ refundRef: "rf_late" }),
    });
    const lines = await ledgerOf(db, orders[0].id);
    expect(lines.reduce((sum, l) => sum + (l.kind === "buyer_paid" || l.kind === "refund" ? l.amountDong : 0), 0)).toBe(
      0,
    );
    expect((await attemptRow(db, attempt.id)).status).toBe("refunded");
    expect(await paymentRows(db, orders[0].id)).toEqual([]);
  });

  it("the same checkout paid twice: the second payment is refundNeeded, the order paid once", async () => {
    const placed = await placeWith(db, [
      { stallId: farm.stall.id, method: "vnpay" },
      { stallId: otherFarm.stall.id, method: "vnpay", priceDong: 30_000 },
    ]);
    const expiresAt = new Date(Date.now() + 15 * 60_000);
    const first = await createAttempt(db, { checkoutCode: placed.checkoutCode, provider: "vnpay", expiresAt });
    const second = await createAttempt(db, { checkoutCode: placed.checkoutCode, provider: "vnpay", expiresAt });
    expect(first.attempt.amountDong).toBe(75_000);
    await markAttemptStarted(db, { attemptId: first.attempt.id, providerRef: "TWICE-1" });
    await markAttemptStarted(db, { attemptId: second.attempt.id, providerRef: "TWICE-2" });
    const results = await Promise.all([
      applyNotification(db, notification("vnpay", "TWICE-1", { amountDong: 75_000 })),
      applyNotification(db, notification("vnpay", "TWICE-2", { amountDong: 75_000 })),
    ]);
    const withRefund = results.filter((r) => r.result === "applied" && r.refundNeeded);
    expect(results.every((r) => r.result === "applied")).toBe(true);
    expect(withRefund).toHaveLength(1);
    expect(withRefund[0]).toMatchObject({ refundNeeded: { amountDong: 75_000, reason: "already_paid" } });
    for (const order of placed.orders) {
      expect((await orderRow(db, order.id)).paymentStatus).toBe("paid");
      expect(await paymentRows(db, order.id)).toHaveLength(1);
      const owed = (await ledgerOf(db, order.id)).filter((l) => l.kind === "owed_to_farmer");
      expect(owed.map((l) => l.amountDong)).toEqual([order.totalDong]);
    }
    const alerts = await listPaymentAlerts(db);
    expect(alerts.filter((a) => a.kind === "double_payment")).toHaveLength(1);
  });
});

describe("applyNotification: Stripe Connect readiness", () => {
  it("account.updated marks the farmer's account ready, once", async () => {
    await db.update(stalls).set({ stripeAccountId: "acct_test_farm" }).where(eq(stalls.id, farm.stall.id));
    const event = notification("stripe", "acct_test_farm", {
      outcome: "ignored",
      account: {
        id: "acct_test_farm",
        chargesEnabled: true,
        payoutsEnabled: true,
        detailsSubmitted: true,
        updatedAt: new Date(),
      },
    });
    expect(await applyNotification(db, event)).toEqual({ result: "account_updated", stallId: farm.stall.id });
    expect(await applyNotification(db, event)).toMatchObject({ result: "duplicate", reason: "event_seen" });
    const [stall] = await db.select().from(stalls).where(eq(stalls.id, farm.stall.id));
    expect(stall.stripeChargesEnabled).toBe(true);
    // An unrelated account is nobody's.
    const stranger = notification("stripe", "acct_x", {
      outcome: "ignored",
      account: {
        id: "acct_x",
        chargesEnabled: true,
        payoutsEnabled: true,
        detailsSubmitted: true,
        updatedAt: new Date(),
      },
    });
    expect(await applyNotification(db, stranger)).toEqual({ result: "account_updated", stallId: null });
    await db
      .update(stalls)
      .set({ stripeAccountId: null, stripeChargesEnabled: false })
      .where(eq(stalls.id, farm.stall.id));
  });

  it("Stripe stopping charges: once however many events say so at once, and only cards-only stalls go off sale", async () => {
    const connect = {
      vnpay: null,
      stripe: createStripeProvider({ secretKey: "sk_test_race", webhookSecrets: ["whsec_race"], connect: true }),
    };
    const created = Math.floor(Date.now() / 1000);
    /** Different events (ids, Stripe times) each saying charges are off, as Stripe posts them. */
    const chargesOff = (account: string) =>
      Array.from({ length: 5 }, (_, i) =>
        notification("stripe", account, {
          outcome: "ignored",
          amountDong: 0,
          currency: "",
          raw: { id: `evt_race_${account}_${i}`, created: created + i, data: { object: { id: account } } },
          account: {
            id: account,
            chargesEnabled: false,
            payoutsEnabled: false,
            detailsSubmitted: true,
            updatedAt: new Date((created + i) * 1000),
          },
        }),
      );
    for (const [account, codEnabled, offSale] of [
      ["acct_test_race_cash", true, false],
      ["acct_test_race_cards", false, true],
    ] as const) {
      const seller = await createSellingStall(db, {
        codEnabled,
        stripeEnabled: true,
        stripeAccountId: account,
        stripeChargesEnabled: true,
      });
      const results = await Promise.all(chargesOff(account).map((e) => applyNotification(db, e, connect)));
      // Later events may commit first: the older ones then change nothing.
      for (const r of results) expect(["account_updated", "ignored"]).toContain(r.result);
      expect(results.filter((r) => r.result === "account_updated" && r.cards)).toEqual([
        {
          result: "account_updated",
          stallId: seller.stall.id,
          cards: { stallId: seller.stall.id, kind: "stopped", offSale },
        },
      ]);
      const [row] = await db.select().from(stalls).where(eq(stalls.id, seller.stall.id));
      expect(row).toMatchObject({ stripeChargesEnabled: false, status: offSale ? "unpublished" : "published" });
      expect(row.stripeChargesStoppedAt).toBeInstanceOf(Date);
    }
  });

  it("with Connect, a ready farmer's card payment is theirs: nothing owed either way", async () => {
    await db
      .update(stalls)
      .set({ stripeAccountId: "acct_test_connect", stripeChargesEnabled: true })
      .where(eq(stalls.id, otherFarm.stall.id));
    const placed = await placeWith(db, [{ stallId: otherFarm.stall.id, method: "stripe" }]);
    const created = await createAttempt(db, {
      checkoutCode: placed.checkoutCode,
      provider: "stripe",
      expiresAt: new Date(Date.now() + 60 * 60_000),
      stripeConnect: true,
    });
    expect(created.transfer).toEqual({ destinationAccount: "acct_test_connect", applicationFeeDong: 0 });
    expect(created.attempt.collectedBy).toBe("farmer");
    await markAttemptStarted(db, { attemptId: created.attempt.id, providerRef: "cs_connect" });
    await applyNotification(db, notification("stripe", "cs_connect", { amountDong: 45_000 }));
    const lines = await db.select().from(ledgerEntries).where(eq(ledgerEntries.attemptId, created.attempt.id));
    expect(lines.map((l) => [l.kind, l.amountDong, l.collectedBy])).toEqual([["buyer_paid", 45_000, "farmer"]]);
    await db
      .update(stalls)
      .set({ stripeAccountId: null, stripeChargesEnabled: false })
      .where(eq(stalls.id, otherFarm.stall.id));
  });
});
