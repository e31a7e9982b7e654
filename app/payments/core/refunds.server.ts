/**
 * Refunds, whole or partial, never more than was paid and not yet refunded.
 *
 * recordRefund is three short steps so that a provider failure leaves nothing
 * half-recorded:
 *   1. in a transaction: check and hold the amount (a "requested" refund row,
 *      refunding_dong on each order's share, so a second click cannot pass the
 *      check with the same money); the refund gets its number n and its
 *      idempotency key refund:<attemptId>:<n>;
 *   2. outside any transaction: ask the provider with that key;
 *   3. in a transaction: book it (ledger, orders' payment status, timeline),
 *      or, when the provider said no, mark the row failed and free the amount.
 * Money the farmer holds (cash, VietQR, Stripe Connect refunds made from the
 * farmer's side) has no provider to ask: the caller passes no
 * `refundAtProvider` and steps 1 and 3 are one transaction.
 *
 * A refund made on the provider's side (Stripe dashboard) arrives as a
 * "refunded" notification with the cumulative amount; bookProviderRefund
 * records only what the app does not know of yet, so our own refund's
 * notification changes nothing.
 */
import { and, eq, sql } from "drizzle-orm";
import { paymentAttemptOrders, paymentRefunds, type PaymentAttempt, type PaymentRefund } from "#db/schema";
import { logAlert, raiseAlert } from "./alerts.server";
import { isPaid } from "./attempt-state";
import { PaymentError } from "./errors";
import type { RefundInput } from "./provider";
import {
  allocateRefund,
  bookRefund,
  lockAttempt,
  lockShares,
  nextRefundKey,
  refundable,
  type PaymentActor,
  type Share,
} from "./settle.server";
import { isUuid } from "~/utils/db-errors.server";
import type { Database, Tx } from "#db/client";
import { oneLine } from "~/utils/text";

export const REFUND_REASON_MAX = 300;

export interface RefundRequest {
  attemptId: string;
  /** Refund this order's share only (the order screen). Otherwise money no order was credited with goes first. */
  orderId?: string;
  amountDong: number;
  reason?: string;
  /** A farmer or officer passes their stall: only that stall's orders. Admins and the system pass none. */
  actor: PaymentActor & { stallId?: string };
  /** The provider call (provider.refund); absent for money the farmer holds and gives back by hand. */
  refundAtProvider?: (input: RefundInput) => Promise<{ refundRef: string }>;
}

export interface RecordedRefund {
  refund: PaymentRefund;
  attempt: PaymentAttempt;
}

/**
 * Refunds and records. Throws PaymentError: invalid_amount, not_found,
 * not_refundable, over_refund (with availableDong), refund_failed (the
 * provider said no; its error is the cause; nothing is booked).
 */
export async function recordRefund(db: Database, request: RefundRequest): Promise<RecordedRefund> {
  const { attemptId, amountDong, actor } = request;
  if (!Number.isSafeInteger(amountDong) || amountDong <= 0) throw new PaymentError("invalid_amount");
  if (!isUuid(attemptId) || (request.orderId !== undefined && !isUuid(request.orderId))) {
    throw new PaymentError("not_found");
  }
  const reason = oneLine(request.reason).slice(0, REFUND_REASON_MAX);
  const sellerStall = actor.role === "farmer" || actor.role === "officer" ? (actor.stallId ?? "") : null;

  const provider = request.refundAtProvider;
  const requested = await db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, attemptId);
    if (!attempt) throw new PaymentError("not_found");
    const shares = await lockShares(tx, attempt.id);
    const mine = sellerStall === null ? shares : shares.filter((s) => s.order.stallId === sellerStall);
    if (mine.length === 0 || (request.orderId && !mine.some((s) => s.order.id === request.orderId))) {
      throw new PaymentError("not_found");
    }
    if (!isPaid(attempt.status)) throw new PaymentError("not_refundable");
    const scoped = request.orderId ? mine.filter((s) => s.order.id === request.orderId) : mine;
    const allocations = allocateRefund(
      scoped.map((s) => s.share),
      amountDong,
    );
    if (!allocations) {
      const availableDong = scoped.reduce((sum, s) => sum + refundable(s.share), 0);
      throw new PaymentError("over_refund", { availableDong });
    }
    const refund = await holdRefund(tx, attempt, { amountDong, allocations, reason, actor, source: "ours" });
    if (provider) return { refund, attempt };
    // Nobody to ask: the money is given back by hand, book it now.
    const booked = await bookRefund(tx, attempt, await lockShares(tx, attempt.id), refund, {
      actor,
      fromRequested: true,
    });
    return { refund, attempt: booked };
  });
  if (!provider) return { refund: await refundRow(db, requested.refund.id), attempt: requested.attempt };

  const { refund, attempt } = requested;
  let refundRef: string;
  try {
    ({ refundRef } = await provider({
      attemptId: attempt.id,
      providerRef: attempt.providerRef ?? "",
      transactionRef: attempt.transactionRef ?? undefined,
      amountDong,
      idempotencyKey: refund.idempotencyKey,
      reason,
    }));
  } catch (error) {
    const alert = await db.transaction(async (tx) => {
      await releaseHeld(tx, refund, String((error as Error)?.message ?? error).slice(0, 500));
      return raiseAlert(tx, {
        kind: "refund_failed",
        attemptId: attempt.id,
        amountDong,
        details: { refundId: refund.id, idempotencyKey: refund.idempotencyKey },
      });
    });
    logAlert(alert);
    throw new PaymentError("refund_failed", {}, { cause: error });
  }

  const booked = await db.transaction(async (tx) => {
    const locked = await lockAttempt(tx, attempt.id);
    if (!locked) throw new PaymentError("not_found");
    await tx.update(paymentRefunds).set({ refundRef }).where(eq(paymentRefunds.id, refund.id));
    return bookRefund(tx, locked, await lockShares(tx, locked.id), refund, { actor, fromRequested: true });
  });
  return { refund: await refundRow(db, refund.id), attempt: booked };
}

async function refundRow(db: Database, id: string): Promise<PaymentRefund> {
  const [row] = await db.select().from(paymentRefunds).where(eq(paymentRefunds.id, id));
  return row;
}

/** Step 1: the refund row, and its amounts held on the shares (the check constraint refuses holding more than was paid). */
async function holdRefund(
  tx: Tx,
  attempt: PaymentAttempt,
  {
    amountDong,
    allocations,
    reason,
    actor,
    source,
  }: {
    amountDong: number;
    allocations: { orderId: string; amountDong: number }[];
    reason: string;
    actor: PaymentActor;
    source: "ours" | "provider";
  },
): Promise<PaymentRefund> {
  const { n, idempotencyKey } = await nextRefundKey(tx, attempt.id);
  const [refund] = await tx
    .insert(paymentRefunds)
    .values({
      attemptId: attempt.id,
      n,
      idempotencyKey,
      amountDong,
      allocations,
      source,
      reason,
      actorUserId: actor.userId ?? null,
    })
    .returning();
  for (const a of allocations) {
    await tx
      .update(paymentAttemptOrders)
      .set({ refundingDong: sql`${paymentAttemptOrders.refundingDong} + ${a.amountDong}` })
      .where(and(eq(paymentAttemptOrders.attemptId, attempt.id), eq(paymentAttemptOrders.orderId, a.orderId)));
  }
  return refund;
}

/** The provider said no: the row is failed (kept, for the record) and the held amounts are free again. */
async function releaseHeld(tx: Tx, refund: PaymentRefund, error: string): Promise<void> {
  const [failed] = await tx
    .update(paymentRefunds)
    .set({ status: "failed", error, completedAt: new Date() })
    .where(and(eq(paymentRefunds.id, refund.id), eq(paymentRefunds.status, "requested")))
    .returning();
  if (!failed) return;
  for (const a of refund.allocations) {
    await tx
      .update(paymentAttemptOrders)
      .set({ refundingDong: sql`${paymentAttemptOrders.refundingDong} - ${a.amountDong}` })
      .where(and(eq(paymentAttemptOrders.attemptId, refund.attemptId), eq(paymentAttemptOrders.orderId, a.orderId)));
  }
}

/**
 * A provider says `refundedSoFarDong` of the attempt has been refunded in all
 * (Stripe charge.refunded). What the app already booked or is asking for now
 * is not booked again; the rest is a refund made on the provider's side.
 * Returns the attempt after, or null when there was nothing new.
 */
export async function bookProviderRefund(
  tx: Tx,
  attempt: PaymentAttempt,
  shares: Share[],
  refundedSoFarDong: number,
  actor: PaymentActor,
): Promise<PaymentAttempt | null> {
  const known = attempt.refundedDong + shares.reduce((sum, s) => sum + s.share.refundingDong, 0);
  const extra = Math.min(refundedSoFarDong, attempt.amountDong) - known;
  if (extra <= 0) return null;
  const allocations = allocateRefund(
    shares.map((s) => s.share),
    extra,
  );
  if (!allocations) return null;
  const refund = await holdRefund(tx, attempt, {
    amountDong: extra,
    allocations,
    reason: "",
    actor,
    source: "provider",
  });
  return bookRefund(tx, attempt, await lockShares(tx, attempt.id), refund, { actor, fromRequested: true });
}
