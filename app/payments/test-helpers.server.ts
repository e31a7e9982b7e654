/**
 * Data for the payment tests: real checkouts (placeCheckout) whose orders are
 * then given the payment method under test — checkout offers cash only until
 * the payment pages exist — and notifications as a provider would hand them
 * over once verified (the domain is what is tested here, not the signatures).
 */
import { eq, inArray } from "drizzle-orm";
import {
  ledgerEntries,
  orderEvents,
  orders,
  paymentAttemptOrders,
  paymentAttempts,
  type PaymentMethod,
} from "#db/schema";
import type { PaymentNotification, ProviderId } from "./provider";
import { placeCheckout, type PlacedCheckout } from "~/orders/checkout.server";
import { createActiveListing, pickupCheckout } from "~/orders/test-helpers.server";
import type { Database } from "~/utils/db.server";

export interface Line {
  stallId: string;
  method: PaymentMethod;
  /** Unit price (đồng); the order total is price × qty (picked up: no delivery fee). */
  priceDong?: number;
  qty?: number;
  stockQty?: number;
}

/** One checkout with one order per line's stall, each order paid by its line's method. */
export async function placeWith(db: Database, lines: Line[]) {
  const listings = [];
  for (const line of lines) {
    listings.push(
      await createActiveListing(db, line.stallId, {
        priceDong: line.priceDong ?? 45_000,
        stockQty: line.stockQty ?? 100,
      }),
    );
  }
  const placed: PlacedCheckout = await placeCheckout(
    db,
    pickupCheckout(listings.map((listing, i) => ({ listing, qty: lines[i].qty ?? 1 }))),
  );
  for (const line of lines) {
    const order = placed.orders.find((o) => o.stallId === line.stallId)!;
    if (line.method !== "cod") {
      await db.update(orders).set({ paymentMethod: line.method }).where(eq(orders.id, order.id));
    }
  }
  const rows = await db
    .select()
    .from(orders)
    .where(
      inArray(
        orders.id,
        placed.orders.map((o) => o.id),
      ),
    );
  const byStall = (stallId: string) => rows.find((o) => o.stallId === stallId)!;
  return { checkoutCode: placed.checkoutCode, orders: rows, byStall, listings };
}

let eventSeq = 0;

/** A verified notification for the attempt's provider reference; override what the case needs. */
export function notification(
  provider: ProviderId,
  providerRef: string,
  overrides: Partial<PaymentNotification> = {},
): PaymentNotification {
  return {
    provider,
    eventId: `evt_test_${process.pid}_${++eventSeq}`,
    providerRef,
    outcome: "succeeded",
    amountDong: 0,
    currency: "VND",
    transactionRef: `txn_${eventSeq}`,
    raw: { test: true, seq: eventSeq },
    ...overrides,
  };
}

export const orderRow = async (db: Database, id: string) =>
  (await db.select().from(orders).where(eq(orders.id, id)))[0];

export const attemptRow = async (db: Database, id: string) =>
  (await db.select().from(paymentAttempts).where(eq(paymentAttempts.id, id)))[0];

export const ledgerOf = (db: Database, orderId: string) =>
  db.select().from(ledgerEntries).where(eq(ledgerEntries.orderId, orderId));

/** The order's payment rows of the timeline (those that carry a payment status). */
export async function paymentRows(db: Database, orderId: string) {
  const rows = await db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId));
  return rows
    .filter((r) => r.paymentStatus !== null)
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((r) => ({
      paymentStatus: r.paymentStatus,
      amountDong: r.amountDong,
      actorRole: r.actorRole,
      fromStatus: r.fromStatus,
      toStatus: r.toStatus,
    }));
}

/** Every payment attempt of an order, whatever its state. */
export const attemptsOfOrder = (db: Database, orderId: string) =>
  db
    .select({ attempt: paymentAttempts })
    .from(paymentAttempts)
    .innerJoin(paymentAttemptOrders, eq(paymentAttemptOrders.attemptId, paymentAttempts.id))
    .where(eq(paymentAttemptOrders.orderId, orderId))
    .then((rows) => rows.map((r) => r.attempt));
