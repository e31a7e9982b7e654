import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { stalls } from "#db/schema";
import { createFarmerWithStall, listingInput, makePhotos } from "#tests/fixtures/factories";
import { createListing, listInSeasonListings } from "./listings.server";
import { db } from "~/utils/db.server";

const TODAY = "2026-06-10";

describe("listInSeasonListings", () => {
  it("lists on-sale products whose harvest window holds today, ending soonest first, from published stalls only", async () => {
    const open = await createFarmerWithStall(db);
    const closed = await createFarmerWithStall(db, { stall: { status: "unpublished" } });
    const make = async (
      stallId: string,
      userId: string,
      title: string,
      from: string | null,
      until: string | null,
      seed: number,
      status: "active" | "draft" = "active",
    ) =>
      createListing(db, {
        stallId,
        userId,
        input: listingInput({ title, availableFrom: from, availableUntil: until }),
        photos: await makePhotos(1, seed),
        status,
      });
    await make(open.stall.id, open.user.id, "Vải thiều chính vụ", "2026-06-01", "2026-07-15", 8801);
    await make(open.stall.id, open.user.id, "Vải U hồng", "2026-05-15", "2026-06-20", 8802);
    await make(open.stall.id, open.user.id, "Nhãn lồng", "2026-08-01", "2026-09-15", 8803);
    await make(open.stall.id, open.user.id, "Gạo nếp cái hoa vàng", null, null, 8804);
    await make(open.stall.id, open.user.id, "Vải bản nháp", "2026-06-01", "2026-07-15", 8805, "draft");
    await make(closed.stall.id, closed.user.id, "Vải gian đóng", "2026-06-01", "2026-07-15", 8806);

    const found = await listInSeasonListings(db, { today: TODAY });
    expect(found.map((p) => p.title)).toEqual(["Vải U hồng", "Vải thiều chính vụ"]);
    expect(found[0]).toMatchObject({ stallSlug: open.stall.slug, priceDong: 45_000 });
    expect(found[0].cover?.hash).toMatch(/^[0-9a-f]{64}$/);

    await db.update(stalls).set({ status: "unpublished" }).where(eq(stalls.id, open.stall.id));
    expect(await listInSeasonListings(db, { today: TODAY })).toEqual([]);
  });
});
