/**
 * `npm run bench:search`: what a buyer search costs as the catalog grows, on a
 * throwaway database (in-memory PGlite; PostgreSQL with --database-url, where
 * a scratch database is created next to the given one and dropped after).
 *
 * For 10,000 and then 100,000 listings (over ~20 per stall, spread across
 * communes), it measures p50/p95 of searches (with and without diacritics, a
 * typo, a filter, browsing by price) through searchListings, as a ratio to a
 * primary-key lookup of a listing timed in the same run, and the growth
 * p50(100k)/p50(10k) (aim ≤ 2: the indexes, not the table size, set the cost).
 *
 * Flags: --database-url postgres://… , --iterations N (100). A benchmark, not a
 * test: exit code 0 whatever the figures, MISSED next to a missed aim; the
 * last line is JSON.
 */
import { performance } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "#db/client";
import { listings } from "#db/schema";
import { insertBulkListings } from "../lib/bulk-listings";
import { parseSearchParams } from "~/catalog/index.server";
import { searchListings } from "../../app/catalog/search.server";
import type { Database } from "../../app/utils/db.server";
import { openScratchPostgres, timeRuns } from "../lib/bench-db";
import { flag, numberFlag, printTable } from "./server";

const GROWTH_AIM = 2;
const ITERATIONS = numberFlag("iterations", 100);
const DATABASE_URL = flag("database-url");
const SIZES = [10_000, 100_000];
const PER_STALL = 20;

const QUERIES: Record<string, string> = {
  "vai thieu": "q=vai+thieu",
  "vải thiều": "q=v%E1%BA%A3i+thi%E1%BB%81u",
  "vai tieu (typo)": "q=vai+tieu",
  "gao nep cai hoa vang": "q=gao+nep+cai+hoa+vang",
  "ca rot + category": "q=ca+rot&category=cu-qua",
  "mat ong + max price": "q=mat+ong&max=200000",
  "browse by price": "sort=price_asc",
};

const time = (run: () => Promise<unknown>) => timeRuns(run, ITERATIONS);

async function openScratch(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void>; engine: string }> {
  if (!DATABASE_URL) {
    const handle = await openDatabase({ url: "memory://" });
    return { handle, drop: async () => {}, engine: "PGlite (in memory)" };
  }
  const { handle, name, drop } = await openScratchPostgres(DATABASE_URL, "search");
  return { handle, drop, engine: `PostgreSQL (${name})` };
}

interface Figures {
  size: number;
  pk: { p50: number; p95: number };
  queries: Record<string, { p50: number; p95: number; results: number }>;
}

async function measure(db: Database, size: number): Promise<Figures> {
  const [{ id }] = await db.select({ id: listings.id }).from(listings).limit(1);
  const pk = await time(() => db.select().from(listings).where(eq(listings.id, id)));
  const queries: Figures["queries"] = {};
  for (const [label, query] of Object.entries(QUERIES)) {
    const { params } = parseSearchParams(new URLSearchParams(query));
    const results = (await searchListings(db, params)).items.length;
    queries[label] = { ...(await time(() => searchListings(db, params))), results };
  }
  return { size, pk, queries };
}

async function main() {
  const started = performance.now();
  const { handle, drop, engine } = await openScratch();
  const figures: Figures[] = [];
  try {
    await handle.migrate();
    const { db } = handle;
    let present = 0;
    for (const size of SIZES) {
      const add = size - present;
      const loadStart = performance.now();
      await insertBulkListings(db, { stalls: Math.ceil(add / PER_STALL), listings: add, batch: `bench${size}` });
      await db.execute(sql`ANALYZE`);
      present = size;
      console.error(`${engine}: ${size} listings loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`);
      figures.push(await measure(db, size));
    }
  } finally {
    await handle.close();
    await drop();
  }

  const [small, large] = figures;
  const rows = Object.keys(QUERIES).map((label) => {
    const a = small.queries[label];
    const b = large.queries[label];
    const growth = b.p50 / a.p50;
    return [
      label,
      String(b.results),
      a.p50.toFixed(2),
      a.p95.toFixed(2),
      (a.p50 / small.pk.p50).toFixed(1),
      b.p50.toFixed(2),
      b.p95.toFixed(2),
      (b.p50 / large.pk.p50).toFixed(1),
      `${growth.toFixed(2)} ${growth <= GROWTH_AIM ? "ok" : "MISSED"}`,
    ];
  });
  rows.unshift([
    "primary-key lookup",
    "1",
    small.pk.p50.toFixed(2),
    small.pk.p95.toFixed(2),
    "1.0",
    large.pk.p50.toFixed(2),
    large.pk.p95.toFixed(2),
    "1.0",
    (large.pk.p50 / small.pk.p50).toFixed(2),
  ]);
  console.log(`\nSearch on ${engine}, ${ITERATIONS} runs per query (ms; ×pk = p50 / primary-key p50)\n`);
  printTable(
    ["query", "hits", "10k p50", "10k p95", "10k ×pk", "100k p50", "100k p95", "100k ×pk", "growth (aim ≤ 2)"],
    rows,
  );
  const growth = Object.fromEntries(
    Object.keys(QUERIES).map((label) => [label, +(large.queries[label].p50 / small.queries[label].p50).toFixed(2)]),
  );
  console.log(
    JSON.stringify({
      bench: "search",
      engine: DATABASE_URL ? "postgres" : "pglite",
      iterations: ITERATIONS,
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      sizes: figures.map((f) => ({
        listings: f.size,
        pk: f.pk,
        queries: Object.fromEntries(
          Object.entries(f.queries).map(([k, v]) => [k, { ...v, ratioToPk: +(v.p50 / f.pk.p50).toFixed(1) }]),
        ),
      })),
      growth,
      growthAim: GROWTH_AIM,
      allWithinAim: Object.values(growth).every((g) => g <= GROWTH_AIM),
    }),
  );
}

await main();
