import type { LoaderFunctionArgs } from "@remix-run/node";
import { listCommunes, searchCommunes } from "~/admin-units/index.server";
import { db } from "~/utils/db.server";

/** What CommunePicker reads; only what a picker shows, so the answer stays small on 3G. */
export type CommunesResponse = { communes: { code: string; name: string; fullName: string }[] };

export const SEARCH_LIMIT = 20;
/** The largest province has about 170 communes; the cap only guards against a bad import. */
export const LIST_LIMIT = 250;

const CACHE = { "Cache-Control": "public, max-age=3600" };

/**
 * /admin-units/communes?province=<code>&q=<text> — the communes of one
 * province: those matching q (diacritic-insensitive, best first), or all of
 * them when q is empty. Units change only by import, so browsers may keep an
 * answer for an hour.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const province = params.get("province") ?? "";
  const q = params.get("q") ?? "";
  if (!/^\d{1,10}$/.test(province)) {
    return Response.json({ communes: [] } satisfies CommunesResponse, { status: 400 });
  }
  const rows = q.trim()
    ? await searchCommunes(db, province, q, SEARCH_LIMIT)
    : (await listCommunes(db, province)).slice(0, LIST_LIMIT);
  const body: CommunesResponse = {
    communes: rows.map(({ code, name, fullName }) => ({ code, name, fullName })),
  };
  return Response.json(body, { headers: CACHE });
}
