/**
 * The one form convention (docs/decisions/021-one-form-convention.md):
 *
 *   const parsed = parseForm(Schema, formData, { fields: FIELDS });
 *   if (!parsed.ok) return data({ errors: translateErrors(t, parsed.errors, "ns"), values: parsed.values }, { status: 400 });
 *   try { await useCase(db, parsed.data); } catch (error) { return answerRefusal(t, error, parsed.values); }
 *
 * A capability's own parser (parseListingForm, parseHouseholdForm, …) is
 * parseForm with its schema and fields, and answers the same `ParsedForm`.
 * Schemas speak in translation keys (`errors.price.required`), never in words.
 * A form component that validates in the browser too (ListingForm) is given
 * its schema's keys and translates them itself.
 * Browser-safe: zod is only named as a type, so a page that validates in the
 * browser loads its schema (and zod) itself, on demand.
 */
import type { TFunction } from "i18next";
import type { z } from "zod";

/** Field name → translation key ("form" for the form as a whole). */
export type FieldErrors = Record<string, string>;
/** Field name → message, as a page shows them ("form" above the form). */
export type FormErrors = Partial<Record<string, string>> & { form?: string };
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

/** Options of `parseForm` for a posted form. */
export interface FormFields<K extends string, Secret extends K> {
  /** What is read (and, but for `secret`, given back to refill the form). */
  fields: readonly K[];
  /** Read for the schema, never given back: passwords. */
  secret?: readonly Secret[];
  /** How a nested issue's path is named in the form ("cert[1].number"). */
  nameOf?: (path: readonly PropertyKey[]) => string;
}

/**
 * Validates a form with its schema. For posted FormData, `fields` lists what is
 * read and given back; values a capability has already read out of a form
 * (nested, or with lists) may be passed instead and are given back as they are.
 */
export function parseForm<S extends z.ZodType, K extends string, Secret extends K = never>(
  schema: S,
  form: FormData | URLSearchParams,
  options: FormFields<K, Secret>,
): ParsedForm<z.output<S>, Record<Exclude<K, Secret>, string>>;
export function parseForm<S extends z.ZodType, V extends object>(
  schema: S,
  values: V,
  options?: { nameOf?: (path: readonly PropertyKey[]) => string },
): ParsedForm<z.output<S>, V>;
export function parseForm(
  schema: z.ZodType,
  form: FormData | URLSearchParams | object,
  options: Partial<FormFields<string, string>> = {},
): ParsedForm<unknown, object> {
  const posted = form instanceof FormData || form instanceof URLSearchParams;
  const read = posted ? formValues(form, options.fields ?? []) : form;
  const result = schema.safeParse(read);
  let values = read;
  if (posted && options.secret?.length) {
    const kept: FormValues = { ...(read as FormValues) };
    for (const name of options.secret) delete kept[name];
    values = kept;
  }
  if (result.success) return { ok: true, data: result.data, values };
  return { ok: false, errors: fieldErrors(result.error.issues, options.nameOf), values };
}

/** Whether an error is one of our translation keys ("errors.price.zero", "payments:errors.x") rather than text. */
export function isMessageKey(text: string): boolean {
  return /^([a-z-]+:)?[a-zA-Z]+\./.test(text);
}

/**
 * Field → key to field → message, in the page's language. A key zod wrote itself
 * (not one of ours) becomes the generic "check this field".
 */
export function translateErrors(t: TFunction, errors: FieldErrors, ns?: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([field, key]) => [
      field,
      isMessageKey(key) ? t(key, ns ? { ns } : undefined) : t("common:errors.invalidField"),
    ]),
  );
}
