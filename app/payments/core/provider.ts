/**
 * What every online payment provider (VNPay, Stripe, and later MoMo/ZaloPay)
 * implements. Amounts cross this boundary in integer đồng; each provider
 * converts at its own edge (VNPay ×100, Stripe VND is zero-decimal).
 *
 * Cash on delivery and VietQR transfers to the farmer's own account have no
 * provider behind them: the farmer confirms the money (or a bank statement
 * import matches it), so they never come through here.
 */

export type ProviderId = "vnpay" | "stripe";

/** One try at paying; a retry is a new attempt with a new reference. */
export interface StartPaymentInput {
  attemptId: string;
  /** Integer đồng. */
  amountDong: number;
  /** Shown to the buyer and to the provider (the checkout or order code). */
  orderRef: string;
  /** A short description ("Thanh toán đơn ABCD-2345"). */
  description: string;
  /** Where the provider sends the buyer back (display only; never authoritative). */
  returnUrl: string;
  /** Where the buyer goes if they give up (Stripe cancel_url); defaults to returnUrl. */
  cancelUrl?: string;
  /** The buyer's IP (VNPay wants it). */
  ip: string;
  /** vi | en */
  locale: string;
  /** When the attempt stops being payable. */
  expiresAt: Date;
  /**
   * When the attempt was created (default: now). VNPay signs it into the pay
   * URL (vnp_CreateDate) and asks for the same date again in querydr and
   * refunds, so pass the attempt's stored created_at.
   */
  createdAt?: Date;
  /**
   * Stripe Connect only (STRIPE_CONNECT=true): the charge pays the farmer's
   * connected account directly, the platform keeping its fee.
   */
  transfer?: { destinationAccount: string; applicationFeeDong: number };
}

export interface StartedPayment {
  /** Where to send the buyer. */
  redirectUrl: string;
  /** The provider's handle for this attempt (VNPay vnp_TxnRef, Stripe Checkout Session id). */
  providerRef: string;
}

export type NotificationOutcome = "succeeded" | "failed" | "expired" | "refunded" | "ignored";

/** A verified notification, reduced to what the payment domain needs. */
export interface PaymentNotification {
  provider: ProviderId;
  /** Unique per provider: recorded once by (provider, eventId). */
  eventId: string;
  /**
   * Matches StartedPayment.providerRef, except Stripe `charge.refunded`: a
   * charge knows its PaymentIntent but not its Checkout Session, so there it is
   * the PaymentIntent id (= transactionRef, stored when the payment succeeded)
   * and attemptId says which attempt it is.
   */
  providerRef: string;
  /** Our attempt id when the provider echoes it back (Stripe metadata); look the attempt up by it first. */
  attemptId?: string;
  outcome: NotificationOutcome;
  /** Integer đồng the notification speaks of (paid, or refunded so far for "refunded"). */
  amountDong: number;
  currency: string;
  /** The provider's transaction/payment id, for refunds and support. */
  transactionRef?: string;
  /** For the record (stored with the event). */
  raw: unknown;
  /** Stripe `account.updated` (outcome "ignored" for payments): a farmer's Connect account readiness. */
  account?: AccountReadiness;
}

/** What Stripe says of a farmer's Connect account in one `account.updated`. */
export interface AccountReadiness {
  id: string;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
  detailsSubmitted: boolean;
  /**
   * When Stripe made the event (its `created`, to the second). Events arrive
   * in any order: one older than an account event already applied is stale.
   */
  updatedAt: Date;
}

export interface RefundInput {
  attemptId: string;
  providerRef: string;
  transactionRef?: string;
  /** Integer đồng to refund now (partial refunds allowed). */
  amountDong: number;
  /** Stable per refund: the provider must not refund twice for one key. */
  idempotencyKey: string;
  reason: string;
  /** The attempt's amount: VNPay tells a full refund from a partial one. */
  attemptAmountDong?: number;
  /** The attempt's created_at (StartPaymentInput.createdAt): VNPay needs it to find the payment. */
  attemptCreatedAt?: Date;
  /** Who asked for the refund (VNPay vnp_CreateBy). */
  requestedBy?: string;
}

export interface PaymentProvider {
  readonly id: ProviderId;
  startPayment(input: StartPaymentInput): Promise<StartedPayment>;
  /** Throws PaymentSignatureError when the request is not signed by the provider. */
  readNotification(request: Request): Promise<PaymentNotification>;
  refund(input: RefundInput): Promise<{ refundRef: string }>;
}

export class PaymentSignatureError extends Error {
  constructor(message = "payment notification signature is not valid") {
    super(message);
    this.name = "PaymentSignatureError";
  }
}
