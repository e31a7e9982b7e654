/**
 * What app/exports produces, as codes: the marketplaces (targets) a listing
 * can be checked against, the per-stall feeds (public URL contract, brief §6:
 * these names never change) and the marketplace files for people.
 * Browser-safe: plain constants.
 */

/** Every place a listing can be sent to; readiness is checked per target. */
export const EXPORT_TARGETS = ["google", "meta", "shopify", "tiktok", "shopee", "lazada"] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** Targets whose files are uploaded by a person (no public feed URL to poll). */
export const MARKETPLACE_TARGETS = ["tiktok", "shopee", "lazada"] as const satisfies readonly ExportTarget[];
export type MarketplaceTarget = (typeof MARKETPLACE_TARGETS)[number];

/**
 * The per-stall feeds at /feeds/:stallSlug/<file>. `target` is whose rules
 * decide which items are ready; our own formats (products.*) hold every
 * listing on sale, ready for any marketplace or not.
 */
export const FEED_FILES = {
  "google.xml": { target: "google", contentType: "application/xml; charset=utf-8" },
  "google.tsv": { target: "google", contentType: "text/tab-separated-values; charset=utf-8" },
  "meta.csv": { target: "meta", contentType: "text/csv; charset=utf-8" },
  "shopify.csv": { target: "shopify", contentType: "text/csv; charset=utf-8" },
  "products.csv": { target: null, contentType: "text/csv; charset=utf-8" },
  "products.json": { target: null, contentType: "application/json; charset=utf-8" },
} as const satisfies Record<string, { target: ExportTarget | null; contentType: string }>;
export type FeedFile = keyof typeof FEED_FILES;
export const FEED_FILE_NAMES = Object.keys(FEED_FILES) as FeedFile[];

export function isFeedFile(name: string): name is FeedFile {
  return Object.hasOwn(FEED_FILES, name);
}

/** Marketplace files: the product API payload (JSON) and our fields under its names (XLSX). */
export const MARKETPLACE_FILE_KINDS = ["json", "xlsx"] as const;
export type MarketplaceFileKind = (typeof MARKETPLACE_FILE_KINDS)[number];

export const MARKETPLACE_FILE_CONTENT_TYPES: Readonly<Record<MarketplaceFileKind, string>> = {
  json: "application/json; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};
