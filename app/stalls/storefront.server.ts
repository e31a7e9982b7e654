import { writeCount } from "#db/client";
import { getPublishedStall, type PublicStall } from "./stalls.server";
import {
  getPublicProduct,
  listPublicStallListings,
  type PublicListingCard,
  type PublicProduct,
} from "~/listings/index.server";
import type { Database } from "~/utils/db.server";
import { perDatabase } from "~/utils/per-database.server";
import { singleFlight } from "~/utils/single-flight.server";

export type Storefront = { stall: PublicStall; products: PublicListingCard[] };

/** Stalls kept in memory at most (the most recently read first out when full). */
const MAX_KEPT = 500;

/**
 * A published stall and the products on its page, or null: what /s/:stallSlug
 * shows, the page buyers and crawlers hit most.
 *
 * Visitors of one stall at the same moment share the database reads
 * (singleFlight). On the embedded engine the result is also kept until the
 * database next changes: PGlite lets one process write its data, so
 * writeCount() moves with every write and a kept page is never stale. On
 * PostgreSQL, where other app servers write too, nothing is kept.
 */
export async function getStorefront(db: Database, slug: string, today: string): Promise<Storefront | null> {
  const key = `${today} ${slug}`;
  const kept = keptFor(db);
  const hit = kept.get(key);
  if (hit && hit.writes === writeCount(db)) return hit.storefront;
  const read = await readerFor(db)(key);
  if (read.writes !== null && read.storefront) {
    kept.delete(key);
    kept.set(key, read);
    if (kept.size > MAX_KEPT) kept.delete(kept.keys().next().value!);
  }
  return read.storefront;
}

type Read = { writes: number | null; storefront: Storefront | null };

const keptFor = perDatabase(() => new Map<string, Read>());

const readerFor = perDatabase((db: Database) =>
  singleFlight(async (key: string): Promise<Read> => {
    // Counted before reading: a write during the read makes the result stale at once.
    const writes = writeCount(db);
    const [today, slug] = key.split(" ");
    const stall = await getPublishedStall(db, slug);
    const storefront = stall ? { stall, products: await listPublicStallListings(db, stall.id, { today }) } : null;
    return { writes, storefront };
  }),
);

/** A product page: the published stall and its product. */
export interface PublicListing extends PublicProduct {
  stall: PublicStall;
}

/**
 * The product page: a listing that is on sale or sold out, of a published
 * stall, with its photos and the certificates valid today in Vietnam. Draft,
 * paused and archived listings, and any listing of an unpublished stall, are null.
 */
export async function getPublicListing(
  db: Database,
  { stallSlug, productSlug, today }: { stallSlug: string; productSlug: string; today?: string },
): Promise<PublicListing | null> {
  const stall = await getPublishedStall(db, stallSlug);
  if (!stall) return null;
  const product = await getPublicProduct(db, { stallId: stall.id, productSlug, today });
  return product && { stall, ...product };
}
