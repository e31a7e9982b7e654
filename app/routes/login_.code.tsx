/**
 * Log in with a one-time code sent by SMS: for farmers who forgot their
 * password, and for accounts an officer created that have no password yet.
 *
 * Step 1 (intent=request) sends the code and redirects to ?phone=…, so a
 * reload never sends another SMS. Step 2 (intent=verify) checks the code.
 * Both answer the same whether or not the number has an account.
 *
 * `login_` keeps /login/code out of the /login route's layout (flat routes would
 * otherwise nest it inside login.tsx, which has no <Outlet />).
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { findUserByPhone, homePathFor } from "~/auth/accounts.server";
import { countHit } from "~/http/rate-limits.server";
import { invalid, pickValues, tooManyRequests, translateIssues } from "~/auth/forms.server";
import { CODE_TTL_SECONDS, createCode, verifyCode } from "~/auth/otp.server";
import { CodeRequestSchema, CodeVerifySchema } from "~/auth/schemas";
import { createUserSession, redirectIfSignedIn } from "~/auth/session.server";
import { mergeCartAtSignIn } from "~/cart/cart-cookie.server";
import { Field, FormError, PhoneField } from "~/components/forms";
import { getT } from "~/i18n/i18n.server";
import { smsProvider } from "~/notifications/sms.server";
import { clientIpFrom } from "~/utils/client-ip.server";
import { HoneypotField, isHoneypotFilled } from "~/utils/honeypot";
import { logger } from "~/utils/logger.server";
import { formatPhone, parseVietnameseMobile } from "~/utils/phone";
import { safeRedirect } from "~/utils/redirect";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = await redirectIfSignedIn(request);
  const t = await getT(request, "auth");
  const parsed = parseVietnameseMobile(url.searchParams.get("phone"));
  return {
    title: `${t("code.title")} · ${t("brand")}`,
    redirectTo,
    /** Set once a code was requested: the page shows step 2. */
    phone: parsed.ok ? formatPhone(parsed.e164) : null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const t = await getT(request, "auth");
  const form = await request.formData();
  const intent = form.get("intent") === "verify" ? "verify" : "request";
  const values = pickValues(form, ["phone", "redirectTo", "intent"]);
  if (isHoneypotFilled(form)) return invalid({ form: t("errors.form") }, values);
  const ip = clientIpFrom(context);
  const log = context.logger ?? logger;

  if (intent === "request") {
    const parsed = CodeRequestSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return invalid(translateIssues(parsed.error.issues, t), values);
    const { phone, redirectTo } = parsed.data;
    const byPhone = await countHit("code.send.phoneIp", `${phone}|${ip}`);
    if (!byPhone.allowed) return tooManyRequests(t, byPhone, values);

    // Only numbers with an account get an SMS; the answer is the same either way.
    if (await findUserByPhone(phone)) {
      const code = await createCode(phone);
      try {
        await smsProvider().send(phone, t("sms.code", { code, minutes: CODE_TTL_SECONDS / 60 }));
      } catch (error) {
        log.error({ err: error }, "sending the login code failed");
        return invalid({ form: t("errors.sms") }, values, 503);
      }
    }
    const next = new URLSearchParams({ phone: formatPhone(phone).replace(/\s/g, "") });
    const back = safeRedirect(redirectTo, "");
    if (back) next.set("redirectTo", back);
    return redirect(`/login/code?${next}`);
  }

  const parsed = CodeVerifySchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(translateIssues(parsed.error.issues, t), values);
  const { phone, code, redirectTo } = parsed.data;
  const byPhone = await countHit("code.verify.phoneIp", `${phone}|${ip}`);
  if (!byPhone.allowed) return tooManyRequests(t, byPhone, values);

  const check = await verifyCode(phone, code);
  if (!check.ok) {
    const message =
      check.reason === "wrong"
        ? t("errors.code.wrong", { count: check.attemptsLeft })
        : t(`errors.code.${check.reason}`);
    return invalid({ code: message }, values);
  }
  const user = await findUserByPhone(phone);
  if (!user) return invalid({ code: t("errors.code.expired") }, values);

  log.info({ userId: user.id, method: "sms-code" }, "login");
  return mergeCartAtSignIn(
    request,
    user.id,
    await createUserSession({
      request,
      userId: user.id,
      redirectTo: safeRedirect(redirectTo, homePathFor(user.role)),
      ip,
    }),
  );
}

export default function LoginCodePage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const { redirectTo } = loaderData;
  const submitting = navigation.state !== "idle" && navigation.formMethod === "POST";
  const pendingIntent = submitting ? navigation.formData?.get("intent") : null;
  // Step 2 once a code was asked for; a failed resend stays on step 2 too.
  const phone = loaderData.phone ?? null;
  const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : "";

  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("code.heading")}</h1>
        {phone ? (
          <>
            <p role="status">{t("code.sent", { phone })}</p>
            <Form method="post" className="stack" noValidate>
              <FormError message={errors.form} />
              <Field
                name="code"
                label={t("code.code")}
                hint={t("code.codeHint")}
                error={errors.code}
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]*"
                maxLength={6}
                required
              />
              <input type="hidden" name="phone" value={phone} />
              {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
              <button
                type="submit"
                name="intent"
                value="verify"
                className="btn btn-primary btn-block"
                disabled={submitting}
              >
                {pendingIntent === "verify" ? t("code.verifying") : t("code.verify")}
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="phone" value={phone} />
              {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
              <button type="submit" name="intent" value="request" className="btn btn-link" disabled={submitting}>
                {pendingIntent === "request" ? t("code.sending") : t("code.resend")}
              </button>
            </Form>
            <p>
              <Link to={`/login/code${query}`}>{t("code.otherNumber")}</Link>
            </p>
          </>
        ) : (
          <>
            <p>{t("code.intro")}</p>
            <Form method="post" className="stack" noValidate>
              <FormError message={errors.form} />
              <PhoneField label={t("code.phone")} error={errors.phone} defaultValue={values.phone} />
              <HoneypotField label={t("honeypot")} />
              {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
              <button
                type="submit"
                name="intent"
                value="request"
                className="btn btn-primary btn-block"
                disabled={submitting}
              >
                {pendingIntent === "request" ? t("code.sending") : t("code.send")}
              </button>
            </Form>
          </>
        )}
        <p>
          <Link to={`/login${query}`}>{t("code.usePassword")}</Link>
        </p>
        <p>
          {t("code.noAccount")} <Link to={`/signup${query}`}>{t("code.signup")}</Link>
        </p>
      </div>
    </main>
  );
}
