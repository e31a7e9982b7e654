/**
 * Export readiness: per listing and per target, what is missing or wrong
 * before a marketplace takes it, each with the listing form's field that
 * fixes it. An error keeps the listing out of that target's feed and files;
 * a warning (an expired certificate) does not. Pure and browser-safe: the
 * feeds, the dashboard and "Sell on other marketplaces" all call this.
 *
 * The limits are each target's published ones (../shared/reference/
 * export-formats.md); Shopee's and Lazada's price and text limits are set per
 * shop and category by the platform, so ours are the common floor and ceiling
 * in Vietnam, to be checked against the seller centre.
 */
import { availabilityOf, charLength, hasPackageSize, soldByWeight, type ExportListing } from "./item";
import type { ExportTarget } from "./targets";

export interface TargetRules {
  titleMin: number;
  titleMax: number;
  /** 0: a description is optional. */
  descriptionMin: number;
  /** Longer descriptions are cut at a word, not refused. */
  descriptionMax: number;
  /** The cover photo's shorter side, in pixels; 0: any photo. */
  minPhotoPx: number;
  /** A photo at all. */
  needsPhoto: boolean;
  /** A weight per selling unit (given, or the unit is a weight). */
  needsWeight: boolean;
  needsPackageSize: boolean;
  priceMinDong: number;
  priceMaxDong: number;
  /** A pre-order must say when the harvest starts. */
  preorderNeedsDate: boolean;
}

const NO_MAX_PRICE = Number.MAX_SAFE_INTEGER;

export const TARGET_RULES: Readonly<Record<ExportTarget, TargetRules>> = {
  google: {
    titleMin: 1,
    titleMax: 150,
    descriptionMin: 1,
    descriptionMax: 5000,
    minPhotoPx: 100,
    needsPhoto: true,
    needsWeight: false,
    needsPackageSize: false,
    priceMinDong: 1,
    priceMaxDong: NO_MAX_PRICE,
    preorderNeedsDate: true,
  },
  meta: {
    titleMin: 1,
    titleMax: 200,
    descriptionMin: 1,
    descriptionMax: 9999,
    minPhotoPx: 500,
    needsPhoto: true,
    needsWeight: false,
    needsPackageSize: false,
    priceMinDong: 1,
    priceMaxDong: NO_MAX_PRICE,
    preorderNeedsDate: false,
  },
  shopify: {
    titleMin: 1,
    titleMax: 255,
    descriptionMin: 0,
    descriptionMax: 65_000,
    minPhotoPx: 0,
    needsPhoto: false,
    needsWeight: false,
    needsPackageSize: false,
    priceMinDong: 1,
    priceMaxDong: NO_MAX_PRICE,
    preorderNeedsDate: false,
  },
  tiktok: {
    // 1–255 in the US and UK, 25–255 everywhere else (Vietnam included).
    titleMin: 25,
    titleMax: 255,
    descriptionMin: 1,
    descriptionMax: 10_000,
    minPhotoPx: 300,
    needsPhoto: true,
    needsWeight: true,
    needsPackageSize: false,
    // Local Vietnamese shops: 1 – 180,000,000 VND per SKU (TikTok Shop's product API docs).
    priceMinDong: 1,
    priceMaxDong: 180_000_000,
    preorderNeedsDate: false,
  },
  shopee: {
    titleMin: 10,
    titleMax: 120,
    descriptionMin: 10,
    descriptionMax: 3000,
    minPhotoPx: 0,
    needsPhoto: true,
    needsWeight: true,
    needsPackageSize: false,
    priceMinDong: 1_000,
    priceMaxDong: 120_000_000,
    preorderNeedsDate: false,
  },
  lazada: {
    titleMin: 1,
    titleMax: 255,
    descriptionMin: 0,
    descriptionMax: 25_000,
    minPhotoPx: 0,
    needsPhoto: true,
    needsWeight: true,
    needsPackageSize: true,
    priceMinDong: 1_000,
    priceMaxDong: NO_MAX_PRICE,
    preorderNeedsDate: false,
  },
};

export const READINESS_CODES = [
  "no_photo",
  "photo_too_small",
  "title_too_short",
  "title_too_long",
  "no_description",
  "description_too_short",
  "no_weight",
  "no_package_size",
  "price_out_of_range",
  "preorder_without_date",
  "certificate_expired",
] as const;
export type ReadinessCode = (typeof READINESS_CODES)[number];

/** The listing form's fields a problem sends the farmer to (their element ids). */
export type ReadinessField =
  "photos" | "title" | "description" | "weightGrams" | "packageLengthCm" | "price" | "availableFrom" | "certifications";

export interface ReadinessProblem {
  code: ReadinessCode;
  severity: "error" | "warning";
  field: ReadinessField;
  /** The target's limit the listing misses (characters, pixels, đồng), for the message. */
  limit?: number;
  /** What the listing has, for the message. */
  actual?: number;
  /** TikTok's short titles: a longer title built from what the listing already says. */
  suggestion?: string;
}

export type ReadinessInput = Pick<
  ExportListing,
  | "title"
  | "description"
  | "unit"
  | "priceDong"
  | "weightGrams"
  | "packageLengthCm"
  | "packageWidthCm"
  | "packageHeightCm"
  | "preorder"
  | "madeToOrder"
  | "stockQty"
  | "availableFrom"
  | "leadTimeDays"
> & {
  /** Any listing status: the seller's page judges drafts too. */
  status: string;
  photos: readonly Pick<ExportListing["photos"][number], "width" | "height">[];
  certifications: readonly Pick<ExportListing["certifications"][number], "validUntil">[];
  stall: Pick<ExportListing["stall"], "name" | "provinceName">;
};

/** What keeps `listing` off `target` today (errors) and what it should fix (warnings), in the form's order. */
export function readinessOf(listing: ReadinessInput, target: ExportTarget, today: string): ReadinessProblem[] {
  const rules = TARGET_RULES[target];
  const problems: ReadinessProblem[] = [];
  const error = (p: Omit<ReadinessProblem, "severity">) => problems.push({ severity: "error", ...p });

  const cover = listing.photos[0];
  if (!cover) {
    if (rules.needsPhoto) error({ code: "no_photo", field: "photos" });
  } else if (Math.min(cover.width, cover.height) < rules.minPhotoPx) {
    error({
      code: "photo_too_small",
      field: "photos",
      limit: rules.minPhotoPx,
      actual: Math.min(cover.width, cover.height),
    });
  }

  const titleLength = charLength(listing.title.trim());
  if (titleLength < rules.titleMin) {
    error({
      code: "title_too_short",
      field: "title",
      limit: rules.titleMin,
      actual: titleLength,
      suggestion: extendedTitle(listing, rules.titleMin, rules.titleMax),
    });
  } else if (titleLength > rules.titleMax) {
    error({ code: "title_too_long", field: "title", limit: rules.titleMax, actual: titleLength });
  }

  const descriptionLength = charLength(listing.description.trim());
  if (descriptionLength === 0 && rules.descriptionMin > 0) {
    error({ code: "no_description", field: "description", limit: rules.descriptionMin });
  } else if (descriptionLength < rules.descriptionMin) {
    error({
      code: "description_too_short",
      field: "description",
      limit: rules.descriptionMin,
      actual: descriptionLength,
    });
  }

  if (rules.needsWeight && !soldByWeight(listing.unit) && listing.weightGrams === null) {
    error({ code: "no_weight", field: "weightGrams" });
  }
  if (rules.needsPackageSize && !hasPackageSize(listing)) {
    error({ code: "no_package_size", field: "packageLengthCm" });
  }
  if (listing.priceDong < rules.priceMinDong) {
    error({ code: "price_out_of_range", field: "price", limit: rules.priceMinDong, actual: listing.priceDong });
  } else if (listing.priceDong > rules.priceMaxDong) {
    error({ code: "price_out_of_range", field: "price", limit: rules.priceMaxDong, actual: listing.priceDong });
  }
  if (rules.preorderNeedsDate) {
    const availability = availabilityOf(listing, today);
    if (availability.kind === "preorder" && availability.date === null) {
      error({ code: "preorder_without_date", field: "availableFrom" });
    }
  }
  if (listing.certifications.some((c) => c.validUntil < today)) {
    problems.push({ code: "certificate_expired", severity: "warning", field: "certifications" });
  }
  return problems;
}

export const isReady = (problems: readonly ReadinessProblem[]) => problems.every((p) => p.severity !== "error");

/**
 * A title long enough for a target that wants more words (TikTok Shop: 25
 * outside the US), made only of what the listing already says: the title,
 * then the stall's name, then the province. The farmer edits it before use.
 */
export function extendedTitle(
  listing: Pick<ReadinessInput, "title"> & { stall: Pick<ReadinessInput["stall"], "name" | "provinceName"> },
  min: number,
  max: number,
): string {
  let title = listing.title.trim();
  for (const more of [listing.stall.name, listing.stall.provinceName]) {
    if (charLength(title) >= min) break;
    if (more && !title.toLowerCase().includes(more.toLowerCase())) title = `${title} – ${more}`;
  }
  return Array.from(title).slice(0, max).join("");
}

/** Items left out of a feed, by reason: what the feed's header and the dashboard say. */
export type SkippedCounts = Partial<Record<ReadinessCode, number>>;

export function countSkipped(into: SkippedCounts, problems: readonly ReadinessProblem[]): void {
  for (const p of problems) if (p.severity === "error") into[p.code] = (into[p.code] ?? 0) + 1;
}

/** Where each field is on the listing's edit page (its element id). */
const FIELD_ANCHORS: Readonly<Record<ReadinessField, string>> = {
  photos: "photos-heading",
  title: "f-title",
  description: "f-description",
  weightGrams: "f-weightGrams",
  packageLengthCm: "f-packageLengthCm",
  price: "f-price",
  availableFrom: "f-availableFrom",
  certifications: "certifications",
};

/** The edit page at the field that fixes a problem; `fix` unfolds the marketplace details when it is one of them. */
export function fixHref(listingId: string, field: ReadinessField): string {
  return `/seller/listings/${encodeURIComponent(listingId)}?fix=${field}#${FIELD_ANCHORS[field]}`;
}

/** Whether the edit page should unfold its marketplace details for `?fix=`. */
export const opensExportDetails = (fix: string | null) => fix === "weightGrams" || fix === "packageLengthCm";
