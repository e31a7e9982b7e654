/**
 * The feeds: a scope's listings (a stall, a commune, a province) in one of
 * the FEED_FILES formats, streamed batch by batch (`streamFeed`), and the
 * per-stall feed at /feeds/:stallSlug/:file as the route serves it
 * (`openStallFeed`): who may read it, its version for conditional requests,
 * how many items it holds and leaves out.
 *
 * A feed for a marketplace (google.*, meta.csv, shopify.csv) leaves out the
 * listings that target's readiness refuses today (errors only; an expired
 * certificate is a warning and stays) and counts them by reason; our own
 * formats (products.*) hold every listing on sale.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { communes, households, listings, provinces, stalls } from "#db/schema";
import { exportListingBatches, type ExportScope } from "./feed-items.server";
import { writeFeed, stallLink, type FeedChannel, type FeedFormat } from "./formats/feed-format";
import { googleTsv } from "./formats/google-tsv";
import { googleXml } from "./formats/google-xml";
import { metaCsv } from "./formats/meta-csv";
import { productsCsv } from "./formats/products-csv";
import { productsJson } from "./formats/products-json";
import { shopifyCsv } from "./formats/shopify-csv";
import { vietnamDayStart, type ExportListing } from "./item";
import { countSkipped, isReady, readinessOf, type SkippedCounts } from "./readiness";
import { FEED_FILES, type FeedFile } from "./targets";
import { PUBLIC_LISTING_STATUSES } from "~/listings";
import type { Site } from "~/stalls";
import type { Database } from "~/utils/db.server";
import { SITE_NAME } from "~/utils/page-title";

export const FEED_FORMATS: Readonly<Record<FeedFile, FeedFormat>> = {
  "google.xml": googleXml,
  "google.tsv": googleTsv,
  "meta.csv": metaCsv,
  "shopify.csv": shopifyCsv,
  "products.csv": productsCsv,
  "products.json": productsJson,
};

/** What a streamed feed held, filled in as it streams. */
export interface FeedStats {
  /** Stalls with at least one listing on sale in the scope (ready or not). */
  stalls: number;
  /** Items written. */
  items: number;
  /** Reasons items were left out (an item with two errors counts under both). */
  skipped: SkippedCounts;
  /** Items left out. */
  skippedItems?: number;
}

export const newFeedStats = (): FeedStats => ({ stalls: 0, items: 0, skipped: {}, skippedItems: 0 });

export interface StreamFeedOptions {
  site: Site;
  /** yyyy-mm-dd in Vietnam (`todayInVietnam()`): availability and readiness are today's. */
  today: string;
  batchSize?: number;
  /** Called after each batch is written, with the stats so far (a bulk export's progress). */
  onBatch?: (stats: FeedStats) => void | Promise<void>;
}

/**
 * The scope's listings, ready for the file's target, batch by batch; `stats`
 * counts what went in and what was left out (and why) as they pass. Each
 * listing is read once and checked once.
 */
async function* readyBatches(
  db: Database,
  scope: ExportScope,
  format: FeedFormat,
  { today, batchSize, onBatch }: StreamFeedOptions,
  stats: FeedStats,
): AsyncGenerator<ExportListing[]> {
  let lastStallId: string | null = null;
  for await (const batch of exportListingBatches(db, scope, { today, batchSize })) {
    const ready: ExportListing[] = [];
    for (const listing of batch) {
      if (listing.stall.id !== lastStallId) {
        stats.stalls++;
        lastStallId = listing.stall.id;
      }
      if (format.target) {
        const problems = readinessOf(listing, format.target, today);
        if (!isReady(problems)) {
          countSkipped(stats.skipped, problems);
          stats.skippedItems = (stats.skippedItems ?? 0) + 1;
          continue;
        }
      }
      ready.push(listing);
    }
    stats.items += ready.length;
    yield ready;
    await onBatch?.(stats);
  }
}

/** The feed's own title, link and description: the stall's, or the commune's or province's. */
async function feedChannel(db: Database, scope: ExportScope, site: Site): Promise<FeedChannel> {
  const home = new URL("/", site.origin).toString();
  if (scope.kind === "stall") {
    const [stall] = await db
      .select({ slug: stalls.slug, name: stalls.name, description: stalls.description })
      .from(stalls)
      .where(eq(stalls.id, scope.stallId));
    if (!stall) return { title: SITE_NAME, link: home, description: SITE_NAME };
    return {
      title: stall.name,
      link: stallLink(stall.slug, site),
      description: stall.description.trim() || `${stall.name} – ${SITE_NAME}`,
    };
  }
  const [place] =
    scope.kind === "commune"
      ? await db
          .select({ name: sql<string>`${communes.fullName} || ', ' || ${provinces.fullName}` })
          .from(communes)
          .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
          .where(eq(communes.code, scope.code))
      : await db.select({ name: provinces.fullName }).from(provinces).where(eq(provinces.code, scope.code));
  const title = `${SITE_NAME} – ${place?.name ?? scope.code}`;
  return { title, link: home, description: title };
}

/**
 * The whole document for `scope` in `file`'s format, as text chunks: the
 * opening, then one chunk per batch read from the database, then the
 * closing; nothing is held but the batch at hand. A published stall with
 * nothing on sale, or a stall no longer published, gives the opening and the
 * closing only (a marketplace then removes its items). `stats`, when given,
 * is filled in as the document streams; `options.onBatch` reports progress.
 * The bulk exports call this with a commune or province scope.
 */
export async function* streamFeed(
  db: Database,
  scope: ExportScope,
  file: FeedFile,
  options: StreamFeedOptions,
  stats: FeedStats = newFeedStats(),
): AsyncGenerator<string> {
  const format = FEED_FORMATS[file];
  const channel = await feedChannel(db, scope, options.site);
  const context = { site: options.site, today: options.today };
  yield* writeFeed(format, readyBatches(db, scope, format, options, stats), context, channel);
}

// ---------------------------------------------------------------- the per-stall feed

/** Raised when what goes into a version changes meaning, so every cached copy is fetched again. */
const VERSION_FORMAT = 1;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

/**
 * Whether `given` is the stall's feed token, in time that does not depend on
 * where they differ: both sides are hashed first, so even their lengths are
 * not compared. No token given, or none stored (revoked): never.
 */
export function feedTokenMatches(given: string | null | undefined, stored: string | null | undefined): boolean {
  const same = timingSafeEqual(sha256(given ?? ""), sha256(stored ?? ""));
  return same && typeof given === "string" && given !== "" && typeof stored === "string" && stored !== "";
}

/** A stall's feed as the route serves it: found, allowed, versioned; the body streams on demand. */
export interface StallFeed {
  file: FeedFile;
  stall: { id: string; slug: string };
  private: boolean;
  /** A weak validator (W/"…"): the same for equivalent documents, whatever the compression. */
  etag: string;
  lastModified: Date;
  contentType: string;
  filename: string;
  /** Items the body will hold and those it leaves out (a pass over the same batches for a target's feed). */
  count(): Promise<FeedStats>;
  /** The document; `stats` is filled in as it streams. */
  body(stats?: FeedStats): AsyncIterable<string>;
}

/** Seconds since the epoch (with microseconds) as the database says it, or null. */
const epoch = (column: unknown) => sql<string | null>`extract(epoch FROM ${column})::text`;

/**
 * The stall and what its feeds' version is made of, in one query: the stall
 * row (status, privacy, its updated_at), its household's updated_at (place),
 * and of its listings the latest updated_at (of any status, so one that
 * leaves the feed moves it too; photo and certificate changes bump it) and
 * how many are on sale.
 */
async function stallFeedRow(db: Database, stallSlug: string) {
  const public_ = sql.join(
    PUBLIC_LISTING_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );
  const [row] = await db
    .select({
      id: stalls.id,
      slug: stalls.slug,
      status: stalls.status,
      publishedAt: stalls.publishedAt,
      feedsPrivate: stalls.feedsPrivate,
      feedToken: stalls.feedToken,
      stallUpdated: epoch(stalls.updatedAt),
      householdUpdated: epoch(households.updatedAt),
      listingsUpdated: sql<string | null>`(
        SELECT extract(epoch FROM max(${listings.updatedAt}))::text FROM ${listings} WHERE ${listings.stallId} = ${stalls.id}
      )`,
      onSale: sql<number>`(
        SELECT count(*) FROM ${listings}
        WHERE ${listings.stallId} = ${stalls.id} AND ${listings.status} IN (${public_})
      )`.mapWith(Number),
    })
    .from(stalls)
    .innerJoin(households, eq(households.id, stalls.householdId))
    .where(eq(stalls.slug, stallSlug));
  return row ?? null;
}

/**
 * The feed `file` of the stall at `stallSlug`, or null — and the route
 * answers null with one 404 — when there is no such stall, it was never
 * published, or its feeds are private and `token` is missing, wrong or
 * revoked. A stall published once and now unpublished has a feed, empty.
 */
export async function openStallFeed(
  db: Database,
  {
    stallSlug,
    file,
    token,
    site,
    today,
  }: { stallSlug: string; file: FeedFile; token: string | null; site: Site; today: string },
): Promise<StallFeed | null> {
  const row = await stallFeedRow(db, stallSlug);
  if (!row || row.publishedAt === null) return null;
  if (row.feedsPrivate && !feedTokenMatches(token, row.feedToken)) return null;

  const version = [
    VERSION_FORMAT,
    file,
    today,
    site.origin,
    site.mediaBaseUrl,
    row.status,
    row.feedsPrivate,
    row.stallUpdated,
    row.householdUpdated,
    row.listingsUpdated,
    row.onSale,
  ];
  const etag = `W/"${sha256(JSON.stringify(version)).toString("base64url").slice(0, 27)}"`;
  // Availability moves at midnight in Vietnam without a write: the day's start counts as a change.
  const changes = [row.stallUpdated, row.householdUpdated, row.listingsUpdated]
    .filter((s): s is string => s !== null)
    .map((s) => Number(s) * 1000);
  const lastModified = new Date(Math.max(Date.parse(vietnamDayStart(today)), ...changes));

  const scope: ExportScope = { kind: "stall", stallId: row.id };
  const options: StreamFeedOptions = { site, today };
  const format = FEED_FORMATS[file];
  return {
    file,
    stall: { id: row.id, slug: row.slug },
    private: row.feedsPrivate,
    etag,
    lastModified,
    contentType: FEED_FILES[file].contentType,
    filename: `${row.slug}-${file}`,
    async count() {
      const stats = newFeedStats();
      if (row.status !== "published") return stats;
      if (!format.target) {
        // Our own formats leave nothing out: the version query counted them already.
        stats.items = row.onSale;
        stats.stalls = row.onSale > 0 ? 1 : 0;
        return stats;
      }
      for await (const _ of readyBatches(db, scope, format, options, stats));
      return stats;
    },
    body: (stats) => streamFeed(db, scope, file, options, stats),
  };
}

/** `12` or `2 (no_photo=1, photo_too_small=1)`: what X-Feed-Skipped says. */
export function describeSkipped(stats: FeedStats): string {
  const reasons = Object.entries(stats.skipped)
    .filter(([, n]) => n)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code}=${n}`);
  const total = stats.skippedItems ?? 0;
  return reasons.length > 0 ? `${total} (${reasons.join(", ")})` : String(total);
}
