/**
 * eSMS.vn (ViHAT) brandname SMS, from its public API documentation
 * (developers.esms.vn, "Send OTP/Customer care message"):
 *
 *   POST {ESMS_API_BASE}/MainService.svc/json/SendMultipleMessage_V4_post_json/
 *   Content-Type: application/json
 *   { ApiKey, SecretKey, Phone, Content, Brandname, SmsType: "2",
 *     IsUnicode: "0" | "1", Sandbox: "0" | "1", RequestId }
 *
 * answers HTTP 200 with `{ CodeResult, SMSID?, ErrorMessage?, CountRegenerate }`:
 * CodeResult "100" means eSMS took the message (not yet that the phone got
 * it); anything else is a refusal from its table of error codes (101 wrong
 * ApiKey/SecretKey, 103 balance too low, 104 unknown brandname, 108 bad phone
 * number, 124 duplicate RequestId, 146 content matches no registered
 * customer-care template, …).
 *
 * SmsType 2 is "customer care" (CSKH): the kind for one-time codes, sent
 * under the deployment's registered brandname; eSMS checks the content
 * against the templates registered with it, so every text in auth.json's
 * `sms` section must be registered there (README). Vietnamese with diacritics
 * goes as Unicode (70 characters a part instead of 160).
 *
 * `fetch` is enough: one POST, no SDK. Tests point ESMS_API_BASE at
 * tests/doubles/esms-double.ts.
 */
import { randomUUID } from "node:crypto";
import { SmsSendError, type SmsProvider } from "./sms-provider.server";

export interface EsmsOptions {
  apiKey: string;
  secretKey: string;
  brandname: string;
  /** https://rest.esms.vn, or a test double. */
  apiBase: string;
  /** eSMS's Sandbox=1: the request is checked and answered, nothing is sent or charged. */
  sandbox?: boolean;
  timeoutMs?: number;
}

export const ESMS_SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/";
/** Customer care (CSKH): transactional messages under a brandname. */
export const ESMS_SMS_TYPE_CUSTOMER_CARE = "2";
const ACCEPTED = "100";

type EsmsAnswer = { CodeResult?: unknown; ErrorMessage?: unknown; SMSID?: unknown };

/** "+84912345678" → "0912345678", the way eSMS's examples write numbers. */
export function esmsPhone(e164: string): string {
  return e164.startsWith("+84") ? `0${e164.slice(3)}` : e164.replace(/\D/g, "");
}

// eslint-disable-next-line no-control-regex
const isAscii = (text: string) => /^[\x00-\x7f]*$/.test(text);

export class EsmsSmsProvider implements SmsProvider {
  constructor(private readonly options: EsmsOptions) {}

  async send(toE164: string, text: string): Promise<void> {
    const { apiKey, secretKey, brandname, apiBase, sandbox = false, timeoutMs = 10_000 } = this.options;
    const body = {
      ApiKey: apiKey,
      SecretKey: secretKey,
      Phone: esmsPhone(toE164),
      Content: text,
      Brandname: brandname,
      SmsType: ESMS_SMS_TYPE_CUSTOMER_CARE,
      IsUnicode: isAscii(text) ? "0" : "1",
      Sandbox: sandbox ? "1" : "0",
      // eSMS refuses a RequestId it saw in the last 24 hours: a retried request is never sent twice.
      RequestId: randomUUID(),
    };
    let response: Response;
    try {
      response = await fetch(new URL(ESMS_SEND_PATH, apiBase), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "could not be reached";
      throw new SmsSendError("esms", null, `eSMS ${reason}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SmsSendError("esms", null, `eSMS answered HTTP ${response.status}`);
    }
    const answer = (await response.json().catch(() => null)) as EsmsAnswer | null;
    const code = answer && typeof answer.CodeResult === "string" ? answer.CodeResult : null;
    if (code === ACCEPTED) return;
    const detail = answer && typeof answer.ErrorMessage === "string" ? `: ${answer.ErrorMessage.slice(0, 200)}` : "";
    throw new SmsSendError("esms", code, `eSMS refused the message (CodeResult ${code ?? "missing"}${detail})`);
  }
}
