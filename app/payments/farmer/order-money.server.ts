/**
 * The money side of one order, as its farmer sees it on /seller/orders/:code:
 * where the payment stands, and the two things they can do about it.
 *
 * - "Đã nhận tiền" (VietQR, cash): markPaidByFarmer (money-received.server.ts).
 * - "Hoàn tiền": refundOrder, partial or whole, never more than paid minus
 *   refunded. Money the platform collected (VNPay, Stripe) goes back through
 *   the provider (the providers registry); money the farmer holds (VietQR to
 *   their own account) they give back themselves, and the refund only records
 *   it.
 * - Cancelling a paid order: cancelBySeller refunds what is left of an online
 *   payment first, then cancels. If the provider refuses, nothing changes. An
 *   order whose money the farmer holds is refused until they have given it
 *   back and recorded that (refund_first): we cannot give back money we never
 *   had, and a cancelled order must not keep the buyer's money.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import {
  orders,
  paymentAttemptOrders,
  paymentAttempts,
  type Order,
  type PaymentAttempt,
  type PaymentAttemptOrder,
} from "#db/schema";
import { PaymentError } from "../core/errors";
import { isOnlineMethod, providerRefunder, type PaymentProviders } from "../core/providers.server";
import { recordRefund, REFUND_REASON_MAX, type RecordedRefund } from "../core/refunds.server";
import { recordCashOnDelivery } from "./money-received.server";
import { normalizeCode, OrderError, transition, type OrderStatusCode } from "~/orders";
import { CANCEL_REASON_MAX, changeOrderStatus } from "~/orders/index.server";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { parseForm } from "~/utils/forms";
import { parseDong } from "~/utils/numbers";
import { oneLine } from "~/utils/text";

/** Attempt statuses in which money was taken (core/attempt-state.ts isPaid). */
const PAID_STATUSES = ["succeeded", "partially_refunded", "refunded"] as const;

export interface OrderMoney {
  paymentStatus: Order["paymentStatus"];
  totalDong: number;
  /** What the payment that paid this order brought (its share); 0 while unpaid. */
  paidDong: number;
  refundedDong: number;
  /** What may still be refunded: paid, minus refunded, minus refunds asked for and not answered yet. */
  refundableDong: number;
  paidAt: Date | null;
  /** "Đã nhận tiền" applies: cash or VietQR, not paid yet, not cancelled. */
  canMarkReceived: boolean;
  /** The refund form applies: something paid is left to give back. */
  canRefund: boolean;
  /** The provider gives the money back (VNPay, Stripe); false: the farmer does, the app records it. */
  refundsAtProvider: boolean;
}

interface PaidShare {
  attempt: PaymentAttempt;
  share: PaymentAttemptOrder;
}

/** The payment that paid this order (its credited share), if any. */
async function paidShare(db: Database, orderId: string): Promise<PaidShare | null> {
  const [row] = await db
    .select({ attempt: paymentAttempts, share: paymentAttemptOrders })
    .from(paymentAttemptOrders)
    .innerJoin(paymentAttempts, eq(paymentAttempts.id, paymentAttemptOrders.attemptId))
    .where(
      and(
        eq(paymentAttemptOrders.orderId, orderId),
        eq(paymentAttemptOrders.credited, true),
        inArray(paymentAttempts.status, [...PAID_STATUSES]),
      ),
    )
    .orderBy(desc(paymentAttempts.succeededAt))
    .limit(1);
  return row ?? null;
}

/** Where the order's money stands, for its farmer (call only for an order already scoped to their stall). */
export async function orderMoney(db: Database, order: Order): Promise<OrderMoney> {
  const paid = await paidShare(db, order.id);
  const refundableDong = paid ? paid.share.amountDong - paid.share.refundedDong - paid.share.refundingDong : 0;
  const unpaid = order.paymentStatus === "unpaid" || order.paymentStatus === "pending";
  return {
    paymentStatus: order.paymentStatus,
    totalDong: order.totalDong,
    paidDong: paid?.share.amountDong ?? 0,
    refundedDong: paid?.share.refundedDong ?? 0,
    refundableDong,
    paidAt: order.paidAt,
    canMarkReceived:
      unpaid && order.status !== "cancelled" && (order.paymentMethod === "vietqr" || order.paymentMethod === "cod"),
    canRefund: refundableDong > 0,
    refundsAtProvider: paid ? isOnlineMethod(paid.attempt.provider) : isOnlineMethod(order.paymentMethod),
  };
}

export interface SellerRefund {
  orderCode: string;
  /** The farmer's stall: another stall's order is not_found, whether or not it exists. */
  stallId: string;
  amountDong: number;
  reason: string;
  actor: { role: "farmer" | "officer"; userId: string };
  providers?: PaymentProviders;
}

async function ownOrder(db: Database, orderCode: string, stallId: string): Promise<Order | null> {
  const code = normalizeCode(orderCode);
  if (!code || !isUuid(stallId)) return null;
  const [order] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.code, code), eq(orders.stallId, stallId)));
  return order ?? null;
}

/**
 * Gives back `amountDong` of the order's payment (recordRefund: held, asked of
 * the provider with the key refund:<attemptId>:<n>, then booked; a provider
 * refusal books nothing). Throws PaymentError: not_found, not_refundable,
 * invalid_amount, over_refund (availableDong), refund_failed.
 */
export async function refundOrder(db: Database, request: SellerRefund): Promise<RecordedRefund> {
  if (!Number.isSafeInteger(request.amountDong) || request.amountDong <= 0) throw new PaymentError("invalid_amount");
  const order = await ownOrder(db, request.orderCode, request.stallId);
  if (!order) throw new PaymentError("not_found");
  const paid = await paidShare(db, order.id);
  if (!paid) throw new PaymentError("not_refundable");
  const { attempt } = paid;
  return recordRefund(db, {
    attemptId: attempt.id,
    orderId: order.id,
    amountDong: request.amountDong,
    reason: request.reason,
    actor: { ...request.actor, stallId: request.stallId },
    refundAtProvider: isOnlineMethod(attempt.provider)
      ? providerRefunder(attempt, { providers: request.providers, requestedBy: request.actor.userId })
      : undefined,
  });
}

export interface SellerCancel {
  orderCode: string;
  stallId: string;
  reason: string;
  actor: { role: "farmer" | "officer"; userId: string };
  providers?: PaymentProviders;
}

/**
 * The farmer cancels the order (changeOrderStatus, with its reason), first
 * refunding whatever is left of an online payment. Checks the cancellation
 * is allowed before any money moves. Throws OrderError (the cancellation's
 * refusals) or PaymentError (refund_first for money the farmer holds,
 * refund_failed when the provider said no: the order stays as it was).
 */
export async function cancelBySeller(
  db: Database,
  request: SellerCancel,
): Promise<{ order: Order; changed: boolean; refundedDong: number }> {
  const order = await ownOrder(db, request.orderCode, request.stallId);
  if (!order) throw new OrderError("not_found");
  let refundedDong = 0;
  if (order.status !== "cancelled") {
    const reason = oneLine(request.reason);
    if (reason.length > CANCEL_REASON_MAX)
      throw new OrderError("invalid_input", { fields: { reason: "fields.reason.tooLong" } });
    const verdict = transition(order.status, "cancelled", request.actor.role, {
      deliveryMethod: order.deliveryMethod,
      reason,
    });
    if (!verdict.ok) throw new OrderError(verdict.refusal);
    const money = await orderMoney(db, order);
    if (money.refundableDong > 0) {
      if (!money.refundsAtProvider) throw new PaymentError("refund_first", { availableDong: money.refundableDong });
      await refundOrder(db, { ...request, amountDong: money.refundableDong, reason });
      refundedDong = money.refundableDong;
    }
  }
  const changed = await changeOrderStatus(db, {
    order: { orderId: order.id },
    scope: { stallId: request.stallId },
    to: "cancelled",
    actor: request.actor,
    reason: request.reason,
  });
  return { ...changed, refundedDong };
}

// ---------------------------------------------------------------- the two forms

/**
 * An amount of đồng as a farmer types it (parseDong: "150000", "150.000",
 * "150,000", "150 000", with or without "₫"/"đ"/"VND"). Not a positive number
 * of đồng up to a trillion → null.
 */
export function parseDongInput(raw: string): number | null {
  const parsed = parseDong(raw);
  return parsed.ok && parsed.value > 0 && parsed.value <= MAX_INPUT_DONG ? parsed.value : null;
}

/** A trillion đồng: far above any order, far below where integers stop being exact. */
const MAX_INPUT_DONG = 1_000_000_000_000;

const dongField = z
  .string({ error: "errors.amount.required" })
  .trim()
  .min(1, "errors.amount.required")
  .transform((v, ctx) => {
    const dong = parseDongInput(v);
    if (dong === null) {
      ctx.addIssue({ code: "custom", message: "errors.amount.invalid" });
      return z.NEVER;
    }
    return dong;
  });

const MarkReceivedSchema = z.object({ amount: dongField });

const RefundFormSchema = z.object({
  amount: dongField,
  reason: z
    .string({ error: "errors.refundReason.required" })
    .transform(oneLine)
    .pipe(z.string().min(1, "errors.refundReason.required").max(REFUND_REASON_MAX, "errors.refundReason.tooLong")),
});

/** "Đã nhận tiền": the amount received. Error keys are of the "payments" namespace. */
export const parseMarkReceivedForm = (form: FormData) => parseForm(MarkReceivedSchema, form, { fields: ["amount"] });

/** "Hoàn tiền": the amount and the reason the buyer will read. */
export const parseRefundForm = (form: FormData) => parseForm(RefundFormSchema, form, { fields: ["amount", "reason"] });

/**
 * The farmer moves the order to `to`, one of the steps the page offers:
 * cancelling refunds first (cancelBySeller), delivering a cash order records
 * the cash (recordCashOnDelivery, on the same timeline row). `refundedDong`:
 * what cancelling gave back.
 */
export async function moveOrderOn(
  db: Database,
  step: SellerCancel & { to: OrderStatusCode },
): Promise<{ refundedDong: number }> {
  const { orderCode, stallId, to, reason, actor } = step;
  if (to === "cancelled") return cancelBySeller(db, step);
  await changeOrderStatus(db, {
    order: { orderCode },
    scope: { stallId },
    to,
    actor,
    reason,
    onDelivered: recordCashOnDelivery,
  });
  return { refundedDong: 0 };
}
