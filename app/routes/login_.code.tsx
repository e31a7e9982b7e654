/**
 * Log in with a one-time code sent by SMS: for a forgotten password, an
 * account an officer created without one, and whoever the login page sends
 * here after too many wrong passwords for the number (`?reason=protect`).
 *
 * Step 1 (intent=request) sends the code and redirects to ?phone=…, so a
 * reload never sends another SMS. Step 2 (intent=verify) checks the code.
 * Both answer the same whether or not the number has an account; the flow
 * itself is app/auth/phone-proof.server.ts (`login`).
 *
 * `login_` keeps /login/code out of the /login route's layout (flat routes would
 * otherwise nest it inside login.tsx, which has no <Outlet />).
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { codeStepAction, readStepParams, redirectIfSignedIn } from "~/auth/index.server";
import { CodeStepForm, PhoneStepForm } from "~/auth/PhoneSteps";
import { getT } from "~/i18n/index.server";
import { formatPhone } from "~/utils/phone";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = await redirectIfSignedIn(request);
  const t = await getT(request, "auth");
  const { phone, reason } = readStepParams(request);
  const protect = reason === "protect";
  return {
    title: `${t("code.title")} · ${t("brand")}`,
    redirectTo,
    /** Step 2 once a code was asked for; the login page's step-up shows step 1 with the number filled in. */
    phone: phone && !protect ? formatPhone(phone) : null,
    prefill: phone && protect ? formatPhone(phone) : "",
    notice: protect ? t("notices.protect") : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  return codeStepAction("login", args);
}

export default function LoginCodePage() {
  const { redirectTo, phone, prefill, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const query = redirectTo ? `?${new URLSearchParams({ redirectTo })}` : "";

  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("code.heading")}</h1>
        {phone ? (
          <>
            <p role="status">{t("code.sent", { phone })}</p>
            <CodeStepForm phone={phone} submit={t("code.verify")} errors={errors} carried={{ redirectTo }} />
            <p>
              <Link to={`/login/code${query}`}>{t("code.otherNumber")}</Link>
            </p>
          </>
        ) : (
          <>
            {notice ? (
              <p className="notice" role="status">
                {notice}
              </p>
            ) : null}
            <p>{t("code.intro")}</p>
            <PhoneStepForm
              label={t("code.phone")}
              submit={t("code.send")}
              errors={errors}
              phone={values.phone ?? prefill}
              carried={{ redirectTo }}
            />
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
