/**
 * Refusals of the payment functions. Each carries a translation key of the
 * "payments" namespace (app/i18n/locales/{vi,en}/payments.json, `refusals.*`)
 * and the numbers its message needs. Browser-safe.
 */

export type PaymentErrorCode =
  /** No such order, attempt or payout here (another stall's order is also this: 404). */
  | "not_found"
  /** Nothing to pay: no order of that checkout uses this method. */
  | "no_orders"
  /** An order was cancelled: it is not paid any more. */
  | "order_cancelled"
  /** An order is already paid. */
  | "already_paid"
  /** The order is not paid this way (e.g. a farmer marking a VNPay order as paid). */
  | "wrong_method"
  /** A VietQR transfer pays one farmer: one order. */
  | "mixed_stalls"
  /** One attempt pays orders of one checkout. */
  | "mixed_checkouts"
  /** The amount is not the order's total: `expectedDong`. */
  | "amount_mismatch"
  /** Not a whole, positive number of đồng. */
  | "invalid_amount"
  /** Nothing was paid, so nothing can be refunded. */
  | "not_refundable"
  /** More than was paid and not yet refunded: `availableDong`. */
  | "over_refund"
  /** Cancelling an order whose money the farmer holds (VietQR): give it back and record the refund first (`availableDong`). */
  | "refund_first"
  /** The provider said no to the refund; nothing was recorded. */
  | "refund_failed"
  /** A payout larger than what the platform owes the farmer: `availableDong`. */
  | "over_owed"
  /** Someone changed it first; reload and try again. */
  | "conflict";

export class PaymentError extends Error {
  override name = "PaymentError";
  readonly code: PaymentErrorCode;
  /** Values for the message ({{expected}}, {{available}}: formatted by the page). */
  readonly details: { expectedDong?: number; availableDong?: number };

  constructor(code: PaymentErrorCode, details: PaymentError["details"] = {}, options?: { cause?: unknown }) {
    super(`Payment operation refused: ${code}`, options);
    this.code = code;
    this.details = details;
  }

  /** `refusals.<code>` in the "payments" namespace. */
  get messageKey(): string {
    return `refusals.${this.code}`;
  }

  /** What a route answers: 404 for not_found, 409 for conflict, 502 when the provider refused, else 400. */
  get httpStatus(): number {
    return { not_found: 404, conflict: 409, refund_failed: 502 }[this.code as string] ?? 400;
  }
}
