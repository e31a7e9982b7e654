/**
 * Reading orders and moving them through their life (state-machine.ts).
 *
 * Access: every function is scoped. A seller passes their stall's id, a buyer
 * their user id (or, for a guest, the order code they were given: codes are
 * random and hard to guess; or the order the guest proved to be theirs). An
 * order outside the scope is "not_found" (answer 404), whether or not it exists.
 */
import { and, asc, desc, eq, getTableColumns, lt, sql } from "drizzle-orm";
import { unionAll } from "drizzle-orm/pg-core";
import {
  checkouts,
  orderEvents,
  orderItems,
  orders,
  stalls,
  type Order,
  type OrderEvent,
  type OrderItem,
} from "#db/schema";
import { CANCEL_REASON_MAX } from "./cancel-reasons";
import { normalizeCode } from "./codes";
import { OrderError } from "./errors";
import type { DeliveredPayment, OnDelivered } from "./payment-ports";
import { transition, type ActorRole, type OrderStatusCode } from "./state-machine";
import { release } from "./stock.server";
import { notifyStatusChanged } from "./notify.server";
import { isUuid } from "~/utils/db-errors.server";
import { isTimestampText } from "~/utils/cursor";
import type { Database, Tx } from "#db/client";
import { oneLine } from "~/utils/text";

export { CANCEL_REASON_MAX };

/** Which orders the caller may see or change. */
export type OrderScope =
  /** The farmer (or an officer for the household): only this stall's orders. */
  | { stallId: string }
  /** A signed-in buyer: only their orders. */
  | { buyerUserId: string }
  /** Whoever holds the code (guest buyer's order page); reading only. */
  | { byCode: true }
  /**
   * A guest who proved on the order page that they placed this order (the
   * phone number used at checkout, or the checkout link): this order only,
   * and only as its buyer.
   */
  | { guestOrderId: string }
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
  } else if ("guestOrderId" in scope) {
    if (!isUuid(scope.guestOrderId)) return null;
    conditions.push(eq(orders.id, scope.guestOrderId));
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

/**
 * The farmer's order list in to-do order: new orders (to confirm) first, then
 * those in progress, then the finished ones; newest first inside each group.
 */
export const STALL_ORDER_GROUPS = [
  { id: "new", statuses: ["placed"] },
  { id: "inProgress", statuses: ["confirmed", "packed", "shipped", "ready_for_pickup"] },
  { id: "done", statuses: ["delivered", "completed", "cancelled"] },
] as const satisfies readonly { id: string; statuses: readonly OrderStatusCode[] }[];
export type StallOrderGroup = (typeof STALL_ORDER_GROUPS)[number]["id"];

export const STALL_ORDERS_PAGE_SIZE = 30;

export interface StallOrdersPage {
  orders: (Order & { group: StallOrderGroup })[];
  /** Cursor of the next page, null on the last one. */
  next: string | null;
  /** This page starts at the top of the list (no cursor, or one that is not ours). */
  first: boolean;
}

/** Where a page ends: the last row's group (its index), creation time (the database's own text, microseconds) and id. */
interface StallOrdersCursor {
  g: number;
  t: string;
  i: string;
}

function encodeStallOrdersCursor(cursor: StallOrdersCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** The cursor's position, or null for anything we did not write (then the list starts at the top). */
function decodeStallOrdersCursor(raw: string | null | undefined): StallOrdersCursor | null {
  if (!raw || raw.length > 200 || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return null;
    const { g, t, i } = parsed as Record<string, unknown>;
    if (!Number.isInteger(g) || (g as number) < 0 || (g as number) >= STALL_ORDER_GROUPS.length) return null;
    if (typeof t !== "string" || t.length > 40 || !isTimestampText(t) || !isUuid(i)) return null;
    return { g: g as number, t, i };
  } catch {
    return null;
  }
}

/**
 * One page of a stall's orders in to-do order (STALL_ORDER_GROUPS), keyset
 * paginated: `after` is the opaque cursor of the previous page; one that is
 * not ours gives the first page. Each status is its own range of the index
 * orders_stall_status_idx (stall_id, status, created_at), read newest first
 * and at most one page long, so a page costs the same however many orders
 * the stall has had. An order that changes group between two pages may show
 * on both, or on neither (it moved above the cursor); the list is a to-do
 * list, and the next visit starts again from the top.
 */
export async function listStallOrders(
  db: Database,
  { stallId, after, limit = STALL_ORDERS_PAGE_SIZE }: { stallId: string; after?: string | null; limit?: number },
): Promise<StallOrdersPage> {
  if (!isUuid(stallId)) return { orders: [], next: null, first: true };
  const rows = await stallOrdersQuery(db, { stallId, after, limit });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    orders: page.map(({ rank, createdAtText: _text, ...order }) => ({ ...order, group: STALL_ORDER_GROUPS[rank].id })),
    next:
      rows.length > limit && last ? encodeStallOrdersCursor({ g: last.rank, t: last.createdAtText, i: last.id }) : null,
    first: !decodeStallOrdersCursor(after),
  };
}

/**
 * The SELECT of one page, a row more than asked (so we know a next page
 * exists): one branch per status still ahead of the cursor, merged in to-do
 * order. Exported so a test can EXPLAIN exactly what the list runs.
 */
export function stallOrdersQuery(
  db: Database,
  { stallId, after, limit = STALL_ORDERS_PAGE_SIZE }: { stallId: string; after?: string | null; limit?: number },
) {
  const cursor = decodeStallOrdersCursor(after);
  const branches = STALL_ORDER_GROUPS.flatMap((group, rank) => {
    if (cursor && rank < cursor.g) return [];
    const afterCursor =
      cursor && rank === cursor.g
        ? // created_at <= t is the part the index serves; the id breaks ties of the same instant.
          sql`(${orders.createdAt} <= ${cursor.t}::timestamptz AND (${orders.createdAt} < ${cursor.t}::timestamptz OR ${orders.id} < ${cursor.i}::uuid))`
        : undefined;
    return group.statuses.map((status) =>
      db
        .select({
          ...getTableColumns(orders),
          rank: sql<number>`${rank}::int`.as("rank"),
          createdAtText: sql<string>`${orders.createdAt}::text`.as("created_at_text"),
        })
        .from(orders)
        .where(and(eq(orders.stallId, stallId), eq(orders.status, status), afterCursor))
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit + 1),
    );
  });
  const [first, second, ...rest] = branches;
  if (!second) return first;
  return unionAll(first, second, ...rest)
    .orderBy(asc(sql`"rank"`), desc(orders.createdAt), desc(orders.id))
    .limit(limit + 1);
}

/** How many orders the stall has in each group (the list's headings). */
export async function countStallOrders(db: Database, stallId: string): Promise<Record<StallOrderGroup, number>> {
  const counts = { new: 0, inProgress: 0, done: 0 } satisfies Record<StallOrderGroup, number>;
  if (!isUuid(stallId)) return counts;
  const rows = await db
    .select({ status: orders.status, count: sql<number>`count(*)::int` })
    .from(orders)
    .where(eq(orders.stallId, stallId))
    .groupBy(orders.status);
  for (const { status, count } of rows) {
    const group = STALL_ORDER_GROUPS.find((g) => (g.statuses as readonly OrderStatusCode[]).includes(status));
    if (group) counts[group.id] += count;
  }
  return counts;
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

interface StatusChangeOf {
  order: OrderRef;
  /** A farmer/officer passes { stallId }, a buyer { buyerUserId } (a guest { guestOrderId }), a job { system: true }. */
  scope: Exclude<OrderScope, { byCode: true }>;
  actor: { role: ActorRole; userId?: string | null };
  /** Required when a farmer or officer cancels; shown to the buyer. */
  reason?: string | null;
}

/**
 * A change that may deliver the order (`to` is "delivered", or not known
 * until run time) must say what delivering means for the payment:
 * `onDelivered`, app/payments' recordCashOnDelivery.
 */
export type StatusChange = StatusChangeOf &
  (
    | { to: Exclude<OrderStatusCode, "delivered">; onDelivered?: OnDelivered }
    | { to: OrderStatusCode; onDelivered: OnDelivered }
  );

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
  // The scope must fit the actor: a buyer cannot pass a stall, a farmer cannot act as the system,
  // and a guest has no account to name in the timeline.
  const fits =
    ("stallId" in scope && (actor.role === "farmer" || actor.role === "officer")) ||
    ("buyerUserId" in scope && actor.role === "buyer") ||
    ("guestOrderId" in scope && actor.role === "buyer" && !actor.userId) ||
    ("system" in scope && actor.role === "system");
  if (!fits) throw new OrderError("forbidden");
  const reason = oneLine(change.reason);
  if (reason.length > CANCEL_REASON_MAX)
    throw new OrderError("invalid_input", { fields: { reason: "fields.reason.tooLong" } });
  const where = whereOrder(change.order, scope);
  if (!where) throw new OrderError("not_found");

  const result = await db.transaction(async (tx) => {
    const [current] = await tx.select().from(orders).where(where);
    if (!current) throw new OrderError("not_found");
    if (current.status === to) return { order: current, changed: false };
    const verdict = transition(current.status, to, actor.role, { deliveryMethod: current.deliveryMethod, reason });
    if (!verdict.ok && current.status === "cancelled") {
      throw new OrderError(verdict.refusal, { cancelledBy: await whoCancelled(tx, current.id) });
    }
    if (!verdict.ok) throw new OrderError(verdict.refusal);

    const [updated] = await tx
      .update(orders)
      .set({ status: to, ...(to === "cancelled" ? { cancelReason: reason || null } : {}) })
      .where(and(eq(orders.id, current.id), eq(orders.status, current.status)))
      .returning();
    if (!updated) throw new OrderError("conflict");
    // Delivering a cash-on-delivery order is the cash changing hands: recorded as paid, on the same timeline row.
    let cash: DeliveredPayment | null = null;
    if (to === "delivered") {
      if (!change.onDelivered) throw new Error("delivering an order needs onDelivered (app/payments)");
      cash = await change.onDelivered(tx, updated, actor);
    }
    await tx.insert(orderEvents).values({
      orderId: current.id,
      actorUserId: actor.userId ?? null,
      actorRole: actor.role,
      fromStatus: current.status,
      toStatus: to,
      ...(cash ? { paymentStatus: cash.paymentStatus, amountDong: cash.amountDong } : {}),
      note: reason,
    });
    if (to === "cancelled") await releaseOrderStock(tx, current.id);
    return {
      order: cash ? { ...updated, paymentStatus: cash.paymentStatus, paidAt: cash.paidAt } : updated,
      changed: true,
    };
  });

  if (result.changed) {
    await notifyStatusChanged(db, { orderId: result.order.id, to, actor: actor.role, reason });
  }
  return result;
}

/** Who cancelled the order (its timeline's cancelling row), for a refusal that says so. */
async function whoCancelled(tx: Tx, orderId: string): Promise<OrderError["cancelledBy"]> {
  const [row] = await tx
    .select({ role: orderEvents.actorRole })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, "cancelled")))
    .orderBy(desc(orderEvents.at))
    .limit(1);
  return row?.role ?? "system";
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
 *
 * What the buyer paid decides (expiresUnconfirmed, checked again with the
 * order locked, so a payment landing meanwhile is seen):
 * - nothing, or a VietQR transfer to the farmer not marked received: cancelled;
 * - an online payment under way (VNPay/Stripe, payment "pending"): left to the
 *   payment job (payments.expire-attempts), which cancels the order if the
 *   payment is abandoned; once paid, the next rule applies;
 * - paid online (the platform, or Stripe for the farmer, holds the money):
 *   cancelled, and the job that called this refunds it (app/jobs/orders-expiry);
 * - paid to the farmer (VietQR marked received): left alone, the farmer has
 *   the buyer's money and only they can give it back.
 */
export async function cancelExpiredOrders(
  db: Database,
  { placedBefore, reason }: { placedBefore: Date; reason: string },
): Promise<string[]> {
  const stale = await staleOrdersQuery(db, placedBefore);
  const cancelled: string[] = [];
  for (const { id, code } of stale) {
    try {
      const changed = await db.transaction(async (tx) => {
        const [order] = await tx.select().from(orders).where(eq(orders.id, id)).for("update");
        if (!order || order.status !== "placed" || !expiresUnconfirmed(order)) return false;
        const result = await changeOrderStatus(tx as unknown as Database, {
          order: { orderId: id },
          scope: { system: true },
          to: "cancelled",
          actor: { role: "system" },
          reason,
        });
        return result.changed;
      });
      if (changed) cancelled.push(code);
    } catch (error) {
      if (!(error instanceof OrderError)) throw error;
    }
  }
  return cancelled;
}

/** Orders still "placed" since before `placedBefore`. Exported so a test can EXPLAIN exactly what the job runs. */
export function staleOrdersQuery(db: Database, placedBefore: Date) {
  return db
    .select({ id: orders.id, code: orders.code })
    .from(orders)
    .where(and(eq(orders.status, "placed"), lt(orders.createdAt, placedBefore)));
}

const PAID_ONLINE = ["vnpay", "stripe"];

/** Whether an unconfirmed order past its deadline is the clock's to cancel, given its payment (see above). */
export function expiresUnconfirmed(order: Pick<Order, "paymentMethod" | "paymentStatus">): boolean {
  const online = PAID_ONLINE.includes(order.paymentMethod);
  switch (order.paymentStatus) {
    case "unpaid":
    case "refunded":
      return true;
    case "pending":
      return !online;
    case "paid":
    case "partially_refunded":
      return online;
  }
}
