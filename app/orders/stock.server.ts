/**
 * Taking and giving back stock, inside the caller's transaction. Every take
 * is one guarded UPDATE (`… WHERE stock_qty >= $qty AND status = 'active'`):
 * on PostgreSQL concurrent buyers of the same listing queue on its row lock
 * and each re-checks the guard against the committed row, so at most the
 * stock is sold and it never goes negative; PGlite runs one transaction at a
 * time, which gives the same answer.
 *
 * What a purchase takes (the order item remembers it as `reservation`):
 * - made to order → nothing ("none"; the listing is still locked and checked);
 * - a pre-order before the harvest starts (preorder and available_from after
 *   today) → its remaining capacity (preorder_capacity);
 * - anything else → stock (stock_qty).
 * A listing left with nothing to sell becomes sold_out in the same UPDATE,
 * and one that gets something back on a cancellation is active again — the
 * rule updateListing applies when the farmer edits the stock.
 */
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Tx } from "#db/client";

export type Reservation = "stock" | "preorder" | "none";

export interface ReservedListing {
  id: string;
  stallId: string;
  title: string;
  unit: string;
  priceDong: number;
}

/** Whether the row, after the SET, has nothing to sell (same test as listings.server's isSellable, negated). */
const nothingLeft = (stock: SQL, capacity: SQL) =>
  sql`NOT made_to_order AND ${stock} <= 0 AND NOT (preorder AND coalesce(${capacity}, 0) > 0)`;

/** Reservation kind of a listing row as it is now (today: yyyy-mm-dd in Vietnam). */
export function reservationOf(
  l: { madeToOrder: boolean; preorder: boolean; availableFrom: string | null },
  today: string,
): Reservation {
  if (l.madeToOrder) return "none";
  if (l.preorder && l.availableFrom !== null && l.availableFrom > today) return "preorder";
  return "stock";
}

/**
 * Takes `qty` of the listing, or returns null when the guard fails (not
 * enough left, no longer active, its stall unpublished, or its kind changed
 * since it was read). The returned row is what the order must snapshot: read
 * under the row lock, so a price edited meanwhile is the one we see.
 */
export async function reserve(
  tx: Tx,
  { listingId, qty, kind, today }: { listingId: string; qty: number; kind: Reservation; today: string },
): Promise<ReservedListing | null> {
  const published = sql`EXISTS (SELECT 1 FROM stalls s WHERE s.id = listings.stall_id AND s.status = 'published')`;
  const returning = sql`RETURNING id, stall_id AS "stallId", title, unit, price_dong AS "priceDong"`;
  let statement;
  if (kind === "none") {
    statement = sql`UPDATE listings SET updated_at = updated_at
      WHERE id = ${listingId} AND status = 'active' AND made_to_order AND ${published} ${returning}`;
  } else if (kind === "preorder") {
    statement = sql`UPDATE listings SET
        preorder_capacity = preorder_capacity - ${qty},
        status = CASE WHEN ${nothingLeft(sql`stock_qty`, sql`preorder_capacity - ${qty}`)} THEN 'sold_out' ELSE status END,
        updated_at = now()
      WHERE id = ${listingId} AND status = 'active' AND NOT made_to_order AND preorder
        AND available_from > ${today}::date AND preorder_capacity >= ${qty} AND ${published} ${returning}`;
  } else {
    statement = sql`UPDATE listings SET
        stock_qty = stock_qty - ${qty},
        status = CASE WHEN ${nothingLeft(sql`stock_qty - ${qty}`, sql`preorder_capacity`)} THEN 'sold_out' ELSE status END,
        updated_at = now()
      WHERE id = ${listingId} AND status = 'active' AND NOT made_to_order
        AND NOT (preorder AND available_from IS NOT NULL AND available_from > ${today}::date)
        AND stock_qty >= ${qty} AND ${published} ${returning}`;
  }
  const rows = await tx.execute(statement);
  return (rowsOf(rows)[0] as unknown as ReservedListing | undefined) ?? null;
}

/** Gives back what an order item took. A deleted listing (null id) has nothing to give back to. */
export async function release(
  tx: Tx,
  { listingId, qty, reservation }: { listingId: string | null; qty: number; reservation: Reservation },
): Promise<void> {
  if (!listingId || reservation === "none") return;
  const wasEmpty = nothingLeft(sql`stock_qty`, sql`preorder_capacity`);
  if (reservation === "stock") {
    await tx.execute(sql`UPDATE listings SET
        stock_qty = stock_qty + ${qty},
        status = CASE WHEN status = 'sold_out' AND ${wasEmpty} THEN 'active' ELSE status END,
        updated_at = now()
      WHERE id = ${listingId}`);
  } else {
    // The farmer may have turned pre-orders off since: then there is no capacity to give back to.
    await tx.execute(sql`UPDATE listings SET
        preorder_capacity = preorder_capacity + ${qty},
        status = CASE WHEN status = 'sold_out' AND ${wasEmpty} THEN 'active' ELSE status END,
        updated_at = now()
      WHERE id = ${listingId} AND preorder AND preorder_capacity IS NOT NULL`);
  }
}
