/**
 * Building blocks of the payment functions, all inside the caller's
 * transaction: lock an attempt and its orders, move the attempt (attempt-state.ts)
 * with a guarded UPDATE, credit a success to its orders (payment status,
 * timeline row, ledger lines), post a refund. Not imported by routes.
 *
 * Lock order, everywhere: the attempt first, then its orders (by id). A
 * farmer's status change locks the order alone and never an existing attempt,
 * so nothing waits in a circle.
 */
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import {
  orderEvents,
  orders,
  paymentAttemptOrders,
  paymentAttempts,
  paymentRefunds,
  type Order,
  type OrderPaymentStatus,
  type PaymentAttempt,
  type PaymentAttemptOrder,
  type PaymentRefund,
} from "#db/schema";
import { transition, type AttemptEvent } from "./attempt-state";
import { PaymentError } from "./errors";
import { feeGivenBack, owedChangeForPayment, type Holder } from "../ledger/fees";
import { postLedger, type LedgerLine } from "../ledger/ledger.server";
import type { ActorRole } from "~/orders";
import type { Tx } from "#db/client";

/** Who does it. Admins appear as "system" in order timelines (their user id is kept). */
export interface PaymentActor {
  role: ActorRole | "admin";
  userId?: string | null;
}

export interface Share {
  share: PaymentAttemptOrder;
  order: Order;
}

export const holderOf = (attempt: PaymentAttempt): Holder =>
  attempt.connectAccountId ? "split" : attempt.collectedBy === "farmer" ? "farmer" : "platform";

/** Who keeps the platform's fee until it is settled: the farmer when they hold the whole payment. */
const feeHolder = (attempt: PaymentAttempt) => (holderOf(attempt) === "farmer" ? "farmer" : "platform");

export async function lockAttempt(tx: Tx, attemptId: string): Promise<PaymentAttempt | undefined> {
  const [attempt] = await tx.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId)).for("update");
  return attempt;
}

/** The attempt's orders and its share of each, locked, by order id. */
export async function lockShares(tx: Tx, attemptId: string): Promise<Share[]> {
  return tx
    .select({ share: paymentAttemptOrders, order: orders })
    .from(paymentAttemptOrders)
    .innerJoin(orders, eq(orders.id, paymentAttemptOrders.orderId))
    .where(eq(paymentAttemptOrders.attemptId, attemptId))
    .orderBy(asc(orders.id))
    .for("update");
}

/** Moves the attempt by `event` from the status it was locked in; throws on a move the machine does not have. */
export async function moveAttempt(
  tx: Tx,
  attempt: PaymentAttempt,
  event: AttemptEvent,
  set: Partial<typeof paymentAttempts.$inferInsert> = {},
): Promise<PaymentAttempt> {
  const verdict = transition(attempt.status, event);
  if (!verdict.ok) throw new Error(`payment attempt ${attempt.id}: ${attempt.status} + ${event} is not a transition`);
  const [moved] = await tx
    .update(paymentAttempts)
    .set({ ...set, status: verdict.to })
    .where(and(eq(paymentAttempts.id, attempt.id), eq(paymentAttempts.status, attempt.status)))
    .returning();
  if (!moved) throw new PaymentError("conflict");
  return moved;
}

/** A payment row of the order's timeline: the order's status stays, the payment status is the news. */
export async function paymentTimelineRow(
  tx: Tx,
  order: Pick<Order, "id" | "status">,
  {
    paymentStatus,
    amountDong,
    actor,
    note = "",
  }: { paymentStatus: OrderPaymentStatus; amountDong: number; actor: PaymentActor; note?: string },
): Promise<void> {
  await tx.insert(orderEvents).values({
    orderId: order.id,
    actorUserId: actor.userId ?? null,
    actorRole: actor.role === "admin" ? "system" : actor.role,
    fromStatus: order.status,
    toStatus: order.status,
    paymentStatus,
    amountDong,
    note,
  });
}

/** Orders whose payment was "pending" on this attempt go back to "unpaid" unless another attempt is still open for them. */
export async function releasePendingOrders(tx: Tx, attemptId: string, orderIds: string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await tx
    .update(orders)
    .set({ paymentStatus: "unpaid" })
    .where(
      and(
        inArray(orders.id, orderIds),
        eq(orders.paymentStatus, "pending"),
        sql`NOT EXISTS (
          SELECT 1 FROM payment_attempt_orders pao JOIN payment_attempts pa ON pa.id = pao.attempt_id
          WHERE pao.order_id = ${orders.id} AND pa.id <> ${attemptId} AND pa.status IN ('created', 'pending'))`,
      ),
    );
}

export async function markOrdersPending(tx: Tx, orderIds: string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await tx
    .update(orders)
    .set({ paymentStatus: "pending" })
    .where(and(inArray(orders.id, orderIds), eq(orders.paymentStatus, "unpaid")));
}

export type Uncredited = { orderId: string; amountDong: number; reason: "orders_cancelled" | "already_paid" };

/**
 * Books a succeeded attempt (already moved to succeeded) against its locked
 * orders. An order still live and unpaid is credited: paid, a timeline row
 * (unless `timeline: false`: the caller writes the row, e.g. delivering a
 * cash order), the ledger lines of ADR 012. An order cancelled, or already
 * paid by another attempt, is not: the money is the buyer's, recorded as
 * received (buyer_paid alone) and returned as `uncredited` for a refund.
 */
export async function creditSuccess(
  tx: Tx,
  attempt: PaymentAttempt,
  shares: Share[],
  { actor, timeline = true, note }: { actor: PaymentActor; timeline?: boolean; note?: string },
): Promise<{ credited: Order[]; uncredited: Uncredited[] }> {
  const credited: Order[] = [];
  const uncredited: Uncredited[] = [];
  const paidAt = attempt.succeededAt ?? new Date();
  for (const { share, order } of shares) {
    const live = order.status !== "cancelled";
    const unpaid = order.paymentStatus === "unpaid" || order.paymentStatus === "pending";
    const base = { stallId: order.stallId, orderId: order.id, attemptId: attempt.id };
    const lines: LedgerLine[] = [
      { ...base, kind: "buyer_paid", amountDong: share.amountDong, collectedBy: attempt.collectedBy },
    ];
    if (live && unpaid) {
      lines.push(
        { ...base, kind: "platform_fee", amountDong: share.feeDong, collectedBy: feeHolder(attempt) },
        {
          ...base,
          kind: "owed_to_farmer",
          amountDong: owedChangeForPayment(holderOf(attempt), share.amountDong, share.feeDong),
          collectedBy: attempt.collectedBy,
        },
      );
      const [paid] = await tx
        .update(orders)
        .set({ paymentStatus: "paid", paidAt })
        .where(and(eq(orders.id, order.id), inArray(orders.paymentStatus, ["unpaid", "pending"])))
        .returning();
      if (!paid) throw new PaymentError("conflict");
      if (timeline)
        await paymentTimelineRow(tx, paid, { paymentStatus: "paid", amountDong: share.amountDong, actor, note });
      credited.push(paid);
    } else {
      uncredited.push({
        orderId: order.id,
        amountDong: share.amountDong,
        reason: live ? "already_paid" : "orders_cancelled",
      });
      // A cancelled order waiting on this attempt waits no more.
      await releasePendingOrders(tx, attempt.id, [order.id]);
    }
    await tx
      .update(paymentAttemptOrders)
      .set({ credited: live && unpaid })
      .where(and(eq(paymentAttemptOrders.attemptId, attempt.id), eq(paymentAttemptOrders.orderId, order.id)));
    await postLedger(tx, lines);
  }
  return { credited, uncredited };
}

export interface Allocation {
  orderId: string;
  amountDong: number;
}

/** What may still be refunded of each share: paid, minus refunded, minus asked for and not answered yet. */
export const refundable = (s: PaymentAttemptOrder) => s.amountDong - s.refundedDong - s.refundingDong;

/**
 * Splits a refund over the attempt's orders: all on `orderId` when given;
 * otherwise money no order was credited with goes back first (a second
 * payment, a payment for a cancelled order), then the orders' shares in order.
 * Null when there is not that much left to refund.
 */
export function allocateRefund(
  shares: PaymentAttemptOrder[],
  amountDong: number,
  orderId?: string,
): Allocation[] | null {
  const candidates = shares
    .filter((s) => !orderId || s.orderId === orderId)
    .sort((a, b) => Number(a.credited === true) - Number(b.credited === true) || (a.orderId < b.orderId ? -1 : 1));
  const allocations: Allocation[] = [];
  let left = amountDong;
  for (const s of candidates) {
    const take = Math.min(left, refundable(s));
    if (take > 0) allocations.push({ orderId: s.orderId, amountDong: take });
    left -= take;
  }
  return left === 0 ? allocations : null;
}

/**
 * Books a refund that the provider (or the farmer, for money they hold) has
 * made: the refund row succeeded, each share's refunded amount, the ledger
 * lines, the orders' payment status and timeline rows (credited shares only:
 * an uncredited share never made its order paid), and the attempt's status.
 * `fromRequested`: the amounts were held in refunding_dong by requestRefund.
 */
export async function bookRefund(
  tx: Tx,
  attempt: PaymentAttempt,
  shares: Share[],
  refund: PaymentRefund,
  { actor, fromRequested }: { actor: PaymentActor; fromRequested: boolean },
): Promise<PaymentAttempt> {
  const [done] = await tx
    .update(paymentRefunds)
    .set({ status: "succeeded", completedAt: new Date() })
    .where(and(eq(paymentRefunds.id, refund.id), ne(paymentRefunds.status, "failed")))
    .returning();
  if (!done) throw new PaymentError("conflict");

  for (const allocation of refund.allocations) {
    const found = shares.find((s) => s.order.id === allocation.orderId);
    if (!found)
      throw new Error(`refund ${refund.id}: order ${allocation.orderId} is not paid by attempt ${attempt.id}`);
    const { share, order } = found;
    const now = allocation.amountDong;
    const base = { stallId: order.stallId, orderId: order.id, attemptId: attempt.id, refundId: refund.id };
    const lines: LedgerLine[] = [{ ...base, kind: "refund", amountDong: -now, collectedBy: attempt.collectedBy }];
    if (share.credited) {
      const feeBack = feeGivenBack(share, share.refundedDong, now);
      lines.push(
        { ...base, kind: "platform_fee", amountDong: -feeBack, collectedBy: feeHolder(attempt) },
        {
          ...base,
          kind: "owed_to_farmer",
          amountDong: -owedChangeForPayment(holderOf(attempt), now, feeBack),
          collectedBy: attempt.collectedBy,
        },
      );
    }
    await postLedger(tx, lines);
    await tx
      .update(paymentAttemptOrders)
      .set({
        refundedDong: sql`${paymentAttemptOrders.refundedDong} + ${now}`,
        ...(fromRequested ? { refundingDong: sql`${paymentAttemptOrders.refundingDong} - ${now}` } : {}),
      })
      .where(and(eq(paymentAttemptOrders.attemptId, attempt.id), eq(paymentAttemptOrders.orderId, order.id)));
    if (share.credited) {
      const paymentStatus = share.refundedDong + now >= share.amountDong ? "refunded" : "partially_refunded";
      const [changed] = await tx.update(orders).set({ paymentStatus }).where(eq(orders.id, order.id)).returning();
      await paymentTimelineRow(tx, changed, { paymentStatus, amountDong: now, actor, note: refund.reason });
    }
    share.refundedDong += now;
    if (fromRequested) share.refundingDong -= now;
  }

  const refundedDong = attempt.refundedDong + refund.amountDong;
  return moveAttempt(tx, attempt, refundedDong >= attempt.amountDong ? "refund_all" : "refund_part", { refundedDong });
}

/** The next refund number of an attempt (1, 2, …) and its idempotency key. */
export async function nextRefundKey(tx: Tx, attemptId: string): Promise<{ n: number; idempotencyKey: string }> {
  const [{ last }] = await tx
    .select({ last: sql<number>`coalesce(max(${paymentRefunds.n}), 0)`.mapWith(Number) })
    .from(paymentRefunds)
    .where(eq(paymentRefunds.attemptId, attemptId));
  const n = last + 1;
  return { n, idempotencyKey: `refund:${attemptId}:${n}` };
}
