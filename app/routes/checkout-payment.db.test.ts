/**
 * Paying at checkout, through the real /checkout and /orders/:orderCode route
 * modules: each stall offers only its own methods (and the deployment's
 * providers), a tampered method places nothing, VNPay's limits hold, a VietQR
 * order's page shows a QR that pays the farmer's account the exact total with
 * the order code as memo (and the public pages never show that account), a
 * provider that is down leaves the orders placed with "pay again", and paying
 * again returns to the open attempt until it expires, then makes a new one.
 */
import { count, eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { checkouts, orders, paymentAttemptOrders, paymentAttempts } from "#db/schema";
import { startStripeApi, stripeError } from "../../tests/doubles/stripe-api";
import { decodeQrSvg } from "#tests/harness/qr";
import { action as orderAction, loader as orderLoader } from "./orders.$orderCode";
import { loader as stallLoader } from "./s.$stallSlug";
import { loader as productLoader } from "./s.$stallSlug_.$productSlug";
import { call, cartWith } from "#tests/harness/routes";
import { BANK, createActiveListing, createSellingStall, VIETQR_STALL } from "#tests/fixtures/orders";
import { checkout, checkoutPage, landing, orderPage, payAgain } from "#tests/harness/pay";
import { setPaymentProviders, type PaymentProviders } from "~/payments/core/providers.server";
import { createStripeProvider } from "~/payments/stripe/provider.server";
import { parseVietQr } from "~/payments/vietqr/payload";
import { createVnpayProvider } from "~/payments/vnpay/provider.server";
import { attemptsOfOrder } from "#tests/fixtures/payments";
import { db } from "~/utils/db.server";

const VNPAY_PAY_URL = "http://127.0.0.1:9/paymentv2/vpcpay.html";

// A stand-in for api.stripe.com that is down until a test says otherwise.
const stripeApi = await startStripeApi({ secretKey: "sk_test_checkout", webhookSecrets: ["whsec_checkout"] });
const stripeDown = () =>
  stripeApi.reply("POST /v1/checkout/sessions", () => stripeError(503, "api_error", "Service unavailable"));
const stripeUp = () =>
  stripeApi.reply("POST /v1/checkout/sessions", () => ({
    json: {
      id: `cs_test_${Date.now()}`,
      object: "checkout.session",
      url: "https://checkout.stripe.test/c/pay/cs_test",
      expires_at: Math.floor(Date.now() / 1000) + 3600,
      livemode: false,
    },
  }));
stripeDown();

const providers: PaymentProviders = {
  vnpay: createVnpayProvider({
    tmnCode: "GHSTEST1",
    hashSecret: "CHECKOUT-TEST-SECRET",
    payUrl: VNPAY_PAY_URL,
    apiUrl: "http://127.0.0.1:9/api",
  }),
  stripe: createStripeProvider(stripeApi.config()),
};
setPaymentProviders(providers);
afterEach(() => {
  setPaymentProviders(providers);
  stripeDown();
});
afterAll(async () => {
  setPaymentProviders(undefined);
  await stripeApi.close();
});

const qrStall = await createSellingStall(db, { name: "Vườn vải bác Thịnh", ...VIETQR_STALL });
const codStall = await createSellingStall(db, { name: "Cà rốt chị Hằng" });
const onlineStall = await createSellingStall(db, {
  name: "Gạo nếp cái hoa vàng",
  codEnabled: false,
  vnpayEnabled: true,
  stripeEnabled: true,
});

const orderCount = async () => (await db.select({ n: count() }).from(orders))[0].n;
const attemptsOf = (orderId: string) => attemptsOfOrder(db, orderId);
const orderByCode = async (code: string) => (await db.select().from(orders).where(eq(orders.code, code)))[0];

describe("checkout's payment choices", () => {
  it("offers each stall only the methods it takes here, cash on delivery first", async () => {
    const [a, b, c] = await Promise.all([
      createActiveListing(db, qrStall.stall.id),
      createActiveListing(db, codStall.stall.id),
      createActiveListing(db, onlineStall.stall.id),
    ]);
    const cookie = await cartWith([
      { id: a.id, qty: 1 },
      { id: b.id, qty: 1 },
      { id: c.id, qty: 1 },
    ]);
    expect((await checkoutPage(cookie)).payments).toEqual({
      [qrStall.stall.id]: ["cod", "vietqr"],
      [codStall.stall.id]: ["cod"],
      [onlineStall.stall.id]: ["vnpay", "stripe"],
    });

    // A deployment without VNPay and Stripe: the stall that only takes them cannot be ordered from.
    setPaymentProviders({ vnpay: null, stripe: null });
    expect((await checkoutPage(cookie)).payments[onlineStall.stall.id]).toEqual([]);
    const before = await orderCount();
    const refused = await checkout(cookie, { [onlineStall.stall.id]: "vnpay" });
    expect(refused.status).toBe(400);
    expect(refused.data?.paymentStallIds).toEqual([onlineStall.stall.id]);
    expect(await orderCount()).toBe(before);
  });

  for (const tampered of ["vietqr", "vnpay", "stripe", "bitcoin", ""]) {
    it(`refuses "${tampered}" for a cash-only stall with a Vietnamese message, and places nothing`, async () => {
      const listing = await createActiveListing(db, codStall.stall.id, { stockQty: 10 });
      const cookie = await cartWith([{ id: listing.id, qty: 2 }]);
      const before = await orderCount();
      const res = await checkout(cookie, { [codStall.stall.id]: tampered });
      expect(res.status).toBe(400);
      expect(res.data?.message).toBe("Gian hàng không nhận cách thanh toán đã chọn");
      expect(res.data?.paymentStallIds).toEqual([codStall.stall.id]);
      expect(await orderCount()).toBe(before);
      // Nothing taken from the stock, the cart kept.
      expect((await checkoutPage(cookie)).view.stalls[0].lines[0]).toMatchObject({ listingId: listing.id, qty: 2 });
    });
  }

  it("refuses VNPay for less than VNPay takes (5.000 ₫), naming the limits", async () => {
    const cheap = await createActiveListing(db, onlineStall.stall.id, { priceDong: 2_000 });
    const cookie = await cartWith([{ id: cheap.id, qty: 1 }]);
    const before = await orderCount();
    const res = await checkout(cookie, { [onlineStall.stall.id]: "vnpay" });
    expect(res.status).toBe(400);
    expect(res.data?.message).toContain("5.000");
    expect(await orderCount()).toBe(before);
  });

  it("places cash on delivery when the form sends no choice (the radio's default)", async () => {
    const listing = await createActiveListing(db, qrStall.stall.id);
    const cookie = await cartWith([{ id: listing.id, qty: 1 }]);
    const res = await checkout(cookie, {});
    expect(res.status).toBe(302);
    const { order } = landing(res.headers.get("Location"));
    expect((await orderByCode(order!)).paymentMethod).toBe("cod");
  });
});

describe("a VietQR order", () => {
  it("lands on its order page with a QR that pays the farmer's account the exact total, memo the order code", async () => {
    const lychee = await createActiveListing(db, qrStall.stall.id, { priceDong: 45_000, stockQty: 20 });
    const cookie = await cartWith([{ id: lychee.id, qty: 3 }]);
    const res = await checkout(cookie, { [qrStall.stall.id]: "vietqr" });
    expect(res.status).toBe(302);
    const { order: code, checkoutCode } = landing(res.headers.get("Location"));
    expect(code).toBeTruthy();
    const order = await orderByCode(code!);
    expect(order).toMatchObject({ paymentMethod: "vietqr", totalDong: 135_000, paymentStatus: "pending" });
    // Its attempt: VietQR, pending at once, the order's total, collected by the farmer.
    expect(await attemptsOf(order.id)).toMatchObject([
      { provider: "vietqr", status: "pending", amountDong: 135_000, collectedBy: "farmer" },
    ]);

    const page = await orderPage(code!, checkoutCode!);
    expect(page.data.locked).toBe(false);
    const qr = page.data.payment!.vietqr!;
    expect(qr).toMatchObject({
      bankName: "Vietcombank",
      accountNumber: BANK.bankAccountNumber,
      accountName: BANK.bankAccountName,
      amountDong: 135_000,
      memo: code,
    });
    // What a phone camera reads off the page.
    const decoded = await decodeQrSvg(qr.svg);
    expect(decoded).toBeTruthy();
    expect(parseVietQr(decoded!)).toMatchObject({
      bin: BANK.bankBin,
      accountNumber: BANK.bankAccountNumber,
      amountDong: 135_000,
      memo: code,
      dynamic: true,
    });
    expect(page.data.payment).toMatchObject({ method: "vietqr", status: "pending", pay: null });
  });

  it("shows the bank account only to whoever may read the order: never locked, never on the stall's public pages", async () => {
    const lychee = await createActiveListing(db, qrStall.stall.id, { title: "Vải thiều sớm", priceDong: 50_000 });
    const cookie = await cartWith([{ id: lychee.id, qty: 1 }]);
    const { order: code } = landing((await checkout(cookie, { [qrStall.stall.id]: "vietqr" })).headers.get("Location"));

    const locked = await call(orderLoader, `/orders/${code}`, { params: { orderCode: code! } });
    expect(locked.data).toMatchObject({ locked: true });
    expect(JSON.stringify(locked.data)).not.toContain(BANK.bankAccountNumber);

    const stallPage = await stallLoader({
      request: new Request(`http://localhost/s/${qrStall.stall.slug}`),
      params: { stallSlug: qrStall.stall.slug },
      context: {},
    });
    const stallJson = JSON.stringify(stallPage);
    expect(stallJson).toContain("Vải thiều sớm");
    expect(stallJson).not.toContain(BANK.bankAccountNumber);
    expect(stallJson).not.toContain(BANK.bankAccountName);

    const productPage = await productLoader({
      request: new Request(`http://localhost/s/${qrStall.stall.slug}/${lychee.slug}`),
      params: { stallSlug: qrStall.stall.slug, productSlug: lychee.slug },
      context: {},
    });
    const productJson = JSON.stringify(productPage);
    expect(productJson).toContain("Vải thiều sớm");
    expect(productJson).not.toContain(BANK.bankAccountNumber);
  });

  it("no longer shows the QR once the order is cancelled", async () => {
    const listing = await createActiveListing(db, qrStall.stall.id);
    const cookie = await cartWith([{ id: listing.id, qty: 1 }]);
    const { order: code, checkoutCode } = landing(
      (await checkout(cookie, { [qrStall.stall.id]: "vietqr" })).headers.get("Location"),
    );
    const cancel = await call(orderAction, `/orders/${code}?checkout=${checkoutCode}`, {
      params: { orderCode: code! },
      form: { intent: "cancel", reason: "Đặt nhầm" },
    });
    expect(cancel.status).toBe(302);
    const page = await orderPage(code!, checkoutCode!);
    expect(page.data.payment).toMatchObject({ vietqr: null, pay: null });
  });
});

describe("online payments at checkout", () => {
  it("sends the buyer to VNPay; paying again goes back to the same vnp_TxnRef until it expires, then a new one", async () => {
    const rice = await createActiveListing(db, onlineStall.stall.id, { priceDong: 120_000 });
    const cookie = await cartWith([{ id: rice.id, qty: 1 }]);
    const res = await checkout(cookie, { [onlineStall.stall.id]: "vnpay" });
    expect(res.status).toBe(302);
    const first = new URL(res.headers.get("Location")!);
    expect(`${first.origin}${first.pathname}`).toBe(VNPAY_PAY_URL);
    expect(first.searchParams.get("vnp_Amount")).toBe("12000000");
    const firstRef = first.searchParams.get("vnp_TxnRef")!;

    const [attempt] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.providerRef, firstRef));
    expect(attempt).toMatchObject({
      provider: "vnpay",
      status: "pending",
      amountDong: 120_000,
      redirectUrl: first.href,
    });
    const [{ orderId }] = await db
      .select({ orderId: paymentAttemptOrders.orderId })
      .from(paymentAttemptOrders)
      .where(eq(paymentAttemptOrders.attemptId, attempt.id));
    const order = (await db.select().from(orders).where(eq(orders.id, orderId)))[0];
    const [{ code: checkoutCode }] = await db.select().from(checkouts).where(eq(checkouts.id, order.checkoutId));

    // Someone without the checkout link or the phone cannot start a payment for it.
    const stranger = await call(orderAction, `/orders/${order.code}`, {
      params: { orderCode: order.code },
      form: { intent: "pay" },
    });
    expect(stranger.status).toBe(403);
    expect(await attemptsOf(order.id)).toHaveLength(1);

    const page = await orderPage(order.code, checkoutCode);
    expect(page.data.payment!.pay).toEqual({ again: true, amountDong: 120_000, orderCount: 1 });
    // Ten taps of "Thanh toán lại" while the payment is open: back to the same page at VNPay each time.
    for (let tap = 0; tap < 10; tap++) {
      const again = await payAgain(order.code, checkoutCode);
      expect(again.status).toBe(302);
      expect(again.location).toBe(first.href);
    }
    expect(await attemptsOf(order.id)).toHaveLength(1);

    // Once it has expired, the next tap starts another, with a new vnp_TxnRef.
    await db
      .update(paymentAttempts)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(paymentAttempts.id, attempt.id));
    const again = await payAgain(order.code, checkoutCode);
    expect(again.status).toBe(302);
    const secondRef = new URL(again.location!).searchParams.get("vnp_TxnRef")!;
    expect(secondRef).not.toBe(firstRef);
    const statuses = Object.fromEntries((await attemptsOf(order.id)).map((a) => [a.providerRef, a.status]));
    expect(statuses).toEqual({ [firstRef]: "cancelled", [secondRef]: "pending" });
    expect((await orderByCode(order.code)).paymentStatus).toBe("pending");
  });

  it("keeps the orders placed when Stripe is down, and offers to pay again: never a 500", async () => {
    const rice = await createActiveListing(db, onlineStall.stall.id, { priceDong: 80_000 });
    const cookie = await cartWith([{ id: rice.id, qty: 2 }]);
    const before = await orderCount();
    const res = await checkout(cookie, { [onlineStall.stall.id]: "stripe" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toContain("toast=");
    const { order: code, checkoutCode } = landing(res.headers.get("Location"));
    expect(await orderCount()).toBe(before + 1);
    const order = await orderByCode(code!);
    expect(order).toMatchObject({ status: "placed", paymentMethod: "stripe", paymentStatus: "unpaid" });
    expect(await attemptsOf(order.id)).toMatchObject([{ provider: "stripe", status: "failed" }]);

    const page = await orderPage(code!, checkoutCode!);
    expect(page.data.payment).toMatchObject({
      status: "unpaid",
      lastAttempt: "failed",
      pay: { again: true, amountDong: 160_000, orderCount: 1 },
    });

    // Still down: a clear message, nothing started.
    const down = await payAgain(code!, checkoutCode!);
    expect(down.status).toBe(502);
    expect(down.data.error).toContain("Chưa kết nối được");

    stripeUp();
    const again = await payAgain(code!, checkoutCode!);
    expect(again.status).toBe(302);
    expect(again.location).toBe("https://checkout.stripe.test/c/pay/cs_test");
    const attempts = await attemptsOf(order.id);
    expect(attempts.map((a) => a.status).sort()).toEqual(["failed", "failed", "pending"]);
    expect((await orderByCode(code!)).paymentStatus).toBe("pending");
  });
});
