/**
 * Reading published stalls for the public pages. Writing (the wizard, the
 * seller dashboard) lives with onboarding.
 *
 * A PublicStall is everything a buyer may see of a stall, read in one query:
 * the banner photo, the farmer's phone (for call and Zalo links), which payment
 * methods and delivery options they offer. Bank details are deliberately not
 * part of it: the account number only appears on an order's payment page.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { communes, households, mediaAssets, provinces, stalls } from "#db/schema";
import { photoRefColumns } from "~/media/index.server";
import type { PhotoRef } from "~/media";
import type { Database } from "~/utils/db.server";
import { perDatabase } from "~/utils/per-database.server";
import { oneLine } from "~/utils/text";

export type PublicStall = {
  id: string;
  slug: string;
  name: string;
  description: string;
  publishedAt: Date | null;
  ownerName: string;
  householdKind: "household" | "cooperative";
  communeCode: string;
  communeName: string;
  provinceCode: string;
  provinceName: string;
  /** The household's mobile (E.164), for call and Zalo links; null when it has none. */
  phone: string | null;
  /** The wide photo at the top of the stall page. */
  banner: PhotoRef | null;
  payments: { cod: boolean; vietqr: boolean };
  delivery: {
    pickup: { address: string; hours: string } | null;
    /** Communes the farmer delivers to (full names, in the farmer's order), fee per order. */
    local: { communes: string[]; feeDong: number } | null;
    /** Per order (flat) or per started kilogram (per_kg). */
    shipping: { feeMode: "flat" | "per_kg"; feeDong: number } | null;
  };
};

// The household's commune is joined as "communes" already; the delivery list reads its own copy.
const DELIVERY_COMMUNES = "delivery_communes";
const deliveryCommunes = alias(communes, DELIVERY_COMMUNES);

const publicStallColumns = {
  id: stalls.id,
  slug: stalls.slug,
  name: stalls.name,
  description: stalls.description,
  publishedAt: stalls.publishedAt,
  ownerName: households.name,
  householdKind: households.kind,
  communeCode: communes.code,
  communeName: communes.fullName,
  provinceCode: provinces.code,
  provinceName: provinces.fullName,
  phone: households.phone,
  banner: photoRefColumns(),
  codEnabled: stalls.codEnabled,
  vietqrEnabled: stalls.vietqrEnabled,
  pickupEnabled: stalls.pickupEnabled,
  pickupAddress: stalls.pickupAddress,
  pickupHours: stalls.pickupHours,
  localDeliveryEnabled: stalls.localDeliveryEnabled,
  localDeliveryFeeDong: stalls.localDeliveryFeeDong,
  // Names rather than codes, in the same query: the page shows "Xã Thanh Hà, Xã Thanh Quang".
  localDeliveryCommunes: sql<string[]>`coalesce((
    SELECT array_agg(${deliveryCommunes.fullName} ORDER BY array_position(${stalls.localDeliveryCommunes}, ${deliveryCommunes.code}))
    FROM ${communes} AS ${sql.identifier(DELIVERY_COMMUNES)}
    WHERE ${deliveryCommunes.code} = ANY(${stalls.localDeliveryCommunes})
  ), '{}'::text[])`,
  shippingEnabled: stalls.shippingEnabled,
  shippingFeeMode: stalls.shippingFeeMode,
  shippingFeeDong: stalls.shippingFeeDong,
};

type PublicStallRow = Awaited<ReturnType<ReturnType<typeof publishedStalls>["execute"]>>[number];

function toPublicStall(row: PublicStallRow): PublicStall {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    publishedAt: row.publishedAt,
    ownerName: row.ownerName,
    householdKind: row.householdKind,
    communeCode: row.communeCode,
    communeName: row.communeName,
    provinceCode: row.provinceCode,
    provinceName: row.provinceName,
    phone: row.phone || null,
    banner: row.banner,
    payments: { cod: row.codEnabled, vietqr: row.vietqrEnabled },
    delivery: {
      pickup: row.pickupEnabled ? { address: row.pickupAddress, hours: row.pickupHours } : null,
      local: row.localDeliveryEnabled
        ? { communes: row.localDeliveryCommunes ?? [], feeDong: row.localDeliveryFeeDong }
        : null,
      shipping: row.shippingEnabled ? { feeMode: row.shippingFeeMode, feeDong: row.shippingFeeDong } : null,
    },
  };
}

function publishedStalls(db: Database) {
  return db
    .select(publicStallColumns)
    .from(stalls)
    .innerJoin(households, eq(households.id, stalls.householdId))
    .innerJoin(communes, eq(communes.code, households.communeCode))
    .innerJoin(provinces, eq(provinces.code, households.provinceCode))
    .leftJoin(mediaAssets, eq(mediaAssets.id, stalls.bannerMediaId))
    .$dynamic();
}

export async function listPublishedStalls(db: Database, { limit = 24 } = {}): Promise<PublicStall[]> {
  const rows = await publishedStalls(db)
    .where(eq(stalls.status, "published"))
    .orderBy(desc(stalls.publishedAt), asc(stalls.name))
    .limit(limit);
  return rows.map(toPublicStall);
}

export async function getPublishedStall(db: Database, slug: string): Promise<PublicStall | null> {
  const [row] = await publishedStallQuery(db).execute({ slug });
  return row ? toPublicStall(row) : null;
}

// Prepared: every stall page and product page starts with it.
const publishedStallQuery = perDatabase((db: Database) =>
  publishedStalls(db)
    .where(and(eq(stalls.slug, sql.placeholder("slug")), eq(stalls.status, "published")))
    .limit(1)
    .prepare("published_stall"),
);

/**
 * Stalls whose name, owner or commune matches the query with or without
 * diacritics ("vai thieu" finds "Vải thiều"). Exact-diacritic matches first.
 */
export async function searchStalls(db: Database, query: string, { limit = 20 } = {}): Promise<PublicStall[]> {
  const q = oneLine(query).slice(0, 100);
  if (!q) return [];
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const folded = (column: unknown) => sql`lower(f_unaccent(${column}))`;
  const matches = (column: unknown) => sql`${folded(column)} LIKE lower(f_unaccent(${pattern}))`;
  const rows = await publishedStalls(db)
    .where(
      and(
        eq(stalls.status, "published"),
        sql`(${matches(stalls.name)} OR ${matches(households.name)} OR ${matches(communes.name)})`,
      ),
    )
    .orderBy(sql`CASE WHEN lower(${stalls.name}) LIKE lower(${pattern}) THEN 0 ELSE 1 END`, asc(stalls.name))
    .limit(limit);
  return rows.map(toPublicStall);
}
