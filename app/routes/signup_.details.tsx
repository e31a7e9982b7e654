/**
 * Sign-up, step 3 of 3: name, password and what the person comes for, for
 * the phone the browser proved (its proof cookie). The account is created
 * with the phone confirmed and the proof spent, in one transaction; a proof
 * that is missing, used or over 15 minutes old sends the person back to
 * /signup with a word on why.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import {
  homePathFor,
  createAccountWithProof,
  readProof,
  readStepParams,
  signIn,
  stepUrl,
  clearProofCookie,
  proofTokenFrom,
  redirectIfSignedIn,
  signupDetailsSchema,
} from "~/auth/index.server";
import { NewPasswordField } from "~/auth/PhoneSteps";
import { Field, FormError } from "~/components/forms";
import { getLocale, getT } from "~/i18n/index.server";
import { formValues, parseForm, translateErrors } from "~/utils/forms";
import { logger } from "~/utils/logger.server";
import { formatPhone } from "~/utils/phone";
import { safeRedirect } from "~/utils/redirect";

export const handle = { i18n: ["common", "auth"] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** Back to the start, with a word on why: the proof is missing, used, or over 15 minutes old. */
const expired = (params: { redirectTo?: string; role?: string }) =>
  redirect(stepUrl("/signup", { ...params, reason: "expired" }));

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = await redirectIfSignedIn(request);
  const { role } = readStepParams(request);
  const proof = await readProof(await proofTokenFrom(request), "create-account");
  if (!proof) throw expired({ redirectTo, role });
  const t = await getT(request, "auth");
  return { title: `${t("signup.detailsTitle")} · ${t("brand")}`, phone: formatPhone(proof.phone), redirectTo, role };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const t = await getT(request, "auth");
  const form = await request.formData();
  const token = await proofTokenFrom(request);
  const proof = await readProof(token, "create-account");
  if (!proof) return expired(formValues(form, ["role", "redirectTo"]));

  const fields = ["fullName", "password", "role", "redirectTo"] as const;
  const parsed = parseForm(signupDetailsSchema(proof.phone), form, { fields, secret: ["password"] });
  const { values } = parsed;
  if (!parsed.ok) return data({ errors: translateErrors(t, parsed.errors, "auth"), values }, { status: 400 });
  const input = parsed.data;

  const created = await createAccountWithProof(token, { ...input, locale: await getLocale(request) });
  if (!created.ok) {
    if (created.reason === "no_proof") return expired(values);
    return data({ errors: { form: t("errors.phone.taken") }, values }, { status: 400 });
  }
  (context.logger ?? logger).info({ userId: created.user.id, role: created.user.role }, "signup");
  // Farmers go on to set up their stall; buyers back to what they were doing.
  const to = input.role === "farmer" ? homePathFor("farmer") : safeRedirect(input.redirectTo, "/");
  const response = await signIn(request, context, created.user, to);
  response.headers.append("Set-Cookie", await clearProofCookie());
  return response;
}

export default function SignupDetailsPage() {
  const { phone, redirectTo, role } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("auth");
  const errors = actionData?.errors ?? {};
  const values = actionData?.values ?? {};
  const busy = navigation.state !== "idle" && navigation.formMethod === "POST";
  const chosenRole = values.role || role;

  return (
    <main className="page page--narrow">
      <div className="card stack">
        <h1>{t("signup.detailsHeading")}</h1>
        <p role="status">{t("signup.detailsIntro", { phone })}</p>
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
          <NewPasswordField label={t("signup.password")} error={errors.password} />
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
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
            {busy ? t("signup.submitting") : t("signup.submit")}
          </button>
        </Form>
      </div>
    </main>
  );
}
