/**
 * A stall's payment settings between its row and the settings form, which
 * online methods the deployment lets a farmer tick, and the
 * preview QR a farmer scans with their own bank app before going live: a
 * 10.000 ₫ test transfer to the account as typed, so a wrong digit or name
 * shows up in the bank app now rather than when a buyer pays.
 */
import type { Stall } from "#db/schema";
import { findBank } from "../vietqr/banks";
import {
  emptyPaymentMethodsFormValues,
  type OnlineAvailability,
  type PaymentMethods,
  type PaymentMethodsFormValues,
} from "./payment-methods-form";
import { paymentProviders, type PaymentProviders } from "../core/providers.server";
import { buildVietQr } from "../vietqr/payload";
import { vietQrSvg } from "../vietqr/svg.server";

export const PREVIEW_AMOUNT_VND = 10_000;

/** The online methods this deployment has, for the settings form. */
export function onlineAvailability(providers: PaymentProviders = paymentProviders()): OnlineAvailability {
  return { vnpay: providers.vnpay !== null, stripe: providers.stripe !== null };
}
export const PREVIEW_MEMO = "GHS THU";

export function stallPaymentFormValues(stall: Stall): PaymentMethodsFormValues {
  const values = emptyPaymentMethodsFormValues();
  values.cod = stall.codEnabled ? "on" : "";
  values.vietqr = {
    enabled: stall.vietqrEnabled ? "on" : "",
    bankBin: stall.bankBin ?? "",
    accountNumber: stall.bankAccountNumber ?? "",
    accountName: stall.bankAccountName ?? "",
  };
  values.vnpay = stall.vnpayEnabled ? "on" : "";
  values.stripe = stall.stripeEnabled ? "on" : "";
  return values;
}

/** The test-transfer QR for the account of valid settings, or null when VietQR is off. */
export async function previewQr(methods: PaymentMethods) {
  const v = methods.vietqr;
  if (!v.enabled) return null;
  const bank = findBank(v.bankBin);
  const payload = buildVietQr({
    bin: v.bankBin,
    accountNumber: v.accountNumber,
    amountDong: PREVIEW_AMOUNT_VND,
    memo: PREVIEW_MEMO,
  });
  const svg = await vietQrSvg(payload);
  return {
    payload,
    dataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
    amountDong: PREVIEW_AMOUNT_VND,
    bankName: bank?.shortName ?? v.bankBin,
    accountName: v.accountName,
  };
}

/** The saved settings of a stall, as the payment-methods form would give them. */
export function stallPaymentMethods(stall: Stall): PaymentMethods {
  const complete = stall.vietqrEnabled && stall.bankBin && stall.bankAccountNumber && stall.bankAccountName;
  return {
    cod: stall.codEnabled,
    vietqr: complete
      ? {
          enabled: true,
          bankBin: stall.bankBin!,
          accountNumber: stall.bankAccountNumber!,
          accountName: stall.bankAccountName!,
        }
      : { enabled: false },
    vnpay: stall.vnpayEnabled,
    stripe: stall.stripeEnabled,
  };
}
