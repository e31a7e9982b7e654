/**
 * What seed-long-values.ts (run by start-server.ts) put in the end-to-end
 * database, for page-width.spec.ts: which phones sign in as the long-value
 * farmers and buyer, and what each route parameter is for those rows.
 */
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../../scripts/lib/app-process";

export const LONG_VALUES_FILE = path.join(ROOT, ".e2e-data", "long-values.json");

export interface LongValues {
  /** The farmer whose stall, listings and orders carry the long values (national format, for the login form). */
  farmerPhone: string;
  /** A farmer with a plain published stall, whose forms page-width.spec.ts fills to their limits. */
  formFarmerPhone: string;
  formStallSlug: string;
  /** The buyer of the long-value orders, with a long-value cart. */
  buyerPhone: string;
  /** A value for every route parameter (:stallSlug, :productSlug, :listingId, :orderCode, :officerId, :importId, :householdId), from the long-value rows. */
  params: Record<string, string>;
}

/** One unbroken word of `length` letters (wide ones, with Vietnamese marks) that no search for real produce finds. */
export function longWord(length: number): string {
  const syllables = "Wươngkhuỷuđxqzjw";
  return syllables.repeat(Math.ceil(length / syllables.length)).slice(0, length);
}

export function readLongValues(): LongValues {
  return JSON.parse(fs.readFileSync(LONG_VALUES_FILE, "utf8")) as LongValues;
}
