/**
 * Payment attempts: making one for a checkout's orders (or one order), the
 * provider's reference once it answers, giving up, and expiry.
 *
 * How a route uses them (VNPay, Stripe):
 *   const { attempt, transfer } = await createAttempt(db, { checkoutCode, provider: "vnpay", expiresAt });
 *   try { started = await provider.startPayment({ attemptId: attempt.id, amountDong: attempt.amountDong, transfer, … }) }
 *   catch (e) { await abandonAttempt(db, { attemptId: attempt.id, to: "failed" }); throw e }
 *   await markAttemptStarted(db, { attemptId: attempt.id, providerRef: started.providerRef });
 *   redirect(started.redirectUrl)
 * A VietQR attempt needs no provider: it is pending (its QR payable) at once.
 * The notification (notifications.server.ts) or the farmer's mark
 * (farmer/money-received.server.ts) settles it.
 */
import { and, asc, desc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
import {
  checkouts,
  orders,
  paymentAttemptOrders,
  paymentAttempts,
  stalls,
  type Order,
  type PaymentAttempt,
} from "#db/schema";
import { isOpen } from "./attempt-state";
import { PaymentError } from "./errors";
import { platformFee } from "../ledger/fees";
import { lockAttempt, lockShares, markOrdersPending, moveAttempt, releasePendingOrders } from "./settle.server";
import { SYSTEM_CANCEL_REASONS, normalizeCode, OrderError } from "~/orders";
import { changeOrderStatus } from "~/orders/index.server";
import { isUuid } from "~/utils/db-errors.server";
import { env } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import type { Database, Tx } from "#db/client";

export type AttemptProvider = "vietqr" | "vnpay" | "stripe";

/** Paid through a provider: the buyer pays before anything else happens, and an abandoned payment cancels the order. */
export const ONLINE_METHODS = ["vnpay", "stripe"] as const;

export interface CreateAttemptInput {
  provider: AttemptProvider;
  /** Every order of this checkout that chose `provider` and can still be paid… */
  checkoutCode?: string;
  /** …or exactly these orders (one checkout, all of them payable). */
  orderIds?: string[];
  /** When the buyer can no longer pay it; null: no deadline (VietQR). */
  expiresAt: Date | null;
  /** STRIPE_CONNECT of this deployment (default: the environment's). */
  stripeConnect?: boolean;
}

export interface CreatedAttempt {
  attempt: PaymentAttempt;
  orders: { id: string; code: string; stallId: string; amountDong: number; feeDong: number }[];
  /** Stripe Connect: what to pass to startPayment (the farmer's account and the platform's fee). */
  transfer?: { destinationAccount: string; applicationFeeDong: number };
}

/**
 * A new attempt at paying orders. The amount is the sum of the orders'
 * totals as stored (never a figure from the browser). Refuses (PaymentError):
 * not_found, no_orders, wrong_method, order_cancelled, already_paid,
 * mixed_checkouts, and mixed_stalls for VietQR (a transfer reaches one farmer).
 * A retry is a new attempt: providers want a fresh reference per try.
 */
export async function createAttempt(db: Database, input: CreateAttemptInput): Promise<CreatedAttempt> {
  const { provider } = input;
  return db.transaction(async (tx) => {
    let candidates: Order[];
    if (input.checkoutCode !== undefined) {
      const code = normalizeCode(input.checkoutCode);
      if (!code) throw new PaymentError("not_found");
      const rows = await tx
        .select({ order: orders })
        .from(orders)
        .innerJoin(checkouts, eq(checkouts.id, orders.checkoutId))
        .where(eq(checkouts.code, code))
        .orderBy(asc(orders.id))
        .for("update", { of: orders });
      if (rows.length === 0) throw new PaymentError("not_found");
      const ofMethod = rows.map((r) => r.order).filter((o) => o.paymentMethod === provider);
      candidates = ofMethod.filter((o) => o.status !== "cancelled" && isUnpaid(o));
      if (candidates.length === 0) {
        if (ofMethod.some((o) => !isUnpaid(o))) throw new PaymentError("already_paid");
        if (ofMethod.length > 0) throw new PaymentError("order_cancelled");
        throw new PaymentError("no_orders");
      }
    } else {
      const ids = [...new Set(input.orderIds ?? [])];
      if (ids.length === 0) throw new PaymentError("no_orders");
      if (!ids.every(isUuid)) throw new PaymentError("not_found");
      candidates = await tx.select().from(orders).where(inArray(orders.id, ids)).orderBy(asc(orders.id)).for("update");
      if (candidates.length !== ids.length) throw new PaymentError("not_found");
      if (new Set(candidates.map((o) => o.checkoutId)).size > 1) throw new PaymentError("mixed_checkouts");
      if (candidates.some((o) => o.paymentMethod !== provider)) throw new PaymentError("wrong_method");
      if (candidates.some((o) => o.status === "cancelled")) throw new PaymentError("order_cancelled");
      if (candidates.some((o) => !isUnpaid(o))) throw new PaymentError("already_paid");
    }
    const stallIds = [...new Set(candidates.map((o) => o.stallId))];
    if (provider === "vietqr" && stallIds.length > 1) throw new PaymentError("mixed_stalls");

    // Stripe Connect pays one connected account: only for one stall's orders, once Stripe says it can take charges.
    let connectAccountId: string | null = null;
    if (provider === "stripe" && (input.stripeConnect ?? env().STRIPE_CONNECT) && stallIds.length === 1) {
      const [stall] = await tx
        .select({ account: stalls.stripeAccountId, ready: stalls.stripeChargesEnabled })
        .from(stalls)
        .where(eq(stalls.id, stallIds[0]));
      if (stall?.account && stall.ready) connectAccountId = stall.account;
    }

    const bps = env().PLATFORM_FEE_BPS;
    const shares = candidates.map((o) => ({
      id: o.id,
      code: o.code,
      stallId: o.stallId,
      amountDong: o.totalDong,
      feeDong: platformFee(o.totalDong, bps),
    }));
    const [attempt] = await tx
      .insert(paymentAttempts)
      .values({
        provider,
        checkoutId: candidates[0].checkoutId,
        // VietQR has no provider to hand back a reference: its QR is payable now.
        status: provider === "vietqr" ? "pending" : "created",
        amountDong: shares.reduce((sum, s) => sum + s.amountDong, 0),
        collectedBy: provider === "vietqr" || connectAccountId ? "farmer" : "platform",
        connectAccountId,
        expiresAt: input.expiresAt,
      })
      .returning();
    await tx
      .insert(paymentAttemptOrders)
      .values(
        shares.map((s) => ({ attemptId: attempt.id, orderId: s.id, amountDong: s.amountDong, feeDong: s.feeDong })),
      );
    if (attempt.status === "pending")
      await markOrdersPending(
        tx,
        shares.map((s) => s.id),
      );
    return {
      attempt,
      orders: shares,
      ...(connectAccountId
        ? {
            transfer: {
              destinationAccount: connectAccountId,
              applicationFeeDong: shares.reduce((sum, s) => sum + s.feeDong, 0),
            },
          }
        : {}),
    };
  });
}

const isUnpaid = (o: Order) => o.paymentStatus === "unpaid" || o.paymentStatus === "pending";

/**
 * The open attempt (created or pending) of `provider` that pays exactly the
 * checkout's orders of that provider that can still be paid, newest first;
 * null when there is none. Locks those orders, so two taps of "Thanh toán
 * lại" look for it (and make a new one) one after the other.
 */
export async function openAttemptFor(
  tx: Tx,
  { checkoutId, provider }: { checkoutId: string; provider: AttemptProvider },
): Promise<PaymentAttempt | null> {
  const rows = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.checkoutId, checkoutId), eq(orders.paymentMethod, provider)))
    .orderBy(asc(orders.id))
    .for("update");
  const payable = rows.filter((o) => o.status !== "cancelled" && isUnpaid(o)).map((o) => o.id);
  if (payable.length === 0) return null;
  const open = await tx
    .select()
    .from(paymentAttempts)
    .where(
      and(
        eq(paymentAttempts.checkoutId, checkoutId),
        eq(paymentAttempts.provider, provider),
        inArray(paymentAttempts.status, ["created", "pending"]),
      ),
    )
    .orderBy(desc(paymentAttempts.createdAt));
  for (const attempt of open) {
    const shares = await tx
      .select({ orderId: paymentAttemptOrders.orderId })
      .from(paymentAttemptOrders)
      .where(eq(paymentAttemptOrders.attemptId, attempt.id))
      .orderBy(asc(paymentAttemptOrders.orderId));
    const ids = shares.map((share) => share.orderId);
    if (ids.length === payable.length && ids.every((id, i) => id === payable[i])) return attempt;
  }
  return null;
}

/**
 * The provider accepted the attempt and gave its reference (VNPay vnp_TxnRef,
 * Stripe session id) and the page where the buyer pays it (kept, so a second
 * tap of "Thanh toán lại" returns there): the attempt is pending and its
 * orders' payment too.
 * `expiresAt` replaces the deadline when the provider set another (Stripe
 * clamps it). Calling it again, or after a notification already settled the
 * attempt, only fills in a missing reference.
 */
export async function markAttemptStarted(
  db: Database,
  {
    attemptId,
    providerRef,
    redirectUrl,
    expiresAt,
  }: { attemptId: string; providerRef: string; redirectUrl?: string; expiresAt?: Date },
): Promise<PaymentAttempt> {
  if (!isUuid(attemptId)) throw new PaymentError("not_found");
  return db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, attemptId);
    if (!attempt) throw new PaymentError("not_found");
    if (attempt.status !== "created") {
      if (attempt.providerRef) return attempt;
      const [updated] = await tx
        .update(paymentAttempts)
        .set({ providerRef })
        .where(eq(paymentAttempts.id, attempt.id))
        .returning();
      return updated;
    }
    const started = await moveAttempt(tx, attempt, "start", {
      providerRef,
      ...(redirectUrl ? { redirectUrl } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    });
    const shares = await lockShares(tx, attempt.id);
    await markOrdersPending(
      tx,
      shares.map((s) => s.order.id),
    );
    return started;
  });
}

/**
 * The provider refused to start it ("failed"), or the buyer gave it up or
 * chose another method ("cancelled"). Its orders are unpaid again unless
 * another attempt is open for them. An attempt no longer open is left as it is.
 */
export async function abandonAttempt(
  db: Database,
  { attemptId, to }: { attemptId: string; to: "failed" | "cancelled" },
): Promise<PaymentAttempt> {
  if (!isUuid(attemptId)) throw new PaymentError("not_found");
  return db.transaction(async (tx) => {
    const attempt = await lockAttempt(tx, attemptId);
    if (!attempt) throw new PaymentError("not_found");
    if (!isOpen(attempt.status)) return attempt;
    const moved = await moveAttempt(tx, attempt, to === "failed" ? "fail" : "cancel");
    const shares = await lockShares(tx, attempt.id);
    await releasePendingOrders(
      tx,
      attempt.id,
      shares.map((s) => s.order.id),
    );
    return moved;
  });
}

/**
 * The job (every few minutes; app/jobs wires it): open attempts past their
 * deadline expire, and orders paid online (VNPay, Stripe) that are still
 * unpaid with no open attempt once their last attempt's deadline has passed
 * are cancelled by the system — stock back on sale, the buyer told, the
 * reason "system:payment_expired" translated where it is shown. An order the
 * farmer has packed is no longer the system's to cancel and stays. VietQR
 * orders are not cancelled here: the transfer may still come, and the farmer
 * says when it does (unconfirmed orders expire through their own job).
 * A late success after this is refunded (notifications.server.ts).
 */
export async function expireAttempts(
  db: Database,
  now: Date = new Date(),
): Promise<{ expired: string[]; cancelledOrders: string[] }> {
  const due = await expiringAttemptsQuery(db, now);
  const expired: string[] = [];
  for (const { id } of due) {
    const done = await db.transaction(async (tx) => {
      const attempt = await lockAttempt(tx, id);
      if (!attempt || !isOpen(attempt.status) || !attempt.expiresAt || attempt.expiresAt > now) return false;
      await moveAttempt(tx, attempt, "expire");
      const shares = await lockShares(tx, attempt.id);
      await releasePendingOrders(
        tx,
        attempt.id,
        shares.map((s) => s.order.id),
      );
      return true;
    });
    if (done) expired.push(id);
  }

  const abandoned = await abandonedOrdersQuery(db, now);
  const cancelledOrders: string[] = [];
  for (const { id, code } of abandoned) {
    try {
      const cancelled = await db.transaction(async (tx) => {
        // Locked and checked again: a success committed meanwhile has made it paid, and then it stays.
        const [order] = await tx.select().from(orders).where(eq(orders.id, id)).for("update");
        if (!order || order.paymentStatus !== "unpaid") return false;
        const { changed } = await changeOrderStatus(tx as unknown as Database, {
          order: { orderId: id },
          scope: { system: true },
          to: "cancelled",
          actor: { role: "system" },
          reason: SYSTEM_CANCEL_REASONS.paymentExpired,
        });
        return changed;
      });
      if (cancelled) cancelledOrders.push(code);
    } catch (error) {
      if (!(error instanceof OrderError)) throw error;
      logger.info({ order: code, refusal: error.code }, "unpaid online order not cancelled");
    }
  }
  return { expired, cancelledOrders };
}

/** Open attempts whose deadline is `now` or earlier: read through payment_attempts_open_idx (ADR 033). */
export function expiringAttemptsQuery(db: Database, now: Date) {
  return db
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .where(
      and(
        inArray(paymentAttempts.status, ["created", "pending"]),
        isNotNull(paymentAttempts.expiresAt),
        lte(paymentAttempts.expiresAt, now),
      ),
    );
}

/**
 * Online orders whose every attempt is over, the last deadline passed, and
 * still not paid: read through orders_unpaid_online_idx, which holds only
 * live unpaid VNPay/Stripe orders (ADR 033), each one's attempts by its key.
 */
export function abandonedOrdersQuery(db: Database, now: Date) {
  return db
    .select({ id: orders.id, code: orders.code })
    .from(orders)
    .where(
      and(
        inArray(orders.paymentMethod, [...ONLINE_METHODS]),
        inArray(orders.status, ["placed", "confirmed"]),
        eq(orders.paymentStatus, "unpaid"),
        sql`EXISTS (SELECT 1 FROM payment_attempt_orders pao WHERE pao.order_id = ${orders.id})`,
        sql`NOT EXISTS (
          SELECT 1 FROM payment_attempt_orders pao JOIN payment_attempts pa ON pa.id = pao.attempt_id
          WHERE pao.order_id = ${orders.id}
            AND (pa.status NOT IN ('failed', 'expired', 'cancelled') OR pa.expires_at IS NULL OR pa.expires_at > ${now.toISOString()}::timestamptz))`,
      ),
    );
}

/** An order's attempts, newest first: what the order pages show about its payment. */
export async function attemptsForOrder(db: Database, orderId: string): Promise<PaymentAttempt[]> {
  if (!isUuid(orderId)) return [];
  const rows = await db
    .select({ attempt: paymentAttempts })
    .from(paymentAttempts)
    .innerJoin(paymentAttemptOrders, eq(paymentAttemptOrders.attemptId, paymentAttempts.id))
    .where(eq(paymentAttemptOrders.orderId, orderId))
    .orderBy(desc(paymentAttempts.createdAt));
  return rows.map((r) => r.attempt);
}
