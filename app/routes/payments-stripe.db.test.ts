/**
 * Card payments through the real route modules and the real `stripe` SDK,
 * pointed at a local HTTP server standing in for api.stripe.com (no network),
 * with webhooks signed as Stripe signs them (generateTestHeaderString):
 * checkout → Checkout Session (VND, idempotency key) → webhook
 * (/payments/stripe/webhook) → order paid once, whatever the order and number
 * of deliveries; money that is not the farmer's is refunded through Stripe.
 */
import { and, count, eq, sql } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import {
  checkouts,
  ledgerEntries,
  orders,
  paymentAlerts,
  paymentAttemptOrders,
  paymentAttempts,
  paymentEvents,
  paymentRefunds,
  stalls,
} from "#db/schema";
import {
  attemptSession,
  refundsReply,
  startStripeApi,
  stripeEvent,
  openSessions,
} from "../../tests/doubles/stripe-api";
import { loader as returnLoader } from "./payments.stripe.return";
import { action as webhookAction } from "./payments.stripe.webhook";
import { changeOrderStatus } from "~/orders/orders.server";
import { createActiveListing, createSellingStall } from "#tests/fixtures/orders";
import { checkout, orderPage, payAgain } from "#tests/harness/pay";
import { setPaymentProviders } from "~/payments/core/providers.server";
import { createStripeProvider } from "~/payments/stripe/provider.server";
import { cartWith } from "#tests/harness/routes";
import { db } from "~/utils/db.server";

const KEY = "sk_test_51GhsRouteTests";
const WHSEC = "whsec_gian_hang_so_route_tests";

// ---- a local stand-in for api.stripe.com ----------------------------------

const api = await startStripeApi({ secretKey: KEY, webhookSecrets: [WHSEC] });
const { seen } = api;
api.reply("POST /v1/checkout/sessions", openSessions("route"));
api.reply("POST /v1/refunds", refundsReply());

setPaymentProviders({ vnpay: null, stripe: createStripeProvider(api.config()) });
afterAll(async () => {
  setPaymentProviders(undefined);
  await api.close();
});
beforeEach(() => {
  seen.length = 0;
});

// ---- webhooks, signed as Stripe signs them ----------------------------------

const signer = new Stripe(KEY);
let eventSeq = 0;

const event = (type: string, object: Record<string, unknown>, id = `evt_route_${++eventSeq}`) =>
  stripeEvent(type, object, { id });

function charge(attempt: { id: string }, amountRefunded: number) {
  return {
    id: `ch_${attempt.id.slice(0, 8)}`,
    object: "charge",
    amount: 0,
    amount_refunded: amountRefunded,
    currency: "vnd",
    payment_intent: `pi_${attempt.id.slice(0, 8)}`,
    metadata: { attemptId: attempt.id },
    refunded: true,
    livemode: false,
  };
}

async function deliver(
  payload: string,
  header: string | null = signer.webhooks.generateTestHeaderString({ payload, secret: WHSEC }),
) {
  const headers = new Headers({ "content-type": "application/json" });
  if (header !== null) headers.set("stripe-signature", header);
  const request = new Request("http://localhost/payments/stripe/webhook", { method: "POST", headers, body: payload });
  const response = (await webhookAction({ request, params: {}, context: {} })) as Response;
  return { status: response.status, body: (await response.json()) as { received: boolean; result?: string } };
}
const send = (e: object) => deliver(JSON.stringify(e));

// ---- data -----------------------------------------------------------------

const farm = await createSellingStall(db, { name: "Chè Thái Nguyên", codEnabled: false, stripeEnabled: true });

/** A card checkout of 2 × 75.000 ₫; the buyer is at the session's URL. */
async function cardCheckout() {
  const listing = await createActiveListing(db, farm.stall.id, { priceDong: 75_000 });
  const cookie = await cartWith([{ id: listing.id, qty: 2 }]);
  const res = await checkout(cookie, { [farm.stall.id]: "stripe" });
  expect(res.status).toBe(302);
  const sessionUrl = res.headers.get("Location")!;
  const sessionId = sessionUrl.split("/").pop()!;
  const [attempt] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.providerRef, sessionId));
  const [row] = await db
    .select({ order: orders, checkoutCode: checkouts.code })
    .from(paymentAttemptOrders)
    .innerJoin(orders, eq(orders.id, paymentAttemptOrders.orderId))
    .innerJoin(checkouts, eq(checkouts.id, orders.checkoutId))
    .where(eq(paymentAttemptOrders.attemptId, attempt.id));
  return { sessionUrl, attempt, order: row.order, checkoutCode: row.checkoutCode };
}

const attemptRow = async (id: string) => (await db.select().from(paymentAttempts).where(eq(paymentAttempts.id, id)))[0];
const orderRow = async (id: string) => (await db.select().from(orders).where(eq(orders.id, id)))[0];
async function snapshot(attemptId: string, orderId: string) {
  const n = async (table: typeof paymentEvents | typeof ledgerEntries) =>
    (await db.select({ n: count() }).from(table).where(eq(table.attemptId, attemptId)))[0].n;
  return {
    attempt: await attemptRow(attemptId),
    order: await orderRow(orderId),
    events: await n(paymentEvents),
    ledger: await n(ledgerEntries),
  };
}

describe("Stripe Checkout from the checkout page", () => {
  it("creates a session for the VND total, keyed by the attempt, returning to the return page", async () => {
    const { sessionUrl, attempt } = await cardCheckout();
    expect(sessionUrl).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_route_\d+$/);
    const create = seen.filter((s) => s.path === "/v1/checkout/sessions");
    expect(create).toHaveLength(1);
    expect(create[0].headers["idempotency-key"]).toBe(`start:${attempt.id}`);
    expect(Object.fromEntries(create[0].form)).toMatchObject({
      "line_items[0][price_data][currency]": "vnd",
      "line_items[0][price_data][unit_amount]": "150000",
      "metadata[attemptId]": attempt.id,
      success_url: `http://localhost/payments/stripe/return?attempt=${attempt.id}`,
      cancel_url: `http://localhost/payments/stripe/return?attempt=${attempt.id}&cancelled=1`,
    });
    expect(attempt).toMatchObject({ provider: "stripe", status: "pending", amountDong: 150_000 });
    // Stripe's own deadline (at least 30 minutes) is the attempt's.
    expect(attempt.expiresAt!.getTime()).toBe(Number(create[0].form.get("expires_at")) * 1000);
  });
});

describe("/payments/stripe/webhook", () => {
  it("pays the order once for a valid completed session, and a replay changes nothing", async () => {
    const { attempt, order, checkoutCode } = await cardCheckout();
    const completed = event("checkout.session.completed", attemptSession(attempt));
    expect(await send(completed)).toEqual({ status: 200, body: { received: true, result: "applied" } });
    expect(await orderRow(order.id)).toMatchObject({ paymentStatus: "paid" });
    const after = await snapshot(attempt.id, order.id);
    expect(after.attempt).toMatchObject({ status: "succeeded", transactionRef: `pi_${attempt.id.slice(0, 8)}` });

    for (let i = 0; i < 3; i++) {
      expect(await send(completed)).toEqual({ status: 200, body: { received: true, result: "duplicate" } });
    }
    expect(await snapshot(attempt.id, order.id)).toEqual(after);
    const page = await orderPage(order.code, checkoutCode);
    expect(page.data.timeline!.filter((e) => e.paymentStatus === "paid")).toHaveLength(1);

    // The success page only shows what the app knows.
    const shown = await returnLoader({
      request: new Request(`http://localhost/payments/stripe/return?attempt=${attempt.id}`),
      params: {},
      context: {},
    });
    expect((shown as unknown as { data: { result: unknown } }).data.result).toMatchObject({
      state: "paid",
      amountDong: 150_000,
      orders: [{ code: order.code, href: `/orders/${order.code}?checkout=${checkoutCode}` }],
    });
  });

  it("answers 400 to a tampered body or signature, and changes nothing", async () => {
    const { attempt, order } = await cardCheckout();
    const before = await snapshot(attempt.id, order.id);
    const payload = JSON.stringify(event("checkout.session.completed", attemptSession(attempt)));
    const header = signer.webhooks.generateTestHeaderString({ payload, secret: WHSEC });

    const cheaper = payload.replace('"amount_total":150000', '"amount_total":1000');
    expect(cheaper).not.toBe(payload);
    expect((await deliver(cheaper, header)).status).toBe(400);
    expect((await deliver(payload, header.replace(/v1=[0-9a-f]{4}/, "v1=0000"))).status).toBe(400);
    expect(
      (await deliver(payload, signer.webhooks.generateTestHeaderString({ payload, secret: "whsec_other" }))).status,
    ).toBe(400);
    expect((await deliver(payload, null)).status).toBe(400);
    expect((await deliver(payload, "garbage")).status).toBe(400);
    expect(await snapshot(attempt.id, order.id)).toEqual(before);
    expect(before.order.paymentStatus).toBe("pending");

    // The genuine one still goes through afterwards.
    expect((await deliver(payload, header)).status).toBe(200);
    expect(await orderRow(order.id)).toMatchObject({ paymentStatus: "paid" });
  });

  it("ignores an expiry or a failure that arrives after the success", async () => {
    const { attempt, order } = await cardCheckout();
    await send(event("checkout.session.completed", attemptSession(attempt)));
    const after = await snapshot(attempt.id, order.id);
    const late = [
      event("checkout.session.expired", attemptSession(attempt, { status: "expired", payment_status: "unpaid" })),
      event("checkout.session.async_payment_failed", attemptSession(attempt, { payment_status: "unpaid" })),
    ];
    for (const e of late) expect((await send(e)).status).toBe(200);
    const now = await snapshot(attempt.id, order.id);
    expect({ ...now, events: 0 }).toEqual({ ...after, events: 0 });
    expect(now.attempt.status).toBe("succeeded");
    expect(now.order).toMatchObject({ paymentStatus: "paid", status: "placed" });
  });

  it("books a refund that arrives before its payment once the payment arrives, never twice", async () => {
    const { attempt, order } = await cardCheckout();
    const refunded = event("charge.refunded", charge(attempt, 150_000));
    expect(await send(refunded)).toEqual({ status: 200, body: { received: true, result: "ignored" } });
    expect(await orderRow(order.id)).toMatchObject({ paymentStatus: "pending" });

    const completed = event("checkout.session.completed", attemptSession(attempt));
    expect((await send(completed)).status).toBe(200);
    expect(await attemptRow(attempt.id)).toMatchObject({ status: "refunded", refundedDong: 150_000 });
    expect(await orderRow(order.id)).toMatchObject({ paymentStatus: "refunded" });
    const after = await snapshot(attempt.id, order.id);
    for (const e of [refunded, completed, event("charge.refunded", charge(attempt, 150_000))]) {
      expect((await send(e)).status).toBe(200);
    }
    const now = await snapshot(attempt.id, order.id);
    expect({ ...now, events: 0 }).toEqual({ ...after, events: 0 });
    // Our own refunds are not asked of Stripe here: Stripe made this one.
    expect(seen.filter((s) => s.path === "/v1/refunds")).toEqual([]);
  });

  it("refunds the second payment of the same checkout through Stripe, and raises an alert", async () => {
    const first = await cardCheckout();
    // The first session is about to expire (too little time left to go back to it), so the
    // buyer's "Thanh toán lại" starts a second one; the first is still paid at the last minute.
    await db
      .update(paymentAttempts)
      .set({ expiresAt: sql`now() + interval '2 minutes'` })
      .where(eq(paymentAttempts.id, first.attempt.id));
    const again = await payAgain(first.order.code, first.checkoutCode);
    expect(again.status).toBe(302);
    const secondId = again.location!.split("/").pop()!;
    const [second] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.providerRef, secondId));
    expect(second.id).not.toBe(first.attempt.id);

    // Both sessions are paid at Stripe.
    expect((await send(event("checkout.session.completed", attemptSession(first.attempt)))).status).toBe(200);
    expect((await send(event("checkout.session.completed", attemptSession(second)))).status).toBe(200);

    expect(await orderRow(first.order.id)).toMatchObject({ paymentStatus: "paid" });
    expect(await attemptRow(first.attempt.id)).toMatchObject({ status: "succeeded", refundedDong: 0 });
    expect(await attemptRow(second.id)).toMatchObject({ status: "refunded", refundedDong: 150_000 });
    const refunds = seen.filter((s) => s.path === "/v1/refunds");
    expect(refunds).toHaveLength(1);
    expect(refunds[0].headers["idempotency-key"]).toBe(`refund:${second.id}:1`);
    expect(Object.fromEntries(refunds[0].form)).toMatchObject({
      amount: "150000",
      payment_intent: `pi_${second.id.slice(0, 8)}`,
    });
    expect(await db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, second.id))).toMatchObject([
      { status: "succeeded", amountDong: 150_000, reason: "system:double_payment", refundRef: "re_test_1" },
    ]);
    const alerts = await db
      .select()
      .from(paymentAlerts)
      .where(and(eq(paymentAlerts.attemptId, second.id), eq(paymentAlerts.kind, "double_payment")));
    expect(alerts).toHaveLength(1);
    // The order was paid once: one "paid" row on its timeline.
    const page = await orderPage(first.order.code, first.checkoutCode);
    expect(page.data.timeline!.filter((e) => e.paymentStatus === "paid")).toHaveLength(1);
    expect(page.data.payment).toMatchObject({ status: "paid", refundedDong: 0 });

    // Stripe then reports its refund of the second charge: nothing new to book.
    const before = await snapshot(second.id, first.order.id);
    expect((await send(event("charge.refunded", charge(second, 150_000)))).status).toBe(200);
    const now = await snapshot(second.id, first.order.id);
    expect({ ...now, events: 0 }).toEqual({ ...before, events: 0 });
  });

  it("refunds a success that arrives after the order was cancelled, and keeps the alert", async () => {
    const { attempt, order } = await cardCheckout();
    await changeOrderStatus(db, {
      order: { orderId: order.id },
      scope: { guestOrderId: order.id },
      to: "cancelled",
      actor: { role: "buyer", userId: null },
      reason: "",
    });
    expect((await send(event("checkout.session.completed", attemptSession(attempt)))).status).toBe(200);
    expect(await attemptRow(attempt.id)).toMatchObject({ status: "refunded", refundedDong: 150_000 });
    expect(await orderRow(order.id)).toMatchObject({ status: "cancelled", paymentStatus: "unpaid" });
    expect(seen.filter((s) => s.path === "/v1/refunds").map((s) => s.headers["idempotency-key"])).toEqual([
      `refund:${attempt.id}:1`,
    ]);
    const [alert] = await db.select().from(paymentAlerts).where(eq(paymentAlerts.attemptId, attempt.id));
    expect(alert).toMatchObject({ kind: "late_payment", amountDong: 150_000, resolvedAt: null });
  });

  it("records a farmer's Connect account readiness from account.updated", async () => {
    await db.update(stalls).set({ stripeAccountId: "acct_1RouteTest" }).where(eq(stalls.id, farm.stall.id));
    const updated = event("account.updated", {
      id: "acct_1RouteTest",
      object: "account",
      charges_enabled: true,
      payouts_enabled: true,
      details_submitted: true,
    });
    expect(await send(updated)).toEqual({ status: 200, body: { received: true, result: "account_updated" } });
    const [stall] = await db.select().from(stalls).where(eq(stalls.id, farm.stall.id));
    expect(stall.stripeChargesEnabled).toBe(true);
    expect((await send(updated)).body.result).toBe("duplicate");
  });

  it("shows a cancelled return, and nothing for an attempt that is not ours", async () => {
    const { attempt } = await cardCheckout();
    const load = async (query: string) =>
      (
        (await returnLoader({
          request: new Request(`http://localhost/payments/stripe/return?${query}`),
          params: {},
          context: {},
        })) as unknown as { data: { result: { state: string } } }
      ).data.result;
    expect(await load(`attempt=${attempt.id}&cancelled=1`)).toMatchObject({ state: "cancelled" });
    expect(await load(`attempt=${attempt.id}`)).toMatchObject({ state: "waiting" });
    expect(await load("attempt=00000000-0000-4000-8000-000000000000")).toEqual({ state: "unverified" });
    expect(await load("attempt=not-a-uuid")).toEqual({ state: "unverified" });
    expect(await attemptRow(attempt.id)).toMatchObject({ status: "pending" });
  });
});
