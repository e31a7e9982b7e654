/**
 * The HTTP side of the prove-the-phone flow (phone-proof.server.ts), shared by
 * its routes so each stays a few lines: where each flow's steps live, what
 * the URL carries between them (the phone once typed, `redirectTo`, sign-up's
 * `role`), and the actions of the phone step and the code step.
 *
 *   /signup            → /signup/code            → /signup/details   (create-account)
 *   /password/forgot   → /password/forgot/code   → /password/new     (set-password)
 *   /login/code (both steps)                     → signed in
 *   /checkout (the form itself asks for the code past its threshold: app/routes/checkout.tsx)
 *
 * Every answer of the phone step is the same whether or not the number has an
 * account: a redirect to the code step (or the same 429 / 503).
 */
import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { mergeCartAtSignIn } from "~/cart/index.server";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { clientIpFrom } from "~/utils/client-ip.server";
import { env } from "~/utils/env.server";
import { parseForm, translateErrors } from "~/utils/forms";
import { isHoneypotFilled } from "~/utils/honeypot";
import { logger } from "~/utils/logger.server";
import { formatPhone, parseVietnameseMobile } from "~/utils/phone";
import { safeRedirect } from "~/utils/redirect";
import { homePathFor } from "./accounts.server";
import { requestPhoneCode, verifyPhoneCode, type PhoneFlowName, type ProofAllows } from "./phone-proof.server";
import { serializeProofCookie } from "./proof-cookie.server";
import { CodeVerifySchema, PhoneStepSchema, SELF_SERVICE_ROLES } from "./schemas";
import { createUserSession, type SessionUser } from "./session.server";

/** Where each flow asks for the number and for the code. */
export const FLOW_PATHS = {
  login: { start: "/login/code", code: "/login/code" },
  signup: { start: "/signup", code: "/signup/code" },
  reset: { start: "/password/forgot", code: "/password/forgot/code" },
  checkout: { start: "/checkout", code: "/checkout" },
} as const satisfies Record<PhoneFlowName, { start: string; code: string }>;

/** The step each kind of proof opens. */
export const PROOF_STEP_PATHS: Record<ProofAllows, string> = {
  "create-account": "/signup/details",
  "set-password": "/password/new",
  checkout: "/checkout",
};

/** Why a step page was sent back to the start: shown as a notice there. */
export type StepReason = "expired" | "protect";

export interface StepParams {
  /** E.164, or null when none (or a bad one) is in the URL. */
  phone: string | null;
  redirectTo: string;
  role: (typeof SELF_SERVICE_ROLES)[number] | "";
  reason: StepReason | null;
}

const asRole = (value: unknown): StepParams["role"] =>
  SELF_SERVICE_ROLES.includes(value as never) ? (value as StepParams["role"]) : "";

/** What the URL of a step carries, checked (a bad phone is no phone, an off-site redirect none). */
export function readStepParams(request: Request): StepParams {
  const params = new URL(request.url).searchParams;
  const parsed = parseVietnameseMobile(params.get("phone"));
  const reason = params.get("reason");
  return {
    phone: parsed.ok ? parsed.e164 : null,
    redirectTo: safeRedirect(params.get("redirectTo"), ""),
    role: asRole(params.get("role")),
    reason: reason === "expired" || reason === "protect" ? reason : null,
  };
}

/** A step's URL with what it needs: `/signup/code?phone=0912345678&role=farmer`. */
export function stepUrl(
  path: string,
  {
    phone,
    redirectTo,
    role,
    reason,
  }: { phone?: string | null; redirectTo?: string; role?: string; reason?: StepReason | null },
): string {
  const query = new URLSearchParams();
  if (phone) query.set("phone", formatPhone(phone).replace(/\s/g, ""));
  const back = safeRedirect(redirectTo, "");
  if (back) query.set("redirectTo", back);
  if (asRole(role)) query.set("role", asRole(role));
  if (reason) query.set("reason", reason);
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** Where links in an SMS point: the public URL, or the address this request came to. */
function siteUrl(request: Request): string {
  return env().PUBLIC_URL ?? new URL(request.url).origin;
}

const CARRIED = ["phone", "redirectTo", "role"] as const;

/**
 * The phone step (and "send a new code" on the code step): the flow sends
 * what it sends, and the person goes on to the code step.
 */
export async function sendCodeAction(flow: PhoneFlowName, { request, context }: ActionFunctionArgs, form: FormData) {
  const t = await getT(request, "auth");
  const parsed = parseForm(PhoneStepSchema, form, { fields: CARRIED });
  const { values } = parsed;
  if (isHoneypotFilled(form)) return data({ errors: { form: t("errors.form") }, values }, { status: 400 });
  if (!parsed.ok) return data({ errors: translateErrors(t, parsed.errors, "auth"), values }, { status: 400 });
  const { phone, redirectTo } = parsed.data;

  const sent = await requestPhoneCode(flow, { phone, ip: clientIpFrom(context), t, siteUrl: siteUrl(request) });
  if (!sent.ok) {
    if ("refusal" in sent) {
      if (!sent.dailyCap) return answerRefusal(t, sent.refusal, values);
      // A wait counted in hours: "đợi 1380 phút" would help nobody.
      const hours = Math.max(1, Math.ceil((sent.refusal.retryAfterSeconds ?? 3600) / 3600));
      const errors = { form: t("errors.smsDailyCap", { count: hours }) };
      return data({ errors, values }, { status: 429, headers: sent.refusal.headers });
    }
    (context.logger ?? logger).error({ err: sent.error, flow }, "sending the SMS failed");
    return data({ errors: { form: t("errors.sms") }, values }, { status: 503 });
  }
  return redirect(stepUrl(FLOW_PATHS[flow].code, { phone, redirectTo, role: values.role }));
}

/** Signs the user in (a new session, the anonymous cart kept) and goes on to `redirectTo` or their home. */
export async function signIn(request: Request, context: ActionFunctionArgs["context"], user: SessionUser, to: string) {
  return mergeCartAtSignIn(
    request,
    user.id,
    await createUserSession({ request, userId: user.id, redirectTo: to, ip: clientIpFrom(context) }),
  );
}

/**
 * The code step's form: `intent=request` sends a new code, anything else
 * checks the one typed. A right code signs in (log in by code) or leaves a
 * proof cookie and goes on to the step it opens.
 */
export async function codeStepAction(flow: PhoneFlowName, args: ActionFunctionArgs) {
  const { request, context } = args;
  const form = await request.formData();
  if (form.get("intent") === "request") return sendCodeAction(flow, args, form);

  const t = await getT(request, "auth");
  const parsed = parseForm(CodeVerifySchema, form, { fields: [...CARRIED, "code"], secret: ["code"] });
  const { values } = parsed;
  if (!parsed.ok) return data({ errors: translateErrors(t, parsed.errors, "auth"), values }, { status: 400 });
  const { phone, code, redirectTo } = parsed.data;

  const verified = await verifyPhoneCode(flow, { phone, code, ip: clientIpFrom(context) });
  if (!verified.ok) {
    if ("refusal" in verified) return answerRefusal(t, verified.refusal, values);
    if (verified.reason === "deactivated") {
      return data({ errors: { form: t("errors.deactivated") }, values }, { status: 403 });
    }
    const message =
      verified.reason === "wrong"
        ? t("errors.code.wrong", { count: verified.attemptsLeft })
        : t(`errors.code.${verified.reason}`);
    return data({ errors: { code: message }, values }, { status: 400 });
  }

  const log = context.logger ?? logger;
  if (verified.outcome === "sign-in") {
    log.info({ userId: verified.user.id, method: "sms-code" }, "login");
    return signIn(request, context, verified.user, safeRedirect(redirectTo, homePathFor(verified.user.role)));
  }
  log.info({ flow, allows: verified.outcome }, "phone proved");
  const next = stepUrl(PROOF_STEP_PATHS[verified.outcome], { redirectTo, role: values.role });
  return redirect(next, { headers: { "Set-Cookie": await serializeProofCookie(verified.proofToken) } });
}

/** What a step page shows when it was sent back to the start. */
export function stepNotice(t: (key: string) => string, reason: StepReason | null): string | null {
  return reason ? t(`notices.${reason}`) : null;
}
