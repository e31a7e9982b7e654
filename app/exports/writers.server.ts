/**
 * What writes a bulk file: one writer per format, each streaming the whole
 * document for a scope (every published stall of a commune or a province),
 * read from the database in keyset batches. The bulk export job
 * (bulk.server.ts) and the export benchmark take their writer from
 * `EXPORT_WRITERS`, so a format's writer is plugged in here and nowhere else.
 */
import { MARKETPLACE_FILE_NAMES, type BulkExportFormat } from "./bulk";
import { categoryMappings } from "./category-mappings.server";
import { exportListingBatches, type ExportScope } from "./feed-items.server";
import { newFeedStats, streamFeed } from "./feeds.server";
import { emptyMarketplaceFileStats, streamMarketplaceFile } from "./marketplaces/files.server";
import { FEED_FILE_NAMES, type FeedFile, type MarketplaceFileKind, type MarketplaceTarget } from "./targets";
import { mediaBaseUrl } from "~/media/index.server";
import type { Database } from "~/utils/db.server";

export interface ExportContext {
  /** The site's origin, for absolute links (`https://…`, no trailing slash). */
  site: string;
  /** Vietnam's date (yyyy-mm-dd): availability and certificates are read as of this day. */
  today: string;
}

/** Filled by the writer as it streams; the job reads it at each batch. */
export interface ExportStats {
  /** Stalls whose items were all written. */
  stalls: number;
  /** Items written. */
  items: number;
  /** Items left out because they are not ready for the target. */
  skipped: number;
  /** Why: readiness code → items left out for it (an item may count under several). */
  skippedByReason: Record<string, number>;
}

/**
 * The whole file for `scope` in `format`, as it is produced: text (UTF-8) or
 * bytes. Calls `onBatch` after each batch read from the database (it may
 * return a promise: the writer waits for it, and the job writes its progress there).
 */
export type ExportWriter = (
  db: Database,
  scope: ExportScope,
  format: BulkExportFormat,
  context: ExportContext,
  stats: ExportStats,
  onBatch: () => void | Promise<void>,
) => AsyncIterable<string | Uint8Array>;

export type ExportWriters = Partial<Record<BulkExportFormat, ExportWriter>>;

/**
 * The writer of each format. The per-stall feeds (`streamFeed`) and the
 * marketplace files (`streamMarketplaceFile`) plug in here; a format
 * without a writer fails its runs with "no_writer".
 */
export const EXPORT_WRITERS: ExportWriters = {};

const siteOf = (context: ExportContext) => ({ origin: context.site, mediaBaseUrl: mediaBaseUrl() });

/** A per-stall feed's format over any scope: the stalls' feeds one after another, under one header or root. */
const feedWriter: ExportWriter = async function* (db, scope, format, context, stats, onBatch) {
  const feed = newFeedStats();
  const sync = () => {
    stats.stalls = feed.stalls;
    stats.items = feed.items;
    stats.skipped = feed.skippedItems ?? 0;
    stats.skippedByReason = { ...feed.skipped };
  };
  const options = {
    site: siteOf(context),
    today: context.today,
    onBatch: async () => {
      sync();
      await onBatch();
    },
  };
  yield* streamFeed(db, scope, format as FeedFile, options, feed);
  sync();
};

/** A marketplace file (`<target>.<json|xlsx>`) over any scope, with the admin's category mapping. */
const marketplaceWriter: ExportWriter = async function* (db, scope, format, context, stats, onBatch) {
  const [target, kind] = format.split(".") as [MarketplaceTarget, MarketplaceFileKind];
  const file = emptyMarketplaceFileStats();
  const stalls = new Set<string>();
  const sync = () => {
    stats.stalls = stalls.size;
    stats.items = file.written;
    stats.skipped = file.left;
    stats.skippedByReason = { ...file.skipped };
  };
  async function* batches() {
    for await (const batch of exportListingBatches(db, scope, { today: context.today })) {
      for (const item of batch) stalls.add(item.stall.id);
      yield batch;
      sync();
      await onBatch();
    }
  }
  const categoryMap = (await categoryMappings(db))[target];
  const options = { target, kind, site: siteOf(context), today: context.today, categoryMap };
  for await (const chunk of streamMarketplaceFile(batches(), options, file)) yield chunk as Uint8Array;
  sync();
};

for (const format of FEED_FILE_NAMES) EXPORT_WRITERS[format] = feedWriter;
for (const format of MARKETPLACE_FILE_NAMES) EXPORT_WRITERS[format] = marketplaceWriter;

export function emptyStats(): ExportStats {
  return { stalls: 0, items: 0, skipped: 0, skippedByReason: {} };
}
