/**
 * The wizard's own forms (household, stall, delivery); the product step uses
 * the listing form and the payment step the payment-methods form. One Zod
 * schema each for the browser and the server; every message is a key of the
 * "onboarding" namespace, shown next to the field it names.
 */
import { z } from "zod";
import { formValues, parseForm } from "~/utils/forms";
import { parseDong } from "~/utils/numbers";
import { multiLine, oneLine } from "~/utils/text";
import {
  ADDRESS_MAX,
  HOURS_MAX,
  MAX_FEE_DONG,
  MAX_LOCAL_COMMUNES,
  NAME_MAX,
  STALL_DESCRIPTION_MAX,
  STALL_NAME_MAX,
  STALL_NAME_MIN,
} from "./limits";
import { normaliseTypedSlug, stallSlugProblem } from "~/stalls";

const ticked = (v: unknown) => v === "on" || v === "true";
const CODE = /^\d{2,5}$/;

// ---------------------------------------------------------------- 1. household

export const HOUSEHOLD_FIELDS = ["fullName", "kind", "provinceCode", "communeCode", "addressLine"] as const;
export type HouseholdFormValues = Record<(typeof HOUSEHOLD_FIELDS)[number], string>;

export const HouseholdSchema = z.object({
  fullName: z
    .string()
    .transform(oneLine)
    .pipe(z.string().min(2, "errors.fullName.required").max(NAME_MAX, "errors.fullName.tooLong")),
  kind: z.enum(["household", "cooperative"], { error: "errors.kind.invalid" }),
  provinceCode: z.string().regex(CODE, "errors.provinceCode.required"),
  communeCode: z.string().regex(CODE, "errors.communeCode.required"),
  addressLine: z
    .string()
    .transform(oneLine)
    .pipe(z.string().min(2, "errors.addressLine.required").max(ADDRESS_MAX, "errors.addressLine.tooLong")),
});
export type HouseholdInput = z.output<typeof HouseholdSchema>;

export function parseHouseholdForm(form: FormData | URLSearchParams) {
  const values = formValues(form, HOUSEHOLD_FIELDS);
  if (!values.kind) values.kind = "household";
  return parseForm(HouseholdSchema, values);
}

// ---------------------------------------------------------------- 2. stall

export const STALL_FIELDS = ["name", "slug", "description"] as const;
export type StallFormValues = Record<(typeof STALL_FIELDS)[number], string>;

export const StallSchema = z.object({
  name: z
    .string()
    .transform(oneLine)
    .pipe(z.string().min(STALL_NAME_MIN, "errors.name.tooShort").max(STALL_NAME_MAX, "errors.name.tooLong")),
  /** Empty = derive from the name. */
  slug: z
    .string()
    .transform(normaliseTypedSlug)
    .superRefine((slug, ctx) => {
      const problem = slug ? stallSlugProblem(slug) : null;
      if (problem) ctx.addIssue({ code: "custom", message: `errors.${problem}` });
    }),
  description: z
    .string()
    .transform(multiLine)
    .pipe(z.string().max(STALL_DESCRIPTION_MAX, "errors.description.tooLong")),
});
export type StallInput = z.output<typeof StallSchema>;

export function parseStallForm(form: FormData | URLSearchParams) {
  return parseForm(StallSchema, form, { fields: STALL_FIELDS });
}

// ---------------------------------------------------------------- 5. delivery

export const DELIVERY_FIELDS = [
  "pickupEnabled",
  "pickupAddress",
  "pickupHours",
  "localDeliveryEnabled",
  "localDeliveryFee",
  "shippingEnabled",
  "shippingFeeMode",
  "shippingFee",
] as const;
export type DeliveryFormValues = Record<(typeof DELIVERY_FIELDS)[number], string> & { localDeliveryCommunes: string[] };

const fee = (field: string) =>
  z.string().transform((raw, ctx) => {
    if (!raw.trim()) return 0;
    const parsed = parseDong(raw);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: `errors.${field}.invalid` });
      return z.NEVER;
    }
    if (parsed.value > MAX_FEE_DONG) {
      ctx.addIssue({ code: "custom", message: `errors.${field}.tooHigh` });
      return z.NEVER;
    }
    return parsed.value;
  });

export const DeliverySchema = z
  .object({
    pickupEnabled: z.string().transform(ticked),
    pickupAddress: z.string().transform(oneLine).pipe(z.string().max(ADDRESS_MAX, "errors.pickupAddress.tooLong")),
    pickupHours: z.string().transform(oneLine).pipe(z.string().max(HOURS_MAX, "errors.pickupHours.tooLong")),
    localDeliveryEnabled: z.string().transform(ticked),
    localDeliveryCommunes: z
      .array(z.string().regex(CODE, "errors.localDeliveryCommunes.invalid"))
      .max(MAX_LOCAL_COMMUNES, "errors.localDeliveryCommunes.tooMany")
      .transform((codes) => [...new Set(codes)]),
    localDeliveryFee: fee("localDeliveryFee"),
    shippingEnabled: z.string().transform(ticked),
    shippingFeeMode: z.enum(["flat", "per_kg"], { error: "errors.shippingFeeMode.invalid" }),
    shippingFee: fee("shippingFee"),
  })
  .superRefine((v, ctx) => {
    if (v.pickupEnabled && !v.pickupAddress)
      ctx.addIssue({ code: "custom", path: ["pickupAddress"], message: "errors.pickupAddress.required" });
    if (v.localDeliveryEnabled && v.localDeliveryCommunes.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["localDeliveryCommunes"],
        message: "errors.localDeliveryCommunes.required",
      });
    if (!v.pickupEnabled && !v.localDeliveryEnabled && !v.shippingEnabled)
      ctx.addIssue({ code: "custom", path: ["form"], message: "errors.delivery.none" });
  });
export type DeliveryInput = z.output<typeof DeliverySchema>;

export function parseDeliveryForm(form: FormData | URLSearchParams) {
  const values: DeliveryFormValues = {
    ...formValues(form, DELIVERY_FIELDS),
    localDeliveryCommunes: form.getAll("localDeliveryCommunes").filter((v): v is string => typeof v === "string"),
  };
  if (!values.shippingFeeMode) values.shippingFeeMode = "flat";
  return parseForm(DeliverySchema, values);
}
