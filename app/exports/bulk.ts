/**
 * Bulk exports as codes, for the admins' screen and the job: what can be
 * exported (every per-stall feed and every marketplace file), over which
 * scope, and the states a run goes through. Browser-safe: plain constants.
 */
import {
  FEED_FILE_NAMES,
  FEED_FILES,
  MARKETPLACE_FILE_CONTENT_TYPES,
  MARKETPLACE_FILE_KINDS,
  MARKETPLACE_TARGETS,
  type FeedFile,
} from "./targets";

/** The marketplace files: `<target>.<kind>` (tiktok.json, shopee.xlsx, …). */
export const MARKETPLACE_FILE_NAMES = MARKETPLACE_TARGETS.flatMap((target) =>
  MARKETPLACE_FILE_KINDS.map((kind) => `${target}.${kind}` as const),
);
export type MarketplaceFileName = (typeof MARKETPLACE_FILE_NAMES)[number];

/** Every format a bulk export can be made in: its file name, as the per-stall feeds and files are named. */
export const BULK_EXPORT_FORMATS: readonly BulkExportFormat[] = [...FEED_FILE_NAMES, ...MARKETPLACE_FILE_NAMES];
export type BulkExportFormat = FeedFile | MarketplaceFileName;

export function isBulkExportFormat(value: string): value is BulkExportFormat {
  return (BULK_EXPORT_FORMATS as readonly string[]).includes(value);
}

/** The Content-Type a bulk file is downloaded with. */
export function bulkExportContentType(format: BulkExportFormat): string {
  if (Object.hasOwn(FEED_FILES, format)) return FEED_FILES[format as FeedFile].contentType;
  return MARKETPLACE_FILE_CONTENT_TYPES[format.endsWith(".xlsx") ? "xlsx" : "json"];
}

/**
 * Which stalls: those of one commune, or of a whole province. Officers will
 * get the same screen for their communes: the scope is a parameter of every
 * use case, never read from who is asking.
 */
export const BULK_SCOPE_KINDS = ["province", "commune"] as const;
export type BulkScopeKind = (typeof BULK_SCOPE_KINDS)[number];
export type BulkScope = { kind: BulkScopeKind; code: string };

export const BULK_RUN_STATUSES = ["queued", "running", "done", "failed", "expired"] as const;
export type BulkRunStatus = (typeof BULK_RUN_STATUSES)[number];

/** A run still under way: the screen refreshes itself while one is. */
export function isOpenRun(status: BulkRunStatus): boolean {
  return status === "queued" || status === "running";
}

/** Why a run failed, as a code the screen translates (never an error's text: it may hold personal data). */
export const BULK_FAILURES = ["no_writer", "writer_failed", "storage_failed", "too_many_attempts", "stale"] as const;
export type BulkFailure = (typeof BULK_FAILURES)[number];

/** The name a downloaded file gets: plain ASCII, e.g. `gian-hang-so-xa-10813-2026-12-10-google.xml`. */
export function bulkExportFileName(run: { scopeKind: string; scopeCode: string; format: string }, day: string): string {
  const scope = run.scopeKind === "province" ? "tinh" : "xa";
  const safe = (text: string) => text.replace(/[^A-Za-z0-9.-]/g, "");
  return `gian-hang-so-${scope}-${safe(run.scopeCode)}-${safe(day)}-${safe(run.format)}`;
}
