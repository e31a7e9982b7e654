/**
 * A verified provider notification (VNPay IPN, Stripe webhook), applied once.
 *
 * One transaction: the attempt locked, the event row (unique by provider and
 * event id; ON CONFLICT DO NOTHING tells a replay), the attempt moved
 * (attempt-state.ts), its orders' payment status and timeline rows, the
 * ledger lines. Replays, races and any order of arrival leave the same books:
 * - the same event again → duplicate ("event_seen");
 * - the attempt already where the event would take it → duplicate ("same_state");
 *   a failure or expiry after the success → duplicate ("settled");
 * - "refunded" before "succeeded": recorded; booked when the success arrives;
 * - amount or currency not the attempt's → amount_mismatch: the event is
 *   recorded (a replay answers the same) with an alert, nothing else changes;
 * - no such attempt → unknown_attempt, and nothing is recorded (a provider
 *   retry may find it once our side has caught up).
 * A success for orders already cancelled, or already paid by another attempt,
 * is booked as the buyer's money and comes back with `refundNeeded`: the
 * caller asks the provider for the refund after the commit (refundAfterCommit
 * below, or the reconcile job's own), and an alert is raised.
 *
 * A Stripe `account.updated` (a farmer's Connect account) is recorded once the
 * same way and applied to the stall by stripe/account-updates.server.ts; an
 * older one than the last applied is ignored ("older_account_update").
 *
 * Each provider answers from the result as it expects: VNPay's IPN
 * (vnpay/ipn.server.ts) with RspCode, Stripe's webhook (stripe/webhook.server.ts)
 * with 200.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import { paymentAttempts, paymentEvents, type PaymentAlert, type PaymentAttempt } from "#db/schema";
import { logAlert, raiseAlert } from "./alerts.server";
import { isPaid, transition, type AttemptStatus } from "./attempt-state";
import type { AccountReadiness, PaymentNotification } from "./provider";
import { paymentProviders, providerRefunder, type PaymentProviders } from "./providers.server";
import { bookProviderRefund, recordRefund } from "./refunds.server";
import {
  creditSuccess,
  lockAttempt,
  lockShares,
  moveAttempt,
  refundable,
  releasePendingOrders,
  type PaymentActor,
} from "./settle.server";
import { applyAccountReadiness, type CardsChange } from "../stripe/account-updates.server";
import { isUuid } from "~/utils/db-errors.server";
import { logger } from "~/utils/logger.server";
import type { Database, Tx } from "#db/client";

export interface RefundNeeded {
  attemptId: string;
  /** What to give back now (the shares no order was credited with). */
  amountDong: number;
  orderIds: string[];
  reason: "orders_cancelled" | "already_paid";
  alertId: string;
}

export type NotificationResult =
  | { result: "applied"; attemptId: string; status: AttemptStatus; refundNeeded?: RefundNeeded }
  | { result: "duplicate"; attemptId: string | null; reason: "event_seen" | "same_state" | "settled" }
  | { result: "unknown_attempt" }
  | { result: "amount_mismatch"; attemptId: string; expectedDong: number; receivedDong: number }
  | {
      result: "ignored";
      attemptId: string | null;
      reason: "not_a_payment" | "refund_before_payment" | "older_account_update";
    }
  /**
   * Stripe account.updated: a farmer's Connect account readiness (stallId null: not one of ours);
   * `cards` when the farmer is to be told that card payments stopped or came back.
   */
  | { result: "account_updated"; stallId: string | null; cards?: CardsChange };

const SYSTEM: PaymentActor = { role: "system" };

/** Stored as the refund's reason (and sent to the provider): keys, like the system's cancel reasons. */
export const AUTO_REFUND_REASONS = {
  orders_cancelled: "system:late_payment",
  already_paid: "system:double_payment",
} as const satisfies Record<RefundNeeded["reason"], string>;

export async function applyNotification(
  db: Database,
  n: PaymentNotification,
  providers: PaymentProviders = paymentProviders(),
): Promise<NotificationResult> {
  if (!n.eventId) throw new Error(`${n.provider} notification without an event id`);
  const alerts: PaymentAlert[] = [];
  const result = await db.transaction(async (tx): Promise<NotificationResult> => {
    if (n.account) return applyAccountUpdate(tx, n, n.account, providers);

    const attemptId = await findAttempt(tx, n);
    if (!attemptId && n.outcome !== "ignored") return { result: "unknown_attempt" };
    // Locked before the event row is written: that insert takes a key-share lock on the attempt
    // (foreign key), and two events each holding one while waiting for the update lock would deadlock.
    const attempt = attemptId ? await lockAttempt(tx, attemptId) : undefined;
    const eventRowId = await recordEvent(tx, n, attemptId);
    if (!eventRowId) return replayAnswer(tx, n, attemptId);
    const answer = async (r: NotificationResult) => {
      await tx.update(paymentEvents).set({ result: r.result }).where(eq(paymentEvents.id, eventRowId));
      return r;
    };
    if (n.outcome === "ignored" || !attempt) {
      return answer({ result: "ignored", attemptId, reason: "not_a_payment" });
    }

    const mismatch = amountProblem(attempt, n);
    if (mismatch) {
      alerts.push(
        await raiseAlert(tx, {
          kind: "amount_mismatch",
          attemptId: attempt.id,
          amountDong: Number.isSafeInteger(n.amountDong) ? n.amountDong : 0,
          details: {
            provider: n.provider,
            eventId: n.eventId,
            expectedDong: attempt.amountDong,
            receivedDong: n.amountDong,
            currency: n.currency,
          },
        }),
      );
      return answer({
        result: "amount_mismatch",
        attemptId: attempt.id,
        expectedDong: attempt.amountDong,
        receivedDong: n.amountDong,
      });
    }

    switch (n.outcome) {
      case "succeeded":
        return answer(await applySuccess(tx, attempt, n, eventRowId, alerts));
      case "failed":
      case "expired": {
        const event = n.outcome === "failed" ? "fail" : "expire";
        if (attempt.status === n.outcome) {
          return answer({ result: "duplicate", attemptId: attempt.id, reason: "same_state" });
        }
        if (!transition(attempt.status, event).ok) {
          return answer({ result: "duplicate", attemptId: attempt.id, reason: "settled" });
        }
        const moved = await moveAttempt(tx, attempt, event);
        const shares = await lockShares(tx, attempt.id);
        await releasePendingOrders(
          tx,
          attempt.id,
          shares.map((s) => s.order.id),
        );
        return answer({ result: "applied", attemptId: attempt.id, status: moved.status });
      }
      case "refunded": {
        if (!isPaid(attempt.status)) {
          // Kept with the attempt; applySuccess books it when the success arrives.
          return answer({ result: "ignored", attemptId: attempt.id, reason: "refund_before_payment" });
        }
        const after = await bookProviderRefund(tx, attempt, await lockShares(tx, attempt.id), n.amountDong, SYSTEM);
        return answer(
          after
            ? { result: "applied", attemptId: attempt.id, status: after.status }
            : { result: "duplicate", attemptId: attempt.id, reason: "same_state" },
        );
      }
    }
  });
  for (const alert of alerts) logAlert(alert);
  return result;
}

/** By the attempt id the provider echoes (Stripe metadata), else its reference, else its transaction id. */
async function findAttempt(tx: Tx, n: PaymentNotification): Promise<string | null> {
  const byProvider = eq(paymentAttempts.provider, n.provider);
  const tries = [
    n.attemptId && isUuid(n.attemptId) ? eq(paymentAttempts.id, n.attemptId) : null,
    n.providerRef ? eq(paymentAttempts.providerRef, n.providerRef) : null,
    n.transactionRef ? eq(paymentAttempts.transactionRef, n.transactionRef) : null,
  ];
  for (const where of tries) {
    if (!where) continue;
    const [row] = await tx
      .select({ id: paymentAttempts.id })
      .from(paymentAttempts)
      .where(and(byProvider, where))
      .limit(1);
    if (row) return row.id;
  }
  return null;
}

/** The event row, or null when (provider, event id) is already recorded: a replay. */
async function recordEvent(tx: Tx, n: PaymentNotification, attemptId: string | null): Promise<string | null> {
  const [row] = await tx
    .insert(paymentEvents)
    .values({
      provider: n.provider,
      eventId: n.eventId,
      attemptId,
      outcome: n.outcome,
      // The exact figure stays in the payload; a fraction of a đồng is a mismatch anyway.
      amountDong: Number.isFinite(n.amountDong) ? Math.round(n.amountDong) : 0,
      currency: n.currency,
      result: "received",
      payload: (n.raw ?? null) as object | null,
    })
    .onConflictDoNothing({ target: [paymentEvents.provider, paymentEvents.eventId] })
    .returning({ id: paymentEvents.id });
  return row?.id ?? null;
}

/** A replay gets the answer the first delivery got, where that answer was a refusal; otherwise "duplicate". */
async function replayAnswer(tx: Tx, n: PaymentNotification, attemptId: string | null): Promise<NotificationResult> {
  const [first] = await tx
    .select({ result: paymentEvents.result, amountDong: paymentEvents.amountDong, attemptId: paymentEvents.attemptId })
    .from(paymentEvents)
    .where(and(eq(paymentEvents.provider, n.provider), eq(paymentEvents.eventId, n.eventId)));
  if (first?.result === "amount_mismatch" && first.attemptId) {
    const [attempt] = await tx
      .select({ amountDong: paymentAttempts.amountDong })
      .from(paymentAttempts)
      .where(eq(paymentAttempts.id, first.attemptId));
    return {
      result: "amount_mismatch",
      attemptId: first.attemptId,
      expectedDong: attempt?.amountDong ?? 0,
      receivedDong: n.amountDong,
    };
  }
  return { result: "duplicate", attemptId: first?.attemptId ?? attemptId, reason: "event_seen" };
}

/** Why the notification's money is not the attempt's, or null. */
function amountProblem(attempt: PaymentAttempt, n: PaymentNotification): string | null {
  const money = n.outcome === "succeeded" || n.outcome === "failed" || n.outcome === "refunded";
  if (!money) return null;
  if (n.currency.toUpperCase() !== attempt.currency) return "currency";
  if (!Number.isSafeInteger(n.amountDong) || n.amountDong < 0) return "amount";
  if (n.outcome === "refunded") return n.amountDong > attempt.amountDong ? "amount" : null;
  return n.amountDong !== attempt.amountDong ? "amount" : null;
}

async function applySuccess(
  tx: Tx,
  attempt: PaymentAttempt,
  n: PaymentNotification,
  eventRowId: string,
  alerts: PaymentAlert[],
): Promise<NotificationResult> {
  if (attempt.status === "succeeded") return { result: "duplicate", attemptId: attempt.id, reason: "same_state" };
  if (isPaid(attempt.status)) return { result: "duplicate", attemptId: attempt.id, reason: "settled" };
  let current = await moveAttempt(tx, attempt, "succeed", {
    succeededAt: new Date(),
    transactionRef: n.transactionRef ?? attempt.transactionRef,
  });
  await creditSuccess(tx, current, await lockShares(tx, current.id), { actor: SYSTEM });

  // A refund the provider reported before this success (events can arrive in any order).
  const [{ refundedSoFar }] = await tx
    .select({ refundedSoFar: sql<number>`coalesce(max(${paymentEvents.amountDong}), 0)`.mapWith(Number) })
    .from(paymentEvents)
    .where(
      and(
        eq(paymentEvents.attemptId, current.id),
        eq(paymentEvents.outcome, "refunded"),
        eq(paymentEvents.result, "ignored"),
        ne(paymentEvents.id, eventRowId),
      ),
    );
  if (refundedSoFar > 0) {
    current =
      (await bookProviderRefund(tx, current, await lockShares(tx, current.id), refundedSoFar, SYSTEM)) ?? current;
  }

  const shares = await lockShares(tx, current.id);
  const owedBack = shares.filter((s) => s.share.credited === false && refundable(s.share) > 0);
  if (owedBack.length === 0) return { result: "applied", attemptId: current.id, status: current.status };
  const reason = owedBack.some((s) => s.order.status === "cancelled") ? "orders_cancelled" : "already_paid";
  const amountDong = owedBack.reduce((sum, s) => sum + refundable(s.share), 0);
  const orderIds = owedBack.map((s) => s.order.id);
  const alert = await raiseAlert(tx, {
    kind: reason === "orders_cancelled" ? "late_payment" : "double_payment",
    attemptId: current.id,
    amountDong,
    details: { provider: n.provider, eventId: n.eventId, orderCodes: owedBack.map((s) => s.order.code) },
  });
  alerts.push(alert);
  return {
    result: "applied",
    attemptId: current.id,
    status: current.status,
    refundNeeded: { attemptId: current.id, amountDong, orderIds, reason, alertId: alert.id },
  };
}

/** Stripe account.updated, once by its event id; what it does to the stall: stripe/account-updates.server.ts. */
async function applyAccountUpdate(
  tx: Tx,
  n: PaymentNotification,
  account: AccountReadiness,
  providers: PaymentProviders,
): Promise<NotificationResult> {
  const eventRowId = await recordEvent(tx, n, null);
  if (!eventRowId) return { result: "duplicate", attemptId: null, reason: "event_seen" };
  const applied = await applyAccountReadiness(tx, { account, eventId: n.eventId, providers });
  await tx.update(paymentEvents).set({ result: applied.result }).where(eq(paymentEvents.id, eventRowId));
  return applied;
}

/**
 * After a provider's notification was applied (the IPN, the webhook): money
 * that came for orders already cancelled, or for orders another attempt
 * already paid, goes back to the buyer through the provider. A refusal is
 * recorded by recordRefund (a failed refund and its alert); the alert about
 * the payment itself stays open for a person to close.
 */
export async function refundAfterCommit(db: Database, result: NotificationResult, providers: PaymentProviders) {
  if (result.result !== "applied" || !result.refundNeeded) return;
  const needed = result.refundNeeded;
  try {
    const [attempt] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.id, needed.attemptId));
    if (!attempt) throw new Error(`no attempt ${needed.attemptId} to refund`);
    await recordRefund(db, {
      attemptId: attempt.id,
      amountDong: needed.amountDong,
      reason: AUTO_REFUND_REASONS[needed.reason],
      actor: { role: "system" },
      refundAtProvider: providerRefunder(attempt, { providers, requestedBy: "system" }),
    });
    logger.info(
      { attemptId: attempt.id, amountDong: needed.amountDong, alertId: needed.alertId },
      "payment refunded automatically",
    );
  } catch (error) {
    logger.error(
      { err: error, attemptId: needed.attemptId, amountDong: needed.amountDong, alertId: needed.alertId },
      "automatic refund failed: see the payment alerts",
    );
  }
}
