/**
 * A payment attempt's life, as a pure function (no database). The payment
 * functions ask it first and then persist with `UPDATE … WHERE status = <from>`
 * after locking the attempt, so a notification replayed or raced changes it once.
 *
 *   created → pending → succeeded → partially_refunded → refunded
 *      │         │          └─────────────────────────→ refunded
 *      └─────────┴→ failed | expired | cancelled
 *
 * - created: the row exists, the provider has not handed back its reference yet;
 *   pending: the buyer can pay (VietQR shows its QR from here on).
 * - A success is accepted from every state that has not succeeded yet, failed,
 *   expired and cancelled included: the provider is the authority on money taken
 *   (a VNPay IPN delayed past our expiry, a Stripe session paid in another tab),
 *   and money taken must be on the books before it is refunded.
 * - Nothing leaves the paid states but refunds; a failure or an expiry arriving
 *   after the success changes nothing. A partial refund may follow another.
 * Browser-safe, so pages can tell what a status means.
 */

import type { PaymentAttemptStatusCode as AttemptStatus } from "#db/vocabulary";

export {
  PAYMENT_ATTEMPT_STATUSES as ATTEMPT_STATUSES,
  type PaymentAttemptStatusCode as AttemptStatus,
} from "#db/vocabulary";

export const ATTEMPT_EVENTS = [
  /** The provider handed back its reference: the buyer can pay. */
  "start",
  "succeed",
  "fail",
  "expire",
  /** The buyer (or a newer attempt) gave it up. */
  "cancel",
  /** Some of the money went back, not all. */
  "refund_part",
  /** The last of the money went back. */
  "refund_all",
] as const;
export type AttemptEvent = (typeof ATTEMPT_EVENTS)[number];

const ARROWS: Record<AttemptStatus, Partial<Record<AttemptEvent, AttemptStatus>>> = {
  created: { start: "pending", succeed: "succeeded", fail: "failed", expire: "expired", cancel: "cancelled" },
  pending: { succeed: "succeeded", fail: "failed", expire: "expired", cancel: "cancelled" },
  failed: { succeed: "succeeded" },
  expired: { succeed: "succeeded" },
  cancelled: { succeed: "succeeded" },
  succeeded: { refund_part: "partially_refunded", refund_all: "refunded" },
  partially_refunded: { refund_part: "partially_refunded", refund_all: "refunded" },
  refunded: {},
};

export type AttemptTransition = { ok: true; to: AttemptStatus } | { ok: false; refusal: "illegal_transition" };

export function transition(from: AttemptStatus, event: AttemptEvent): AttemptTransition {
  const to = ARROWS[from]?.[event];
  return to ? { ok: true, to } : { ok: false, refusal: "illegal_transition" };
}

/** The buyer may still pay it. */
export const isOpen = (status: AttemptStatus) => status === "created" || status === "pending";

/** Money was taken (some may have gone back since). */
export const isPaid = (status: AttemptStatus) =>
  status === "succeeded" || status === "partially_refunded" || status === "refunded";
