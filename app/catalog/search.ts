/**
 * The buyer search's URL contract, browser-safe (reading it back: search-params.server.ts):
 * `/search?q=&category=&province=&commune=&cert=&season=1&min=&max=&sort=&after=`.
 *
 * A bad value never fails the page: it is dropped, and when the buyer typed it
 * (a price) the page says why in their language (`problems` are keys of
 * `common:search.problems`).
 */
import type { CategoryCode, CertificationTypeCode } from "~/listings";

export const SEARCH_SORTS = ["relevance", "newest", "price_asc", "price_desc"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const SEARCH_PAGE_SIZE = 24;
export const QUERY_MAX = 100;

export interface SearchParams {
  q: string;
  category?: CategoryCode;
  province?: string;
  commune?: string;
  cert?: CertificationTypeCode;
  season: boolean;
  min?: number;
  max?: number;
  sort: SearchSort;
  after?: string;
}

export type SearchProblem = "minPrice" | "maxPrice" | "priceRange";

/** The URL of a search (the `after` cursor only when given). */
export function searchHref(params: Partial<SearchParams>, after?: string | null): string {
  const u = new URLSearchParams();
  if (params.q) u.set("q", params.q);
  if (params.category) u.set("category", params.category);
  if (params.province) u.set("province", params.province);
  if (params.commune) u.set("commune", params.commune);
  if (params.cert) u.set("cert", params.cert);
  if (params.season) u.set("season", "1");
  if (params.min !== undefined) u.set("min", String(params.min));
  if (params.max !== undefined) u.set("max", String(params.max));
  if (params.sort && params.sort !== (params.q ? "relevance" : "newest")) u.set("sort", params.sort);
  if (after) u.set("after", after);
  const s = u.toString();
  return s ? `/search?${s}` : "/search";
}
