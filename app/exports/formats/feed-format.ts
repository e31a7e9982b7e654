/**
 * What every feed writer shares: the context a listing is written in (where
 * the site is, which day it is in Vietnam), the feed's own title and link,
 * the shape of a streamed document (opening, items batch by batch, closing),
 * and the few text rules more than one format needs (links, XML text).
 *
 * Writers are pure: they never read the database and never decide which
 * listings go in. feeds.server.ts reads the batches, leaves out what a
 * target's readiness refuses, and hands the rest to the writer.
 */
import type { ExportListing } from "../item";
import type { ExportTarget } from "../targets";
import { absoluteUrl, photoUrl, productPath, stallPath, type Site } from "~/stalls";

export interface FeedContext {
  /** PUBLIC_URL's origin (else the request's) and where photos are served from. */
  site: Site;
  /** yyyy-mm-dd in Vietnam: availability is what a buyer can do today. */
  today: string;
}

/** The feed itself: what an RSS channel or a JSON document says about its items. */
export interface FeedChannel {
  title: string;
  link: string;
  description: string;
}

/** One document being written, as text chunks in order. */
export interface FeedDocument {
  /** The header row, or the root element's opening. */
  open(): string;
  /** The lines (elements) of these listings; "" for none. */
  items(listings: readonly ExportListing[]): string;
  /** The closing tags ("" for CSV). */
  close(): string;
}

export interface FeedFormat {
  /** Whose readiness rules decide which listings go in; null: every listing on sale (our own formats). */
  target: ExportTarget | null;
  start(context: FeedContext, channel: FeedChannel): FeedDocument;
}

/**
 * The whole document as chunks: the opening, one chunk per batch (a batch of
 * 500 items is one write, and one compression flush, rather than 500), the
 * closing. Only the current batch is ever held.
 */
export async function* writeFeed(
  format: FeedFormat,
  batches: AsyncIterable<readonly ExportListing[]>,
  context: FeedContext,
  channel: FeedChannel,
): AsyncGenerator<string> {
  const document = format.start(context, channel);
  yield document.open();
  for await (const batch of batches) {
    const text = document.items(batch);
    if (text) yield text;
  }
  const closing = document.close();
  if (closing) yield closing;
}

// ---------------------------------------------------------------- links

/** The product page, absolute: /s/:stallSlug/:productSlug on the site's origin. */
export const productLink = (listing: Pick<ExportListing, "slug" | "stall">, site: Site) =>
  absoluteUrl(productPath(listing.stall.slug, listing.slug), site);

export const stallLink = (stallSlug: string, site: Site) => absoluteUrl(stallPath(stallSlug), site);

/** Every photo's widest JPEG, absolute, cover first (what marketplaces fetch; all of them read JPEG). */
export const photoLinks = (listing: Pick<ExportListing, "photos">, site: Site) =>
  listing.photos.map((photo) => photoUrl(photo, site));

// ---------------------------------------------------------------- XML text

// What XML 1.0 forbids in a document: C0 controls other than tab, LF and CR,
// lone surrogates (with the u flag a class matches only unpaired halves), and
// U+FFFE / U+FFFF. A farmer's text pasted from elsewhere can hold any of them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;

const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Text as XML character data: escaped, and without the characters XML 1.0 forbids. */
export const xmlText = (text: string) => text.replace(NOT_XML, "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/** An element with text content; nothing when there is no value. */
export const xmlElement = (name: string, value: string | number | null | undefined) =>
  value === null || value === undefined ? "" : `<${name}>${xmlText(String(value))}</${name}>`;
