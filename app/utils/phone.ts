/**
 * Vietnamese mobile numbers: parse what people type, store E.164, show the
 * national form. Shared with the browser, so no server imports here.
 *
 * Only mobiles are accepted because the number receives SMS login codes.
 * libphonenumber-js/max knows the real number ranges (the default "min"
 * metadata only checks lengths and would accept 0123456789 or the retired
 * 11-digit 016x numbers).
 */
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

export type PhoneProblem =
  /** Nothing typed. */
  | "empty"
  /** Not a phone number, or not a number in use in Vietnam. */
  | "invalid"
  /** A Vietnamese landline (02xx): cannot receive SMS codes. */
  | "landline"
  /** An old 11-digit mobile (01xx), renumbered to 10 digits in 2018. */
  | "old_prefix"
  /** A valid number of another country. */
  | "foreign";

export type PhoneParseResult = { ok: true; e164: string } | { ok: false; problem: PhoneProblem };

// Digits with the separators people actually type, and one "+" before the digits.
// Letters, slashes etc. are refused (libphonenumber would otherwise pick a number
// out of surrounding text).
const ALLOWED = /^[\s(]*\+?[\d\s.\-()]+$/;
// 11-digit numbers of the pre-2018 ranges: 012x, 016x, 018x, 0199 (with 0, 84 or +84 in front).
const OLD_ELEVEN_DIGIT = /^(?:0|84|0084)1(?:2\d|6[2-9]|8[68]|99)\d{7}$/;

export function parseVietnameseMobile(input: string | null | undefined): PhoneParseResult {
  const raw = (input ?? "").normalize("NFKC").trim();
  if (raw === "") return { ok: false, problem: "empty" };
  if (raw.length > 30 || !ALLOWED.test(raw)) return { ok: false, problem: "invalid" };

  const digits = raw.replace(/\D/g, "");
  if (OLD_ELEVEN_DIGIT.test(digits)) return { ok: false, problem: "old_prefix" };

  // "84912345678" without the plus is common: an 11-digit national number never starts
  // with 84, so read it as the country code.
  const international = raw.includes("+") || /^84[35789]\d{8}$/.test(digits);
  const phone = parsePhoneNumberFromString(international ? `+${digits}` : digits, "VN");
  if (!phone || !phone.isValid()) return { ok: false, problem: "invalid" };
  if (phone.country !== "VN") return { ok: false, problem: "foreign" };

  const type = phone.getType();
  if (type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE") return { ok: true, e164: phone.number };
  if (type === "FIXED_LINE") return { ok: false, problem: "landline" };
  return { ok: false, problem: "invalid" };
}

/**
 * "+84912345678" → "0912 345 678", the way Vietnamese mobiles are written.
 * Deliberately free of libphonenumber so pages that only show numbers stay light.
 * Anything that is not a +84 mobile is returned unchanged.
 */
export function formatPhone(e164: string): string {
  const m = /^\+84(\d{3})(\d{3})(\d{3})$/.exec(e164);
  return m ? `0${m[1]} ${m[2]} ${m[3]}` : e164;
}

/** The forms of one number a person might reuse as a password: 0912345678, 84912345678, 912345678. */
export function phoneDigitVariants(e164: string): string[] {
  const m = /^\+84(\d{9})$/.exec(e164);
  if (!m) return [e164.replace(/\D/g, "")];
  return [`0${m[1]}`, `84${m[1]}`, m[1]];
}
