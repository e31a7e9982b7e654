/**
 * The <head> of a public page that people share: Open Graph tags, so a link
 * pasted into Zalo or Facebook shows a card with the photo, a canonical link
 * (QR codes and shares add query strings), and the page's JSON-LD.
 * Loaders build a SocialCard on the server (it needs the public origin);
 * `meta` turns it into tags.
 */
import type { MetaDescriptor } from "@remix-run/react";
import type { PhotoRef } from "~/media";
import { photoUrl, type JsonLd, type Site } from "./structured-data";
import { SITE_NAME } from "~/utils/page-title";

export { SITE_NAME };

export interface SocialImage {
  url: string;
  width: number;
  height: number;
  alt: string;
}

export interface SocialCard {
  title: string;
  description: string;
  /** Absolute and canonical (no query string). */
  url: string;
  type: "website" | "product";
  /** The page's language ("vi" | "en"). */
  language: string;
  image: SocialImage | null;
  /** Tags of one page type, e.g. product:price:amount. */
  extra?: MetaDescriptor[];
}

/** The widest JPEG with its real size: Facebook draws the card on first share only when it knows the size. */
export function socialImage(photo: PhotoRef, site: Site, alt: string): SocialImage {
  const width = Math.max(...photo.widths);
  return { url: photoUrl(photo, site), width, height: Math.round((width * photo.height) / photo.width), alt };
}

/** At most `max` characters, cut at a word, on one line: what search results and cards show. */
export function clip(text: string, max = 160): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, "")}…`;
}

export function socialMeta(card: SocialCard, jsonLd: readonly JsonLd[] = []): MetaDescriptor[] {
  const { image } = card;
  return [
    { title: card.title },
    { name: "description", content: card.description },
    { tagName: "link", rel: "canonical", href: card.url },
    { property: "og:site_name", content: SITE_NAME },
    { property: "og:type", content: card.type },
    { property: "og:title", content: card.title },
    { property: "og:description", content: card.description },
    { property: "og:url", content: card.url },
    { property: "og:locale", content: card.language === "en" ? "en_US" : "vi_VN" },
    ...(image
      ? [
          { property: "og:image", content: image.url },
          { property: "og:image:type", content: "image/jpeg" },
          { property: "og:image:width", content: String(image.width) },
          { property: "og:image:height", content: String(image.height) },
          { property: "og:image:alt", content: image.alt },
        ]
      : []),
    { name: "twitter:card", content: image ? "summary_large_image" : "summary" },
    ...(card.extra ?? []),
    ...jsonLd.map((data) => ({ "script:ld+json": data })),
  ];
}
