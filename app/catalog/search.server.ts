/**
 * Buyer search over the listings of published stalls (ADR 013).
 *
 * Matching works on folded text, `lower(f_unaccent(…))`, so "vai thieu",
 * "VẢI THIỀU" and "vải thiều" are one query:
 * - every word of the query is a substring of the folded title + description
 *   (LIKE, served by the trigram index listings_text_search_idx), or
 * - the whole query is similar to whole words of the folded title (`<<%`,
 *   strict word similarity at pg_trgm's default 0.5, served by
 *   listings_title_search_idx): small typos ("vai tieu" is 0.58 from "vải
 *   thiều"; the looser `<%` would also let "hanh toi" find "thanh hà"), or
 * - every word is in the stall's name.
 *
 * Relevance is a tier, then the newest first:
 *   0. the query as typed, diacritics and all, inside the title (only when it
 *      has diacritics: without them this is tier 1);
 *   1. every word starts a word of the folded title;
 *   2. every word is in the description or the stall's name;
 *   3. a typo match.
 * The other sorts have one tier and walk their own key (newest, price).
 *
 * Why tiers and not a score: a score must be computed for every match before
 * the best 24 are known, so a common word costs in proportion to the catalog.
 * Within a tier the order is an index's order, so a page is found by walking
 * that index from the newest (or cheapest) listing and keeping the matches of
 * the tier: when matches are common, a few hundred rows suffice whatever the
 * catalog's size. When they are rare, the walk would go on for ever, so after
 * a window or two the tier is asked of the trigram indexes instead, which is
 * cheap exactly when matches are rare. Either way the rows come out in the
 * same order, so the results do not depend on which path found them.
 *
 * Pages are keyset-paginated: `after` is an opaque cursor (base64url JSON of
 * the last row's tier and key), so a page never repeats or skips a row when
 * listings are added meanwhile. Keys travel as the database's own text
 * (timestamps with microseconds) and are cast back, so comparisons are exact.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { households, listingCertifications, listingPhotos, listings, mediaAssets, stalls } from "#db/schema";
import { SEARCH_PAGE_SIZE, type SearchParams, type SearchSort } from "./search";
import { CATEGORIES, PUBLIC_LISTING_STATUSES, type CategoryCode, todayInVietnam } from "~/listings";
import { publicCardColumns, toPublicCard, type PublicListingCard } from "~/listings/index.server";
import { isInSeason } from "~/stalls";
import { isInt4Text, isTimestampText } from "~/utils/cursor";
import { isUuid } from "~/utils/db-errors.server";
import { rowsOf, type Database } from "#db/client";

/** A product card of the results, with the stall it links to. */
export interface SearchResultCard extends PublicListingCard {
  stallSlug: string;
  stallName: string;
  inSeason: boolean;
}

export interface SearchPage {
  items: SearchResultCard[];
  /** Cursor of the next page, null on the last one. */
  next: string | null;
}

/** At most this many words count; more only make the query slower, not better. */
const MAX_WORDS = 6;

/**
 * How many listings the first walk reads before it gives up on a tier, and
 * the most a second walk may read when the first found some matches but not
 * enough. Past that the trigram indexes answer.
 */
export const SEARCH_WINDOW = 600;
const SEARCH_MAX_WINDOW = 5000;

const folded = (expr: SQL | unknown) => sql`lower(f_unaccent(${expr}))`;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const contains = (haystack: SQL, needle: string) => sql`${haystack} LIKE ${`%${escapeLike(needle)}%`}`;
const containsFolded = (haystack: SQL, needle: string) =>
  sql`${haystack} LIKE ('%' || ${folded(sql`${escapeLike(needle)}::text`)} || '%')`;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/**
 * The word starts a word of the folded text ("hanh" is in "hành khô", not in
 * "thanh hà"). The LIKE is what the trigram index serves; the regex rechecks.
 */
const hasWord = (haystack: SQL, word: string) =>
  sql`(${containsFolded(haystack, word)} AND ${haystack} ~ ('(^|[^a-z0-9])' || ${folded(sql`${escapeRegex(word)}::text`)}))`;

/** The query's words, lower-cased (JavaScript knows Vietnamese capitals; a C-locale database does not). */
function wordsOf(q: string): string[] {
  return q.toLocaleLowerCase("vi").split(" ").filter(Boolean).slice(0, MAX_WORDS);
}

/** Anything beyond printable ASCII: a letter with a diacritic, or đ. */
const hasDiacritics = (s: string) => /[^ -~]/.test(s);

const titleFolded = folded(listings.title);
// Must stay the expression of listings_text_search_idx for the index to serve it.
const textFolded = folded(sql`${listings.title} || ' ' || ${listings.description}`);

/** The order within a tier: a key with an index on (key, id), walked one way. */
interface Walk {
  key: SQL;
  /** What a cursor's key is cast to, so the comparison is exact. */
  cast: "timestamptz" | "int";
  dir: "asc" | "desc";
}

const NEWEST: Walk = { key: sql`${listings.createdAt}`, cast: "timestamptz", dir: "desc" };
const WALKS: Record<SearchSort, Walk> = {
  relevance: NEWEST,
  newest: NEWEST,
  price_asc: { key: sql`${listings.priceDong}`, cast: "int", dir: "asc" },
  price_desc: { key: sql`${listings.priceDong}`, cast: "int", dir: "desc" },
};

/** Where a page starts: after this row of this tier. */
interface Position {
  tier: number;
  key: string;
  id: string;
}

/** Everything the statements of one search are built from. */
export interface SearchPlan {
  sort: SearchSort;
  walk: Walk;
  /** Each tier's own match condition; a row belongs to the first tier it matches. */
  tiers: SQL[];
  /** The row's tier, NULL when it matches none. */
  tierOf: SQL;
  /** What the walk checks on the listing as it walks: on sale, the category. */
  walkFilters: SQL[];
  /** What a result must satisfy besides: a published stall, the other filters. */
  rowFilters: SQL[];
}

function tiersOf(params: SearchParams): SQL[] {
  const words = wordsOf(params.q);
  if (words.length === 0) return [sql`true`];
  const phrase = words.join(" ");
  // Or every word is in the stall's name ("hanh toi" finds the products of
  // "Hành tỏi Kinh Môn"). `= ANY(ARRAY(…))` keeps that arm an index scan
  // (listings_stall_status_idx) beside the trigram ones.
  const stallsNamed = sql`ARRAY(SELECT s2.id FROM ${stalls} s2 WHERE s2.status = 'published' AND ${and(
    ...words.map((w) => hasWord(folded(sql`s2.name`), w)),
  )})`;
  const inTitle = and(...words.map((w) => hasWord(titleFolded, w)))!;
  const inText = sql`(${and(...words.map((w) => hasWord(textFolded, w)))} OR ${listings.stallId} = ANY(${stallsNamed}))`;
  const typo = sql`${folded(sql`${phrase}::text`)} <<% ${titleFolded}`;
  if (params.sort !== "relevance") return [sql`(${inText} OR ${typo})`];
  // Served by listings_title_typed_idx.
  const asTyped = contains(sql`lower(${listings.title})`, phrase);
  return [...(hasDiacritics(phrase) ? [asTyped] : []), inTitle, inText, typo];
}

/** How a search is answered: exported so tests can EXPLAIN its statements and check its order. */
export function searchPlan(params: SearchParams, today: string): SearchPlan {
  const tiers = tiersOf(params);
  const walkFilters: SQL[] = [inArray(listings.status, [...PUBLIC_LISTING_STATUSES])];
  if (params.category) walkFilters.push(eq(listings.category, params.category));
  const filters: SQL[] = [eq(stalls.status, "published")];
  if (params.province) filters.push(eq(households.provinceCode, params.province));
  if (params.commune) filters.push(eq(households.communeCode, params.commune));
  if (params.cert)
    filters.push(sql`EXISTS (
      SELECT 1 FROM ${listingCertifications}
      WHERE ${listingCertifications.listingId} = ${listings.id}
        AND ${listingCertifications.type} = ${params.cert}
        AND ${listingCertifications.validUntil} >= ${today}::date
        AND (${listingCertifications.validFrom} IS NULL OR ${listingCertifications.validFrom} <= ${today}::date))`);
  if (params.season)
    // The same rule as isInSeason: a window that is set and contains today.
    filters.push(
      sql`(${listings.availableFrom} IS NOT NULL OR ${listings.availableUntil} IS NOT NULL)
        AND (${listings.availableFrom} IS NULL OR ${listings.availableFrom} <= ${today}::date)
        AND (${listings.availableUntil} IS NULL OR ${listings.availableUntil} >= ${today}::date)`,
    );
  if (params.min !== undefined) filters.push(sql`${listings.priceDong} >= ${params.min}`);
  if (params.max !== undefined) filters.push(sql`${listings.priceDong} <= ${params.max}`);
  const tierOf = sql`CASE ${sql.join(
    tiers.map((t, i) => sql`WHEN ${t} THEN ${sql.raw(String(i))}`),
    sql` `,
  )} END`;
  return { sort: params.sort, walk: WALKS[params.sort], tiers, tierOf, walkFilters, rowFilters: filters };
}

const direction = (walk: Walk) => sql.raw(walk.dir === "asc" ? "ASC" : "DESC");
const walkOrder = (walk: Walk) => sql`${walk.key} ${direction(walk)}, ${listings.id} ${direction(walk)}`;

/** Rows strictly after (key, id) in the walk's order: a range of the (key, id) index. */
function beyond(walk: Walk, after: { key: string; id: string }): SQL {
  const row = sql`(${after.key}::${sql.raw(walk.cast)}, ${after.id}::uuid)`;
  return walk.dir === "asc" ? sql`(${walk.key}, ${listings.id}) > ${row}` : sql`(${walk.key}, ${listings.id}) < ${row}`;
}

const joinStallsAndHouseholds = sql`JOIN ${stalls} ON ${stalls.id} = ${listings.stallId}
  JOIN ${households} ON ${households.id} = ${stalls.householdId}`;

/**
 * Walks the next `size` listings in the walk's order (after `after`, or from
 * the start) and returns the matches among them of tiers `fromTier` and on,
 * ordered, with where the walk stopped.
 */
export function windowQuery(
  plan: SearchPlan,
  { fromTier, after, size }: { fromTier: number; after?: { key: string; id: string }; size: number },
): SQL {
  const { walk } = plan;
  const walked = and(...plan.walkFilters, after && beyond(walk, after));
  const reverse = sql.raw(walk.dir === "asc" ? "DESC" : "ASC");
  return sql`WITH w AS MATERIALIZED (
      SELECT ${listings.id} AS id, ${walk.key} AS key FROM ${listings}
      WHERE ${walked} ORDER BY ${walkOrder(walk)} LIMIT ${size}
    )
    SELECT (SELECT count(*)::int FROM w) AS scanned,
      (SELECT ARRAY[w.key::text, w.id::text] FROM w ORDER BY w.key ${reverse}, w.id ${reverse} LIMIT 1) AS last,
      (SELECT coalesce(json_agg(json_build_array(h.id, h.key::text, h.tier) ORDER BY h.tier, h.key ${direction(walk)}, h.id ${direction(walk)}), '[]'::json)
        FROM (
          SELECT ${listings.id} AS id, ${walk.key} AS key, ${plan.tierOf} AS tier
          FROM w JOIN ${listings} ON ${listings.id} = w.id ${joinStallsAndHouseholds}
          WHERE ${and(...plan.rowFilters)}
        ) h WHERE h.tier >= ${fromTier}) AS hits`;
}

/** The next `limit` rows of one tier after `after`, asked of the indexes of its match condition. */
export function tierQuery(
  plan: SearchPlan,
  { tier, after, limit }: { tier: number; after?: { key: string; id: string }; limit: number },
): SQL {
  const { walk } = plan;
  const conditions = [...plan.walkFilters, ...plan.rowFilters, plan.tiers[tier]];
  // A row is in the first tier it matches.
  if (tier > 0) conditions.push(sql`${plan.tierOf} = ${tier}`);
  if (after) conditions.push(beyond(walk, after));
  return sql`SELECT ${listings.id} AS id, (${walk.key})::text AS key FROM ${listings} ${joinStallsAndHouseholds}
    WHERE ${and(...conditions)} ORDER BY ${walkOrder(walk)} LIMIT ${limit}`;
}

interface Window {
  hits: Position[];
  /** Fewer rows than asked: nothing is left after it. */
  exhausted: boolean;
  last?: { key: string; id: string };
}

async function runWindow(db: Database, plan: SearchPlan, args: Parameters<typeof windowQuery>[1]): Promise<Window> {
  const [row] = rowsOf(await db.execute(windowQuery(plan, args)));
  const hits = (typeof row.hits === "string" ? JSON.parse(row.hits) : row.hits) as [string, string, number][];
  const last = row.last as [string, string] | null;
  return {
    hits: hits.map(([id, key, tier]) => ({ tier, key, id })),
    exhausted: Number(row.scanned) < args.size,
    last: last ? { key: last[0], id: last[1] } : undefined,
  };
}

export interface WalkLimits {
  /** Rows the first walk reads (SEARCH_WINDOW). */
  window?: number;
  /** Most rows a second walk reads (SEARCH_MAX_WINDOW). */
  maxWindow?: number;
}

/** The first `need` result rows after `start` (or from the top), in order. */
async function collect(
  db: Database,
  plan: SearchPlan,
  start: Position | null,
  need: number,
  { window = SEARCH_WINDOW, maxWindow = SEARCH_MAX_WINDOW }: WalkLimits,
): Promise<Position[]> {
  const found: Position[] = [];
  // One walk from the top serves every tier after the cursor's.
  let fromTop: Window | undefined;
  for (let tier = start?.tier ?? 0; tier < plan.tiers.length && found.length < need; tier++) {
    const want = need - found.length;
    const after = start && tier === start.tier ? start : undefined;
    let walked = after
      ? await runWindow(db, plan, { fromTier: tier, after, size: window })
      : (fromTop ??= await runWindow(db, plan, { fromTier: tier, size: window }));
    const hits = walked.hits.filter((h) => h.tier === tier);
    if (hits.length < want && !walked.exhausted && hits.length > 0) {
      // Matches are this dense: walk on as far as they promise to be enough.
      const size = Math.ceil((((want - hits.length) * window) / hits.length) * 1.5);
      if (size <= maxWindow) {
        walked = await runWindow(db, plan, { fromTier: tier, after: walked.last, size });
        hits.push(...walked.hits.filter((h) => h.tier === tier));
      }
    }
    if (hits.length < want && !walked.exhausted) {
      const rows = rowsOf(await db.execute(tierQuery(plan, { tier, after: walked.last, limit: want - hits.length })));
      hits.push(...rows.map((r) => ({ tier, key: String(r.key), id: String(r.id) })));
    }
    found.push(...hits.slice(0, want));
  }
  return found;
}

function encodeCursor(sort: SearchSort, at: Position): string {
  return Buffer.from(JSON.stringify({ s: sort, t: at.tier, k: [at.key, at.id] })).toString("base64url");
}

const isCastable: Record<Walk["cast"], (v: string) => boolean> = {
  int: isInt4Text,
  timestamptz: isTimestampText,
};

/** Where a cursor says the page starts, or null when it is not one of ours for this search. */
function decodeCursor(cursor: string | undefined, plan: SearchPlan): Position | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return null;
    const { s, t, k } = parsed as { s?: unknown; t?: unknown; k?: unknown };
    if (s !== plan.sort || !Number.isInteger(t) || (t as number) < 0 || (t as number) >= plan.tiers.length) return null;
    if (!Array.isArray(k) || k.length !== 2 || !k.every((v) => typeof v === "string" && v.length <= 64)) return null;
    const [key, id] = k as [string, string];
    if (!isCastable[plan.walk.cast](key) || !isUuid(id)) return null;
    return { tier: t as number, key, id };
  } catch {
    return null;
  }
}

/** The cards of these listings, in this order (any no longer public are left out). */
async function cardsOf(db: Database, ids: string[], today: string): Promise<SearchResultCard[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select(publicCardColumns(today))
    .from(listings)
    .innerJoin(stalls, eq(stalls.id, listings.stallId))
    .leftJoin(listingPhotos, and(eq(listingPhotos.listingId, listings.id), eq(listingPhotos.position, 0)))
    .leftJoin(mediaAssets, eq(mediaAssets.id, listingPhotos.mediaId))
    .where(and(inArray(listings.id, ids), eq(stalls.status, "published")));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const card = byId.has(id) ? toPublicCard(byId.get(id)!) : null;
    return card ? [{ ...card, inSeason: isInSeason(card, today) }] : [];
  });
}

/** One page of results for the buyer's search. */
export async function searchListings(
  db: Database,
  params: SearchParams,
  {
    today = todayInVietnam(),
    limit = SEARCH_PAGE_SIZE,
    ...limits
  }: { today?: string; limit?: number } & WalkLimits = {},
): Promise<SearchPage> {
  const plan = searchPlan(params, today);
  const found = await collect(db, plan, decodeCursor(params.after, plan), limit + 1, limits);
  const page = found.slice(0, limit);
  return {
    items: await cardsOf(
      db,
      page.map((p) => p.id),
      today,
    ),
    next: found.length > limit ? encodeCursor(params.sort, page[limit - 1]) : null,
  };
}

export interface SearchSuggestions {
  /** Categories that have something on sale, most products first. */
  categories: { code: CategoryCode; count: number }[];
  /** A few products in season today, newest first. */
  inSeason: SearchResultCard[];
}

/** What the empty state offers instead: categories with products, and what is in season. */
export async function searchSuggestions(
  db: Database,
  { today = todayInVietnam() }: { today?: string } = {},
): Promise<SearchSuggestions> {
  const [counts, inSeason] = await Promise.all([
    db
      .select({ code: listings.category, count: sql<number>`count(*)::int` })
      .from(listings)
      .innerJoin(stalls, eq(stalls.id, listings.stallId))
      .where(and(eq(stalls.status, "published"), inArray(listings.status, [...PUBLIC_LISTING_STATUSES])))
      .groupBy(listings.category)
      .orderBy(desc(sql`count(*)`), asc(listings.category)),
    searchListings(db, { q: "", season: true, sort: "newest" }, { today, limit: 4 }),
  ]);
  return {
    categories: counts.flatMap((c) =>
      (CATEGORIES as readonly string[]).includes(c.code) ? [{ code: c.code as CategoryCode, count: c.count }] : [],
    ),
    inSeason: inSeason.items,
  };
}
