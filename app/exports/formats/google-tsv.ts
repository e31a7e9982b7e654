/**
 * The Google Merchant Center feed as TSV: a header of attribute names, one
 * product per line, tab-separated, UTF-8. Google wants no tab or line break
 * inside a value, so every text is flattened to one line (`oneLineText`);
 * extra photos are one comma-separated value. Written through the machine
 * CSV writer (app/utils/csv.server.ts, ADR 017) with a tab as delimiter.
 */
import { oneLineText, type ExportListing } from "../item";
import { writeFeed, type FeedChannel, type FeedContext, type FeedFormat } from "./feed-format";
import { GOOGLE_FIELDS, googleItem, type GoogleItem } from "./google-item";
import { machineCsvWriter, type CsvRow } from "~/utils/csv.server";

export const GOOGLE_TSV_HEADER: readonly string[] = GOOGLE_FIELDS;

/** One TSV line's cells, in GOOGLE_FIELDS order. */
export function googleTsvRow(item: GoogleItem): CsvRow {
  return GOOGLE_FIELDS.map((field) => {
    const value = item[field];
    if (value === null) return null;
    if (Array.isArray(value)) return value.join(",");
    return typeof value === "number" ? value : oneLineText(value);
  });
}

export const googleTsv: FeedFormat = {
  target: "google",
  start(context) {
    const csv = machineCsvWriter(GOOGLE_TSV_HEADER, { delimiter: "\t" });
    return {
      open: () => csv.header,
      items: (listings) => csv.rows(listings.map((listing) => googleTsvRow(googleItem(listing, context)))),
      close: () => "",
    };
  },
};

export const writeGoogleTsv = (
  batches: AsyncIterable<readonly ExportListing[]>,
  context: FeedContext,
  channel: FeedChannel,
) => writeFeed(googleTsv, batches, context, channel);
