/**
 * A listing as every export sees it (`ExportListing`, read by
 * feed-items.server.ts) and the rules all exports share: availability, text
 * within a target's limits, unit pricing, weights. One place, so the product
 * page's JSON-LD, the feeds and the marketplace files say the same thing about
 * a listing at the same moment (issue 15, "one truth"). Browser-safe.
 */
import { unitByCode } from "~/listings";

export interface ExportPhoto {
  hash: string;
  /** Variant widths stored (the widest JPEG is what marketplaces fetch). */
  widths: number[];
  /** Of the original, upright. */
  width: number;
  height: number;
}

export interface ExportCertificate {
  type: string;
  number: string;
  issuer: string;
  ocopStars: number | null;
  validFrom: string | null;
  validUntil: string;
}

export interface ExportStall {
  id: string;
  slug: string;
  name: string;
  communeCode: string;
  communeName: string;
  provinceCode: string;
  provinceName: string;
}

/** A listing on sale (active or sold out) of a published stall, with what every export needs. */
export interface ExportListing {
  /** The listing's uuid: its id in every feed, forever (titles and slugs change, this does not). */
  id: string;
  slug: string;
  title: string;
  description: string;
  category: string;
  unit: string;
  priceDong: number;
  minOrderQty: number;
  madeToOrder: boolean;
  stockQty: number;
  availableFrom: string | null;
  availableUntil: string | null;
  preorder: boolean;
  preorderCapacity: number | null;
  status: "active" | "sold_out";
  leadTimeDays: number | null;
  weightGrams: number | null;
  packageLengthCm: number | null;
  packageWidthCm: number | null;
  packageHeightCm: number | null;
  position: number;
  updatedAt: Date;
  /** In the stall page's order; the first is the cover. */
  photos: ExportPhoto[];
  certifications: ExportCertificate[];
  stall: ExportStall;
}

export {
  addDays,
  type Availability,
  availabilityOf,
  googleAvailability,
  metaAvailability,
  schemaOrgAvailability,
  vietnamDayStart,
} from "~/listings";

// ---------------------------------------------------------------- money, units, weights

/** `125000 VND`: whole đồng (VND has no minor unit), a space, the ISO 4217 code. */
export const priceWithCurrency = (dong: number) => `${dong} VND`;

/** Grams in one selling unit: fixed for weight units (1 yến = 10 000 g), as the farmer gave it otherwise. */
export function unitWeightGrams(listing: Pick<ExportListing, "unit" | "weightGrams">): number | null {
  const unit = unitByCode(listing.unit);
  if (unit?.kgPerUnit) return Math.round(unit.kgPerUnit * 1000);
  return listing.weightGrams;
}

/** Whether the selling unit is a weight (kg, lạng, yến…): no extra weight to ask for. */
export function soldByWeight(unitCode: string): boolean {
  return unitByCode(unitCode)?.kind === "weight";
}

/**
 * Google's unit pricing for goods sold by weight (and for any unit whose
 * weight the farmer gave): how much one selling unit holds, and the base the
 * price per unit is shown for (per kg, or per 100 g for small units).
 */
export function unitPricing(
  listing: Pick<ExportListing, "unit" | "weightGrams">,
): { measure: string; baseMeasure: string } | null {
  const grams = unitWeightGrams(listing);
  if (grams === null) return null;
  const measure = grams >= 1000 && grams % 1000 === 0 ? `${grams / 1000} kg` : `${grams} g`;
  return { measure, baseMeasure: grams >= 1000 ? "1 kg" : "100 g" };
}

// ---------------------------------------------------------------- text

/** Characters as people count them (code points), so an emoji is never cut in half. */
const SURROGATE = /[\uD800-\uDFFF]/;
export const charLength = (text: string) => (SURROGATE.test(text) ? Array.from(text).length : text.length);

/**
 * `text` within `max` characters, cut at the last word boundary that fits and
 * ended with "…"; a single word longer than that is cut inside it. Text that
 * fits is returned as it is.
 */
export function cutAtWord(text: string, max: number): string {
  // Never more code points than UTF-16 units: most texts fit without being split into characters.
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const room = chars.slice(0, max - 1).join("");
  const lastSpace = room.search(/\s\S*$/u);
  const kept = lastSpace > room.length / 2 ? room.slice(0, lastSpace) : room;
  return `${kept.trimEnd()}…`;
}

/** One line: every run of white space (line breaks and tabs included) as one space. */
export const oneLineText = (text: string) => text.replace(/\s+/gu, " ").trim();

/** The listing's extra weight and package size are known (or needed nowhere). */
export function hasPackageSize(
  listing: Pick<ExportListing, "packageLengthCm" | "packageWidthCm" | "packageHeightCm">,
): boolean {
  return listing.packageLengthCm !== null && listing.packageWidthCm !== null && listing.packageHeightCm !== null;
}
