/**
 * What is left to pay of a checkout, and which payment comes next: real
 * checkouts (placeCheckout) on the test's database, attempts moved by the
 * domain's own functions (the providers are never called).
 */
import { describe, expect, it } from "vitest";
import { checkoutPaymentPlan, nextGroup, returnNext, waitingBesides } from "./checkout-plan.server";
import { createAttempt, markAttemptStarted } from "../core/attempts.server";
import { PaymentError } from "../core/errors";
import { applyNotification } from "../core/notifications.server";
import type { PaymentProviders } from "../core/providers.server";
import { markPaidByFarmer } from "../farmer/money-received.server";
import { createStripeProvider } from "../stripe/provider.server";
import { createVnpayProvider } from "../vnpay/provider.server";
import { notification, placeWith } from "#tests/fixtures/payments";
import { createUser } from "#tests/fixtures/factories";
import { createSellingStall } from "#tests/fixtures/orders";
import { changeOrderStatus } from "~/orders/orders.server";
import { db } from "~/utils/db.server";

/** Both providers exist here; nothing is ever sent to them. */
const PROVIDERS: PaymentProviders = {
  vnpay: createVnpayProvider({
    tmnCode: "PLAN0001",
    hashSecret: "plan-hash-secret",
    payUrl: "http://127.0.0.1:9/pay",
    apiUrl: "http://127.0.0.1:9/api",
  }),
  stripe: createStripeProvider({ secretKey: "sk_test_plan", webhookSecrets: ["whsec_plan"], connect: false }),
};

const cardFarm = await createSellingStall(db, { name: "Cam Cao Phong" });
const vnpayFarm = await createSellingStall(db, { name: "Củ cải Cẩm Giàng" });
const vnpayFarm2 = await createSellingStall(db, { name: "Nhãn lồng Hưng Yên" });
const qrFarm = await createSellingStall(db, { name: "Vải thiều Thanh Hà" });
const cashFarm = await createSellingStall(db, { name: "Gạo nếp cái hoa vàng" });

const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function refusal(promise: Promise<unknown>): Promise<PaymentError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PaymentError);
  return error as PaymentError;
}

/** The checkout's attempt for `provider`, started at the provider (pending), as startOnlinePayment leaves it. */
async function started(checkoutCode: string, provider: "vnpay" | "stripe") {
  const { attempt } = await createAttempt(db, { checkoutCode, provider, expiresAt: later(30) });
  const ref = `${provider}-${attempt.id.slice(0, 8)}`;
  await markAttemptStarted(db, { attemptId: attempt.id, providerRef: ref });
  return { ...attempt, providerRef: ref };
}

/** The provider's verified word that it paid. */
async function paid(checkoutCode: string, provider: "vnpay" | "stripe") {
  const attempt = await started(checkoutCode, provider);
  const result = await applyNotification(
    db,
    notification(provider, attempt.providerRef, { amountDong: attempt.amountDong }),
  );
  expect(result).toMatchObject({ result: "applied" });
  return attempt;
}

/** A card, VNPay (two stalls), VietQR and cash checkout: every kind of payment at once. */
const everyKind = (options?: { buyerUserId?: string }) =>
  placeWith(
    db,
    [
      { stallId: cardFarm.stall.id, method: "stripe", priceDong: 100_000 },
      { stallId: vnpayFarm.stall.id, method: "vnpay", priceDong: 8_000 },
      { stallId: vnpayFarm2.stall.id, method: "vnpay", priceDong: 30_000, qty: 2 },
      { stallId: qrFarm.stall.id, method: "vietqr", priceDong: 160_000 },
      { stallId: cashFarm.stall.id, method: "cod", priceDong: 50_000 },
    ],
    options,
  );

describe("checkoutPaymentPlan", () => {
  it("pays VNPay first, then cards, whatever order the stalls came in; VietQR and cash are no online payment", async () => {
    const placed = await everyKind();
    const plan = await checkoutPaymentPlan(db, { checkoutCode: placed.checkoutCode.toLowerCase() }, PROVIDERS);
    const code = (stallId: string) => placed.byStall(stallId).code;

    expect(plan.checkoutCode).toBe(placed.checkoutCode);
    expect(plan.groups.map((g) => g.provider)).toEqual(["vnpay", "stripe"]);
    const [vnpay, card] = plan.groups;
    // One payment for both VNPay orders: their totals, in the checkout's order (placed time, then code).
    expect(vnpay).toMatchObject({ amountDong: 68_000, pending: false, tried: false, lastAttempt: null });
    expect(vnpay.orders.map((o) => o.code)).toEqual([code(vnpayFarm.stall.id), code(vnpayFarm2.stall.id)].sort());
    expect(card).toMatchObject({
      amountDong: 100_000,
      orders: [{ code: code(cardFarm.stall.id), stallName: "Cam Cao Phong", totalDong: 100_000 }],
    });
    // The VietQR order waits for the buyer's transfer; cash is paid at the door and waits nowhere.
    expect(plan.transfers).toEqual([
      { code: code(qrFarm.stall.id), stallName: "Vải thiều Thanh Hà", totalDong: 160_000 },
    ]);
    expect(plan.orders.map((o) => o.code)).toEqual(placed.orders.map((o) => o.code).sort());
    expect(plan.orders.find((o) => o.code === code(cashFarm.stall.id))).toMatchObject({
      paymentMethod: "cod",
      paymentStatus: "unpaid",
    });

    expect(nextGroup(plan)?.provider).toBe("vnpay");
    expect(nextGroup(plan, "vnpay")?.provider).toBe("stripe");
    expect(nextGroup(plan, "stripe")?.provider).toBe("vnpay");
  });

  it("a cash and VietQR checkout has no online payment to make, and nothing once the transfer came", async () => {
    const placed = await placeWith(db, [
      { stallId: qrFarm.stall.id, method: "vietqr" },
      { stallId: cashFarm.stall.id, method: "cod" },
    ]);
    const plan = await checkoutPaymentPlan(db, { checkoutCode: placed.checkoutCode }, PROVIDERS);
    expect(plan.groups).toEqual([]);
    expect(nextGroup(plan)).toBeNull();
    expect(plan.transfers.map((o) => o.code)).toEqual([placed.byStall(qrFarm.stall.id).code]);

    await markPaidByFarmer(db, {
      order: { orderId: placed.byStall(qrFarm.stall.id).id },
      stallId: qrFarm.stall.id,
      actor: { role: "farmer", userId: qrFarm.user.id },
      amountDong: placed.byStall(qrFarm.stall.id).totalDong,
    });
    expect(await checkoutPaymentPlan(db, { checkoutCode: placed.checkoutCode }, PROVIDERS)).toMatchObject({
      groups: [],
      transfers: [],
    });
  });

  it("a group paid is no longer offered: the next is the other one, then nothing", async () => {
    const placed = await everyKind();
    await paid(placed.checkoutCode, "vnpay");
    const plan = await checkoutPaymentPlan(db, { checkoutCode: placed.checkoutCode }, PROVIDERS);
    expect(plan.groups.map((g) => g.provider)).toEqual(["stripe"]);
    expect(nextGroup(plan)?.provider).toBe("stripe");
    expect(nextGroup(plan, "stripe")).toBeNull();
    expect(plan.orders.filter((o) => o.paymentStatus === "paid").map((o) => o.code)).toEqual(
      [placed.byStall(vnpayFarm.stall.id).code, placed.byStall(vnpayFarm2.stall.id).code].sort(),
    );
  });

  it("a group whose payment failed stays first, says so, and is offered again", async () => {
    const placed = await everyKind();
    const attempt = await started(placed.checkoutCode, "vnpay");
    let plan = await checkoutPaymentPlan(db, { checkoutCode: placed.checkoutCode }, PROVIDERS);
    // Under way: the buyer may have paid at VNPay already.
    expect(plan.groups[0]).toMatchObject({ provider: "vnpay", pending: true, tried: true, lastAttempt: null });

    await applyNotification(
      db,
      notification("vnpay", attempt.providerRef, { outcome: "failed", amountDong: attempt.amountDong }),
    );
    plan = await checkoutPaymentPlan(db, { checkoutCode: placed.checkoutCode }, PROVIDERS);
    expect(plan.groups.map((g) => g.provider)).toEqual(["vnpay", "stripe"]);
    expect(plan.groups[0]).toMatchObject({ amountDong: 68_000, pending: false, tried: true, lastAttempt: "failed" });
    expect(nextGroup(plan)?.provider).toBe("vnpay");
  });

  it("leaves out cancelled orders, and a provider this deployment does not have", async () => {
    const placed = await everyKind();
    await changeOrderStatus(db, {
      order: { orderId: placed.byStall(vnpayFarm2.stall.id).id },
      scope: { system: true },
      to: "cancelled",
      actor: { role: "system" },
      reason: "test",
    });
    const plan = await checkoutPaymentPlan(
      db,
      { checkoutCode: placed.checkoutCode },
      { vnpay: PROVIDERS.vnpay, stripe: null },
    );
    expect(plan.groups).toEqual([
      expect.objectContaining({
        provider: "vnpay",
        amountDong: 8_000,
        orders: [expect.objectContaining({ code: placed.byStall(vnpayFarm.stall.id).code })],
      }),
    ]);
  });

  it("is for the checkout's buyer only: its code, or the account it was placed from", async () => {
    const buyer = await createUser(db, { role: "buyer" });
    const other = await createUser(db, { role: "buyer" });
    const mine = await everyKind({ buyerUserId: buyer.id });
    const guests = await everyKind();
    const checkoutId = mine.orders[0].checkoutId;

    const plan = await checkoutPaymentPlan(db, { checkoutId, userId: buyer.id }, PROVIDERS);
    expect(plan).toMatchObject({ checkoutCode: mine.checkoutCode });
    expect(plan.groups.map((g) => g.provider)).toEqual(["vnpay", "stripe"]);

    // Another buyer's checkout, a guest's, a code or an id that is nobody's: one and the same refusal.
    for (const asked of [
      { checkoutId, userId: other.id },
      { checkoutId: guests.orders[0].checkoutId, userId: buyer.id },
      { checkoutId: "not-a-uuid", userId: buyer.id },
      { checkoutId: "00000000-0000-4000-8000-000000000000", userId: buyer.id },
      { checkoutCode: "ZZZZ-ZZZZ" },
      { checkoutCode: "" },
    ]) {
      expect((await refusal(checkoutPaymentPlan(db, asked, PROVIDERS))).code, JSON.stringify(asked)).toBe("not_found");
      expect((await refusal(waitingBesides(db, asked, mine.orders[0].code, PROVIDERS))).code).toBe("not_found");
    }
  });
});

describe("returnNext", () => {
  it("after the first payment went through: on to the next, its button posting to that group's order page", async () => {
    const placed = await everyKind();
    await paid(placed.checkoutCode, "vnpay");
    const next = await returnNext(
      db,
      { checkoutCode: placed.checkoutCode, provider: "vnpay", settled: true },
      PROVIDERS,
    );
    const card = placed.byStall(cardFarm.stall.id);
    const qr = placed.byStall(qrFarm.stall.id);
    expect(next).toMatchObject({
      checkoutCode: placed.checkoutCode,
      retry: null,
      next: {
        provider: "stripe",
        amountDong: 100_000,
        orders: [{ code: card.code, stallName: "Cam Cao Phong" }],
        action: `/orders/${card.code}?checkout=${placed.checkoutCode}`,
      },
      transfers: [{ code: qr.code, totalDong: 160_000, href: `/orders/${qr.code}?checkout=${placed.checkoutCode}` }],
      done: false,
      cashOnDelivery: true,
    });
    expect(next.orders).toHaveLength(5);
  });

  it("after a payment that did not go through: that one again, or on to the next", async () => {
    const placed = await everyKind();
    const next = await returnNext(
      db,
      { checkoutCode: placed.checkoutCode, provider: "stripe", settled: false },
      PROVIDERS,
    );
    expect(next.retry).toMatchObject({ provider: "stripe", amountDong: 100_000 });
    expect(next.next).toMatchObject({ provider: "vnpay", amountDong: 68_000 });
    expect(next.done).toBe(false);
  });

  it("when every group is paid (or the provider said so and its word is on the way): done, every order linked", async () => {
    const placed = await placeWith(db, [
      { stallId: vnpayFarm.stall.id, method: "vnpay", priceDong: 8_000 },
      { stallId: cardFarm.stall.id, method: "stripe", priceDong: 160_000 },
    ]);
    await paid(placed.checkoutCode, "vnpay");
    const card = await started(placed.checkoutCode, "stripe");
    // Stripe sent the buyer back to the success page before its webhook came.
    const waiting = await returnNext(
      db,
      { checkoutCode: placed.checkoutCode, provider: "stripe", settled: true },
      PROVIDERS,
    );
    expect(waiting).toMatchObject({ retry: null, next: null, transfers: [], done: true, cashOnDelivery: false });

    await applyNotification(db, notification("stripe", card.providerRef, { amountDong: 160_000 }));
    const plan = await checkoutPaymentPlan(db, { checkoutCode: placed.checkoutCode }, PROVIDERS);
    expect(plan.groups).toEqual([]);
    expect(nextGroup(plan)).toBeNull();
    const done = await returnNext(
      db,
      { checkoutCode: placed.checkoutCode, provider: "stripe", settled: true },
      PROVIDERS,
    );
    expect(done).toMatchObject({ retry: null, next: null, done: true });
    expect(done.orders.map((o) => [o.code, o.paymentStatus, o.href]).sort()).toEqual(
      placed.orders.map((o) => [o.code, "paid", `/orders/${o.code}?checkout=${placed.checkoutCode}`]).sort(),
    );
  });
});

describe("waitingBesides", () => {
  it("lists what else of the checkout waits, but the order's own payment", async () => {
    const placed = await everyKind();
    const at = (stallId: string) => placed.byStall(stallId).code;
    const asked = { checkoutCode: placed.checkoutCode };

    const fromVnpay = await waitingBesides(db, asked, at(vnpayFarm.stall.id), PROVIDERS);
    expect(fromVnpay?.groups).toEqual([
      expect.objectContaining({
        provider: "stripe",
        amountDong: 100_000,
        action: `/orders/${at(cardFarm.stall.id)}?checkout=${placed.checkoutCode}`,
        tried: false,
      }),
    ]);
    expect(fromVnpay?.transfers.map((o) => o.code)).toEqual([at(qrFarm.stall.id)]);

    const fromQr = await waitingBesides(db, asked, at(qrFarm.stall.id), PROVIDERS);
    expect(fromQr?.groups.map((g) => g.provider)).toEqual(["vnpay", "stripe"]);
    expect(fromQr?.transfers).toEqual([]);

    // Once both online payments are made, the VietQR order is all that waits, and on its own page nothing else.
    await paid(placed.checkoutCode, "vnpay");
    await paid(placed.checkoutCode, "stripe");
    expect(await waitingBesides(db, asked, at(cardFarm.stall.id), PROVIDERS)).toMatchObject({
      groups: [],
      transfers: [{ code: at(qrFarm.stall.id) }],
    });
    expect(await waitingBesides(db, asked, at(qrFarm.stall.id), PROVIDERS)).toBeNull();
  });
});
