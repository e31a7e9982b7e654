import type { PaymentMethods } from "./payment-methods-form";

type OnFile = { bankBin: string | null; bankAccountNumber: string | null; bankAccountName: string | null };
export type PayoutAccount = { bankBin: string; accountNumber: string; accountName: string };

/**
 * The VietQR account the settings would make buyers pay into, when it differs
 * from the one on file; else null (turning VietQR off, or on again with the
 * same account, changes nowhere money goes). An officer needs the farmer's
 * code for such a change (app/officers, ADR 029).
 */
export function payoutChange(stall: OnFile, input: PaymentMethods): PayoutAccount | null {
  if (!input.vietqr.enabled) return null;
  const { bankBin, accountNumber, accountName } = input.vietqr;
  const same =
    bankBin === stall.bankBin && accountNumber === stall.bankAccountNumber && accountName === stall.bankAccountName;
  return same ? null : { bankBin, accountNumber, accountName };
}
