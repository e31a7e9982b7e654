import { beforeAll, describe, expect, it } from "vitest";
import { createListing, setListingStatus } from "~/listings/listings.server";
import { db } from "~/utils/db.server";
import { createFarmerWithStall, listingInput, makePhoto, type FarmerWithStall } from "../../tests/factories";
import { loader as productLoader } from "./s.$stallSlug_.$productSlug";
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

beforeAll(async () => {
  farmer = await createFarmerWithStall(db);
  const listing = await createListing(db, {
    stallId: farmer.stall.id,
    userId: farmer.user.id,
    input: listingInput({ title: "Vải thiều Thanh Hà loại 1", priceDong: 45000, stockQty: 50 }),
    photos: [await makePhoto(7)],
    status: "active",
  });
  slug = listing.slug;
  listingId = listing.id;
});

describe("the product page /s/:stallSlug/:productSlug", () => {
  it("shows an active listing with its photos and a JSON-LD Product + Offer in VND", async () => {
    expect(slug).toBe("vai-thieu-thanh-ha-loai-1");
    const { product, jsonLd, ogImage } = await load(farmer.stall.slug, slug);
    expect(product.listing.title).toBe("Vải thiều Thanh Hà loại 1");
    expect(product.photos).toHaveLength(1);
    expect(jsonLd).toMatchObject({
      "@type": "Product",
      name: "Vải thiều Thanh Hà loại 1",
      offers: { "@type": "Offer", price: 45000, priceCurrency: "VND", availability: "https://schema.org/InStock" },
    });
    expect(ogImage).toMatch(/^http:\/\/localhost\/media\/photos\/[0-9a-f]{64}\/\d+\.jpg$/);
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
