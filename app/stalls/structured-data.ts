/**
 * schema.org JSON-LD for the public pages, so search engines show a stall as a
 * local store and a product with its price and availability:
 *  - stall page: a Store (address, telephone) and an ItemList of its products;
 *  - product page: a Product with one Offer in VND.
 *
 * Pure functions of the page data; every URL in the output is absolute. Routes
 * hand the objects to Remix's `meta` as `{ "script:ld+json": … }`, whose
 * <Meta> escapes `<`, `>`, `&`, U+2028 and U+2029 (as \u003c …), so a product
 * named "</script>" cannot break out of the script element.
 */
import type { PublicListingCard } from "~/listings/index.server";
import type { PublicListing } from "./storefront.server";
import { photoUrls, type PhotoRef } from "~/media";
import type { PublicStall } from "./stalls.server";
import { availabilityOf, schemaOrgAvailability } from "~/listings";

export type JsonLd = { "@context"?: string; "@type": string } & { [key: string]: unknown };

/** Where the page is served from (PUBLIC_URL's origin) and where photos are (mediaBaseUrl()). */
export interface Site {
  origin: string;
  mediaBaseUrl: string;
}

const SCHEMA = "https://schema.org";

export const stallPath = (stallSlug: string) => `/s/${encodeURIComponent(stallSlug)}`;
export const productPath = (stallSlug: string, productSlug: string) =>
  `${stallPath(stallSlug)}/${encodeURIComponent(productSlug)}`;

export const absoluteUrl = (pathOrUrl: string, site: Pick<Site, "origin">) =>
  new URL(pathOrUrl, site.origin).toString();

/**
 * The photo's widest JPEG as an absolute URL: what crawlers, Zalo and Facebook
 * fetch (every one of them reads JPEG; not all read AVIF or WebP).
 */
export function photoUrl(photo: Pick<PhotoRef, "hash" | "widths">, site: Site): string {
  return absoluteUrl(photoUrls(photo, site.mediaBaseUrl).largestJpeg, site);
}

/** Drops undefined fields, so the JSON-LD says nothing rather than `null` about what is unknown. */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The stall as a local Store: name, address (commune, province), phone, photo. */
export function storeJsonLd({
  stall,
  products,
  site,
}: {
  stall: PublicStall;
  products: readonly Pick<PublicListingCard, "cover">[];
  site: Site;
}): JsonLd {
  const url = absoluteUrl(stallPath(stall.slug), site);
  const photo = stall.banner ?? products.find((p) => p.cover)?.cover ?? null;
  const paymentAccepted = [stall.payments.cod ? "Cash" : null, stall.payments.vietqr ? "Bank transfer" : null].filter(
    Boolean,
  );
  return compact({
    "@context": SCHEMA,
    "@type": "Store",
    "@id": `${url}#store`,
    name: stall.name,
    description: stall.description || undefined,
    url,
    image: photo ? photoUrl(photo, site) : undefined,
    telephone: stall.phone ?? undefined,
    address: {
      "@type": "PostalAddress",
      addressLocality: stall.communeName,
      addressRegion: stall.provinceName,
      addressCountry: "VN",
    },
    currenciesAccepted: "VND",
    paymentAccepted: paymentAccepted.length > 0 ? paymentAccepted.join(", ") : undefined,
  });
}

/** The stall's products in the order the page shows them. */
export function itemListJsonLd({
  stall,
  products,
  site,
}: {
  stall: Pick<PublicStall, "slug" | "name">;
  products: readonly Pick<PublicListingCard, "slug" | "title">[];
  site: Site;
}): JsonLd {
  return {
    "@context": SCHEMA,
    "@type": "ItemList",
    name: stall.name,
    numberOfItems: products.length,
    itemListElement: products.map((p, i) => ({
      "@type": "ListItem",
      position: i + 1,
      url: absoluteUrl(productPath(stall.slug, p.slug), site),
      name: p.title,
    })),
  };
}

export type Availability = ReturnType<typeof schemaOrgAvailability>["value"];

/**
 * The Offer's availability and the day it starts, by the rule every export
 * shares (app/exports `availabilityOf`): the product page says what the Google
 * feed says. Sold out is OutOfStock; a pre-order before its harvest (or with
 * only pre-order capacity left) is PreOrder from its harvest date; made to
 * order with a known lead time is BackOrder from the day it would be ready;
 * anything else on sale is InStock.
 */
export function offerAvailability(
  listing: Pick<
    PublicListing["listing"],
    "status" | "preorder" | "madeToOrder" | "stockQty" | "availableFrom" | "leadTimeDays"
  >,
  today: string,
): { value: Availability; date: string | null } {
  return schemaOrgAvailability(availabilityOf(listing, today));
}

/**
 * A product and its one Offer: the price per selling unit in integer đồng
 * (VND has no minor unit), its availability today, the stall as seller.
 * `unitText` and `category` are the page's translations ("kg", "Trái cây").
 */
export function productJsonLd({
  product,
  site,
  today,
  unitText,
  category,
}: {
  product: Pick<PublicListing, "stall" | "listing" | "photos">;
  site: Site;
  today: string;
  unitText?: string;
  category?: string;
}): JsonLd {
  const { stall, listing, photos } = product;
  const url = absoluteUrl(productPath(stall.slug, listing.slug), site);
  const availability = offerAvailability(listing, today);
  const seller = { "@type": "Organization", name: stall.name, url: absoluteUrl(stallPath(stall.slug), site) };
  return compact({
    "@context": SCHEMA,
    "@type": "Product",
    "@id": `${url}#product`,
    name: listing.title,
    description: listing.description || undefined,
    image: photos.map((p) => photoUrl(p, site)),
    sku: listing.id,
    productID: listing.id,
    category,
    url,
    brand: { "@type": "Brand", name: stall.name },
    offers: compact({
      "@type": "Offer",
      url,
      price: listing.priceDong,
      priceCurrency: "VND",
      availability: `${SCHEMA}/${availability.value}`,
      availabilityStarts: availability.date ?? undefined,
      priceSpecification: unitText
        ? {
            "@type": "UnitPriceSpecification",
            price: listing.priceDong,
            priceCurrency: "VND",
            referenceQuantity: { "@type": "QuantitativeValue", value: 1, unitText },
          }
        : undefined,
      eligibleQuantity:
        listing.minOrderQty > 1
          ? compact({ "@type": "QuantitativeValue", minValue: listing.minOrderQty, unitText })
          : undefined,
      seller,
    }),
  });
}
