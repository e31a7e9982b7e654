/**
 * The listings every export reads, in keyset batches: listings on sale
 * (active, sold out) of published stalls, ordered by (stall slug, listing
 * position, listing id) — a stall's listings in the stall page's order, and
 * a commune's or a province's as its stalls' feeds one after the other.
 *
 * Each batch is its own short query (then one for its photos, one for its
 * certificates), starting after the last row of the batch before: no
 * transaction and no cursor is held between batches, so a province export
 * never holds the embedded engine's one connection or one of the pool's ten
 * for longer than a query (ADR 023). The price is that a listing changed
 * between two batches is read as it is when its batch is read.
 */
import { and, asc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import {
  communes,
  households,
  listingCertifications,
  listingPhotos,
  listings,
  mediaAssets,
  provinces,
  stalls,
} from "#db/schema";
import type { ExportCertificate, ExportListing, ExportPhoto } from "./item";
import { PUBLIC_LISTING_STATUSES } from "~/listings";
import { isUuid } from "~/utils/db-errors.server";
import type { Database } from "~/utils/db.server";

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

const listingColumns = {
  id: listings.id,
  slug: listings.slug,
  title: listings.title,
  description: listings.description,
  category: listings.category,
  unit: listings.unit,
  priceDong: listings.priceDong,
  minOrderQty: listings.minOrderQty,
  madeToOrder: listings.madeToOrder,
  stockQty: listings.stockQty,
  availableFrom: listings.availableFrom,
  availableUntil: listings.availableUntil,
  preorder: listings.preorder,
  preorderCapacity: listings.preorderCapacity,
  status: listings.status,
  leadTimeDays: listings.leadTimeDays,
  weightGrams: listings.weightGrams,
  packageLengthCm: listings.packageLengthCm,
  packageWidthCm: listings.packageWidthCm,
  packageHeightCm: listings.packageHeightCm,
  position: listings.position,
  updatedAt: listings.updatedAt,
  stallId: stalls.id,
  stallSlug: stalls.slug,
  stallName: stalls.name,
  communeCode: communes.code,
  communeName: communes.fullName,
  provinceCode: provinces.code,
  provinceName: provinces.fullName,
};

function scopeCondition(scope: ExportScope): SQL | undefined {
  switch (scope.kind) {
    case "stall":
      return eq(listings.stallId, scope.stallId);
    case "commune":
      return eq(households.communeCode, scope.code);
    case "province":
      return eq(households.provinceCode, scope.code);
  }
}

function after(scope: ExportScope, key: Key | null): SQL | undefined {
  if (!key) return undefined;
  // One stall: its slug is the same on every row, so the key is (position, id);
  // the redundant `position >=` lets the index on (stall_id, status, position) start there.
  if (scope.kind === "stall") {
    return and(
      gte(listings.position, key.position),
      sql`(${listings.position}, ${listings.id}) > (${key.position}::integer, ${key.id}::uuid)`,
    );
  }
  // Several stalls: the redundant `slug >=` lets the planner start the walk of
  // stalls by slug where the last batch ended.
  return and(
    gte(stalls.slug, key.slug),
    sql`(${stalls.slug}, ${listings.position}, ${listings.id}) > (${key.slug}::text, ${key.position}::integer, ${key.id}::uuid)`,
  );
}

/** One batch of listing rows (with their stall and its place) after `key` (exported for its query plan's test). */
export function listingRows(db: Database, scope: ExportScope, key: Key | null, limit: number) {
  return db
    .select(listingColumns)
    .from(listings)
    .innerJoin(stalls, eq(stalls.id, listings.stallId))
    .innerJoin(households, eq(households.id, stalls.householdId))
    .innerJoin(communes, eq(communes.code, households.communeCode))
    .innerJoin(provinces, eq(provinces.code, households.provinceCode))
    .where(
      and(
        scopeCondition(scope),
        eq(stalls.status, "published"),
        inArray(listings.status, [...PUBLIC_LISTING_STATUSES]),
        after(scope, key),
      ),
    )
    .orderBy(asc(stalls.slug), asc(listings.position), asc(listings.id))
    .limit(limit);
}

async function photosOf(db: Database, listingIds: string[]): Promise<Map<string, ExportPhoto[]>> {
  const rows = await db
    .select({
      listingId: listingPhotos.listingId,
      hash: mediaAssets.hash,
      widths: mediaAssets.widths,
      width: mediaAssets.width,
      height: mediaAssets.height,
    })
    .from(listingPhotos)
    .innerJoin(mediaAssets, eq(mediaAssets.id, listingPhotos.mediaId))
    .where(inArray(listingPhotos.listingId, listingIds))
    .orderBy(asc(listingPhotos.listingId), asc(listingPhotos.position), asc(listingPhotos.mediaId));
  const byListing = new Map<string, ExportPhoto[]>();
  for (const { listingId, ...photo } of rows) {
    let photos = byListing.get(listingId);
    if (!photos) byListing.set(listingId, (photos = []));
    photos.push(photo);
  }
  return byListing;
}

async function certificationsOf(
  db: Database,
  listingIds: string[],
  today: string,
): Promise<Map<string, ExportCertificate[]>> {
  const rows = await db
    .select({
      listingId: listingCertifications.listingId,
      type: listingCertifications.type,
      number: listingCertifications.number,
      issuer: listingCertifications.issuer,
      ocopStars: listingCertifications.ocopStars,
      validFrom: listingCertifications.validFrom,
      validUntil: listingCertifications.validUntil,
    })
    .from(listingCertifications)
    .where(
      and(
        inArray(listingCertifications.listingId, listingIds),
        // Expired ones stay (readiness warns about them); those not started yet are no claim yet.
        or(isNull(listingCertifications.validFrom), lte(listingCertifications.validFrom, today)),
      ),
    )
    .orderBy(
      asc(listingCertifications.listingId),
      asc(listingCertifications.type),
      asc(listingCertifications.validUntil),
      asc(listingCertifications.id),
    );
  const byListing = new Map<string, ExportCertificate[]>();
  for (const { listingId, ...certificate } of rows) {
    let certificates = byListing.get(listingId);
    if (!certificates) byListing.set(listingId, (certificates = []));
    certificates.push(certificate);
  }
  return byListing;
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
    const rows = await listingRows(db, scope, key, limit);
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id);
    const photos = await photosOf(db, ids);
    const certifications = await certificationsOf(db, ids, today);
    yield rows.map((row): ExportListing => ({
      id: row.id,
      slug: row.slug,
      title: row.title,
      description: row.description,
      category: row.category,
      unit: row.unit,
      priceDong: row.priceDong,
      minOrderQty: row.minOrderQty,
      madeToOrder: row.madeToOrder,
      stockQty: row.stockQty,
      availableFrom: row.availableFrom,
      availableUntil: row.availableUntil,
      preorder: row.preorder,
      preorderCapacity: row.preorderCapacity,
      status: row.status === "sold_out" ? "sold_out" : "active",
      leadTimeDays: row.leadTimeDays,
      weightGrams: row.weightGrams,
      packageLengthCm: row.packageLengthCm,
      packageWidthCm: row.packageWidthCm,
      packageHeightCm: row.packageHeightCm,
      position: row.position,
      updatedAt: row.updatedAt,
      photos: photos.get(row.id) ?? [],
      certifications: certifications.get(row.id) ?? [],
      stall: {
        id: row.stallId,
        slug: row.stallSlug,
        name: row.stallName,
        communeCode: row.communeCode,
        communeName: row.communeName,
        provinceCode: row.provinceCode,
        provinceName: row.provinceName,
      },
    }));
    if (rows.length < limit) return;
    const last = rows.at(-1)!;
    key = { slug: last.stallSlug, position: last.position, id: last.id };
  }
}
