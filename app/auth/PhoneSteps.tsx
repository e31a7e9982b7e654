/**
 * The forms of every prove-the-phone flow (sign-up, forgotten password,
 * log in by code): the number, then the code, and the new password field of
 * the step after it. Plain Remix forms: they work
 * without JavaScript; labels, hints and errors are wired for screen readers
 * (components/forms). The texts come from the page, in its language.
 */
import { Form, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CodeField, Field, FormError, PhoneField } from "~/components/forms";
import { HoneypotField } from "~/utils/honeypot";

type Errors = Partial<Record<string, string>>;

/** Hidden fields a step passes on (`redirectTo`, sign-up's `role`); empty ones are left out. */
function Carried({ values }: { values: Record<string, string | null | undefined> }) {
  return (
    <>
      {Object.entries(values).map(([name, value]) =>
        value ? <input key={name} type="hidden" name={name} value={value} /> : null,
      )}
    </>
  );
}

function useSubmitting() {
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formMethod === "POST";
  return { submitting, intent: submitting ? navigation.formData?.get("intent") : null };
}

export function PhoneStepForm({
  label,
  hint,
  submit,
  errors,
  phone,
  carried,
}: {
  label: string;
  hint?: string;
  submit: string;
  errors: Errors;
  /** What to show in the field: what was typed, or the number the step was sent back with. */
  phone?: string;
  carried: Record<string, string | null | undefined>;
}) {
  const { t } = useTranslation("auth");
  const { submitting } = useSubmitting();
  return (
    <Form method="post" className="stack" noValidate>
      <FormError message={errors.form} />
      <PhoneField label={label} hint={hint} error={errors.phone} defaultValue={phone} />
      <HoneypotField label={t("honeypot")} />
      <Carried values={carried} />
      <button type="submit" name="intent" value="request" className="btn btn-primary btn-block" disabled={submitting}>
        {submitting ? t("code.sending") : submit}
      </button>
    </Form>
  );
}

export function CodeStepForm({
  phone,
  submit,
  errors,
  carried,
}: {
  /** As people write it: "0912 345 678". */
  phone: string;
  submit: string;
  errors: Errors;
  carried: Record<string, string | null | undefined>;
}) {
  const { t } = useTranslation("auth");
  const { submitting, intent } = useSubmitting();
  return (
    <>
      <Form method="post" className="stack" noValidate>
        <FormError message={errors.form} />
        <CodeField label={t("code.code")} hint={t("code.codeHint")} error={errors.code} />
        <input type="hidden" name="phone" value={phone} />
        <Carried values={carried} />
        <button type="submit" name="intent" value="verify" className="btn btn-primary btn-block" disabled={submitting}>
          {intent === "verify" ? t("code.verifying") : submit}
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="phone" value={phone} />
        <Carried values={carried} />
        <button type="submit" name="intent" value="request" className="btn btn-link" disabled={submitting}>
          {intent === "request" ? t("code.sending") : t("code.resend")}
        </button>
      </Form>
    </>
  );
}

/** The password a person chooses once their phone is proven (sign-up's details, a new password). */
export function NewPasswordField({ label, error }: { label: string; error?: string }) {
  const { t } = useTranslation("auth");
  return (
    <Field
      name="password"
      type="password"
      label={label}
      hint={t("signup.passwordHint")}
      error={error}
      autoComplete="new-password"
      minLength={8}
      maxLength={128}
      required
    />
  );
}
