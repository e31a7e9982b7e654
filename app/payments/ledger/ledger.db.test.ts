/**
 * The ledger test of issue 6: after a mix of cash, VietQR, VNPay and Stripe
 * (platform and Connect) orders, refunds, a late payment and payouts, what
 * owedToFarmers says equals what this file works out by hand from the
 * money that moved, with a 2,5 % platform fee.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { ledgerEntries, stalls } from "#db/schema";
import { createUser } from "#tests/fixtures/factories";
import { createAttempt, markAttemptStarted } from "../core/attempts.server";
import { PaymentError } from "../core/errors";
import { markPaidByFarmer, recordCashOnDelivery } from "../farmer/money-received.server";
import { markPayoutPaid, owedToFarmers, recordPayout } from "./ledger.server";
import { applyNotification } from "../core/notifications.server";
import { recordRefund } from "../core/refunds.server";
import { notification, placeWith } from "#tests/fixtures/payments";
import { changeOrderStatus } from "~/orders/orders.server";
import { createSellingStall, VIETQR_STALL } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

vi.hoisted(() => {
  process.env.PLATFORM_FEE_BPS = "250";
});

const FEE = 0.025;
/** The fee on an amount, worked out plainly: 2,5 %, to the nearest đồng. */
const fee = (amount: number) => Math.round(amount * FEE);

const a = await createSellingStall(db, { ...VIETQR_STALL });
const b = await createSellingStall(db);
const c = await createSellingStall(db);
await db
  .update(stalls)
  .set({ stripeAccountId: "acct_ledger_c", stripeChargesEnabled: true })
  .where(eq(stalls.id, c.stall.id));
const admin = await createUser(db, { role: "admin" });

const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
const asFarmer = (s: typeof a) => ({ role: "farmer" as const, userId: s.user.id });
const fakeProvider = async (input: { idempotencyKey: string }) => ({ refundRef: `rf-${input.idempotencyKey}` });

async function payOnline(
  provider: "vnpay" | "stripe",
  checkoutCode: string,
  options: { stripeConnect?: boolean } = {},
) {
  const { attempt } = await createAttempt(db, { checkoutCode, provider, expiresAt: later(30), ...options });
  const ref = `${provider}-${attempt.id}`;
  await markAttemptStarted(db, { attemptId: attempt.id, providerRef: ref });
  const result = await applyNotification(db, notification(provider, ref, { amountDong: attempt.amountDong }));
  return { attempt, result };
}

async function deliver(s: typeof a, orderId: string) {
  for (const to of ["confirmed", "packed", "ready_for_pickup", "delivered"] as const) {
    await changeOrderStatus(db, {
      order: { orderId },
      scope: { stallId: s.stall.id },
      to,
      actor: asFarmer(s),
      onDelivered: recordCashOnDelivery,
    });
  }
}

describe("ledger: what each farmer is owed", () => {
  it("equals the sums worked out by hand after a mix of methods, refunds and payouts", async () => {
    expect(env().PLATFORM_FEE_BPS).toBe(250);
    const owed = new Map<string, number>([
      [a.stall.id, 0],
      [b.stall.id, 0],
      [c.stall.id, 0],
    ]);
    const add = (stallId: string, amount: number) => owed.set(stallId, owed.get(stallId)! + amount);

    // 1. Cash on delivery, A, 2 × 45.000: the farmer holds 90.000 and owes the fee.
    const cod = await placeWith(db, [{ stallId: a.stall.id, method: "cod", qty: 2 }]);
    await deliver(a, cod.orders[0].id);
    add(a.stall.id, -fee(90_000));

    // 2. VietQR, A, 60.000, marked received; later 20.000 given back by hand: a third of the fee comes back.
    const qr = await placeWith(db, [{ stallId: a.stall.id, method: "vietqr", priceDong: 60_000 }]);
    const qrAttempt = await createAttempt(db, { orderIds: [qr.orders[0].id], provider: "vietqr", expiresAt: null });
    await markPaidByFarmer(db, {
      order: { orderId: qr.orders[0].id },
      stallId: a.stall.id,
      actor: asFarmer(a),
      amountDong: 60_000,
    });
    add(a.stall.id, -fee(60_000));
    await recordRefund(db, {
      attemptId: qrAttempt.attempt.id,
      amountDong: 20_000,
      actor: { ...asFarmer(a), stallId: a.stall.id },
    });
    add(a.stall.id, Math.round(fee(60_000) * (20_000 / 60_000)));

    // 3. One VNPay payment for a checkout of A (3 × 45.000) and B (2 × 30.000): the platform holds both.
    const both = await placeWith(db, [
      { stallId: a.stall.id, method: "vnpay", qty: 3 },
      { stallId: b.stall.id, method: "vnpay", priceDong: 30_000, qty: 2 },
    ]);
    const vnpay = await payOnline("vnpay", both.checkoutCode);
    expect(vnpay.attempt.amountDong).toBe(195_000);
    add(a.stall.id, 135_000 - fee(135_000));
    add(b.stall.id, 60_000 - fee(60_000));

    // 4. Stripe (platform), B, 100.000, then 40.000 refunded.
    const card = await placeWith(db, [{ stallId: b.stall.id, method: "stripe", priceDong: 100_000 }]);
    const cardPaid = await payOnline("stripe", card.checkoutCode, { stripeConnect: false });
    add(b.stall.id, 100_000 - fee(100_000));
    await recordRefund(db, {
      attemptId: cardPaid.attempt.id,
      amountDong: 40_000,
      actor: { role: "admin", userId: admin.id },
      refundAtProvider: fakeProvider,
    });
    add(b.stall.id, -(40_000 - Math.round(fee(100_000) * 0.4)));

    // 5. Stripe (platform), A, 80.000, refunded in full: nothing owed for it in the end.
    const cardA = await placeWith(db, [{ stallId: a.stall.id, method: "stripe", priceDong: 80_000 }]);
    const cardAPaid = await payOnline("stripe", cardA.checkoutCode, { stripeConnect: false });
    await recordRefund(db, {
      attemptId: cardAPaid.attempt.id,
      amountDong: 80_000,
      actor: { role: "admin" },
      refundAtProvider: fakeProvider,
    });

    // 6. Stripe Connect, C, 50.000: Stripe pays C and the platform its fee at source.
    const connect = await placeWith(db, [{ stallId: c.stall.id, method: "stripe", priceDong: 50_000 }]);
    const connectPaid = await payOnline("stripe", connect.checkoutCode, { stripeConnect: true });
    expect(connectPaid.attempt.connectAccountId).toBe("acct_ledger_c");

    // 7. VNPay for an order of A cancelled meanwhile: the buyer's money, refunded, never A's.
    const lateOrder = await placeWith(db, [{ stallId: a.stall.id, method: "vnpay" }]);
    const lateAttempt = await createAttempt(db, {
      checkoutCode: lateOrder.checkoutCode,
      provider: "vnpay",
      expiresAt: later(30),
    });
    await markAttemptStarted(db, { attemptId: lateAttempt.attempt.id, providerRef: `late-${lateAttempt.attempt.id}` });
    await changeOrderStatus(db, {
      order: { orderId: lateOrder.orders[0].id },
      scope: { stallId: a.stall.id },
      to: "cancelled",
      actor: asFarmer(a),
      reason: "Hết hàng",
    });
    const late = await applyNotification(
      db,
      notification("vnpay", `late-${lateAttempt.attempt.id}`, { amountDong: 45_000 }),
    );
    if (late.result !== "applied" || !late.refundNeeded) throw new Error("expected a refund");
    await recordRefund(db, {
      attemptId: late.refundNeeded.attemptId,
      amountDong: late.refundNeeded.amountDong,
      actor: { role: "system" },
      refundAtProvider: fakeProvider,
    });

    // 8. Cash on delivery, B, cancelled before delivery: no money moved.
    const cancelled = await placeWith(db, [{ stallId: b.stall.id, method: "cod" }]);
    await changeOrderStatus(db, {
      order: { orderId: cancelled.orders[0].id },
      scope: { stallId: b.stall.id },
      to: "cancelled",
      actor: asFarmer(b),
      reason: "Hết hàng",
    });

    // Before payouts.
    const before = new Map((await owedToFarmers(db)).map((r) => [r.stallId, r]));
    for (const [stallId, expected] of owed) expect(before.get(stallId)?.owedDong, stallId).toBe(expected);
    expect(owed.get(a.stall.id)).toBe(-2_250 - 1_500 + 500 + 131_625);
    expect(owed.get(b.stall.id)).toBe(58_500 + 97_500 - 39_000);
    expect(owed.get(c.stall.id)).toBe(0);

    // 9. Payouts: A is paid 100.000; B gets a payout recorded, not yet paid.
    const payoutA = await recordPayout(db, { stallId: a.stall.id, amountDong: 100_000, createdByUserId: admin.id });
    const marked = await markPayoutPaid(db, { payoutId: payoutA.id, paidByUserId: admin.id, reference: "VCB 123456" });
    expect(marked.changed).toBe(true);
    expect((await markPayoutPaid(db, { payoutId: payoutA.id, paidByUserId: admin.id })).changed).toBe(false);
    add(a.stall.id, -100_000);
    await recordPayout(db, { stallId: b.stall.id, amountDong: 50_000, createdByUserId: admin.id });
    // More than B is owed once the pending payout is counted: refused.
    const over = await recordPayout(db, { stallId: b.stall.id, amountDong: 67_001, createdByUserId: admin.id }).catch(
      (e: unknown) => e,
    );
    expect(over).toBeInstanceOf(PaymentError);
    expect((over as PaymentError).details).toEqual({ availableDong: 67_000 });
    // Nothing to pay C.
    await expect(recordPayout(db, { stallId: c.stall.id, amountDong: 1, createdByUserId: admin.id })).rejects.toThrow(
      PaymentError,
    );

    const after = new Map((await owedToFarmers(db)).map((r) => [r.stallId, r]));
    expect(after.get(a.stall.id)).toMatchObject({
      owedDong: owed.get(a.stall.id),
      paidOutDong: 100_000,
      pendingPayoutDong: 0,
      availableDong: owed.get(a.stall.id),
    });
    expect(after.get(b.stall.id)).toMatchObject({
      owedDong: owed.get(b.stall.id),
      paidOutDong: 0,
      pendingPayoutDong: 50_000,
      availableDong: owed.get(b.stall.id)! - 50_000,
    });
    expect(after.get(c.stall.id)).toMatchObject({ owedDong: 0, paidOutDong: 0, pendingPayoutDong: 0 });

    // The one query of ADR 012 gives the same figures straight from the entries.
    const direct = await db
      .select({ stallId: ledgerEntries.stallId, amountDong: ledgerEntries.amountDong, kind: ledgerEntries.kind })
      .from(ledgerEntries);
    for (const [stallId, expected] of owed) {
      const sum = direct
        .filter((e) => e.stallId === stallId && (e.kind === "owed_to_farmer" || e.kind === "paid_out"))
        .reduce((s, e) => s + e.amountDong, 0);
      expect(sum, stallId).toBe(expected);
    }
    // And the buyer's money balances: what was paid minus what went back is what the kept orders cost.
    const kept = 90_000 + 60_000 - 20_000 + 195_000 + 100_000 - 40_000 + 50_000;
    const net = direct
      .filter((e) => e.kind === "buyer_paid" || e.kind === "refund")
      .reduce((s, e) => s + e.amountDong, 0);
    expect(net).toBe(kept);
  });
});
