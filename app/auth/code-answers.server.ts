/**
 * What a prove-the-phone flow says when a code was not sent or not right: the
 * form's message or the code field's, and the answer's status and headers.
 * The checkout's code step says it here; the sign-up, log-in and reset steps
 * (phone-steps.server.ts) say the same.
 */
import type { TFunction } from "i18next";
import type { RequestCodeResult, VerifyCodeResult } from "./phone-proof.server";

export interface CodeProblem {
  errors: { form?: string; code?: string };
  status: number;
  headers?: Record<string, string>;
}

/** A code not sent: a limit (the daily cap said in hours: "đợi 1380 phút" would help nobody), or the gateway (503). */
export function codeNotSent(t: TFunction, sent: Exclude<RequestCodeResult, { ok: true }>): CodeProblem {
  if (!("refusal" in sent)) return { errors: { form: t("auth:errors.sms") }, status: 503 };
  const { refusal } = sent;
  const hours = Math.max(1, Math.ceil((refusal.retryAfterSeconds ?? 3600) / 3600));
  const form = sent.dailyCap
    ? t("auth:errors.smsDailyCap", { count: hours })
    : t(refusal.textKey, refusal.messageValues);
  return { errors: { form }, status: refusal.status, headers: refusal.headers };
}

/** A code not right: too many guesses (the form's message), else the code field's ("wrong, 4 tries left"). */
export function codeNotRight(t: TFunction, verified: Exclude<VerifyCodeResult, { ok: true }>): CodeProblem {
  if ("refusal" in verified) {
    const { refusal } = verified;
    return {
      errors: { form: t(refusal.textKey, refusal.messageValues) },
      status: refusal.status,
      headers: refusal.headers,
    };
  }
  // The holder of a deactivated account (ADR 026): told above the form, not at the code.
  if (verified.reason === "deactivated") return { errors: { form: t("auth:errors.deactivated") }, status: 403 };
  const code =
    verified.reason === "wrong"
      ? t("auth:errors.code.wrong", { count: verified.attemptsLeft })
      : t(`auth:errors.code.${verified.reason}`);
  return { errors: { code }, status: 400 };
}
