/**
 * Buyer search over the listings of published stalls.
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
 * Ranking: the query with its diacritics inside the title, then all words in
 * the title, then in the description or the stall's name, then typo matches; within a tier by
 * word similarity, then newest.
 *
 * Pages are keyset-paginated: `after` is an opaque cursor (base64url JSON of
 * the last row's sort key), so a page never repeats or skips a row when
 * listings are added meanwhile. Sort keys travel as the database's own text
 * (timestamps with microseconds, real numbers) and are cast back, so
 * comparisons are exact.
 *
 * The SQL text depends on how many words and filters there are, so it is not
 * a named prepared statement; each variant is a small plan.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { households, listingCertifications, listingPhotos, listings, mediaAssets, stalls } from "../../db/schema";
import { SEARCH_PAGE_SIZE, type SearchParams, type SearchSort } from "./search";
import { CATEGORIES, PUBLIC_LISTING_STATUSES, type CategoryCode } from "~/listings/catalog";
import { todayInVietnam } from "~/listings/dates";
import { publicCardColumns, toPublicCard, type PublicListingCard } from "~/listings/listings.server";
import { isInSeason } from "~/stalls/storefront";
import { isInt4Text, isTimestampText } from "~/utils/cursor";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";

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

const titleFolded = folded(listings.title);
// Must stay the expression of listings_text_search_idx for the index to serve it.
const textFolded = folded(sql`${listings.title} || ' ' || ${listings.description}`);

interface SortKey {
  expr: SQL;
  dir: "asc" | "desc";
  /** What a cursor value is cast to, so the comparison is exact. */
  cast: string;
  /** The value as text for the cursor. */
  text: SQL<string>;
}

function sortKeys(sort: SearchSort, q: string): SortKey[] {
  const key = (expr: SQL, dir: "asc" | "desc", cast: string): SortKey => ({
    expr,
    dir,
    cast,
    text: sql<string>`(${expr})::text`,
  });
  const id = key(sql`${listings.id}`, "asc", "uuid");
  const newest = key(sql`${listings.createdAt}`, "desc", "timestamptz");
  switch (sort) {
    case "relevance": {
      const words = wordsOf(q);
      const phrase = words.join(" ");
      const tier = sql`CASE WHEN ${contains(sql`lower(${listings.title})`, phrase)} THEN 0 WHEN ${and(
        ...words.map((w) => hasWord(titleFolded, w)),
      )} THEN 1 WHEN ${and(...words.map((w) => hasWord(textFolded, w)))} OR ${and(
        ...words.map((w) => hasWord(folded(stalls.name), w)),
      )} THEN 2 ELSE 3 END`;
      const similarity = sql`strict_word_similarity(${folded(sql`${phrase}::text`)}, ${titleFolded})`;
      return [key(tier, "asc", "int"), key(similarity, "desc", "real"), newest, id];
    }
    case "newest":
      return [newest, id];
    case "price_asc":
      return [key(sql`${listings.priceDong}`, "asc", "int"), id];
    case "price_desc":
      return [key(sql`${listings.priceDong}`, "desc", "int"), id];
  }
}

function encodeCursor(sort: SearchSort, values: string[]): string {
  return Buffer.from(JSON.stringify({ s: sort, k: values })).toString("base64url");
}

/** The sort key values a cursor carries, or null when it is not one of ours for this sort. */
function decodeCursor(cursor: string | undefined, sort: SearchSort, length: number): string[] | null {
  if (!cursor) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return null;
    const { s, k } = parsed as { s?: unknown; k?: unknown };
    if (s !== sort || !Array.isArray(k) || k.length !== length) return null;
    if (!k.every((v): v is string => typeof v === "string" && v.length <= 64)) return null;
    return k;
  } catch {
    return null;
  }
}

const isCastable: Record<string, (v: string) => boolean> = {
  uuid: isUuid,
  int: isInt4Text,
  real: (v) => /^-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i.test(v) && Math.abs(Number(v)) < 1e38,
  timestamptz: isTimestampText,
};

/** Rows strictly after the cursor's row in the lexicographic order of the keys. */
function afterCursor(keys: SortKey[], values: string[]): SQL | undefined {
  if (!keys.every((k, i) => isCastable[k.cast](values[i]))) return undefined;
  const value = (i: number) => sql`${values[i]}::${sql.raw(keys[i].cast)}`;
  const branches = keys.map((k, i) =>
    and(
      ...keys.slice(0, i).map((prev, j) => sql`${prev.expr} = ${value(j)}`),
      k.dir === "asc" ? sql`${k.expr} > ${value(i)}` : sql`${k.expr} < ${value(i)}`,
    ),
  );
  return sql`(${sql.join(branches, sql` OR `)})`;
}

/** The WHERE conditions of a search, without the cursor. */
function matchConditions(params: SearchParams, today: string): SQL[] {
  const conditions: SQL[] = [eq(stalls.status, "published"), inArray(listings.status, [...PUBLIC_LISTING_STATUSES])];
  const words = wordsOf(params.q);
  if (words.length > 0) {
    // Or every word is in the stall's name ("hanh toi" finds the products of
    // "Hành tỏi Kinh Môn"). `= ANY(ARRAY(…))` keeps that arm an index scan
    // (listings_stall_status_idx) beside the trigram ones.
    const stallsNamed = sql`ARRAY(SELECT s2.id FROM ${stalls} s2 WHERE s2.status = 'published' AND ${and(
      ...words.map((w) => hasWord(folded(sql`s2.name`), w)),
    )})`;
    conditions.push(
      sql`(${and(...words.map((w) => hasWord(textFolded, w)))} OR ${folded(sql`${words.join(" ")}::text`)} <<% ${titleFolded} OR ${listings.stallId} = ANY(${stallsNamed}))`,
    );
  }
  if (params.category) conditions.push(eq(listings.category, params.category));
  if (params.province) conditions.push(eq(households.provinceCode, params.province));
  if (params.commune) conditions.push(eq(households.communeCode, params.commune));
  if (params.cert)
    conditions.push(sql`EXISTS (
      SELECT 1 FROM ${listingCertifications}
      WHERE ${listingCertifications.listingId} = ${listings.id}
        AND ${listingCertifications.type} = ${params.cert}
        AND ${listingCertifications.validUntil} >= ${today}::date
        AND (${listingCertifications.validFrom} IS NULL OR ${listingCertifications.validFrom} <= ${today}::date))`);
  if (params.season)
    // The same rule as isInSeason: a window that is set and contains today.
    conditions.push(
      sql`(${listings.availableFrom} IS NOT NULL OR ${listings.availableUntil} IS NOT NULL)
        AND (${listings.availableFrom} IS NULL OR ${listings.availableFrom} <= ${today}::date)
        AND (${listings.availableUntil} IS NULL OR ${listings.availableUntil} >= ${today}::date)`,
    );
  if (params.min !== undefined) conditions.push(sql`${listings.priceDong} >= ${params.min}`);
  if (params.max !== undefined) conditions.push(sql`${listings.priceDong} <= ${params.max}`);
  return conditions;
}

/**
 * The search as one SELECT (cards, covers, badges, stall): exported so a test
 * can EXPLAIN exactly what the page runs.
 */
export function searchQuery(
  db: Database,
  params: SearchParams,
  { today = todayInVietnam(), limit = SEARCH_PAGE_SIZE }: { today?: string; limit?: number } = {},
) {
  const keys = sortKeys(params.sort, params.q);
  const conditions = matchConditions(params, today);
  const cursorValues = decodeCursor(params.after, params.sort, keys.length);
  const after = cursorValues ? afterCursor(keys, cursorValues) : undefined;
  if (after) conditions.push(after);
  return db
    .select({
      ...publicCardColumns(today),
      sortKey: sql<string[]>`ARRAY[${sql.join(
        keys.map((k) => k.text),
        sql`, `,
      )}]`,
    })
    .from(listings)
    .innerJoin(stalls, eq(stalls.id, listings.stallId))
    .innerJoin(households, eq(households.id, stalls.householdId))
    .leftJoin(listingPhotos, and(eq(listingPhotos.listingId, listings.id), eq(listingPhotos.position, 0)))
    .leftJoin(mediaAssets, eq(mediaAssets.id, listingPhotos.mediaId))
    .where(and(...conditions))
    .orderBy(...keys.map((k) => (k.dir === "asc" ? asc(k.expr) : desc(k.expr))))
    .limit(limit + 1);
}

type Row = Awaited<ReturnType<typeof searchQuery>>[number];

function toCard({ sortKey: _sortKey, ...row }: Row, today: string): SearchResultCard | null {
  const card = toPublicCard(row);
  return card && { ...card, inSeason: isInSeason(card, today) };
}

/** One page of results for the buyer's search. */
export async function searchListings(
  db: Database,
  params: SearchParams,
  { today = todayInVietnam(), limit = SEARCH_PAGE_SIZE }: { today?: string; limit?: number } = {},
): Promise<SearchPage> {
  const rows = await searchQuery(db, params, { today, limit });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.flatMap((row) => toCard(row, today) ?? []),
    next: rows.length > limit && last ? encodeCursor(params.sort, last.sortKey) : null,
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
