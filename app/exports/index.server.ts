/**
 * The server front door of app/exports: marketplace feeds and files, export
 * readiness of a stall, the admin's category mapping, bulk exports. Routes and
 * other capabilities import app/exports only through this file and index.ts.
 */
export { exportListingBatches, type BatchOptions, type ExportScope } from "./feed-items.server";
export {
  describeSkipped,
  FEED_FORMATS,
  feedTokenMatches,
  type FeedStats,
  newFeedStats,
  openStallFeed,
  type StallFeed,
  streamFeed,
  type StreamFeedOptions,
} from "./feeds.server";
export {
  type FeedAccess,
  feedAccessOf,
  type FeedSettings,
  getFeedSettings,
  makeFeedsPrivate,
  makeFeedsPublic,
  renewFeedToken,
  revokeFeedToken,
} from "./feed-settings.server";
export type { FeedChannel, FeedContext, FeedDocument, FeedFormat } from "./formats/feed-format";
export { stallReadiness, type ListingReadiness, type StallReadiness } from "./readiness.server";
export {
  CATEGORY_ID_MAX_DIGITS,
  CATEGORY_MAPPING_FIELDS,
  type CategoryMap,
  type CategoryMappings,
  categoryIdOf,
  categoryMappings,
  isMarketplaceTarget,
  parseCategoryMappingForm,
  saveCategoryMappings,
} from "./category-mappings.server";
export { ExportError, type ExportErrorCode } from "./errors";
export type { CategoryIds, PayloadContext, Site } from "./marketplaces/facts";
export {
  emptyMarketplaceFileStats,
  MARKETPLACE_FORMATS,
  type MarketplaceFileOptions,
  type MarketplaceFileStats,
  marketplaceSheetHeaders,
  streamMarketplaceFile,
} from "./marketplaces/files.server";
export type { MarketplaceFormat, SheetCell } from "./marketplaces/format";
export { type LazadaProductCreate, lazadaPayload } from "./marketplaces/lazada";
export { isPlaceholder, PLACEHOLDER_NAMES, PLACEHOLDER_PATTERN, placeholder } from "./marketplaces/placeholders";
export { type ShopeeAddItem, shopeePayload } from "./marketplaces/shopee";
export { type TiktokProduct, tiktokPayload } from "./marketplaces/tiktok";
export {
  BULK_EXPORT_JOB,
  BULK_EXPORT_KEEP_DAYS,
  BulkExportError,
  bulkExportJob,
  type BulkExportDeps,
  type BulkExportFile,
  type BulkExportPayload,
  type BulkExportQueue,
  type BulkExportResult,
  type BulkExportRow,
  type BulkRunErrors,
  type BulkRunFilter,
  expireBulkExports,
  listBulkExports,
  openBulkExportFile,
  parseBulkExportForm,
  requestBulkExport,
} from "./bulk.server";
export { answerBulkExportForm, BULK_HISTORY_LIMIT, bulkExportDownload, bulkExportHistory } from "./bulk-screen.server";
export {
  emptyStats,
  EXPORT_WRITERS,
  type ExportContext,
  type ExportStats,
  type ExportWriter,
  type ExportWriters,
} from "./writers.server";
