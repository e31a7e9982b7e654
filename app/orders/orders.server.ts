/**
 * Reading orders and moving them through their life (state-machine.ts).
 *
 * Access: every function is scoped. A seller passes their stall's id, a buyer
 * their user id (or, for a guest, the order code they were given: codes are
 * random and hard to guess). An order outside the scope is "not_found"
 * (answer 404), whether or not it exists.
 */
import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import {
  checkouts,
  orderEvents,
  orderItems,
  orders,
  stalls,
  type Order,
  type OrderEvent,
  type OrderItem,
} from "../../db/schema";
import { normalizeCode } from "./codes";
import { OrderError } from "./errors";
import { transition, type ActorRole, type OrderStatusCode } from "./state-machine";
import { release, type Tx } from "./stock.server";
import { notifyStatusChanged } from "~/notifications/orders.server";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";

export const CANCEL_REASON_MAX = 300;

/** Which orders the caller may see or change. */
export type OrderScope =
  /** The farmer (or an officer for the household): only this stall's orders. */
  | { stallId: string }
  /** A signed-in buyer: only their orders. */
  | { buyerUserId: string }
  /** Whoever holds the code (guest buyer's order page); reading only. */
  | { byCode: true }
  /** Jobs (expiry, completion). */
  | { system: true };

export type OrderRef = { orderCode: string } | { orderId: string };

export interface OrderDetails {
  order: Order;
  stallName: string;
  stallSlug: string;
  items: OrderItem[];
  /** Oldest first. */
  timeline: OrderEvent[];
}

function whereOrder(ref: OrderRef, scope: OrderScope) {
  const conditions = [];
  if ("orderCode" in ref) {
    const code = normalizeCode(ref.orderCode);
    if (!code) return null;
    conditions.push(eq(orders.code, code));
  } else {
    if (!isUuid(ref.orderId)) return null;
    conditions.push(eq(orders.id, ref.orderId));
  }
  if ("stallId" in scope) {
    if (!isUuid(scope.stallId)) return null;
    conditions.push(eq(orders.stallId, scope.stallId));
  } else if ("buyerUserId" in scope) {
    if (!isUuid(scope.buyerUserId)) return null;
    conditions.push(eq(orders.buyerUserId, scope.buyerUserId));
  } else if ("byCode" in scope && !("orderCode" in ref)) {
    return null;
  }
  return and(...conditions);
}

/** The order with its items and timeline, or null (not found, or not the caller's). */
export async function getOrder(db: Database, ref: OrderRef, scope: OrderScope): Promise<OrderDetails | null> {
  const where = whereOrder(ref, scope);
  if (!where) return null;
  const [row] = await db
    .select({ order: orders, stallName: stalls.name, stallSlug: stalls.slug })
    .from(orders)
    .innerJoin(stalls, eq(stalls.id, orders.stallId))
    .where(where);
  if (!row) return null;
  const [items, timeline] = await Promise.all([
    db.select().from(orderItems).where(eq(orderItems.orderId, row.order.id)).orderBy(asc(orderItems.title)),
    orderTimeline(db, row.order.id),
  ]);
  return { ...row, items, timeline };
}

/** Timeline rows of an order, oldest first. Call only for an order already checked against the caller's scope. */
export function orderTimeline(db: Database, orderId: string): Promise<OrderEvent[]> {
  return db
    .select()
    .from(orderEvents)
    .where(eq(orderEvents.orderId, orderId))
    .orderBy(asc(orderEvents.at), sql`CASE WHEN ${orderEvents.fromStatus} IS NULL THEN 0 ELSE 1 END`);
}

/** All orders of a checkout the buyer may see (by checkout code: the confirmation page). */
export async function getCheckoutOrders(db: Database, checkoutCode: string): Promise<Order[]> {
  const code = normalizeCode(checkoutCode);
  if (!code) return [];
  return db
    .select({ order: orders })
    .from(orders)
    .innerJoin(checkouts, eq(checkouts.id, orders.checkoutId))
    .where(eq(checkouts.code, code))
    .orderBy(asc(orders.createdAt), asc(orders.code))
    .then((rows) => rows.map((r) => r.order));
}

/** A stall's orders, newest first, optionally of some statuses (the seller's order list). */
export async function listStallOrders(
  db: Database,
  { stallId, statuses, limit = 50 }: { stallId: string; statuses?: readonly OrderStatusCode[]; limit?: number },
): Promise<Order[]> {
  if (!isUuid(stallId)) return [];
  const conditions = [eq(orders.stallId, stallId)];
  if (statuses?.length) conditions.push(inArray(orders.status, [...statuses]));
  return db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit);
}

/** A signed-in buyer's orders, newest first, with the stall's name. */
export async function listBuyerOrders(
  db: Database,
  { buyerUserId, limit = 50 }: { buyerUserId: string; limit?: number },
): Promise<(Order & { stallName: string })[]> {
  if (!isUuid(buyerUserId)) return [];
  const rows = await db
    .select({ order: orders, stallName: stalls.name })
    .from(orders)
    .innerJoin(stalls, eq(stalls.id, orders.stallId))
    .where(eq(orders.buyerUserId, buyerUserId))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.order, stallName: r.stallName }));
}

export interface StatusChange {
  order: OrderRef;
  /** A farmer/officer passes { stallId }, a buyer { buyerUserId }, a job { system: true }. */
  scope: Exclude<OrderScope, { byCode: true }>;
  to: OrderStatusCode;
  actor: { role: ActorRole; userId?: string | null };
  /** Required when a farmer or officer cancels; shown to the buyer. */
  reason?: string | null;
}

/**
 * Moves the order to `to` if the state machine allows it for this actor, with
 * a timeline row in the same transaction; a cancellation gives the stock back.
 * The UPDATE is guarded by the status it was read in, so of two racing taps
 * one wins and the other gets "conflict". Asking for the status the order
 * already has changes nothing (a double tap) and returns `changed: false`.
 * Throws OrderError: not_found, illegal_transition, forbidden, reason_required, conflict, invalid_input.
 */
export async function changeOrderStatus(
  db: Database,
  change: StatusChange,
): Promise<{ order: Order; changed: boolean }> {
  const { scope, to, actor } = change;
  // The scope must fit the actor: a buyer cannot pass a stall, a farmer cannot act as the system.
  const fits =
    ("stallId" in scope && (actor.role === "farmer" || actor.role === "officer")) ||
    ("buyerUserId" in scope && actor.role === "buyer") ||
    ("system" in scope && actor.role === "system");
  if (!fits) throw new OrderError("forbidden");
  const reason = (change.reason ?? "").normalize("NFC").replace(/\s+/g, " ").trim();
  if (reason.length > CANCEL_REASON_MAX)
    throw new OrderError("invalid_input", { fields: { reason: "fields.reason.tooLong" } });
  const where = whereOrder(change.order, scope);
  if (!where) throw new OrderError("not_found");

  const result = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(orders).where(where);
    if (!current) throw new OrderError("not_found");
    if (current.status === to) return { order: current, changed: false };
    const verdict = transition(current.status, to, actor.role, { deliveryMethod: current.deliveryMethod, reason });
    if (!verdict.ok) throw new OrderError(verdict.refusal);

    const [updated] = await tx
      .update(orders)
      .set({ status: to, ...(to === "cancelled" ? { cancelReason: reason || null } : {}) })
      .where(and(eq(orders.id, current.id), eq(orders.status, current.status)))
      .returning();
    if (!updated) throw new OrderError("conflict");
    await tx.insert(orderEvents).values({
      orderId: current.id,
      actorUserId: actor.userId ?? null,
      actorRole: actor.role,
      fromStatus: current.status,
      toStatus: to,
      note: reason,
    });
    if (to === "cancelled") await releaseOrderStock(tx, current.id);
    return { order: updated, changed: true };
  });

  if (result.changed) {
    await notifyStatusChanged(db, { orderId: result.order.id, to, actor: actor.role, reason });
  }
  return result;
}

async function releaseOrderStock(tx: Tx, orderId: string) {
  const items = await tx
    .select()
    .from(orderItems)
    .where(eq(orderItems.orderId, orderId))
    .orderBy(asc(orderItems.listingId));
  for (const item of items) await release(tx, item);
}

/**
 * Cancels, as the system, orders still "placed" (not confirmed by the farmer)
 * that were placed before `placedBefore`, giving their stock back. For a
 * scheduled job; returns the codes cancelled. Each is its own change, so a
 * farmer confirming at the same moment wins or loses cleanly.
 */
export async function cancelExpiredOrders(
  db: Database,
  { placedBefore, reason }: { placedBefore: Date; reason: string },
): Promise<string[]> {
  const stale = await db
    .select({ id: orders.id, code: orders.code })
    .from(orders)
    .where(and(eq(orders.status, "placed"), lt(orders.createdAt, placedBefore)));
  const cancelled: string[] = [];
  for (const { id, code } of stale) {
    try {
      const { changed } = await changeOrderStatus(db, {
        order: { orderId: id },
        scope: { system: true },
        to: "cancelled",
        actor: { role: "system" },
        reason,
      });
      if (changed) cancelled.push(code);
    } catch (error) {
      if (!(error instanceof OrderError)) throw error;
    }
  }
  return cancelled;
}
