/**
 * The fixed vocabularies of a listing: categories, selling units, certification
 * types and statuses. Only codes live here (browser-safe, no server imports);
 * their names are translations: `listings:categories.<code>`, `listings:units.<code>`,
 * `listings:certifications.<code>`, `listings:statuses.<code>`.
 *
 * Codes are stored in the database (listings.category, listings.unit): never
 * rename or remove one, only add. The array order is the display order.
 */
import { CERTIFICATION_TYPES, type CertificationTypeCode, type ListingStatusCode } from "#db/vocabulary";

export const CATEGORIES = [
  "rau-la", // Rau lá
  "cu-qua", // Củ quả
  "trai-cay", // Trái cây
  "lua-gao", // Lúa gạo
  "gia-cam-trung", // Gia cầm, trứng
  "thit", // Thịt
  "thuy-san", // Thủy sản
  "gia-vi", // Gia vị
  "dac-san-che-bien", // Đặc sản chế biến
  "mat-ong-do-kho", // Mật ong, đồ khô
  "cay-giong", // Cây giống
] as const;

export type CategoryCode = (typeof CATEGORIES)[number];

export type UnitKind = "weight" | "count" | "volume" | "pack";

export interface Unit {
  code: string;
  kind: UnitKind;
  /**
   * Kilograms in one unit, for weight units only. Packs (thùng, bao, túi…) are
   * null because their weight varies: the title or description says it
   * ("thùng 10 kg").
   */
  kgPerUnit: number | null;
}

/**
 * Units farmers sell by. Count units carry no fixed size either: a chục is 10
 * in the north but often 12–14 in southern fruit trading, so it is a word, not
 * a multiplier.
 */
export const UNITS = [
  // By weight (traditional Vietnamese measures: lạng = 100 g, yến = 10 kg, tạ = 100 kg, tấn = 1,000 kg).
  { code: "kg", kind: "weight", kgPerUnit: 1 },
  { code: "lang", kind: "weight", kgPerUnit: 0.1 },
  { code: "yen", kind: "weight", kgPerUnit: 10 },
  { code: "ta", kind: "weight", kgPerUnit: 100 },
  { code: "tan", kind: "weight", kgPerUnit: 1000 },
  // By count.
  { code: "qua", kind: "count", kgPerUnit: null }, // quả (north) – fruit, eggs
  { code: "trai", kind: "count", kgPerUnit: null }, // trái (south)
  { code: "con", kind: "count", kgPerUnit: null }, // poultry, fish
  { code: "cu", kind: "count", kgPerUnit: null }, // củ – bulbs, tubers
  { code: "cay", kind: "count", kgPerUnit: null }, // cây – seedlings
  { code: "bo", kind: "count", kgPerUnit: null }, // bó – bunch of greens
  { code: "mo", kind: "count", kgPerUnit: null }, // mớ – bundle of greens
  { code: "nai", kind: "count", kgPerUnit: null }, // nải – hand of bananas
  { code: "buong", kind: "count", kgPerUnit: null }, // buồng – stem of bananas
  { code: "chuc", kind: "count", kgPerUnit: null }, // chục – "ten" (see above)
  // Packed.
  { code: "hop", kind: "pack", kgPerUnit: null }, // hộp – box
  { code: "tui", kind: "pack", kgPerUnit: null }, // túi – bag
  { code: "khay", kind: "pack", kgPerUnit: null }, // khay – tray (eggs)
  { code: "thung", kind: "pack", kgPerUnit: null }, // thùng – carton
  { code: "bao", kind: "pack", kgPerUnit: null }, // bao – sack
  { code: "hu", kind: "pack", kgPerUnit: null }, // hũ – jar
  { code: "chai", kind: "pack", kgPerUnit: null }, // chai – bottle
  // By volume.
  { code: "lit", kind: "volume", kgPerUnit: null }, // lít – honey, fish sauce
] as const satisfies readonly Unit[];

export type UnitCode = (typeof UNITS)[number]["code"];

export const UNIT_CODES: readonly UnitCode[] = UNITS.map((u) => u.code);

export { CERTIFICATION_TYPES, type CertificationTypeCode } from "#db/vocabulary";

/** OCOP ratings a product can hold (3★ local, 4★ province, 5★ national). */
export const OCOP_STARS = [3, 4, 5] as const;

export { LISTING_STATUSES, type ListingStatusCode } from "#db/vocabulary";

/** Shown to buyers (product page, stall page, search). Paused, draft and archived are not. */
export const PUBLIC_LISTING_STATUSES = ["active", "sold_out"] as const satisfies readonly ListingStatusCode[];

/**
 * Which status a seller may move a listing to from each status. Moving to
 * "active" also needs a photo, a valid price and something to sell (stock,
 * made to order or pre-order capacity): see setListingStatus.
 */
export const LISTING_TRANSITIONS: Readonly<Record<ListingStatusCode, readonly ListingStatusCode[]>> = {
  draft: ["active", "archived"],
  active: ["paused", "sold_out", "archived"],
  paused: ["active", "archived"],
  sold_out: ["active", "archived"],
  archived: ["draft"],
};

export function canTransition(from: ListingStatusCode, to: ListingStatusCode): boolean {
  return LISTING_TRANSITIONS[from].includes(to);
}

/** Photos per listing (the upload routes' body limits need it too). */
export { MAX_PHOTOS } from "~/utils/upload-limits";
/** Certifications per listing. */
export const MAX_CERTIFICATIONS = 10;
/** 1 tỷ đồng: no farm product sells for more per unit; anything above is a typo. */
export const MAX_PRICE_DONG = 1_000_000_000;
/** Upper bound for stock, minimum order and pre-order capacity (keeps sums far from int4 limits). */
export const MAX_QUANTITY = 1_000_000;
export const TITLE_MIN = 2;
export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 2000;

export function isCategoryCode(value: unknown): value is CategoryCode {
  return typeof value === "string" && (CATEGORIES as readonly string[]).includes(value);
}

export function isUnitCode(value: unknown): value is UnitCode {
  return typeof value === "string" && (UNIT_CODES as readonly string[]).includes(value);
}

export function isCertificationType(value: unknown): value is CertificationTypeCode {
  return typeof value === "string" && (CERTIFICATION_TYPES as readonly string[]).includes(value);
}

export function unitByCode(code: string): Unit | undefined {
  return UNITS.find((u) => u.code === code);
}

/** The optional export details: their form field names, which are also ListingInput's keys. */
export const EXPORT_DETAIL_FIELDS = [
  "leadTimeDays",
  "weightGrams",
  "packageLengthCm",
  "packageWidthCm",
  "packageHeightCm",
] as const;
export type ExportDetailField = (typeof EXPORT_DETAIL_FIELDS)[number];

/** Inclusive ranges: a lead time up to a year, a unit up to a tonne, a package up to 3 m a side. */
export const EXPORT_DETAIL_LIMITS: Readonly<Record<ExportDetailField, { min: number; max: number }>> = {
  leadTimeDays: { min: 0, max: 365 },
  weightGrams: { min: 1, max: 1_000_000 },
  packageLengthCm: { min: 1, max: 300 },
  packageWidthCm: { min: 1, max: 300 },
  packageHeightCm: { min: 1, max: 300 },
};
