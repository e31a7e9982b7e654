/**
 * The one form convention (docs/decisions/021-one-form-convention.md):
 *
 *   const parsed = parseForm(Schema, formData);
 *   if (!parsed.ok) return data({ errors: translateErrors(t, parsed.errors, "ns"), values: parsed.values }, { status: 400 });
 *   await useCase(db, parsed.data);            // a refusal here: answerRefusal (app/http)
 *
 * Schemas speak in translation keys (`errors.price.required`), never in words.
 * Browser-safe: zod is only named as a type, so a page that validates in the
 * browser loads its schema (and zod) itself, on demand.
 */
import type { TFunction } from "i18next";
import type { z } from "zod";

/** Field name → translation key ("form" for the form as a whole). */
export type FieldErrors = Record<string, string>;
/** What was typed, by field name, to fill the form again. */
export type FormValues = Record<string, string>;

export type ParsedForm<Data, Values = FormValues> =
  { ok: true; data: Data; values: Values } | { ok: false; errors: FieldErrors; values: Values };

/** The longest value kept to refill a form: enough for any field we have, never a pasted book. */
const MAX_KEPT_VALUE = 5_000;

/** The submitted text of the named fields ("" when absent or a file). */
export function formValues<K extends string>(form: FormData | URLSearchParams, names: readonly K[]): Record<K, string> {
  return Object.fromEntries(
    names.map((name) => {
      const value = form.get(name);
      return [name, typeof value === "string" ? value.slice(0, MAX_KEPT_VALUE) : ""];
    }),
  ) as Record<K, string>;
}

/**
 * The first issue per field. A top-level field keeps its name, a nested one is
 * named by its path ("certifications.1.number"), unless `nameOf` names it as the
 * form does; an issue without a path lands on "form".
 */
export function fieldErrors(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  nameOf: (path: readonly PropertyKey[]) => string = (path) => path.map(String).join("."),
): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const name = issue.path.length === 0 ? "form" : nameOf(issue.path);
    errors[name] ??= issue.message;
  }
  return errors;
}

/**
 * Validates a form with its schema. `fields` lists what is read (and given back
 * to refill the form); a plain object of values may be passed instead of FormData.
 */
export function parseForm<S extends z.ZodType, K extends string>(
  schema: S,
  form: FormData | URLSearchParams | Record<K, string>,
  options: { fields: readonly K[]; nameOf?: (path: readonly PropertyKey[]) => string },
): ParsedForm<z.output<S>, Record<K, string>> {
  const values = form instanceof FormData || form instanceof URLSearchParams ? formValues(form, options.fields) : form;
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  return { ok: false, errors: fieldErrors(result.error.issues, options.nameOf), values };
}

/**
 * Field → key to field → message, in the page's language. A key zod wrote itself
 * (not one of ours) becomes the generic "check this field".
 */
export function translateErrors(t: TFunction, errors: FieldErrors, ns?: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, key]) => [
      field,
      /^([a-z-]+:)?[a-zA-Z]+\./.test(key) ? t(key, ns ? { ns } : undefined) : t("common:errors.invalidField"),
    ]),
  );
}
