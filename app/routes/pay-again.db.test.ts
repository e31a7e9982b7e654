/**
 * "Thanh toán" / "Thanh toán lại" on /orders/:orderCode goes back to the open
 * attempt's page at the provider instead of starting one per tap, through the
 * HTTP server with taps at once (a double tap, an impatient buyer): Stripe's
 * API is the local double (counting the Checkout Sessions created), VNPay's
 * pay URL is signed locally as VNPay's is. Only an expired, failed or
 * cancelled attempt (or one about to expire) leads to a new one.
 */
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkouts, orders, paymentAttempts } from "#db/schema";
import { attemptSession, startStripeApi, stripeError, stripeEvent, openSessions } from "../../tests/doubles/stripe-api";
import { CookieJar, postForm } from "../../tests/http/forms";
import { env } from "~/utils/env.server";
import { startTestServer, type TestServer } from "../../tests/http/server";
import { createActiveListing, createSellingStall } from "#tests/fixtures/orders";
import { REUSE_MIN_REMAINING_MS } from "~/payments/buyer/pay.server";
import { setPaymentProviders } from "~/payments/core/providers.server";
import { createStripeProvider } from "~/payments/stripe/provider.server";
import { createVnpayProvider } from "~/payments/vnpay/provider.server";
import { attemptsOfOrder } from "#tests/fixtures/payments";
import { db } from "~/utils/db.server";

const KEY = "sk_test_51GhsPayAgain";
const WHSEC = "whsec_gian_hang_so_pay_again";
const VNPAY_PAY_URL = "http://127.0.0.1:9/paymentv2/vpcpay.html";

const stripeApi = await startStripeApi({ secretKey: KEY, webhookSecrets: [WHSEC] });
const sessions = openSessions("again");
const stripeUp = () => stripeApi.reply("POST /v1/checkout/sessions", sessions);
const stripeDown = () =>
  stripeApi.reply("POST /v1/checkout/sessions", () => stripeError(503, "api_error", "Service unavailable"));

let server: TestServer;
beforeAll(async () => {
  env().TRUST_PROXY = 1;
  setPaymentProviders({
    vnpay: createVnpayProvider({
      tmnCode: "GHSTEST1",
      hashSecret: "PAY-AGAIN-TEST-SECRET",
      payUrl: VNPAY_PAY_URL,
      apiUrl: "http://127.0.0.1:9/api",
    }),
    stripe: createStripeProvider(stripeApi.config()),
  });
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  setPaymentProviders(undefined);
  await stripeApi.close();
});

const farm = await createSellingStall(db, {
  name: "Gạo nếp cái hoa vàng",
  codEnabled: false,
  vnpayEnabled: true,
  stripeEnabled: true,
});

let buyers = 0;

/** A buyer of their own (address, number, cart) checks out one bag paid by `method`; where they were sent. */
async function checkOut(method: "stripe" | "vnpay") {
  const n = ++buyers;
  const visit = { jar: new CookieJar(), ip: `198.18.7.${n}` };
  const listing = await createActiveListing(db, farm.stall.id, { priceDong: 120_000 });
  expect((await postForm(server, "/cart", { intent: "add", listingId: listing.id, quantity: "1" }, visit)).status).toBe(
    302,
  );
  const res = await postForm(
    server,
    "/checkout",
    {
      name: "Trần Thị Mua",
      phone: `0915${String(n).padStart(6, "0")}`,
      provinceCode: "",
      communeCode: "",
      addressLine: "",
      [`price.${listing.id}`]: "120000",
      [`delivery.${farm.stall.id}`]: "pickup",
      [`payment.${farm.stall.id}`]: method,
    },
    visit,
  );
  expect(res.status).toBe(302);
  const [row] = await db
    .select({ order: orders, checkoutCode: checkouts.code })
    .from(orders)
    .innerJoin(checkouts, eq(checkouts.id, orders.checkoutId))
    .where(eq(orders.buyerPhone, `+84915${String(n).padStart(6, "0")}`));
  return { location: res.headers.get("Location")!, order: { ...row.order, checkoutCode: row.checkoutCode }, visit };
}

const attemptsOf = (orderId: string) => attemptsOfOrder(db, orderId);

/** `times` taps of "Thanh toán lại" at once, by the buyer who holds the checkout's link; where each was sent. */
async function tap(
  order: { code: string; checkoutCode: string },
  times: number,
  visit: { jar: CookieJar; ip: string },
) {
  const answers = await Promise.all(
    Array.from({ length: times }, () =>
      postForm(server, `/orders/${order.code}?checkout=${order.checkoutCode}`, { intent: "pay" }, visit),
    ),
  );
  for (const res of answers) expect(res.status).toBe(302);
  return answers.map((res) => res.headers.get("Location"));
}

const signer = new Stripe(KEY);
async function stripeSays(type: string, attempt: { id: string; providerRef: string | null; amountDong: number }) {
  const payload = JSON.stringify(
    stripeEvent(type, attemptSession(attempt, { status: "expired", payment_status: "unpaid" }), {
      id: `evt_again_${attempt.id}`,
    }),
  );
  const res = await server.fetch("/payments/stripe/webhook", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Stripe-Signature": signer.webhooks.generateTestHeaderString({ payload, secret: WHSEC }),
    },
    body: payload,
  });
  expect(res.status).toBe(200);
}

describe("Thanh toán lại", () => {
  it("ten taps at once make one Checkout Session and all land on it; after Stripe expires it, one more", async () => {
    stripeDown();
    const { location, order, visit } = await checkOut("stripe");
    // Stripe did not answer at checkout: the order waits, its page offers to pay again.
    expect(location).toBe(`/orders/${order.code}?checkout=${order.checkoutCode}`);
    expect(await attemptsOf(order.id)).toMatchObject([{ provider: "stripe", status: "failed" }]);

    stripeUp();
    const before = sessions.created();
    const first = await tap(order, 10, visit);
    expect(sessions.created() - before).toBe(1);
    expect(new Set(first)).toEqual(new Set([`https://checkout.stripe.test/c/pay/cs_test_again_${sessions.created()}`]));
    // And ten more, one after the other: still that session.
    for (let i = 0; i < 10; i++) expect(await tap(order, 1, visit)).toEqual([first[0]]);
    expect(sessions.created() - before).toBe(1);
    const open = (await attemptsOf(order.id)).filter((a) => a.status === "pending");
    expect(open).toHaveLength(1);
    expect(open[0].redirectUrl).toBe(first[0]);

    // Stripe says the session expired: the next taps make one new session, and go there.
    await stripeSays("checkout.session.expired", open[0]);
    const second = await tap(order, 10, visit);
    expect(sessions.created() - before).toBe(2);
    expect(new Set(second)).toEqual(
      new Set([`https://checkout.stripe.test/c/pay/cs_test_again_${sessions.created()}`]),
    );
    expect((await attemptsOf(order.id)).map((a) => a.status).sort()).toEqual(["expired", "failed", "pending"]);
  });

  it("VNPay: taps go back to the open vnp_TxnRef; with less than five minutes left, ten taps at once make one new one", async () => {
    const { location, order, visit } = await checkOut("vnpay");
    const first = new URL(location);
    expect(`${first.origin}${first.pathname}`).toBe(VNPAY_PAY_URL);
    expect(await tap(order, 10, visit)).toEqual(Array(10).fill(location));
    expect(await attemptsOf(order.id)).toHaveLength(1);

    const [attempt] = await attemptsOf(order.id);
    await db
      .update(paymentAttempts)
      .set({ expiresAt: new Date(Date.now() + REUSE_MIN_REMAINING_MS - 60_000) })
      .where(eq(paymentAttempts.id, attempt.id));
    const again = await tap(order, 10, visit);
    expect(new Set(again).size).toBe(1);
    const second = new URL(again[0]!);
    expect(second.searchParams.get("vnp_TxnRef")).not.toBe(first.searchParams.get("vnp_TxnRef"));
    const statuses = Object.fromEntries((await attemptsOf(order.id)).map((a) => [a.providerRef, a.status]));
    expect(statuses).toEqual({
      [first.searchParams.get("vnp_TxnRef")!]: "cancelled",
      [second.searchParams.get("vnp_TxnRef")!]: "pending",
    });
  });
});
