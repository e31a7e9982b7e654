/**
 * Forgotten password, step 2 of 3: the code. A right one leaves a proof of the
 * phone (15 minutes, once) and goes on to /password/new.
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { codeStepAction, readStepParams, stepUrl } from "~/auth/index.server";
import { CodeStepForm } from "~/auth/PhoneSteps";
import { getT } from "~/i18n/index.server";
import { formatPhone } from "~/utils/phone";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { phone, redirectTo } = readStepParams(request);
  if (!phone) throw redirect(stepUrl("/password/forgot", { redirectTo }));
  const t = await getT(request, "auth");
  return {
    title: `${t("reset.codeTitle")} · ${t("brand")}`,
    phone: formatPhone(phone),
    redirectTo,
    otherNumberHref: stepUrl("/password/forgot", { redirectTo }),
  };
}

export async function action(args: ActionFunctionArgs) {
  return codeStepAction("reset", args);
}

export default function ForgotPasswordCodePage() {
  const { phone, redirectTo, otherNumberHref } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("reset.codeHeading")}</h1>
        <p role="status">{t("reset.codeSent", { phone })}</p>
        <CodeStepForm
          phone={phone}
          submit={t("reset.verify")}
          errors={actionData?.errors ?? {}}
          carried={{ redirectTo }}
        />
        <p>
          <Link to={otherNumberHref}>{t("code.otherNumber")}</Link>
        </p>
      </div>
    </main>
  );
}
