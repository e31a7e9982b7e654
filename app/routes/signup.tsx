import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { createUser, homePathFor } from "~/auth/accounts.server";
import { countHit } from "~/http/rate-limits.server";
import { invalid, pickValues, tooManyRequests, translateIssues } from "~/auth/forms.server";
import { SignupSchema } from "~/auth/schemas";
import { createUserSession, redirectIfSignedIn } from "~/auth/session.server";
import { mergeCartAtSignIn } from "~/cart/cart-cookie.server";
import { Field, FormError, PhoneField } from "~/components/forms";
import { getLocale, getT } from "~/i18n/i18n.server";
import { clientIpFrom } from "~/utils/client-ip.server";
import { HoneypotField, isHoneypotFilled } from "~/utils/honeypot";
import { logger } from "~/utils/logger.server";
import { safeRedirect } from "~/utils/redirect";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = await redirectIfSignedIn(request);
  const t = await getT(request, "auth");
  const role = url.searchParams.get("role");
  return {
    title: `${t("signup.title")} · ${t("brand")}`,
    redirectTo,
    role: role === "farmer" || role === "buyer" ? role : "",
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const t = await getT(request, "auth");
  const form = await request.formData();
  const values = pickValues(form, ["fullName", "phone", "role", "redirectTo"]);
  if (isHoneypotFilled(form)) return invalid({ form: t("errors.form") }, values);

  const ip = clientIpFrom(context);
  const log = context.logger ?? logger;

  const parsed = SignupSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return invalid(translateIssues(parsed.error.issues, t), values);
  const input = parsed.data;

  const byPhone = await countHit("code.send.phoneIp", `${input.phone}|${ip}`);
  if (!byPhone.allowed) return tooManyRequests(t, byPhone, values);

  const created = await createUser({ ...input, locale: await getLocale(request) });
  if (!created.ok) return invalid({ phone: t("errors.phone.taken") }, values);

  log.info({ userId: created.user.id, role: created.user.role }, "signup");
  // Farmers go on to set up their stall; buyers back to what they were doing.
  const redirectTo = input.role === "farmer" ? homePathFor("farmer") : safeRedirect(input.redirectTo, "/");
  return mergeCartAtSignIn(
    request,
    created.user.id,
    await createUserSession({ request, userId: created.user.id, redirectTo, ip }),
  );
}

export default function SignupPage() {
  const { redirectTo, role } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const chosenRole = values.role ?? role;
  const loginHref = redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : "/login";

  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("signup.heading")}</h1>
        <p>{t("signup.intro")}</p>
        <Form method="post" className="stack" noValidate>
          <FormError message={errors.form} />
          <Field
            name="fullName"
            label={t("signup.fullName")}
            hint={t("signup.fullNameHint")}
            error={errors.fullName}
            defaultValue={values.fullName}
            autoComplete="name"
            maxLength={100}
            required
          />
          <PhoneField
            label={t("signup.phone")}
            hint={t("signup.phoneHint")}
            error={errors.phone}
            defaultValue={values.phone}
          />
          <Field
            name="password"
            type="password"
            label={t("signup.password")}
            hint={t("signup.passwordHint")}
            error={errors.password}
            autoComplete="new-password"
            minLength={8}
            maxLength={128}
            required
          />
          <fieldset
            className="field"
            role="radiogroup"
            aria-invalid={errors.role ? true : undefined}
            aria-describedby={errors.role ? "f-role-error" : undefined}
          >
            <legend>{t("signup.role")}</legend>
            {(["farmer", "buyer"] as const).map((value) => {
              const label = value === "farmer" ? t("signup.roleFarmer") : t("signup.roleBuyer");
              const hint = value === "farmer" ? t("signup.roleFarmerHint") : t("signup.roleBuyerHint");
              return (
                <div key={value}>
                  <label htmlFor={`f-role-${value}`} className="choice">
                    <input
                      id={`f-role-${value}`}
                      type="radio"
                      name="role"
                      value={value}
                      defaultChecked={chosenRole === value}
                      aria-describedby={`f-role-${value}-hint`}
                      required
                    />
                    {label}
                  </label>
                  <p id={`f-role-${value}-hint`} className="field-hint">
                    {hint}
                  </p>
                </div>
              );
            })}
            {errors.role ? (
              <p id="f-role-error" className="field-error">
                {errors.role}
              </p>
            ) : null}
          </fieldset>
          <HoneypotField label={t("honeypot")} />
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t("signup.submitting") : t("signup.submit")}
          </button>
        </Form>
        <p>
          {t("signup.haveAccount")} <Link to={loginHref}>{t("signup.login")}</Link>
        </p>
      </div>
    </main>
  );
}
