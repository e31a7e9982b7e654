/**
 * Placeholders: what a marketplace issues and we cannot know — its image ids
 * after an upload, its logistics channels, warehouses and brand ids, its
 * category ids until an admin maps ours, a category's mandatory attributes.
 * A payload names each one `<<NAME>>`, or `<<NAME:hint>>` when a hint says
 * which one is meant: the photo's URL to upload, our category's code. The
 * person (or program) sending the payload replaces the whole `<<…>>` by the
 * platform's value; every name is explained in the file's notes (JSON
 * `placeholders`, the spreadsheet's second sheet).
 */
import type { MarketplaceTarget } from "../targets";

export const PLACEHOLDER_NAMES = {
  tiktok: [
    "TIKTOK_CATEGORY_ID",
    "TIKTOK_IMAGE_URI",
    "TIKTOK_WAREHOUSE_ID",
    "TIKTOK_ATTRIBUTE_ID",
    "TIKTOK_ATTRIBUTE_VALUE",
    "STOCK_TO_SET",
  ],
  shopee: [
    "SHOPEE_CATEGORY_ID",
    "SHOPEE_IMAGE_ID",
    "SHOPEE_LOGISTIC_ID",
    "SHOPEE_ATTRIBUTE_ID",
    "SHOPEE_ATTRIBUTE_VALUE_ID",
    "SHOPEE_DAYS_TO_SHIP",
    "STOCK_TO_SET",
  ],
  lazada: ["LAZADA_CATEGORY_ID", "LAZADA_IMAGE_URL", "LAZADA_BRAND_ID", "LAZADA_PREORDER_DAYS", "STOCK_TO_SET"],
} as const satisfies Record<MarketplaceTarget, readonly string[]>;

export type PlaceholderName = (typeof PLACEHOLDER_NAMES)[MarketplaceTarget][number];

/** `<<NAME>>` or `<<NAME:hint>>`; a hint never holds `<` or `>` (they are dropped). */
export function placeholder(name: PlaceholderName, hint?: string): string {
  return hint === undefined ? `<<${name}>>` : `<<${name}:${hint.replace(/[<>]/g, "")}>>`;
}

/** The shape of every placeholder (what the JSON Schemas in tests accept where a platform id goes). */
export const PLACEHOLDER_PATTERN = /^<<[A-Z][A-Z0-9_]*(?::[^<>]*)?>>$/;

export const isPlaceholder = (value: unknown): value is string =>
  typeof value === "string" && PLACEHOLDER_PATTERN.test(value);
