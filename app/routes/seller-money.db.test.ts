/**
 * The farmer's money screens through their real loaders and actions: the
 * payment step's online methods and Stripe Connect onboarding (the real
 * `stripe` SDK against a local HTTP server), "Đã nhận tiền", refunds and
 * cancelling paid orders on /seller/orders/:code (Stripe through the SDK,
 * VNPay through its local double), and the bank statement upload. Hostile
 * input is refused in Vietnamese and changes nothing; another farmer's order
 * is a 404.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { orderEvents, paymentRefunds, stalls } from "#db/schema";
import { refundsReply, startStripeApi, stripeError, type StripeApiReply } from "../../tests/doubles/stripe-api";
import { startVnpayDouble } from "../../tests/doubles/vnpay-double";
import { action as orderAction, loader as orderLoader } from "./seller.orders.$orderCode";
import { action as importAction, loader as importLoader } from "./seller.payments.import";
import { action as paymentAction, loader as paymentLoader } from "./setup.payment";
import { loader as refreshLoader } from "./setup.payment_.stripe";
import { publishProblems } from "~/onboarding/onboarding.server";
import { call, signedIn } from "#tests/harness/routes";
import { createAttempt, markAttemptStarted } from "~/payments/core/attempts.server";
import { markPaidByFarmer } from "~/payments/farmer/money-received.server";
import { applyNotification } from "~/payments/core/notifications.server";
import { refundOrder } from "~/payments/farmer/order-money.server";
import { offeredPaymentMethods, setPaymentProviders, type PaymentProviders } from "~/payments/core/providers.server";
import { createStripeProvider } from "~/payments/stripe/provider.server";
import { notification, orderRow, paymentRows, placeWith } from "#tests/fixtures/payments";
import { createVnpayProvider } from "~/payments/vnpay/provider.server";
import { createSellingStall, VIETQR_STALL } from "#tests/fixtures/orders";
import { formatCode } from "~/orders/codes";
import { db } from "~/utils/db.server";

// ---- stand-ins for api.stripe.com and VNPay ---------------------------------

const stripeApi = await startStripeApi({ secretKey: "sk_test_51GhsFarmerSide", webhookSecrets: ["whsec_farmer_side"] });
const { seen } = stripeApi;
const stripeProvider = (connect: boolean) => createStripeProvider(stripeApi.config({ connect }));

const VNPAY = { tmnCode: "GHSFARM1", secret: "farmer-side-vnpay-secret" };
const vnpayDouble = await startVnpayDouble({ appOrigin: "http://127.0.0.1:9", ...VNPAY, sendIpn: false });
const vnpayProvider = () =>
  createVnpayProvider({
    tmnCode: VNPAY.tmnCode,
    hashSecret: VNPAY.secret,
    payUrl: vnpayDouble.payUrl,
    apiUrl: vnpayDouble.apiUrl,
  });

const use = (providers: Partial<PaymentProviders>) => setPaymentProviders({ vnpay: null, stripe: null, ...providers });

afterAll(async () => {
  setPaymentProviders(undefined);
  await stripeApi.close();
  await vnpayDouble.close();
});
beforeEach(() => {
  stripeApi.reset();
  use({});
});

const farm = await createSellingStall(db, VIETQR_STALL);
const rival = await createSellingStall(db, VIETQR_STALL);
const farmer = await signedIn(farm.user.id);
const rivalFarmer = await signedIn(rival.user.id);
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

type MoneyPage = {
  money: {
    paymentStatus: string;
    totalDong: number;
    paidDong: number;
    refundedDong: number;
    refundableDong: number;
    canMarkReceived: boolean;
    canRefund: boolean;
    refundsAtProvider: boolean;
  };
  order: { status: string };
};
type Answer = { intent?: string; error?: string; errors?: Record<string, string>; values?: Record<string, string> };

const page = (code: string, cookie = farmer) =>
  call<MoneyPage>(orderLoader, `/seller/orders/${code}`, { params: { orderCode: code }, cookies: [cookie] });
const post = (code: string, form: Record<string, string>, cookie = farmer) =>
  call<Answer>(orderAction, `/seller/orders/${code}`, { params: { orderCode: code }, cookies: [cookie], form });
const paymentEventCount = async (orderId: string) =>
  (await db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId))).filter((e) => e.paymentStatus).length;

/** 150.000 ₫ by VietQR, unpaid. */
async function vietqrOrder() {
  return (await placeWith(db, [{ stallId: farm.stall.id, method: "vietqr", priceDong: 50_000, qty: 3 }])).orders[0];
}

/** 150.000 ₫ paid by card (Stripe without Connect: the platform holds it). */
async function paidByCard() {
  const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "stripe", priceDong: 50_000, qty: 3 }]);
  const { attempt } = await createAttempt(db, {
    checkoutCode: placed.checkoutCode,
    provider: "stripe",
    expiresAt: later(60),
    stripeConnect: false,
  });
  const session = `cs_test_${attempt.id.slice(0, 8)}`;
  await markAttemptStarted(db, { attemptId: attempt.id, providerRef: session });
  const paymentIntent = `pi_${attempt.id.slice(0, 8)}`;
  await applyNotification(db, notification("stripe", session, { amountDong: 150_000, transactionRef: paymentIntent }));
  return { order: placed.orders[0], attemptId: attempt.id, paymentIntent };
}

/** 150.000 ₫ paid through VNPay, the double knowing the transaction (as after a real payment). */
async function paidByVnpay() {
  const placed = await placeWith(db, [{ stallId: farm.stall.id, method: "vnpay", priceDong: 50_000, qty: 3 }]);
  const { attempt } = await createAttempt(db, {
    checkoutCode: placed.checkoutCode,
    provider: "vnpay",
    expiresAt: later(15),
  });
  const txnRef = attempt.id.replaceAll("-", "").slice(0, 20);
  await markAttemptStarted(db, { attemptId: attempt.id, providerRef: txnRef });
  vnpayDouble.transactions.set(txnRef, {
    txnRef,
    amount: String(150_000 * 100),
    orderInfo: "Thanh toan don",
    transactionNo: "14000001",
    responseCode: "00",
    transactionStatus: "00",
    payDate: "20260601120000",
    refundedAmount: 0,
  });
  await applyNotification(db, notification("vnpay", txnRef, { amountDong: 150_000, transactionRef: "14000001" }));
  return { order: placed.orders[0], txnRef };
}

const refundReply = refundsReply();

// ---------------------------------------------------------------- "Đã nhận tiền"

describe("/seller/orders/:code money received", () => {
  it("shows an unpaid VietQR order with its total and the button", async () => {
    const order = await vietqrOrder();
    const res = await page(order.code);
    expect(res.data.money).toMatchObject({
      paymentStatus: "unpaid",
      totalDong: 150_000,
      canMarkReceived: true,
      canRefund: false,
    });
  });

  it.each([
    ["100.000", "Số tiền không khớp với tổng tiền của đơn (150.000"],
    ["150.001", "Số tiền không khớp với tổng tiền của đơn (150.000"],
  ])("refuses %s: not the total, and says the total", async (amount, message) => {
    const order = await vietqrOrder();
    const res = await post(order.code, { intent: "received", amount });
    expect(res.status).toBe(400);
    expect(res.data.error).toContain(message);
    expect(res.data.values).toEqual({ amount });
    expect((await orderRow(db, order.id)).paymentStatus).toBe("unpaid");
    expect(await paymentEventCount(order.id)).toBe(0);
  });

  it.each(["-150000", "150000.5", "150.000,5", "1e5", "abc", "", "=150000"])(
    "refuses the amount %j as not a number of đồng",
    async (amount) => {
      const order = await vietqrOrder();
      const res = await post(order.code, { intent: "received", amount });
      expect(res.status).toBe(400);
      expect(res.data.errors?.amount).toMatch(/^Vui lòng nhập số tiền$|^Số tiền phải là số đồng nguyên/);
      expect((await orderRow(db, order.id)).paymentStatus).toBe("unpaid");
    },
  );

  it("records the total once; pressing again changes nothing", async () => {
    const order = await vietqrOrder();
    const first = await post(order.code, { intent: "received", amount: "150.000" });
    expect(first).toMatchObject({ status: 302, location: `/seller/orders/${order.code}` });
    expect(await orderRow(db, order.id)).toMatchObject({ paymentStatus: "paid" });
    expect(await paymentRows(db, order.id)).toEqual([
      { paymentStatus: "paid", amountDong: 150_000, actorRole: "farmer", fromStatus: "placed", toStatus: "placed" },
    ]);
    const second = await post(order.code, { intent: "received", amount: "150000" });
    expect(second.status).toBe(302);
    expect(await paymentEventCount(order.id)).toBe(1);
    expect((await page(order.code)).data.money).toMatchObject({ paymentStatus: "paid", canMarkReceived: false });
  });

  it("answers another farmer's order with 404 and changes nothing", async () => {
    const order = await vietqrOrder();
    expect((await page(order.code, rivalFarmer)).status).toBe(404);
    const res = await post(order.code, { intent: "received", amount: "150.000" }, rivalFarmer);
    expect(res.status).toBe(404);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("unpaid");
  });
});

// ---------------------------------------------------------------- refunds

describe("/seller/orders/:code refunds", () => {
  beforeEach(() => use({ stripe: stripeProvider(false) }));

  it("refunds part of a card payment through Stripe, with the order's key, then the rest", async () => {
    stripeApi.reply("POST /v1/refunds", refundReply);
    const { order, attemptId, paymentIntent } = await paidByCard();
    expect((await page(order.code)).data.money).toMatchObject({
      paymentStatus: "paid",
      paidDong: 150_000,
      refundableDong: 150_000,
      canRefund: true,
      refundsAtProvider: true,
      canMarkReceived: false,
    });

    const part = await post(order.code, { intent: "refund", amount: "50.000", reason: "Thiếu 1 kg" });
    expect(part).toMatchObject({ status: 302, location: `/seller/orders/${order.code}` });
    expect(seen.map((r) => [r.method, r.path])).toEqual([["POST", "/v1/refunds"]]);
    expect(seen[0].headers["idempotency-key"]).toBe(`refund:${attemptId}:1`);
    expect(Object.fromEntries(seen[0].form)).toMatchObject({ payment_intent: paymentIntent, amount: "50000" });
    expect((await page(order.code)).data.money).toMatchObject({
      paymentStatus: "partially_refunded",
      refundedDong: 50_000,
      refundableDong: 100_000,
    });

    const rest = await post(order.code, { intent: "refund", amount: "100000", reason: "Hết hàng" });
    expect(rest.status).toBe(302);
    expect(seen[1].headers["idempotency-key"]).toBe(`refund:${attemptId}:2`);
    expect((await page(order.code)).data.money).toMatchObject({ paymentStatus: "refunded", canRefund: false });
    expect((await paymentRows(db, order.id)).map((r) => [r.paymentStatus, r.amountDong])).toEqual([
      ["paid", 150_000],
      ["partially_refunded", 50_000],
      ["refunded", 100_000],
    ]);
  });

  it("refuses more than is left, no reason, or a tampered amount, without asking Stripe", async () => {
    stripeApi.reply("POST /v1/refunds", refundReply);
    const { order } = await paidByCard();
    const over = await post(order.code, { intent: "refund", amount: "150.001", reason: "Thừa" });
    expect(over.status).toBe(400);
    expect(over.data.error).toContain("Số tiền hoàn vượt quá số còn có thể hoàn (150.000");
    const noReason = await post(order.code, { intent: "refund", amount: "10.000", reason: "  " });
    expect(noReason.status).toBe(400);
    expect(noReason.data.errors).toEqual({ reason: "Vui lòng ghi lý do hoàn tiền để người mua được biết" });
    for (const amount of ["-10000", "0", "10000.5", "1e4"]) {
      const bad = await post(order.code, { intent: "refund", amount, reason: "Thử" });
      expect(bad.status, amount).toBe(400);
      expect(bad.data.errors?.amount, amount).toBeDefined();
    }
    expect(seen).toEqual([]);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("paid");
  });

  it("books nothing when Stripe refuses, and the amount can be asked again", async () => {
    stripeApi.reply("POST /v1/refunds", () => stripeError(400, "invalid_request_error", "Charge has been disputed"));
    const { order, attemptId } = await paidByCard();
    const res = await post(order.code, { intent: "refund", amount: "150.000", reason: "Hết hàng" });
    expect(res.status).toBe(502);
    expect(res.data.error).toBe("Cổng thanh toán từ chối hoàn tiền. Chưa có gì thay đổi, vui lòng thử lại sau");
    expect((await orderRow(db, order.id)).paymentStatus).toBe("paid");
    const refunds = await db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, attemptId));
    expect(refunds.map((r) => r.status)).toEqual(["failed"]);
    expect((await page(order.code)).data.money.refundableDong).toBe(150_000);
  });

  it("answers a tampered order code, or the farmer's own stall with another's order, with 404", async () => {
    stripeApi.reply("POST /v1/refunds", refundReply);
    const { order } = await paidByCard();
    const forged = order.code.slice(0, 7) + (order.code[7] === "Z" ? "Y" : "Z");
    for (const code of [forged, "ZZZZ-ZZZ", "../orders", `${order.code}'--`]) {
      const res = await post(code, { intent: "refund", amount: "150.000", reason: "x" });
      expect(res.status, code).toBe(404);
    }
    // The domain function asked directly with the rival's stall: not found, whatever the code.
    await expect(
      refundOrder(db, {
        orderCode: order.code,
        stallId: rival.stall.id,
        amountDong: 150_000,
        reason: "x",
        actor: { role: "farmer", userId: rival.user.id },
      }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(seen).toEqual([]);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("paid");
  });

  it("answers another farmer with 404 and asks Stripe nothing", async () => {
    stripeApi.reply("POST /v1/refunds", refundReply);
    const { order } = await paidByCard();
    const res = await post(order.code, { intent: "refund", amount: "150.000", reason: "x" }, rivalFarmer);
    expect(res.status).toBe(404);
    expect(seen).toEqual([]);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("paid");
  });
});

// ---------------------------------------------------------------- cancelling a paid order

describe("/seller/orders/:code cancelling a paid order", () => {
  it("refunds what is left of a card payment, then cancels", async () => {
    use({ stripe: stripeProvider(false) });
    stripeApi.reply("POST /v1/refunds", refundReply);
    const { order } = await paidByCard();
    await post(order.code, { intent: "refund", amount: "20.000", reason: "Giảm giá" });
    const res = await post(order.code, { intent: "advance", to: "cancelled", reason: "Mưa đá, mất mùa" });
    expect(res).toMatchObject({ status: 302, location: `/seller/orders/${order.code}` });
    expect(seen.map((r) => r.form.get("amount"))).toEqual(["20000", "130000"]);
    expect(await orderRow(db, order.id)).toMatchObject({
      status: "cancelled",
      paymentStatus: "refunded",
      cancelReason: "Mưa đá, mất mùa",
    });
  });

  it("refuses a cancellation without a reason before any money moves", async () => {
    use({ stripe: stripeProvider(false) });
    stripeApi.reply("POST /v1/refunds", refundReply);
    const { order } = await paidByCard();
    const res = await post(order.code, { intent: "advance", to: "cancelled", reason: " " });
    expect(res.status).toBe(400);
    expect(res.data.error).toBe("Vui lòng ghi lý do hủy đơn để người mua được biết");
    expect(seen).toEqual([]);
    expect(await orderRow(db, order.id)).toMatchObject({ status: "placed", paymentStatus: "paid" });
  });

  it("keeps the order when the provider refuses the refund", async () => {
    use({ stripe: stripeProvider(false) });
    stripeApi.reply("POST /v1/refunds", () => stripeError(500, "api_error", "down"));
    const { order } = await paidByCard();
    const res = await post(order.code, { intent: "advance", to: "cancelled", reason: "Hết hàng" });
    expect(res.status).toBe(502);
    expect(await orderRow(db, order.id)).toMatchObject({ status: "placed", paymentStatus: "paid" });
  });

  it("refunds a VNPay payment through VNPay's API when cancelling", async () => {
    use({ vnpay: vnpayProvider() });
    const { order, txnRef } = await paidByVnpay();
    const before = vnpayDouble.apiRequests.length;
    const res = await post(order.code, { intent: "advance", to: "cancelled", reason: "Hết hàng" });
    expect(res.status).toBe(302);
    const asked = vnpayDouble.apiRequests.slice(before);
    expect(asked).toEqual([
      expect.objectContaining({
        vnp_Command: "refund",
        vnp_TxnRef: txnRef,
        vnp_Amount: String(150_000 * 100),
        vnp_TransactionType: "02",
      }),
    ]);
    expect(vnpayDouble.transactions.get(txnRef)?.refundedAmount).toBe(150_000 * 100);
    expect(await orderRow(db, order.id)).toMatchObject({ status: "cancelled", paymentStatus: "refunded" });
  });

  it("asks the farmer to give VietQR money back first, records that by hand, then cancels", async () => {
    const order = await vietqrOrder();
    await markPaidByFarmer(db, {
      order: { orderId: order.id },
      stallId: farm.stall.id,
      actor: { role: "farmer", userId: farm.user.id },
      amountDong: 150_000,
    });
    const refused = await post(order.code, { intent: "advance", to: "cancelled", reason: "Hết hàng" });
    expect(refused.status).toBe(400);
    expect(refused.data.error).toContain("Bạn đang giữ 150.000");
    expect(await orderRow(db, order.id)).toMatchObject({ status: "placed", paymentStatus: "paid" });

    expect((await page(order.code)).data.money).toMatchObject({ canRefund: true, refundsAtProvider: false });
    const byHand = await post(order.code, { intent: "refund", amount: "150.000", reason: "Đã chuyển trả" });
    expect(byHand.status).toBe(302);
    expect(seen).toEqual([]);
    expect((await orderRow(db, order.id)).paymentStatus).toBe("refunded");
    const cancelled = await post(order.code, { intent: "advance", to: "cancelled", reason: "Hết hàng" });
    expect(cancelled.status).toBe(302);
    expect((await orderRow(db, order.id)).status).toBe("cancelled");
  });
});

// ---------------------------------------------------------------- the payment step

describe("/setup/payment online methods", () => {
  const save = (form: Record<string, string>, cookie: string) =>
    call<{ errors?: Record<string, string> }>(paymentAction, "/setup/payment", { cookies: [cookie], form });
  const stallOf = async (id: string) => (await db.select().from(stalls).where(eq(stalls.id, id)))[0];

  it("offers neither VNPay nor cards where the deployment has neither, and ignores them if posted", async () => {
    const { user, stall } = await createSellingStall(db);
    const cookie = await signedIn(user.id);
    const loaded = await call<{ available: unknown; connect: string }>(paymentLoader, "/setup/payment", {
      cookies: [cookie],
    });
    expect(loaded.data).toMatchObject({ available: { vnpay: false, stripe: false }, connect: "off" });
    const refused = await save({ vnpay: "on", stripe: "on", intent: "save" }, cookie);
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual({ methods: "Vui lòng chọn ít nhất một cách nhận tiền" });
    expect(await stallOf(stall.id)).toMatchObject({ codEnabled: true, vnpayEnabled: false, stripeEnabled: false });
  });

  it("saves VNPay where the deployment has it, and publishing counts it only there", async () => {
    const { user, household, stall } = await createSellingStall(db);
    const cookie = await signedIn(user.id);
    const vnpay = vnpayProvider();
    use({ vnpay });
    const loaded = await call<{ available: unknown }>(paymentLoader, "/setup/payment", { cookies: [cookie] });
    expect(loaded.data.available).toEqual({ vnpay: true, stripe: false });
    const saved = await save({ vnpay: "on", stripe: "on", intent: "save" }, cookie);
    expect(saved.status).toBe(302);
    const row = await stallOf(stall.id);
    expect(row).toMatchObject({ codEnabled: false, vietqrEnabled: false, vnpayEnabled: true, stripeEnabled: false });
    expect(offeredPaymentMethods(row)).toEqual(["vnpay"]);
    expect(await publishProblems(db, { household, stall: row })).not.toContain("payment");
    // The same stall where VNPay is not configured: no way to be paid.
    expect(await publishProblems(db, { household, stall: row, providers: { vnpay: null, stripe: null } })).toContain(
      "payment",
    );
  });
});

describe("/setup/payment Stripe Connect", () => {
  const accountReply = (): StripeApiReply => ({
    json: {
      id: "acct_1GhsFarm",
      object: "account",
      charges_enabled: false,
      payouts_enabled: false,
      details_submitted: false,
    },
  });
  let links = 0;
  const linkReply = (): StripeApiReply => ({
    json: {
      object: "account_link",
      created: Math.floor(Date.now() / 1000),
      expires_at: Math.floor(Date.now() / 1000) + 300,
      url: `https://connect.stripe.com/setup/e/acct_1GhsFarm/link${++links}`,
    },
  });

  it("shows nothing about accounts without Connect", async () => {
    use({ stripe: stripeProvider(false) });
    const { user, stall } = await createSellingStall(db);
    const cookie = await signedIn(user.id);
    const loaded = await call<{ connect: string; available: unknown }>(paymentLoader, "/setup/payment?stripe=return", {
      cookies: [cookie],
    });
    expect(loaded.data).toMatchObject({ connect: "off", available: { vnpay: false, stripe: true } });
    // A forged "connect" is an ordinary save: cards on, no account.
    const res = await call(paymentAction, "/setup/payment", {
      cookies: [cookie],
      form: { cod: "on", stripe: "on", intent: "stripe-connect" },
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe("/seller");
    expect(seen).toEqual([]);
    expect((await call(refreshLoader, "/setup/payment/stripe", { cookies: [cookie] })).status).toBe(404);
    expect((await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0]).toMatchObject({
      stripeEnabled: true,
      stripeAccountId: null,
    });
  });

  it("creates the Express account once, sends the farmer to Stripe, and offers cards once Stripe says so", async () => {
    use({ stripe: stripeProvider(true) });
    stripeApi.reply("POST /v1/accounts", accountReply);
    stripeApi.reply("POST /v1/account_links", linkReply);
    // A farmer in the wizard, whose stall is not open yet, who wants cards only.
    const { user, household, stall } = await createSellingStall(db, {
      codEnabled: false,
      status: "draft",
      publishedAt: null,
    });
    const cookie = await signedIn(user.id);
    expect((await call<{ connect: string }>(paymentLoader, "/setup/payment", { cookies: [cookie] })).data.connect).toBe(
      "none",
    );

    const connect = () =>
      call(paymentAction, "/setup/payment", { cookies: [cookie], form: { intent: "stripe-connect" } });
    const first = await connect();
    expect(first.status).toBe(302);
    expect(first.location).toBe("https://connect.stripe.com/setup/e/acct_1GhsFarm/link1");
    expect(seen.map((r) => r.path)).toEqual(["/v1/accounts", "/v1/account_links"]);
    expect(seen[0].headers["idempotency-key"]).toBe(`account:${stall.id}`);
    expect(Object.fromEntries(seen[0].form)).toMatchObject({
      country: "SG",
      "controller[stripe_dashboard][type]": "express",
      "metadata[stallId]": stall.id,
    });
    expect(Object.fromEntries(seen[1].form)).toEqual({
      account: "acct_1GhsFarm",
      type: "account_onboarding",
      refresh_url: "http://localhost/setup/payment/stripe",
      return_url: "http://localhost/setup/payment?stripe=return",
    });
    let row = (await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0];
    expect(row).toMatchObject({ stripeAccountId: "acct_1GhsFarm", stripeEnabled: true, stripeChargesEnabled: false });
    // Not ready yet: no way for buyers to pay, so not publishable.
    expect(offeredPaymentMethods(row)).toEqual([]);
    expect(await publishProblems(db, { household, stall: row })).toContain("payment");

    const back = await call<{ connect: string; returnedFromStripe: boolean }>(
      paymentLoader,
      "/setup/payment?stripe=return",
      { cookies: [cookie] },
    );
    expect(back.data).toMatchObject({ connect: "pending", returnedFromStripe: true });

    // Again (the farmer left onboarding half way): the same account, a new link.
    seen.length = 0;
    expect((await connect()).location).toBe("https://connect.stripe.com/setup/e/acct_1GhsFarm/link2");
    expect(seen.map((r) => r.path)).toEqual(["/v1/account_links"]);
    // Stripe's refresh_url: a fresh link, nothing else.
    seen.length = 0;
    const refreshed = await call(refreshLoader, "/setup/payment/stripe", { cookies: [cookie] });
    expect(refreshed).toMatchObject({
      status: 302,
      location: "https://connect.stripe.com/setup/e/acct_1GhsFarm/link3",
    });
    expect(seen.map((r) => r.path)).toEqual(["/v1/account_links"]);

    // Stripe says the account may take charges.
    const updated = await applyNotification(db, {
      ...notification("stripe", "acct_1GhsFarm", { outcome: "ignored", amountDong: 0, currency: "" }),
      account: {
        id: "acct_1GhsFarm",
        chargesEnabled: true,
        payoutsEnabled: true,
        detailsSubmitted: true,
        updatedAt: new Date(),
      },
    });
    expect(updated).toEqual({ result: "account_updated", stallId: stall.id });
    expect((await call<{ connect: string }>(paymentLoader, "/setup/payment", { cookies: [cookie] })).data.connect).toBe(
      "ready",
    );
    row = (await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0];
    expect(offeredPaymentMethods(row)).toEqual(["stripe"]);
    expect(await publishProblems(db, { household, stall: row })).not.toContain("payment");
  });

  it("refuses to leave an open stall with no way to pay while its card account is not ready", async () => {
    use({ stripe: stripeProvider(true) });
    stripeApi.reply("POST /v1/accounts", () => ({ json: { ...(accountReply().json as object), id: "acct_1GhsOpen" } }));
    stripeApi.reply("POST /v1/account_links", linkReply);
    const { user, stall } = await createSellingStall(db);
    const cookie = await signedIn(user.id);
    const before = (await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0];
    const cardsOnly: Record<string, string>[] = [{ intent: "stripe-connect" }, { stripe: "on", intent: "save" }];
    for (const form of cardsOnly) {
      const refused = await call<{ errors?: Record<string, string> }>(paymentAction, "/setup/payment", {
        cookies: [cookie],
        form,
      });
      expect(refused.status).toBe(400);
      expect(refused.data.errors?.methods).toBe(
        "Gian hàng đang mở bán: hãy giữ ít nhất một cách người mua trả được ngay (tiền mặt hoặc VietQR) cho đến khi tài khoản nhận thẻ sẵn sàng.",
      );
      expect((await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0]).toEqual(before);
    }
    expect(seen).toEqual([]);
    // Keeping cash on delivery while the account is set up is fine.
    const kept = await call(paymentAction, "/setup/payment", {
      cookies: [cookie],
      form: { cod: "on", intent: "stripe-connect" },
    });
    expect(kept.status).toBe(302);
    expect(kept.location).toMatch(/^https:\/\/connect\.stripe\.com\//);
    const row = (await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0];
    expect(offeredPaymentMethods(row)).toEqual(["cod"]);
  });

  it("keeps the settings and says so when Stripe cannot be reached", async () => {
    use({ stripe: stripeProvider(true) });
    stripeApi.reply("POST /v1/accounts", () => stripeError(500, "api_error", "down"));
    const { user, stall } = await createSellingStall(db);
    const cookie = await signedIn(user.id);
    const res = await call<{ errors?: Record<string, string> }>(paymentAction, "/setup/payment", {
      cookies: [cookie],
      form: { cod: "on", intent: "stripe-connect" },
    });
    expect(res.status).toBe(502);
    expect(res.data.errors?.methods).toBe(
      "Chưa kết nối được với Stripe. Cài đặt đã được lưu; vui lòng thử lại sau ít phút",
    );
    expect((await db.select().from(stalls).where(eq(stalls.id, stall.id)))[0]).toMatchObject({
      stripeEnabled: true,
      stripeAccountId: null,
    });
  });
});

// ---------------------------------------------------------------- statement upload

describe("/seller/payments/import", () => {
  type ImportAnswer = {
    ok: boolean;
    error?: string;
    matched?: { orderCode?: string; outcome: string }[];
    unmatched?: { orderCode?: string; outcome: string }[];
  };
  const upload = (bytes: Uint8Array | null, cookie = farmer, name = "saoke.csv") => {
    const form = new FormData();
    if (bytes) form.append("statement", new Blob([new Uint8Array(bytes)], { type: "text/csv" }), name);
    return call<ImportAnswer>(importAction, "/seller/payments/import", { cookies: [cookie], form });
  };
  const csv = (rows: string[]) =>
    new Uint8Array(Buffer.from(`\ufeffNgày giao dịch,Số tiền ghi có,Số tiền ghi nợ,Mô tả\r\n${rows.join("\r\n")}`));

  it("sends an anonymous visitor to log in", async () => {
    const res = await call(importLoader, "/seller/payments/import");
    expect(res.status).toBe(302);
    expect(res.location).toMatch(/^\/login/);
  });

  it("marks this stall's orders paid from the statement and lists the others", async () => {
    const mine = await vietqrOrder();
    const theirs = (await placeWith(db, [{ stallId: rival.stall.id, method: "vietqr", priceDong: 50_000, qty: 3 }]))
      .orders[0];
    const file = csv([
      `01/06/2026,"150,000",,MBVCB.1.${formatCode(mine.code)}.CT`,
      `01/06/2026,"150,000",,CK ${theirs.code}`,
    ]);
    const res = await upload(file);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      ok: true,
      matched: [{ orderCode: mine.code, outcome: "matched" }],
      unmatched: [{ outcome: "no_code" }],
    });
    expect(res.data.unmatched?.[0].orderCode).toBeUndefined();
    expect((await orderRow(db, mine.id)).paymentStatus).toBe("paid");
    expect((await orderRow(db, theirs.id)).paymentStatus).toBe("unpaid");

    // The rival uploading the same file does not pay the farmer's order, nor learn about it.
    const rivalRes = await upload(file, rivalFarmer);
    expect(rivalRes.data.matched?.map((l) => l.orderCode)).toEqual([theirs.code]);
    expect(rivalRes.data.unmatched).toEqual([expect.objectContaining({ outcome: "no_code" })]);
    expect(rivalRes.data.unmatched?.[0].orderCode).toBeUndefined();
  });

  it("refuses an oversized, empty, non-CSV or missing file with a clear message", async () => {
    const order = await vietqrOrder();
    const big = new Uint8Array(2 * 1024 * 1024 + 1).fill(0x41);
    const tooBig = await upload(big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.data.error).toBe("Tệp quá lớn (tối đa 2 MB). Hãy tải sao kê của khoảng thời gian ngắn hơn");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    expect((await upload(png, farmer, "anh.png")).data.error).toBe(
      "Tệp này không phải tệp CSV. Hãy tải sao kê dạng CSV từ ứng dụng ngân hàng",
    );
    expect((await upload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]), farmer, "saoke.xlsx")).data.error).toBe(
      "Đây là tệp Excel. Hãy mở trong Excel và lưu lại dưới dạng CSV rồi tải lên",
    );
    expect((await upload(null)).data.error).toBe("Vui lòng chọn tệp sao kê");
    const notMultipart = await call<ImportAnswer>(importAction, "/seller/payments/import", {
      cookies: [farmer],
      form: { statement: `01/06/2026,150000,,${order.code}` },
    });
    expect(notMultipart.status).toBe(400);
    expect(notMultipart.data.error).toBe("Vui lòng chọn tệp sao kê");
    expect((await orderRow(db, order.id)).paymentStatus).toBe("unpaid");
  });
});
