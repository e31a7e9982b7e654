/**
 * The Google Merchant Center feed as RSS 2.0 with the `g:` namespace: a
 * channel (the stall's name, its page, a line about it), then one <item> per
 * product. A full snapshot: an item left out is deleted from the account.
 * Hand-written rather than through an XML library: the shape is fixed and
 * small, and every text goes through `xmlText` (escaped, characters XML 1.0
 * forbids removed).
 */
import type { ExportListing } from "../item";
import { writeFeed, xmlElement, type FeedChannel, type FeedContext, type FeedFormat } from "./feed-format";
import { GOOGLE_FIELDS, googleItem, type GoogleItem } from "./google-item";

export const GOOGLE_NAMESPACE = "http://base.google.com/ns/1.0";

/** One <item>, one line: each attribute as a g: element, a list as repeated elements, unknowns left out. */
export function googleItemXml(item: GoogleItem): string {
  let xml = "<item>";
  for (const field of GOOGLE_FIELDS) {
    const value = item[field];
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) xml += xmlElement(`g:${field}`, one);
  }
  return `${xml}</item>\n`;
}

export const googleXml: FeedFormat = {
  target: "google",
  start(context, channel) {
    return {
      open: () =>
        `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:g="${GOOGLE_NAMESPACE}">\n<channel>\n` +
        `${xmlElement("title", channel.title)}\n${xmlElement("link", channel.link)}\n` +
        `${xmlElement("description", channel.description)}\n`,
      items: (listings) => listings.map((listing) => googleItemXml(googleItem(listing, context))).join(""),
      close: () => "</channel>\n</rss>\n",
    };
  },
};

export const writeGoogleXml = (
  batches: AsyncIterable<readonly ExportListing[]>,
  context: FeedContext,
  channel: FeedChannel,
) => writeFeed(googleXml, batches, context, channel);
