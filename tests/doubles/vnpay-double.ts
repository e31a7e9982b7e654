/**
 * A local stand-in for VNPay's payment gateway (v2.1.0), for route tests and
 * Playwright: point VNPAY_PAY_URL at `payUrl` and VNPAY_API_URL at `apiUrl`.
 *
 * - GET payUrl with the app's signed pay URL: checks the signature, terminal
 *   code and expiry like VNPay, and shows a tiny page with two buttons,
 *   "Thanh toán" and "Huỷ giao dịch".
 * - Either button sends the IPN, a GET to `${appOrigin}/payments/vnpay/ipn`
 *   signed like VNPay (paid: vnp_ResponseCode and vnp_TransactionStatus 00;
 *   cancelled: 24 and 02), records the app's answer in `ipnAnswers`, then
 *   redirects the browser to vnp_ReturnUrl with the same signed fields.
 * - POST apiUrl answers querydr and refund with VNPay's pipe-joined checksums.
 *
 * It signs on its own (node:crypto), never through the app's code, so a
 * signing bug in the app shows up as a refused payment here.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { type AddressInfo } from "node:net";

export interface VnpayDoubleOptions {
  /** The app under test, e.g. http://127.0.0.1:3000. */
  appOrigin: string;
  tmnCode: string;
  secret: string;
  /** False: pay without telling the app (an IPN lost on the way), for reconciliation tests. */
  sendIpn?: boolean;
  /** A fixed port (Playwright: the app's VNPAY_PAY_URL is set before the double starts); default: any free one. */
  port?: number;
}

export interface IpnAnswer {
  txnRef: string;
  /** What the double told the app: "00" paid, "24" cancelled. */
  responseCode: string;
  /** HTTP status of the app's answer. */
  status: number;
  /** The app's answer, parsed as JSON when it is JSON ({ RspCode, Message }). */
  body: unknown;
}

/** A payment the double has settled, as querydr reports it. */
export interface DoubleTransaction {
  txnRef: string;
  amount: string;
  orderInfo: string;
  transactionNo: string;
  responseCode: string;
  transactionStatus: string;
  payDate: string;
  refundedAmount: number;
}

export interface VnpayDouble {
  /** http://127.0.0.1:<port> */
  url: string;
  payUrl: string;
  apiUrl: string;
  ipnAnswers: IpnAnswer[];
  /** Every querydr/refund body received, in order. */
  apiRequests: Record<string, unknown>[];
  /** Settled payments by vnp_TxnRef. */
  transactions: Map<string, DoubleTransaction>;
  close(): Promise<void>;
}

const PAY_PATH = "/paymentv2/vpcpay.html";
const CONFIRM_PATH = "/paymentv2/confirm";
const API_PATH = "/merchant_webapi/api/transaction";

function hmac(secret: string, text: string): string {
  return createHmac("sha512", secret).update(text, "utf8").digest("hex");
}

/** The fields VNPay signs in a querydr answer, in its documented order. */
export const QUERYDR_ANSWER_FIELDS = [
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
/** A refund answer signs the same fields without the promotion ones. */
export const REFUND_ANSWER_FIELDS = QUERYDR_ANSWER_FIELDS.slice(0, -2);

/** Signs an API answer as VNPay does: the `signed` fields' values joined with "|" (missing ones empty), HMAC-SHA512. */
export function signApiAnswer<F extends Record<string, string | number>>(
  fields: F,
  signed: readonly string[],
  secret: string,
): F & { vnp_SecureHash: string } {
  const text = signed.map((name) => (fields[name] === undefined ? "" : String(fields[name]))).join("|");
  return { ...fields, vnp_SecureHash: hmac(secret, text) };
}

function hashData(fields: Record<string, string>): string {
  return new URLSearchParams(
    Object.entries(fields)
      .filter(([k, v]) => k.startsWith("vnp_") && k !== "vnp_SecureHash" && k !== "vnp_SecureHashType" && v !== "")
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  ).toString();
}

function sameHex(a: string, b: string): boolean {
  return /^[0-9a-f]{128}$/i.test(b) && timingSafeEqual(Buffer.from(a, "hex"), Buffer.from(b, "hex"));
}

/** yyyyMMddHHmmss in GMT+7. */
function gmt7(date: Date): string {
  return new Date(date.getTime() + 7 * 3_600_000).toISOString().replace(/\D/g, "").slice(0, 14);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: http.ServerResponse, status: number, title: string, body: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title></head>
<body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">
<h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startVnpayDouble(options: VnpayDoubleOptions): Promise<VnpayDouble> {
  const { tmnCode, secret } = options;
  const appOrigin = options.appOrigin.replace(/\/+$/, "");
  const ipnAnswers: IpnAnswer[] = [];
  const apiRequests: Record<string, unknown>[] = [];
  const transactions = new Map<string, DoubleTransaction>();
  /** Pay requests shown and not yet settled, by a one-off token in the page's form. */
  const pending = new Map<string, Record<string, string>>();
  let nextTransactionNo = 14_000_000;

  function checkPayRequest(search: URLSearchParams): Record<string, string> | string {
    const fields: Record<string, string> = {};
    for (const [k, v] of search) fields[k] = v;
    if (!sameHex(hmac(secret, hashData(fields)), fields.vnp_SecureHash ?? "")) return "Sai chữ ký (mã lỗi 70)";
    if (fields.vnp_TmnCode !== tmnCode) return "Website này chưa được phê duyệt (mã lỗi 02)";
    if (fields.vnp_Version !== "2.1.0" || fields.vnp_Command !== "pay" || "vnp_SecureHashType" in fields) {
      return "Dữ liệu gửi sang không đúng định dạng (mã lỗi 03)";
    }
    if (!/^\d+00$/.test(fields.vnp_Amount ?? "")) return "Số tiền không hợp lệ (mã lỗi 03)";
    if (fields.vnp_ExpireDate && fields.vnp_ExpireDate < gmt7(new Date())) {
      return "Giao dịch đã quá thời gian chờ thanh toán (mã lỗi 11)";
    }
    if (transactions.has(fields.vnp_TxnRef)) return "Giao dịch đã tồn tại (mã lỗi 01)";
    return fields;
  }

  async function settle(res: http.ServerResponse, request: Record<string, string>, paid: boolean) {
    const transactionNo = paid ? String(nextTransactionNo++) : "0";
    const result: Record<string, string> = {
      vnp_Amount: request.vnp_Amount,
      vnp_BankCode: paid ? "NCB" : "VNPAY",
      vnp_BankTranNo: paid ? `VNP${transactionNo}` : "",
      vnp_CardType: paid ? "ATM" : "QRCODE",
      vnp_OrderInfo: request.vnp_OrderInfo,
      vnp_PayDate: gmt7(new Date()),
      vnp_ResponseCode: paid ? "00" : "24",
      vnp_TmnCode: tmnCode,
      vnp_TransactionNo: transactionNo,
      vnp_TransactionStatus: paid ? "00" : "02",
      vnp_TxnRef: request.vnp_TxnRef,
    };
    transactions.set(request.vnp_TxnRef, {
      txnRef: request.vnp_TxnRef,
      amount: request.vnp_Amount,
      orderInfo: request.vnp_OrderInfo,
      transactionNo,
      responseCode: result.vnp_ResponseCode,
      transactionStatus: result.vnp_TransactionStatus,
      payDate: result.vnp_PayDate,
      refundedAmount: 0,
    });
    const data = hashData(result);
    const query = `${data}&vnp_SecureHash=${hmac(secret, data)}`;
    if (options.sendIpn !== false) {
      const answer = await fetch(`${appOrigin}/payments/vnpay/ipn?${query}`, { signal: AbortSignal.timeout(15_000) });
      const text = await answer.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Kept as text: a test will want to see what the app said instead.
      }
      ipnAnswers.push({
        txnRef: request.vnp_TxnRef,
        responseCode: result.vnp_ResponseCode,
        status: answer.status,
        body,
      });
    }
    const back = new URL(request.vnp_ReturnUrl);
    back.search = back.search ? `${back.search}&${query}` : query;
    res.writeHead(302, { location: back.href, "cache-control": "no-store" });
    res.end();
  }

  const apiAnswer = (fields: Record<string, string>, signed: readonly string[]) =>
    signApiAnswer(fields, signed, secret);

  function handleApi(body: Record<string, unknown>): Record<string, string> {
    apiRequests.push(body);
    const f = (k: string) => (body[k] === undefined || body[k] === null ? "" : String(body[k]));
    const command = f("vnp_Command");
    const responseId = randomBytes(8).toString("hex");
    const base = {
      vnp_ResponseId: responseId,
      vnp_Command: command,
      vnp_TmnCode: tmnCode,
      vnp_TxnRef: f("vnp_TxnRef"),
    };
    const requestFields =
      command === "querydr"
        ? ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate"].concat([
            "vnp_CreateDate",
            "vnp_IpAddr",
            "vnp_OrderInfo",
          ])
        : ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef"]
            .concat(["vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate"])
            .concat(["vnp_IpAddr", "vnp_OrderInfo"]);
    const answerFields = command === "querydr" ? QUERYDR_ANSWER_FIELDS : REFUND_ANSWER_FIELDS;
    const fail = (code: string, message: string) =>
      apiAnswer({ ...base, vnp_ResponseCode: code, vnp_Message: message }, answerFields);

    if (command !== "querydr" && command !== "refund") return fail("03", "Invalid command");
    if (f("vnp_TmnCode") !== tmnCode) return fail("02", "Invalid TmnCode");
    const expected = hmac(secret, requestFields.map(f).join("|"));
    if (!sameHex(expected, f("vnp_SecureHash"))) return fail("97", "Invalid checksum");
    const txn = transactions.get(f("vnp_TxnRef"));
    if (!txn) return fail("91", "Transaction not found");
    const settled = {
      ...base,
      vnp_ResponseCode: "00",
      vnp_Message: command === "querydr" ? "QueryDR Success" : "Refund success",
      vnp_Amount: txn.amount,
      vnp_BankCode: "NCB",
      vnp_PayDate: txn.payDate,
      vnp_TransactionNo: txn.transactionNo,
      vnp_TransactionType: "01",
      vnp_TransactionStatus: txn.transactionStatus,
      vnp_OrderInfo: txn.orderInfo,
    };
    if (command === "querydr") return apiAnswer(settled, answerFields);

    if (txn.transactionStatus !== "00") return fail("95", "Transaction is not successful at VNPAY");
    const amount = Number(f("vnp_Amount"));
    if (!Number.isSafeInteger(amount) || amount <= 0 || txn.refundedAmount + amount > Number(txn.amount)) {
      return fail("03", "Invalid amount");
    }
    if (apiRequests.slice(0, -1).some((r) => r.vnp_Command === "refund" && r.vnp_RequestId === body.vnp_RequestId)) {
      return fail("94", "Duplicate request");
    }
    txn.refundedAmount += amount;
    return apiAnswer(
      {
        ...settled,
        vnp_Amount: String(amount),
        vnp_TransactionType: f("vnp_TransactionType"),
        vnp_TransactionStatus: "05",
      },
      answerFields,
    );
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://double");
    void (async () => {
      if (req.method === "GET" && url.pathname === PAY_PATH) {
        const checked = checkPayRequest(url.searchParams);
        if (typeof checked === "string")
          return page(res, 400, "Thông báo", `<p role="alert">${escapeHtml(checked)}</p>`);
        const token = randomBytes(12).toString("hex");
        pending.set(token, checked);
        const amount = new Intl.NumberFormat("vi-VN").format(Number(checked.vnp_Amount) / 100);
        return page(
          res,
          200,
          "VNPay (thử nghiệm)",
          `<p>Đơn hàng: ${escapeHtml(checked.vnp_OrderInfo ?? "")}</p>
<p>Số tiền: <strong>${amount} VND</strong></p>
<form method="post" action="${CONFIRM_PATH}">
<input type="hidden" name="token" value="${token}">
<button type="submit" name="action" value="pay">Thanh toán</button>
<button type="submit" name="action" value="cancel">Huỷ giao dịch</button>
</form>`,
        );
      }
      if (req.method === "POST" && url.pathname === CONFIRM_PATH) {
        const form = new URLSearchParams(await readBody(req));
        const request = pending.get(form.get("token") ?? "");
        if (!request) return page(res, 400, "Thông báo", `<p role="alert">Giao dịch không tồn tại.</p>`);
        pending.delete(form.get("token") ?? "");
        return await settle(res, request, form.get("action") === "pay");
      }
      if (req.method === "POST" && url.pathname === API_PATH) {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(await readBody(req)) as Record<string, unknown>;
        } catch {
          res.writeHead(400).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify(handleApi(body)));
      }
      res.writeHead(404).end();
    })().catch((error: unknown) => {
      console.error("VNPay double:", error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    payUrl: `${url}${PAY_PATH}`,
    apiUrl: `${url}${API_PATH}`,
    ipnAnswers,
    apiRequests,
    transactions,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
