/**
 * Small helpers shared by the auth actions: validate a form with its schema,
 * translate the error keys, and build the 400 answers that keep the
 * user's input (never the password).
 */
import { data } from "@remix-run/node";
import type { TFunction } from "i18next";
import type { z } from "zod";
import type { FormValues } from "~/utils/forms";

export type FormErrors = Partial<Record<string, string>> & { form?: string };
export type FormResult = { errors: FormErrors; values: FormValues };

/** The first message per field, translated. Unknown keys (zod's own messages) become a generic one. */
export function translateIssues(issues: z.core.$ZodIssue[], t: TFunction): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : "form";
    if (errors[field]) continue;
    errors[field] = issue.message.startsWith("errors.") ? t(issue.message) : t("errors.invalid");
  }
  return errors;
}

/** The submitted text of the listed fields, trimmed to a sane length, to refill the form. */
export function pickValues(form: FormData, fields: readonly string[]): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = form.get(field);
    if (typeof value === "string") values[field] = value.slice(0, 200);
  }
  return values;
}

export function invalid(errors: FormErrors, values: FormValues, status = 400, headers?: Record<string, string>) {
  return data<FormResult>({ errors, values }, { status, headers });
}
