/** Numbers as people type them into a form. Browser-safe. */
export type WholeNumberProblem = "empty" | "invalid" | "negative" | "notInteger";
export type WholeNumber = { ok: true; value: number } | { ok: false; problem: WholeNumberProblem };

const GROUPED = /^\d{1,3}(?:[.\s]\d{3})+$/;

/**
 * A whole number as Vietnamese people type it: "1250000", "1.250.000" or
 * "1 250 000". Fractions ("12,5", "12.5") are "notInteger", never rounded.
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
  else if (GROUPED.test(s)) value = Number(s.replace(/[.\s]/g, ""));
  else if (/^[\d.,\s]+$/.test(s) && /\d/.test(s) && /[.,]/.test(s)) return { ok: false, problem: "notInteger" };
  else return { ok: false, problem: "invalid" };
  if (negative && value > 0) return { ok: false, problem: "negative" };
  return { ok: true, value };
}
