import { getPublicListing } from "~/stalls/index.server";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listings, mediaAssets, stalls } from "#db/schema";
import {
  createFarmerWithStall,
  listingInput,
  makePhoto,
  makePhotos,
  type FarmerWithStall,
} from "#tests/fixtures/factories";
import {
  ListingError,
  addPhotos,
  createListing,
  duplicateListing,
  getSellerListing,
  listPublicStallListings,
  listStallListings,
  removePhoto,
  movePhoto,
  reorderPhotos,
  setCoverPhoto,
  setListingStatus,
  updateListing,
  type SellerListing,
} from "./listings.server";
import { uniqueSlug } from "./slug.server";
import { PhotoError } from "~/media/photos.server";
import { storage } from "~/media/storage.server";
import { db } from "~/utils/db.server";

// Photos go to DATA_DIR/media: a folder of this test file's own, set before any app module reads the env.
const dataDir = await vi.hoisted(async () => {
  const fs = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ghs-listings-"));
  process.env.DATA_DIR = dir;
  delete globalThis.__ghsStorage;
  return dir;
});

afterAll(async () => {
  const fs = await import("node:fs");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Rows and files of photos: what "nothing stored" is checked against. */
async function stored() {
  const [{ n }] = await db.select({ n: count() }).from(mediaAssets);
  return { assets: n, files: (await storage().list("photos/")).length };
}

/** The ListingError code a call fails with. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ListingError)) throw new Error(`expected a ListingError, got ${String(error)}`);
  return error.code;
}

let farmer: FarmerWithStall;
let neighbour: FarmerWithStall;

beforeAll(async () => {
  farmer = await createFarmerWithStall(db);
  neighbour = await createFarmerWithStall(db);
});

async function newListing(
  overrides: Parameters<typeof listingInput>[0] = {},
  {
    photos = 1,
    seed = Math.floor(Math.random() * 1e6),
    stall = farmer,
    status,
  }: { photos?: number; seed?: number; stall?: FarmerWithStall; status?: "draft" | "active" } = {},
): Promise<SellerListing> {
  return createListing(db, {
    stallId: stall.stall.id,
    userId: stall.user.id,
    input: listingInput(overrides),
    photos: await makePhotos(photos, seed),
    status,
  });
}

describe("createListing", () => {
  it("stores a draft with its photos in order, its certifications and a slug from the Vietnamese title", async () => {
    const photos = await makePhotos(3, 100);
    const listing = await createListing(db, {
      stallId: farmer.stall.id,
      userId: farmer.user.id,
      input: listingInput({
        title: "Cà rốt Đức Chính loại 1",
        category: "cu-qua",
        unit: "bao",
        priceDong: 350_000,
        certifications: [
          {
            type: "vietgap",
            number: "VG-2025-0042",
            issuer: "Trung tâm Kiểm nghiệm",
            ocopStars: null,
            validFrom: null,
            validUntil: "2027-12-31",
          },
        ],
      }),
      photos,
    });
    expect(listing).toMatchObject({
      stallId: farmer.stall.id,
      slug: "ca-rot-duc-chinh-loai-1",
      title: "Cà rốt Đức Chính loại 1",
      status: "draft",
      priceDong: 350_000,
      unit: "bao",
    });
    expect(listing.photos.map((p) => p.position)).toEqual([0, 1, 2]);
    expect(listing.photos[0]).toMatchObject({ width: 800, height: 600 });
    expect(listing.photos[0].dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(listing.certifications).toHaveLength(1);
    expect(listing.certifications[0]).toMatchObject({ type: "vietgap", number: "VG-2025-0042" });
    const [{ uploadedByUserId }] = await db
      .select({ uploadedByUserId: mediaAssets.uploadedByUserId })
      .from(mediaAssets)
      .where(eq(mediaAssets.id, listing.photos[0].mediaId));
    expect(uploadedByUserId).toBe(farmer.user.id);
    for (const photo of listing.photos) {
      expect(await storage().exists(`photos/${photo.hash}/640.webp`)).toBe(true);
    }
  });

  it("numbers slugs within the stall: -2, -3; another stall starts again", async () => {
    const title = "Vải thiều Thanh Hà loại đặc biệt";
    const slugs = [];
    for (let i = 0; i < 3; i++) slugs.push((await newListing({ title }, { photos: 0 })).slug);
    expect(slugs).toEqual([
      "vai-thieu-thanh-ha-loai-dac-biet",
      "vai-thieu-thanh-ha-loai-dac-biet-2",
      "vai-thieu-thanh-ha-loai-dac-biet-3",
    ]);
    const elsewhere = await newListing({ title }, { photos: 0, stall: neighbour });
    expect(elsewhere.slug).toBe("vai-thieu-thanh-ha-loai-dac-biet");
    expect(await uniqueSlug(db, farmer.stall.id, title)).toBe("vai-thieu-thanh-ha-loai-dac-biet-4");
    // "Poster" would collide with /s/:stallSlug/poster.
    expect((await newListing({ title: "Poster" }, { photos: 0 })).slug).toBe("poster-2");
  });

  it("gives concurrent listings of the same title different slugs", async () => {
    const created = await Promise.all(
      Array.from({ length: 5 }, () =>
        createListing(db, {
          stallId: farmer.stall.id,
          userId: farmer.user.id,
          input: listingInput({ title: "Ổi lê Thanh Hà" }),
        }),
      ),
    );
    expect(new Set(created.map((l) => l.slug))).toEqual(
      new Set(["oi-le-thanh-ha", "oi-le-thanh-ha-2", "oi-le-thanh-ha-3", "oi-le-thanh-ha-4", "oi-le-thanh-ha-5"]),
    );
  });

  it("can publish at once with a photo and something to sell, never without a photo", async () => {
    const before = await stored();
    expect(
      await refusal(
        createListing(db, { stallId: farmer.stall.id, input: listingInput(), photos: [], status: "active" }),
      ),
    ).toBe("photo_required");
    expect(
      await refusal(
        createListing(db, {
          stallId: farmer.stall.id,
          input: listingInput({ stockQty: 0 }),
          photos: [await makePhoto(7001)],
          status: "active",
        }),
      ),
    ).toBe("no_stock");
    expect(await stored()).toEqual(before);
    const listing = await createListing(db, {
      stallId: farmer.stall.id,
      input: listingInput({ title: "Vải U đầu mùa" }),
      photos: [await makePhoto(7002)],
      status: "active",
    });
    expect(listing.status).toBe("active");
  });

  it("refuses invalid input with field keys, before storing anything", async () => {
    const before = await stored();
    const [{ n: listingsBefore }] = await db.select({ n: count() }).from(listings);
    const error = await createListing(db, {
      stallId: farmer.stall.id,
      input: listingInput({ priceDong: 0, preorder: true }),
      photos: await makePhotos(2, 7100),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ListingError);
    expect((error as ListingError).code).toBe("invalid_input");
    expect((error as ListingError).fields).toEqual({
      price: "errors.price.zero",
      preorderCapacity: "errors.preorderCapacity.required",
      availableFrom: "errors.availableFrom.requiredForPreorder",
    });
    expect(
      await refusal(
        createListing(db, {
          stallId: farmer.stall.id,
          input: listingInput({ priceDong: 12.5, unit: "pound" as "kg" }),
        }),
      ),
    ).toBe("invalid_input");
    expect(await stored()).toEqual(before);
    const [{ n: listingsAfter }] = await db.select({ n: count() }).from(listings);
    expect(listingsAfter).toBe(listingsBefore);
  });

  it("refuses a 9th photo without storing any", async () => {
    const before = await stored();
    expect(
      await refusal(
        createListing(db, { stallId: farmer.stall.id, input: listingInput(), photos: await makePhotos(9, 7200) }),
      ),
    ).toBe("too_many_photos");
    expect(await stored()).toEqual(before);
  });

  it("releases the photos it stored when a later photo is refused", async () => {
    const before = await stored();
    const good = await makePhoto(7300);
    const error = await createListing(db, {
      stallId: farmer.stall.id,
      input: listingInput({ title: "Không lưu" }),
      photos: [good, Buffer.from("this is not a photo")],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhotoError);
    expect((error as PhotoError).code).toBe("not_an_image");
    expect(await stored()).toEqual(before);
    expect(await db.select().from(listings).where(eq(listings.title, "Không lưu"))).toEqual([]);
  });

  it("keeps a photo another listing already shows when its own creation fails", async () => {
    const existing = await newListing({ title: "Ảnh dùng chung" }, { photos: 1, seed: 7400 });
    const before = await stored();
    const error = await createListing(db, {
      stallId: farmer.stall.id,
      input: listingInput(),
      photos: [await makePhoto(7400), Buffer.alloc(0)],
    }).catch((e: unknown) => e);
    expect((error as PhotoError).code).toBe("empty");
    expect(await stored()).toEqual(before);
    expect((await getSellerListing(db, { listingId: existing.id, stallId: farmer.stall.id }))!.photos).toHaveLength(1);
  });

  it("answers not_found for an unknown or malformed stall id", async () => {
    expect(await refusal(createListing(db, { stallId: "not-a-uuid", input: listingInput() }))).toBe("not_found");
    expect(
      await refusal(createListing(db, { stallId: "00000000-0000-4000-8000-000000000000", input: listingInput() })),
    ).toBe("not_found");
  });

  it("takes the id the phone chose, once: again by the same stall or by another is refused, nothing written", async () => {
    const id = crypto.randomUUID();
    const made = await createListing(db, { stallId: farmer.stall.id, input: { ...listingInput(), id } });
    expect(made.id).toBe(id);
    const before = await stored();
    const again = createListing(db, {
      stallId: farmer.stall.id,
      input: { ...listingInput({ title: "Nhãn lồng" }), id },
      photos: await makePhotos(1, 4242),
    });
    expect(await refusal(again)).toBe("already_created");
    const theirs = createListing(db, { stallId: neighbour.stall.id, input: { ...listingInput(), id } });
    expect(await refusal(theirs)).toBe("id_taken");
    expect(await stored()).toEqual(before);
    const [{ n }] = await db.select({ n: count() }).from(listings).where(eq(listings.id, id));
    expect(n).toBe(1);
  });
});

describe("updateListing", () => {
  it("follows the title with the slug while a draft, and freezes it once it was on sale", async () => {
    const draft = await newListing({ title: "Hành tím" });
    const renamed = await updateListing(db, {
      listingId: draft.id,
      stallId: farmer.stall.id,
      input: listingInput({ title: "Hành tím Kinh Môn" }),
    });
    expect(renamed.slug).toBe("hanh-tim-kinh-mon");

    await setListingStatus(db, { listingId: draft.id, stallId: farmer.stall.id, status: "active" });
    const live = await updateListing(db, {
      listingId: draft.id,
      stallId: farmer.stall.id,
      input: listingInput({ title: "Hành tím Kinh Môn phơi khô", priceDong: 30_000 }),
    });
    expect(live).toMatchObject({ slug: "hanh-tim-kinh-mon", title: "Hành tím Kinh Môn phơi khô", priceDong: 30_000 });
  });

  it("keeps the address of a listing created straight on sale, even once it is a draft again", async () => {
    const live = await newListing({ title: "Mít tố nữ" }, { status: "active" });
    expect(live.slug).toBe("mit-to-nu");
    await setListingStatus(db, { listingId: live.id, stallId: farmer.stall.id, status: "archived" });
    await setListingStatus(db, { listingId: live.id, stallId: farmer.stall.id, status: "draft" });
    const renamed = await updateListing(db, {
      listingId: live.id,
      stallId: farmer.stall.id,
      input: listingInput({ title: "Mít tố nữ Cái Bè" }),
    });
    expect(renamed.slug).toBe("mit-to-nu");
  });

  it("keeps the slug when the title only changes case or marks", async () => {
    const draft = await newListing({ title: "Tỏi ta" });
    const same = await updateListing(db, {
      listingId: draft.id,
      stallId: farmer.stall.id,
      input: listingInput({ title: "TỎI TA" }),
    });
    expect(same.slug).toBe(draft.slug);
  });

  it("moves between active and sold out as the stock runs out and comes back", async () => {
    const listing = await newListing({ title: "Trứng gà ta", unit: "chuc", stockQty: 20 });
    const id = { listingId: listing.id, stallId: farmer.stall.id };
    await setListingStatus(db, { ...id, status: "active" });
    expect((await updateListing(db, { ...id, input: listingInput({ stockQty: 0 }) })).status).toBe("sold_out");
    expect((await updateListing(db, { ...id, input: listingInput({ stockQty: 30 }) })).status).toBe("active");
    // Sold out by the farmer's own choice, with stock left: an edit does not put it back on sale.
    await setListingStatus(db, { ...id, status: "sold_out" });
    expect((await updateListing(db, { ...id, input: listingInput({ stockQty: 40 }) })).status).toBe("sold_out");
    // Made to order is always sellable.
    await setListingStatus(db, { ...id, status: "active" });
    const mto = await updateListing(db, { ...id, input: listingInput({ madeToOrder: true, stockQty: 99 }) });
    expect(mto).toMatchObject({ status: "active", madeToOrder: true, stockQty: 0 });
  });

  it("replaces the certifications with the submitted list", async () => {
    const listing = await newListing({
      certifications: [
        { type: "vietgap", number: "VG-1", issuer: "", ocopStars: null, validFrom: null, validUntil: "2027-01-01" },
      ],
    });
    const updated = await updateListing(db, {
      listingId: listing.id,
      stallId: farmer.stall.id,
      input: listingInput({
        certifications: [
          {
            type: "ocop",
            number: "OCOP-31-0007",
            issuer: "UBND TP Hải Phòng",
            ocopStars: 4,
            validFrom: "2025-01-01",
            validUntil: "2027-12-31",
          },
        ],
      }),
    });
    expect(updated.certifications.map((c) => [c.type, c.number, c.ocopStars])).toEqual([["ocop", "OCOP-31-0007", 4]]);
  });

  it("refuses invalid input and another stall's listing, changing nothing", async () => {
    const listing = await newListing({ title: "Gạo nếp cái hoa vàng" });
    expect(
      await refusal(
        updateListing(db, {
          listingId: listing.id,
          stallId: farmer.stall.id,
          input: listingInput({ priceDong: 0 }),
        }),
      ),
    ).toBe("invalid_input");
    expect(
      await refusal(
        updateListing(db, {
          listingId: listing.id,
          stallId: neighbour.stall.id,
          input: listingInput({ title: "Chiếm quyền" }),
        }),
      ),
    ).toBe("not_found");
    const after = await getSellerListing(db, { listingId: listing.id, stallId: farmer.stall.id });
    expect(after).toEqual(listing);
  });
});

describe("setListingStatus", () => {
  it("refuses to put a draft without a photo on sale", async () => {
    const draft = await newListing({}, { photos: 0 });
    expect(
      await refusal(setListingStatus(db, { listingId: draft.id, stallId: farmer.stall.id, status: "active" })),
    ).toBe("photo_required");
    await addPhotos(db, {
      listingId: draft.id,
      stallId: farmer.stall.id,
      photos: [await makePhoto(8001)],
    });
    const active = await setListingStatus(db, { listingId: draft.id, stallId: farmer.stall.id, status: "active" });
    expect(active.status).toBe("active");
  });

  it("refuses to put on sale what has nothing to sell", async () => {
    const draft = await newListing({ stockQty: 0 });
    expect(
      await refusal(setListingStatus(db, { listingId: draft.id, stallId: farmer.stall.id, status: "active" })),
    ).toBe("no_stock");
    const preorder = await newListing({
      stockQty: 0,
      preorder: true,
      preorderCapacity: 300,
      availableFrom: "2026-06-05",
    });
    expect(
      (await setListingStatus(db, { listingId: preorder.id, stallId: farmer.stall.id, status: "active" })).status,
    ).toBe("active");
  });

  it("follows the allowed transitions and refuses the others", async () => {
    const listing = await newListing();
    const id = { listingId: listing.id, stallId: farmer.stall.id };
    const to = async (status: SellerListing["status"]) => (await setListingStatus(db, { ...id, status })).status;
    const refused = (status: SellerListing["status"]) => refusal(setListingStatus(db, { ...id, status }));

    expect(await refused("paused")).toBe("illegal_transition"); // draft → paused
    expect(await refused("sold_out")).toBe("illegal_transition");
    expect(await to("active")).toBe("active");
    expect(await to("active")).toBe("active"); // same status: nothing to do
    expect(await refused("draft")).toBe("illegal_transition");
    expect(await to("paused")).toBe("paused");
    expect(await refused("sold_out")).toBe("illegal_transition");
    expect(await to("active")).toBe("active");
    expect(await to("sold_out")).toBe("sold_out");
    expect(await refused("paused")).toBe("illegal_transition");
    expect(await to("active")).toBe("active");
    expect(await to("archived")).toBe("archived");
    expect(await refused("active")).toBe("illegal_transition");
    expect(await refused("paused")).toBe("illegal_transition");
    expect(await to("draft")).toBe("draft");
    expect(await to("archived")).toBe("archived"); // draft → archived
    expect(await refused("bogus" as "draft")).toBe("illegal_transition");

    const error = await setListingStatus(db, { ...id, status: "active" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "illegal_transition", from: "archived", to: "active" });
    expect((error as ListingError).messageKey).toBe("errors.listing.illegal_transition");
  });

  it("answers not_found for another stall's listing and leaves it alone", async () => {
    const listing = await newListing();
    expect(
      await refusal(setListingStatus(db, { listingId: listing.id, stallId: neighbour.stall.id, status: "active" })),
    ).toBe("not_found");
    expect(
      await refusal(setListingStatus(db, { listingId: listing.id, stallId: neighbour.stall.id, status: "archived" })),
    ).toBe("not_found");
    expect(await refusal(setListingStatus(db, { listingId: "42", stallId: farmer.stall.id, status: "active" }))).toBe(
      "not_found",
    );
    expect((await getSellerListing(db, { listingId: listing.id, stallId: farmer.stall.id }))!.status).toBe("draft");
  });
});

describe("duplicateListing", () => {
  it("makes a draft copy sharing the photos, with the certifications and a slug of its own", async () => {
    const source = await newListing(
      {
        title: "Bánh gai Ninh Giang",
        category: "dac-san-che-bien",
        unit: "hop",
        madeToOrder: true,
        stockQty: 0,
        certifications: [
          {
            type: "ocop",
            number: "OCOP-31-0100",
            issuer: "UBND TP Hải Phòng",
            ocopStars: 4,
            validFrom: null,
            validUntil: "2027-03-31",
          },
        ],
      },
      { photos: 3, seed: 8100 },
    );
    await setListingStatus(db, { listingId: source.id, stallId: farmer.stall.id, status: "active" });
    const before = await stored();
    const copy = await duplicateListing(db, { listingId: source.id, stallId: farmer.stall.id });
    expect(copy).toMatchObject({
      title: "Bánh gai Ninh Giang (bản sao)",
      slug: "banh-gai-ninh-giang-ban-sao",
      status: "draft",
      category: "dac-san-che-bien",
      unit: "hop",
      madeToOrder: true,
      priceDong: source.priceDong,
    });
    expect(copy.id).not.toBe(source.id);
    expect(copy.photos.map((p) => p.mediaId)).toEqual(source.photos.map((p) => p.mediaId));
    expect(copy.certifications.map((c) => [c.type, c.number, c.ocopStars, c.validUntil])).toEqual([
      ["ocop", "OCOP-31-0100", 4, "2027-03-31"],
    ]);
    expect(copy.certifications[0].id).not.toBe(source.certifications[0].id);
    expect(await stored()).toEqual(before); // same media rows, no new files

    const again = await duplicateListing(db, { listingId: source.id, stallId: farmer.stall.id, copyLabel: "copy" });
    expect(again.title).toBe("Bánh gai Ninh Giang (copy)");
    const copyOfCopy = await duplicateListing(db, { listingId: copy.id, stallId: farmer.stall.id });
    expect(copyOfCopy).toMatchObject({
      title: "Bánh gai Ninh Giang (bản sao)",
      slug: "banh-gai-ninh-giang-ban-sao-2",
    });

    // Removing a shared photo from the copy keeps it for the original.
    const shared = copy.photos[1];
    await removePhoto(db, { listingId: copy.id, stallId: farmer.stall.id, mediaId: shared.mediaId });
    expect(await storage().exists(`photos/${shared.hash}/640.jpg`)).toBe(true);
    expect((await getSellerListing(db, { listingId: source.id, stallId: farmer.stall.id }))!.photos).toHaveLength(3);
  });

  it("fits the suffix into the title limit", async () => {
    const long = "Vải thiều Thanh Hà ".repeat(7).trim().slice(0, 120);
    const source = await newListing({ title: long });
    const copy = await duplicateListing(db, { listingId: source.id, stallId: farmer.stall.id });
    expect(copy.title.length).toBeLessThanOrEqual(120);
    expect(copy.title.endsWith(" (bản sao)")).toBe(true);
  });

  it("will not copy another stall's listing", async () => {
    const source = await newListing();
    const [{ n: before }] = await db.select({ n: count() }).from(listings);
    expect(await refusal(duplicateListing(db, { listingId: source.id, stallId: neighbour.stall.id }))).toBe(
      "not_found",
    );
    const [{ n: after }] = await db.select({ n: count() }).from(listings);
    expect(after).toBe(before);
  });
});

describe("photos", () => {
  it("adds up to 8; the 9th is refused and nothing is stored", async () => {
    const listing = await newListing({}, { photos: 2, seed: 9000 });
    const id = { listingId: listing.id, stallId: farmer.stall.id };
    const photos = await addPhotos(db, { ...id, userId: farmer.user.id, photos: await makePhotos(6, 9002) });
    expect(photos.map((p) => p.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(photos.slice(0, 2).map((p) => p.mediaId)).toEqual(listing.photos.map((p) => p.mediaId));

    const before = await stored();
    expect(await refusal(addPhotos(db, { ...id, photos: [await makePhoto(9100)] }))).toBe("too_many_photos");
    expect(await stored()).toEqual(before);
    expect((await getSellerListing(db, id))!.photos).toHaveLength(8);
  });

  it("does not add the same photo twice", async () => {
    const listing = await newListing({}, { photos: 1, seed: 9200 });
    const id = { listingId: listing.id, stallId: farmer.stall.id };
    const photos = await addPhotos(db, { ...id, photos: [await makePhoto(9200), await makePhoto(9201)] });
    expect(photos).toHaveLength(2);
  });

  it("reorders only by a permutation of the listing's photos", async () => {
    const listing = await newListing({}, { photos: 3, seed: 9300 });
    const id = { listingId: listing.id, stallId: farmer.stall.id };
    const [a, b, c] = listing.photos.map((p) => p.mediaId);
    const reordered = await reorderPhotos(db, { ...id, mediaIds: [c, a, b] });
    expect(reordered.map((p) => [p.mediaId, p.position])).toEqual([
      [c, 0],
      [a, 1],
      [b, 2],
    ]);
    const other = (await newListing({}, { photos: 1, seed: 9310 })).photos[0].mediaId;
    for (const mediaIds of [[a, b], [a, b, c, c], [a, a, b], [a, b, other], [a, b, "nonsense"], []]) {
      expect(await refusal(reorderPhotos(db, { ...id, mediaIds })), JSON.stringify(mediaIds)).toBe(
        "invalid_photo_order",
      );
    }
    expect((await getSellerListing(db, id))!.photos.map((p) => p.mediaId)).toEqual([c, a, b]);
  });

  it("moves a photo one place earlier or later, and nowhere past either end", async () => {
    const listing = await newListing({}, { photos: 3, seed: 9700 });
    const id = { listingId: listing.id, stallId: farmer.stall.id };
    const [a, b, c] = listing.photos.map((p) => p.mediaId);
    const order = (photos: { mediaId: string }[]) => photos.map((p) => p.mediaId);
    expect(order(await movePhoto(db, { ...id, mediaId: c, direction: "earlier" }))).toEqual([a, c, b]);
    expect(order(await movePhoto(db, { ...id, mediaId: a, direction: "later" }))).toEqual([c, a, b]);
    expect(order(await movePhoto(db, { ...id, mediaId: c, direction: "earlier" }))).toEqual([c, a, b]);
    expect(order(await movePhoto(db, { ...id, mediaId: b, direction: "later" }))).toEqual([c, a, b]);
    expect(await refusal(movePhoto(db, { ...id, mediaId: "x", direction: "later" }))).toBe("photo_not_found");
  });

  it("makes any photo the cover, keeping the others in order", async () => {
    const listing = await newListing({}, { photos: 4, seed: 9400 });
    const id = { listingId: listing.id, stallId: farmer.stall.id };
    const [a, b, c, d] = listing.photos.map((p) => p.mediaId);
    expect((await setCoverPhoto(db, { ...id, mediaId: c })).map((p) => p.mediaId)).toEqual([c, a, b, d]);
    expect((await setCoverPhoto(db, { ...id, mediaId: c })).map((p) => p.mediaId)).toEqual([c, a, b, d]);
    expect(await refusal(setCoverPhoto(db, { ...id, mediaId: "x" }))).toBe("photo_not_found");
    const [summary] = (await listStallListings(db, farmer.stall.id)).filter((l) => l.id === listing.id);
    expect(summary.cover?.mediaId).toBe(c);
  });

  it("removes a photo and its files, but never the last photo of a listing on sale", async () => {
    const listing = await newListing({}, { photos: 2, seed: 9500 });
    const id = { listingId: listing.id, stallId: farmer.stall.id };
    await setListingStatus(db, { ...id, status: "active" });
    const [first, second] = listing.photos;
    const left = await removePhoto(db, { ...id, mediaId: first.mediaId });
    expect(left.map((p) => [p.mediaId, p.position])).toEqual([[second.mediaId, 0]]);
    expect(await db.select().from(mediaAssets).where(eq(mediaAssets.id, first.mediaId))).toEqual([]);
    expect(await storage().list(`photos/${first.hash}/`)).toEqual([]);

    expect(await refusal(removePhoto(db, { ...id, mediaId: second.mediaId }))).toBe("last_photo");
    await setListingStatus(db, { ...id, status: "sold_out" });
    expect(await refusal(removePhoto(db, { ...id, mediaId: second.mediaId }))).toBe("last_photo");
    await setListingStatus(db, { ...id, status: "active" });
    await setListingStatus(db, { ...id, status: "paused" });
    expect(await removePhoto(db, { ...id, mediaId: second.mediaId })).toEqual([]);
    expect(await refusal(setListingStatus(db, { ...id, status: "active" }))).toBe("photo_required");
    expect(await refusal(removePhoto(db, { ...id, mediaId: second.mediaId }))).toBe("photo_not_found");
  });

  it("never touches another stall's listing", async () => {
    const listing = await newListing({}, { photos: 2, seed: 9600 });
    const theirs = { listingId: listing.id, stallId: neighbour.stall.id };
    const [a, b] = listing.photos.map((p) => p.mediaId);
    const before = await stored();
    expect(await refusal(addPhotos(db, { ...theirs, photos: [await makePhoto(9610)] }))).toBe("not_found");
    expect(await refusal(removePhoto(db, { ...theirs, mediaId: a }))).toBe("not_found");
    expect(await refusal(reorderPhotos(db, { ...theirs, mediaIds: [b, a] }))).toBe("not_found");
    expect(await refusal(setCoverPhoto(db, { ...theirs, mediaId: b }))).toBe("not_found");
    expect(await stored()).toEqual(before);
    expect(await getSellerListing(db, theirs)).toBeNull();
    expect(await getSellerListing(db, { listingId: listing.id, stallId: farmer.stall.id })).toEqual(listing);
  });
});

describe("reading", () => {
  let shop: FarmerWithStall;
  const today = "2026-06-30";

  beforeAll(async () => {
    shop = await createFarmerWithStall(db, { stall: { slug: "vuon-vai-thu" } });
  });

  const make = (overrides: Parameters<typeof listingInput>[0], photos = 1, seed?: number) =>
    newListing(overrides, { photos, seed, stall: shop });
  const status = (listing: SellerListing, to: SellerListing["status"]) =>
    setListingStatus(db, { listingId: listing.id, stallId: shop.stall.id, status: to });

  it("lists the seller's listings with cover and photo count, archived last, filterable", async () => {
    const a = await make({ title: "Rau muống" }, 2, 10_000);
    const b = await make({ title: "Rau cải" }, 0);
    const c = await make({ title: "Su hào" }, 1, 10_010);
    await status(a, "archived");
    const all = await listStallListings(db, shop.stall.id);
    expect(all.map((l) => l.title)).toEqual(["Rau cải", "Su hào", "Rau muống"]);
    const archived = all[2];
    expect(archived).toMatchObject({ status: "archived", photoCount: 2, priceDong: 45_000 });
    expect(archived.cover).toMatchObject({ mediaId: a.photos[0].mediaId, position: 0 });
    expect(archived.cover!.widths.length).toBeGreaterThan(0);
    expect(all[0].cover).toBeNull();
    expect(all[0].updatedAt).toBeInstanceOf(Date);
    const live = await listStallListings(db, shop.stall.id, { statuses: ["draft", "active", "paused", "sold_out"] });
    expect(live.map((l) => l.id)).toEqual([b.id, c.id]);
    expect(await listStallListings(db, neighbour.stall.id).then((l) => l.map((x) => x.id))).not.toContain(a.id);
    expect(await listStallListings(db, "bad id")).toEqual([]);
  });

  it("shows buyers only listings on sale or sold out, of a published stall", async () => {
    const onSale = await make({ title: "Vải thiều sớm" });
    const soldOut = await make({ title: "Vải thiều muộn" });
    const paused = await make({ title: "Vải thiều tạm nghỉ" });
    const draft = await make({ title: "Vải thiều nháp" });
    const archived = await make({ title: "Vải thiều cũ" });
    await status(onSale, "active");
    await status(soldOut, "active");
    await status(soldOut, "sold_out");
    await status(paused, "active");
    await status(paused, "paused");
    await status(archived, "archived");

    const page = (productSlug: string) => getPublicListing(db, { stallSlug: "vuon-vai-thu", productSlug, today });
    expect((await page(onSale.slug))!.listing).toMatchObject({ title: "Vải thiều sớm", status: "active" });
    expect((await page(soldOut.slug))!.listing.status).toBe("sold_out");
    expect(await page(paused.slug)).toBeNull();
    expect(await page(draft.slug)).toBeNull();
    expect(await page(archived.slug)).toBeNull();
    expect(await page("khong-co")).toBeNull();
    expect(await getPublicListing(db, { stallSlug: "khong-co", productSlug: onSale.slug })).toBeNull();

    const found = (await page(onSale.slug))!;
    expect(found.stall).toMatchObject({ slug: "vuon-vai-thu", communeName: "Xã Thanh Hà" });
    expect(found.photos.map((p) => p.mediaId)).toEqual(onSale.photos.map((p) => p.mediaId));

    const cards = await listPublicStallListings(db, shop.stall.id, { today });
    const titles = cards.map((c) => c.title);
    expect(titles).toContain("Vải thiều sớm");
    expect(titles).toContain("Vải thiều muộn");
    for (const hidden of ["Vải thiều tạm nghỉ", "Vải thiều nháp", "Vải thiều cũ"]) expect(titles).not.toContain(hidden);
    // On sale before sold out.
    expect(titles.indexOf("Vải thiều muộn")).toBe(cards.length - 1);
    expect(cards.find((c) => c.title === "Vải thiều sớm")!.cover).not.toBeNull();

    await db.update(stalls).set({ status: "unpublished" }).where(eq(stalls.id, shop.stall.id));
    expect(await page(onSale.slug)).toBeNull();
    expect(await listPublicStallListings(db, shop.stall.id, { today })).toEqual([]);
    await db.update(stalls).set({ status: "published" }).where(eq(stalls.id, shop.stall.id));
  });

  it("shows buyers only certificates valid today in Vietnam, through their last day", async () => {
    const cert = (type: "vietgap" | "ocop" | "organic", number: string, validUntil: string, validFrom?: string) => ({
      type,
      number,
      issuer: "",
      ocopStars: type === "ocop" ? 5 : null,
      validFrom: validFrom ?? null,
      validUntil,
    });
    const listing = await make({
      title: "Mật ong hoa vải",
      certifications: [
        cert("vietgap", "VG-EXPIRED", "2026-06-29"),
        cert("ocop", "OCOP-LAST-DAY", "2026-06-30"),
        cert("organic", "HC-LATER", "2028-01-01"),
        cert("vietgap", "VG-NOT-YET", "2029-01-01", "2026-07-01"),
      ],
    });
    await status(listing, "active");
    const numbers = async (day: string) =>
      (await getPublicListing(db, {
        stallSlug: "vuon-vai-thu",
        productSlug: listing.slug,
        today: day,
      }))!.certifications.map((c) => c.number);
    // Catalog order: vietgap, globalgap, organic, ocop.
    expect(await numbers("2026-06-30")).toEqual(["HC-LATER", "OCOP-LAST-DAY"]);
    expect(await numbers("2026-07-01")).toEqual(["VG-NOT-YET", "HC-LATER"]);
    const badges = async (day: string) =>
      (await listPublicStallListings(db, shop.stall.id, { today: day })).find((c) => c.id === listing.id)!.badges;
    expect(await badges("2026-06-30")).toEqual([
      { type: "organic", ocopStars: null },
      { type: "ocop", ocopStars: 5 },
    ]);
    expect(await badges("2026-07-01")).toEqual([
      { type: "vietgap", ocopStars: null },
      { type: "organic", ocopStars: null },
    ]);
    // The seller sees them all, expired included.
    const own = await getSellerListing(db, { listingId: listing.id, stallId: shop.stall.id });
    expect(own!.certifications).toHaveLength(4);

    // Without `today`, it is today's date in Vietnam: the expired one never shows.
    const now = await getPublicListing(db, { stallSlug: "vuon-vai-thu", productSlug: listing.slug });
    expect(now!.certifications.map((c) => c.number)).not.toContain("VG-EXPIRED");
  });
});
