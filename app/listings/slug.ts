/**
 * Product links: /s/:stallSlug/:productSlug. Slugs are lowercase ASCII so they
 * survive Zalo, SMS and printed QR codes. Browser-safe (the form can preview the
 * link); finding a free slug in the database is in slug.server.ts.
 */

export const SLUG_MAX_LENGTH = 60;
export const FALLBACK_SLUG = "san-pham";

/**
 * Words a product slug may not be, because a route under /s/:stallSlug/ already
 * answers them (the printable poster; qr.svg cannot come out of slugify but "qr"
 * is kept free for it).
 */
export const RESERVED_PRODUCT_SLUGS: readonly string[] = ["poster", "qr"];

/**
 * "Vải thiều Thanh Hà" → "vai-thieu-thanh-ha". Tones and vowel marks go (NFD),
 * đ becomes d, anything else that is not a-z or 0-9 becomes a dash. Long titles
 * are cut at a word boundary within SLUG_MAX_LENGTH; a title with nothing left
 * (emoji, other scripts) gives the fallback ("san-pham").
 */
export function slugify(text: string, fallback: string = FALLBACK_SLUG): string {
  let slug = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length > SLUG_MAX_LENGTH) {
    const cut = slug.slice(0, SLUG_MAX_LENGTH + 1);
    const lastDash = cut.lastIndexOf("-");
    // A single word longer than the limit is cut where the limit falls.
    slug = (lastDash > 0 ? cut.slice(0, lastDash) : slug.slice(0, SLUG_MAX_LENGTH)).replace(/-+$/, "");
  }
  return slug || fallback;
}

/**
 * The first of base, base-2, base-3, … that is not in `taken` and not reserved.
 * `taken` needs only the slugs that could clash (base and base-N).
 */
export function firstFreeSlug(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (const reserved of RESERVED_PRODUCT_SLUGS) used.add(reserved);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
