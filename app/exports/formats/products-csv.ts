/**
 * products.csv: our own format as a machine CSV (RFC 4180, ADR 017): one line
 * per listing, every field of `ProductRecord` flattened — the stall's and its
 * place's fields as columns, photos as one space-separated list of URLs,
 * certificates as a JSON array, each target's readiness as "ready" or its
 * error codes. Booleans are `true`/`false`, unknown values empty.
 */
import type { ExportListing } from "../item";
import { EXPORT_TARGETS } from "../targets";
import { writeFeed, type FeedChannel, type FeedContext, type FeedFormat } from "./feed-format";
import { productRecord, type ProductRecord } from "./product-record";
import { machineCsvWriter, type CsvCell, type CsvRow } from "~/utils/csv.server";

const bool = (value: boolean) => (value ? "true" : "false");

/** Column → its value in a record, in the file's order. */
const COLUMNS: readonly (readonly [string, (r: ProductRecord) => CsvCell])[] = [
  ["id", (r) => r.id],
  ["stall_id", (r) => r.stall.id],
  ["stall_slug", (r) => r.stall.slug],
  ["stall_name", (r) => r.stall.name],
  ["stall_url", (r) => r.stall.url],
  ["commune_code", (r) => r.stall.communeCode],
  ["commune_name", (r) => r.stall.communeName],
  ["province_code", (r) => r.stall.provinceCode],
  ["province_name", (r) => r.stall.provinceName],
  ["slug", (r) => r.slug],
  ["url", (r) => r.url],
  ["title", (r) => r.title],
  ["description", (r) => r.description],
  ["category", (r) => r.category],
  ["google_product_category", (r) => r.googleProductCategory],
  ["unit", (r) => r.unit],
  ["unit_weight_grams", (r) => r.unitWeightGrams],
  ["price_dong", (r) => r.priceDong],
  ["price", (r) => r.price],
  ["min_order_qty", (r) => r.minOrderQty],
  ["status", (r) => r.status],
  ["stock_qty", (r) => r.stockQty],
  ["made_to_order", (r) => bool(r.madeToOrder)],
  ["lead_time_days", (r) => r.leadTimeDays],
  ["preorder", (r) => bool(r.preorder)],
  ["preorder_capacity", (r) => r.preorderCapacity],
  ["available_from", (r) => r.availableFrom],
  ["available_until", (r) => r.availableUntil],
  ["availability", (r) => r.availability.kind],
  ["availability_date", (r) => r.availability.date],
  ["google_availability", (r) => r.availability.google],
  ["meta_availability", (r) => r.availability.meta],
  ["schema_org_availability", (r) => r.availability.schemaOrg],
  ["weight_grams", (r) => r.weightGrams],
  ["package_length_cm", (r) => r.packageLengthCm],
  ["package_width_cm", (r) => r.packageWidthCm],
  ["package_height_cm", (r) => r.packageHeightCm],
  ["position", (r) => r.position],
  ["updated_at", (r) => r.updatedAt],
  ["image_link", (r) => r.photos[0]?.url],
  [
    "additional_image_links",
    (r) =>
      r.photos
        .slice(1)
        .map((p) => p.url)
        .join(" ") || null,
  ],
  ["certifications", (r) => (r.certifications.length > 0 ? JSON.stringify(r.certifications) : null)],
  ...EXPORT_TARGETS.map(
    (target) =>
      [
        `${target}_readiness`,
        (r: ProductRecord) => {
          const { ready, errors } = r.readiness[target];
          return ready ? "ready" : errors.join(" ");
        },
      ] as const,
  ),
];

export const PRODUCTS_CSV_HEADER: readonly string[] = COLUMNS.map(([name]) => name);

export const productsCsvRow = (record: ProductRecord): CsvRow => COLUMNS.map(([, value]) => value(record));

export const productsCsv: FeedFormat = {
  target: null,
  start(context) {
    const csv = machineCsvWriter(PRODUCTS_CSV_HEADER);
    return {
      open: () => csv.header,
      items: (listings) => csv.rows(listings.map((listing) => productsCsvRow(productRecord(listing, context)))),
      close: () => "",
    };
  },
};

export const writeProductsCsv = (
  batches: AsyncIterable<readonly ExportListing[]>,
  context: FeedContext,
  channel: FeedChannel,
) => writeFeed(productsCsv, batches, context, channel);
