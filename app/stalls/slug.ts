/**
 * Stall links: /s/:stallSlug. The slug comes from the stall's name, the farmer
 * may edit it, and it is fixed once the stall is first published (printed QR
 * posters point at it). Browser-safe, so the form can preview the link.
 */
import { SLUG_MAX_LENGTH, slugify } from "~/listings";

export const STALL_SLUG_MIN_LENGTH = 3;
export const STALL_FALLBACK_SLUG = "gian-hang";

/**
 * Slugs no stall may take: words that read as the platform speaking (admin,
 * support…), names of our own pages and feeds a buyer might confuse with a stall,
 * and words we may want under /s/ later. Compared after slugify.
 */
export const RESERVED_STALL_SLUGS: ReadonlySet<string> = new Set([
  "admin",
  "api",
  "app",
  "account",
  "build",
  "cart",
  "checkout",
  "dang-ky",
  "dang-nhap",
  "feeds",
  "gian-hang-so",
  "ghs",
  "help",
  "ho-tro",
  "home",
  "login",
  "logout",
  "media",
  "new",
  "null",
  "officer",
  "orders",
  "poster",
  "qr",
  "quan-tri",
  "search",
  "seller",
  "setup",
  "signup",
  "support",
  "undefined",
]);

export type StallSlugProblem = "stallSlug.tooShort" | "stallSlug.tooLong" | "stallSlug.format" | "stallSlug.reserved";

/** The slug a stall name suggests: "Vườn vải Bác Thịnh" → "vuon-vai-bac-thinh". */
export function stallSlugFrom(name: string): string {
  return slugify(name, STALL_FALLBACK_SLUG);
}

/**
 * Why a slug typed by the farmer cannot be used as it is, or null. Typed slugs
 * are normalised first (diacritics and spaces are forgiven: "Vải Thiều" is read
 * as "vai-thieu"), so only length and reserved words can refuse.
 */
export function stallSlugProblem(slug: string): StallSlugProblem | null {
  if (slug.length < STALL_SLUG_MIN_LENGTH) return "stallSlug.tooShort";
  if (slug.length > SLUG_MAX_LENGTH) return "stallSlug.tooLong";
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) return "stallSlug.format";
  if (RESERVED_STALL_SLUGS.has(slug)) return "stallSlug.reserved";
  return null;
}

/** What the farmer typed in the link field, made into a slug (without the fallback). */
export function normaliseTypedSlug(typed: string): string {
  const slug = slugify(typed.replace(/^.*\/s\//, ""), "");
  return slug;
}
