/**
 * Why an order was cancelled. People write their own reason (a farmer must,
 * a buyer may), kept and shown as they wrote it. The system's reasons are
 * stored as a key ("system:<key>") and translated where they are shown (order
 * pages, timeline, SMS), so a buyer reads them in their own language.
 * Browser-safe.
 */
/** The longest reason a person may write. */
export const CANCEL_REASON_MAX = 300;

export const SYSTEM_CANCEL_REASONS = {
  /** The farmer did not confirm the order within ORDER_CONFIRM_HOURS (app/jobs). */
  notConfirmed: "system:not_confirmed",
  /** An order paid online (VNPay, Stripe) whose payment was abandoned or expired (app/payments expireAttempts). */
  paymentExpired: "system:payment_expired",
  /** Not a cancellation: the note of a payment row matched from the farmer's bank statement (app/payments statement import). */
  bankStatement: "system:bank_statement",
} as const;

type Translate = (key: string) => string;

/** The reason as the reader should see it: a system key translated (orders.json "cancelReasons"), anything else as written. */
export function cancelReasonText(reason: string | null | undefined, t: Translate): string {
  if (!reason) return "";
  const key = Object.entries(SYSTEM_CANCEL_REASONS).find(([, stored]) => stored === reason)?.[0];
  return key ? t(`cancelReasons.${key}`) : reason;
}
