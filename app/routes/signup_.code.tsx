/**
 * Sign-up, step 2 of 3: the code sent to the number. A right code leaves a
 * proof of the phone in the browser (15 minutes, once) and goes on to
 * /signup/details — or, for an account an officer made without a password,
 * to /password/new.
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { codeStepAction, readStepParams, stepUrl, redirectIfSignedIn } from "~/auth/index.server";
import { CodeStepForm } from "~/auth/PhoneSteps";
import { getT } from "~/i18n/index.server";
import { formatPhone } from "~/utils/phone";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = await redirectIfSignedIn(request);
  const { phone, role } = readStepParams(request);
  if (!phone) throw redirect(stepUrl("/signup", { redirectTo, role }));
  const t = await getT(request, "auth");
  return {
    title: `${t("signup.codeTitle")} · ${t("brand")}`,
    phone: formatPhone(phone),
    redirectTo,
    role,
    otherNumberHref: stepUrl("/signup", { redirectTo, role }),
  };
}

export async function action(args: ActionFunctionArgs) {
  return codeStepAction("signup", args);
}

export default function SignupCodePage() {
  const { phone, redirectTo, role, otherNumberHref } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("signup.codeHeading")}</h1>
        <p role="status">{t("signup.codeSent", { phone })}</p>
        <CodeStepForm
          phone={phone}
          submit={t("signup.verify")}
          errors={actionData?.errors ?? {}}
          carried={{ redirectTo, role }}
        />
        <p>
          <Link to={otherNumberHref}>{t("code.otherNumber")}</Link>
        </p>
      </div>
    </main>
  );
}
