/**
 * Money the farmer receives themselves: cash on delivery, and VietQR transfers
 * straight to their own bank account. No provider tells us; the farmer does
 * ("Đã nhận tiền"), or, for cash, delivering the order does.
 *
 * Each is still a payment attempt (provider cod or vietqr, collected by the
 * farmer), moved to succeeded and credited like any other, so refunds, the
 * ledger and the order's timeline work the same way for every method.
 *
 * recordCashOnDelivery is what the routes pass to orders' changeOrderStatus as
 * its `onDelivered`: it runs in the transaction that delivers the order.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { orders, paymentAttemptOrders, paymentAttempts, type Order, type PaymentAttempt } from "#db/schema";
import { isOpen } from "../core/attempt-state";
import { PaymentError } from "../core/errors";
import { platformFee } from "../ledger/fees";
import { creditSuccess, lockAttempt, lockShares, moveAttempt, type PaymentActor } from "../core/settle.server";
import { normalizeCode } from "~/orders";
import { isUuid } from "~/utils/db-errors.server";
import { env } from "~/utils/env.server";
import type { Database, Tx } from "#db/client";

/** Methods whose money reaches the farmer directly. */
export const FARMER_COLLECTED_METHODS = ["cod", "vietqr"] as const;

const isFarmerCollected = (method: string): method is (typeof FARMER_COLLECTED_METHODS)[number] =>
  (FARMER_COLLECTED_METHODS as readonly string[]).includes(method);

/** The open VietQR attempt showing this order's QR, if any (a VietQR attempt pays one order). */
async function openAttemptOf(tx: Tx, orderId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .innerJoin(paymentAttemptOrders, eq(paymentAttemptOrders.attemptId, paymentAttempts.id))
    .where(
      and(
        eq(paymentAttemptOrders.orderId, orderId),
        inArray(paymentAttempts.provider, [...FARMER_COLLECTED_METHODS]),
        inArray(paymentAttempts.status, ["created", "pending"]),
      ),
    )
    .orderBy(sql`${paymentAttempts.createdAt} DESC`)
    .limit(1);
  return row?.id;
}

/**
 * Records the order's total as received by the farmer, on an order the caller
 * has locked (or just updated). Uses the open VietQR attempt the buyer was
 * shown (locked by the caller before the order), or makes one. Returns null
 * when the order is not unpaid any more (a second mark changes nothing).
 */
async function recordFarmerCollected(
  tx: Tx,
  order: Order,
  {
    actor,
    timeline,
    attempt,
    note,
  }: { actor: PaymentActor; timeline: boolean; attempt?: PaymentAttempt; note?: string },
): Promise<{ amountDong: number; paidAt: Date } | null> {
  if (order.paymentStatus !== "unpaid" && order.paymentStatus !== "pending") return null;
  if (!isFarmerCollected(order.paymentMethod)) throw new PaymentError("wrong_method");
  let open = attempt;
  if (!open) {
    [open] = await tx
      .insert(paymentAttempts)
      .values({
        provider: order.paymentMethod,
        checkoutId: order.checkoutId,
        status: "pending",
        amountDong: order.totalDong,
        collectedBy: "farmer",
      })
      .returning();
    await tx.insert(paymentAttemptOrders).values({
      attemptId: open.id,
      orderId: order.id,
      amountDong: order.totalDong,
      feeDong: platformFee(order.totalDong, env().PLATFORM_FEE_BPS),
    });
  }
  const paidAt = new Date();
  const succeeded = await moveAttempt(tx, open, "succeed", { succeededAt: paidAt });
  const { credited } = await creditSuccess(tx, succeeded, await lockShares(tx, succeeded.id), {
    actor,
    timeline,
    note,
  });
  if (credited.length === 0) throw new PaymentError("conflict");
  return { amountDong: order.totalDong, paidAt };
}

/**
 * Delivering a cash-on-delivery order records the cash as paid, collected by
 * the farmer (changeOrderStatus calls this in its transaction, after moving the
 * order to delivered, and puts the payment on the same timeline row). Null
 * when there is nothing to record: not cash, or already paid.
 */
export async function recordCashOnDelivery(
  tx: Tx,
  order: Order,
  actor: PaymentActor,
): Promise<{ paymentStatus: "paid"; amountDong: number; paidAt: Date } | null> {
  if (order.paymentMethod !== "cod") return null;
  const recorded = await recordFarmerCollected(tx, order, { actor, timeline: false });
  return recorded && { paymentStatus: "paid", ...recorded };
}

export interface FarmerMark {
  order: { orderCode: string } | { orderId: string };
  /** The farmer's (or the officer's household's) stall: only its orders. */
  stallId: string;
  actor: { role: "farmer" | "officer"; userId: string | null };
  /** What the farmer says they received: must be the order's total. */
  amountDong: number;
  /** On the order's timeline row (e.g. SYSTEM_CANCEL_REASONS.bankStatement: matched from a bank statement). */
  note?: string;
}

/**
 * The farmer says the money of a VietQR (or cash) order reached them. The
 * amount must be the order's total, else nothing changes and the refusal
 * says the total (amount_mismatch). Another stall's order is not_found; an
 * online order (VNPay, Stripe) is wrong_method; a cancelled one
 * order_cancelled. Marking an order already paid changes nothing
 * (`changed: false`).
 */
export async function markPaidByFarmer(db: Database, mark: FarmerMark): Promise<{ order: Order; changed: boolean }> {
  if (!Number.isSafeInteger(mark.amountDong) || mark.amountDong <= 0) throw new PaymentError("invalid_amount");
  const code = "orderCode" in mark.order ? normalizeCode(mark.order.orderCode) : null;
  const id = "orderId" in mark.order && isUuid(mark.order.orderId) ? mark.order.orderId : null;
  if ((!code && !id) || !isUuid(mark.stallId)) throw new PaymentError("not_found");
  const where = and(code ? eq(orders.code, code) : eq(orders.id, id!), eq(orders.stallId, mark.stallId));

  return db.transaction(async (tx) => {
    const [found] = await tx.select({ id: orders.id }).from(orders).where(where);
    if (!found) throw new PaymentError("not_found");
    // Attempt first, then the order: the lock order of every payment function.
    const openId = await openAttemptOf(tx, found.id);
    const attempt = openId ? await lockAttempt(tx, openId) : undefined;
    const [order] = await tx.select().from(orders).where(eq(orders.id, found.id)).for("update");
    if (!isFarmerCollected(order.paymentMethod)) throw new PaymentError("wrong_method");
    if (order.status === "cancelled") throw new PaymentError("order_cancelled");
    if (order.paymentStatus !== "unpaid" && order.paymentStatus !== "pending") return { order, changed: false };
    if (mark.amountDong !== order.totalDong) {
      throw new PaymentError("amount_mismatch", { expectedDong: order.totalDong });
    }
    const usable = attempt && isOpen(attempt.status) ? attempt : undefined;
    await recordFarmerCollected(tx, order, { actor: mark.actor, timeline: true, attempt: usable, note: mark.note });
    const [after] = await tx.select().from(orders).where(eq(orders.id, order.id));
    return { order: after, changed: true };
  });
}
