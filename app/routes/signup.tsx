/**
 * Sign-up, step 1 of 3: the phone number. The number is proved by an SMS code
 * (/signup/code) before the account is named (/signup/details); whether or
 * not it already has an account, the answer here is the same (the SMS tells
 * its holder). `?role=` and `redirectTo` ride along to the last step.
 * The flow: app/auth/phone-proof.server.ts (`signup`), ADR 016.
 */
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { readStepParams, sendCodeAction, stepUrl, redirectIfSignedIn } from "~/auth/index.server";
import { PhoneStepForm } from "~/auth/PhoneSteps";
import { getT } from "~/i18n/index.server";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = await redirectIfSignedIn(request);
  const t = await getT(request, "auth");
  const { role, reason } = readStepParams(request);
  return {
    title: `${t("signup.title")} · ${t("brand")}`,
    redirectTo,
    role,
    notice: reason === "expired" ? t("notices.expired") : null,
    loginHref: stepUrl("/login", { redirectTo }),
  };
}

export async function action(args: ActionFunctionArgs) {
  return sendCodeAction("signup", args, await args.request.formData());
}

export default function SignupPage() {
  const { redirectTo, role, notice, loginHref } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");

  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("signup.heading")}</h1>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <p>{t("signup.intro")}</p>
        <PhoneStepForm
          label={t("signup.phone")}
          hint={t("signup.phoneHint")}
          submit={t("signup.sendCode")}
          errors={actionData?.errors ?? {}}
          phone={actionData?.values.phone}
          carried={{ redirectTo, role: actionData?.values.role ?? role }}
        />
        <p>
          {t("signup.haveAccount")} <Link to={loginHref}>{t("signup.login")}</Link>
        </p>
      </div>
    </main>
  );
}
