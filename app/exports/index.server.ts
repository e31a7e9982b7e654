/**
 * The front door of app/exports for server code: routes and other
 * capabilities import from here and from nowhere else inside app/exports.
 */
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
  expireBulkExports,
  listBulkExports,
  openBulkExportFile,
  parseBulkExportForm,
  requestBulkExport,
} from "./bulk.server";
export {
  emptyStats,
  EXPORT_WRITERS,
  type ExportContext,
  type ExportScope,
  type ExportStats,
  type ExportWriter,
  type ExportWriters,
} from "./writers.server";
