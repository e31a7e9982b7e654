/**
 * VNPay end to end through the real route modules and the local VNPay double
 * (tests/doubles/vnpay-double.ts), which signs on its own and calls the IPN
 * route over HTTP as VNPay does: checkout → pay URL → the double's page →
 * IPN (/payments/vnpay/ipn) → return page (/payments/vnpay/return). IPNs the
 * double would never send (a wrong amount, an unknown reference) are signed
 * here with node:crypto, never with the app's code.
 */
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkouts,
  ledgerEntries,
  orders,
  paymentAlerts,
  paymentAttemptOrders,
  paymentAttempts,
  paymentEvents,
  paymentRefunds,
} from "#db/schema";
import { startVnpayDouble, type VnpayDouble } from "../../tests/doubles/vnpay-double";
import { loader as returnLoader } from "./payments.vnpay.return";
import { changeOrderStatus } from "~/orders/orders.server";
import { createActiveListing, createSellingStall } from "#tests/fixtures/orders";
import { checkout, ipn, orderPage, payAgain, payAtVnpay, signVnpay, startIpnApp } from "#tests/harness/pay";
import { setPaymentProviders } from "~/payments/core/providers.server";
import { createVnpayProvider } from "~/payments/vnpay/provider.server";
import { cartWith } from "#tests/harness/routes";
import { db } from "~/utils/db.server";

const TMN = "GHSVNP01";
const SECRET = "GHS-VNPAY-ROUTE-TEST-SECRET-0123456789";

let app: Awaited<ReturnType<typeof startIpnApp>>;
let vnpay: VnpayDouble;

beforeAll(async () => {
  app = await startIpnApp();
  vnpay = await startVnpayDouble({ appOrigin: app.origin, tmnCode: TMN, secret: SECRET });
  setPaymentProviders({
    vnpay: createVnpayProvider({ tmnCode: TMN, hashSecret: SECRET, payUrl: vnpay.payUrl, apiUrl: vnpay.apiUrl }),
    stripe: null,
  });
});
afterAll(async () => {
  setPaymentProviders(undefined);
  await vnpay.close();
  await app.close();
});

const farm = await createSellingStall(db, { name: "Nhãn lồng Hưng Yên", codEnabled: false, vnpayEnabled: true });
const otherFarm = await createSellingStall(db, { name: "Bưởi Diễn", vnpayEnabled: true });

/** A VNPay checkout of `qty` × 60.000 ₫ from each farm given; the buyer is at the double's pay URL. */
async function vnpayCheckout(farms = [farm], qty = 2) {
  const items = [];
  for (const f of farms) items.push({ id: (await createActiveListing(db, f.stall.id, { priceDong: 60_000 })).id, qty });
  const cookie = await cartWith(items);
  const res = await checkout(cookie, Object.fromEntries(farms.map((f) => [f.stall.id, "vnpay"])));
  expect(res.status).toBe(302);
  const payUrl = res.headers.get("Location")!;
  expect(payUrl.startsWith(vnpay.payUrl)).toBe(true);
  const txnRef = new URL(payUrl).searchParams.get("vnp_TxnRef")!;
  const [attempt] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.providerRef, txnRef));
  const paid = await db
    .select({ order: orders, checkoutCode: checkouts.code })
    .from(paymentAttemptOrders)
    .innerJoin(orders, eq(orders.id, paymentAttemptOrders.orderId))
    .innerJoin(checkouts, eq(checkouts.id, orders.checkoutId))
    .where(eq(paymentAttemptOrders.attemptId, attempt.id));
  return { payUrl, txnRef, attempt, orders: paid.map((p) => p.order), checkoutCode: paid[0].checkoutCode };
}

const attemptRow = async (id: string) => (await db.select().from(paymentAttempts).where(eq(paymentAttempts.id, id)))[0];
const orderRow = async (id: string) => (await db.select().from(orders).where(eq(orders.id, id)))[0];
const eventsOf = async (attemptId: string) =>
  (await db.select({ n: count() }).from(paymentEvents).where(eq(paymentEvents.attemptId, attemptId)))[0].n;
const ledgerOf = async (attemptId: string) =>
  (await db.select({ n: count() }).from(ledgerEntries).where(eq(ledgerEntries.attemptId, attemptId)))[0].n;

/** The state a bad IPN must leave alone. */
async function snapshot(attemptId: string, orderIds: string[]) {
  return {
    attempt: await attemptRow(attemptId),
    orders: await Promise.all(orderIds.map(orderRow)),
    events: await eventsOf(attemptId),
    ledger: await ledgerOf(attemptId),
  };
}

describe("VNPay through the double", () => {
  it("pays a two-stall checkout in one go: IPN 00, both orders paid once, the return page says so", async () => {
    const { payUrl, txnRef, attempt, orders: paid, checkoutCode } = await vnpayCheckout([farm, otherFarm]);
    expect(attempt.amountDong).toBe(240_000);
    expect(new URL(payUrl).searchParams.get("vnp_Amount")).toBe("24000000");

    const back = await payAtVnpay(payUrl, "pay");
    expect(vnpay.ipnAnswers.filter((a) => a.txnRef === txnRef)).toEqual([
      { txnRef, responseCode: "00", status: 200, body: { RspCode: "00", Message: "Confirm Success" } },
    ]);
    expect(await attemptRow(attempt.id)).toMatchObject({ status: "succeeded", amountDong: 240_000 });
    for (const o of paid) {
      expect(await orderRow(o.id)).toMatchObject({ paymentStatus: "paid" });
      // The timeline shows the payment (the order's own status unchanged).
      const page = await orderPage(o.code, checkoutCode);
      expect(page.data.timeline!.filter((e) => e.paymentStatus)).toEqual([
        expect.objectContaining({
          fromStatus: "placed",
          toStatus: "placed",
          paymentStatus: "paid",
          amountDong: 120_000,
        }),
      ]);
      expect(page.data.payment).toMatchObject({ status: "paid", pay: null, vietqr: null });
    }

    // The return page only displays, and links to the orders with the checkout's code.
    const before = await snapshot(
      attempt.id,
      paid.map((o) => o.id),
    );
    const shown = await returnLoader({ request: new Request(back), params: {}, context: {} });
    const result = (shown as unknown as { data: { result: Record<string, unknown> } }).data.result;
    expect(result).toMatchObject({ state: "paid", amountDong: 240_000 });
    expect(result.orders).toEqual(
      expect.arrayContaining(paid.map((o) => ({ code: o.code, href: `/orders/${o.code}?checkout=${checkoutCode}` }))),
    );
    expect(
      await snapshot(
        attempt.id,
        paid.map((o) => o.id),
      ),
    ).toEqual(before);

    // VNPay calls again with the same message: 02, and nothing is booked twice.
    const replay = await ipn(back.search.slice(1));
    expect(replay).toEqual({ status: 200, body: { RspCode: "02", Message: "Order already confirmed" } });
    expect(
      await snapshot(
        attempt.id,
        paid.map((o) => o.id),
      ),
    ).toEqual(before);
  });

  it("answers 97 to a bad hash and changes nothing", async () => {
    const { payUrl, attempt, orders: paid } = await vnpayCheckout();
    const back = await payAtVnpay(payUrl, "pay");
    // The double's IPN paid it; now a forger replays it with another amount, or a garbled hash.
    const before = await snapshot(
      attempt.id,
      paid.map((o) => o.id),
    );
    const tampered = new URLSearchParams(back.search);
    tampered.set("vnp_Amount", "100");
    expect((await ipn(tampered.toString())).body.RspCode).toBe("97");
    const garbled = new URLSearchParams(back.search);
    garbled.set("vnp_SecureHash", "0".repeat(128));
    expect((await ipn(garbled.toString())).body.RspCode).toBe("97");
    expect((await ipn("vnp_TxnRef=x")).body.RspCode).toBe("97");
    expect(
      await snapshot(
        attempt.id,
        paid.map((o) => o.id),
      ),
    ).toEqual(before);
  });

  it("answers 97 to a forged success before any payment, leaving the order unpaid", async () => {
    const { txnRef, attempt, orders: paid } = await vnpayCheckout();
    const before = await snapshot(
      attempt.id,
      paid.map((o) => o.id),
    );
    const forged = signVnpay(successFields(txnRef, "12000000"), "not-the-secret");
    expect(await ipn(forged)).toEqual({ status: 200, body: { RspCode: "97", Message: "Fail checksum" } });
    expect(
      await snapshot(
        attempt.id,
        paid.map((o) => o.id),
      ),
    ).toEqual(before);
    expect(before.orders[0].paymentStatus).toBe("pending");
  });

  it("answers 04 to a signed IPN with the wrong amount: recorded with an alert, the order not paid", async () => {
    const { txnRef, attempt, orders: paid } = await vnpayCheckout();
    const wrong = signVnpay(successFields(txnRef, "11000000"), SECRET);
    expect(await ipn(wrong)).toEqual({ status: 200, body: { RspCode: "04", Message: "Invalid amount" } });
    expect(await attemptRow(attempt.id)).toMatchObject({ status: "pending" });
    expect(await orderRow(paid[0].id)).toMatchObject({ paymentStatus: "pending" });
    expect(await ledgerOf(attempt.id)).toBe(0);
    const alerts = await db.select().from(paymentAlerts).where(eq(paymentAlerts.attemptId, attempt.id));
    expect(alerts.map((a) => a.kind)).toEqual(["amount_mismatch"]);
    // The same message again answers the same.
    expect((await ipn(wrong)).body.RspCode).toBe("04");
  });

  it("answers 01 to a signed IPN for a vnp_TxnRef it never made, recording nothing", async () => {
    const eventsBefore = (await db.select({ n: count() }).from(paymentEvents))[0].n;
    const unknown = signVnpay(successFields("0123456789abcdef0123456789abcdef", "12000000"), SECRET);
    expect(await ipn(unknown)).toEqual({ status: 200, body: { RspCode: "01", Message: "Order not found" } });
    expect(await ipn(signVnpay(successFields("NOT-OURS-42", "12000000"), SECRET))).toMatchObject({
      body: { RspCode: "01" },
    });
    expect((await db.select({ n: count() }).from(paymentEvents))[0].n).toBe(eventsBefore);
  });

  it("records a cancelled payment (code 24) with 00, and the order page offers to pay again with a new reference", async () => {
    const { payUrl, txnRef, attempt, orders: paid, checkoutCode } = await vnpayCheckout();
    const back = await payAtVnpay(payUrl, "cancel");
    expect(vnpay.ipnAnswers.find((a) => a.txnRef === txnRef)).toMatchObject({
      responseCode: "24",
      body: { RspCode: "00" },
    });
    expect(await attemptRow(attempt.id)).toMatchObject({ status: "failed" });
    expect(await orderRow(paid[0].id)).toMatchObject({ status: "placed", paymentStatus: "unpaid" });

    const shown = await returnLoader({ request: new Request(back), params: {}, context: {} });
    expect((shown as unknown as { data: { result: unknown } }).data.result).toMatchObject({
      state: "failed",
      reason: "cancelled",
    });

    const page = await orderPage(paid[0].code, checkoutCode);
    expect(page.data.payment).toMatchObject({ lastAttempt: "failed", pay: { again: true, amountDong: 120_000 } });
    const again = await payAgain(paid[0].code, checkoutCode);
    expect(again.status).toBe(302);
    const newRef = new URL(again.location!).searchParams.get("vnp_TxnRef")!;
    expect(newRef).not.toBe(txnRef);
    await payAtVnpay(again.location!, "pay");
    expect(await orderRow(paid[0].id)).toMatchObject({ paymentStatus: "paid" });
  });

  it("refunds a success that arrives after the order was cancelled, through VNPay's refund API, and keeps the alert", async () => {
    const { payUrl, txnRef, attempt, orders: paid } = await vnpayCheckout();
    await changeOrderStatus(db, {
      order: { orderId: paid[0].id },
      scope: { guestOrderId: paid[0].id },
      to: "cancelled",
      actor: { role: "buyer", userId: null },
      reason: "Đổi ý",
    });
    await payAtVnpay(payUrl, "pay");
    expect(vnpay.ipnAnswers.find((a) => a.txnRef === txnRef)).toMatchObject({ body: { RspCode: "00" } });

    expect(await attemptRow(attempt.id)).toMatchObject({ status: "refunded", refundedDong: 120_000 });
    expect(await orderRow(paid[0].id)).toMatchObject({ status: "cancelled", paymentStatus: "unpaid" });
    const refunds = await db.select().from(paymentRefunds).where(eq(paymentRefunds.attemptId, attempt.id));
    expect(refunds).toMatchObject([{ status: "succeeded", amountDong: 120_000, reason: "system:late_payment" }]);
    // VNPay was asked once, for the full amount, as a full refund (02), and agreed.
    const asked = vnpay.apiRequests.filter((r) => r.vnp_Command === "refund" && r.vnp_TxnRef === txnRef);
    expect(asked).toMatchObject([{ vnp_Amount: "12000000", vnp_TransactionType: "02" }]);
    expect(vnpay.transactions.get(txnRef)?.refundedAmount).toBe(12_000_000);
    const alerts = await db
      .select()
      .from(paymentAlerts)
      .where(and(eq(paymentAlerts.attemptId, attempt.id), eq(paymentAlerts.kind, "late_payment")));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].resolvedAt).toBeNull();
  });

  it("answers 99 to a signed message it cannot read, changing nothing", async () => {
    const { txnRef, attempt, orders: paid } = await vnpayCheckout();
    const before = await snapshot(
      attempt.id,
      paid.map((o) => o.id),
    );
    const { vnp_Amount: _amount, ...fields } = successFields(txnRef, "12000000");
    expect((await ipn(signVnpay(fields, SECRET))).body.RspCode).toBe("99");
    expect(
      await snapshot(
        attempt.id,
        paid.map((o) => o.id),
      ),
    ).toEqual(before);
  });
});

/** An IPN's fields for a successful payment, as VNPay sends them. */
function successFields(txnRef: string, amount: string): Record<string, string> {
  return {
    vnp_Amount: amount,
    vnp_BankCode: "NCB",
    vnp_BankTranNo: "VNP14999999",
    vnp_CardType: "ATM",
    vnp_OrderInfo: "Thanh toan don",
    vnp_PayDate: "20261126103000",
    vnp_ResponseCode: "00",
    vnp_TmnCode: TMN,
    vnp_TransactionNo: "14999999",
    vnp_TransactionStatus: "00",
    vnp_TxnRef: txnRef,
  };
}
