/**
 * The Meta (Facebook, Instagram) catalog feed as CSV: RFC 4180 through the
 * machine CSV writer (ADR 017), text exactly as the farmer wrote it — line
 * breaks in a description are kept inside a quoted cell, which Meta reads.
 * Fields and limits: ../shared/reference/export-formats.md §2.
 */
import { GOOGLE_CATEGORIES } from "../categories";
import { availabilityOf, cutAtWord, metaAvailability, priceWithCurrency, type ExportListing } from "../item";
import { TARGET_RULES } from "../readiness";
import { photoLinks, productLink, writeFeed, type FeedChannel, type FeedContext, type FeedFormat } from "./feed-format";
import type { CategoryCode } from "~/listings";
import { machineCsvWriter, type CsvRow } from "~/utils/csv.server";

/** Extra photos Meta takes besides the main one. */
export const META_MAX_ADDITIONAL_IMAGES = 20;
const BRAND_MAX = 100;

export const META_CSV_HEADER = [
  "id",
  "title",
  "description",
  "availability",
  "condition",
  "price",
  "link",
  "image_link",
  "additional_image_link",
  "brand",
  "google_product_category",
] as const;

export type MetaRow = Record<(typeof META_CSV_HEADER)[number], string | number | null>;

export function metaRow(listing: ExportListing, { site, today }: FeedContext): MetaRow {
  const rules = TARGET_RULES.meta;
  const [image, ...more] = photoLinks(listing, site);
  return {
    // The same id as Google's and the product page's sku: what the pixel's content_id must be.
    id: listing.id,
    title: cutAtWord(listing.title, rules.titleMax),
    description: cutAtWord(listing.description, rules.descriptionMax),
    availability: metaAvailability(availabilityOf(listing, today)),
    condition: "new",
    price: priceWithCurrency(listing.priceDong),
    link: productLink(listing, site),
    image_link: image ?? null,
    additional_image_link: more.length > 0 ? more.slice(0, META_MAX_ADDITIONAL_IMAGES).join(",") : null,
    brand: cutAtWord(listing.stall.name, BRAND_MAX),
    google_product_category: GOOGLE_CATEGORIES[listing.category as CategoryCode]?.id ?? null,
  };
}

const cells = (row: MetaRow): CsvRow => META_CSV_HEADER.map((field) => row[field]);

export const metaCsv: FeedFormat = {
  target: "meta",
  start(context) {
    const csv = machineCsvWriter(META_CSV_HEADER);
    return {
      open: () => csv.header,
      items: (listings) => csv.rows(listings.map((listing) => cells(metaRow(listing, context)))),
      close: () => "",
    };
  },
};

export const writeMetaCsv = (
  batches: AsyncIterable<readonly ExportListing[]>,
  context: FeedContext,
  channel: FeedChannel,
) => writeFeed(metaCsv, batches, context, channel);
