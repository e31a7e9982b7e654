/**
 * Shopify's product CSV (the legacy column names of Shopify's sample file,
 * which its importer still reads): one product, one variant, over several
 * rows — the first with the product and its cover photo, then one row per
 * extra photo holding only Handle, Image Src and Image Position. Columns we
 * have nothing for (options 2–3, barcode, compare-at price, tax code, cost,
 * gift card, variant image) are left out: Shopify fills its defaults.
 *
 * Handle: `<stall slug>-<listing uuid>`. It must be [a-z0-9-], unique in the
 * file (a commune's export holds many stalls) and the same on every export,
 * since Shopify matches products on it. A stall's slug is fixed from its
 * first publication and a listing's id forever; a listing's slug is not (an
 * archived listing can go back to draft and take a new title), so it is not
 * part of the handle (ADR 023).
 */
import { GOOGLE_CATEGORIES } from "../categories";
import { availabilityOf, cutAtWord, oneLineText, unitWeightGrams, type ExportListing } from "../item";
import { TARGET_RULES } from "../readiness";
import { photoLinks, writeFeed, type FeedChannel, type FeedContext, type FeedFormat } from "./feed-format";
import type { CategoryCode } from "~/listings";
import { machineCsvWriter, type CsvRow } from "~/utils/csv.server";

export const SHOPIFY_CSV_HEADER = [
  "Handle",
  "Title",
  "Body (HTML)",
  "Vendor",
  "Product Category",
  "Published",
  "Option1 Name",
  "Option1 Value",
  "Variant SKU",
  "Variant Grams",
  "Variant Inventory Tracker",
  "Variant Inventory Qty",
  "Variant Inventory Policy",
  "Variant Fulfillment Service",
  "Variant Price",
  "Variant Requires Shipping",
  "Image Src",
  "Image Position",
  "SEO Title",
  "SEO Description",
  "Variant Weight Unit",
  "Status",
] as const;

export type ShopifyColumn = (typeof SHOPIFY_CSV_HEADER)[number];
export type ShopifyRow = Partial<Record<ShopifyColumn, string | number>>;

const SEO_TITLE_MAX = 70;
const SEO_DESCRIPTION_MAX = 320;

/** `<stall slug>-<listing uuid>`: only [a-z0-9-], stable for as long as the listing exists. */
export const shopifyHandle = (listing: Pick<ExportListing, "id" | "stall">) =>
  `${listing.stall.slug}-${listing.id}`.toLowerCase();

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Plain text as HTML: escaped, a blank line starts a paragraph, a line break is <br>. */
export function paragraphsHtml(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.split("\n").map(escapeHtml).join("<br>")}</p>`)
    .join("");
}

/** Stock as Shopify counts it: made to order is not tracked; pre-orders and made to order go on selling at 0. */
function inventory(listing: ExportListing, today: string) {
  const availability = availabilityOf(listing, today);
  if (listing.madeToOrder) return { tracker: "", qty: "", policy: "continue" } as const;
  const qty = availability.kind === "out_of_stock" ? 0 : listing.stockQty;
  return { tracker: "shopify", qty, policy: availability.kind === "preorder" ? "continue" : "deny" } as const;
}

/** The product's rows: the product with its cover, then one row per other photo. */
export function shopifyRows(listing: ExportListing, { site, today }: FeedContext): ShopifyRow[] {
  const handle = shopifyHandle(listing);
  const [cover, ...more] = photoLinks(listing, site);
  const grams = unitWeightGrams(listing);
  const stock = inventory(listing, today);
  const product: ShopifyRow = {
    Handle: handle,
    Title: cutAtWord(listing.title, TARGET_RULES.shopify.titleMax),
    "Body (HTML)": paragraphsHtml(listing.description),
    Vendor: listing.stall.name,
    "Product Category": GOOGLE_CATEGORIES[listing.category as CategoryCode]?.path ?? "",
    Published: "TRUE",
    "Option1 Name": "Title",
    "Option1 Value": "Default Title",
    "Variant SKU": listing.id,
    "Variant Grams": grams ?? "",
    "Variant Inventory Tracker": stock.tracker,
    "Variant Inventory Qty": stock.qty,
    "Variant Inventory Policy": stock.policy,
    "Variant Fulfillment Service": "manual",
    // Whole đồng: the store's currency must be VND.
    "Variant Price": listing.priceDong,
    "Variant Requires Shipping": "TRUE",
    "Image Src": cover ?? "",
    "Image Position": cover ? 1 : "",
    "SEO Title": cutAtWord(oneLineText(listing.title), SEO_TITLE_MAX),
    "SEO Description": cutAtWord(oneLineText(listing.description), SEO_DESCRIPTION_MAX),
    "Variant Weight Unit": grams === null ? "" : grams >= 1000 ? "kg" : "g",
    Status: "active",
  };
  return [product, ...more.map((src, i) => ({ Handle: handle, "Image Src": src, "Image Position": i + 2 }))];
}

const cells = (row: ShopifyRow): CsvRow => SHOPIFY_CSV_HEADER.map((column) => row[column] ?? "");

export const shopifyCsv: FeedFormat = {
  target: "shopify",
  start(context) {
    const csv = machineCsvWriter(SHOPIFY_CSV_HEADER);
    return {
      open: () => csv.header,
      items: (listings) => csv.rows(listings.flatMap((listing) => shopifyRows(listing, context).map(cells))),
      close: () => "",
    };
  },
};

export const writeShopifyCsv = (
  batches: AsyncIterable<readonly ExportListing[]>,
  context: FeedContext,
  channel: FeedChannel,
) => writeFeed(shopifyCsv, batches, context, channel);
