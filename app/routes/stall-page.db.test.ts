import { and, eq, ne } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { communes, stalls } from "#db/schema";
import { todayInVietnam } from "~/listings/dates";
import { createListing, setListingStatus } from "~/listings/listings.server";
import { storePhoto } from "~/media/photos.server";
import { db } from "~/utils/db.server";
import {
  THANH_HA,
  createFarmerWithStall,
  listingInput,
  makePhoto,
  type FarmerWithStall,
} from "#tests/fixtures/factories";
import { loader, meta } from "./s.$stallSlug";

const BANK_ACCOUNT = "0011001234567";

let farmer: FarmerWithStall;
let bannerHash: string;
let otherCommune: { code: string; fullName: string };

const load = (stallSlug: string) =>
  loader({ request: new Request(`http://localhost/s/${stallSlug}`), params: { stallSlug }, context: {} });

type Tags = ReturnType<typeof meta>;
const metaOf = (data: Awaited<ReturnType<typeof load>>): Tags =>
  meta({ data, params: {}, location: {} as never, matches: [], error: undefined } as Parameters<typeof meta>[0]);
const property = (tags: Tags, name: string) =>
  (tags.find((t) => "property" in t && t.property === name) as { content?: string } | undefined)?.content;

/** yyyy-mm-dd, `days` from today in Vietnam. */
const day = (days: number) => {
  const d = new Date(`${todayInVietnam()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  farmer = await createFarmerWithStall(db);
  [otherCommune] = await db
    .select({ code: communes.code, fullName: communes.fullName })
    .from(communes)
    .where(and(eq(communes.provinceCode, THANH_HA.provinceCode), ne(communes.code, THANH_HA.communeCode)))
    .orderBy(communes.code)
    .limit(1);
  const banner = await storePhoto(db, await makePhoto(301, { width: 1600, height: 600 }));
  bannerHash = banner.hash;
  await db
    .update(stalls)
    .set({
      description: "Vải thiều Thanh Hà chín cây, hái sáng nào giao sáng ấy.",
      bannerMediaId: banner.id,
      vietqrEnabled: true,
      bankBin: "970436",
      bankAccountNumber: BANK_ACCOUNT,
      bankAccountName: "NGUYEN VAN TEST",
      pickupEnabled: true,
      pickupAddress: "Thôn Phú Lương",
      pickupHours: "7:00–17:00",
      localDeliveryEnabled: true,
      localDeliveryCommunes: [otherCommune.code, THANH_HA.communeCode],
      localDeliveryFeeDong: 15_000,
      shippingEnabled: true,
      shippingFeeMode: "per_kg",
      shippingFeeDong: 12_000,
    })
    .where(eq(stalls.id, farmer.stall.id));

  const make = async (seed: number, input: Parameters<typeof listingInput>[0]) =>
    createListing(db, {
      stallId: farmer.stall.id,
      userId: farmer.user.id,
      input: listingInput(input),
      photos: [await makePhoto(seed)],
      status: "active",
    });
  let certNo = 0;
  const cert = (type: "vietgap" | "ocop" | "organic", ocopStars: number | null = null) => ({
    type,
    number: `${type.toUpperCase()}-${++certNo}`,
    issuer: "",
    ocopStars,
    validFrom: null,
    validUntil: day(365),
  });
  await make(302, {
    title: "Vải thiều Thanh Hà loại 1",
    priceDong: 45_000,
    availableFrom: day(-10),
    availableUntil: day(30),
    certifications: [cert("vietgap"), cert("ocop", 4)],
  });
  await make(303, { title: "Mật ong hoa vải", unit: "chai", priceDong: 150_000, certifications: [cert("vietgap")] });
  await make(304, {
    title: "Vải thiều muộn",
    stockQty: 0,
    preorder: true,
    preorderCapacity: 100,
    availableFrom: day(20),
  });
  const soldOut = await make(305, { title: "Nhãn lồng", certifications: [cert("organic")] });
  await setListingStatus(db, { listingId: soldOut.id, stallId: farmer.stall.id, status: "sold_out" });
  await createListing(db, { stallId: farmer.stall.id, input: listingInput({ title: "Bản nháp" }) });
});

describe("the stall page /s/:stallSlug", () => {
  it("answers 404 for an unknown, a draft and an unpublished stall", async () => {
    await expect(load("khong-co-gian-hang")).rejects.toMatchObject({ status: 404 });
    const draft = await createFarmerWithStall(db, { stall: { status: "draft", publishedAt: null } });
    await expect(load(draft.stall.slug)).rejects.toMatchObject({ status: 404 });
    const closed = await createFarmerWithStall(db, { stall: { status: "unpublished" } });
    await expect(load(closed.stall.slug)).rejects.toMatchObject({ status: 404 });
  });

  it("has the banner, the farmer's phone, the products with prices and badges", async () => {
    const data = await load(farmer.stall.slug);
    expect(data.stall.banner).toMatchObject({ hash: bannerHash, width: 1600, height: 600 });
    expect(data.stall.phone).toBe(farmer.household.phone);
    expect(data.products.map((p) => [p.title, p.priceDong, p.unit])).toEqual([
      ["Vải thiều Thanh Hà loại 1", 45_000, "kg"],
      ["Mật ong hoa vải", 150_000, "chai"],
      ["Vải thiều muộn", 45_000, "kg"],
      ["Nhãn lồng", 45_000, "kg"],
    ]);
    const byTitle = Object.fromEntries(data.products.map((p) => [p.title, p]));
    expect(byTitle["Vải thiều Thanh Hà loại 1"].inSeason).toBe(true);
    expect(byTitle["Mật ong hoa vải"].inSeason).toBe(false);
    expect(byTitle["Vải thiều muộn"]).toMatchObject({ preorder: true, inSeason: false });
    expect(byTitle["Nhãn lồng"].status).toBe("sold_out");
    // Each certification once; the sold-out product's does not count.
    expect(data.certifications).toEqual([
      { type: "vietgap", ocopStars: null },
      { type: "ocop", ocopStars: 4 },
    ]);
  });

  it("says how buyers get the goods and pay, without the bank account", async () => {
    const data = await load(farmer.stall.slug);
    expect(data.stall.payments).toEqual({ cod: true, vietqr: true });
    expect(data.stall.delivery).toEqual({
      pickup: { address: "Thôn Phú Lương", hours: "7:00–17:00" },
      // Names, in the farmer's order.
      local: { communes: [otherCommune.fullName, "Xã Thanh Hà"], feeDong: 15_000 },
      shipping: { feeMode: "per_kg", feeDong: 12_000 },
    });
    const page = JSON.stringify(data);
    expect(page).not.toContain(BANK_ACCOUNT);
    expect(page).not.toContain("NGUYEN VAN TEST");
  });

  it("describes the stall as a Store with its address and its products as an ItemList, in page order", async () => {
    const data = await load(farmer.stall.slug);
    const [store, list] = data.jsonLd;
    expect(store).toMatchObject({
      "@type": "Store",
      name: farmer.stall.name,
      url: `http://localhost/s/${farmer.stall.slug}`,
      telephone: farmer.household.phone,
      image: `http://localhost/media/photos/${bannerHash}/1280.jpg`,
      address: {
        "@type": "PostalAddress",
        addressLocality: "Xã Thanh Hà",
        addressRegion: "Thành phố Hải Phòng",
        addressCountry: "VN",
      },
    });
    expect(list["@type"]).toBe("ItemList");
    expect((list.itemListElement as { position: number; url: string }[]).map((i) => [i.position, i.url])).toEqual(
      data.products.map((p, i) => [i + 1, `http://localhost/s/${farmer.stall.slug}/${p.slug}`]),
    );
  });

  it("gives shared links a card: absolute og:image, og:url, canonical link", async () => {
    const tags = metaOf(await load(farmer.stall.slug));
    expect(property(tags, "og:image")).toBe(`http://localhost/media/photos/${bannerHash}/1280.jpg`);
    expect(property(tags, "og:image:height")).toBe("480");
    expect(property(tags, "og:url")).toBe(`http://localhost/s/${farmer.stall.slug}`);
    expect(property(tags, "og:type")).toBe("website");
    expect(property(tags, "og:locale")).toBe("vi_VN");
    expect(property(tags, "og:description")).toBe("Vải thiều Thanh Hà chín cây, hái sáng nào giao sáng ấy.");
    expect(tags).toContainEqual({ tagName: "link", rel: "canonical", href: `http://localhost/s/${farmer.stall.slug}` });
    expect(tags).toContainEqual({ name: "twitter:card", content: "summary_large_image" });
    expect(tags.filter((t) => "script:ld+json" in t)).toHaveLength(2);
  });

  it("without a banner, shows the first product photo; with nothing, a small card and a written description", async () => {
    const plain = await createFarmerWithStall(db);
    const empty = metaOf(await load(plain.stall.slug));
    expect(property(empty, "og:image")).toBeUndefined();
    expect(empty).toContainEqual({ name: "twitter:card", content: "summary" });
    expect(property(empty, "og:description")).toContain(plain.household.name);
    expect(property(empty, "og:description")).toContain("Xã Thanh Hà");

    const listing = await createListing(db, {
      stallId: plain.stall.id,
      input: listingInput(),
      photos: [await makePhoto(306)],
      status: "active",
    });
    const data = await load(plain.stall.slug);
    expect(data.stall.banner).toBeNull();
    const cover = data.products[0].cover!;
    expect(cover.mediaId).toBe(listing.photos[0].mediaId);
    expect(property(metaOf(data), "og:image")).toBe(
      `http://localhost/media/photos/${cover.hash}/${Math.max(...cover.widths)}.jpg`,
    );
  });
});
