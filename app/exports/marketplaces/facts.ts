/**
 * What the three marketplace payloads (and their spreadsheets) say alike about
 * a listing, worked out once: links to the product page and its photos, the
 * category id from the admin's mapping, how many can be sold, when a
 * pre-order ships, weights in kilograms and descriptions as the HTML the
 * targets accept. Every rule about availability and readiness stays the one
 * in ../item.ts and ../readiness.ts.
 */
import { photoUrls } from "~/media";
import { absoluteUrl, productPath } from "~/stalls";
import { availabilityOf, charLength, cutAtWord, type ExportListing, unitWeightGrams } from "../item";
import type { MarketplaceTarget } from "../targets";
import { placeholder, type PlaceholderName } from "./placeholders";

/** Where pages are served from (PUBLIC_URL's origin) and where photos are (mediaBaseUrl()). */
export interface Site {
  origin: string;
  mediaBaseUrl: string;
}

/** Our category → the marketplace's category id (null or absent: not mapped yet). */
export type CategoryIds = Readonly<Partial<Record<string, string | null>>>;

export interface PayloadContext {
  site: Site;
  /** yyyy-mm-dd in Vietnam: availability changes overnight. */
  today: string;
  categoryMap: CategoryIds;
}

export const productUrl = (item: Pick<ExportListing, "slug" | "stall">, site: Site) =>
  absoluteUrl(productPath(item.stall.slug, item.slug), site);

/** The widest JPEG of each photo, cover first, at most `max` of them: what the uploader fetches. */
export function photoSources(item: Pick<ExportListing, "photos">, site: Site, max: number): string[] {
  return item.photos.slice(0, max).map((photo) => absoluteUrl(photoUrls(photo, site.mediaBaseUrl).largestJpeg, site));
}

const CATEGORY_PLACEHOLDER = {
  tiktok: "TIKTOK_CATEGORY_ID",
  shopee: "SHOPEE_CATEGORY_ID",
  lazada: "LAZADA_CATEGORY_ID",
} as const satisfies Record<MarketplaceTarget, PlaceholderName>;

/** The admin's id for the listing's category, else a placeholder naming our category. */
export function categoryIdFor(item: Pick<ExportListing, "category">, target: MarketplaceTarget, map: CategoryIds) {
  return map[item.category] || placeholder(CATEGORY_PLACEHOLDER[target], item.category);
}

/** A category id as the JSON number Shopee's API takes, when it is one. */
export function asNumberWhenSafe(id: string): number | string {
  return /^\d+$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

/**
 * How many the marketplace may sell: none when sold out, the pre-order
 * capacity before the harvest, the stock otherwise. Made to order counts no
 * stock (nor does a pre-order without a capacity): the seller says how many
 * they can make, so that is a placeholder.
 */
export function quantityOf(
  item: Pick<
    ExportListing,
    "status" | "preorder" | "madeToOrder" | "stockQty" | "availableFrom" | "leadTimeDays" | "preorderCapacity"
  >,
  today: string,
): number | string {
  const availability = availabilityOf(item, today);
  switch (availability.kind) {
    case "out_of_stock":
      return 0;
    case "preorder":
      return item.preorderCapacity ?? placeholder("STOCK_TO_SET", "preorder");
    case "made_to_order":
      return item.stockQty > 0 ? item.stockQty : placeholder("STOCK_TO_SET", "made_to_order");
    case "in_stock":
      return item.stockQty;
  }
}

const dayNumber = (isoDate: string) => {
  const [y, m, d] = isoDate.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
};

/**
 * A listing sold ahead of having it: how many days from an order to sending
 * it (the harvest's first day for a pre-order, the lead time when made to
 * order; null when unknown). `shipsLater` false: it is on hand.
 */
export function shippingDelay(
  item: Pick<ExportListing, "status" | "preorder" | "madeToOrder" | "stockQty" | "availableFrom" | "leadTimeDays">,
  today: string,
): { shipsLater: false } | { shipsLater: true; days: number | null } {
  const availability = availabilityOf(item, today);
  if (availability.kind !== "preorder" && availability.kind !== "made_to_order") return { shipsLater: false };
  if (availability.date === null) return { shipsLater: true, days: null };
  return { shipsLater: true, days: Math.max(0, dayNumber(availability.date) - dayNumber(today)) };
}

/** Grams in one selling unit; readiness keeps an item without them out of every file that needs them. */
export function requiredWeightGrams(item: Pick<ExportListing, "id" | "unit" | "weightGrams">): number {
  const grams = unitWeightGrams(item);
  if (grams === null) throw new Error(`listing ${item.id} has no weight: readiness should have left it out`);
  return grams;
}

/** Grams as kilograms with at most `decimals` decimals, rounded up (a parcel is never declared lighter than it is). */
export function kilograms(grams: number, decimals: number): number {
  const step = 10 ** decimals;
  return Math.max(1, Math.ceil((grams / 1000) * step - 1e-9)) / step;
}

/** The package's sides in whole centimetres, when the farmer gave all three. */
export function packageSize(
  item: Pick<ExportListing, "packageLengthCm" | "packageWidthCm" | "packageHeightCm">,
): { length: number; width: number; height: number } | null {
  const { packageLengthCm: length, packageWidthCm: width, packageHeightCm: height } = item;
  return length !== null && width !== null && height !== null ? { length, width, height } : null;
}

// ---------------------------------------------------------------- descriptions

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The farmer's text as paragraphs (`<p>`) and line breaks (`<br>`), every character of theirs escaped. */
export function paragraphsHtml(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n[^\S\n]*\n\s*/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== "")
    .map(
      (paragraph) =>
        `<p>${paragraph
          .split(/[^\S\n]*\n[^\S\n]*/)
          .map(escapeHtml)
          .join("<br>")}</p>`,
    )
    .join("");
}

/**
 * `paragraphsHtml` of the text, cut at a word so that the HTML (tags and
 * escapes counted, as the targets count) holds at most `max` characters.
 */
export function htmlWithin(text: string, max: number): string {
  let kept = cutAtWord(text.trim(), max);
  let html = paragraphsHtml(kept);
  while (charLength(html) > max) {
    const shorter = charLength(kept) - (charLength(html) - max) - 1;
    if (shorter < 1) return "";
    kept = cutAtWord(kept, shorter);
    html = paragraphsHtml(kept);
  }
  return html;
}

/** Plain text within `max` characters, cut at a word; line breaks kept (Shopee shows them). */
export const plainWithin = (text: string, max: number) => cutAtWord(text.trim().replace(/\r\n?/g, "\n"), max);
