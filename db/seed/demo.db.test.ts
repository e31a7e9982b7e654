import { and, count, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "~/auth/password.server";
import { CATEGORIES, UNIT_CODES } from "~/listings/catalog";
import { listPublicStallListings } from "~/listings/listings.server";
import { getPublicListing } from "~/stalls/index.server";
import { slugify } from "~/listings/slug";
import { PHOTO_FORMATS, photoKey, photoPrefix, variantWidths } from "~/media/keys";
import { storage } from "~/media/storage.server";
import { db } from "~/utils/db.server";
import { parseVietnameseMobile } from "~/utils/phone";
import {
  communes,
  householdDelegations,
  households,
  listingCertifications,
  listingPhotos,
  listings,
  mediaAssets,
  officerCommunes,
  stalls,
  users,
} from "../schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, hasAccounts, seedDemo } from "./demo";
import { demoListings } from "./demo-listings";

// Photos go to DATA_DIR/media, a folder of this test file's own (tests/setup/database.ts).

/** The seed dates harvest windows and certificates from "today": fixed here. */
const TODAY = "2026-11-26";
const PLAN = demoListings(TODAY);
const PLANNED_LISTINGS = Object.values(PLAN).flat();
/** Distinct pictures: the same product photographed once is one stored photo, whatever uses it. */
const PLANNED_PHOTOS = new Set(PLANNED_LISTINGS.flatMap((l) => l.photos.map((p) => `${p.kind}:${p.seed}`))).size;
/** Seeding adds every photo (and listing) through app/media and app/listings: give it time on a busy machine. */
const SEEDING = 180_000;

const rows = async (table: typeof users | typeof households | typeof stalls | typeof listings | typeof mediaAssets) =>
  (await db.select({ n: count() }).from(table))[0].n;

const totals = async () => ({
  users: await rows(users),
  households: await rows(households),
  stalls: await rows(stalls),
  listings: await rows(listings),
  listingPhotos: (await db.select({ n: count() }).from(listingPhotos))[0].n,
  photos: await rows(mediaAssets),
  files: (await storage().list("photos/")).length,
  officerCommunes: (await db.select({ n: count() }).from(officerCommunes))[0].n,
  delegations: (await db.select({ n: count() }).from(householdDelegations))[0].n,
});

const stallRows = () =>
  db
    .select({ stall: stalls, household: households, commune: communes, owner: users })
    .from(stalls)
    .innerJoin(households, eq(households.id, stalls.householdId))
    .innerJoin(communes, eq(communes.code, households.communeCode))
    .innerJoin(users, eq(users.id, households.ownerUserId));

const listingsOf = async (stallSlug: string) => {
  const [stall] = await db.select().from(stalls).where(eq(stalls.slug, stallSlug));
  return db.select().from(listings).where(eq(listings.stallId, stall.id));
};

// One database for the file: the tests build on each other in order.
describe("demo seed", () => {
  it(
    "seeds an empty database",
    async () => {
      expect(await hasAccounts(db)).toBe(false);
      const summary = await seedDemo(db, { today: TODAY });
      expect(summary).toEqual({
        users: 14,
        households: 11,
        stalls: 11,
        listings: PLANNED_LISTINGS.length,
        alreadyPresent: 0,
      });
      const after = await totals();
      expect(after).toMatchObject({ users: 14, households: 11, stalls: 11, listings: PLANNED_LISTINGS.length });
      expect(after.photos).toBe(PLANNED_PHOTOS);
    },
    SEEDING,
  );

  it("gives every household a published stall in a Hải Phòng commune", async () => {
    const rows = await stallRows();
    expect(rows).toHaveLength(11);
    for (const { stall, household, commune, owner } of rows) {
      expect(stall.status).toBe("published");
      expect(stall.publishedAt).toBeInstanceOf(Date);
      expect(stall.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(stall.description.length).toBeGreaterThan(40);
      expect(household.provinceCode).toBe("31");
      expect(commune.provinceCode).toBe("31");
      expect(household.addressLine).not.toBe("");
      expect(owner.role).toBe("farmer");
      expect(household.phone).toBe(owner.phone);
      for (const text of [stall.name, stall.description, household.name, owner.fullName]) {
        expect(text).toBe(text.normalize("NFC"));
      }
    }
    const byCommune = new Map(rows.map((r) => [r.commune.code, r]));
    expect(byCommune.get("10813")?.commune.fullName).toBe("Xã Thanh Hà");
    expect(byCommune.get("10903")?.stall.name).toMatch(/Cà rốt/);
    expect(byCommune.get("10675")?.stall.name).toMatch(/Hành tỏi/);
    expect(byCommune.get("11203")?.stall.name).toMatch(/Bánh gai/);
    expect(byCommune.get("10525")?.stall.name).toMatch(/Bánh đậu xanh/);
    expect(byCommune.get("10546")?.stall.name).toMatch(/Vải/);
    expect(rows.filter((r) => r.household.kind === "cooperative").length).toBeGreaterThanOrEqual(1);
    // Some households were onboarded by the extension officer on their behalf.
    const [officer] = await db.select().from(users).where(eq(users.role, "officer"));
    const onboarded = rows.filter((r) => r.household.createdByUserId === officer.id);
    expect(onboarded.length).toBeGreaterThanOrEqual(1);
    // The officer covers exactly the communes of those households and acts for each of them.
    const covered = await db
      .select({ code: officerCommunes.communeCode })
      .from(officerCommunes)
      .where(eq(officerCommunes.officerUserId, officer.id));
    expect(covered.map((c) => c.code).sort()).toEqual([...new Set(onboarded.map((r) => r.commune.code))].sort());
    const delegations = await db
      .select()
      .from(householdDelegations)
      .where(eq(householdDelegations.officerUserId, officer.id));
    expect(delegations.map((d) => d.householdId).sort()).toEqual(onboarded.map((r) => r.household.id).sort());
    expect(delegations.every((d) => d.access === "edit" && d.lapsedAt === null)).toBe(true);
  });

  it("creates the buyer, officer and admin, and every account signs in with the demo password", async () => {
    const all = await db.select().from(users);
    expect(all.filter((u) => u.role === "buyer")).toHaveLength(1);
    expect(all.filter((u) => u.role === "officer")).toHaveLength(1);
    expect(all.filter((u) => u.role === "admin")).toHaveLength(1);
    expect(all.filter((u) => u.role === "farmer")).toHaveLength(11);

    const verified = await Promise.all(all.map((u) => verifyPassword(DEMO_PASSWORD, u.passwordHash)));
    expect(verified.every(Boolean)).toBe(true);
    expect(await verifyPassword("nongsan2025", all[0].passwordHash)).toBe(false);
  });

  it("lists the accounts with mobile numbers the sign-in form accepts", async () => {
    expect(DEMO_ACCOUNTS).toHaveLength(14);
    const stored = new Map((await db.select().from(users)).map((u) => [u.phone, u]));
    for (const account of DEMO_ACCOUNTS) {
      expect(parseVietnameseMobile(account.phone)).toEqual({ ok: true, e164: account.e164 });
      expect(stored.get(account.e164)).toMatchObject({ role: account.role, fullName: account.fullName });
    }
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.role))).toEqual(new Set(["farmer", "buyer", "officer", "admin"]));
  });

  it("gives every stall 3–6 listings that a buyer could order", async () => {
    const all = await db.select().from(listings);
    const stallIds = new Set((await db.select({ id: stalls.id }).from(stalls)).map((s) => s.id));
    expect(new Set(all.map((l) => l.stallId))).toEqual(stallIds);
    for (const id of stallIds) {
      const n = all.filter((l) => l.stallId === id).length;
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
    }
    for (const l of all) {
      expect(Number.isSafeInteger(l.priceDong), l.title).toBe(true);
      expect(l.priceDong, l.title).toBeGreaterThan(0);
      expect(l.stockQty).toBeGreaterThanOrEqual(0);
      expect(l.minOrderQty).toBeGreaterThanOrEqual(1);
      expect(l.slug).toBe(slugify(l.title));
      expect(CATEGORIES).toContain(l.category);
      expect(UNIT_CODES).toContain(l.unit);
      for (const text of [l.title, l.description]) expect(text).toBe(text.normalize("NFC"));
      expect(l.description.length, l.title).toBeGreaterThan(60);
      if (l.status === "active") {
        // Something to sell: stock, made to order, or room for pre-orders.
        expect(l.madeToOrder || l.stockQty > 0 || (l.preorder && l.preorderCapacity! > 0), l.title).toBe(true);
      }
      if (l.preorder) {
        expect(l.availableFrom! > TODAY, l.title).toBe(true);
        expect(l.availableUntil! >= l.availableFrom!).toBe(true);
      }
    }
    // Variety for the seller screens and the stall pages.
    const statuses = all.map((l) => l.status);
    expect(statuses.filter((s) => s === "active").length).toBeGreaterThan(all.length * 0.75);
    expect(statuses.filter((s) => s === "paused").length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === "draft").length).toBeGreaterThanOrEqual(2);
    expect(all.filter((l) => l.preorder && l.status === "active").length).toBeGreaterThanOrEqual(2);
    expect(all.filter((l) => l.madeToOrder).length).toBeGreaterThanOrEqual(2);
    expect(new Set(all.map((l) => l.unit)).size).toBeGreaterThanOrEqual(10);

    const thinh = await listingsOf("vai-thieu-bac-thinh");
    expect(thinh.find((l) => l.slug === "vai-thieu-thanh-ha-loai-1")).toMatchObject({
      unit: "kg",
      priceDong: 45_000,
      preorder: true,
      availableFrom: "2027-06-05",
      availableUntil: "2027-07-05",
      status: "active",
    });
    // Chả rươi in season now (the 9th–10th lunar months), and pre-orders for next year's rươi.
    const khanh = await listingsOf("cha-ruoi-tu-ky");
    const inSeason = khanh.find((l) => l.slug === "cha-ruoi-tu-ky-hop-10-mieng")!;
    expect(inSeason.availableFrom! <= TODAY && TODAY <= inSeason.availableUntil!).toBe(true);
    expect(khanh.find((l) => l.preorder)?.availableFrom).toMatch(/^2027-09/);
  });

  it("stores every photo through the media pipeline, once per picture", async () => {
    const photos = await db
      .select({ listing: listings, photo: listingPhotos, media: mediaAssets })
      .from(listingPhotos)
      .innerJoin(listings, eq(listings.id, listingPhotos.listingId))
      .innerJoin(mediaAssets, eq(mediaAssets.id, listingPhotos.mediaId));
    const all = await db.select().from(listings);
    for (const l of all.filter((x) => x.status !== "draft")) {
      const own = photos.filter((p) => p.listing.id === l.id).map((p) => p.photo.position);
      expect(own.length, l.title).toBeGreaterThanOrEqual(1);
      expect(own.sort()).toEqual(own.map((_, i) => i));
    }
    const farmers = new Set((await db.select().from(users).where(eq(users.role, "farmer"))).map((u) => u.id));
    const media = await db.select().from(mediaAssets);
    expect(media).toHaveLength(PLANNED_PHOTOS);
    for (const m of media) {
      expect(m).toMatchObject({ width: 1200, height: 900, widths: variantWidths(1200) });
      expect(farmers.has(m.uploadedByUserId!)).toBe(true);
      const expected = m.widths.flatMap((w) => PHOTO_FORMATS.map((f) => photoKey(m.hash, w, f))).sort();
      expect(await storage().list(photoPrefix(m.hash))).toEqual(expected);
    }
    // Every photo has alt text describing the picture.
    for (const { photo } of photos) expect(photo.alt.length).toBeGreaterThan(10);
    // The same picture on two listings is one stored photo.
    const gift = photos.find((p) => p.listing.slug === "vai-thieu-hop-qua-5-kg" && p.photo.position === 1)!;
    const first = photos.find((p) => p.listing.slug === "vai-thieu-thanh-ha-loai-1" && p.photo.position === 0)!;
    expect(gift.media.id).toBe(first.media.id);
  });

  it("shows buyers only what is on sale, and only certificates still valid", async () => {
    const [thinh] = await db.select().from(stalls).where(eq(stalls.slug, "vai-thieu-bac-thinh"));
    const cards = await listPublicStallListings(db, thinh.id, { today: TODAY });
    expect(cards.map((c) => c.slug)).toEqual([
      "vai-thieu-thanh-ha-loai-1",
      "vai-thieu-hop-qua-5-kg",
      "vai-thieu-say-kho",
    ]);
    expect(cards.every((c) => c.cover !== null)).toBe(true);
    expect(cards[0].badges).toEqual([{ type: "vietgap", ocopStars: null }]);

    const banhGai = await getPublicListing(db, {
      stallSlug: "banh-gai-ninh-giang-co-lan",
      productSlug: "banh-gai-ninh-giang-chuc-10-chiec",
      today: TODAY,
    });
    expect(banhGai?.certifications).toMatchObject([{ type: "ocop", ocopStars: 4, issuer: "UBND thành phố Hải Phòng" }]);
    expect(banhGai!.certifications[0].validUntil > TODAY).toBe(true);

    // The guava's VietGAP ran out: stored, but not shown.
    const guava = await getPublicListing(db, {
      stallSlug: "vuon-oi-chi-thu",
      productSlug: "oi-le-thanh-ha",
      today: TODAY,
    });
    expect(guava?.listing.title).toBe("Ổi lê Thanh Hà");
    expect(guava?.certifications).toEqual([]);
    const stored = await db
      .select()
      .from(listingCertifications)
      .where(eq(listingCertifications.listingId, guava!.listing.id));
    expect(stored).toMatchObject([{ type: "vietgap" }]);
    expect(stored[0].validUntil < TODAY).toBe(true);

    const certified = await db
      .selectDistinct({ listingId: listingCertifications.listingId })
      .from(listingCertifications)
      .where(eq(listingCertifications.type, "vietgap"));
    expect(certified.length).toBeGreaterThanOrEqual(8);
  });

  it("does not duplicate anything when run again", async () => {
    const before = await totals();
    expect(await hasAccounts(db)).toBe(true);
    expect(await seedDemo(db, { today: TODAY })).toEqual({
      users: 0,
      households: 0,
      stalls: 0,
      listings: 0,
      alreadyPresent: 25 + PLANNED_LISTINGS.length,
    });
    expect(await totals()).toEqual(before);
  });

  it(
    "fills in only what is missing, keeping existing passwords and reusing stored photos",
    async () => {
      const before = await totals();
      const farmer = DEMO_ACCOUNTS.find((a) => a.role === "farmer")!;
      const planned = PLAN[farmer.stallSlug!].length;
      await db.delete(stalls).where(eq(stalls.slug, farmer.stallSlug!));
      await db.update(users).set({ passwordHash: null }).where(eq(users.phone, farmer.e164));
      expect(await rows(listings)).toBe(before.listings - planned);

      expect(await seedDemo(db, { today: TODAY })).toEqual({
        users: 0,
        households: 0,
        stalls: 1,
        listings: planned,
        alreadyPresent: 24 + PLANNED_LISTINGS.length - planned,
      });
      expect(await totals()).toEqual(before);
      const [user] = await db.select().from(users).where(eq(users.phone, farmer.e164));
      expect(user.passwordHash).toBeNull();
    },
    SEEDING,
  );

  it(
    "makes each missing listing once when two instances seed at the same time",
    async () => {
      const before = await totals();
      const [stall] = await db.select().from(stalls).where(eq(stalls.slug, "trung-ga-ta-gia-loc"));
      const gone = ["trung-ga-ta-chuc-10-qua", "trung-ga-ta-khay-30-qua"];
      await db.delete(listings).where(and(eq(listings.stallId, stall.id), inArray(listings.slug, gone)));

      const runs = await Promise.all([seedDemo(db, { today: TODAY }), seedDemo(db, { today: TODAY })]);
      expect(runs[0].listings + runs[1].listings).toBe(2);
      expect(await totals()).toEqual(before);
      // Neither left a second copy ("…-2"): the one that lost the race removed its own.
      const slugs = (await listingsOf("trung-ga-ta-gia-loc")).map((l) => l.slug).sort();
      expect(slugs).toEqual(PLAN["trung-ga-ta-gia-loc"].map((l) => slugify(l.title)).sort());
    },
    SEEDING,
  );
});
