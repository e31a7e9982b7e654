import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env, type Env } from "~/utils/env.server";
import {
  PaymentSignatureError,
  type PaymentNotification,
  type PaymentProvider,
  type RefundInput,
  type StartedPayment,
  type StartPaymentInput,
} from "../core/provider";

/**
 * VNPay payment gateway, API version 2.1.0 (sandbox.vnpayment.vn/apis/docs).
 *
 * The buyer is sent to a signed pay URL; VNPay then calls our IPN
 * (/payments/vnpay/ipn, a server-to-server GET) with the result, which is the
 * only thing that marks an attempt paid, and sends the buyer back to the
 * return URL, which only displays. querydr (the reconciliation job) and refund
 * are JSON POSTs to VNPay's merchant API, each with its own checksum.
 *
 * Signing: hex HMAC-SHA512 with the hash secret over the vnp_* fields but the
 * hash itself, sorted by name, form-urlencoded (spaces as "+"), empty values
 * left out. v2.1.0 sends no vnp_SecureHashType. provider.server.test.ts checks
 * all of it against the `vnpay` npm package.
 *
 * Amounts cross this edge as integer đồng; vnp_Amount is đồng × 100. Dates are
 * yyyyMMddHHmmss in Vietnam time (GMT+7, no daylight saving) whatever the
 * server's time zone.
 */

export const VNPAY_VERSION = "2.1.0";
export const VNPAY_SANDBOX_PAY_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html";
export const VNPAY_SANDBOX_API_URL = "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction";
/** VNPay refuses a payment below 5 000 ₫ or from 1 000 000 000 ₫ up: offer it only in between. */
export const VNPAY_MIN_DONG = 5_000;
export const VNPAY_MAX_DONG = 999_999_999;

/** Whether VNPay takes one payment of this amount (VNPAY_MIN_DONG … VNPAY_MAX_DONG). */
export const vnpayTakes = (amountDong: number) => amountDong >= VNPAY_MIN_DONG && amountDong <= VNPAY_MAX_DONG;

export interface VnpayConfig {
  /** vnp_TmnCode: the merchant's terminal code (8 characters). */
  tmnCode: string;
  hashSecret: string;
  /** Where buyers pay (VNPAY_PAY_URL). */
  payUrl: string;
  /** querydr and refund (VNPAY_API_URL). */
  apiUrl: string;
  /** vnp_IpAddr of our querydr/refund calls: the server's address as VNPay sees it. */
  serverIp?: string;
  /** The clock (tests). */
  now?: () => Date;
}

/** VNPay is offered only when both the terminal code and the hash secret are set. */
export function vnpayConfigFromEnv(e: Env = env()): VnpayConfig | null {
  if (!e.VNPAY_TMN_CODE || !e.VNPAY_HASH_SECRET) return null;
  return {
    tmnCode: e.VNPAY_TMN_CODE,
    hashSecret: e.VNPAY_HASH_SECRET,
    payUrl: e.VNPAY_PAY_URL,
    apiUrl: e.VNPAY_API_URL,
  };
}

export type VnpayErrorCode = "amount" | "input" | "malformed" | "api";

/**
 * Something other than a bad signature: an amount VNPay can't take, a signed
 * message missing fields it always has, or the merchant API refusing.
 */
export class VnpayError extends Error {
  readonly code: VnpayErrorCode;
  /** The merchant API's vnp_ResponseCode, for "api". */
  readonly responseCode?: string;

  constructor(code: VnpayErrorCode, message: string, responseCode?: string) {
    super(`VNPay ${code}: ${message}`);
    this.name = "VnpayError";
    this.code = code;
    this.responseCode = responseCode;
  }
}

// ---------------------------------------------------------------------------
// Signing and formats

type Fields = Record<string, string>;

function hmacSha512(secret: string, text: string): string {
  return createHmac("sha512", secret).update(Buffer.from(text, "utf8")).digest("hex");
}

/**
 * The text a pay URL, IPN or return URL is signed over: vnp_* fields except
 * vnp_SecureHash(Type), non-empty, sorted by name, form-urlencoded.
 */
export function vnpayHashData(fields: Fields): string {
  const entries = Object.entries(fields)
    .filter(([k, v]) => k.startsWith("vnp_") && k !== "vnp_SecureHash" && k !== "vnp_SecureHashType" && v !== "")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(entries).toString();
}

/** vnp_SecureHash of a set of query fields. */
export function vnpaySecureHash(fields: Fields, hashSecret: string): string {
  return hmacSha512(hashSecret, vnpayHashData(fields));
}

/** The fields in the query order VNPay uses (sorted), with vnp_SecureHash last. */
export function signedVnpayQuery(fields: Fields, hashSecret: string): string {
  const data = vnpayHashData(fields);
  return `${data}&vnp_SecureHash=${hmacSha512(hashSecret, data)}`;
}

const GMT7_MS = 7 * 60 * 60 * 1000;

/** yyyyMMddHHmmss in Vietnam time: 2026-11-26T17:30:00Z → "20261127003000". */
export function vnpayDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new VnpayError("input", "not a date");
  // Shift the instant by 7 hours and read it as UTC: the server's own zone never enters.
  const t = new Date(date.getTime() + GMT7_MS);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${String(t.getUTCFullYear()).padStart(4, "0")}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}`;
}

/** The instant a VNPay date (GMT+7) names, or null when it is not one. */
export function parseVnpayDate(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - GMT7_MS);
  return vnpayDate(date) === text ? date : null;
}

/** vnp_Amount: whole đồng × 100. Refuses anything but a positive whole number of đồng. */
export function vnpayAmount(amountDong: number): number {
  if (!Number.isSafeInteger(amountDong) || amountDong <= 0 || !Number.isSafeInteger(amountDong * 100)) {
    throw new VnpayError("amount", `${amountDong} is not a positive whole number of đồng`);
  }
  return amountDong * 100;
}

/**
 * Text for vnp_OrderInfo: VNPay wants Vietnamese without diacritics and no
 * special characters. Tones and vowel marks go (NFKD), đ becomes d, anything
 * but A–Z, a–z, 0–9 becomes a space: "Thanh toán đơn ABCD-2345" →
 * "Thanh toan don ABCD 2345". At most 255 characters.
 */
export function vnpayOrderInfo(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/[ĐÐ]/g, "D")
    .replace(/[^A-Za-z0-9]+/g, " ")
    .trim()
    .slice(0, 255)
    .trim();
}

/**
 * vnp_TxnRef of an attempt: its id with only letters and digits (a uuid loses
 * its dashes), so it is new for every attempt and the same every time one
 * attempt's URL is built again.
 */
export function vnpayTxnRef(attemptId: string): string {
  const ref = attemptId.replace(/[^A-Za-z0-9]/g, "");
  if (ref.length === 0 || ref.length > 100)
    throw new VnpayError("input", `attempt id ${attemptId} can't be a vnp_TxnRef`);
  return ref;
}

/** "0b1f…" (32 hex digits) → the uuid it was made from (vnpayTxnRef), or undefined. */
export function attemptIdFromTxnRef(txnRef: string): string | undefined {
  const m = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i.exec(txnRef);
  return m ? m.slice(1).join("-").toLowerCase() : undefined;
}

function vnpayIp(ip: string): string {
  const plain = ip.trim().replace(/^::ffff:/i, "");
  return plain.length > 0 && plain.length <= 45 ? plain : "127.0.0.1";
}

/**
 * One id per payment result, whichever way it reaches us (the IPN, or querydr
 * when the IPN never came), so the payment domain records it once.
 * vnp_TransactionStatus is the payment's result in both; vnp_ResponseCode is
 * not (in querydr it is the query's own result).
 */
function paymentEventId(txnRef: string, transactionNo: string, transactionStatus: string): string {
  return `${txnRef}:${transactionNo || "0"}:${transactionStatus}`;
}

// ---------------------------------------------------------------------------
// IPN and return URL

/** The answers VNPay expects from the IPN, with the messages of the `vnpay` package's constants. */
export const VNPAY_IPN_ANSWERS = {
  "00": "Confirm Success",
  "01": "Order not found",
  "02": "Order already confirmed",
  "04": "Invalid amount",
  "97": "Fail checksum",
  "99": "Unknown error",
} as const;

export type VnpayIpnCode = keyof typeof VNPAY_IPN_ANSWERS;

/**
 * The IPN's JSON body. RspCode says what we did with the message, not how the
 * payment went: a failed payment, once recorded, also answers 00 (the `vnpay`
 * package's docs answer 99 there, which only makes VNPay call again).
 */
export function vnpayIpnResponse(code: VnpayIpnCode): { RspCode: VnpayIpnCode; Message: string } {
  return { RspCode: code, Message: VNPAY_IPN_ANSWERS[code] };
}

/** Why a payment did not go through, coarse enough for a message to the buyer. */
export type VnpayFailureReason = "cancelled" | "timeout" | "insufficient_funds" | "limit_exceeded" | "other";

export function vnpayFailureReason(responseCode: string): VnpayFailureReason {
  switch (responseCode) {
    case "24":
      return "cancelled";
    case "11":
      return "timeout";
    case "51":
      return "insufficient_funds";
    case "65":
      return "limit_exceeded";
    default:
      return "other";
  }
}

/** What the return page may show. Never authoritative: the IPN is. */
export type VnpayReturn =
  | { verified: false }
  | {
      verified: true;
      providerRef: string;
      outcome: "succeeded" | "failed";
      amountDong: number;
      transactionRef?: string;
      responseCode: string;
      /** null when it succeeded. */
      reason: VnpayFailureReason | null;
    };

/**
 * The vnp_* fields of a query string once their hash checks out. A field twice
 * is refused rather than guessed at.
 */
function verifiedFields(search: URLSearchParams, config: VnpayConfig): Fields {
  const fields: Fields = {};
  for (const [key, value] of search) {
    if (!key.startsWith("vnp_")) continue;
    if (Object.hasOwn(fields, key)) throw new PaymentSignatureError(`VNPay field ${key} appears twice`);
    fields[key] = value;
  }
  const received = fields.vnp_SecureHash ?? "";
  if (!/^[0-9a-f]{128}$/i.test(received)) throw new PaymentSignatureError("VNPay vnp_SecureHash is missing");
  const expected = Buffer.from(vnpaySecureHash(fields, config.hashSecret), "hex");
  if (!timingSafeEqual(expected, Buffer.from(received, "hex"))) {
    throw new PaymentSignatureError("VNPay vnp_SecureHash does not match");
  }
  if (fields.vnp_TmnCode !== config.tmnCode) {
    throw new PaymentSignatureError("VNPay message is for another merchant (vnp_TmnCode)");
  }
  return fields;
}

function required(fields: Fields, name: string): string {
  const value = fields[name];
  if (!value) throw new VnpayError("malformed", `${name} is missing`);
  return value;
}

/**
 * đồng from a signed vnp_Amount. A signed amount that is not a multiple of 100
 * is passed on as it is (a fraction of a đồng): it is authentic, only wrong,
 * and the domain's comparison with the attempt refuses it (RspCode 04).
 */
function amountFromVnpay(text: string): number {
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new VnpayError("malformed", `vnp_Amount ${text} is not a number`);
  }
  return Number(text) / 100;
}

function paymentNotification(fields: Fields): PaymentNotification {
  const txnRef = required(fields, "vnp_TxnRef");
  const responseCode = required(fields, "vnp_ResponseCode");
  const transactionStatus = fields.vnp_TransactionStatus ?? "";
  const transactionNo = fields.vnp_TransactionNo ?? "";
  const amountDong = amountFromVnpay(required(fields, "vnp_Amount"));
  return {
    provider: "vnpay",
    eventId: paymentEventId(txnRef, transactionNo, transactionStatus),
    providerRef: txnRef,
    // VNPay's rule: paid only when both say so; vnp_ResponseCode alone is not enough.
    outcome: responseCode === "00" && transactionStatus === "00" ? "succeeded" : "failed",
    amountDong,
    // VNPay settles in đồng only; the IPN carries no currency field.
    currency: "VND",
    transactionRef: transactionNo && transactionNo !== "0" ? transactionNo : undefined,
    raw: fields,
  };
}

// ---------------------------------------------------------------------------
// querydr and refund

/** The result of querydr for one attempt, for the reconciliation job. */
export interface VnpayQueryResult {
  /**
   * succeeded / failed: settled at VNPay (apply `notification`); pending: the
   * buyer has not finished or VNPay is reviewing it; not_found: VNPay never saw
   * this vnp_TxnRef (the buyer never reached VNPay); unknown: a state this code
   * does not act on (look at raw).
   */
  status: "succeeded" | "failed" | "pending" | "not_found" | "unknown";
  transactionStatus?: string;
  /** The same notification (and event id) the IPN would have brought. */
  notification: PaymentNotification | null;
  raw: Fields;
}

export interface VnpayQueryInput {
  /** vnp_TxnRef (the attempt's providerRef). */
  providerRef: string;
  /** When the attempt was created: the vnp_CreateDate of its pay URL (StartPaymentInput.createdAt). */
  createdAt: Date;
}

const QUERY_FIELDS = [
  "vnp_ResponseId",
  "vnp_Command",
  "vnp_ResponseCode",
  "vnp_Message",
  "vnp_TmnCode",
  "vnp_TxnRef",
  "vnp_Amount",
  "vnp_BankCode",
  "vnp_PayDate",
  "vnp_TransactionNo",
  "vnp_TransactionType",
  "vnp_TransactionStatus",
  "vnp_OrderInfo",
  "vnp_PromotionCode",
  "vnp_PromotionAmount",
] as const;
// The refund answer is signed over the same fields without the promotion ones.
const REFUND_FIELDS = QUERY_FIELDS.slice(0, 13);

/** The pipe-joined text querydr/refund requests and answers are signed over. */
function pipeHash(secret: string, values: readonly (string | undefined)[]): string {
  return hmacSha512(secret, values.map((v) => v ?? "").join("|"));
}

/** vnp_RequestId: 1–32 letters or digits, unique within a day. */
function requestIdFrom(seed?: string): string {
  return seed ? createHash("sha256").update(seed).digest("hex").slice(0, 32) : randomBytes(16).toString("hex");
}

export interface VnpayProvider extends PaymentProvider {
  readonly id: "vnpay";
  /** Checks the return URL's signature; returns what the page may show. */
  verifyReturn(url: string | URL): VnpayReturn;
  ipnResponse(code: VnpayIpnCode): { RspCode: VnpayIpnCode; Message: string };
  queryTransaction(attempt: VnpayQueryInput): Promise<VnpayQueryResult>;
}

export function createVnpayProvider(config: VnpayConfig): VnpayProvider {
  if (!config.tmnCode || !config.hashSecret) throw new Error("VNPay needs a terminal code and a hash secret");
  const now = config.now ?? (() => new Date());
  const serverIp = config.serverIp ?? "127.0.0.1";

  async function startPayment(input: StartPaymentInput): Promise<StartedPayment> {
    const amount = vnpayAmount(input.amountDong);
    const createdAt = input.createdAt ?? now();
    if (!(input.expiresAt.getTime() > createdAt.getTime())) {
      throw new VnpayError("input", "expiresAt must be after the attempt is created");
    }
    if (!/^https?:\/\//i.test(input.returnUrl) || !URL.canParse(input.returnUrl)) {
      throw new VnpayError("input", `return URL ${input.returnUrl} is not an absolute http(s) URL`);
    }
    const txnRef = vnpayTxnRef(input.attemptId);
    const fields: Fields = {
      vnp_Version: VNPAY_VERSION,
      vnp_Command: "pay",
      vnp_TmnCode: config.tmnCode,
      vnp_Amount: String(amount),
      vnp_CurrCode: "VND",
      vnp_TxnRef: txnRef,
      vnp_OrderInfo: vnpayOrderInfo(input.description) || vnpayOrderInfo(`Thanh toan ${input.orderRef}`),
      vnp_OrderType: "other",
      vnp_Locale: input.locale === "en" ? "en" : "vn",
      vnp_ReturnUrl: input.returnUrl,
      vnp_IpAddr: vnpayIp(input.ip),
      vnp_CreateDate: vnpayDate(createdAt),
      vnp_ExpireDate: vnpayDate(input.expiresAt),
    };
    return { redirectUrl: `${config.payUrl}?${signedVnpayQuery(fields, config.hashSecret)}`, providerRef: txnRef };
  }

  async function readNotification(request: Request): Promise<PaymentNotification> {
    return paymentNotification(verifiedFields(new URL(request.url).searchParams, config));
  }

  function verifyReturn(url: string | URL): VnpayReturn {
    try {
      const n = paymentNotification(verifiedFields(new URL(url).searchParams, config));
      const responseCode = (n.raw as Fields).vnp_ResponseCode;
      return {
        verified: true,
        providerRef: n.providerRef,
        outcome: n.outcome === "succeeded" ? "succeeded" : "failed",
        amountDong: n.amountDong,
        transactionRef: n.transactionRef,
        responseCode,
        reason: n.outcome === "succeeded" ? null : vnpayFailureReason(responseCode),
      };
    } catch (error) {
      if (error instanceof PaymentSignatureError || error instanceof VnpayError || error instanceof TypeError) {
        return { verified: false };
      }
      throw error;
    }
  }

  /** POSTs to the merchant API and returns the answer once its checksum checks out. */
  async function callApi(body: Fields, answerFields: readonly string[]): Promise<Fields> {
    const response = await fetch(config.apiUrl, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    if (!response.ok) throw new VnpayError("api", `${body.vnp_Command} answered HTTP ${response.status}`);
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new VnpayError("api", `${body.vnp_Command} answered something that is not JSON`);
    }
    if (!json || typeof json !== "object") throw new VnpayError("api", `${body.vnp_Command} answered no object`);
    // VNPay sends some numbers as JSON numbers; the checksum is over their text.
    const answer: Fields = {};
    for (const [k, v] of Object.entries(json)) if (v !== null && v !== undefined) answer[k] = String(v);
    const received = answer.vnp_SecureHash ?? "";
    const expected = pipeHash(
      config.hashSecret,
      answerFields.map((f) => answer[f]),
    );
    if (
      !/^[0-9a-f]{128}$/i.test(received) ||
      !timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(received, "hex"))
    ) {
      throw new PaymentSignatureError(
        `VNPay ${body.vnp_Command} answer (${answer.vnp_ResponseCode ?? "?"} ${answer.vnp_Message ?? ""}) has no valid checksum`,
      );
    }
    return answer;
  }

  async function queryTransaction(attempt: VnpayQueryInput): Promise<VnpayQueryResult> {
    const body: Fields = {
      vnp_RequestId: requestIdFrom(),
      vnp_Version: VNPAY_VERSION,
      vnp_Command: "querydr",
      vnp_TmnCode: config.tmnCode,
      vnp_TxnRef: attempt.providerRef,
      vnp_OrderInfo: `Truy van ${attempt.providerRef}`,
      vnp_TransactionDate: vnpayDate(attempt.createdAt),
      vnp_CreateDate: vnpayDate(now()),
      vnp_IpAddr: serverIp,
    };
    body.vnp_SecureHash = pipeHash(config.hashSecret, [
      body.vnp_RequestId,
      body.vnp_Version,
      body.vnp_Command,
      body.vnp_TmnCode,
      body.vnp_TxnRef,
      body.vnp_TransactionDate,
      body.vnp_CreateDate,
      body.vnp_IpAddr,
      body.vnp_OrderInfo,
    ]);
    const answer = await callApi(body, QUERY_FIELDS);
    const code = answer.vnp_ResponseCode;
    if (code === "91") return { status: "not_found", notification: null, raw: answer };
    if (code !== "00") throw new VnpayError("api", `querydr answered ${code}: ${answer.vnp_Message ?? ""}`, code);
    if (answer.vnp_TxnRef !== attempt.providerRef) {
      throw new VnpayError("api", `querydr for ${attempt.providerRef} answered about ${answer.vnp_TxnRef}`);
    }
    const transactionStatus = answer.vnp_TransactionStatus ?? "";
    const status: VnpayQueryResult["status"] =
      transactionStatus === "00"
        ? "succeeded"
        : transactionStatus === "01" || transactionStatus === "07"
          ? "pending"
          : transactionStatus === "02" || transactionStatus === "04"
            ? "failed"
            : "unknown";
    if (status !== "succeeded" && status !== "failed")
      return { status, transactionStatus, notification: null, raw: answer };
    const transactionNo = answer.vnp_TransactionNo ?? "";
    const notification: PaymentNotification = {
      provider: "vnpay",
      eventId: paymentEventId(attempt.providerRef, transactionNo, transactionStatus),
      providerRef: attempt.providerRef,
      outcome: status,
      amountDong: amountFromVnpay(required(answer, "vnp_Amount")),
      currency: "VND",
      transactionRef: transactionNo && transactionNo !== "0" ? transactionNo : undefined,
      raw: answer,
    };
    return { status, transactionStatus, notification, raw: answer };
  }

  /**
   * VNPay refunds need the original payment's date and, to tell a full refund
   * (02) from a partial one (03), its amount. vnp_RequestId comes from the
   * idempotency key: a retry of the same refund is the same request, which
   * VNPay answers 94 (already asked) instead of refunding twice.
   */
  async function refund(input: RefundInput): Promise<{ refundRef: string }> {
    if (!input.attemptCreatedAt) throw new VnpayError("input", "a VNPay refund needs attemptCreatedAt");
    const amount = vnpayAmount(input.amountDong);
    if (input.attemptAmountDong !== undefined && input.amountDong > input.attemptAmountDong) {
      throw new VnpayError("amount", `refund of ${input.amountDong} is more than the ${input.attemptAmountDong} paid`);
    }
    const body: Fields = {
      vnp_RequestId: requestIdFrom(input.idempotencyKey),
      vnp_Version: VNPAY_VERSION,
      vnp_Command: "refund",
      vnp_TmnCode: config.tmnCode,
      vnp_TransactionType: input.amountDong === input.attemptAmountDong ? "02" : "03",
      vnp_TxnRef: input.providerRef,
      vnp_Amount: String(amount),
      vnp_TransactionNo: input.transactionRef ?? "0",
      vnp_TransactionDate: vnpayDate(input.attemptCreatedAt),
      vnp_CreateBy: vnpayOrderInfo(input.requestedBy ?? "") || "system",
      vnp_CreateDate: vnpayDate(now()),
      vnp_IpAddr: serverIp,
      vnp_OrderInfo: vnpayOrderInfo(input.reason) || `Hoan tien ${input.providerRef}`,
    };
    body.vnp_SecureHash = pipeHash(config.hashSecret, [
      body.vnp_RequestId,
      body.vnp_Version,
      body.vnp_Command,
      body.vnp_TmnCode,
      body.vnp_TransactionType,
      body.vnp_TxnRef,
      body.vnp_Amount,
      body.vnp_TransactionNo,
      body.vnp_TransactionDate,
      body.vnp_CreateBy,
      body.vnp_CreateDate,
      body.vnp_IpAddr,
      body.vnp_OrderInfo,
    ]);
    const answer = await callApi(body, REFUND_FIELDS);
    const code = answer.vnp_ResponseCode;
    if (code !== "00") throw new VnpayError("api", `refund answered ${code}: ${answer.vnp_Message ?? ""}`, code);
    // Our vnp_RequestId names this refund at VNPay (its answer carries the payment's vnp_TransactionNo).
    return { refundRef: body.vnp_RequestId };
  }

  return {
    id: "vnpay",
    startPayment,
    readNotification,
    verifyReturn,
    ipnResponse: vnpayIpnResponse,
    queryTransaction,
    refund,
  };
}
