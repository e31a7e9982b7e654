/**
 * Export readiness of a stall's listings, for the farmer: every listing not
 * archived (drafts too, so a farmer fixes them before putting them on sale),
 * with what each target is missing today. One query; readinessOf does the
 * judging, the same function the feeds use to leave items out.
 */
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { ListingStatusCode } from "~/listings";
import type { Database } from "~/utils/db.server";
import { households, listings, provinces, type Stall } from "#db/schema";
import { isReady, readinessOf, type ReadinessProblem } from "./readiness";
import { EXPORT_TARGETS, type ExportTarget } from "./targets";

export interface ListingReadiness {
  id: string;
  title: string;
  status: ListingStatusCode;
  /** Problems per target (an empty list: ready). */
  problems: Record<ExportTarget, ReadinessProblem[]>;
}

export interface StallReadiness {
  listings: ListingReadiness[];
  /** Per target: listings on sale that it would take, and those it would leave out. */
  summary: Record<ExportTarget, { ready: number; notReady: number }>;
  /** Listings on sale that at least one marketplace would leave out (the dashboard's count). */
  onSaleNotReady: number;
}

export async function stallReadiness(
  db: Database,
  stall: Pick<Stall, "id" | "name" | "householdId">,
  today: string,
): Promise<StallReadiness> {
  const [place] = await db
    .select({ provinceName: provinces.name })
    .from(households)
    .innerJoin(provinces, eq(provinces.code, households.provinceCode))
    .where(eq(households.id, stall.householdId));
  const rows = await db
    .select({
      id: listings.id,
      title: listings.title,
      description: listings.description,
      unit: listings.unit,
      priceDong: listings.priceDong,
      status: listings.status,
      preorder: listings.preorder,
      madeToOrder: listings.madeToOrder,
      stockQty: listings.stockQty,
      availableFrom: listings.availableFrom,
      leadTimeDays: listings.leadTimeDays,
      weightGrams: listings.weightGrams,
      packageLengthCm: listings.packageLengthCm,
      packageWidthCm: listings.packageWidthCm,
      packageHeightCm: listings.packageHeightCm,
      // `listings.id` written out: drizzle would print ${listings.id} unqualified, which the subquery's own tables shadow.
      cover: sql<{ width: number; height: number } | null>`(
        SELECT json_build_object('width', m.width, 'height', m.height)
        FROM listing_photos p JOIN media_assets m ON m.id = p.media_id
        WHERE p.listing_id = listings.id ORDER BY p.position LIMIT 1)`,
      certificatesUntil: sql<string[]>`coalesce((
        SELECT array_agg(c.valid_until::text) FROM listing_certifications c WHERE c.listing_id = listings.id), '{}')`,
    })
    .from(listings)
    .where(and(eq(listings.stallId, stall.id), ne(listings.status, "archived")))
    .orderBy(asc(listings.position), asc(listings.id));

  const summary = Object.fromEntries(
    EXPORT_TARGETS.map((t) => [t, { ready: 0, notReady: 0 }]),
  ) as StallReadiness["summary"];
  let onSaleNotReady = 0;
  const result = rows.map((row): ListingReadiness => {
    const input = {
      ...row,
      photos: row.cover ? [row.cover] : [],
      certifications: row.certificatesUntil.map((validUntil) => ({ validUntil })),
      stall: { name: stall.name, provinceName: place?.provinceName ?? "" },
    };
    const problems = Object.fromEntries(
      EXPORT_TARGETS.map((target) => [target, readinessOf(input, target, today)]),
    ) as ListingReadiness["problems"];
    if (row.status === "active" || row.status === "sold_out") {
      let everywhere = true;
      for (const target of EXPORT_TARGETS) {
        const ready = isReady(problems[target]);
        summary[target][ready ? "ready" : "notReady"] += 1;
        everywhere &&= ready;
      }
      if (!everywhere) onSaleNotReady += 1;
    }
    return { id: row.id, title: row.title, status: row.status, problems };
  });
  return { listings: result, summary, onSaleNotReady };
}
