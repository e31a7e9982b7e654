/**
 * /search through its real loader over the demo data.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "#db/seed/demo";
import { loader } from "./search";
import { db } from "~/utils/db.server";

beforeAll(async () => {
  await seedDemo(db);
});

const load = (query: string) =>
  loader({ request: new Request(`http://localhost/search?${query}`), params: {}, context: {} });

describe("/search", () => {
  it.each(["q=vai+thieu", "q=VAI+THIEU", "q=v%E1%BA%A3i+thi%E1%BB%81u", "q=vai+tieu"])(
    "finds lychees for %s",
    async (query) => {
      const data = await load(query);
      expect(data.empty).toBe(false);
      expect(data.items.map((i) => i.title)).toContain("Vải thiều Thanh Hà loại 1");
      expect(data.items[0]).toMatchObject({ stallSlug: "vai-thieu-bac-thinh" });
    },
  );

  it("describes the page for search engines and link previews, with or without a query", async () => {
    expect((await load("q=rau")).description).toMatch(/^“rau” mua thẳng từ hộ nông dân/);
    expect((await load("")).description).toMatch(/^Tìm nông sản/);
  });

  it("shows matching stalls as a side note", async () => {
    const data = await load("q=hanh+toi");
    expect(data.items.map((i) => i.title)).toContain("Hành khô Kinh Môn");
    expect(data.stalls.map((s) => s.name)).toContain("Hành tỏi Kinh Môn nhà anh Hùng");
  });

  it("says the search is empty and suggests categories for nonsense", async () => {
    const data = await load("q=xyzzy");
    expect(data.empty).toBe(true);
    expect(data.items).toEqual([]);
    expect(data.suggestions?.categories.map((c) => c.code)).toContain("trai-cay");
  });

  it("ignores bad parameters and explains a bad price instead of failing", async () => {
    const data = await load("q=vai&category=nope&province=abc&sort=zzz&after=%%%&min=12,5&max=abc");
    expect(data.items.length).toBeGreaterThan(0);
    expect(data.params).toMatchObject({ q: "vai", sort: "relevance" });
    expect(data.params.category).toBeUndefined();
    expect(data.problems).toEqual(["minPrice", "maxPrice"]);
  });

  it("links to the next page while there are more results", async () => {
    const data = await load("sort=price_asc");
    expect(data.items.length).toBe(24);
    expect(data.nextHref).toMatch(/^\/search\?sort=price_asc&after=[\w-]+$/);
    const next = await load(data.nextHref!.split("?")[1]);
    const firstIds = new Set(data.items.map((i) => i.id));
    expect(next.items.some((i) => firstIds.has(i.id))).toBe(false);
  });
});
