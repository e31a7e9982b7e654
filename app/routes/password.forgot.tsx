/**
 * Forgotten password, step 1 of 3: the phone number ("Quên mật khẩu?" on
 * /login). A number with an account gets a code; one without gets nothing,
 * and the page answers the same either way. Then /password/forgot/code and
 * /password/new. The flow: app/auth/phone-proof.server.ts (`reset`), ADR 016.
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { readStepParams, sendCodeAction, stepUrl } from "~/auth/index.server";
import { PhoneStepForm } from "~/auth/PhoneSteps";
import { getT } from "~/i18n/index.server";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request, "auth");
  const { redirectTo, reason } = readStepParams(request);
  return {
    title: `${t("reset.title")} · ${t("brand")}`,
    redirectTo,
    notice: reason === "expired" ? t("notices.expired") : null,
    loginHref: stepUrl("/login", { redirectTo }),
  };
}

export async function action(args: ActionFunctionArgs) {
  return sendCodeAction("reset", args, await args.request.formData());
}

export default function ForgotPasswordPage() {
  const { redirectTo, notice, loginHref } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("reset.heading")}</h1>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <p>{t("reset.intro")}</p>
        <PhoneStepForm
          label={t("reset.phone")}
          submit={t("reset.sendCode")}
          errors={actionData?.errors ?? {}}
          phone={actionData?.values.phone}
          carried={{ redirectTo }}
        />
        <p>
          <Link to={loginHref}>{t("reset.backToLogin")}</Link>
        </p>
      </div>
    </main>
  );
}
