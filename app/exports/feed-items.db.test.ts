/**
 * Reading listings for the exports in keyset batches: the listings on sale of
 * published stalls, in (stall slug, position, id) order, the same whatever
 * the batch size; a commune's or a province's read as its stalls' one after
 * the other; photos cover first, certificates that have started; nothing
 * held between batches; and query plans that walk indexes.
 */
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { communes, listingCertifications, listings, provinces, stalls } from "#db/schema";
import { exportListingBatches, listingRows, type ExportScope } from "./feed-items.server";
import type { ExportListing } from "./item";
import { addDays } from "~/exports";
import { createListing, setCoverPhoto } from "~/listings/index.server";
import { todayInVietnam } from "~/listings";
import { storePhoto } from "~/media/index.server";
import { db, rowsOf } from "~/utils/db.server";
import {
  createFarmerWithStall,
  listingInput,
  makePhoto,
  THANH_HA,
  type FarmerWithStall,
} from "#tests/fixtures/factories";

const today = todayInVietnam();

async function readAll(scope: ExportScope, batchSize = 500) {
  const batches: ExportListing[][] = [];
  for await (const batch of exportListingBatches(db, scope, { today, batchSize })) batches.push(batch);
  return { batches, items: batches.flat() };
}
const stallScope = (farmer: FarmerWithStall): ExportScope => ({ kind: "stall", stallId: farmer.stall.id });

let otherCommune: string;
let otherProvinceCommune: { communeCode: string; provinceCode: string };
/** Published stalls (by slug): two in Thanh Hà, one elsewhere in its province, one in another province. */
const farmers: Record<"a" | "b" | "c" | "d", FarmerWithStall> = {} as never;
let unpublished: FarmerWithStall;
let mediaId: string;

/** `count` listings of the stall in one statement: every fifth paused, every seventh sold out, positions with ties. */
async function bulkListings(stallId: string, count: number) {
  await db.execute(sql`
    INSERT INTO listings (stall_id, slug, title, description, category, unit, price_dong, stock_qty, status, position)
    SELECT ${stallId}::uuid, 'hang-' || g, 'Hàng ' || g, 'Mô tả', 'rau-la', 'bo', 1000 + g, 5,
      (CASE WHEN g % 5 = 0 THEN 'paused' WHEN g % 7 = 0 THEN 'sold_out' ELSE 'active' END)::listing_status,
      g / 3
    FROM generate_series(1, ${count}) g`);
  await db.execute(sql`
    INSERT INTO listing_photos (listing_id, media_id, position)
    SELECT id, ${mediaId}::uuid, 0 FROM listings WHERE stall_id = ${stallId}::uuid`);
}

/** The stall's listings on sale as the database orders them (the expectation). */
async function onSaleIds(stallId: string) {
  const rows = await db
    .select({ id: listings.id })
    .from(listings)
    .where(and(eq(listings.stallId, stallId), inArray(listings.status, ["active", "sold_out"])))
    .orderBy(asc(listings.position), asc(listings.id));
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  [{ code: otherCommune }] = await db
    .select({ code: communes.code })
    .from(communes)
    .where(and(eq(communes.provinceCode, THANH_HA.provinceCode), ne(communes.code, THANH_HA.communeCode)))
    .orderBy(communes.code)
    .limit(1);
  // The built-in units hold communes of Hải Phòng only: one elsewhere for the test.
  const [province] = await db
    .select({ code: provinces.code })
    .from(provinces)
    .where(ne(provinces.code, THANH_HA.provinceCode))
    .orderBy(provinces.code)
    .limit(1);
  otherProvinceCommune = { communeCode: "99901", provinceCode: province.code };
  await db.insert(communes).values({
    code: "99901",
    provinceCode: province.code,
    name: "Xã Thử",
    nameEn: "Thu Commune",
    fullName: "Xã Thử",
    fullNameEn: "Thu Commune",
    codeName: "xa_thu",
  });
  mediaId = (await storePhoto(db, await makePhoto(8100))).id;

  const make = (slug: string, household: { communeCode: string; provinceCode: string } = THANH_HA) =>
    createFarmerWithStall(db, { stall: { slug }, household });
  // Created out of slug order: the feed's order is the slugs', not the creation's.
  farmers.b = await make("feed-items-b");
  farmers.a = await make("feed-items-a");
  farmers.c = await make("feed-items-c", { communeCode: otherCommune, provinceCode: THANH_HA.provinceCode });
  farmers.d = await make("feed-items-d", otherProvinceCommune);
  unpublished = await make("feed-items-0", THANH_HA);
  await db.update(stalls).set({ status: "unpublished" }).where(eq(stalls.id, unpublished.stall.id));
  for (const [i, farmer] of [farmers.a, farmers.b, farmers.c, farmers.d, unpublished].entries()) {
    await bulkListings(farmer.stall.id, 20 + i * 7);
  }
});

describe("one stall", () => {
  it("gives its listings on sale in position and id order, whatever the batch size", async () => {
    const expected = await onSaleIds(farmers.a.stall.id);
    expect(expected.length).toBeGreaterThan(10);
    const whole = await readAll(stallScope(farmers.a));
    expect(whole.batches).toHaveLength(1);
    expect(whole.items.map((l) => l.id)).toEqual(expected);
    for (const size of [1, 2, 7]) {
      const small = await readAll(stallScope(farmers.a), size);
      expect(
        small.items.map((l) => l.id),
        `batches of ${size}`,
      ).toEqual(expected);
      expect(small.batches.every((b) => b.length <= size)).toBe(true);
    }
    expect(whole.items.every((l) => l.status === "active" || l.status === "sold_out")).toBe(true);
    expect(whole.items.some((l) => l.status === "sold_out")).toBe(true);
    expect(whole.items[0].stall).toEqual({
      id: farmers.a.stall.id,
      slug: "feed-items-a",
      name: farmers.a.stall.name,
      communeCode: THANH_HA.communeCode,
      communeName: "Xã Thanh Hà",
      provinceCode: THANH_HA.provinceCode,
      provinceName: "Thành phố Hải Phòng",
    });
  });

  it("gives nothing for a stall that is not published, unknown, or not even an id", async () => {
    expect((await readAll(stallScope(unpublished))).items).toEqual([]);
    expect((await readAll({ kind: "stall", stallId: "00000000-0000-4000-8000-000000000000" })).items).toEqual([]);
    expect((await readAll({ kind: "stall", stallId: "not-a-uuid" })).items).toEqual([]);
  });

  it("gives each listing its photos cover first, and the certificates that have started, expired ones too", async () => {
    const farmer = await createFarmerWithStall(db);
    const listing = await createListing(db, {
      stallId: farmer.stall.id,
      userId: farmer.user.id,
      input: listingInput(),
      photos: [await makePhoto(8201), await makePhoto(8202, { width: 640, height: 480 }), await makePhoto(8203)],
      status: "active",
    });
    await setCoverPhoto(db, { listingId: listing.id, stallId: farmer.stall.id, mediaId: listing.photos[1].mediaId });
    const cert = (validFrom: string | null, validUntil: string, number: string) => ({
      listingId: listing.id,
      type: "vietgap" as const,
      number,
      issuer: "",
      validFrom,
      validUntil,
    });
    await db
      .insert(listingCertifications)
      .values([
        cert(null, addDays(today, 100), "valid"),
        cert(addDays(today, -400), addDays(today, -1), "expired"),
        cert(addDays(today, 5), addDays(today, 400), "not-yet"),
      ]);
    const [item] = (await readAll(stallScope(farmer))).items;
    expect(item.photos.map((p) => p.hash)).toEqual(
      [listing.photos[1], listing.photos[0], listing.photos[2]].map((p) => p.hash),
    );
    expect(item.photos[0]).toMatchObject({ width: 640, height: 480, widths: expect.arrayContaining([640]) });
    expect(item.certifications.map((c) => c.number).sort()).toEqual(["expired", "valid"]);
  });
});

describe("a commune or a province", () => {
  it("is its published stalls' feeds one after the other, by slug", async () => {
    const perStall = async (...list: FarmerWithStall[]) =>
      (await Promise.all(list.map(async (f) => (await readAll(stallScope(f))).items.map((l) => l.id)))).flat();

    const commune = await readAll({ kind: "commune", code: THANH_HA.communeCode }, 9);
    const communeIds = commune.items.map((l) => l.id);
    // Other stalls of the file (made by other tests) live in Thanh Hà too: ours must appear as a run, in order.
    const ours = communeIds.filter((id) =>
      commune.items.find((l) => l.id === id)!.stall.slug.startsWith("feed-items-"),
    );
    expect(ours).toEqual(await perStall(farmers.a, farmers.b));
    const slugs = commune.items.map((l) => l.stall.slug);
    expect(slugs).toEqual([...slugs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(commune.items.every((l) => l.stall.communeCode === THANH_HA.communeCode)).toBe(true);

    const province = await readAll({ kind: "province", code: THANH_HA.provinceCode }, 11);
    const provinceOurs = province.items.filter((l) => l.stall.slug.startsWith("feed-items-")).map((l) => l.id);
    expect(provinceOurs).toEqual(await perStall(farmers.a, farmers.b, farmers.c));
    expect(province.items.every((l) => l.stall.provinceCode === THANH_HA.provinceCode)).toBe(true);

    const elsewhere = await readAll({ kind: "province", code: otherProvinceCommune.provinceCode });
    expect(elsewhere.items.map((l) => l.id)).toEqual(await perStall(farmers.d));
  });

  it("holds nothing between batches: the database takes a transaction while a reader waits", async () => {
    const reader = exportListingBatches(db, { kind: "province", code: THANH_HA.provinceCode }, { today, batchSize: 5 });
    const first = await reader.next();
    expect(first.done).toBe(false);
    // On the embedded engine a transaction left open by the reader would make this wait forever.
    const write = db.transaction(async (tx) => {
      await tx.update(stalls).set({ description: "đang xuất" }).where(eq(stalls.id, farmers.c.stall.id));
    });
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("the write waited")), 5000));
    await Promise.race([write, timeout]);
    let rest = 0;
    for await (const batch of { [Symbol.asyncIterator]: () => reader }) rest += batch.length;
    expect(rest).toBeGreaterThan(0);
  });
});

describe("query plans", () => {
  const plan = async (scope: ExportScope, key: Parameters<typeof listingRows>[1]) =>
    rowsOf(await db.execute(sql`EXPLAIN ${listingRows(scope, key, 500, today)}`))
      .map((r) => String(Object.values(r)[0]))
      .join("\n");

  beforeAll(async () => {
    // Enough rows that an index is worth walking: 30 more stalls of 100 listings.
    for (let i = 0; i < 30; i++) {
      const farmer = await createFarmerWithStall(db, { stall: { slug: `feed-plan-${String(i).padStart(2, "0")}` } });
      await bulkListings(farmer.stall.id, 100);
    }
    await db.execute(sql`ANALYZE`);
  });

  it("reach a stall's listings by index, and walk stalls by slug for a commune or a province", async () => {
    const key = { slug: "feed-items-a", position: 3, id: "00000000-0000-0000-0000-000000000000" };
    const stall = await plan(stallScope(farmers.a), key);
    expect(stall).toMatch(
      /Index Scan on listings_stall_(status|slug)_idx|Index Scan using listings_stall_(status|slug)_idx/,
    );
    expect(stall).not.toMatch(/Seq Scan on listings/);
    for (const scope of [
      { kind: "commune", code: THANH_HA.communeCode },
      { kind: "province", code: THANH_HA.provinceCode },
    ] as const) {
      const bulk = await plan(scope, key);
      expect(bulk, scope.kind).toMatch(/Index Scan using stalls_slug_idx on stalls/);
      expect(bulk, scope.kind).toMatch(/Index Scan using listings_stall_(status|slug)_idx on listings/);
      expect(bulk, scope.kind).not.toMatch(/Seq Scan on listings/);
    }
  });
});
