/**
 * The payment jobs against the providers' stand-ins: VNPay through the local
 * double (tests/doubles/vnpay-double.ts, querydr and refunds signed like
 * VNPay), Stripe through the real SDK pointed at a local HTTP server. What is
 * tested is the reconciliation: a payment whose notification never came is
 * asked about and paid once; abandoned payments expire and give the stock
 * back; refunds stuck half-way are finished with their own key; and orders
 * the farmer never confirms are cancelled, refunded when paid online.
 */
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  ledgerEntries,
  listings,
  orders,
  paymentAlerts,
  paymentEvents,
  paymentRefunds,
  type PaymentAttempt,
} from "#db/schema";
import { attemptSession, refundsReply, startStripeApi, stripeEvent } from "#tests/doubles/stripe-api";
import { startVnpayDouble } from "#tests/doubles/vnpay-double";
import { createAttempt, markAttemptStarted } from "./attempts.server";
import { markPaidByFarmer } from "../farmer/money-received.server";
import { applyNotification } from "./notifications.server";
import type { PaymentProviders } from "./providers.server";
import { expireAbandonedAttempts, reconcileAttempt, reconcilePayments } from "./reconcile.server";
import { recordRefund } from "./refunds.server";
import { createStripeProvider, toNotification } from "../stripe/provider.server";
import { attemptRow, notification, orderRow, paymentRows, placeWith } from "#tests/fixtures/payments";
import { createVnpayProvider } from "../vnpay/provider.server";
import { expireUnconfirmedOrders } from "~/jobs/orders-expiry.server";
import { SYSTEM_CANCEL_REASONS } from "~/orders/cancel-reasons";
import { changeOrderStatus } from "~/orders/orders.server";
import { createSellingStall, VIETQR_STALL } from "#tests/fixtures/orders";
import { db } from "~/utils/db.server";

const TMN = "GHSRECON";
const SECRET = "GHS-RECONCILE-SECRET-0123456789AB";

// ---- VNPay: the double, paying without telling the app (the IPN is "lost") --

const double = await startVnpayDouble({
  appOrigin: "http://127.0.0.1:9",
  tmnCode: TMN,
  secret: SECRET,
  sendIpn: false,
});
const vnpay = createVnpayProvider({ tmnCode: TMN, hashSecret: SECRET, payUrl: double.payUrl, apiUrl: double.apiUrl });

// ---- Stripe: the real SDK against the local stand-in --------------------------

const stripeApi = await startStripeApi({
  secretKey: "sk_test_51GhsReconcile",
  webhookSecrets: ["whsec_reconcile_test"],
});
const stripeSeen = stripeApi.seen;
stripeApi.reply("POST /v1/refunds", refundsReply());
const stripe = createStripeProvider(stripeApi.config());

const providers: PaymentProviders = { vnpay, stripe };

afterAll(async () => {
  await double.close();
  await stripeApi.close();
});
beforeEach(() => {
  stripeSeen.length = 0;
});

// ---- data ------------------------------------------------------------------

const farm = await createSellingStall(db, { ...VIETQR_STALL });
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

/** A checkout of one order (2 × 45.000 ₫ of a listing with 10 in stock) paid by `method`. */
async function orderPaidBy(method: "vnpay" | "stripe" | "vietqr" | "cod") {
  const placed = await placeWith(db, [{ stallId: farm.stall.id, method, qty: 2, stockQty: 10 }]);
  return { checkoutCode: placed.checkoutCode, order: placed.orders[0], listingId: placed.listings[0].id };
}

const stockOf = async (listingId: string) =>
  (await db.select().from(listings).where(eq(listings.id, listingId)))[0].stockQty;
const buyerPaidLines = async (orderId: string) =>
  db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orderId, orderId), eq(ledgerEntries.kind, "buyer_paid")));
const eventsOf = (attemptId: string) => db.select().from(paymentEvents).where(eq(paymentEvents.attemptId, attemptId));

/** A VNPay attempt for the checkout, started at the double: the buyer is on VNPay's page. */
async function startVnpay(checkoutCode: string, expiresInMinutes = 15) {
  const { attempt } = await createAttempt(db, {
    checkoutCode,
    provider: "vnpay",
    expiresAt: minutesFromNow(expiresInMinutes),
  });
  const started = await vnpay.startPayment({
    attemptId: attempt.id,
    amountDong: attempt.amountDong,
    orderRef: checkoutCode,
    description: `Thanh toán ${checkoutCode}`,
    returnUrl: "http://localhost/payments/vnpay/return",
    ip: "203.0.113.7",
    locale: "vi",
    expiresAt: attempt.expiresAt!,
    createdAt: attempt.createdAt,
  });
  const pending = await markAttemptStarted(db, { attemptId: attempt.id, providerRef: started.providerRef });
  return { attempt: pending, redirectUrl: started.redirectUrl };
}

/** The buyer presses "Thanh toán" on the double's page; returns where VNPay sends them back (signed like the IPN). */
async function payAtVnpay(redirectUrl: string): Promise<string> {
  const html = await (await fetch(redirectUrl)).text();
  const token = /name="token" value="([0-9a-f]+)"/.exec(html)?.[1];
  expect(token, html).toBeTruthy();
  const answer = await fetch(new URL("/paymentv2/confirm", redirectUrl), {
    method: "POST",
    body: new URLSearchParams({ token: token!, action: "pay" }),
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return answer.headers.get("location")!;
}

const querydrFor = (attempt: PaymentAttempt) =>
  double.apiRequests.filter((r) => r.vnp_Command === "querydr" && r.vnp_TxnRef === attempt.providerRef);

/** A Checkout Session as Stripe returns it for this attempt; from now on the local Stripe knows it. */
function stripeSession(attempt: PaymentAttempt, fields: Record<string, unknown>) {
  const session = attemptSession(attempt, {
    payment_intent: null,
    payment_status: "unpaid",
    status: "open",
    expires_at: Math.floor((attempt.expiresAt?.getTime() ?? Date.now()) / 1000),
    ...fields,
  });
  stripeApi.reply(`GET /v1/checkout/sessions/${attempt.providerRef}`, () => ({ json: session }));
  return session;
}

let sessionSeq = 0;
async function startStripe(checkoutCode: string, expiresInMinutes = 40) {
  const { attempt } = await createAttempt(db, {
    checkoutCode,
    provider: "stripe",
    expiresAt: minutesFromNow(expiresInMinutes),
  });
  const providerRef = `cs_test_recon_${process.pid}_${++sessionSeq}`;
  return markAttemptStarted(db, { attemptId: attempt.id, providerRef });
}

// ---- tests -----------------------------------------------------------------

describe("payments.reconcile: a payment whose notification never came", () => {
  it("VNPay: querydr finds it paid and the order is paid once; the IPN arriving afterwards is a duplicate", async () => {
    const { checkoutCode, order } = await orderPaidBy("vnpay");
    const { attempt, redirectUrl } = await startVnpay(checkoutCode);
    const back = await payAtVnpay(redirectUrl);
    expect(double.ipnAnswers).toEqual([]);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("pending");

    // Not stuck yet (younger than PAYMENT_RECONCILE_AFTER_MINUTES, 15): VNPay is not asked.
    await reconcilePayments(db, { providers, now: new Date() });
    expect(querydrFor(attempt)).toHaveLength(0);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("pending");

    const report = await reconcilePayments(db, { providers, now: minutesFromNow(16) });
    expect(report).toMatchObject({ settled: 1, errors: 0 });
    expect(querydrFor(attempt)).toHaveLength(1);
    expect((await attemptRow(db, attempt.id)).status).toBe("succeeded");
    const paid = await orderRow(db, order.id);
    expect(paid.paymentStatus).toBe("paid");
    expect(await buyerPaidLines(order.id)).toHaveLength(1);
    expect(await paymentRows(db, order.id)).toEqual([
      expect.objectContaining({ paymentStatus: "paid", amountDong: 90_000, actorRole: "system" }),
    ]);

    // The IPN VNPay retries later carries the same fields as the return URL: recorded once already.
    const ipn = await vnpay.readNotification(
      new Request(`http://localhost/payments/vnpay/ipn?${new URL(back).searchParams}`),
    );
    expect(ipn.outcome).toBe("succeeded");
    expect(await applyNotification(db, ipn)).toMatchObject({ result: "duplicate", reason: "event_seen" });
    expect(await buyerPaidLines(order.id)).toHaveLength(1);
    expect(await eventsOf(attempt.id)).toHaveLength(1);
    expect((await orderRow(db, order.id)).paidAt).toEqual(paid.paidAt);

    // Settled: not asked again.
    await reconcilePayments(db, { providers, now: minutesFromNow(16) });
    expect(querydrFor(attempt)).toHaveLength(1);
  });

  it("VNPay: an attempt VNPay never saw (the buyer never reached it) stays open", async () => {
    const { checkoutCode, order } = await orderPaidBy("vnpay");
    const { attempt } = await startVnpay(checkoutCode, 60);
    await reconcilePayments(db, { providers, now: minutesFromNow(16) });
    expect(querydrFor(attempt)).toHaveLength(1);
    expect((await attemptRow(db, attempt.id)).status).toBe("pending");
    expect((await orderRow(db, order.id)).paymentStatus).toBe("pending");
  });

  it("Stripe: the session reports paid and the order is paid; the webhook arriving afterwards changes nothing", async () => {
    const { checkoutCode, order } = await orderPaidBy("stripe");
    const attempt = await startStripe(checkoutCode);
    const session = stripeSession(attempt, {
      status: "complete",
      payment_status: "paid",
      payment_intent: "pi_recon_1",
    });

    const report = await reconcilePayments(db, { providers, now: minutesFromNow(16) });
    expect(report).toMatchObject({ settled: 1, errors: 0 });
    expect(stripeSeen.filter((s) => s.path === `/v1/checkout/sessions/${attempt.providerRef}`)).toHaveLength(1);
    expect(await attemptRow(db, attempt.id)).toMatchObject({ status: "succeeded", transactionRef: "pi_recon_1" });
    expect((await orderRow(db, order.id)).paymentStatus).toBe("paid");

    const webhook = toNotification(
      stripeEvent("checkout.session.completed", session, { id: "evt_recon_completed" }) as unknown as Stripe.Event,
    );
    expect(await applyNotification(db, webhook)).toMatchObject({ result: "duplicate" });
    expect(await buyerPaidLines(order.id)).toHaveLength(1);
  });

  it("a payment found for orders cancelled meanwhile is refunded at once, with an alert", async () => {
    const { checkoutCode, order, listingId } = await orderPaidBy("stripe");
    const attempt = await startStripe(checkoutCode);
    await changeOrderStatus(db, {
      order: { orderId: order.id },
      scope: { system: true },
      to: "cancelled",
      actor: { role: "system" },
      reason: SYSTEM_CANCEL_REASONS.paymentExpired,
    });
    expect(await stockOf(listingId)).toBe(10);
    stripeSession(attempt, { status: "complete", payment_status: "paid", payment_intent: "pi_recon_late" });

    const outcome = await reconcileAttempt(db, await attemptRow(db, attempt.id), providers);
    expect(outcome).toMatchObject({ asked: "applied", refunded: 90_000 });
    const refunds = stripeSeen.filter((s) => s.path === "/v1/refunds");
    expect(refunds).toHaveLength(1);
    expect(refunds[0].idempotencyKey).toBe(`refund:${attempt.id}:1`);
    expect(refunds[0].form.get("payment_intent")).toBe("pi_recon_late");
    expect(refunds[0].form.get("amount")).toBe("90000");
    expect((await attemptRow(db, attempt.id)).status).toBe("refunded");
    expect((await orderRow(db, order.id)).status).toBe("cancelled");
    const [alert] = await db.select().from(paymentAlerts).where(eq(paymentAlerts.attemptId, attempt.id));
    expect(alert.kind).toBe("late_payment");
  });
});

describe("payments.reconcile: refunds and money left half-way", () => {
  it("money received for a cancelled order and not refunded (the process stopped) is refunded by the next run", async () => {
    const { checkoutCode, order } = await orderPaidBy("stripe");
    const attempt = await startStripe(checkoutCode);
    await changeOrderStatus(db, {
      order: { orderId: order.id },
      scope: { system: true },
      to: "cancelled",
      actor: { role: "system" },
      reason: SYSTEM_CANCEL_REASONS.paymentExpired,
    });
    // The webhook route applied it and stopped before refunding.
    const applied = await applyNotification(
      db,
      notification("stripe", attempt.providerRef!, { amountDong: 90_000, transactionRef: "pi_recon_held" }),
    );
    expect(applied).toMatchObject({ result: "applied", refundNeeded: { amountDong: 90_000 } });

    // Within ten minutes it is the request's to do.
    await reconcilePayments(db, { providers, now: new Date() });
    expect(stripeSeen.filter((s) => s.path === "/v1/refunds")).toHaveLength(0);

    const report = await reconcilePayments(db, { providers, now: minutesFromNow(11) });
    expect(report).toMatchObject({ heldRefunded: 1 });
    const refunds = stripeSeen.filter((s) => s.path === "/v1/refunds");
    expect(refunds.map((r) => [r.idempotencyKey, r.form.get("amount")])).toEqual([[`refund:${attempt.id}:1`, "90000"]]);
    expect((await attemptRow(db, attempt.id)).status).toBe("refunded");

    await reconcilePayments(db, { providers, now: minutesFromNow(11) });
    expect(stripeSeen.filter((s) => s.path === "/v1/refunds")).toHaveLength(1);
  });

  it("a refund stuck in 'requested' is asked again with its own key and booked once; past 23 hours it is an alert", async () => {
    const { checkoutCode, order } = await orderPaidBy("stripe");
    const attempt = await startStripe(checkoutCode);
    await applyNotification(
      db,
      notification("stripe", attempt.providerRef!, { amountDong: 90_000, transactionRef: "pi_recon_stuck" }),
    );
    // The provider call never comes back (the process died): the amount stays held.
    void recordRefund(db, {
      attemptId: attempt.id,
      amountDong: 30_000,
      reason: "Thiếu hàng",
      actor: { role: "admin" },
      refundAtProvider: () => new Promise(() => {}),
    });
    await expect
      .poll(async () => (await db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, attempt.id))).length)
      .toBe(1);
    const [held] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, attempt.id));
    expect(held).toMatchObject({ status: "requested", idempotencyKey: `refund:${attempt.id}:1` });

    const report = await reconcilePayments(db, { providers, now: minutesFromNow(11) });
    expect(report).toMatchObject({ refunds: { retried: 1, booked: 1, alerted: 0, errors: 0 } });
    const refunds = stripeSeen.filter((s) => s.path === "/v1/refunds");
    expect(refunds.map((r) => [r.idempotencyKey, r.form.get("amount")])).toEqual([[`refund:${attempt.id}:1`, "30000"]]);
    const [booked] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.id, held.id));
    expect(booked).toMatchObject({ status: "succeeded", refundRef: expect.stringMatching(/^re_test_/) });
    expect(await attemptRow(db, attempt.id)).toMatchObject({ status: "partially_refunded", refundedDong: 30_000 });
    expect((await orderRow(db, order.id)).paymentStatus).toBe("partially_refunded");
    const refundLines = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.refundId, held.id), eq(ledgerEntries.kind, "refund")));
    expect(refundLines.map((l) => l.amountDong)).toEqual([-30_000]);

    // Booked: not asked again.
    await reconcilePayments(db, { providers, now: minutesFromNow(11) });
    expect(stripeSeen.filter((s) => s.path === "/v1/refunds")).toHaveLength(1);

    // Another one stuck for a day: its key may be forgotten by Stripe, so a person looks at it (once).
    void recordRefund(db, {
      attemptId: attempt.id,
      amountDong: 10_000,
      actor: { role: "admin" },
      refundAtProvider: () => new Promise(() => {}),
    });
    await expect
      .poll(async () => (await db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, attempt.id))).length)
      .toBe(2);
    stripeSeen.length = 0;
    for (let run = 0; run < 2; run++) {
      await reconcilePayments(db, { providers, now: minutesFromNow(24 * 60) });
    }
    expect(stripeSeen.filter((s) => s.path === "/v1/refunds")).toHaveLength(0);
    const stuckAlerts = await db
      .select()
      .from(paymentAlerts)
      .where(and(eq(paymentAlerts.attemptId, attempt.id), eq(paymentAlerts.kind, "refund_failed")));
    expect(stuckAlerts).toHaveLength(1);
    expect(stuckAlerts[0]).toMatchObject({ amountDong: 10_000, details: expect.objectContaining({ stuck: true }) });
  });

  it("with no provider configured it does nothing", async () => {
    expect(await reconcilePayments(db, { providers: { vnpay: null, stripe: null } })).toEqual({
      skipped: "no_providers",
    });
  });
});

describe("payments.expire-attempts", () => {
  it("an abandoned VNPay payment expires at its deadline: the order is cancelled and the stock goes back", async () => {
    const { checkoutCode, order, listingId } = await orderPaidBy("vnpay");
    expect(await stockOf(listingId)).toBe(8);
    const { attempt } = await startVnpay(checkoutCode);

    // Before the deadline nothing happens.
    await expireAbandonedAttempts(db, { providers, now: minutesFromNow(14) });
    expect((await attemptRow(db, attempt.id)).status).toBe("pending");

    const result = await expireAbandonedAttempts(db, { providers, now: minutesFromNow(16) });
    expect(querydrFor(attempt)).toHaveLength(1);
    expect(result.cancelledOrders).toContain(order.code);
    expect((await attemptRow(db, attempt.id)).status).toBe("expired");
    expect(await orderRow(db, order.id)).toMatchObject({
      status: "cancelled",
      paymentStatus: "unpaid",
      cancelReason: SYSTEM_CANCEL_REASONS.paymentExpired,
    });
    expect(await stockOf(listingId)).toBe(10);
  });

  it("a VNPay payment made just before the deadline, its IPN lost, is found at the deadline and kept", async () => {
    const { checkoutCode, order, listingId } = await orderPaidBy("vnpay");
    const { attempt, redirectUrl } = await startVnpay(checkoutCode);
    await payAtVnpay(redirectUrl);

    const result = await expireAbandonedAttempts(db, { providers, now: minutesFromNow(16) });
    expect(result).toMatchObject({ settled: 1 });
    expect(result.cancelledOrders).not.toContain(order.code);
    expect((await attemptRow(db, attempt.id)).status).toBe("succeeded");
    expect(await orderRow(db, order.id)).toMatchObject({ status: "placed", paymentStatus: "paid" });
    expect(await stockOf(listingId)).toBe(8);
  });

  it("a Stripe session reported expired: the attempt expires on Stripe's word, the order is cancelled, stock back", async () => {
    const { checkoutCode, order, listingId } = await orderPaidBy("stripe");
    const attempt = await startStripe(checkoutCode, 40);
    stripeSession(attempt, { status: "expired", payment_status: "unpaid" });
    expect(await stockOf(listingId)).toBe(8);

    const result = await expireAbandonedAttempts(db, { providers, now: minutesFromNow(41) });
    expect(stripeSeen.filter((s) => s.path === `/v1/checkout/sessions/${attempt.providerRef}`)).toHaveLength(1);
    expect(result.cancelledOrders).toContain(order.code);
    expect((await attemptRow(db, attempt.id)).status).toBe("expired");
    expect((await eventsOf(attempt.id)).map((e) => [e.eventId, e.outcome, e.result])).toEqual([
      [`reconcile:${attempt.providerRef}:expired`, "expired", "applied"],
    ]);
    expect(await orderRow(db, order.id)).toMatchObject({ status: "cancelled", paymentStatus: "unpaid" });
    expect(await stockOf(listingId)).toBe(10);
  });
});

describe("orders.expire-unconfirmed and payments", () => {
  it("leaves orders being paid to the payment job, cancels and refunds orders paid online, leaves the farmer's money alone", async () => {
    // Being paid at VNPay right now.
    const paying = await orderPaidBy("vnpay");
    await startVnpay(paying.checkoutCode, 30);
    // Paid through VNPay (its IPN lost, found by querydr).
    const paidOnline = await orderPaidBy("vnpay");
    const started = await startVnpay(paidOnline.checkoutCode);
    await payAtVnpay(started.redirectUrl);
    await reconcileAttempt(db, started.attempt, providers);
    expect((await orderRow(db, paidOnline.order.id)).paymentStatus).toBe("paid");
    // VietQR: one the farmer marked received, one waiting for the transfer.
    const vietqrPaid = await orderPaidBy("vietqr");
    await createAttempt(db, { orderIds: [vietqrPaid.order.id], provider: "vietqr", expiresAt: null });
    await markPaidByFarmer(db, {
      order: { orderId: vietqrPaid.order.id },
      stallId: farm.stall.id,
      actor: { role: "farmer", userId: farm.user.id },
      amountDong: 90_000,
    });
    const vietqrWaiting = await orderPaidBy("vietqr");
    await createAttempt(db, { orderIds: [vietqrWaiting.order.id], provider: "vietqr", expiresAt: null });
    // Cash on delivery.
    const cash = await orderPaidBy("cod");

    const all = [paying, paidOnline, vietqrPaid, vietqrWaiting, cash];
    for (const o of all) {
      await db
        .update(orders)
        .set({ createdAt: sql`now() - interval '25 hours'` })
        .where(eq(orders.id, o.order.id));
    }

    const result = await expireUnconfirmedOrders(db, new Date(), { providers });

    expect(result.cancelled.sort()).toEqual([paidOnline.order.code, vietqrWaiting.order.code, cash.order.code].sort());
    expect(result.refunded).toEqual([paidOnline.order.code]);
    expect((await orderRow(db, paying.order.id)).status).toBe("placed");
    expect(await orderRow(db, vietqrPaid.order.id)).toMatchObject({ status: "placed", paymentStatus: "paid" });
    for (const o of [vietqrWaiting, cash]) expect((await orderRow(db, o.order.id)).status).toBe("cancelled");

    // The paid order: cancelled, its money back through VNPay, stock back, the timeline says so, admins are told.
    expect(await orderRow(db, paidOnline.order.id)).toMatchObject({
      status: "cancelled",
      paymentStatus: "refunded",
      cancelReason: SYSTEM_CANCEL_REASONS.notConfirmed,
    });
    expect((await attemptRow(db, started.attempt.id)).status).toBe("refunded");
    const vnpayRefunds = double.apiRequests.filter(
      (r) => r.vnp_Command === "refund" && r.vnp_TxnRef === started.attempt.providerRef,
    );
    expect(vnpayRefunds).toHaveLength(1);
    expect(vnpayRefunds[0]).toMatchObject({ vnp_Amount: "9000000", vnp_TransactionType: "02" });
    expect(await stockOf(paidOnline.listingId)).toBe(10);
    expect((await paymentRows(db, paidOnline.order.id)).at(-1)).toMatchObject({
      paymentStatus: "refunded",
      amountDong: 90_000,
      toStatus: "cancelled",
    });
    const alerts = await db.select().from(paymentAlerts).where(eq(paymentAlerts.attemptId, started.attempt.id));
    expect(alerts).toEqual([
      expect.objectContaining({
        kind: "late_payment",
        amountDong: 90_000,
        details: expect.objectContaining({
          reason: SYSTEM_CANCEL_REASONS.notConfirmed,
          orderCodes: [paidOnline.order.code],
        }),
      }),
    ]);

    // The order being paid is the payment job's: at the payment's deadline it is cancelled there.
    const expired = await expireAbandonedAttempts(db, { providers, now: minutesFromNow(31) });
    expect(expired.cancelledOrders).toContain(paying.order.code);
    expect(await stockOf(paying.listingId)).toBe(10);

    // Again: nothing more is cancelled or refunded.
    expect(await expireUnconfirmedOrders(db, new Date(), { providers })).toEqual({ cancelled: [], refunded: [] });
    expect(double.apiRequests.filter((r) => r.vnp_Command === "refund")).toHaveLength(1);
  });
});
