/**
 * products.json: our own format, every field we hold (`ProductRecord`), as
 * one JSON document `{"generatedAt":…,"title":…,"link":…,"items":[…]}`
 * written item by item — the opening, then each batch's items with the
 * commas between them, then the closing brackets — never built whole.
 */
import type { ExportListing } from "../item";
import { writeFeed, type FeedChannel, type FeedContext, type FeedFormat } from "./feed-format";
import { productRecord } from "./product-record";

export const productsJson: FeedFormat = {
  target: null,
  start(context, channel) {
    let first = true;
    return {
      open: () =>
        `{"generatedAt":${JSON.stringify(new Date().toISOString())},"today":${JSON.stringify(context.today)},` +
        `"title":${JSON.stringify(channel.title)},"link":${JSON.stringify(channel.link)},"items":[\n`,
      items: (listings) =>
        listings
          .map((listing) => {
            const json = JSON.stringify(productRecord(listing, context));
            const text = first ? json : `,\n${json}`;
            first = false;
            return text;
          })
          .join(""),
      close: () => "\n]}\n",
    };
  },
};

export const writeProductsJson = (
  batches: AsyncIterable<readonly ExportListing[]>,
  context: FeedContext,
  channel: FeedChannel,
) => writeFeed(productsJson, batches, context, channel);
