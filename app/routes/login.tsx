/**
 * Log in with phone and password. Past the number's wrong-password threshold
 * (from anywhere) the person is sent to log in with an SMS code instead,
 * with a word on why (ADR 016); a stranger's guesses never refuse the owner.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  homePathFor,
  logInWithPassword,
  FLOW_PATHS,
  signIn,
  stepUrl,
  redirectIfSignedIn,
  LoginSchema,
} from "~/auth/index.server";
import { Field, FormError, PhoneField } from "~/components/forms";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { clientIpFrom } from "~/utils/client-ip.server";
import { parseForm, translateErrors } from "~/utils/forms";
import { HoneypotField, isHoneypotFilled } from "~/utils/honeypot";
import { logger } from "~/utils/logger.server";
import { safeRedirect } from "~/utils/redirect";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = await redirectIfSignedIn(request);
  const t = await getT(request, "auth");
  return { title: `${t("login.title")} · ${t("brand")}`, redirectTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const t = await getT(request, "auth");
  const form = await request.formData();
  const parsed = parseForm(LoginSchema, form, { fields: ["phone", "password", "redirectTo"], secret: ["password"] });
  const { values } = parsed;
  if (isHoneypotFilled(form)) return data({ errors: { form: t("errors.form") }, values }, { status: 400 });
  if (!parsed.ok) return data({ errors: translateErrors(t, parsed.errors, "auth"), values }, { status: 400 });
  const { phone, password, redirectTo } = parsed.data;

  const result = await logInWithPassword({ phone, password, ip: clientIpFrom(context) });
  if (!result.ok) {
    if ("refusal" in result) return answerRefusal(t, result.refusal, values);
    if (result.reason === "code_required") {
      return redirect(stepUrl(FLOW_PATHS.login.start, { phone, redirectTo, reason: "protect" }));
    }
    // The right password of a deactivated account: only its holder learns why (ADR 026).
    if (result.reason === "deactivated") {
      return data({ errors: { form: t("errors.deactivated") }, values }, { status: 403 });
    }
    // One message for an unknown number and a wrong password: no account discovery here.
    return data({ errors: { form: t("errors.login.failed") }, values }, { status: 400 });
  }
  (context.logger ?? logger).info({ userId: result.user.id, method: "password" }, "login");
  return signIn(request, context, result.user, safeRedirect(redirectTo, homePathFor(result.user.role)));
}

export default function LoginPage() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : "";

  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("login.heading")}</h1>
        <Form method="post" className="stack" noValidate>
          <FormError message={errors.form} />
          <PhoneField label={t("login.phone")} error={errors.phone} defaultValue={values.phone} />
          <Field
            name="password"
            type="password"
            label={t("login.password")}
            error={errors.password}
            autoComplete="current-password"
            required
          />
          <HoneypotField label={t("honeypot")} />
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t("login.submitting") : t("login.submit")}
          </button>
        </Form>
        <p>
          <Link to={`/password/forgot${query}`}>{t("login.forgot")}</Link>
        </p>
        <p>{t("login.useCodeHint")}</p>
        <Link className="btn" to={`/login/code${query}`}>
          {t("login.useCode")}
        </Link>
        <p>
          {t("login.noAccount")} <Link to={`/signup${query}`}>{t("login.signup")}</Link>
        </p>
      </div>
    </main>
  );
}
