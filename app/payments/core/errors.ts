/**
 * Refusals of the payment functions. Each carries a translation key of the
 * "payments" namespace (app/i18n/locales/{vi,en}/payments.json, `refusals.*`)
 * and the numbers its message needs. Browser-safe.
 */
import { RefusalError } from "~/utils/refusal";

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

export class PaymentError extends RefusalError<PaymentErrorCode> {
  override name = "PaymentError";
  readonly namespace = "payments";
  /** The amounts the message names, in đồng (formatted by the translation: `{{expected, currency(VND)}}`). */
  readonly details: { expectedDong?: number; availableDong?: number };

  constructor(code: PaymentErrorCode, details: PaymentError["details"] = {}, options?: { cause?: unknown }) {
    super(code, { cause: options?.cause });
    this.details = details;
  }

  get messageKey(): string {
    return `refusals.${this.code}`;
  }

  override get messageValues(): Record<string, unknown> {
    return { expected: this.details.expectedDong, available: this.details.availableDong };
  }

  /** 502 when the provider refused; otherwise as every refusal. */
  override get httpStatus(): number {
    return this.code === "refund_failed" ? 502 : super.httpStatus;
  }
}
