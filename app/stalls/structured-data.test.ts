import { describe, expect, it } from "vitest";
import type { ListingPhoto } from "~/listings/listings.server";
import type { PublicListing } from "./storefront.server";
import type { PublicStall } from "./stalls.server";
import { itemListJsonLd, offerAvailability, productJsonLd, storeJsonLd, type Availability } from "./structured-data";

const site = { origin: "https://gianhangso.vn", mediaBaseUrl: "/media" };
const photo = (n: number): ListingPhoto => ({
  mediaId: `00000000-0000-4000-8000-00000000000${n}`,
  hash: String(n).repeat(64),
  width: 1600,
  height: 1200,
  widths: [320, 640, 1280],
  dominantColor: "#6a8f3c",
  placeholder: "",
  position: n,
  alt: "",
});

const stall: PublicStall = {
  id: "11111111-1111-4111-8111-111111111111",
  slug: "vai-thieu-bac-thinh",
  name: "Vườn vải thiều bác Thịnh",
  description: "Vải thiều Thanh Hà chín cây.",
  publishedAt: new Date("2026-05-01T00:00:00Z"),
  ownerName: "Nguyễn Văn Thịnh",
  householdKind: "household",
  communeCode: "10813",
  communeName: "Xã Thanh Hà",
  provinceCode: "31",
  provinceName: "Thành phố Hải Phòng",
  phone: "+84912345601",
  banner: null,
  payments: { cod: true, vietqr: true },
  delivery: { pickup: null, local: null, shipping: null },
};

const listing: PublicListing["listing"] = {
  id: "22222222-2222-4222-8222-222222222222",
  slug: "vai-thieu-loai-1",
  title: "Vải thiều loại 1",
  description: "Quả to, cùi dày.",
  category: "trai-cay",
  unit: "kg",
  priceDong: 45_000,
  minOrderQty: 1,
  madeToOrder: false,
  stockQty: 120,
  availableFrom: null,
  availableUntil: null,
  preorder: false,
  preorderCapacity: null,
  leadTimeDays: null,
  status: "active",
  updatedAt: new Date("2026-06-01T00:00:00Z"),
};

const today = "2026-06-10";

describe("storeJsonLd", () => {
  it("describes the stall as a Store with its commune, province and phone", () => {
    const store = storeJsonLd({ stall, products: [{ cover: photo(2) }], site });
    expect(store).toEqual({
      "@context": "https://schema.org",
      "@type": "Store",
      "@id": "https://gianhangso.vn/s/vai-thieu-bac-thinh#store",
      name: "Vườn vải thiều bác Thịnh",
      description: "Vải thiều Thanh Hà chín cây.",
      url: "https://gianhangso.vn/s/vai-thieu-bac-thinh",
      // No banner: the first product photo, as an absolute JPEG URL.
      image: `https://gianhangso.vn/media/photos/${"2".repeat(64)}/1280.jpg`,
      telephone: "+84912345601",
      address: {
        "@type": "PostalAddress",
        addressLocality: "Xã Thanh Hà",
        addressRegion: "Thành phố Hải Phòng",
        addressCountry: "VN",
      },
      currenciesAccepted: "VND",
      paymentAccepted: "Cash, Bank transfer",
    });
  });

  it("prefers the banner, and leaves out what the stall does not have", () => {
    const store = storeJsonLd({
      stall: { ...stall, banner: photo(1), phone: null, description: "" },
      products: [{ cover: photo(2) }],
      site: { origin: "https://gianhangso.vn", mediaBaseUrl: "https://cdn.example.vn/ghs" },
    });
    expect(store.image).toBe(`https://cdn.example.vn/ghs/photos/${"1".repeat(64)}/1280.jpg`);
    expect(store).not.toHaveProperty("telephone");
    expect(store).not.toHaveProperty("description");
  });
});

describe("itemListJsonLd", () => {
  it("lists the product URLs in page order, positions from 1", () => {
    const list = itemListJsonLd({
      stall,
      products: [
        { slug: "vai-thieu-loai-1", title: "Vải thiều loại 1" },
        { slug: "mat-ong-hoa-vai", title: "Mật ong hoa vải" },
      ],
      site,
    });
    expect(list).toMatchObject({ "@type": "ItemList", numberOfItems: 2 });
    expect(list.itemListElement).toEqual([
      {
        "@type": "ListItem",
        position: 1,
        url: "https://gianhangso.vn/s/vai-thieu-bac-thinh/vai-thieu-loai-1",
        name: "Vải thiều loại 1",
      },
      {
        "@type": "ListItem",
        position: 2,
        url: "https://gianhangso.vn/s/vai-thieu-bac-thinh/mat-ong-hoa-vai",
        name: "Mật ong hoa vải",
      },
    ]);
  });
});

describe("offerAvailability", () => {
  const cases: [string, Partial<PublicListing["listing"]>, Availability][] = [
    ["in stock", {}, "InStock"],
    ["sold out", { status: "sold_out", stockQty: 0 }, "OutOfStock"],
    ["made to order", { madeToOrder: true, stockQty: 0 }, "InStock"],
    ["made to order, ready in 3 days", { madeToOrder: true, stockQty: 0, leadTimeDays: 3 }, "BackOrder"],
    [
      "pre-order before the harvest",
      { preorder: true, preorderCapacity: 200, availableFrom: "2026-06-20" },
      "PreOrder",
    ],
    [
      "pre-order, harvest started, nothing in stock",
      { preorder: true, stockQty: 0, availableFrom: "2026-06-01" },
      "PreOrder",
    ],
    ["pre-order, harvest started, in stock", { preorder: true, stockQty: 30, availableFrom: "2026-06-01" }, "InStock"],
    ["pre-order that sold out", { preorder: true, status: "sold_out", availableFrom: "2026-06-20" }, "OutOfStock"],
  ];
  it.each(cases)("%s", (_, changes, expected) => {
    expect(offerAvailability({ ...listing, ...changes }, today).value).toBe(expected);
  });
});

describe("productJsonLd", () => {
  const product = { stall, listing, photos: [photo(3), photo(4)] };

  it("is a Product with an Offer: integer đồng, VND, availability, the stall as seller", () => {
    const ld = productJsonLd({ product, site, today, unitText: "kg", category: "Trái cây" });
    const url = "https://gianhangso.vn/s/vai-thieu-bac-thinh/vai-thieu-loai-1";
    expect(ld).toMatchObject({
      "@type": "Product",
      name: "Vải thiều loại 1",
      description: "Quả to, cùi dày.",
      sku: listing.id,
      category: "Trái cây",
      url,
      image: [
        `https://gianhangso.vn/media/photos/${"3".repeat(64)}/1280.jpg`,
        `https://gianhangso.vn/media/photos/${"4".repeat(64)}/1280.jpg`,
      ],
      brand: { "@type": "Brand", name: stall.name },
      offers: {
        "@type": "Offer",
        url,
        price: 45000,
        priceCurrency: "VND",
        availability: "https://schema.org/InStock",
        priceSpecification: { referenceQuantity: { value: 1, unitText: "kg" } },
        seller: { "@type": "Organization", name: stall.name, url: "https://gianhangso.vn/s/vai-thieu-bac-thinh" },
      },
    });
    const offer = ld.offers as { price: unknown };
    expect(Number.isInteger(offer.price)).toBe(true);
    expect(offer).not.toHaveProperty("availabilityStarts");
    expect(offer).not.toHaveProperty("eligibleQuantity");
  });

  it("says when a pre-order becomes available, and the minimum quantity", () => {
    const ld = productJsonLd({
      product: {
        ...product,
        listing: { ...listing, preorder: true, stockQty: 0, availableFrom: "2026-06-20", minOrderQty: 5 },
      },
      site,
      today,
      unitText: "kg",
    });
    expect(ld.offers).toMatchObject({
      availability: "https://schema.org/PreOrder",
      availabilityStarts: "2026-06-20",
      eligibleQuantity: { "@type": "QuantitativeValue", minValue: 5, unitText: "kg" },
    });
  });

  it("survives JSON with text that would end a script element (Remix escapes it when rendering)", () => {
    const ld = productJsonLd({ product: { ...product, listing: { ...listing, title: "</script><b>" } }, site, today });
    expect(JSON.parse(JSON.stringify(ld)).name).toBe("</script><b>");
  });
});
