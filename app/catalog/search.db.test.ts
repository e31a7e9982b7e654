import { and, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "#db/seed/demo";
import { insertBulkListings } from "../../scripts/lib/bulk-listings";
import { type SearchParams } from "./search";
import { parseSearchParams } from "./search-params.server";
import { SEARCH_WINDOW, searchListings, searchPlan, tierQuery, windowQuery, type WalkLimits } from "./search.server";
import { todayInVietnam } from "~/listings/dates";
import { db } from "~/utils/db.server";
import { rowsOf } from "#db/client";

beforeAll(async () => {
  await seedDemo(db);
});

const paramsOf = (query: Record<string, string>): SearchParams => parseSearchParams(new URLSearchParams(query)).params;

async function titles(query: Record<string, string>) {
  return (await searchListings(db, paramsOf(query))).items.map((i) => i.title);
}

describe("searchListings", () => {
  it.each(["vai thieu", "VAI THIEU", "VẢI THIỀU", "vải thiều", "vai tieu"])(
    "finds the lychees for %s, whatever the diacritics, case or a small typo",
    async (q) => {
      const found = await titles({ q });
      expect(found).toEqual(
        expect.arrayContaining(["Vải thiều Thanh Hà loại 1", "Vải thiều hộp quà 5 kg", "Vải thiều sấy khô"]),
      );
      // Paused and draft listings stay hidden.
      expect(found).not.toContain("Vải thiều thùng 10 kg (bán buôn)");
      expect(found).not.toContain("Cây giống vải thiều ghép");
    },
  );

  it("ranks the title that holds every word first", async () => {
    expect((await titles({ q: "vai thieu thanh ha" }))[0]).toBe("Vải thiều Thanh Hà loại 1");
  });

  it("ranks titles with the typed diacritics before other matches", async () => {
    const found = await titles({ q: "vải thiều" });
    expect(found.slice(0, 3).every((title) => title.startsWith("Vải thiều"))).toBe(true);
  });

  it("finds carrots and the onion and garlic stall", async () => {
    expect((await titles({ q: "ca rot" })).slice(0, 3)).toEqual(
      expect.arrayContaining(["Cà rốt Cẩm Giàng loại 1", "Cà rốt bao 50 kg (bán buôn)"]),
    );
    const onions = await titles({ q: "hanh toi" });
    expect(onions.slice(0, 4)).toEqual(
      expect.arrayContaining(["Hành khô Kinh Môn", "Tỏi ta Kinh Môn", "Bó hành khô treo bếp (1 kg)"]),
    );
  });

  it("finds nothing for nonsense", async () => {
    expect(await titles({ q: "xyzzy" })).toEqual([]);
  });

  it("filters by category, price and certification", async () => {
    const fruit = await searchListings(db, paramsOf({ q: "vai", category: "mat-ong-do-kho" }));
    expect(fruit.items.map((i) => i.title)).toContain("Vải thiều sấy khô");
    expect(fruit.items.every((i) => i.category === "mat-ong-do-kho")).toBe(true);
    const cheap = await searchListings(db, paramsOf({ max: "50.000" }));
    expect(cheap.items.length).toBeGreaterThan(0);
    expect(cheap.items.every((i) => i.priceDong <= 50_000)).toBe(true);
    const vietgap = await searchListings(db, paramsOf({ cert: "vietgap" }));
    expect(vietgap.items.length).toBeGreaterThan(0);
    expect(vietgap.items.every((i) => i.badges.some((b) => b.type === "vietgap"))).toBe(true);
  });

  it("sorts by price and pages through everything once with the cursor", async () => {
    const all = await searchListings(db, paramsOf({ sort: "price_asc" }), { limit: 100 });
    const prices = all.items.map((i) => i.priceDong);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await searchListings(db, { ...paramsOf({ sort: "price_asc" }), after }, { limit: 4 });
      seen.push(...page.items.map((p) => p.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(all.items.map((i) => i.id));
  });

  it("pages through relevance results without repeats", async () => {
    const all = await searchListings(db, paramsOf({ q: "vai" }), { limit: 100 });
    const first = await searchListings(db, paramsOf({ q: "vai" }), { limit: 2 });
    const second = await searchListings(db, { ...paramsOf({ q: "vai" }), after: first.next! }, { limit: 2 });
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(all.items.slice(0, 4).map((i) => i.id));
  });

  it("ignores a cursor that is not its own", async () => {
    const page = await searchListings(db, { ...paramsOf({ q: "vai" }), after: "bm90LWEtY3Vyc29y" });
    expect(page.items.length).toBeGreaterThan(0);
  });

  it("treats a tampered cursor whose values the database cannot cast as no cursor", async () => {
    const cursor = (s: string, k: string[]) => Buffer.from(JSON.stringify({ s, k })).toString("base64url");
    const id = "00000000-0000-4000-8000-000000000000";
    const tampered = [
      cursor("newest", ["2026-13-45 10:00:00.000001+00", id]),
      cursor("newest", ["2026-02-30 10:00:00+00", id]),
      cursor("price_asc", ["9999999999", id]),
      cursor("relevance", ["1", "1e999", "2026-01-01 10:00:00+00", id]),
    ];
    for (const after of tampered) {
      const sort = JSON.parse(Buffer.from(after, "base64url").toString()).s;
      const first = await searchListings(db, { ...paramsOf({ q: "vai" }), sort });
      const page = await searchListings(db, { ...paramsOf({ q: "vai" }), sort, after });
      expect(page.items.map((i) => i.id)).toEqual(first.items.map((i) => i.id));
    }
  });

  it("puts the typed diacritics first, then the newest of each kind of match", async () => {
    const found = (await searchListings(db, paramsOf({ q: "vải thiều" }), { limit: 100 })).items;
    const exact = found.filter((i) => i.title.toLocaleLowerCase("vi").includes("vải thiều"));
    expect(found.slice(0, exact.length)).toEqual(exact);
    expect(exact.length).toBeGreaterThan(1);
  });
});

describe("searchListings at catalog scale", () => {
  const today = todayInVietnam();

  beforeAll(async () => {
    // Enough rows, over many stalls, that the planner prefers an index over
    // reading the table, and that common words match hundreds of listings.
    await insertBulkListings(db, { stalls: 300, listings: 5000, batch: "scale" });
    await db.execute(sql`ANALYZE`);
  });

  const searches: Record<string, string>[] = [
    { q: "vai thieu" },
    { q: "vải thiều" },
    { q: "vài thiêu" },
    { q: "vai tieu" },
    { q: "vai thieu thanh ha" },
    { q: "hanh toi" },
    { q: "ca rot", category: "cu-qua" },
    { q: "mat ong", max: "200000" },
    { q: "vai", sort: "newest" },
    { q: "gao", sort: "price_asc" },
    { q: "tom", sort: "price_desc", season: "1" },
    { sort: "price_asc" },
    { cert: "vietgap" },
    { q: "xyzzy" },
  ];

  it("is served by indexes: no sequential scan on listings", async () => {
    const explain = async (statement: ReturnType<typeof tierQuery>) =>
      rowsOf(await db.execute(sql`EXPLAIN ${statement}`))
        .map((row) => String(Object.values(row)[0]))
        .join("\n");
    const queries: Record<string, string>[] = [
      { q: "vai thieu" },
      { q: "vải thiều" },
      { q: "vai tieu" },
      { q: "vải thiều", category: "trai-cay" },
    ];
    for (const query of queries) {
      const plan = searchPlan(paramsOf(query), today);
      // The walk reads an ordered index from its start…
      const walk = await explain(windowQuery(plan, { fromTier: 0, size: SEARCH_WINDOW }));
      // (a category small enough to sort whole may be read through its index instead)
      expect(walk).toMatch(
        query.category
          ? /Index (Only )?Scan (Backward )?(on|using) listings_category_created_idx/
          : /Index (Only )?Scan Backward using listings_created_idx/,
      );
      expect(walk).not.toMatch(/Seq Scan on listings\b/);
      // …and each tier, asked of the indexes, is found through them.
      for (let tier = 0; tier < plan.tiers.length; tier++) {
        const asked = await explain(tierQuery(plan, { tier, limit: 25 }));
        expect(asked).toMatch(/Index (Only )?Scan (Backward )?(on|using) listings_\w+_idx/);
        expect(asked).not.toMatch(/Seq Scan on listings\b/);
      }
    }
    // The seeded product still comes first among thousands of lychees.
    expect((await titles({ q: "vai thieu thanh ha" }))[0]).toBe("Vải thiều Thanh Hà loại 1");
  });

  /** Every result, in order, from one plain statement: what the walks must reproduce. */
  async function everything(query: Record<string, string>): Promise<string[]> {
    const plan = searchPlan(paramsOf(query), today);
    const dir = sql.raw(plan.walk.dir);
    const rows = rowsOf(
      await db.execute(sql`SELECT listings.id FROM listings
        JOIN stalls ON stalls.id = listings.stall_id JOIN households ON households.id = stalls.household_id
        WHERE ${and(...plan.walkFilters, ...plan.rowFilters)} AND ${plan.tierOf} IS NOT NULL
        ORDER BY ${plan.tierOf}, ${plan.walk.key} ${dir}, listings.id ${dir}`),
    );
    return rows.map((r) => String(r.id));
  }

  async function paged(query: Record<string, string>, limits: WalkLimits & { limit: number }, upTo: number) {
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await searchListings(db, { ...paramsOf(query), after }, { today, ...limits });
      seen.push(...page.items.map((i) => i.id));
      after = page.next ?? undefined;
    } while (after && seen.length < upTo);
    return { seen, done: !after };
  }

  it.each([
    ["the walks alone", { window: 400, maxWindow: 5000, limit: 24 }],
    ["short walks that go on", { window: 40, maxWindow: 600, limit: 9 }],
    ["the indexes after a tiny walk", { window: 5, maxWindow: 0, limit: 7 }],
  ])("pages give every result once, in the order of one plain query, with %s", async (_, limits) => {
    for (const query of searches) {
      const expected = await everything(query);
      const upTo = 80;
      const { seen, done } = await paged(query, limits, upTo);
      expect(seen, JSON.stringify(query)).toEqual(expected.slice(0, seen.length));
      if (done) expect(seen.length, JSON.stringify(query)).toBe(expected.length);
      else expect(seen.length).toBeGreaterThanOrEqual(upTo);
    }
  });
});
