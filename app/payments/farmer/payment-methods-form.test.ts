import { describe, expect, it } from "vitest";
import en from "~/i18n/locales/en/payments.json";
import vi from "~/i18n/locales/vi/payments.json";
import {
  PaymentMethodsSchema,
  emptyPaymentMethodsFormValues,
  parsePaymentMethodsForm,
  toPaymentMethodsFormValues,
  type PaymentMethodsFormValues,
} from "./payment-methods-form";
import type { VietQrErrorCode } from "../vietqr/payload";

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

const vietqrForm = {
  "vietqr.enabled": "on",
  "vietqr.bankBin": "970405",
  "vietqr.accountNumber": "1500 205.123456",
  "vietqr.accountName": " Nguyễn Thị Đào ",
};

describe("parsePaymentMethodsForm", () => {
  it("accepts cash on delivery alone", () => {
    const result = parsePaymentMethodsForm(form({ cod: "on" }));
    expect(result).toMatchObject({ ok: true, methods: { cod: true, vietqr: { enabled: false } } });
  });

  it("accepts VietQR and stores the account as the bank has it", () => {
    const result = parsePaymentMethodsForm(form({ cod: "on", ...vietqrForm }));
    expect(result.ok && result.methods).toEqual({
      cod: true,
      vietqr: { enabled: true, bankBin: "970405", accountNumber: "1500205123456", accountName: "NGUYEN THI DAO" },
      vnpay: false,
      stripe: false,
    });
  });

  it("accepts VietQR alone", () => {
    const result = parsePaymentMethodsForm(form(vietqrForm));
    expect(result).toMatchObject({ ok: true, methods: { cod: false, vietqr: { enabled: true } } });
  });

  it("asks for at least one method", () => {
    const result = parsePaymentMethodsForm(form({}));
    expect(result).toEqual({
      ok: false,
      errors: { methods: "errors.methods.none" },
      values: {
        cod: "",
        vietqr: { enabled: "", bankBin: "", accountNumber: "", accountName: "" },
        vnpay: "",
        stripe: "",
      },
    });
  });

  it("ignores the bank fields while VietQR is off, however wrong they are", () => {
    const result = parsePaymentMethodsForm(
      form({ cod: "on", "vietqr.bankBin": "000000", "vietqr.accountNumber": "abc", "vietqr.accountName": "" }),
    );
    expect(result.ok && result.methods).toEqual({ cod: true, vietqr: { enabled: false }, vnpay: false, stripe: false });
  });

  it("takes VNPay and cards as methods only where the deployment has them", () => {
    const online = form({ vnpay: "on", stripe: "on" });
    expect(parsePaymentMethodsForm(online)).toMatchObject({ ok: false, errors: { methods: "errors.methods.none" } });
    expect(parsePaymentMethodsForm(online, { vnpay: true, stripe: false })).toMatchObject({
      ok: true,
      methods: { cod: false, vietqr: { enabled: false }, vnpay: true, stripe: false },
    });
    const both = parsePaymentMethodsForm(form({ stripe: "on", vnpay: "yes" }), { vnpay: true, stripe: true });
    expect(both).toMatchObject({ ok: true, methods: { vnpay: false, stripe: true } });
  });

  it("names every wrong bank field at once and keeps what the farmer typed", () => {
    const typed = {
      cod: "on",
      "vietqr.enabled": "on",
      "vietqr.bankBin": "",
      "vietqr.accountNumber": "12a45",
      "vietqr.accountName": "  ",
    };
    const result = parsePaymentMethodsForm(form(typed));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual({
      "vietqr.bankBin": "errors.bankBin.required",
      "vietqr.accountNumber": "errors.accountNumber.invalid",
      "vietqr.accountName": "errors.accountName.required",
    });
    expect(result.values.vietqr).toEqual({ enabled: "on", bankBin: "", accountNumber: "12a45", accountName: "  " });
  });

  it.each([
    ["vietqr.bankBin", "123456", "errors.bankBin.unknown"],
    ["vietqr.bankBin", "97043", "errors.bankBin.unknown"],
    ["vietqr.accountNumber", "", "errors.accountNumber.required"],
    ["vietqr.accountNumber", "12 345", "errors.accountNumber.tooShort"],
    ["vietqr.accountNumber", "1".repeat(20), "errors.accountNumber.tooLong"],
    ["vietqr.accountNumber", "0011-00123-4567x", "errors.accountNumber.invalid"],
    ["vietqr.accountName", "Đ", "errors.accountName.tooShort"],
    ["vietqr.accountName", "A".repeat(51), "errors.accountName.tooLong"],
    ["vietqr.accountName", "12 34", "errors.accountName.invalid"],
  ])("refuses %s = %j with %s", (field, value, key) => {
    const result = parsePaymentMethodsForm(form({ ...vietqrForm, [field]: value }));
    expect(!result.ok && result.errors).toEqual({ [field]: key });
  });

  it("reads full-width digits and hyphens in an account number", () => {
    const result = parsePaymentMethodsForm(
      form({ ...vietqrForm, "vietqr.accountNumber": "１５００-２０５１２３４５６" }),
    );
    expect(result.ok && result.methods.vietqr).toMatchObject({ accountNumber: "1500205123456" });
  });

  it("refills an edit form from saved settings that parse back to the same settings", () => {
    const saved = parsePaymentMethodsForm(form({ cod: "on", ...vietqrForm }));
    if (!saved.ok) throw new Error("expected valid settings");
    const values: PaymentMethodsFormValues = toPaymentMethodsFormValues(saved.methods);
    expect(parsePaymentMethodsForm(values)).toMatchObject({ ok: true, methods: saved.methods });
    expect(emptyPaymentMethodsFormValues().cod).toBe("on");
    expect(parsePaymentMethodsForm(emptyPaymentMethodsFormValues())).toMatchObject({ ok: true });
  });
});

describe("PaymentMethodsSchema", () => {
  it("takes typed values too (booleans), e.g. the wizard's saved draft", () => {
    const parsed = PaymentMethodsSchema.parse({
      cod: false,
      vietqr: { enabled: true, bankBin: "970436", accountNumber: "0011001234567", accountName: "tran van binh" },
    });
    expect(parsed.vietqr).toEqual({
      enabled: true,
      bankBin: "970436",
      accountNumber: "0011001234567",
      accountName: "TRAN VAN BINH",
    });
  });

  it("treats anything but a ticked value as unticked", () => {
    const result = PaymentMethodsSchema.safeParse({ cod: 1, vietqr: "yes" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(["errors.methods.none"]);
  });
});

describe("payments translations", () => {
  const keys = (o: unknown, prefix = ""): string[] =>
    Object.entries(o as Record<string, unknown>).flatMap(([k, v]) =>
      typeof v === "object" && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
    );

  it("have the same keys in Vietnamese and English", () => {
    expect(keys(en).sort()).toEqual(keys(vi).sort());
  });

  it("have a message for every error the forms and the QR builder can give", () => {
    const formKeys = [
      "errors.methods.none",
      ...["required", "unknown"].map((k) => `errors.bankBin.${k}`),
      ...["required", "invalid", "tooShort", "tooLong"].map((k) => `errors.accountNumber.${k}`),
      ...["required", "invalid", "tooShort", "tooLong"].map((k) => `errors.accountName.${k}`),
    ];
    const qrCodes: VietQrErrorCode[] = [
      "bin",
      "account",
      "card",
      "amount",
      "memo",
      "memoTooLong",
      "payload",
      "checksum",
    ];
    const all = new Set(keys(vi));
    for (const key of [...formKeys, ...qrCodes.map((c) => `errors.vietqr.${c}`)]) expect(all.has(key), key).toBe(true);
  });
});
