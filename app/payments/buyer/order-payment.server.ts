/**
 * What the buyer's order page shows about paying: where the money stands, and
 * what the buyer can do about it — the VietQR code and the transfer details
 * while a VietQR order is unpaid, a "pay (again)" button while an order paid
 * online is not. Call only for an order the caller may read: the VietQR
 * details are the farmer's bank account.
 */
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import {
  orders,
  paymentAttemptOrders,
  paymentAttempts,
  stalls,
  type Order,
  type OrderPaymentStatus,
  type PaymentMethod,
} from "#db/schema";
import { findBank } from "../vietqr/banks";
import { isOnlineMethod } from "../core/providers.server";
import { paymentProviders, type PaymentProviders } from "../core/providers.server";
import { buildVietQr, vietQrMemo } from "../vietqr/payload";
import { vietQrSvg } from "../vietqr/svg.server";
import type { Database } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";

export interface VietQrTransfer {
  /** The QR code (SVG markup, made here from our own data). */
  svg: string;
  bankName: string;
  bankBin: string;
  accountNumber: string;
  accountName: string;
  amountDong: number;
  /** The transfer's content: the order code, as the farmer (and the statement import) looks for it. */
  memo: string;
}

export interface OrderPaymentView {
  method: PaymentMethod;
  status: OrderPaymentStatus;
  /** The order's total. */
  amountDong: number;
  /** Given back so far of what paid this order (refunds). */
  refundedDong: number;
  paidAt: Date | null;
  /** VietQR orders not paid yet (and not cancelled). */
  vietqr: VietQrTransfer | null;
  /** VNPay/card orders not paid yet: what "Thanh toán" charges (the checkout's unpaid orders of this method). */
  pay: { again: boolean; amountDong: number; orderCount: number } | null;
  /** How the latest online attempt ended when it did not pay (the buyer gave up, it expired, the provider refused). */
  lastAttempt: "failed" | "expired" | "cancelled" | null;
}

const unpaid = (status: OrderPaymentStatus) => status === "unpaid" || status === "pending";

export async function orderPaymentView(
  db: Database,
  order: Order,
  providers: PaymentProviders = paymentProviders(),
): Promise<OrderPaymentView> {
  const [refunds, attempts] = await Promise.all([
    db
      .select({ refunded: sql<number>`coalesce(sum(${paymentAttemptOrders.refundedDong}), 0)`.mapWith(Number) })
      .from(paymentAttemptOrders)
      // The order's own payment: a second payment refunded (never credited to it) is not the order's money.
      .where(and(eq(paymentAttemptOrders.orderId, order.id), eq(paymentAttemptOrders.credited, true))),
    db
      .select({ status: paymentAttempts.status, provider: paymentAttempts.provider })
      .from(paymentAttempts)
      .innerJoin(paymentAttemptOrders, eq(paymentAttemptOrders.attemptId, paymentAttempts.id))
      .where(eq(paymentAttemptOrders.orderId, order.id))
      .orderBy(sql`${paymentAttempts.createdAt} DESC`),
  ]);
  const open = order.status !== "cancelled" && unpaid(order.paymentStatus);
  const view: OrderPaymentView = {
    method: order.paymentMethod,
    status: order.paymentStatus,
    amountDong: order.totalDong,
    refundedDong: refunds[0]?.refunded ?? 0,
    paidAt: order.paidAt,
    vietqr: null,
    pay: null,
    lastAttempt: null,
  };
  if (!open) return view;

  if (order.paymentMethod === "vietqr") {
    view.vietqr = await vietQrTransfer(db, order);
  } else if (isOnlineMethod(order.paymentMethod) && providers[order.paymentMethod]) {
    const mine = attempts.filter((a) => a.provider === order.paymentMethod);
    const last = mine[0]?.status;
    view.lastAttempt = last === "failed" || last === "expired" || last === "cancelled" ? last : null;
    // One payment pays the checkout's unpaid orders of this method (startOnlinePayment).
    const [group] = await db
      .select({
        amountDong: sql<number>`coalesce(sum(${orders.totalDong}), 0)`.mapWith(Number),
        orderCount: sql<number>`count(*)`.mapWith(Number),
      })
      .from(orders)
      .where(
        and(
          eq(orders.checkoutId, order.checkoutId),
          eq(orders.paymentMethod, order.paymentMethod),
          ne(orders.status, "cancelled"),
          inArray(orders.paymentStatus, ["unpaid", "pending"]),
        ),
      );
    view.pay = { again: mine.length > 0, amountDong: group.amountDong, orderCount: group.orderCount };
  }
  return view;
}

/** The transfer to the farmer's account for this order, or null when the stall has no complete bank details now. */
async function vietQrTransfer(db: Database, order: Order): Promise<VietQrTransfer | null> {
  const [stall] = await db
    .select({ bin: stalls.bankBin, account: stalls.bankAccountNumber, name: stalls.bankAccountName })
    .from(stalls)
    .where(eq(stalls.id, order.stallId));
  if (!stall?.bin || !stall.account || !stall.name) return null;
  // The stored code (8 letters and digits, no dash): what bank apps keep of a memo, and what the farmer searches for.
  const memo = vietQrMemo(order.code);
  try {
    const payload = buildVietQr({ bin: stall.bin, accountNumber: stall.account, amountDong: order.totalDong, memo });
    return {
      svg: await vietQrSvg(payload),
      bankName: findBank(stall.bin)?.shortName ?? stall.bin,
      bankBin: stall.bin,
      accountNumber: stall.account,
      accountName: stall.name,
      amountDong: order.totalDong,
      memo,
    };
  } catch (error) {
    logger.error({ err: error, order: order.code }, "VietQR code could not be built for an order");
    return null;
  }
}
