/**
 * A local stand-in for eSMS.vn's send API, for tests: point ESMS_API_BASE (or
 * EsmsSmsProvider's `apiBase`) at `url`.
 *
 * POST /MainService.svc/json/SendMultipleMessage_V4_post_json/ with a JSON
 * body is checked the way eSMS documents it (developers.esms.vn: "Send
 * OTP/Customer care message" and its table of error codes), and answered
 * HTTP 200 with eSMS's shapes:
 *   { CodeResult: "100", CountRegenerate: 0, SMSID: "…" }                 taken
 *   { CodeResult: "101", CountRegenerate: 0, ErrorMessage: "Authorize Failed" }
 * 101 wrong ApiKey/SecretKey, 104 a brandname the account has not registered,
 * 118 a message type other than customer care (2), 108 a number not written
 * 0xxxxxxxxx / 84xxxxxxxxx, 124 a RequestId seen before, 103 no balance left,
 * 146 content that matches none of the registered customer-care templates
 * (when templates are given). Sandbox=1 is answered 100 and delivers nothing.
 *
 * It knows nothing of the app's code: a field the adapter gets wrong shows
 * up as a refusal here, as it would from eSMS.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export const ESMS_DOUBLE_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/";

export interface EsmsDoubleOptions {
  apiKey: string;
  secretKey: string;
  /** Brandnames registered to the account. */
  brandnames: string[];
  /** Messages the balance pays for; then 103. Default: no end. */
  balance?: number;
  /** Registered customer-care templates; when given, content matching none is refused (146). */
  templates?: RegExp[];
}

export interface EsmsDelivered {
  phone: string;
  content: string;
  brandname: string;
  isUnicode: string;
  requestId: string;
  smsId: string;
}

export interface EsmsDouble {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Messages eSMS would have delivered (taken, not sandbox), oldest first. */
  delivered: EsmsDelivered[];
  /** Every request body received, parsed (null when it was not JSON). */
  requests: (Record<string, unknown> | null)[];
  /** The next request gets this HTTP status and an HTML page instead of an answer (a gateway outage). */
  failNextWithHttp(status: number): void;
  /** The next request is never answered (a timeout). */
  hangNext(): void;
  /** Messages the balance still pays for. */
  balance: number;
  close(): Promise<void>;
}

const ANSWERS: Record<string, string> = {
  "101": "Authorize Failed",
  "103": "Not enough balance to send message",
  "104": "Brandname does not exist",
  "108": "Phone number is not in correct format",
  "118": "Unsupported message type",
  "124": "Duplicate RequestId",
  "146": "Wrong customer care template",
};

const refusal = (code: string) => ({ CodeResult: code, CountRegenerate: 0, ErrorMessage: ANSWERS[code] });

export async function startEsmsDouble(options: EsmsDoubleOptions): Promise<EsmsDouble> {
  const seenRequestIds = new Set<string>();
  let failHttp: number | null = null;
  let hang = false;
  const hanging: http.ServerResponse[] = [];

  const double: Omit<EsmsDouble, "url" | "close"> = {
    delivered: [],
    requests: [],
    balance: options.balance ?? Number.POSITIVE_INFINITY,
    failNextWithHttp: (status) => void (failHttp = status),
    hangNext: () => void (hang = true),
  };

  function answer(body: Record<string, unknown>) {
    const text = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
    if (text("ApiKey") !== options.apiKey || text("SecretKey") !== options.secretKey) return refusal("101");
    if (text("SmsType") !== "2") return refusal("118");
    if (!options.brandnames.includes(text("Brandname"))) return refusal("104");
    if (!/^(0|84)[35789]\d{8}$/.test(text("Phone"))) return refusal("108");
    const requestId = text("RequestId");
    if (requestId && seenRequestIds.has(requestId)) return refusal("124");
    const content = text("Content");
    if (!content || (options.templates && !options.templates.some((t) => t.test(content)))) return refusal("146");
    if (requestId) seenRequestIds.add(requestId);
    const smsId = randomBytes(16).toString("hex");
    if (text("Sandbox") !== "1") {
      if (double.balance < 1) return refusal("103");
      double.balance -= 1;
      double.delivered.push({
        phone: text("Phone"),
        content,
        brandname: text("Brandname"),
        isUnicode: text("IsUnicode"),
        requestId,
        smsId,
      });
    }
    return { CodeResult: "100", CountRegenerate: 0, SMSID: smsId };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (hang) {
        hang = false;
        hanging.push(res);
        return;
      }
      if (failHttp !== null) {
        res.writeHead(failHttp, { "Content-Type": "text/html" }).end("<html><body>Service Unavailable</body></html>");
        failHttp = null;
        return;
      }
      if (req.method !== "POST" || req.url !== ESMS_DOUBLE_PATH) {
        res.writeHead(404, { "Content-Type": "text/html" }).end("<html><body>Endpoint not found.</body></html>");
        return;
      }
      let body: Record<string, unknown> | null = null;
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        if (parsed && typeof parsed === "object") body = parsed as Record<string, unknown>;
      } catch {
        body = null;
      }
      double.requests.push(body);
      if (!body || !(req.headers["content-type"] ?? "").startsWith("application/json")) {
        res.writeHead(400, { "Content-Type": "text/html" }).end("<html><body>Request Error</body></html>");
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(answer(body)));
    });
  });
  server.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(double, {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
