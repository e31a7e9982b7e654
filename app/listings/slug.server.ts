import { and, eq, like, ne, or } from "drizzle-orm";
import { listings } from "#db/schema";
import { firstFreeSlug, slugify } from "./slug";
import type { Database } from "~/utils/db.server";

/**
 * A slug for a listing of this stall: `base` when free, else base-2, base-3, …
 * Unique only within the stall: two stalls can both sell "vai-thieu".
 * `base` goes through slugify, so any title can be passed. Two requests can pick
 * the same free slug at once; the unique index (stall_id, slug) refuses the
 * second and the caller retries (see createListing).
 */
export async function uniqueSlug(
  db: Database,
  stallId: string,
  base: string,
  excludeListingId?: string,
): Promise<string> {
  const slug = slugify(base);
  // slugify leaves only [a-z0-9-]: no LIKE wildcard can appear in it.
  const rows = await db
    .select({ slug: listings.slug })
    .from(listings)
    .where(
      and(
        eq(listings.stallId, stallId),
        or(eq(listings.slug, slug), like(listings.slug, `${slug}-%`)),
        excludeListingId ? ne(listings.id, excludeListingId) : undefined,
      ),
    );
  return firstFreeSlug(
    slug,
    rows.map((r) => r.slug),
  );
}
