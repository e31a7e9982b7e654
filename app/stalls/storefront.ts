/**
 * Small rules of the public stall and product pages, shared with the browser
 * (no server imports): contact and share links, the stall's certifications,
 * whether a product is in season.
 */
import { CERTIFICATION_TYPES } from "~/listings";

/** A phone link; the number stays in E.164 so it dials from abroad too. */
export function telHref(e164: string): string {
  return `tel:${e164}`;
}

/**
 * Zalo's chat link takes the national number ("https://zalo.me/0912345601").
 * Zalo accounts are Vietnamese mobiles, so anything else gets no link.
 */
export function zaloHref(e164: string): string | null {
  const m = /^\+84(\d{9})$/.exec(e164);
  return m ? `https://zalo.me/0${m[1]}` : null;
}

export function facebookShareHref(url: string): string {
  return `https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}`;
}

export interface CertificationBadge {
  type: string;
  ocopStars: number | null;
}

/**
 * The certifications a stall can show at the top of its page: those its
 * products on sale hold today, each kind (and OCOP star count) once, in the
 * catalogue's order, more stars first. A sold-out product's certificate does
 * not speak for what a buyer can order now.
 */
export function stallCertifications(
  products: readonly { status: string; badges: readonly CertificationBadge[] }[],
): CertificationBadge[] {
  const seen = new Map<string, CertificationBadge>();
  for (const product of products) {
    if (product.status !== "active") continue;
    for (const { type, ocopStars } of product.badges) seen.set(`${type}:${ocopStars ?? ""}`, { type, ocopStars });
  }
  const order = (type: string) => (CERTIFICATION_TYPES as readonly string[]).indexOf(type);
  return [...seen.values()].sort((a, b) => order(a.type) - order(b.type) || (b.ocopStars ?? 0) - (a.ocopStars ?? 0));
}

/**
 * In season: the listing has a harvest window and today (yyyy-mm-dd, Vietnam)
 * is inside it. A listing without dates sells all year and gets no badge.
 */
export function isInSeason(
  listing: { availableFrom: string | null; availableUntil: string | null },
  today: string,
): boolean {
  const { availableFrom: from, availableUntil: until } = listing;
  if (!from && !until) return false;
  return (!from || from <= today) && (!until || today <= until);
}
