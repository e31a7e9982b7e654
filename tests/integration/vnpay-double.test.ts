/**
 * The local VNPay double (tests/doubles/vnpay-double.ts) driven with fetch the
 * way a browser would, against a tiny fake app that reads the IPN with the
 * real VNPay provider. What the route tests and Playwright will rely on.
 */
import http from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PaymentSignatureError, type PaymentNotification, type StartPaymentInput } from "~/payments/core/provider";
import { createVnpayProvider, VnpayError, type VnpayConfig, type VnpayIpnCode } from "~/payments/vnpay/provider.server";
import { startVnpayDouble, type VnpayDouble } from "../doubles/vnpay-double";

const TMN = "GHSDBL01";
const SECRET = "GHS-DOUBLE-SECRET-0123456789ABCDEF";

let app: http.Server;
let appOrigin: string;
let vnpay: VnpayDouble;
/** What the fake app's IPN handler accepted. */
const notifications: PaymentNotification[] = [];

function provider(overrides: Partial<VnpayConfig> = {}) {
  return createVnpayProvider({
    tmnCode: TMN,
    hashSecret: SECRET,
    payUrl: vnpay.payUrl,
    apiUrl: vnpay.apiUrl,
    ...overrides,
  });
}

beforeAll(async () => {
  // The fake app: just the IPN, answered as the real route will (without the database).
  const ipnReader = () => provider();
  app = http.createServer((req, res) => {
    void (async () => {
      let code: VnpayIpnCode = "00";
      if (req.url?.startsWith("/payments/vnpay/ipn?")) {
        try {
          notifications.push(await ipnReader().readNotification(new Request(`${appOrigin}${req.url}`)));
        } catch (error) {
          code = error instanceof PaymentSignatureError ? "97" : "99";
        }
      } else {
        code = "99";
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(ipnReader().ipnResponse(code)));
    })();
  });
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  vnpay = await startVnpayDouble({ appOrigin, tmnCode: TMN, secret: SECRET });
});

afterAll(async () => {
  await vnpay.close();
  await new Promise<void>((resolve) => app.close(() => resolve()));
});

beforeEach(() => {
  notifications.length = 0;
  vnpay.ipnAnswers.length = 0;
});

let attempts = 0;
function payment(overrides: Partial<StartPaymentInput> = {}): StartPaymentInput {
  attempts += 1;
  return {
    attemptId: `7a1b2c3d-0000-4000-8000-${String(attempts).padStart(12, "0")}`,
    amountDong: 235_000,
    orderRef: "ABCD-2345",
    description: "Thanh toán đơn ABCD-2345",
    returnUrl: `${appOrigin}/payments/vnpay/return`,
    ip: "203.113.131.5",
    locale: "vi",
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 15 * 60_000),
    ...overrides,
  };
}

/** Opens the pay URL like a browser and presses one of the page's two buttons. */
async function pay(redirectUrl: string, action: "pay" | "cancel") {
  const pageResponse = await fetch(redirectUrl);
  const html = await pageResponse.text();
  expect(pageResponse.status, html).toBe(200);
  const token = /name="token" value="([0-9a-f]+)"/.exec(html)?.[1];
  const answer = await fetch(new URL("/paymentv2/confirm", redirectUrl), {
    method: "POST",
    body: new URLSearchParams({ token: token ?? "", action }),
    redirect: "manual",
  });
  return { html, status: answer.status, location: answer.headers.get("location") ?? "" };
}

describe("the VNPay double", () => {
  it("shows the payment, tells the app it was paid (IPN) and sends the buyer back", async () => {
    const vnp = provider();
    const started = await vnp.startPayment(payment());
    expect(started.redirectUrl.startsWith(`${vnpay.payUrl}?`)).toBe(true);

    const { html, status, location } = await pay(started.redirectUrl, "pay");
    expect(html).toContain("235.000 VND");
    expect(html).toContain("Thanh toan don ABCD 2345");
    expect(html).toMatch(/<button[^>]*value="pay">Thanh toán<\/button>/);
    expect(html).toMatch(/<button[^>]*value="cancel">Huỷ giao dịch<\/button>/);

    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      providerRef: started.providerRef,
      outcome: "succeeded",
      amountDong: 235_000,
      currency: "VND",
      transactionRef: expect.stringMatching(/^\d{8}$/),
    });
    expect(notifications[0].raw).toMatchObject({
      vnp_BankCode: "NCB",
      vnp_PayDate: expect.stringMatching(/^20\d{12}$/),
    });
    expect(vnpay.ipnAnswers).toEqual([
      {
        txnRef: started.providerRef,
        responseCode: "00",
        status: 200,
        body: { RspCode: "00", Message: "Confirm Success" },
      },
    ]);

    expect(status).toBe(302);
    expect(location.startsWith(`${appOrigin}/payments/vnpay/return?`)).toBe(true);
    expect(vnp.verifyReturn(location)).toMatchObject({
      verified: true,
      providerRef: started.providerRef,
      outcome: "succeeded",
      amountDong: 235_000,
    });
  });

  it("tells the app when the buyer cancels (24), and the return page can say so", async () => {
    const vnp = provider();
    const started = await vnp.startPayment(payment({ amountDong: 48_000 }));
    const { location } = await pay(started.redirectUrl, "cancel");
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ providerRef: started.providerRef, outcome: "failed", amountDong: 48_000 });
    expect(notifications[0].raw).toMatchObject({ vnp_ResponseCode: "24", vnp_TransactionStatus: "02" });
    expect(vnpay.ipnAnswers[0]).toMatchObject({ responseCode: "24", body: { RspCode: "00" } });
    expect(vnp.verifyReturn(location)).toMatchObject({ verified: true, outcome: "failed", reason: "cancelled" });
  });

  it("refuses a pay URL that is tampered with, signed with another secret, expired or already paid", async () => {
    const started = await provider().startPayment(payment());
    const tampered = started.redirectUrl.replace("vnp_Amount=23500000", "vnp_Amount=100000");
    const forged = (await provider({ hashSecret: "not-the-secret" }).startPayment(payment())).redirectUrl;
    const past = new Date(Date.now() - 60 * 60_000);
    const expired = (
      await provider().startPayment(payment({ createdAt: past, expiresAt: new Date(past.getTime() + 60_000) }))
    ).redirectUrl;
    for (const [url, message] of [
      [tampered, "Sai chữ ký"],
      [forged, "Sai chữ ký"],
      [expired, "quá thời gian chờ thanh toán"],
    ] as const) {
      const response = await fetch(url);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }

    await pay(started.redirectUrl, "pay");
    const again = await fetch(started.redirectUrl);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("Giao dịch đã tồn tại");
    expect(notifications).toHaveLength(1);
  });

  it("answers querydr with what it settled, the same event the IPN brought", async () => {
    const vnp = provider();
    const input = payment();
    const started = await vnp.startPayment(input);
    await pay(started.redirectUrl, "pay");
    const result = await vnp.queryTransaction({ providerRef: started.providerRef, createdAt: input.createdAt! });
    expect(result.status).toBe("succeeded");
    expect(result.notification?.eventId).toBe(notifications[0].eventId);
    expect(result.notification?.amountDong).toBe(235_000);

    const never = await vnp.queryTransaction({ providerRef: "neverseen", createdAt: new Date() });
    expect(never.status).toBe("not_found");
    // With the wrong secret, the double refuses the request (97) and the provider cannot verify its answer.
    await expect(
      provider({ hashSecret: "not-the-secret" }).queryTransaction({
        providerRef: started.providerRef,
        createdAt: new Date(),
      }),
    ).rejects.toBeInstanceOf(PaymentSignatureError);
  });

  it("finds a payment whose IPN never arrived through querydr", async () => {
    const silent = await startVnpayDouble({ appOrigin, tmnCode: TMN, secret: SECRET, sendIpn: false });
    try {
      const vnp = provider({ payUrl: silent.payUrl, apiUrl: silent.apiUrl });
      const input = payment({ amountDong: 90_000 });
      const started = await vnp.startPayment(input);
      const { status } = await pay(started.redirectUrl, "pay");
      expect(status).toBe(302);
      expect(notifications).toHaveLength(0);
      const result = await vnp.queryTransaction({ providerRef: started.providerRef, createdAt: input.createdAt! });
      expect(result.notification).toMatchObject({ outcome: "succeeded", amountDong: 90_000 });
    } finally {
      await silent.close();
    }
  });

  it("refunds a paid transaction, once per refund, never more than was paid", async () => {
    const vnp = provider();
    const input = payment({ amountDong: 120_000 });
    const started = await vnp.startPayment(input);
    await pay(started.redirectUrl, "pay");
    const refund = {
      attemptId: input.attemptId,
      providerRef: started.providerRef,
      transactionRef: notifications[0].transactionRef,
      attemptAmountDong: 120_000,
      attemptCreatedAt: input.createdAt,
      reason: "Hết hàng",
    };
    const first = await vnp.refund({ ...refund, amountDong: 20_000, idempotencyKey: `refund:${input.attemptId}:1` });
    expect(first.refundRef).toMatch(/^[0-9a-f]{32}$/);
    expect(vnpay.transactions.get(started.providerRef)?.refundedAmount).toBe(2_000_000);
    expect(vnpay.apiRequests.at(-1)).toMatchObject({ vnp_TransactionType: "03", vnp_Amount: "2000000" });

    await expect(
      vnp.refund({ ...refund, amountDong: 20_000, idempotencyKey: `refund:${input.attemptId}:1` }),
    ).rejects.toMatchObject({ code: "api", responseCode: "94" });
    await expect(
      vnp.refund({ ...refund, amountDong: 110_000, idempotencyKey: `refund:${input.attemptId}:2` }),
    ).rejects.toBeInstanceOf(VnpayError);
    await vnp.refund({ ...refund, amountDong: 100_000, idempotencyKey: `refund:${input.attemptId}:3` });
    expect(vnpay.transactions.get(started.providerRef)?.refundedAmount).toBe(12_000_000);
  });
});
