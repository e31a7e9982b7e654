import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listings, stalls } from "#db/schema";
import { createFarmerWithStall, listingInput, makePhotos } from "#tests/fixtures/factories";
import { getStorefront } from "./storefront.server";
import { createListing, updateListing } from "~/listings/listings.server";
import { db, dbDriver } from "~/utils/db.server";

const TODAY = "2026-11-26";

async function stallWithProduct() {
  const farmer = await createFarmerWithStall(db);
  const listing = await createListing(db, {
    stallId: farmer.stall.id,
    userId: farmer.user.id,
    input: listingInput({ title: "Vải thiều", priceDong: 45_000 }),
    photos: await makePhotos(1, 7100 + Math.floor(Math.random() * 1000)),
    status: "active",
  });
  return { ...farmer, listing };
}

describe("getStorefront", () => {
  it("gives the stall and its products, and null for an unpublished or unknown stall", async () => {
    const { stall } = await stallWithProduct();
    const storefront = await getStorefront(db, stall.slug, TODAY);
    expect(storefront?.stall.name).toBe(stall.name);
    expect(storefront?.products.map((p) => [p.title, p.priceDong])).toEqual([["Vải thiều", 45_000]]);
    expect(await getStorefront(db, "khong-co-gian-hang-nay", TODAY)).toBeNull();
    await db.update(stalls).set({ status: "unpublished" }).where(eq(stalls.id, stall.id));
    expect(await getStorefront(db, stall.slug, TODAY)).toBeNull();
  });

  it("never shows a page older than the last change: a price change, a raw update, a transaction", async () => {
    const { stall, listing } = await stallWithProduct();
    const first = await getStorefront(db, stall.slug, TODAY);
    const again = await getStorefront(db, stall.slug, TODAY);
    // The embedded engine keeps the page until the next write; PostgreSQL reads again.
    if (dbDriver === "pglite") expect(again).toBe(first);
    else expect(again).not.toBe(first);
    expect(again).toEqual(first);

    await updateListing(db, {
      listingId: listing.id,
      stallId: stall.id,
      input: listingInput({ title: "Vải thiều", priceDong: 52_000 }),
    });
    expect((await getStorefront(db, stall.slug, TODAY))?.products[0].priceDong).toBe(52_000);

    await db.update(listings).set({ title: "Vải thiều sớm" }).where(eq(listings.id, listing.id));
    expect((await getStorefront(db, stall.slug, TODAY))?.products[0].title).toBe("Vải thiều sớm");

    await db.transaction(async (tx) => {
      await tx.update(stalls).set({ name: "Vườn đổi tên" }).where(eq(stalls.id, stall.id));
    });
    expect((await getStorefront(db, stall.slug, TODAY))?.stall.name).toBe("Vườn đổi tên");
  });

  it("lets simultaneous visitors share one read", async () => {
    const { stall } = await stallWithProduct();
    await db.update(stalls).set({ description: "mới" }).where(eq(stalls.id, stall.id));
    const burst = await Promise.all(Array.from({ length: 5 }, () => getStorefront(db, stall.slug, TODAY)));
    for (const storefront of burst) expect(storefront).toBe(burst[0]);
  });
});
