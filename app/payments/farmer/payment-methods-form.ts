/**
 * The seller's payment settings: cash on delivery and/or VietQR transfers to
 * their own bank account, and, where the deployment has them, VNPay and cards
 * (Stripe), whose money the platform collects and owes the farmer (ledger).
 * One Zod schema for the browser and the server; every message is a
 * translation key of the "payments" namespace (`errors.*`).
 *
 * Form field names (strings, as FormData has them):
 *   cod ("on" when ticked), vietqr.enabled ("on" when ticked),
 *   vietqr.bankBin (a BIN from BANKS), vietqr.accountNumber, vietqr.accountName,
 *   vnpay, stripe ("on" when ticked)
 * Error keys use the same names, plus "methods" for "choose at least one".
 *
 * The bank details are only read when VietQR is ticked; unticking it drops them.
 * VNPay and cards are read only when the deployment offers them
 * (`OnlineAvailability`, from payment-settings.server.ts): a tampered form cannot
 * switch on a method this deployment does not have.
 */
import { z } from "zod";
import { parseForm, type FieldErrors, type ParsedForm } from "~/utils/forms";
import { findBank } from "../vietqr/banks";
import { PAYMENT_FIELDS } from "./payment-fields";
import { accountHolderName } from "../vietqr/payload";

export const ACCOUNT_NUMBER_MIN = 6;
export const ACCOUNT_NUMBER_MAX = 19;
export const ACCOUNT_NAME_MIN = 2;
export const ACCOUNT_NAME_MAX = 50;

export type VietQrSettings =
  { enabled: true; bankBin: string; accountNumber: string; accountName: string } | { enabled: false };

/** Valid settings: at least one method on, bank details normalised. */
export type PaymentMethods = { cod: boolean; vietqr: VietQrSettings; vnpay: boolean; stripe: boolean };

/** What the form posts: also what an edit form starts from and a failed submit gives back. */
export type PaymentMethodsFormValues = {
  cod: string;
  vietqr: { enabled: string; bankBin: string; accountNumber: string; accountName: string };
  vnpay: string;
  stripe: string;
};

/** Which online providers this deployment has (VNPAY_*, STRIPE_*): only those can be ticked. */
export type OnlineAvailability = { vnpay: boolean; stripe: boolean };

export const NO_ONLINE_PROVIDERS: OnlineAvailability = { vnpay: false, stripe: false };

/** A ticked box: true, or what a browser posts for one. Never fails: anything else is unticked. */
const isTicked = (v: unknown) => v === true || v === "on" || v === "true" || v === "1";

const checkbox = z.union([z.boolean(), z.string()]).optional().catch(undefined).transform(isTicked);

const text = (invalidKey: string) =>
  z
    .string({ error: invalidKey })
    .optional()
    .transform((v) => v ?? "");

export const bankBinSchema = text("errors.bankBin.unknown").pipe(
  z
    .string()
    .trim()
    .min(1, "errors.bankBin.required")
    .refine((bin) => bin === "" || findBank(bin) !== undefined, "errors.bankBin.unknown"),
);

/** "0011 0012 34567", "0011.001.234567" → "0011001234567" (NFKC: full-width digits from some keyboards). */
export const accountNumberSchema = text("errors.accountNumber.invalid")
  .transform((v) => v.normalize("NFKC").replace(/[\s.-]/g, ""))
  .pipe(
    z
      .string()
      .min(1, "errors.accountNumber.required")
      .regex(/^\d*$/, "errors.accountNumber.invalid")
      .min(ACCOUNT_NUMBER_MIN, "errors.accountNumber.tooShort")
      .max(ACCOUNT_NUMBER_MAX, "errors.accountNumber.tooLong"),
  );

/** Stored as the bank prints it ("Nguyễn Thị Đào" → "NGUYEN THI DAO"), so buyers can compare it with what their bank app shows. */
export const accountNameSchema = text("errors.accountName.invalid")
  .transform(accountHolderName)
  .pipe(
    z
      .string()
      .min(1, "errors.accountName.required")
      .min(ACCOUNT_NAME_MIN, "errors.accountName.tooShort")
      .max(ACCOUNT_NAME_MAX, "errors.accountName.tooLong")
      .regex(/[A-Z]/, "errors.accountName.invalid"),
  );

const VietQrOn = z.object({
  enabled: z.literal(true),
  bankBin: bankBinSchema,
  accountNumber: accountNumberSchema,
  accountName: accountNameSchema,
});

// z.object drops the bank fields: they mean nothing while VietQR is off.
const VietQrOff = z.object({ enabled: z.literal(false) });

const vietqr = z.preprocess(
  (v) => {
    const fields = typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
    return { ...fields, enabled: isTicked(fields.enabled) };
  },
  z.discriminatedUnion("enabled", [VietQrOn, VietQrOff]),
);

/**
 * Reads the settings from form values (strings, as posted) or from typed values
 * (booleans), e.g. the onboarding wizard's saved draft. A wrong field never hides
 * the "choose at least one" problem: that one only arises with VietQR off, when
 * no bank field is read.
 */
export const PaymentMethodsSchema = z
  .object({ cod: checkbox, vietqr, vnpay: checkbox, stripe: checkbox })
  .superRefine((v, ctx) => {
    if (!v.cod && !v.vietqr.enabled && !v.vnpay && !v.stripe) {
      ctx.addIssue({ code: "custom", path: ["methods"], message: "errors.methods.none" });
    }
  }) satisfies z.ZodType<PaymentMethods>;

export type PaymentMethodsInput = z.input<typeof PaymentMethodsSchema>;

// ---------------------------------------------------------------- helpers for routes and forms

/** The settings fields out of a posted form (unknown fields and files are ignored). */
export function paymentMethodsFormValues(form: FormData | URLSearchParams): PaymentMethodsFormValues {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    cod: text(PAYMENT_FIELDS.cod),
    vietqr: {
      enabled: text(PAYMENT_FIELDS.vietqrEnabled),
      bankBin: text(PAYMENT_FIELDS.bankBin),
      accountNumber: text(PAYMENT_FIELDS.accountNumber),
      accountName: text(PAYMENT_FIELDS.accountName),
    },
    vnpay: text(PAYMENT_FIELDS.vnpay),
    stripe: text(PAYMENT_FIELDS.stripe),
  };
}

/** The one form shape (`data`); `methods` is the same settings, by the name callers knew. */
export type PaymentMethodsFormResult =
  | { ok: true; data: PaymentMethods; methods: PaymentMethods; values: PaymentMethodsFormValues }
  | { ok: false; errors: FieldErrors; values: PaymentMethodsFormValues };

/**
 * Reads and validates a posted settings form. On failure, `values` refills the
 * form. VNPay and cards count only where `available` says the deployment has
 * them; otherwise they are read as unticked.
 */
export function parsePaymentMethodsForm(
  form: FormData | URLSearchParams | PaymentMethodsFormValues,
  available: OnlineAvailability = NO_ONLINE_PROVIDERS,
): PaymentMethodsFormResult {
  const posted = form instanceof FormData || form instanceof URLSearchParams ? paymentMethodsFormValues(form) : form;
  const values = {
    ...posted,
    vnpay: available.vnpay ? posted.vnpay : "",
    stripe: available.stripe ? posted.stripe : "",
  };
  const parsed: ParsedForm<PaymentMethods, PaymentMethodsFormValues> = parseForm(PaymentMethodsSchema, values);
  return parsed.ok ? { ...parsed, methods: parsed.data } : parsed;
}

/** A new form: cash on delivery ticked, as most buyers of fresh produce pay that way. */
export function emptyPaymentMethodsFormValues(): PaymentMethodsFormValues {
  return { cod: "on", vietqr: { enabled: "", bankBin: "", accountNumber: "", accountName: "" }, vnpay: "", stripe: "" };
}

/** Saved settings as form values, for the edit form. */
export function toPaymentMethodsFormValues(methods: PaymentMethods): PaymentMethodsFormValues {
  const v = methods.vietqr;
  return {
    cod: methods.cod ? "on" : "",
    vietqr: v.enabled
      ? { enabled: "on", bankBin: v.bankBin, accountNumber: v.accountNumber, accountName: v.accountName }
      : { enabled: "", bankBin: "", accountNumber: "", accountName: "" },
    vnpay: methods.vnpay ? "on" : "",
    stripe: methods.stripe ? "on" : "",
  };
}
