/**
 * Reconciliation: bringing our books in line with what the providers know,
 * for the payment jobs (app/jobs/registry.server.ts).
 *
 * 1. Attempts still open after PAYMENT_RECONCILE_AFTER_MINUTES, and attempts
 *    reaching their deadline: ask the provider (VNPay querydr, Stripe's
 *    Checkout Session) and apply its answer through applyNotification, like
 *    any notification. VNPay's querydr answer carries the IPN's own event id,
 *    so an IPN arriving later is a duplicate; Stripe's is
 *    `reconcile:<session>:<outcome>`, and a webhook arriving later finds the
 *    attempt already where it would take it. Either way: paid once.
 * 2. Refunds stuck in "requested" (the process stopped between holding the
 *    amount and booking the provider's answer): asked again with the same
 *    idempotency key, so the provider refunds once, then booked. Stripe
 *    forgets keys after 24 hours, so an older one is not asked again but
 *    raised as an alert for a person.
 * 3. Money the platform holds for orders that no longer want it (a payment
 *    for orders cancelled or already paid, an order cancelled after it was
 *    paid) that nobody is refunding: refunded. The request that caused it
 *    normally refunds at once; this catches what a crash or a closed tab left.
 *
 * Every provider call happens outside any transaction; what it answers is
 * applied in the payment domain's own transactions.
 */
import { and, asc, eq, inArray, isNotNull, lte, sql, type SQL } from "drizzle-orm";
import { paymentAlerts, paymentAttempts, paymentRefunds, type PaymentAttempt } from "#db/schema";
import { logAlert, raiseAlert } from "./alerts.server";
import { expireAttempts } from "./attempts.server";
import {
  applyNotification,
  AUTO_REFUND_REASONS,
  type NotificationResult,
  type RefundNeeded,
} from "./notifications.server";
import type { PaymentNotification } from "./provider";
import { paymentProviders, providerRefunder, type PaymentProviders } from "./providers.server";
import { recordRefund } from "./refunds.server";
import { bookRefund, lockAttempt, lockShares, type PaymentActor } from "./settle.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { rowsOf, type Database } from "#db/client";

const SYSTEM: PaymentActor = { role: "system" };
/** A refund or a held amount younger than this may still be in the hands of the request that started it. */
export const LEAVE_TO_REQUEST_MS = 10 * 60_000;
/** Stripe keeps idempotency keys at least 24 hours: a refund is asked again with its key only within this. */
export const REFUND_RETRY_WINDOW_MS = 23 * 60 * 60_000;
/** Provider calls per run and step: a backlog is worked through over several runs. */
const BATCH = 100;

export type OnlineProvider = "vnpay" | "stripe";

function configured(providers: PaymentProviders): OnlineProvider[] {
  return (["vnpay", "stripe"] as const).filter((p) => providers[p] !== null);
}

// ---------------------------------------------------------------------------
// 1. Asking the provider about an attempt

export type AskOutcome =
  /** The provider's answer was applied (or was known already). */
  | { attemptId: string; asked: NotificationResult["result"]; refunded?: number }
  /** Nothing settled yet, or nothing we act on: the attempt stays as it is. */
  | { attemptId: string; asked: "open" | "not_found" | "unknown" | "no_provider" };

async function providerAnswer(
  attempt: PaymentAttempt,
  providers: PaymentProviders,
): Promise<PaymentNotification | "open" | "not_found" | "unknown" | "no_provider"> {
  if (!attempt.providerRef) return "not_found";
  if (attempt.provider === "vnpay") {
    if (!providers.vnpay) return "no_provider";
    const answer = await providers.vnpay.queryTransaction({
      providerRef: attempt.providerRef,
      createdAt: attempt.createdAt,
    });
    if (answer.notification) return answer.notification;
    return answer.status === "pending" ? "open" : answer.status === "not_found" ? "not_found" : "unknown";
  }
  if (attempt.provider === "stripe") {
    if (!providers.stripe) return "no_provider";
    const session = await providers.stripe.retrieveSession(attempt.providerRef);
    if (session.attemptId && session.attemptId !== attempt.id) {
      throw new Error(`Checkout Session ${attempt.providerRef} belongs to attempt ${session.attemptId}`);
    }
    return session.notification ?? "open";
  }
  return "no_provider";
}

/**
 * Asks the attempt's provider how the payment stands and applies a settled
 * answer. A success for orders that no longer want it is refunded at once.
 * Throws when the provider cannot be asked (the caller logs it and goes on).
 */
export async function reconcileAttempt(
  db: Database,
  attempt: PaymentAttempt,
  providers: PaymentProviders = paymentProviders(),
): Promise<AskOutcome> {
  const answer = await providerAnswer(attempt, providers);
  if (typeof answer === "string") return { attemptId: attempt.id, asked: answer };
  const applied = await applyNotification(db, answer);
  const outcome: AskOutcome = { attemptId: attempt.id, asked: applied.result };
  if (applied.result === "applied" && applied.refundNeeded) {
    outcome.refunded = await refundWhatIsNotOwed(db, providers, applied.refundNeeded);
  }
  return outcome;
}

/** The caller's part of `refundNeeded`: the provider refund of the money no order was credited with. */
async function refundWhatIsNotOwed(db: Database, providers: PaymentProviders, needed: RefundNeeded): Promise<number> {
  const [attempt] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.id, needed.attemptId));
  try {
    await recordRefund(db, {
      attemptId: needed.attemptId,
      amountDong: needed.amountDong,
      reason: AUTO_REFUND_REASONS[needed.reason],
      actor: SYSTEM,
      refundAtProvider: providerRefunder(attempt, { providers, requestedBy: "system" }),
    });
    return needed.amountDong;
  } catch (error) {
    // A refusal has its refund_failed alert (recordRefund raised it) and is left to a person.
    logger.warn({ err: error, attemptId: needed.attemptId }, "refund of a payment that is not owed failed");
    return 0;
  }
}

async function askAll(db: Database, attempts: PaymentAttempt[], providers: PaymentProviders) {
  const outcomes: AskOutcome[] = [];
  let errors = 0;
  for (const attempt of attempts) {
    try {
      outcomes.push(await reconcileAttempt(db, attempt, providers));
    } catch (error) {
      errors++;
      logger.warn(
        { err: error, attemptId: attempt.id, provider: attempt.provider },
        "payment provider could not be asked about an attempt",
      );
    }
  }
  const settled = outcomes.filter((o) => o.asked === "applied").length;
  return { asked: attempts.length, settled, errors, outcomes };
}

// ---------------------------------------------------------------------------
// 2. Refunds stuck in "requested"

export interface StuckRefundsReport {
  retried: number;
  booked: number;
  /** Too old to ask again with the same key: left held, with an alert. */
  alerted: number;
  errors: number;
}

export async function retryStuckRefunds(
  db: Database,
  { providers = paymentProviders(), now = new Date() }: { providers?: PaymentProviders; now?: Date } = {},
): Promise<StuckRefundsReport> {
  const report: StuckRefundsReport = { retried: 0, booked: 0, alerted: 0, errors: 0 };
  const online = configured(providers);
  if (online.length === 0) return report;
  const stuck = await stuckRefundsQuery(db, { online, before: new Date(now.getTime() - LEAVE_TO_REQUEST_MS) });

  for (const { refund, attempt } of stuck) {
    if (refund.createdAt.getTime() < now.getTime() - REFUND_RETRY_WINDOW_MS) {
      if (await raiseStuckAlertOnce(db, refund.id, attempt.id, refund.amountDong, refund.idempotencyKey))
        report.alerted++;
      continue;
    }
    report.retried++;
    let refundRef: string;
    try {
      ({ refundRef } = await providerRefunder(attempt, { providers, requestedBy: "system" })({
        attemptId: attempt.id,
        providerRef: attempt.providerRef ?? "",
        transactionRef: attempt.transactionRef ?? undefined,
        amountDong: refund.amountDong,
        idempotencyKey: refund.idempotencyKey,
        reason: refund.reason,
      }));
    } catch (error) {
      // Left held: never refunded twice. The next run asks again, until the window closes.
      report.errors++;
      logger.warn({ err: error, refundId: refund.id, attemptId: attempt.id }, "stuck refund: provider said no again");
      continue;
    }
    const booked = await db.transaction(async (tx) => {
      const locked = await lockAttempt(tx, attempt.id);
      const [row] = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.id, refund.id)).for("update");
      // Booked meanwhile by the request that started it: nothing to do.
      if (!locked || row?.status !== "requested") return false;
      await tx.update(paymentRefunds).set({ refundRef }).where(eq(paymentRefunds.id, row.id));
      await bookRefund(tx, locked, await lockShares(tx, locked.id), row, { actor: SYSTEM, fromRequested: true });
      return true;
    });
    if (booked) report.booked++;
  }
  return report;
}

/** Our refunds still "requested" since before `before`, oldest first: read through payment_refunds_requested_idx. */
export function stuckRefundsQuery(db: Database, { online, before }: { online: OnlineProvider[]; before: Date }) {
  return db
    .select({ refund: paymentRefunds, attempt: paymentAttempts })
    .from(paymentRefunds)
    .innerJoin(paymentAttempts, eq(paymentAttempts.id, paymentRefunds.attemptId))
    .where(
      and(
        eq(paymentRefunds.status, "requested"),
        eq(paymentRefunds.source, "ours"),
        inArray(paymentAttempts.provider, online),
        lte(paymentRefunds.createdAt, before),
      ),
    )
    .orderBy(asc(paymentRefunds.createdAt))
    .limit(BATCH);
}

async function raiseStuckAlertOnce(
  db: Database,
  refundId: string,
  attemptId: string,
  amountDong: number,
  idempotencyKey: string,
): Promise<boolean> {
  const alert = await db.transaction(async (tx) => {
    // One alert per refund: the row of the refund is the lock, so two runs cannot both raise it.
    await tx
      .select({ id: paymentRefunds.id })
      .from(paymentRefunds)
      .where(eq(paymentRefunds.id, refundId))
      .for("update");
    const [seen] = await tx
      .select({ id: paymentAlerts.id })
      .from(paymentAlerts)
      .where(and(eq(paymentAlerts.kind, "refund_failed"), sql`${paymentAlerts.details} ->> 'refundId' = ${refundId}`))
      .limit(1);
    if (seen) return null;
    return raiseAlert(tx, {
      kind: "refund_failed",
      attemptId,
      amountDong,
      details: { refundId, idempotencyKey, stuck: true },
    });
  });
  if (alert) logAlert(alert);
  return alert !== null;
}

// ---------------------------------------------------------------------------
// 3. Money held for orders that no longer want it

export interface HeldRefund {
  orderCode: string;
  attemptId: string;
  amountDong: number;
  refunded: boolean;
}

/**
 * Refunds, at the provider, what the platform holds for orders that no longer
 * want it: shares of a VNPay or Stripe payment that no order was credited
 * with, or whose order was cancelled, with nothing being refunded now. An
 * attempt with a refund the provider refused is left to a person (there is an
 * alert). `orderCodes`: only these orders (the unconfirmed-orders job, right
 * after cancelling them); otherwise only what is older than `minAgeMs`, so the
 * request that caused it has had its chance. `alertReason`: raise a
 * late_payment alert per order with this reason.
 */
export async function refundHeldMoney(
  db: Database,
  {
    providers = paymentProviders(),
    now = new Date(),
    orderCodes,
    minAgeMs = LEAVE_TO_REQUEST_MS,
    alertReason,
  }: {
    providers?: PaymentProviders;
    now?: Date;
    orderCodes?: string[];
    minAgeMs?: number;
    alertReason?: string;
  } = {},
): Promise<HeldRefund[]> {
  if (orderCodes?.length === 0) return [];
  const online = configured(providers);
  const result = await db.execute(
    heldMoneyQuery(orderCodes ? { orderCodes } : { cutoff: new Date(now.getTime() - minAgeMs) }),
  );

  const done: HeldRefund[] = [];
  for (const row of rowsOf(result)) {
    const attemptId = String(row.attemptId);
    const orderCode = String(row.orderCode);
    const amountDong = Number(row.heldDong);
    if (alertReason) {
      const alert = await raiseAlert(db, {
        kind: "late_payment",
        attemptId,
        amountDong,
        details: { reason: alertReason, orderCodes: [orderCode], provider: row.provider },
      });
      logAlert(alert);
    }
    if (!online.includes(row.provider as OnlineProvider)) {
      logger.warn(
        { attemptId, orderCode },
        "money held for an order that does not want it: its provider is not configured",
      );
      done.push({ orderCode, attemptId, amountDong, refunded: false });
      continue;
    }
    const [attempt] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId));
    try {
      await recordRefund(db, {
        attemptId,
        orderId: String(row.orderId),
        amountDong,
        // The reason the order was cancelled (a system key is translated on the timeline), else a second payment.
        reason: row.cancelReason ? String(row.cancelReason) : AUTO_REFUND_REASONS.already_paid,
        actor: SYSTEM,
        refundAtProvider: providerRefunder(attempt, { providers, requestedBy: "system" }),
      });
      done.push({ orderCode, attemptId, amountDong, refunded: true });
    } catch (error) {
      // refund_failed: recordRefund raised the alert. over_refund: someone refunded it meanwhile.
      logger.warn({ err: error, attemptId, orderCode }, "held money not refunded");
      done.push({ orderCode, attemptId, amountDong, refunded: false });
    }
  }
  return done;
}

/**
 * The shares refundHeldMoney refunds: of a VNPay or Stripe payment, still
 * holding money, nothing being refunded, no refund refused, and either not
 * credited to their order or credited to an order since cancelled; of these
 * orders (`orderCodes`), or last changed before `cutoff`.
 *
 * Two branches, each read from an index holding only such rows (ADR 033),
 * because the condition "not credited, or its order cancelled" spans two
 * tables and no single index can hold it:
 * - not credited: payment_attempt_orders_uncredited_held_idx;
 * - credited, its order cancelled: orders_cancelled_paid_idx. A credited share
 *   still holding money is what makes its order "paid" or "partially_refunded"
 *   (settle.server.ts: creditSuccess, bookRefund), so those cancelled orders
 *   are the ones to look at, and the refunded ones, which pile up, are not.
 * Each index's condition is written here exactly as the index (and its
 * statistics object, migration 0017) has it: one expression, `(…) IS TRUE`,
 * so the planner both uses the index and knows how few rows it holds.
 */
export function heldMoneyQuery(scope: { orderCodes: string[] } | { cutoff: Date }): SQL {
  const only =
    "orderCodes" in scope
      ? sql`AND o.code IN (${sql.join(
          scope.orderCodes.map((c) => sql`${c}`),
          sql`, `,
        )})`
      : sql`AND a.updated_at <= ${scope.cutoff.toISOString()}::timestamptz AND o.updated_at <= ${scope.cutoff.toISOString()}::timestamptz`;
  const branch = (which: SQL) => sql`
    SELECT a.id AS "attemptId", o.id AS "orderId", o.code AS "orderCode", o.cancel_reason AS "cancelReason",
           a.provider AS "provider", pao.amount_dong - pao.refunded_dong AS "heldDong"
    FROM payment_attempt_orders pao
    JOIN payment_attempts a ON a.id = pao.attempt_id
    JOIN orders o ON o.id = pao.order_id
    WHERE ${which}
      AND a.provider IN ('vnpay', 'stripe')
      AND a.status IN ('succeeded', 'partially_refunded')
      AND pao.refunding_dong = 0
      AND pao.amount_dong > pao.refunded_dong
      AND NOT EXISTS (SELECT 1 FROM payment_refunds r WHERE r.attempt_id = a.id AND r.status = 'failed')
      ${only}`;
  return sql`
    SELECT * FROM (
      ${branch(sql`(pao.credited = false AND pao.amount_dong > pao.refunded_dong) IS TRUE`)}
      UNION ALL
      ${branch(sql`(o.status = 'cancelled' AND o.payment_status IN ('paid', 'partially_refunded')) IS TRUE AND pao.credited IS NOT FALSE`)}
    ) held
    ORDER BY "attemptId", "orderId"
    LIMIT ${BATCH}`;
}

// ---------------------------------------------------------------------------
// The jobs

export interface ReconcileReport {
  asked: number;
  settled: number;
  errors: number;
  refunds: StuckRefundsReport;
  heldRefunded: number;
}

/**
 * The payments.reconcile job: attempts open for more than `afterMinutes`
 * (PAYMENT_RECONCILE_AFTER_MINUTES) are asked about, stuck refunds retried,
 * held money refunded. With no provider configured it returns at once.
 */
export async function reconcilePayments(
  db: Database,
  {
    providers = paymentProviders(),
    now = new Date(),
    afterMinutes = env().PAYMENT_RECONCILE_AFTER_MINUTES,
  }: { providers?: PaymentProviders; now?: Date; afterMinutes?: number } = {},
): Promise<ReconcileReport | { skipped: "no_providers" }> {
  const online = configured(providers);
  if (online.length === 0) return { skipped: "no_providers" };
  const stuck = await stuckAttemptsQuery(db, { online, before: new Date(now.getTime() - afterMinutes * 60_000) });
  const { asked, settled, errors } = await askAll(db, stuck, providers);
  const refunds = await retryStuckRefunds(db, { providers, now });
  const held = await refundHeldMoney(db, { providers, now });
  return { asked, settled, errors, refunds, heldRefunded: held.filter((h) => h.refunded).length };
}

/** Open attempts of these providers made before `before`, oldest first: read through payment_attempts_online_open_idx. */
export function stuckAttemptsQuery(db: Database, { online, before }: { online: OnlineProvider[]; before: Date }) {
  return db
    .select()
    .from(paymentAttempts)
    .where(
      and(
        inArray(paymentAttempts.provider, online),
        inArray(paymentAttempts.status, ["created", "pending"]),
        isNotNull(paymentAttempts.providerRef),
        lte(paymentAttempts.createdAt, before),
      ),
    )
    .orderBy(asc(paymentAttempts.createdAt))
    .limit(BATCH);
}

/** Open attempts of these providers whose deadline is `now` or earlier, soonest first: payment_attempts_open_idx. */
export function dueAttemptsQuery(db: Database, { online, now }: { online: OnlineProvider[]; now: Date }) {
  return db
    .select()
    .from(paymentAttempts)
    .where(
      and(
        inArray(paymentAttempts.status, ["created", "pending"]),
        inArray(paymentAttempts.provider, online),
        isNotNull(paymentAttempts.providerRef),
        lte(paymentAttempts.expiresAt, now),
      ),
    )
    .orderBy(asc(paymentAttempts.expiresAt))
    .limit(BATCH);
}

/**
 * The payments.expire-attempts job: open VNPay/Stripe attempts past their
 * deadline are asked about first (a payment whose notification never came is
 * applied instead of being thrown away), then expireAttempts expires the rest
 * and cancels their unpaid orders, giving the stock back. A provider that
 * cannot be asked does not hold the expiry up: a success it reports later is
 * refunded (ADR 012).
 */
export async function expireAbandonedAttempts(
  db: Database,
  { providers = paymentProviders(), now = new Date() }: { providers?: PaymentProviders; now?: Date } = {},
): Promise<{ asked: number; settled: number; errors: number; expired: number; cancelledOrders: string[] }> {
  const online = configured(providers);
  const due = online.length === 0 ? [] : await dueAttemptsQuery(db, { online, now });
  const { asked, settled, errors } = await askAll(db, due, providers);
  const { expired, cancelledOrders } = await expireAttempts(db, now);
  return { asked, settled, errors, expired: expired.length, cancelledOrders };
}
