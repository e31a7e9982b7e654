/**
 * The browser-safe front door of app/exports: targets and feed names, the
 * rules every export shares (availability, units, text limits) and export
 * readiness. Nothing here may reach zod or a server module.
 */
export {
  EXPORT_TARGETS,
  type ExportTarget,
  FEED_FILES,
  FEED_FILE_NAMES,
  type FeedFile,
  isFeedFile,
  MARKETPLACE_TARGETS,
  type MarketplaceTarget,
  MARKETPLACE_FILE_CONTENT_TYPES,
  MARKETPLACE_FILE_KINDS,
  type MarketplaceFileKind,
} from "./targets";
export {
  addDays,
  type Availability as ListingAvailability,
  availabilityOf,
  charLength,
  cutAtWord,
  type ExportCertificate,
  type ExportListing,
  type ExportPhoto,
  type ExportStall,
  googleAvailability,
  metaAvailability,
  oneLineText,
  priceWithCurrency,
  schemaOrgAvailability,
  soldByWeight,
  unitPricing,
  unitWeightGrams,
  vietnamDayStart,
} from "./item";
export {
  countSkipped,
  extendedTitle,
  fixHref,
  isReady,
  opensExportDetails,
  READINESS_CODES,
  type ReadinessCode,
  type ReadinessField,
  type ReadinessInput,
  type ReadinessProblem,
  readinessOf,
  type SkippedCounts,
  TARGET_RULES,
  type TargetRules,
} from "./readiness";
export { GOOGLE_CATEGORIES, type GoogleCategory } from "./categories";
export { feedPath, feedUrls } from "./feed-paths";
export {
  BULK_EXPORT_FORMATS,
  BULK_FAILURES,
  BULK_RUN_STATUSES,
  BULK_SCOPE_KINDS,
  bulkExportContentType,
  type BulkExportFormat,
  type BulkFailure,
  type BulkRunStatus,
  type BulkScope,
  type BulkScopeKind,
  isBulkExportFormat,
  isOpenRun,
  MARKETPLACE_FILE_NAMES,
  type MarketplaceFileName,
} from "./bulk";
