/**
 * What each marketplace module (tiktok.ts, shopee.ts, lazada.ts) gives the
 * file writers: the product payload its API takes, and the spreadsheet's
 * columns (keys; their headings are translations,
 * `exports:files.columns.<target>.<key>`).
 */
import type { ExportListing } from "../item";
import type { MarketplaceTarget } from "../targets";
import type { PayloadContext } from "./facts";

/** A spreadsheet cell: text, a number, or nothing. */
export type SheetCell = string | number | null;

export interface MarketplaceFormat<Payload = unknown> {
  target: MarketplaceTarget;
  /** The API call the payload is the body of, as the platform's documentation names it. */
  api: string;
  /** Photos the platform takes per product. */
  maxImages: number;
  payload(item: ExportListing, context: PayloadContext): Payload;
  /** The spreadsheet's columns, in order. */
  columns: readonly string[];
  /** One spreadsheet row by column: our fields under the target's names, photos as their source URLs. */
  row(item: ExportListing, payload: Payload, context: PayloadContext): Readonly<Record<string, SheetCell>>;
}

/** Columns image1…imageN. */
export const imageColumns = (count: number) => Array.from({ length: count }, (_, i) => `image${i + 1}`);

/** Cells image1…imageN: each photo's source URL, blank past the last. */
export function imageCells(urls: readonly string[], count: number): Record<string, SheetCell> {
  return Object.fromEntries(imageColumns(count).map((column, i) => [column, urls[i] ?? null]));
}
