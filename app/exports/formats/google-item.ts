/**
 * A listing as a Google Merchant Center product (the `g:` attributes), the
 * same for the RSS feed and the TSV file. Limits and values from Google's
 * product data specification (../shared/reference/export-formats.md §1).
 */
import { GOOGLE_CATEGORIES } from "../categories";
import {
  availabilityOf,
  cutAtWord,
  googleAvailability,
  priceWithCurrency,
  unitPricing,
  unitWeightGrams,
  vietnamDayStart,
  type ExportListing,
} from "../item";
import { TARGET_RULES } from "../readiness";
import { photoLinks, productLink, type FeedContext } from "./feed-format";
import type { CategoryCode } from "~/listings";

/** Extra photos Google takes besides the main one. */
export const GOOGLE_MAX_ADDITIONAL_IMAGES = 10;
const BRAND_MAX = 70;

export interface GoogleItem {
  id: string;
  title: string;
  description: string;
  link: string;
  image_link: string | null;
  additional_image_link: string[];
  availability: "in_stock" | "out_of_stock" | "preorder" | "backorder";
  availability_date: string | null;
  price: string;
  condition: "new";
  brand: string;
  identifier_exists: "no";
  google_product_category: number | null;
  unit_pricing_measure: string | null;
  unit_pricing_base_measure: string | null;
  shipping_weight: string | null;
}

/** The attributes in the order the feeds write them (the TSV header). */
export const GOOGLE_FIELDS = [
  "id",
  "title",
  "description",
  "link",
  "image_link",
  "additional_image_link",
  "availability",
  "availability_date",
  "price",
  "condition",
  "brand",
  "identifier_exists",
  "google_product_category",
  "unit_pricing_measure",
  "unit_pricing_base_measure",
  "shipping_weight",
] as const satisfies readonly (keyof GoogleItem)[];

export function googleItem(listing: ExportListing, { site, today }: FeedContext): GoogleItem {
  const rules = TARGET_RULES.google;
  const availability = googleAvailability(availabilityOf(listing, today));
  const [image, ...more] = photoLinks(listing, site);
  const pricing = unitPricing(listing);
  const grams = unitWeightGrams(listing);
  return {
    // The listing's uuid (36 characters): the same forever, whatever the title or slug become.
    id: listing.id,
    title: cutAtWord(listing.title, rules.titleMax),
    description: cutAtWord(listing.description, rules.descriptionMax),
    link: productLink(listing, site),
    image_link: image ?? null,
    additional_image_link: more.slice(0, GOOGLE_MAX_ADDITIONAL_IMAGES),
    availability: availability.value,
    availability_date: availability.date ? vietnamDayStart(availability.date) : null,
    price: priceWithCurrency(listing.priceDong),
    condition: "new",
    brand: cutAtWord(listing.stall.name, BRAND_MAX),
    // Farm produce has no GTIN or MPN.
    identifier_exists: "no",
    google_product_category: GOOGLE_CATEGORIES[listing.category as CategoryCode]?.id ?? null,
    unit_pricing_measure: pricing?.measure ?? null,
    unit_pricing_base_measure: pricing?.baseMeasure ?? null,
    shipping_weight: grams !== null ? `${grams} g` : null,
  };
}
