/**
 * Numbers as people type them into a form (docs/decisions/003-money-in-integer-dong.md,
 * "Amounts people type"). Browser-safe.
 */
export type WholeNumberProblem = "empty" | "invalid" | "negative" | "notInteger";
export type WholeNumber = { ok: true; value: number } | { ok: false; problem: WholeNumberProblem };

/** Groups of three after the first, one separator kind throughout: "1.250.000", "1,250,000", "1 250 000". */
const GROUPED = /^\d{1,3}([.,\s])\d{3}(?:\1\d{3})*$/;

/**
 * A whole number as people type it: "1250000", or grouped in thousands with
 * dots, commas or spaces ("1.250.000", "1,250,000", "1 250 000"). Anything
 * else with a dot or comma ("12,5", "12.5", "1.000,50") is "notInteger",
 * never rounded; "1e5" and "12 5" are "invalid".
 */
export function parseWholeNumber(raw: string): WholeNumber {
  // NFKC turns full-width digits into ASCII and no-break spaces into spaces.
  let s = raw.normalize("NFKC").trim();
  if (!s) return { ok: false, problem: "empty" };
  let negative = false;
  if (/^[-\u2212\u2013]/.test(s)) {
    negative = true;
    s = s.slice(1).trim();
  }
  let value: number;
  if (/^\d+$/.test(s)) value = Number(s);
  else if (GROUPED.test(s)) value = Number(s.replace(/[.,\s]/g, ""));
  else if (/^[\d.,\s]+$/.test(s) && /\d/.test(s) && /[.,]/.test(s)) return { ok: false, problem: "notInteger" };
  else return { ok: false, problem: "invalid" };
  if (negative && value > 0) return { ok: false, problem: "negative" };
  return { ok: true, value };
}

const CURRENCY_SUFFIX = /\s*(?:₫|đồng|đ|dong|vnđ|vnd)\.?$/iu;

/**
 * An amount of đồng as people type it (prices, fees, refunds, payouts, search
 * bounds): a whole number as `parseWholeNumber` reads it, with or without
 * "₫", "đ", "đồng", "dong", "VND" or "VNĐ" after it. Each caller judges the
 * range (zero, negative, its own maximum).
 */
export function parseDong(raw: string): WholeNumber {
  return parseWholeNumber(raw.normalize("NFKC").trim().replace(CURRENCY_SUFFIX, ""));
}
