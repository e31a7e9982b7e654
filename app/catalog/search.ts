/**
 * The buyer search's URL contract, browser-safe:
 * `/search?q=&category=&province=&commune=&cert=&season=1&min=&max=&sort=&after=`.
 *
 * A bad value never fails the page: it is dropped, and when the buyer typed it
 * (a price) the page says why in their language (`problems` are keys of
 * `common:search.problems`).
 */
import { z } from "zod";
import { CATEGORIES, CERTIFICATION_TYPES, MAX_PRICE_DONG, type CategoryCode } from "~/listings/catalog";
import type { CertificationTypeCode } from "~/listings/catalog";
import { parseWholeNumber } from "~/listings/schemas";

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

const adminCode = z.string().regex(/^\d{1,10}$/);
const category = z.enum(CATEGORIES);
const cert = z.enum(CERTIFICATION_TYPES);
const sort = z.enum(SEARCH_SORTS);
// Cursors are short base64url strings; anything else is somebody's typing.
const cursor = z
  .string()
  .max(400)
  .regex(/^[A-Za-z0-9_-]+$/);

function price(raw: string | null): { value?: number; bad: boolean } {
  if (raw === null || !raw.trim()) return { bad: false };
  const parsed = parseWholeNumber(raw.replace(/\s*(?:₫|đ|đồng|dong|vnd|vnđ)\.?$/iu, ""));
  if (!parsed.ok || parsed.value < 0 || parsed.value > MAX_PRICE_DONG) return { bad: true };
  return { value: parsed.value, bad: false };
}

const pick = <T>(schema: z.ZodType<T>, raw: string | null): T | undefined => {
  if (raw === null || raw === "") return undefined;
  const r = schema.safeParse(raw);
  return r.success ? r.data : undefined;
};

/** The search a URL asks for, with whatever was wrong in it left out. */
export function parseSearchParams(search: URLSearchParams): { params: SearchParams; problems: SearchProblem[] } {
  const problems: SearchProblem[] = [];
  const q = (search.get("q") ?? "").normalize("NFC").replace(/\s+/g, " ").trim().slice(0, QUERY_MAX);
  const min = price(search.get("min"));
  const max = price(search.get("max"));
  if (min.bad) problems.push("minPrice");
  if (max.bad) problems.push("maxPrice");
  let [minValue, maxValue] = [min.value, max.value];
  if (minValue !== undefined && maxValue !== undefined && minValue > maxValue) {
    problems.push("priceRange");
    [minValue, maxValue] = [maxValue, minValue];
  }
  const province = pick(adminCode, search.get("province"));
  const params: SearchParams = {
    q,
    category: pick(category, search.get("category")),
    province,
    // A commune only counts inside the chosen province's list (the form shows it then).
    commune: pick(adminCode, search.get("commune")),
    cert: pick(cert, search.get("cert")),
    season: search.get("season") === "1",
    min: minValue,
    max: maxValue,
    sort: pick(sort, search.get("sort")) ?? (q ? "relevance" : "newest"),
    after: pick(cursor, search.get("after")),
  };
  // Without words there is nothing to be relevant to.
  if (!q && params.sort === "relevance") params.sort = "newest";
  return { params, problems };
}

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
