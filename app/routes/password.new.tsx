/**
 * A new password for the phone the browser proved: the last step of a
 * forgotten password, and of sign-up for an account an officer made without
 * one. Setting it ends every other session of the account, confirms the phone
 * and spends the proof in one transaction; then this browser is signed in.
 * A household an officer registered for this account is handed over then,
 * and the farmer chooses what the officer keeps (/seller/handover).
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  homePathFor,
  readProof,
  setPasswordWithProof,
  readStepParams,
  signIn,
  stepUrl,
  clearProofCookie,
  proofTokenFrom,
  newPasswordSchema,
} from "~/auth/index.server";
import { NewPasswordField } from "~/auth/PhoneSteps";
import { FormError } from "~/components/forms";
import { getT } from "~/i18n/index.server";
import { handOverIfDue, HANDOVER_PATH } from "~/officers/index.server";
import { db } from "~/utils/db.server";
import { formValues, parseForm, translateErrors } from "~/utils/forms";
import { logger } from "~/utils/logger.server";
import { formatPhone } from "~/utils/phone";
import { safeRedirect } from "~/utils/redirect";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const expired = (redirectTo?: string) => redirect(stepUrl("/password/forgot", { redirectTo, reason: "expired" }));

export async function loader({ request }: LoaderFunctionArgs) {
  const { redirectTo } = readStepParams(request);
  const proof = await readProof(await proofTokenFrom(request), "set-password");
  if (!proof) throw expired(redirectTo);
  const t = await getT(request, "auth");
  return { title: `${t("reset.newTitle")} · ${t("brand")}`, phone: formatPhone(proof.phone), redirectTo };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const t = await getT(request, "auth");
  const form = await request.formData();
  const token = await proofTokenFrom(request);
  const proof = await readProof(token, "set-password");
  if (!proof) return expired(formValues(form, ["redirectTo"]).redirectTo);

  const fields = ["password", "redirectTo"] as const;
  const parsed = parseForm(newPasswordSchema(proof.phone), form, { fields, secret: ["password"] });
  const { values } = parsed;
  if (!parsed.ok) return data({ errors: translateErrors(t, parsed.errors, "auth"), values }, { status: 400 });

  const result = await setPasswordWithProof(token, parsed.data.password);
  if (!result.ok) return expired(values.redirectTo);
  (context.logger ?? logger).info({ userId: result.user.id }, "password set, other sessions ended");
  // An account an officer registered becomes the farmer's own here, on their phone:
  // they choose next what the officer keeps (issue 16, hand-over).
  const handedOver = await handOverIfDue(db, result.user.id);
  if (handedOver) (context.logger ?? logger).info({ householdId: handedOver }, "household handed over");
  const to = handedOver ? HANDOVER_PATH : safeRedirect(parsed.data.redirectTo, homePathFor(result.user.role));
  const response = await signIn(request, context, result.user, to);
  response.headers.append("Set-Cookie", await clearProofCookie());
  return response;
}

export default function NewPasswordPage() {
  const { phone, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const errors = actionData?.errors ?? {};
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("reset.newHeading")}</h1>
        <p role="status">{t("reset.newIntro", { phone })}</p>
        <Form method="post" className="stack" noValidate>
          <FormError message={errors.form} />
          <NewPasswordField label={t("reset.password")} error={errors.password} />
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t("reset.submitting") : t("reset.submit")}
          </button>
        </Form>
      </div>
    </main>
  );
}
