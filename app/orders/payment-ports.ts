/**
 * What orders need to know about paying, without importing app/payments
 * (which imports orders). app/payments implements these and the callers pass
 * them in: checkoutPayments() to placeCheckout and paymentChoices,
 * recordCashOnDelivery to changeOrderStatus as `onDelivered`.
 */
import type { Order, PaymentMethod, Stall } from "#db/schema";
import type { Tx } from "#db/client";
import type { ActorRole } from "./state-machine";

export interface CheckoutPayments {
  /** The methods a buyer may choose for this stall now, in the order the checkout shows them. */
  offered(stall: Stall): PaymentMethod[];
  /**
   * Of the checkout's orders (total in đồng, delivery included), the stalls
   * whose orders cannot be paid for that amount (one payment may pay several
   * orders together); empty when every amount can be paid.
   */
  refusedAmounts(orders: { stallId: string; paymentMethod: PaymentMethod; totalDong: number }[]): string[];
  /** The amounts, in đồng, a refusal of refusedAmounts names: the least and the most a payment may be. */
  amountWindow: { min: number; max: number };
}

/** The payment that delivering an order recorded (cash changing hands). */
export interface DeliveredPayment {
  paymentStatus: Order["paymentStatus"];
  amountDong: number;
  paidAt: Date;
}

/**
 * What delivering an order means for its payment, in the transaction that
 * delivers it (the order is updated, its timeline row not yet written): what
 * it returns goes on the same timeline row. Null: nothing to record.
 */
export type OnDelivered = (
  tx: Tx,
  order: Order,
  actor: { role: ActorRole; userId?: string | null },
) => Promise<DeliveredPayment | null>;
