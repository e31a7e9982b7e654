import { createHmac } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  buildPaymentUrlSearchParams,
  calculateSecureHash,
  HashAlgorithm,
  InpOrderAlreadyConfirmed,
  IpnFailChecksum,
  IpnInvalidAmount,
  IpnOrderNotFound,
  IpnSuccess,
  IpnUnknownError,
  ProductCode,
  VNPay,
  VnpLocale,
  type QueryDr,
  type Refund,
  type ReturnQueryFromVNPay,
} from "vnpay";
import { QUERYDR_ANSWER_FIELDS, REFUND_ANSWER_FIELDS, signApiAnswer } from "#tests/doubles/vnpay-double";
import { parseEnv } from "~/utils/env.server";
import { PaymentSignatureError, type StartPaymentInput } from "../core/provider";
import {
  createVnpayProvider,
  parseVnpayDate,
  signedVnpayQuery,
  VNPAY_SANDBOX_API_URL,
  VNPAY_SANDBOX_PAY_URL,
  vnpayAmount,
  vnpayConfigFromEnv,
  vnpayDate,
  VnpayError,
  vnpayOrderInfo,
  vnpayTxnRef,
  type VnpayConfig,
} from "./provider.server";

/**
 * The `vnpay` npm package (lehuygiang28/vnpay, a devDependency) is the oracle:
 * an independent implementation of VNPay's signing rules that our pay URLs,
 * IPN checks and querydr/refund checksums must agree with.
 */

const SECRET = "GHS0TESTSECRET0VNPAY0HMACSHA512X";
const TMN = "GHSTEST1";
const NOW = new Date("2026-11-26T17:30:00Z");

function config(overrides: Partial<VnpayConfig> = {}): VnpayConfig {
  return {
    tmnCode: TMN,
    hashSecret: SECRET,
    payUrl: VNPAY_SANDBOX_PAY_URL,
    apiUrl: VNPAY_SANDBOX_API_URL,
    now: () => NOW,
    ...overrides,
  };
}

const oracle = new VNPay({ tmnCode: TMN, secureSecret: SECRET, vnpayHost: "https://sandbox.vnpayment.vn" });

function paymentInput(overrides: Partial<StartPaymentInput> = {}): StartPaymentInput {
  return {
    attemptId: "0f5c2a1e-7b9d-4c3e-9a21-5d8e6f4b3c2a",
    amountDong: 235_000,
    orderRef: "ABCD-2345",
    description: "Thanh toán đơn ABCD-2345",
    returnUrl: "https://cho.example.vn/payments/vnpay/return",
    ip: "203.113.131.5",
    locale: "vi",
    createdAt: NOW,
    expiresAt: new Date(NOW.getTime() + 15 * 60_000),
    ...overrides,
  };
}

function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

/** Signs IPN/return fields the way the `vnpay` package verifies them. */
function oracleSign(fields: Record<string, string>): string {
  const data = buildPaymentUrlSearchParams(fields).toString();
  const hash = calculateSecureHash({
    secureSecret: SECRET,
    data,
    hashAlgorithm: HashAlgorithm.SHA512,
    bufferEncode: "utf-8",
  });
  return `${data}&vnp_SecureHash=${hash}`;
}

function ipnFields(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    vnp_Amount: "23500000",
    vnp_BankCode: "NCB",
    vnp_BankTranNo: "VNP14226112",
    vnp_CardType: "ATM",
    vnp_OrderInfo: "Thanh toan don ABCD 2345",
    vnp_PayDate: "20261127003512",
    vnp_ResponseCode: "00",
    vnp_TmnCode: TMN,
    vnp_TransactionNo: "14226112",
    vnp_TransactionStatus: "00",
    vnp_TxnRef: "0f5c2a1e7b9d4c3e9a215d8e6f4b3c2a",
    ...overrides,
  };
}

const ipnRequest = (query: string) => new Request(`https://cho.example.vn/payments/vnpay/ipn?${query}`);

/** A reproducible stream of pseudo-random numbers in [0, 1) (mulberry32). */
function seeded(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the pay URL", () => {
  it("is byte for byte what the vnpay package builds for the same payment", async () => {
    const cases: Partial<StartPaymentInput>[] = [
      {},
      { amountDong: 5_000, locale: "en", returnUrl: "https://cho.example.vn/payments/vnpay/return?lang=en&x=a b" },
      { amountDong: 999_999_999, description: "Đơn hàng vải thiều: 3 kg & 2 bó rau (giao Hải Phòng)" },
      { attemptId: "42", ip: "::ffff:10.0.0.7", description: "", orderRef: "DH-000042" },
    ];
    const provider = createVnpayProvider(config());
    for (const c of cases) {
      const input = paymentInput(c);
      const ours = await provider.startPayment(input);
      const q = queryOf(ours.redirectUrl);
      const theirs = oracle.buildPaymentUrl({
        vnp_Amount: input.amountDong,
        vnp_IpAddr: q.vnp_IpAddr,
        vnp_TxnRef: q.vnp_TxnRef,
        vnp_OrderInfo: q.vnp_OrderInfo,
        vnp_OrderType: ProductCode.Other,
        vnp_ReturnUrl: input.returnUrl,
        vnp_Locale: input.locale === "en" ? VnpLocale.EN : VnpLocale.VN,
        vnp_CreateDate: Number(vnpayDate(input.createdAt!)),
        vnp_ExpireDate: Number(vnpayDate(input.expiresAt)),
      });
      expect(ours.redirectUrl).toBe(theirs);
      expect(ours.providerRef).toBe(q.vnp_TxnRef);
    }
  });

  it("carries what VNPay v2.1.0 asks for, and no vnp_SecureHashType", async () => {
    const started = await createVnpayProvider(config()).startPayment(paymentInput());
    expect(started.redirectUrl.startsWith(`${VNPAY_SANDBOX_PAY_URL}?`)).toBe(true);
    const q = queryOf(started.redirectUrl);
    expect(q).toEqual({
      vnp_Amount: "23500000",
      vnp_Command: "pay",
      vnp_CreateDate: "20261127003000",
      vnp_CurrCode: "VND",
      vnp_ExpireDate: "20261127004500",
      vnp_IpAddr: "203.113.131.5",
      vnp_Locale: "vn",
      vnp_OrderInfo: "Thanh toan don ABCD 2345",
      vnp_OrderType: "other",
      vnp_ReturnUrl: "https://cho.example.vn/payments/vnpay/return",
      vnp_TmnCode: TMN,
      vnp_TxnRef: "0f5c2a1e7b9d4c3e9a215d8e6f4b3c2a",
      vnp_Version: "2.1.0",
      vnp_SecureHash: expect.stringMatching(/^[0-9a-f]{128}$/),
    });
    // Sorted by name with the hash last, spaces as "+".
    const raw = new URL(started.redirectUrl).search.slice(1);
    expect(raw).toContain("vnp_OrderInfo=Thanh+toan+don+ABCD+2345&");
    const keys = raw.split("&").map((p) => p.split("=")[0]);
    expect(keys).toEqual([...keys.slice(0, -1).sort(), "vnp_SecureHash"]);
  });

  it("gives each attempt its own vnp_TxnRef, and the same one when an attempt's URL is built again", async () => {
    const provider = createVnpayProvider(config());
    const a = await provider.startPayment(paymentInput());
    const again = await provider.startPayment(paymentInput());
    const b = await provider.startPayment(paymentInput({ attemptId: "8d1e0c55-3b2a-4f6d-8e7c-1a2b3c4d5e6f" }));
    expect(again.providerRef).toBe(a.providerRef);
    expect(b.providerRef).not.toBe(a.providerRef);
    expect(vnpayTxnRef("8d1e0c55-3b2a-4f6d-8e7c-1a2b3c4d5e6f")).toBe("8d1e0c553b2a4f6d8e7c1a2b3c4d5e6f");
    expect(() => vnpayTxnRef("---")).toThrow(VnpayError);
    expect(() => vnpayTxnRef("a".repeat(101))).toThrow(VnpayError);
  });

  it("refuses amounts VNPay can't take and inputs it would reject", async () => {
    const provider = createVnpayProvider(config());
    for (const amountDong of [0, -5000, 1500.5, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      await expect(provider.startPayment(paymentInput({ amountDong }))).rejects.toMatchObject({ code: "amount" });
    }
    await expect(provider.startPayment(paymentInput({ returnUrl: "/payments/vnpay/return" }))).rejects.toMatchObject({
      code: "input",
    });
    await expect(provider.startPayment(paymentInput({ expiresAt: NOW }))).rejects.toMatchObject({ code: "input" });
    await expect(provider.startPayment(paymentInput({ returnUrl: "javascript:alert(1)" }))).rejects.toMatchObject({
      code: "input",
    });
  });

  it("converts đồng to vnp_Amount (×100) and back exactly, for any whole amount", async () => {
    const provider = createVnpayProvider(config());
    const random = seeded(20261126);
    for (let i = 0; i < 500; i++) {
      // Mostly realistic baskets, now and then amounts up to the largest safe ×100.
      const max = i % 10 === 0 ? Math.floor(Number.MAX_SAFE_INTEGER / 100) : 50_000_000;
      const amountDong = 1 + Math.floor(random() * max);
      expect(vnpayAmount(amountDong)).toBe(amountDong * 100);
      const started = await provider.startPayment(paymentInput({ amountDong, attemptId: `a${i}` }));
      const q = queryOf(started.redirectUrl);
      expect(q.vnp_Amount).toBe(`${amountDong}00`);
      const ipn = oracleSign(ipnFields({ vnp_Amount: q.vnp_Amount, vnp_TxnRef: q.vnp_TxnRef }));
      expect((await provider.readNotification(ipnRequest(ipn))).amountDong).toBe(amountDong);
    }
  });
});

describe("dates", () => {
  const original = process.env.TZ;
  afterEach(() => {
    process.env.TZ = original;
  });

  it("are Vietnam time (GMT+7) whatever the server's time zone", () => {
    for (const tz of ["UTC", "America/Los_Angeles", "Asia/Tokyo", "Europe/Berlin"]) {
      process.env.TZ = tz;
      expect(vnpayDate(new Date("2026-11-26T17:30:00Z"))).toBe("20261127003000");
      expect(vnpayDate(new Date("2026-12-31T17:00:00Z"))).toBe("20270101000000");
      expect(vnpayDate(new Date("2028-02-28T23:59:59Z"))).toBe("20280229065959");
    }
  });

  it("read back to the same instant, and nonsense reads as nothing", () => {
    const at = new Date("2026-11-26T17:30:05Z");
    expect(parseVnpayDate(vnpayDate(at))?.toISOString()).toBe(at.toISOString());
    expect(parseVnpayDate("20261332000000")).toBeNull();
    expect(parseVnpayDate("2026112700300")).toBeNull();
  });
});

describe("vnp_OrderInfo", () => {
  it("is Vietnamese without diacritics or special characters", () => {
    expect(vnpayOrderInfo("Thanh toán đơn ABCD-2345")).toBe("Thanh toan don ABCD 2345");
    expect(vnpayOrderInfo("Vải thiều Thanh Hà – Đỗ Thị Hằng (3 kg) #12!")).toBe(
      "Vai thieu Thanh Ha Do Thi Hang 3 kg 12",
    );
    expect(vnpayOrderInfo("ỐC BƯƠU ĐEN, Ðậu phụ & trứng gà")).toBe("OC BUOU DEN Dau phu trung ga");
    expect(vnpayOrderInfo("🍋🍋")).toBe("");
    for (const long of ["rau ".repeat(100), "ab ".repeat(200)]) {
      const info = vnpayOrderInfo(long);
      expect(info.length).toBeGreaterThan(250);
      expect(info.length).toBeLessThanOrEqual(255);
      expect(info).toMatch(/^[a-z ]*[a-z]$/);
    }
  });

  it("falls back to the order reference when nothing of the description is left", async () => {
    const started = await createVnpayProvider(config()).startPayment(
      paymentInput({ description: "🍋", orderRef: "DH-0042" }),
    );
    expect(queryOf(started.redirectUrl).vnp_OrderInfo).toBe("Thanh toan DH 0042");
  });
});

describe("the IPN", () => {
  const provider = createVnpayProvider(config());

  it("is accepted when signed as VNPay signs it, and says what the domain needs", async () => {
    const n = await provider.readNotification(ipnRequest(oracleSign(ipnFields())));
    expect(n).toMatchObject({
      provider: "vnpay",
      eventId: "0f5c2a1e7b9d4c3e9a215d8e6f4b3c2a:14226112:00",
      providerRef: "0f5c2a1e7b9d4c3e9a215d8e6f4b3c2a",
      outcome: "succeeded",
      amountDong: 235_000,
      currency: "VND",
      transactionRef: "14226112",
    });
    expect(n.raw).toMatchObject({ vnp_ResponseCode: "00", vnp_BankCode: "NCB" });
  });

  it("round-trips a pay URL of ours when VNPay answers for it", async () => {
    const started = await provider.startPayment(paymentInput({ amountDong: 187_500 }));
    const pay = queryOf(started.redirectUrl);
    const answer = oracleSign({
      vnp_Amount: pay.vnp_Amount,
      vnp_BankCode: "NCB",
      vnp_OrderInfo: pay.vnp_OrderInfo,
      vnp_PayDate: "20261127003512",
      vnp_ResponseCode: "00",
      vnp_TmnCode: pay.vnp_TmnCode,
      vnp_TransactionNo: "14226999",
      vnp_TransactionStatus: "00",
      vnp_TxnRef: pay.vnp_TxnRef,
    });
    const n = await provider.readNotification(ipnRequest(answer));
    expect(n.providerRef).toBe(started.providerRef);
    expect(n.amountDong).toBe(187_500);
    expect(n.outcome).toBe("succeeded");
    // And the package, verifying our signing of the same fields, agrees.
    const signedByUs = Object.fromEntries(
      new URLSearchParams(signedVnpayQuery(queryOf(`https://x/?${answer}`), SECRET)),
    );
    expect(oracle.verifyIpnCall(signedByUs as unknown as ReturnQueryFromVNPay).isVerified).toBe(true);
  });

  it("is a failure unless both vnp_ResponseCode and vnp_TransactionStatus are 00", async () => {
    const cancelled = await provider.readNotification(
      ipnRequest(
        oracleSign(ipnFields({ vnp_ResponseCode: "24", vnp_TransactionStatus: "02", vnp_TransactionNo: "0" })),
      ),
    );
    expect(cancelled).toMatchObject({ outcome: "failed", eventId: "0f5c2a1e7b9d4c3e9a215d8e6f4b3c2a:0:02" });
    expect(cancelled.transactionRef).toBeUndefined();
    expect(cancelled.raw).toMatchObject({ vnp_ResponseCode: "24" });
    const underReview = await provider.readNotification(
      ipnRequest(oracleSign(ipnFields({ vnp_ResponseCode: "00", vnp_TransactionStatus: "07" }))),
    );
    expect(underReview.outcome).toBe("failed");
    const noFunds = await provider.readNotification(
      ipnRequest(oracleSign(ipnFields({ vnp_ResponseCode: "51", vnp_TransactionStatus: "02" }))),
    );
    expect(noFunds.outcome).toBe("failed");
  });

  it("gives one event id to one payment result, however often VNPay repeats it", async () => {
    const once = await provider.readNotification(ipnRequest(oracleSign(ipnFields())));
    const again = await provider.readNotification(ipnRequest(oracleSign(ipnFields({ vnp_PayDate: "20261127003620" }))));
    expect(again.eventId).toBe(once.eventId);
  });

  it("refuses tampered amounts, fields and hashes", async () => {
    const good = oracleSign(ipnFields());
    const tampered = [
      good.replace("vnp_Amount=23500000", "vnp_Amount=100"),
      good.replace("vnp_ResponseCode=00", "vnp_ResponseCode=24"),
      good.replace("vnp_TxnRef=0f5c", "vnp_TxnRef=1f5c"),
      `${good}&vnp_Amount=100`,
      `vnp_Amount=100&${good}`,
      `${good}&vnp_Extra=1`,
      good.replace(/vnp_SecureHash=([0-9a-f])/, (_m, c: string) => `vnp_SecureHash=${c === "0" ? "1" : "0"}`),
      good.replace(/&vnp_SecureHash=.*$/, ""),
      good.replace(/vnp_SecureHash=.*$/, "vnp_SecureHash="),
      good.replace(/vnp_SecureHash=.*$/, "vnp_SecureHash=zz"),
    ];
    for (const query of tampered) {
      await expect(provider.readNotification(ipnRequest(query)), query).rejects.toBeInstanceOf(PaymentSignatureError);
    }
    // The same fields signed with another secret.
    const other = createHmac("sha512", "another-secret")
      .update(buildPaymentUrlSearchParams(ipnFields()).toString())
      .digest("hex");
    const forged = `${buildPaymentUrlSearchParams(ipnFields()).toString()}&vnp_SecureHash=${other}`;
    await expect(provider.readNotification(ipnRequest(forged))).rejects.toBeInstanceOf(PaymentSignatureError);
    // Properly signed, but for another merchant's terminal.
    const elsewhere = oracleSign(ipnFields({ vnp_TmnCode: "OTHERTMN" }));
    await expect(provider.readNotification(ipnRequest(elsewhere))).rejects.toBeInstanceOf(PaymentSignatureError);
  });

  it("ignores parameters that are not VNPay's, as VNPay's own samples do", async () => {
    const n = await provider.readNotification(ipnRequest(`${oracleSign(ipnFields())}&utm_source=zalo`));
    expect(n.outcome).toBe("succeeded");
  });

  it("passes on a signed amount that is not whole đồng, for the domain to refuse (RspCode 04)", async () => {
    const n = await provider.readNotification(ipnRequest(oracleSign(ipnFields({ vnp_Amount: "23500050" }))));
    expect(n.amountDong).toBe(235_000.5);
  });

  it("treats a signed message without the fields VNPay always sends as malformed, not forged", async () => {
    const { vnp_TxnRef: _drop, ...rest } = ipnFields();
    await expect(provider.readNotification(ipnRequest(oracleSign(rest)))).rejects.toMatchObject({ code: "malformed" });
    await expect(
      provider.readNotification(ipnRequest(oracleSign(ipnFields({ vnp_Amount: "1e9" })))),
    ).rejects.toMatchObject({ code: "malformed" });
  });

  it("answers VNPay with the codes and messages of the vnpay package", () => {
    expect(provider.ipnResponse("00")).toEqual(IpnSuccess);
    expect(provider.ipnResponse("01")).toEqual(IpnOrderNotFound);
    expect(provider.ipnResponse("02")).toEqual(InpOrderAlreadyConfirmed);
    expect(provider.ipnResponse("04")).toEqual(IpnInvalidAmount);
    expect(provider.ipnResponse("97")).toEqual(IpnFailChecksum);
    expect(provider.ipnResponse("99")).toEqual(IpnUnknownError);
  });
});

describe("the return URL", () => {
  const provider = createVnpayProvider(config());
  const back = (query: string) => `https://cho.example.vn/payments/vnpay/return?${query}`;

  it("shows a verified result", () => {
    expect(provider.verifyReturn(back(oracleSign(ipnFields())))).toEqual({
      verified: true,
      providerRef: "0f5c2a1e7b9d4c3e9a215d8e6f4b3c2a",
      outcome: "succeeded",
      amountDong: 235_000,
      transactionRef: "14226112",
      responseCode: "00",
      reason: null,
    });
    const cancelled = provider.verifyReturn(
      new URL(back(oracleSign(ipnFields({ vnp_ResponseCode: "24", vnp_TransactionStatus: "02" })))),
    );
    expect(cancelled).toMatchObject({ verified: true, outcome: "failed", reason: "cancelled" });
  });

  it("shows nothing it can't verify", () => {
    expect(provider.verifyReturn(back(oracleSign(ipnFields()).replace("vnp_Amount=23500000", "vnp_Amount=1")))).toEqual(
      {
        verified: false,
      },
    );
    expect(provider.verifyReturn(back(""))).toEqual({ verified: false });
    expect(provider.verifyReturn("not a url")).toEqual({ verified: false });
  });
});

describe("querydr and refund", () => {
  let server: http.Server;
  let apiUrl: string;
  const received: Record<string, string>[] = [];
  let answer: (body: Record<string, string>) => Record<string, unknown> = () => ({});

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => (text += c.toString("utf8")));
      req.on("end", () => {
        const body = JSON.parse(text) as Record<string, string>;
        received.push({ ...body, "content-type": req.headers["content-type"] ?? "", path: req.url ?? "" });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(answer(body)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/merchant_webapi/api/transaction`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    received.length = 0;
  });

  const signAnswer = (fields: Record<string, string | number>, names: readonly string[] = QUERYDR_ANSWER_FIELDS) =>
    signApiAnswer(fields, names, SECRET);
  const txnRef = "0f5c2a1e7b9d4c3e9a215d8e6f4b3c2a";
  const attemptCreatedAt = new Date("2026-11-26T17:10:00Z");
  const paidAnswer = (status = "00") =>
    signAnswer({
      vnp_ResponseId: "4f8c1a",
      vnp_Command: "querydr",
      vnp_ResponseCode: "00",
      vnp_Message: "QueryDR Success",
      vnp_TmnCode: TMN,
      vnp_TxnRef: txnRef,
      vnp_Amount: 23500000, // VNPay sends some numbers as JSON numbers
      vnp_BankCode: "NCB",
      vnp_PayDate: "20261127001500",
      vnp_TransactionNo: "14226112",
      vnp_TransactionType: "01",
      vnp_TransactionStatus: status,
      vnp_OrderInfo: "Thanh toan don ABCD 2345",
    });

  it("querydr sends VNPay's checksum and reads a settled payment as the IPN would have brought it", async () => {
    answer = () => paidAnswer();
    const provider = createVnpayProvider(config({ apiUrl, serverIp: "10.1.2.3" }));
    const result = await provider.queryTransaction({ providerRef: txnRef, createdAt: attemptCreatedAt });
    expect(received).toHaveLength(1);
    const sent = received[0];
    expect(sent).toMatchObject({
      path: "/merchant_webapi/api/transaction",
      "content-type": "application/json",
      vnp_Version: "2.1.0",
      vnp_Command: "querydr",
      vnp_TmnCode: TMN,
      vnp_TxnRef: txnRef,
      vnp_TransactionDate: "20261127001000",
      vnp_CreateDate: "20261127003000",
      vnp_IpAddr: "10.1.2.3",
      vnp_RequestId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(result.status).toBe("succeeded");
    const ipn = await provider.readNotification(ipnRequest(oracleSign(ipnFields())));
    expect(result.notification).toMatchObject({
      eventId: ipn.eventId,
      providerRef: txnRef,
      outcome: "succeeded",
      amountDong: 235_000,
      transactionRef: "14226112",
    });

    // The package, sending the same query, computes the same checksum…
    const oracleApi = new VNPay({
      tmnCode: TMN,
      secureSecret: SECRET,
      queryDrAndRefundHost: apiUrl.replace(/\/merchant.*$/, ""),
    });
    const theirs = await oracleApi.queryDr({
      vnp_RequestId: sent.vnp_RequestId,
      vnp_TxnRef: sent.vnp_TxnRef,
      vnp_OrderInfo: sent.vnp_OrderInfo,
      vnp_TransactionDate: Number(sent.vnp_TransactionDate),
      vnp_CreateDate: Number(sent.vnp_CreateDate),
      vnp_IpAddr: sent.vnp_IpAddr,
      vnp_TransactionNo: 0,
    } as QueryDr);
    expect(received[1].vnp_SecureHash).toBe(sent.vnp_SecureHash);
    // …and verifies the answer our test server signs.
    expect(theirs.isVerified).toBe(true);
    // A new request id each time.
    await provider.queryTransaction({ providerRef: txnRef, createdAt: attemptCreatedAt });
    expect(received[2].vnp_RequestId).not.toBe(sent.vnp_RequestId);
  });

  it("querydr tells pending, failed and unknown transactions apart", async () => {
    const provider = createVnpayProvider(config({ apiUrl }));
    const query = () => provider.queryTransaction({ providerRef: txnRef, createdAt: attemptCreatedAt });
    answer = () => paidAnswer("01");
    expect(await query()).toMatchObject({ status: "pending", notification: null });
    answer = () => paidAnswer("02");
    expect((await query()).notification).toMatchObject({ outcome: "failed", eventId: `${txnRef}:14226112:02` });
    answer = () => paidAnswer("09");
    expect(await query()).toMatchObject({ status: "unknown", notification: null });
    answer = () =>
      signAnswer({ vnp_ResponseId: "1", vnp_Command: "querydr", vnp_ResponseCode: "91", vnp_Message: "Not found" });
    expect(await query()).toMatchObject({ status: "not_found", notification: null });
    answer = () =>
      signAnswer({ vnp_ResponseId: "1", vnp_Command: "querydr", vnp_ResponseCode: "97", vnp_Message: "Bad checksum" });
    await expect(query()).rejects.toMatchObject({ code: "api", responseCode: "97" });
  });

  it("querydr trusts no answer without a valid checksum", async () => {
    const provider = createVnpayProvider(config({ apiUrl }));
    const query = () => provider.queryTransaction({ providerRef: txnRef, createdAt: attemptCreatedAt });
    answer = () => ({ ...paidAnswer(), vnp_Amount: 100 });
    await expect(query()).rejects.toBeInstanceOf(PaymentSignatureError);
    answer = () => {
      const { vnp_SecureHash: _drop, ...unsigned } = paidAnswer();
      return unsigned;
    };
    await expect(query()).rejects.toBeInstanceOf(PaymentSignatureError);
  });

  const refundInput = {
    attemptId: "0f5c2a1e-7b9d-4c3e-9a21-5d8e6f4b3c2a",
    providerRef: txnRef,
    transactionRef: "14226112",
    amountDong: 235_000,
    attemptAmountDong: 235_000,
    attemptCreatedAt,
    idempotencyKey: "refund:0f5c2a1e-7b9d-4c3e-9a21-5d8e6f4b3c2a:1",
    reason: "Đơn đã huỷ: hết hàng",
    requestedBy: "Nguyễn Văn Thịnh",
  };
  const refundAnswer = (body: Record<string, string>, code = "00") =>
    signAnswer(
      {
        vnp_ResponseId: "9a7b",
        vnp_Command: "refund",
        vnp_ResponseCode: code,
        vnp_Message: code === "00" ? "Refund success" : "Refused",
        vnp_TmnCode: TMN,
        vnp_TxnRef: body.vnp_TxnRef,
        vnp_Amount: body.vnp_Amount,
        vnp_BankCode: "NCB",
        vnp_PayDate: "20261127001500",
        vnp_TransactionNo: "14226112",
        vnp_TransactionType: body.vnp_TransactionType,
        vnp_TransactionStatus: "05",
        vnp_OrderInfo: body.vnp_OrderInfo,
      },
      REFUND_ANSWER_FIELDS,
    );

  it("refund sends VNPay's checksum: amount ×100, 02 for a full refund, 03 for a partial one", async () => {
    answer = (body) => refundAnswer(body);
    const provider = createVnpayProvider(config({ apiUrl }));
    const full = await provider.refund(refundInput);
    const partial = await provider.refund({ ...refundInput, amountDong: 35_000, idempotencyKey: "refund:x:2" });
    expect(received[0]).toMatchObject({
      vnp_Command: "refund",
      vnp_Version: "2.1.0",
      vnp_TmnCode: TMN,
      vnp_TransactionType: "02",
      vnp_TxnRef: txnRef,
      vnp_Amount: "23500000",
      vnp_TransactionNo: "14226112",
      vnp_TransactionDate: "20261127001000",
      vnp_CreateDate: "20261127003000",
      vnp_CreateBy: "Nguyen Van Thinh",
      vnp_OrderInfo: "Don da huy het hang",
    });
    expect(received[1]).toMatchObject({ vnp_TransactionType: "03", vnp_Amount: "3500000" });
    expect(full.refundRef).toBe(received[0].vnp_RequestId);
    expect(partial.refundRef).not.toBe(full.refundRef);

    // The same refund asked again is the same request to VNPay (which refuses duplicates).
    await provider.refund(refundInput);
    expect(received[2].vnp_RequestId).toBe(received[0].vnp_RequestId);

    // The package computes the same request checksum for the same refund.
    const oracleApi = new VNPay({
      tmnCode: TMN,
      secureSecret: SECRET,
      queryDrAndRefundHost: apiUrl.replace(/\/merchant.*$/, ""),
    });
    const sent = received[0];
    await oracleApi.refund({
      vnp_RequestId: sent.vnp_RequestId,
      vnp_TransactionType: sent.vnp_TransactionType,
      vnp_TxnRef: sent.vnp_TxnRef,
      vnp_Amount: Number(sent.vnp_Amount) / 100,
      vnp_TransactionNo: Number(sent.vnp_TransactionNo),
      vnp_TransactionDate: Number(sent.vnp_TransactionDate),
      vnp_CreateBy: sent.vnp_CreateBy,
      vnp_CreateDate: Number(sent.vnp_CreateDate),
      vnp_IpAddr: sent.vnp_IpAddr,
      vnp_OrderInfo: sent.vnp_OrderInfo,
    } as Refund);
    expect(received[3].vnp_SecureHash).toBe(sent.vnp_SecureHash);
  });

  it("refund fails loudly when VNPay refuses, or its answer is not signed", async () => {
    const provider = createVnpayProvider(config({ apiUrl }));
    answer = (body) => refundAnswer(body, "94");
    await expect(provider.refund(refundInput)).rejects.toMatchObject({ code: "api", responseCode: "94" });
    answer = (body) => ({ ...refundAnswer(body), vnp_ResponseCode: "00", vnp_Amount: "1" });
    await expect(provider.refund(refundInput)).rejects.toBeInstanceOf(PaymentSignatureError);
  });

  it("refund refuses what it cannot ask VNPay correctly, without calling it", async () => {
    const provider = createVnpayProvider(config({ apiUrl }));
    await expect(provider.refund({ ...refundInput, attemptCreatedAt: undefined })).rejects.toMatchObject({
      code: "input",
    });
    await expect(provider.refund({ ...refundInput, amountDong: 300_000 })).rejects.toMatchObject({ code: "amount" });
    await expect(provider.refund({ ...refundInput, amountDong: 10.5 })).rejects.toMatchObject({ code: "amount" });
    expect(received).toHaveLength(0);
  });
});

describe("configuration", () => {
  it("offers VNPay only when both the terminal code and the hash secret are set", () => {
    expect(vnpayConfigFromEnv(parseEnv({}))).toBeNull();
    expect(vnpayConfigFromEnv(parseEnv({ VNPAY_TMN_CODE: " ", VNPAY_HASH_SECRET: "" }))).toBeNull();
    expect(vnpayConfigFromEnv(parseEnv({ VNPAY_TMN_CODE: TMN, VNPAY_HASH_SECRET: SECRET }))).toEqual({
      tmnCode: TMN,
      hashSecret: SECRET,
      payUrl: "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
      apiUrl: "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction",
    });
    const local = parseEnv({
      VNPAY_TMN_CODE: TMN,
      VNPAY_HASH_SECRET: SECRET,
      VNPAY_PAY_URL: "http://127.0.0.1:4100/paymentv2/vpcpay.html",
      VNPAY_API_URL: "http://127.0.0.1:4100/merchant_webapi/api/transaction",
    });
    expect(vnpayConfigFromEnv(local)?.payUrl).toBe("http://127.0.0.1:4100/paymentv2/vpcpay.html");
  });

  it("stops the server when only half of VNPay is configured", () => {
    expect(() => parseEnv({ VNPAY_TMN_CODE: TMN })).toThrowError(/VNPAY_HASH_SECRET: VNPAY_TMN_CODE and/);
    expect(() => parseEnv({ VNPAY_HASH_SECRET: SECRET })).toThrowError(/VNPAY_TMN_CODE: VNPAY_TMN_CODE and/);
    expect(() => parseEnv({ VNPAY_PAY_URL: "sandbox" })).toThrowError(/VNPAY_PAY_URL/);
  });
});
