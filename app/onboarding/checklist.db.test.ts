/**
 * The dashboard's "what makes a stall sell" checklist against a real database:
 * each item turns done when the farmer does the thing, and points at the place
 * to do it while it is not.
 */
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listingCertifications, listingPhotos, listings, stalls, type Stall } from "#db/schema";
import { stallChecklist, type ChecklistKey, type StallChecklist } from "./checklist.server";
import { createListing } from "~/listings/listings.server";
import { db } from "~/utils/db.server";
import { createFarmerWithStall, listingInput, makePhotos, type FarmerWithStall } from "#tests/fixtures/factories";

const LONG = "Vải chín cây ở Thanh Hà, hái sáng nào giao sáng ấy, đóng thùng xốp 10 kg có đá.";
const SHORT = "Vải ngon, ngọt.";

let farmer: FarmerWithStall;
let seed = 1;
const photos = async (n: number) => {
  const made = await makePhotos(n, seed);
  seed += n;
  return made;
};

function find(checklist: StallChecklist, key: ChecklistKey) {
  const item = [...checklist.items, ...checklist.tips].find((i) => i.key === key);
  if (!item) throw new Error(`no checklist item ${key}`);
  return item;
}

async function updateStall(values: Partial<typeof stalls.$inferInsert>): Promise<Stall> {
  const [row] = await db.update(stalls).set(values).where(eq(stalls.id, farmer.stall.id)).returning();
  farmer.stall = row;
  return row;
}

const check = () => stallChecklist(db, farmer.stall);

beforeAll(async () => {
  farmer = await createFarmerWithStall(db);
});

describe("stallChecklist", () => {
  it("a new stall: only the default cash on delivery is done, each gap links to where it is fixed", async () => {
    const list = await check();
    expect(list.total).toBe(7);
    expect(list.done).toBe(1);
    expect(list.items.map((i) => [i.key, i.done, i.href])).toEqual([
      ["listing", false, "/seller/listings/new"],
      ["photos", false, "/seller/listings/new"],
      ["descriptions", false, "/seller/listings/new"],
      ["payment", true, "/setup/payment"],
      ["delivery", false, "/setup/delivery"],
      ["banner", false, "/setup/stall"],
      ["stallDescription", false, "/setup/stall"],
    ]);
    expect(list.tips.map((i) => [i.key, i.done])).toEqual([
      ["morePhotos", false],
      ["certifications", false],
      ["vietqr", false],
    ]);
  });

  it("follows the listings on sale: photos, descriptions of 40 characters and the ideal of 3 photos", async () => {
    const short = await createListing(db, {
      stallId: farmer.stall.id,
      input: listingInput({ title: "Vải thiều loại 2", description: SHORT }),
      photos: await photos(1),
      status: "active",
    });
    let list = await check();
    expect(find(list, "listing").done).toBe(true);
    expect(find(list, "photos")).toMatchObject({ done: true, count: 0 });
    expect(find(list, "descriptions")).toMatchObject({ done: false, count: 1, href: `/seller/listings/${short.id}` });
    expect(find(list, "morePhotos")).toMatchObject({ done: false, count: 1, href: `/seller/listings/${short.id}` });
    expect(list.done).toBe(3);

    await createListing(db, {
      stallId: farmer.stall.id,
      input: listingInput({ title: "Vải thiều loại 1", description: LONG }),
      photos: await photos(3),
      status: "active",
    });
    // A draft is not in front of buyers yet: its missing photo is not held against the stall.
    await createListing(db, { stallId: farmer.stall.id, input: listingInput({ title: "Nhãn lồng", description: "" }) });
    list = await check();
    expect(find(list, "descriptions")).toMatchObject({ done: false, count: 1, href: `/seller/listings/${short.id}` });
    expect(find(list, "morePhotos")).toMatchObject({ count: 1 });
    expect(find(list, "photos").done).toBe(true);

    // Forty characters, counted as letters with their diacritics (not bytes), after trimming.
    await db
      .update(listings)
      .set({ description: `  ${"ả".repeat(39)}  ` })
      .where(eq(listings.id, short.id));
    expect(find(await check(), "descriptions").done).toBe(false);
    await db
      .update(listings)
      .set({ description: "ả".repeat(40) })
      .where(eq(listings.id, short.id));
    list = await check();
    expect(find(list, "descriptions")).toMatchObject({ done: true, count: 0 });

    // A listing on sale without any photo (e.g. written before the rule, or imported).
    const [bare] = await db
      .insert(listings)
      .values({
        stallId: farmer.stall.id,
        slug: "trung-ga-ta",
        title: "Trứng gà ta",
        description: LONG,
        category: "gia-cam-trung",
        unit: "qua",
        priceDong: 4_000,
        stockQty: 100,
        status: "active",
        position: 99,
      })
      .returning();
    list = await check();
    expect(find(list, "photos")).toMatchObject({ done: false, count: 1, href: `/seller/listings/${bare.id}` });
    expect(find(list, "morePhotos")).toMatchObject({ count: 2 });
    await db.update(listings).set({ status: "paused" }).where(eq(listings.id, bare.id));
    expect(find(await check(), "photos").done).toBe(true);
  });

  it("counts a certification only while it is valid, and points a stall without any at its first product", async () => {
    let list = await check();
    const first = find(list, "certifications");
    expect(first.done).toBe(false);
    expect(first.href).toMatch(/^\/seller\/listings\/[0-9a-f-]{36}$/);

    const [draft] = await db.select({ id: listings.id }).from(listings).where(eq(listings.status, "draft"));
    await db
      .insert(listingCertifications)
      .values({ listingId: draft.id, type: "organic", number: "HC-2025-07", validUntil: "2099-12-31" });
    // A certificate on a draft is not shown to buyers yet.
    expect(find(await check(), "certifications").done).toBe(false);

    const onSaleId = first.href.split("/").pop()!;
    const [expired] = await db
      .insert(listingCertifications)
      .values({ listingId: onSaleId, type: "vietgap", number: "VG-01-2019", validUntil: "2020-12-31" })
      .returning();
    expect(find(await check(), "certifications").done).toBe(false);

    await db
      .update(listingCertifications)
      .set({ validUntil: "2099-12-31" })
      .where(eq(listingCertifications.id, expired.id));
    list = await check();
    expect(find(list, "certifications").done).toBe(true);
  });

  it("follows the stall's own settings: payment, delivery, banner, introduction and VietQR", async () => {
    await updateStall({ codEnabled: false, vietqrEnabled: false });
    expect(find(await check(), "payment").done).toBe(false);

    await updateStall({
      vietqrEnabled: true,
      bankBin: "970436",
      bankAccountNumber: "0123456789",
      bankAccountName: "NGUYEN VAN TEST",
    });
    let list = await check();
    expect(find(list, "payment").done).toBe(true);
    expect(find(list, "vietqr").done).toBe(true);

    for (const option of ["pickupEnabled", "localDeliveryEnabled", "shippingEnabled"] as const) {
      await updateStall({ pickupEnabled: false, localDeliveryEnabled: false, shippingEnabled: false, [option]: true });
      expect(find(await check(), "delivery").done, option).toBe(true);
    }

    await updateStall({ description: "   " });
    expect(find(await check(), "stallDescription").done).toBe(false);
    await updateStall({ description: "Vườn vải ba đời của gia đình ở Thanh Hà." });

    const [photo] = await db.select({ mediaId: listingPhotos.mediaId }).from(listingPhotos).limit(1);
    await updateStall({ bannerMediaId: photo.mediaId });
    list = await check();
    expect(find(list, "stallDescription").done).toBe(true);
    expect(find(list, "banner").done).toBe(true);
    expect(list.done).toBe(7);
    expect(list.items.every((i) => i.done)).toBe(true);
  });
});
