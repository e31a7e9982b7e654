/**
 * What the order pages show next to an order (orders.server.ts gives the order
 * itself): the stall's phone for the call button, the names of the delivery
 * commune and province, the stalls of a checkout's orders, one line per order
 * summing up its items. Read-only; call only for orders already checked
 * against the caller's scope.
 */
import { asc, eq, inArray } from "drizzle-orm";
import { communes, households, orderItems, provinces, stalls, users, type Order } from "#db/schema";
import type { Database } from "~/utils/db.server";

/**
 * The stall's number for "Gọi người bán" (the household's, else its owner's,
 * as notifications use) and where pickup orders are collected.
 */
export async function stallContact(
  db: Database,
  stallId: string,
): Promise<{ phone: string | null; pickupAddress: string }> {
  const [row] = await db
    .select({ householdPhone: households.phone, ownerPhone: users.phone, pickupAddress: stalls.pickupAddress })
    .from(stalls)
    .innerJoin(households, eq(households.id, stalls.householdId))
    .leftJoin(users, eq(users.id, households.ownerUserId))
    .where(eq(stalls.id, stallId));
  return { phone: row?.householdPhone ?? row?.ownerPhone ?? null, pickupAddress: row?.pickupAddress ?? "" };
}

/** "Số 5, thôn Phú Lương, Xã Thanh Hà, Thành phố Hải Phòng"; empty for pickup. */
export async function deliveryAddress(
  db: Database,
  order: Pick<Order, "deliveryMethod" | "addressLine" | "communeCode" | "provinceCode">,
  lng: string,
): Promise<string> {
  if (order.deliveryMethod === "pickup" || !order.communeCode) return "";
  const [row] = await db
    .select({
      commune: communes.fullName,
      communeEn: communes.fullNameEn,
      province: provinces.fullName,
      provinceEn: provinces.fullNameEn,
    })
    .from(communes)
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
    .where(eq(communes.code, order.communeCode));
  const places = row ? (lng === "en" ? [row.communeEn, row.provinceEn] : [row.commune, row.province]) : [];
  return [order.addressLine, ...places].filter(Boolean).join(", ");
}

/** The order as both order pages show it: its status, who ordered, where it goes, what it costs. */
export async function orderForPage(db: Database, order: Order, lng: string) {
  return {
    code: order.code,
    status: order.status,
    createdAt: order.createdAt,
    buyerName: order.buyerName,
    buyerPhone: order.buyerPhone,
    deliveryMethod: order.deliveryMethod,
    address: await deliveryAddress(db, order, lng),
    buyerNote: order.buyerNote,
    subtotalDong: order.subtotalDong,
    deliveryFeeDong: order.deliveryFeeDong,
    totalDong: order.totalDong,
    paymentMethod: order.paymentMethod,
    cancelReason: order.cancelReason,
  };
}

/** Stall names by id, for listing a checkout's orders. */
export async function stallNames(db: Database, stallIds: string[]): Promise<Map<string, string>> {
  if (stallIds.length === 0) return new Map();
  const rows = await db
    .select({ id: stalls.id, name: stalls.name })
    .from(stalls)
    .where(inArray(stalls.id, [...new Set(stallIds)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface ItemLine {
  title: string;
  qty: number;
  unit: string;
}

/** Each order's items (title, quantity, unit), by order id, for the seller's list. */
export async function itemsByOrder(db: Database, orderIds: string[]): Promise<Map<string, ItemLine[]>> {
  const byOrder = new Map<string, ItemLine[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db
    .select({ orderId: orderItems.orderId, title: orderItems.title, qty: orderItems.qty, unit: orderItems.unit })
    .from(orderItems)
    .where(inArray(orderItems.orderId, orderIds))
    .orderBy(asc(orderItems.title));
  for (const { orderId, ...line } of rows) {
    const lines = byOrder.get(orderId) ?? [];
    lines.push(line);
    byOrder.set(orderId, lines);
  }
  return byOrder;
}
