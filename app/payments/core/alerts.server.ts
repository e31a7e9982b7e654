/**
 * Payment situations a person must look at: money that arrived for orders
 * already cancelled or paid (refunded automatically, but someone should know),
 * notifications with the wrong amount, refunds the provider refused. Each is a
 * `payment_alerts` row (the admin list) and a pino warning with a stable
 * message that log alerting can match on.
 */
import { asc, eq, isNull } from "drizzle-orm";
import { paymentAlerts, type PaymentAlert, type PaymentAlertKind } from "#db/schema";
import { isUuid } from "~/utils/db-errors.server";
import { logger } from "~/utils/logger.server";
import type { Database, Tx } from "#db/client";

/** The log messages, one per kind: match on these, they do not change. */
export const ALERT_LOG_MESSAGES: Record<PaymentAlertKind, string> = {
  late_payment: "payment arrived for cancelled orders: refund needed",
  double_payment: "payment arrived for orders already paid: refund needed",
  amount_mismatch: "payment notification amount or currency does not match the attempt",
  refund_failed: "provider refused a refund",
};

/** The alert row, in the caller's transaction. Call logAlert with it once that transaction has committed. */
export async function raiseAlert(
  tx: Tx | Database,
  alert: { kind: PaymentAlertKind; attemptId: string | null; amountDong?: number; details?: Record<string, unknown> },
): Promise<PaymentAlert> {
  const [row] = await tx
    .insert(paymentAlerts)
    .values({
      kind: alert.kind,
      attemptId: alert.attemptId,
      amountDong: alert.amountDong ?? 0,
      details: alert.details ?? {},
    })
    .returning();
  return row;
}

/** The warning for log-based alerting: a stable message per kind. */
export function logAlert(alert: PaymentAlert): void {
  logger.warn(
    {
      paymentAlert: {
        id: alert.id,
        kind: alert.kind,
        attemptId: alert.attemptId,
        amountDong: alert.amountDong,
        ...alert.details,
      },
    },
    ALERT_LOG_MESSAGES[alert.kind],
  );
}

/** Alerts not resolved yet, oldest first (or all of them). */
export function listPaymentAlerts(db: Database, { open = true }: { open?: boolean } = {}): Promise<PaymentAlert[]> {
  const query = db.select().from(paymentAlerts);
  return (open ? query.where(isNull(paymentAlerts.resolvedAt)) : query).orderBy(asc(paymentAlerts.createdAt));
}

export async function resolveAlert(db: Database, alertId: string): Promise<boolean> {
  if (!isUuid(alertId)) return false;
  const rows = await db
    .update(paymentAlerts)
    .set({ resolvedAt: new Date() })
    .where(eq(paymentAlerts.id, alertId))
    .returning({ id: paymentAlerts.id });
  return rows.length > 0;
}
