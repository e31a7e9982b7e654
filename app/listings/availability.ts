/**
 * What a buyer can do today about a listing on sale, and the words each
 * marketplace uses for it. One rule for the product page's JSON-LD, the feeds
 * and the marketplace files (app/exports), so they agree at every moment.
 * Browser-safe.
 */

/**
 * What a buyer can do today, before any marketplace's words for it:
 * - out_of_stock: sold out;
 * - preorder: orders taken before the harvest (date: its first day, when known);
 * - made_to_order: made after the order (date: today + lead time, when known);
 * - in_stock: anything else on sale.
 */
export type Availability =
  | { kind: "in_stock" }
  | { kind: "out_of_stock" }
  | { kind: "preorder"; date: string | null }
  | { kind: "made_to_order"; date: string | null };

export interface AvailabilityFields {
  status: string;
  preorder: boolean;
  madeToOrder: boolean;
  stockQty: number;
  availableFrom: string | null;
  leadTimeDays: number | null;
}

/**
 * A pre-order listing is a pre-order until its harvest starts and while it
 * has nothing in stock (only pre-order capacity). `today` is yyyy-mm-dd in
 * Vietnam, so availability changes overnight without any write.
 */
export function availabilityOf(listing: AvailabilityFields, today: string): Availability {
  if (listing.status === "sold_out") return { kind: "out_of_stock" };
  if (listing.preorder) {
    const notHarvestedYet = listing.availableFrom !== null && listing.availableFrom > today;
    const onlyCapacity = !listing.madeToOrder && listing.stockQty <= 0;
    if (notHarvestedYet || onlyCapacity) return { kind: "preorder", date: listing.availableFrom };
  }
  if (listing.madeToOrder) {
    return {
      kind: "made_to_order",
      date: listing.leadTimeDays !== null ? addDays(today, listing.leadTimeDays) : null,
    };
  }
  return { kind: "in_stock" };
}

/** yyyy-mm-dd plus whole days (calendar arithmetic, no time zone involved). */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Google Merchant Center: `in_stock` `out_of_stock` `preorder` `backorder` (the last two with a date). */
export function googleAvailability(a: Availability): {
  value: "in_stock" | "out_of_stock" | "preorder" | "backorder";
  date: string | null;
} {
  switch (a.kind) {
    case "in_stock":
      return { value: "in_stock", date: null };
    case "out_of_stock":
      return { value: "out_of_stock", date: null };
    case "preorder":
      return { value: "preorder", date: a.date };
    case "made_to_order":
      // Backorder needs a date; without a known lead time it is simply orderable.
      return a.date ? { value: "backorder", date: a.date } : { value: "in_stock", date: null };
  }
}

/** Meta's words (with spaces): made to order is "available for order". */
export function metaAvailability(a: Availability): "in stock" | "out of stock" | "preorder" | "available for order" {
  switch (a.kind) {
    case "in_stock":
      return "in stock";
    case "out_of_stock":
      return "out of stock";
    case "preorder":
      return "preorder";
    case "made_to_order":
      return "available for order";
  }
}

/** schema.org's, as Google's: what the product page's JSON-LD says, matching the Google feed. */
export function schemaOrgAvailability(a: Availability): {
  value: "InStock" | "OutOfStock" | "PreOrder" | "BackOrder";
  date: string | null;
} {
  const google = googleAvailability(a);
  const value = (
    { in_stock: "InStock", out_of_stock: "OutOfStock", preorder: "PreOrder", backorder: "BackOrder" } as const
  )[google.value];
  return { value, date: google.date };
}

/** ISO 8601 with Vietnam's offset: the start of that day in Hà Nội. */
export const vietnamDayStart = (isoDate: string) => `${isoDate}T00:00+07:00`;
