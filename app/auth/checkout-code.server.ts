/**
 * The checkout's code step (ADR 019): whether whoever is ordering has shown
 * they hold the number, and when not, the SMS code sent (`checkout.code.ip`
 * limits what one address can text to strangers) and the code typed checked.
 * A code proved here is remembered in the browser (`setCookie`) for the
 * checkouts after it. The checkout (app/orders) is told whether the number
 * is proved; it says when a code is needed (PhoneCodeNeeded).
 */
import type { TFunction } from "i18next";
import { codeNotRight, codeNotSent } from "./code-answers.server";
import { phoneProvedBefore, requestPhoneCode, verifyPhoneCode } from "./phone-proof.server";
import { checkoutProofTokensFrom, rememberCheckoutProof } from "./proof-cookie.server";
import { countHit, Refusal } from "~/http/index.server";
import type { Database } from "~/utils/db.server";
import type { Logger } from "~/utils/logger.server";

/** What the page shows after the code step: the form again, with the step or without it. */
export interface CodeStepAnswer {
  errors: { form?: string; code?: string };
  status: number;
  headers?: Record<string, string>;
  /** Whether the code step shows (a code that did come still works). */
  codeStep: boolean;
}

interface Asking {
  /** E.164. */
  phone: string;
  ip: string;
  /** Where links in the SMS point. */
  siteUrl: string;
  /** The page's translations (orders, auth) and the SMS's (auth, the reader's language). */
  t: TFunction;
  authT: TFunction;
  log: Pick<Logger, "error" | "info">;
}

/** Sends the SMS code (the prove-the-phone flow's "checkout" row): the code step, or why not. */
export async function sendCheckoutCode({ phone, ip, siteUrl, t, authT, log }: Asking): Promise<CodeStepAnswer> {
  const fromHere = await countHit("checkout.code.ip", ip);
  if (!fromHere.allowed) {
    const refusal = new Refusal("tooMany", fromHere.retryAfterSeconds);
    const form = t("orders:limits.codes", { count: refusal.minutes });
    return { errors: { form }, status: refusal.status, headers: refusal.headers, codeStep: false };
  }
  const sent = await requestPhoneCode("checkout", { phone, ip, t: authT, siteUrl });
  if (sent.ok) return { errors: {}, status: 200, codeStep: true };
  if ("error" in sent) log.error({ err: sent.error, flow: "checkout" }, "sending the SMS failed");
  return { ...codeNotSent(t, sent), codeStep: true };
}

export type PhoneStep =
  /** Go on and place the checkout; `proved` is stored on its orders. */
  | { proved: boolean; setCookie: string | null }
  | { answer: CodeStepAnswer }
  /** The code had expired because a first tap placed the checkout meanwhile (its code is spent now). */
  | { emptied: true };

/**
 * Where the code step stands for this post: already proved (an account's
 * confirmed phone, a proof this browser holds), a code asked again
 * (intent=resend), a code typed (intent=verify, or a code in the form), or
 * nothing to do yet (placeCheckout says whether a code is needed).
 */
export async function checkoutPhoneStep(
  db: Database,
  request: Request,
  asking: Asking & { intent: unknown; typed: string; userId: string | undefined; cartEmpty: () => Promise<boolean> },
): Promise<PhoneStep> {
  const { phone, ip, t, intent, userId } = asking;
  const proofTokens = await checkoutProofTokensFrom(request);
  if (await phoneProvedBefore(db, { userId, phone, proofTokens })) return { proved: true, setCookie: null };
  if (intent === "resend") return { answer: await sendCheckoutCode(asking) };
  const typed = asking.typed.replace(/\s/g, "");
  if (intent !== "verify" && !typed) return { proved: false, setCookie: null };
  if (!/^\d{6}$/.test(typed)) {
    return { answer: { errors: { code: t("auth:errors.code.format") }, status: 400, codeStep: true } };
  }
  const verified = await verifyPhoneCode("checkout", { phone, code: typed, ip });
  if (!verified.ok) {
    if ("reason" in verified && verified.reason === "expired" && (await asking.cartEmpty())) return { emptied: true };
    return { answer: { ...codeNotRight(t, verified), codeStep: true } };
  }
  if (verified.outcome !== "checkout") throw new Error(`checkout code gave ${verified.outcome}`);
  asking.log.info({ flow: "checkout" }, "phone proved");
  return { proved: true, setCookie: await rememberCheckoutProof(request, verified.proofToken) };
}
