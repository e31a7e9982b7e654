/**
 * The listing form: one Zod schema for the browser and the server. It reads the
 * strings a form posts and turns them into a `ListingInput`; every message is a
 * translation key of the "listings" namespace (`errors.*`), shown next to the
 * field `listingFieldName` names.
 *
 * Form field names (all strings, as FormData has them):
 *   title, description, category, unit, price, minOrderQty,
 *   madeToOrder ("on" when ticked), stockQty, availableFrom, availableUntil (yyyy-mm-dd),
 *   preorder ("on" when ticked), preorderCapacity,
 *   cert[0].type, cert[0].number, cert[0].issuer, cert[0].stars, cert[0].validFrom, cert[0].validUntil,
 *   cert[1].type, …   (indices need not be contiguous; at most 2 × MAX_CERTIFICATIONS rows are read)
 * A certificate row whose number, issuer, stars and dates are all empty is an
 * unused "add a certificate" row and is ignored, whatever its type select says.
 *
 * Error keys name the form field: "price", "stockQty", "cert[2].stars", …
 *
 * Money: whole đồng, as `parseDong` (app/utils/numbers.ts) reads what people
 * type: "125000", "125.000", "125 000" and "125,000" all mean 125 000 đ, with
 * or without "đ", "₫", "đồng" or "VND"; "12,5", "12.5" and "12.50" are refused
 * as fractions, never rounded.
 */
import { z } from "zod";
import {
  CATEGORIES,
  CERTIFICATION_TYPES,
  DESCRIPTION_MAX,
  MAX_CERTIFICATIONS,
  MAX_PRICE_DONG,
  MAX_QUANTITY,
  OCOP_STARS,
  TITLE_MAX,
  TITLE_MIN,
  isCategoryCode,
  isCertificationType,
  isUnitCode,
  type CategoryCode,
  type CertificationTypeCode,
  type UnitCode,
} from "./catalog";
import { EXPORT_DETAIL_FIELDS, EXPORT_DETAIL_LIMITS, type ExportDetailField } from "./catalog";
import { isIsoDate } from "./dates";
import { parseForm, type ParsedForm } from "~/utils/forms";
import { parseDong, parseWholeNumber, type WholeNumber } from "~/utils/numbers";
import { multiLine, oneLine } from "~/utils/text";

export { EXPORT_DETAIL_FIELDS, EXPORT_DETAIL_LIMITS, type ExportDetailField };

export const CERT_NUMBER_MAX = 64;
export const CERT_ISSUER_MAX = 120;
/** Rows of cert[i].* read from a form (blank ones included). */
export const MAX_CERTIFICATION_ROWS = MAX_CERTIFICATIONS * 2;

export interface CertificationInput {
  type: CertificationTypeCode;
  number: string;
  issuer: string;
  /** 3–5 for OCOP, null for the others. */
  ocopStars: number | null;
  validFrom: string | null;
  validUntil: string;
}

/** A valid listing, ready for createListing/updateListing. */
export interface ListingInput {
  title: string;
  description: string;
  category: CategoryCode;
  unit: UnitCode;
  priceDong: number;
  minOrderQty: number;
  madeToOrder: boolean;
  /** 0 when made to order (no stock is counted). */
  stockQty: number;
  availableFrom: string | null;
  availableUntil: string | null;
  preorder: boolean;
  /** Set exactly when preorder. */
  preorderCapacity: number | null;
  certifications: CertificationInput[];
  /**
   * What other marketplaces ask for (app/exports), all optional: absent
   * (undefined) leaves what is stored, null clears it. The form always sends them.
   */
  leadTimeDays?: number | null;
  weightGrams?: number | null;
  packageLengthCm?: number | null;
  packageWidthCm?: number | null;
  packageHeightCm?: number | null;
  /**
   * A new listing's id, chosen by the phone when the farmer made it offline
   * (app/offline): its photos are queued to that listing before it exists
   * here. Only createListing reads it.
   */
  id?: string;
}

export interface CertificationFormValues {
  type: string;
  number: string;
  issuer: string;
  stars: string;
  validFrom: string;
  validUntil: string;
}

/** What the form posts, as strings: also what an edit form starts from and a failed submit gives back. */
export interface ListingFormValues {
  title: string;
  description: string;
  category: string;
  unit: string;
  price: string;
  minOrderQty: string;
  madeToOrder: string;
  stockQty: string;
  availableFrom: string;
  availableUntil: string;
  preorder: string;
  preorderCapacity: string;
  certifications: CertificationFormValues[];
  leadTimeDays: string;
  weightGrams: string;
  packageLengthCm: string;
  packageWidthCm: string;
  packageHeightCm: string;
  /** A new listing's id chosen on the phone (ListingInput.id); absent from the page's own form. */
  id?: string;
}

export type PriceProblem = "required" | "invalid" | "negative" | "notInteger" | "zero" | "tooHigh";

/** A price in whole đồng, or why not. */
export function parsePriceDong(raw: string): { ok: true; value: number } | { ok: false; problem: PriceProblem } {
  const parsed = parseDong(raw);
  if (!parsed.ok) return { ok: false, problem: parsed.problem === "empty" ? "required" : parsed.problem };
  if (parsed.value === 0) return { ok: false, problem: "zero" };
  if (parsed.value > MAX_PRICE_DONG) return { ok: false, problem: "tooHigh" };
  return parsed;
}

// ---------------------------------------------------------------- shared rules

type Problem = { path: (string | number)[]; message: string };

/** Rules of one certificate that involve several of its fields. */
function certificationProblems(cert: {
  type: CertificationTypeCode;
  ocopStars: number | null;
  validFrom: string | null;
  validUntil: string | null;
}): Problem[] {
  const problems: Problem[] = [];
  if (cert.type === "ocop") {
    if (cert.ocopStars === null) problems.push({ path: ["stars"], message: "errors.cert.stars.required" });
    else if (!(OCOP_STARS as readonly number[]).includes(cert.ocopStars))
      problems.push({ path: ["stars"], message: "errors.cert.stars.invalid" });
  } else if (cert.ocopStars !== null) {
    problems.push({ path: ["stars"], message: "errors.cert.stars.notOcop" });
  }
  if (cert.validFrom && cert.validUntil && cert.validUntil < cert.validFrom) {
    problems.push({ path: ["validUntil"], message: "errors.cert.validUntil.beforeFrom" });
  }
  return problems;
}

/** Rules of the listing that involve several fields (the harvest window, pre-orders); undefined = that field failed. */
function windowProblems(v: {
  availableFrom: string | null | undefined;
  availableUntil: string | null | undefined;
  preorder: boolean;
}): Problem[] {
  const problems: Problem[] = [];
  if (v.availableFrom && v.availableUntil && v.availableUntil < v.availableFrom) {
    problems.push({ path: ["availableUntil"], message: "errors.availableUntil.beforeFrom" });
  }
  // A pre-order is for a coming harvest: the buyer must know when it starts.
  if (v.preorder && v.availableFrom === null) {
    problems.push({ path: ["availableFrom"], message: "errors.availableFrom.requiredForPreorder" });
  }
  return problems;
}

// ---------------------------------------------------------------- the form schema

const custom = (message: string, input: unknown, path: (string | number)[] = []) =>
  ({ code: "custom", message, input, path }) as const;

const titleRules = z
  .string()
  .min(1, "errors.title.required")
  .min(TITLE_MIN, "errors.title.tooShort")
  .max(TITLE_MAX, "errors.title.tooLong")
  .regex(/[\p{L}\p{N}]/u, "errors.title.invalid");

const descriptionRules = z.string().max(DESCRIPTION_MAX, "errors.description.tooLong");

const formTitle = z.string().optional().transform(oneLine).pipe(titleRules);

const formDescription = z.string().optional().transform(multiLine).pipe(descriptionRules);

function formCode<T extends string>(field: string, isCode: (v: unknown) => v is T) {
  return z
    .string()
    .optional()
    .transform((v, ctx): T => {
      const s = (v ?? "").trim();
      if (isCode(s)) return s;
      ctx.issues.push(custom(s ? `errors.${field}.invalid` : `errors.${field}.required`, v));
      return z.NEVER;
    });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id the phone chose for a new listing: a UUID, or nothing. */
const formListingId = z
  .string()
  .optional()
  .transform((v, ctx): string | undefined => {
    const s = (v ?? "").trim();
    if (!s) return undefined;
    if (UUID.test(s)) return s.toLowerCase();
    ctx.issues.push(custom("errors.id.invalid", v));
    return z.NEVER;
  });

const formCheckbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "1");

const formPrice = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const parsed = parsePriceDong(v ?? "");
    if (parsed.ok) return parsed.value;
    ctx.issues.push(custom(`errors.price.${parsed.problem}`, v));
    return z.NEVER;
  });

const formMinOrderQty = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const parsed = parseWholeNumber(v ?? "");
    if (!parsed.ok && parsed.problem === "empty") return 1;
    const problem = !parsed.ok
      ? parsed.problem === "negative"
        ? "min"
        : "invalid"
      : parsed.value < 1
        ? "min"
        : parsed.value > MAX_QUANTITY
          ? "tooHigh"
          : null;
    if (parsed.ok && problem === null) return parsed.value;
    ctx.issues.push(custom(`errors.minOrderQty.${problem}`, v));
    return z.NEVER;
  });

/** An optional whole number within the field's range: empty is null. */
function formOptionalCount(field: ExportDetailField) {
  const { min, max } = EXPORT_DETAIL_LIMITS[field];
  return z
    .string()
    .optional()
    .transform((v, ctx): number | null => {
      const parsed = parseWholeNumber(v ?? "");
      if (!parsed.ok && parsed.problem === "empty") return null;
      const problem = !parsed.ok
        ? parsed.problem === "negative"
          ? "min"
          : "invalid"
        : parsed.value < min
          ? "min"
          : parsed.value > max
            ? "tooHigh"
            : null;
      if (parsed.ok && problem === null) return parsed.value;
      ctx.issues.push(custom(`errors.${field}.${problem}`, v));
      return z.NEVER;
    });
}

/** Parsed now, judged in the object's refinement: whether it is needed depends on a checkbox. */
const formConditionalCount = z
  .string()
  .optional()
  .transform((v) => parseWholeNumber(v ?? ""));

function formDate(field: string, { required = false } = {}) {
  return z
    .string()
    .optional()
    .transform((v, ctx): string | null => {
      const s = (v ?? "").trim();
      if (!s && !required) return null;
      if (isIsoDate(s)) return s;
      ctx.issues.push(custom(s ? `errors.${field}.invalid` : `errors.${field}.required`, v));
      return z.NEVER;
    });
}

const formCertification = z
  .object({
    type: z.string().optional(),
    number: z.string().optional(),
    issuer: z.string().optional(),
    stars: z.string().optional(),
    validFrom: z.string().optional(),
    validUntil: z.string().optional(),
  })
  .transform((row, ctx): CertificationInput | null => {
    const v = {
      type: oneLine(row.type),
      number: oneLine(row.number),
      issuer: oneLine(row.issuer),
      stars: oneLine(row.stars).replace(/\s*(?:★|\*|sao)$/iu, ""),
      validFrom: oneLine(row.validFrom),
      validUntil: oneLine(row.validUntil),
    };
    if (!v.number && !v.issuer && !v.stars && !v.validFrom && !v.validUntil) return null;
    const before = ctx.issues.length;
    const fail = (field: keyof CertificationFormValues, key: string) => ctx.issues.push(custom(key, row, [field]));

    if (!v.type) fail("type", "errors.cert.type.required");
    else if (!isCertificationType(v.type)) fail("type", "errors.cert.type.invalid");
    if (!v.number) fail("number", "errors.cert.number.required");
    else if (v.number.length > CERT_NUMBER_MAX) fail("number", "errors.cert.number.tooLong");
    if (v.issuer.length > CERT_ISSUER_MAX) fail("issuer", "errors.cert.issuer.tooLong");
    let ocopStars: number | null = null;
    if (v.stars) {
      ocopStars = /^\d$/.test(v.stars) ? Number(v.stars) : -1;
    }
    const validFrom = v.validFrom ? (isIsoDate(v.validFrom) ? v.validFrom : undefined) : null;
    if (validFrom === undefined) fail("validFrom", "errors.cert.validFrom.invalid");
    const validUntil = v.validUntil ? (isIsoDate(v.validUntil) ? v.validUntil : undefined) : null;
    if (validUntil === null) fail("validUntil", "errors.cert.validUntil.required");
    else if (validUntil === undefined) fail("validUntil", "errors.cert.validUntil.invalid");
    if (isCertificationType(v.type)) {
      const problems = certificationProblems({
        type: v.type,
        ocopStars,
        validFrom: validFrom ?? null,
        validUntil: validUntil ?? null,
      });
      for (const p of problems) ctx.issues.push(custom(p.message, row, p.path));
    }
    if (ctx.issues.length > before) return z.NEVER;
    return {
      type: v.type as CertificationTypeCode,
      number: v.number,
      issuer: v.issuer,
      ocopStars,
      validFrom: validFrom ?? null,
      validUntil: validUntil!,
    };
  });

type CountField = "stockQty" | "preorderCapacity";

function countProblem(field: CountField, parsed: WholeNumber, min: 0 | 1): string | null {
  if (!parsed.ok) {
    if (parsed.problem === "empty") return `errors.${field}.required`;
    if (parsed.problem === "negative") return min === 0 ? `errors.${field}.negative` : `errors.${field}.min`;
    return `errors.${field}.invalid`;
  }
  if (parsed.value < min) return `errors.${field}.min`;
  if (parsed.value > MAX_QUANTITY) return `errors.${field}.tooHigh`;
  return null;
}

const isWholeNumber = (v: unknown): v is WholeNumber => typeof v === "object" && v !== null && "ok" in v;
const dateOrNull = (v: unknown) => (v === null || typeof v === "string" ? v : undefined);

export const ListingFormSchema = z
  .object({
    title: formTitle,
    description: formDescription,
    category: formCode("category", isCategoryCode),
    unit: formCode("unit", isUnitCode),
    price: formPrice,
    minOrderQty: formMinOrderQty,
    madeToOrder: formCheckbox,
    stockQty: formConditionalCount,
    availableFrom: formDate("availableFrom"),
    availableUntil: formDate("availableUntil"),
    preorder: formCheckbox,
    preorderCapacity: formConditionalCount,
    certifications: z.array(formCertification).max(MAX_CERTIFICATION_ROWS).optional(),
    leadTimeDays: formOptionalCount("leadTimeDays"),
    weightGrams: formOptionalCount("weightGrams"),
    packageLengthCm: formOptionalCount("packageLengthCm"),
    packageWidthCm: formOptionalCount("packageWidthCm"),
    packageHeightCm: formOptionalCount("packageHeightCm"),
    id: formListingId,
  })
  .superRefine(
    (v, ctx) => {
      // Runs even when some fields failed (those hold no usable value then), so
      // the farmer sees every problem of the form at once.
      const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
      if (v.madeToOrder === false && isWholeNumber(v.stockQty)) {
        const problem = countProblem("stockQty", v.stockQty, 0);
        if (problem) fail(["stockQty"], problem);
      }
      if (v.preorder === true && isWholeNumber(v.preorderCapacity)) {
        const problem = countProblem("preorderCapacity", v.preorderCapacity, 1);
        if (problem) fail(["preorderCapacity"], problem);
      }
      const availableFrom = dateOrNull(v.availableFrom);
      const availableUntil = dateOrNull(v.availableUntil);
      for (const p of windowProblems({ availableFrom, availableUntil, preorder: v.preorder === true })) {
        fail(p.path, p.message);
      }
      if (Array.isArray(v.certifications)) {
        const filled = v.certifications.filter((c) => c !== null).length;
        if (filled > MAX_CERTIFICATIONS) fail(["certifications"], "errors.certifications.tooMany");
      }
    },
    { when: () => true },
  )
  .transform((v): ListingInput => ({
    title: v.title,
    description: v.description,
    category: v.category,
    unit: v.unit,
    priceDong: v.price,
    minOrderQty: v.minOrderQty,
    madeToOrder: v.madeToOrder,
    stockQty: v.madeToOrder || !v.stockQty.ok ? 0 : v.stockQty.value,
    availableFrom: v.availableFrom,
    availableUntil: v.availableUntil,
    preorder: v.preorder,
    preorderCapacity: v.preorder && v.preorderCapacity.ok ? v.preorderCapacity.value : null,
    certifications: (v.certifications ?? []).filter((c): c is CertificationInput => c !== null),
    // A lead time means something only for goods made to order.
    leadTimeDays: v.madeToOrder ? v.leadTimeDays : null,
    weightGrams: v.weightGrams,
    packageLengthCm: v.packageLengthCm,
    packageWidthCm: v.packageWidthCm,
    packageHeightCm: v.packageHeightCm,
    ...(v.id ? { id: v.id } : {}),
  }));

// ---------------------------------------------------------------- the domain check

const isoDate = (key: string) => z.string().refine(isIsoDate, key);

const CertificationInputSchema = z
  .object({
    type: z.enum(CERTIFICATION_TYPES, { error: "errors.cert.type.invalid" }),
    number: z
      .string()
      .transform(oneLine)
      .pipe(z.string().min(1, "errors.cert.number.required").max(CERT_NUMBER_MAX, "errors.cert.number.tooLong")),
    issuer: z.string().transform(oneLine).pipe(z.string().max(CERT_ISSUER_MAX, "errors.cert.issuer.tooLong")),
    ocopStars: z.number().int("errors.cert.stars.invalid").nullable(),
    validFrom: isoDate("errors.cert.validFrom.invalid").nullable(),
    validUntil: isoDate("errors.cert.validUntil.invalid"),
  })
  .superRefine((cert, ctx) => {
    for (const p of certificationProblems(cert)) ctx.addIssue({ code: "custom", ...p });
  });

const count = (field: string, min: number) =>
  z
    .number({ error: `errors.${field}.invalid` })
    .int(`errors.${field}.invalid`)
    .min(min, min === 0 ? `errors.${field}.negative` : `errors.${field}.min`)
    .max(MAX_QUANTITY, `errors.${field}.tooHigh`);

const exportDetail = (field: ExportDetailField) =>
  z
    .number({ error: `errors.${field}.invalid` })
    .int(`errors.${field}.invalid`)
    .min(EXPORT_DETAIL_LIMITS[field].min, `errors.${field}.min`)
    .max(EXPORT_DETAIL_LIMITS[field].max, `errors.${field}.tooHigh`)
    .nullable()
    .optional();

/**
 * The invariants of a listing, checked again by the server functions whatever
 * the caller (a form, the onboarding wizard, an import) parsed; its output has
 * the text normalised (NFC, trimmed) as the form does. Same error keys as the
 * form; listingFieldName names its issues after the form's fields too.
 */
export const ListingInputSchema = z
  .object({
    title: z.string().transform(oneLine).pipe(titleRules),
    description: z.string().transform(multiLine).pipe(descriptionRules),
    category: z.enum(CATEGORIES, { error: "errors.category.invalid" }),
    unit: z.custom<UnitCode>(isUnitCode, "errors.unit.invalid"),
    priceDong: z
      .number({ error: "errors.price.invalid" })
      .int("errors.price.notInteger")
      .min(1, "errors.price.zero")
      .max(MAX_PRICE_DONG, "errors.price.tooHigh"),
    minOrderQty: count("minOrderQty", 1),
    madeToOrder: z.boolean(),
    stockQty: count("stockQty", 0),
    availableFrom: isoDate("errors.availableFrom.invalid").nullable(),
    availableUntil: isoDate("errors.availableUntil.invalid").nullable(),
    preorder: z.boolean(),
    preorderCapacity: count("preorderCapacity", 1).nullable(),
    certifications: z.array(CertificationInputSchema).max(MAX_CERTIFICATIONS, "errors.certifications.tooMany"),
    leadTimeDays: exportDetail("leadTimeDays"),
    weightGrams: exportDetail("weightGrams"),
    packageLengthCm: exportDetail("packageLengthCm"),
    packageWidthCm: exportDetail("packageWidthCm"),
    packageHeightCm: exportDetail("packageHeightCm"),
  })
  .superRefine(
    (v, ctx) => {
      // Judged even when another field broke a range rule (a wrong type stops Zod before this).
      if (typeof v.preorder !== "boolean") return;
      const availableFrom = dateOrNull(v.availableFrom);
      const availableUntil = dateOrNull(v.availableUntil);
      for (const p of windowProblems({ availableFrom, availableUntil, preorder: v.preorder })) {
        ctx.addIssue({ code: "custom", ...p });
      }
      if (v.preorder && v.preorderCapacity === null) {
        ctx.addIssue({ code: "custom", path: ["preorderCapacity"], message: "errors.preorderCapacity.required" });
      }
      if (!v.preorder && v.preorderCapacity !== null) {
        ctx.addIssue({ code: "custom", path: ["preorderCapacity"], message: "errors.preorderCapacity.invalid" });
      }
    },
    { when: () => true },
  );

// ---------------------------------------------------------------- helpers for routes and forms

/** ListingInput names whose form field is called otherwise. */
const FORM_NAMES: Record<string, string> = { priceDong: "price", ocopStars: "stars" };
const formName = (key: string) => FORM_NAMES[key] ?? key;

/**
 * The form field an issue (of ListingFormSchema or ListingInputSchema) is
 * about, for `fieldErrors` (app/utils/forms.ts): certificate fields get their
 * form names ("cert[1].number"), the rest their top-level name ("price").
 */
export function listingFieldName(path: readonly PropertyKey[]): string {
  const [head, index, field] = path;
  if (head === "certifications" && typeof index === "number" && typeof field === "string") {
    return `cert[${index}].${formName(field)}`;
  }
  if (typeof head === "string" && path.length === 1) return formName(head);
  return path.map(String).join(".");
}

const CERT_FIELD = /^cert\[(\d{1,3})\]\.(type|number|issuer|stars|validFrom|validUntil)$/;

const blankCertification = (): CertificationFormValues => ({
  type: "",
  number: "",
  issuer: "",
  stars: "",
  validFrom: "",
  validUntil: "",
});

/** The listing form's fields out of a posted form (files and unknown fields are ignored). */
export function listingFormValues(form: FormData | URLSearchParams): ListingFormValues {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const rows: CertificationFormValues[] = [];
  for (const [name, value] of form.entries()) {
    const m = CERT_FIELD.exec(name);
    if (!m || typeof value !== "string") continue;
    const index = Number(m[1]);
    if (index >= MAX_CERTIFICATION_ROWS) continue;
    while (rows.length <= index) rows.push(blankCertification());
    rows[index][m[2] as keyof CertificationFormValues] = value;
  }
  return {
    title: text("title"),
    description: text("description"),
    category: text("category"),
    unit: text("unit"),
    price: text("price"),
    minOrderQty: text("minOrderQty"),
    madeToOrder: text("madeToOrder"),
    stockQty: text("stockQty"),
    availableFrom: text("availableFrom"),
    availableUntil: text("availableUntil"),
    preorder: text("preorder"),
    preorderCapacity: text("preorderCapacity"),
    certifications: rows,
    leadTimeDays: text("leadTimeDays"),
    weightGrams: text("weightGrams"),
    packageLengthCm: text("packageLengthCm"),
    packageWidthCm: text("packageWidthCm"),
    packageHeightCm: text("packageHeightCm"),
    ...(form.has("id") ? { id: text("id") } : {}),
  };
}

export type ListingFormResult = ParsedForm<ListingInput, ListingFormValues>;

/** Reads and validates a posted listing form. On failure, `values` refills the form. */
export function parseListingForm(form: FormData | URLSearchParams | ListingFormValues): ListingFormResult {
  const values = form instanceof FormData || form instanceof URLSearchParams ? listingFormValues(form) : form;
  return parseForm(ListingFormSchema, values, { nameOf: listingFieldName });
}

/** A new, empty form. */
export function emptyListingFormValues(): ListingFormValues {
  return {
    title: "",
    description: "",
    category: "",
    unit: "",
    price: "",
    minOrderQty: "1",
    madeToOrder: "",
    stockQty: "",
    availableFrom: "",
    availableUntil: "",
    preorder: "",
    preorderCapacity: "",
    certifications: [],
    leadTimeDays: "",
    weightGrams: "",
    packageLengthCm: "",
    packageWidthCm: "",
    packageHeightCm: "",
  };
}

/** An existing listing as form values, for the edit form. */
export function toListingFormValues(listing: ListingInput): ListingFormValues {
  return {
    title: listing.title,
    description: listing.description,
    category: listing.category,
    unit: listing.unit,
    price: String(listing.priceDong),
    minOrderQty: String(listing.minOrderQty),
    madeToOrder: listing.madeToOrder ? "on" : "",
    stockQty: listing.madeToOrder ? "" : String(listing.stockQty),
    availableFrom: listing.availableFrom ?? "",
    availableUntil: listing.availableUntil ?? "",
    preorder: listing.preorder ? "on" : "",
    preorderCapacity: listing.preorderCapacity === null ? "" : String(listing.preorderCapacity),
    certifications: listing.certifications.map((c) => ({
      type: c.type,
      number: c.number,
      issuer: c.issuer,
      stars: c.ocopStars === null ? "" : String(c.ocopStars),
      validFrom: c.validFrom ?? "",
      validUntil: c.validUntil,
    })),
    leadTimeDays: numberOrBlank(listing.leadTimeDays),
    weightGrams: numberOrBlank(listing.weightGrams),
    packageLengthCm: numberOrBlank(listing.packageLengthCm),
    packageWidthCm: numberOrBlank(listing.packageWidthCm),
    packageHeightCm: numberOrBlank(listing.packageHeightCm),
  };
}

const numberOrBlank = (value: number | null | undefined) =>
  value === null || value === undefined ? "" : String(value);
