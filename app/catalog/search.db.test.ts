import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../db/seed/demo";
import { insertBulkListings } from "./bulk-listings.server";
import { parseSearchParams, type SearchParams } from "./search";
import { searchListings, searchQuery } from "./search.server";
import { db } from "~/utils/db.server";

beforeAll(async () => {
  await seedDemo(db);
});

const paramsOf = (query: Record<string, string>): SearchParams => parseSearchParams(new URLSearchParams(query)).params;

async function titles(query: Record<string, string>) {
  return (await searchListings(db, paramsOf(query))).items.map((i) => i.title);
}

/** Rows of db.execute on either driver. */
const rowsOf = (result: unknown) =>
  (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];

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

  it("is served by indexes: no sequential scan on listings", async () => {
    // Enough rows, over many stalls, that the planner prefers an index over reading the table.
    await insertBulkListings(db, { stalls: 300, listings: 5000, batch: "explain" });
    await db.execute(sql`ANALYZE`);
    const queries: Record<string, string>[] = [
      { q: "vai thieu" },
      { q: "vai tieu" },
      { q: "vải thiều", category: "trai-cay" },
    ];
    for (const query of queries) {
      const plan = rowsOf(await db.execute(sql`EXPLAIN ${searchQuery(db, paramsOf(query))}`))
        .map((row) => String(Object.values(row)[0]))
        .join("\n");
      expect(plan).toMatch(/Index Scan (on|using) listings_\w+_idx/);
      expect(plan).not.toMatch(/Seq Scan on listings\b/);
    }
    // The seeded product still comes first among thousands of lychees.
    expect((await titles({ q: "vai thieu thanh ha" }))[0]).toBe("Vải thiều Thanh Hà loại 1");
  });
});
