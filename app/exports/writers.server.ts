/**
 * What writes a bulk file: one writer per format, each streaming the whole
 * document for a scope (every published stall of a commune or a province),
 * read from the database in keyset batches. The bulk export job
 * (bulk.server.ts) and the export benchmark take their writer from
 * `EXPORT_WRITERS`, so a format's writer is plugged in here and nowhere else.
 */
import type { BulkExportFormat } from "./bulk";
import type { Database } from "~/utils/db.server";

/** Whose listings: one stall (the per-stall feeds), a commune's or a province's published stalls. */
export type ExportScope =
  { kind: "stall"; stallId: string } | { kind: "commune"; code: string } | { kind: "province"; code: string };

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

export function emptyStats(): ExportStats {
  return { stalls: 0, items: 0, skipped: 0, skippedByReason: {} };
}
