import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "#db/seed/demo";
import { stalls } from "#db/schema";
import { loader as stallLoader } from "~/routes/s.$stallSlug";
import { db } from "~/utils/db.server";
import { getPublishedStall, listPublishedStalls, searchStalls } from "./stalls.server";

beforeAll(async () => {
  await seedDemo(db, { listings: false });
});

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe("public stalls", () => {
  it("lists the seeded published stalls with their commune and province", async () => {
    const list = await listPublishedStalls(db);
    expect(list.length).toBeGreaterThanOrEqual(10);
    const thinh = list.find((s) => s.slug === "vai-thieu-bac-thinh")!;
    expect(thinh.communeName).toBe("Xã Thanh Hà");
    expect(thinh.provinceName).toBe("Thành phố Hải Phòng");
  });

  it("finds stalls typed with or without diacritics, in any case", async () => {
    for (const q of ["vai thieu", "VAI THIEU", "vải thiều", "Vải Thiều"]) {
      expect(names(await searchStalls(db, q)), q).toContain("Vườn vải thiều bác Thịnh");
    }
    expect(names(await searchStalls(db, "ca rot"))).toContain("Cà rốt Cẩm Giàng – chị Hằng");
    // By the commune's name too.
    expect((await searchStalls(db, "cam giang")).length).toBeGreaterThan(0);
  });

  it("finds nothing for nonsense and treats LIKE wildcards as text", async () => {
    expect(await searchStalls(db, "xyzzy")).toEqual([]);
    expect(await searchStalls(db, "%")).toEqual([]);
    expect(await searchStalls(db, "   ")).toEqual([]);
  });

  it("hides a stall that is not published, from lists, search and its page", async () => {
    await db.update(stalls).set({ status: "unpublished" }).where(eq(stalls.slug, "vai-thieu-bac-thinh"));
    expect(await getPublishedStall(db, "vai-thieu-bac-thinh")).toBeNull();
    expect(names(await searchStalls(db, "vai thieu"))).not.toContain("Vườn vải thiều bác Thịnh");
    expect((await listPublishedStalls(db)).map((s) => s.slug)).not.toContain("vai-thieu-bac-thinh");
    await expect(
      stallLoader({
        request: new Request("http://localhost/s/vai-thieu-bac-thinh"),
        params: { stallSlug: "vai-thieu-bac-thinh" },
        context: {},
      }),
    ).rejects.toMatchObject({ status: 404 });
    await db.update(stalls).set({ status: "published" }).where(eq(stalls.slug, "vai-thieu-bac-thinh"));
  });
});
