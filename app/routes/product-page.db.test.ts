import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { stalls } from "#db/schema";
import { todayInVietnam } from "~/listings/dates";
import { createListing, setListingStatus } from "~/listings/listings.server";
import { db } from "~/utils/db.server";
import { createFarmerWithStall, listingInput, makePhoto, type FarmerWithStall } from "#tests/fixtures/factories";
import { loader as productLoader, meta } from "./s.$stallSlug_.$productSlug";
import { loader as stallLoader } from "./s.$stallSlug";

let farmer: FarmerWithStall;
let slug: string;
let listingId: string;

const load = (stallSlug: string, productSlug: string) =>
  productLoader({
    request: new Request(`http://localhost/s/${stallSlug}/${productSlug}`),
    params: { stallSlug, productSlug },
    context: {},
  });

type Tags = ReturnType<typeof meta>;
const metaOf = (data: Awaited<ReturnType<typeof load>>): Tags =>
  meta({ data, params: {}, location: {} as never, matches: [], error: undefined } as Parameters<typeof meta>[0]);
const property = (tags: Tags, name: string) =>
  (tags.find((t) => "property" in t && t.property === name) as { content?: string } | undefined)?.content;

const inDays = (days: number) => {
  const d = new Date(`${todayInVietnam()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

async function activeListing(seed: number, input: Parameters<typeof listingInput>[0]) {
  return createListing(db, {
    stallId: farmer.stall.id,
    userId: farmer.user.id,
    input: listingInput(input),
    photos: [await makePhoto(seed)],
    status: "active",
  });
}

beforeAll(async () => {
  farmer = await createFarmerWithStall(db);
  await db
    .update(stalls)
    .set({
      vietqrEnabled: true,
      bankBin: "970436",
      bankAccountNumber: "0011009876543",
      bankAccountName: "NGUYEN VAN TEST",
    })
    .where(eq(stalls.id, farmer.stall.id));
  const listing = await activeListing(7, {
    title: "Vải thiều Thanh Hà loại 1",
    priceDong: 45000,
    stockQty: 50,
    minOrderQty: 2,
  });
  slug = listing.slug;
  listingId = listing.id;
});

describe("the product page /s/:stallSlug/:productSlug", () => {
  it("shows an active listing with its photos and a JSON-LD Product + Offer in VND", async () => {
    expect(slug).toBe("vai-thieu-thanh-ha-loai-1");
    const { product, jsonLd, url } = await load(farmer.stall.slug, slug);
    expect(product.listing.title).toBe("Vải thiều Thanh Hà loại 1");
    expect(product.listing.minOrderQty).toBe(2);
    expect(product.photos).toHaveLength(1);
    expect(url).toBe(`http://localhost/s/${farmer.stall.slug}/${slug}`);
    expect(jsonLd).toMatchObject({
      "@type": "Product",
      name: "Vải thiều Thanh Hà loại 1",
      sku: listingId,
      url,
      category: "Trái cây",
      image: [expect.stringMatching(/^http:\/\/localhost\/media\/photos\/[0-9a-f]{64}\/\d+\.jpg$/)],
      offers: {
        "@type": "Offer",
        price: 45000,
        priceCurrency: "VND",
        availability: "https://schema.org/InStock",
        url,
        seller: { name: farmer.stall.name, url: `http://localhost/s/${farmer.stall.slug}` },
        eligibleQuantity: { minValue: 2, unitText: "kg" },
      },
    });
    expect(Number.isInteger((jsonLd.offers as { price: unknown }).price)).toBe(true);
  });

  it("carries the farmer's phone for the call and Zalo links, never the bank account", async () => {
    const data = await load(farmer.stall.slug, slug);
    expect(data.product.stall.phone).toBe(farmer.household.phone);
    expect(JSON.stringify(data)).not.toContain("0011009876543");
  });

  it("gives shared links a product card with an absolute og:image and the price", async () => {
    const tags = metaOf(await load(farmer.stall.slug, slug));
    expect(property(tags, "og:image")).toMatch(/^http:\/\/localhost\/media\/photos\/[0-9a-f]{64}\/\d+\.jpg$/);
    expect(property(tags, "og:type")).toBe("product");
    expect(property(tags, "og:title")).toBe(`Vải thiều Thanh Hà loại 1 – ${farmer.stall.name}`);
    expect(property(tags, "product:price:amount")).toBe("45000");
    expect(property(tags, "product:price:currency")).toBe("VND");
    expect(tags).toContainEqual({
      tagName: "link",
      rel: "canonical",
      href: `http://localhost/s/${farmer.stall.slug}/${slug}`,
    });
    expect(tags.filter((t) => "script:ld+json" in t)).toHaveLength(1);
  });

  it("offers a pre-order before the harvest as PreOrder, from its first day", async () => {
    const harvest = inDays(14);
    const preorder = await activeListing(8, {
      title: "Vải thiều chính vụ",
      stockQty: 0,
      preorder: true,
      preorderCapacity: 300,
      availableFrom: harvest,
    });
    const { jsonLd } = await load(farmer.stall.slug, preorder.slug);
    expect(jsonLd.offers).toMatchObject({
      availability: "https://schema.org/PreOrder",
      availabilityStarts: harvest,
    });
  });

  it("still shows a sold-out listing, as OutOfStock", async () => {
    const gone = await activeListing(9, { title: "Nhãn lồng Hưng Yên" });
    await setListingStatus(db, { listingId: gone.id, stallId: farmer.stall.id, status: "sold_out" });
    const { product, jsonLd } = await load(farmer.stall.slug, gone.slug);
    expect(product.listing.status).toBe("sold_out");
    expect(jsonLd.offers).toMatchObject({ availability: "https://schema.org/OutOfStock" });
  });

  it("lists it on the stall page", async () => {
    const { products } = await stallLoader({
      request: new Request(`http://localhost/s/${farmer.stall.slug}`),
      params: { stallSlug: farmer.stall.slug },
      context: {},
    });
    expect(products.map((p) => p.slug)).toContain(slug);
  });

  it("answers 404 for a paused listing, an unknown product and another stall's slug", async () => {
    const other = await createFarmerWithStall(db);
    await expect(load(other.stall.slug, slug)).rejects.toMatchObject({ status: 404 });
    await expect(load(farmer.stall.slug, "khong-co")).rejects.toMatchObject({ status: 404 });
    await setListingStatus(db, { listingId, stallId: farmer.stall.id, status: "paused" });
    await expect(load(farmer.stall.slug, slug)).rejects.toMatchObject({ status: 404 });
  });
});
