/**
 * Reading published stalls for the public pages. Writing (the wizard, the
 * seller dashboard) lands with the onboarding capability.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { communes, households, provinces, stalls } from "../../db/schema";
import type { Database } from "~/utils/db.server";

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
};

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
};

function publishedStalls(db: Database) {
  return db
    .select(publicStallColumns)
    .from(stalls)
    .innerJoin(households, eq(households.id, stalls.householdId))
    .innerJoin(communes, eq(communes.code, households.communeCode))
    .innerJoin(provinces, eq(provinces.code, households.provinceCode))
    .$dynamic();
}

export async function listPublishedStalls(db: Database, { limit = 24 } = {}): Promise<PublicStall[]> {
  return publishedStalls(db)
    .where(eq(stalls.status, "published"))
    .orderBy(desc(stalls.publishedAt), asc(stalls.name))
    .limit(limit);
}

export async function getPublishedStall(db: Database, slug: string): Promise<PublicStall | null> {
  const [stall] = await publishedStalls(db)
    .where(and(eq(stalls.slug, slug), eq(stalls.status, "published")))
    .limit(1);
  return stall ?? null;
}

/**
 * Stalls whose name, owner or commune matches the query with or without
 * diacritics ("vai thieu" finds "Vải thiều"). Exact-diacritic matches first.
 */
export async function searchStalls(db: Database, query: string, { limit = 20 } = {}): Promise<PublicStall[]> {
  const q = query.normalize("NFC").trim().slice(0, 100);
  if (!q) return [];
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const folded = (column: unknown) => sql`lower(f_unaccent(${column}))`;
  const matches = (column: unknown) => sql`${folded(column)} LIKE lower(f_unaccent(${pattern}))`;
  return publishedStalls(db)
    .where(
      and(
        eq(stalls.status, "published"),
        sql`(${matches(stalls.name)} OR ${matches(households.name)} OR ${matches(communes.name)})`,
      ),
    )
    .orderBy(sql`CASE WHEN lower(${stalls.name}) LIKE lower(${pattern}) THEN 0 ELSE 1 END`, asc(stalls.name))
    .limit(limit);
}
