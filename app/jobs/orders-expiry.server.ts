/**
 * Orders the farmer never confirmed expire: after ORDER_CONFIRM_HOURS an order
 * still "placed" is cancelled by the system, its stock goes back on sale and
 * the buyer is told (changeOrderStatus does all three, with a timeline row).
 * What the buyer paid decides which orders (cancelExpiredOrders): one being
 * paid online is left to payments.expire-attempts; one paid online is
 * cancelled and its money refunded here at once, with an alert for admins.
 */
import { SYSTEM_CANCEL_REASONS } from "~/orders";
import { cancelExpiredOrders } from "~/orders/index.server";
import { type PaymentProviders, refundHeldMoney } from "~/payments/index.server";
import type { Database } from "~/utils/db.server";
import { env } from "~/utils/env.server";

const HOUR_MS = 60 * 60 * 1000;

/** When an order placed at `placedAt` is cancelled if the farmer has not confirmed it (the order pages show it). */
export function confirmDeadline(placedAt: Date | string): Date {
  return new Date(new Date(placedAt).getTime() + env().ORDER_CONFIRM_HOURS * HOUR_MS);
}

/** The job: cancels every expired unconfirmed order and refunds those paid online; returns their codes. */
export async function expireUnconfirmedOrders(
  db: Database,
  now = new Date(),
  { providers }: { providers?: PaymentProviders } = {},
): Promise<{ cancelled: string[]; refunded: string[] }> {
  const placedBefore = new Date(now.getTime() - env().ORDER_CONFIRM_HOURS * HOUR_MS);
  const reason = SYSTEM_CANCEL_REASONS.notConfirmed;
  const cancelled = await cancelExpiredOrders(db, { placedBefore, reason });
  const held = await refundHeldMoney(db, { providers, now, orderCodes: cancelled, alertReason: reason });
  return { cancelled, refunded: held.filter((h) => h.refunded).map((h) => h.orderCode) };
}
