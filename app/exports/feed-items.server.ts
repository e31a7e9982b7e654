/**
 * The listings every export reads, in keyset batches: listings on sale
 * (active, sold out) of published stalls, ordered by (stall slug, listing
 * position, listing id) — a stall's listings in the stall page's order, and
 * a commune's or a province's as its stalls' feeds one after the other.
 *
 * Each batch is one short query (photos and certificates aggregated into
 * it), starting after the last row of the batch before: no
 * transaction and no cursor is held between batches, so a province export
 * never holds the embedded engine's one connection or one of the pool's ten
 * for longer than a query (ADR 023). The price is that a listing changed
 * between two batches is read as it is when its batch is read.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ExportCertificate, ExportListing, ExportPhoto } from "./item";
import { isUuid } from "~/utils/db-errors.server";
import type { Database } from "~/utils/db.server";
import { rowsOf } from "#db/client";

/** What an export covers: one stall's listings, or those of every stall of a commune or a province. */
export type ExportScope =
  { kind: "stall"; stallId: string } | { kind: "commune"; code: string } | { kind: "province"; code: string };

export interface BatchOptions {
  /** yyyy-mm-dd in Vietnam: certificates that start later are not claimed yet. */
  today: string;
  /** Listings per batch (and per query). */
  batchSize?: number;
}

/** Where the next batch starts: after this (stall slug, position, id). */
export interface Key {
  slug: string;
  position: number;
  id: string;
}

function scopeCondition(scope: ExportScope): SQL {
  switch (scope.kind) {
    case "stall":
      return sql`l.stall_id = ${scope.stallId}::uuid`;
    case "commune":
      return sql`h.commune_code = ${scope.code}`;
    case "province":
      return sql`h.province_code = ${scope.code}`;
  }
}

function after(scope: ExportScope, key: Key | null): SQL {
  if (!key) return sql``;
  // One stall: its slug is the same on every row, so the key is (position, id);
  // the redundant `position >=` lets the index on (stall_id, status, position) start there.
  if (scope.kind === "stall") {
    return sql`AND l.position >= ${key.position}::integer
      AND (l.position, l.id) > (${key.position}::integer, ${key.id}::uuid)`;
  }
  // Several stalls: the redundant `slug >=` lets the planner start the walk of
  // stalls by slug where the last batch ended.
  return sql`AND s.slug >= ${key.slug}::text
    AND (s.slug, l.position, l.id) > (${key.slug}::text, ${key.position}::integer, ${key.id}::uuid)`;
}

/** A row as the batch query gives it (photos and certificates as JSON arrays). */
interface Row extends Omit<ExportListing, "updatedAt" | "stall" | "status" | "photos" | "certifications"> {
  status: string;
  updatedAtMs: number;
  photos: ExportPhoto[];
  certifications: ExportCertificate[];
  stallId: string;
  stallSlug: string;
  stallName: string;
  communeCode: string;
  communeName: string;
  provinceCode: string;
  provinceName: string;
}

/**
 * One batch after `key`: the listings with their stall and its place, each
 * with its photos (cover first) and certificates as JSON, in one query. Read
 * without the ORM's row mapping, which cost a province export more than
 * building its XML; dates come as text, the timestamp as epoch milliseconds,
 * so both drivers give the same values. (Exported for its query plan's test.)
 */
export function listingRows(scope: ExportScope, key: Key | null, limit: number, today: string): SQL {
  return sql`
    SELECT l.id, l.slug, l.title, l.description, l.category, l.unit,
      l.price_dong AS "priceDong", l.min_order_qty AS "minOrderQty", l.made_to_order AS "madeToOrder",
      l.stock_qty AS "stockQty", l.available_from::text AS "availableFrom", l.available_until::text AS "availableUntil",
      l.preorder, l.preorder_capacity AS "preorderCapacity", l.status::text AS status,
      l.lead_time_days AS "leadTimeDays", l.weight_grams AS "weightGrams", l.package_length_cm AS "packageLengthCm",
      l.package_width_cm AS "packageWidthCm", l.package_height_cm AS "packageHeightCm", l.position,
      (extract(epoch FROM l.updated_at) * 1000)::float8 AS "updatedAtMs",
      s.id AS "stallId", s.slug AS "stallSlug", s.name AS "stallName",
      c.code AS "communeCode", c.full_name AS "communeName", p.code AS "provinceCode", p.full_name AS "provinceName",
      coalesce((
        SELECT json_agg(json_build_object('hash', m.hash, 'widths', m.widths, 'width', m.width, 'height', m.height)
          ORDER BY lp.position, lp.media_id)
        FROM listing_photos lp JOIN media_assets m ON m.id = lp.media_id
        WHERE lp.listing_id = l.id), '[]'::json) AS photos,
      -- Expired certificates stay (readiness warns about them); those not started yet are no claim yet.
      coalesce((
        SELECT json_agg(json_build_object('type', lc.type, 'number', lc.number, 'issuer', lc.issuer,
            'ocopStars', lc.ocop_stars, 'validFrom', lc.valid_from::text, 'validUntil', lc.valid_until::text)
          ORDER BY lc.type, lc.valid_until, lc.id)
        FROM listing_certifications lc
        WHERE lc.listing_id = l.id AND (lc.valid_from IS NULL OR lc.valid_from <= ${today}::date)), '[]'::json)
        AS certifications
    FROM listings l
      JOIN stalls s ON s.id = l.stall_id
      JOIN households h ON h.id = s.household_id
      JOIN communes c ON c.code = h.commune_code
      JOIN provinces p ON p.code = h.province_code
    WHERE ${scopeCondition(scope)} AND s.status = 'published' AND l.status IN ('active', 'sold_out') ${after(scope, key)}
    ORDER BY s.slug, l.position, l.id
    LIMIT ${limit}::integer`;
}

/**
 * The scope's listings on sale, `batchSize` at a time, in (stall slug,
 * position, id) order, each with its photos (cover first) and certificates.
 * Nothing for an unknown or unpublished stall.
 */
export async function* exportListingBatches(
  db: Database,
  scope: ExportScope,
  { today, batchSize = 500 }: BatchOptions,
): AsyncGenerator<ExportListing[]> {
  if (scope.kind === "stall" && !isUuid(scope.stallId)) return;
  const limit = Math.max(1, Math.trunc(batchSize));
  let key: Key | null = null;
  for (;;) {
    const rows = rowsOf(await db.execute(listingRows(scope, key, limit, today))) as unknown as Row[];
    if (rows.length === 0) return;
    // Written out field by field: an object rest/spread here cost more than all of a feed's XML.
    yield rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      description: r.description,
      category: r.category,
      unit: r.unit,
      priceDong: r.priceDong,
      minOrderQty: r.minOrderQty,
      madeToOrder: r.madeToOrder,
      stockQty: r.stockQty,
      availableFrom: r.availableFrom,
      availableUntil: r.availableUntil,
      preorder: r.preorder,
      preorderCapacity: r.preorderCapacity,
      status: r.status === "sold_out" ? "sold_out" : "active",
      leadTimeDays: r.leadTimeDays,
      weightGrams: r.weightGrams,
      packageLengthCm: r.packageLengthCm,
      packageWidthCm: r.packageWidthCm,
      packageHeightCm: r.packageHeightCm,
      position: r.position,
      updatedAt: new Date(r.updatedAtMs),
      photos: r.photos,
      certifications: r.certifications,
      stall: {
        id: r.stallId,
        slug: r.stallSlug,
        name: r.stallName,
        communeCode: r.communeCode,
        communeName: r.communeName,
        provinceCode: r.provinceCode,
        provinceName: r.provinceName,
      },
    }));
    if (rows.length < limit) return;
    const last = rows.at(-1)!;
    key = { slug: last.stallSlug, position: last.position, id: last.id };
  }
}
