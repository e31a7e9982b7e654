/**
 * Reading the search URL back (search.ts holds the contract). Server-only:
 * the validation uses zod, which the search page's browser bundle does without.
 */
import { z } from "zod";
import { SEARCH_SORTS, QUERY_MAX, type SearchParams, type SearchProblem } from "./search";
import { CATEGORIES, CERTIFICATION_TYPES, MAX_PRICE_DONG } from "~/listings";
import { parseDong } from "~/utils/numbers";
import { oneLine } from "~/utils/text";

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
  const parsed = parseDong(raw);
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
  const q = oneLine(search.get("q")).slice(0, QUERY_MAX);
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
