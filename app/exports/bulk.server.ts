/**
 * Bulk exports (issue 15 §5): every published stall of a commune or of a
 * whole province, in one format, as one file built by a background job.
 *
 * - `requestBulkExport` checks the request, writes an `export_runs` row
 *   (status "queued") and queues the job (`BULK_EXPORT_JOB`, payload: the
 *   run's id).
 * - The job (`bulkExportJob`) claims the row (status "running", attempts + 1),
 *   streams the format's writer (writers.server.ts) into storage through
 *   `putStream` under `exports/<runId>/<attempt>/<format>`, writes progress at
 *   most once a second, and marks the row "done" with the file's size and
 *   expiry. Every write after the claim is guarded by the attempt number, so
 *   a run delivered twice (a retry, a recovered run, a handler pg-boss gave up
 *   on that is still going) finishes once: an attempt that lost the row stops
 *   and leaves no file.
 * - The row is the run's durable record: on the embedded database the job's
 *   `recover` hands the runner the runs a stopped server left queued or
 *   running, and they start again.
 * - `listBulkExports` is the history, `openBulkExportFile` the download,
 *   `expireBulkExports` (hourly) deletes files past their expiry.
 *
 * The scope is always a parameter, never read from who asks, so officers
 * can get the same screen for their communes.
 */
import type { Readable } from "node:stream";
import { and, asc, count, desc, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  BULK_SCOPE_KINDS,
  bulkExportContentType,
  bulkExportFileName,
  isBulkExportFormat,
  type BulkExportFormat,
  type BulkFailure,
  type BulkRunStatus,
  type BulkScope,
} from "./bulk";
import { EXPORT_WRITERS, emptyStats, type ExportStats, type ExportWriters } from "./writers.server";
import { communes, exportRuns, households, provinces, stalls, users } from "#db/schema";
import { getCommune, getProvince } from "~/admin-units/index.server";
import { storage as appStorage, type ObjectStorage } from "~/media/index.server";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { env } from "~/utils/env.server";
import { todayInVietnam } from "~/utils/format";
import { formValues, parseForm } from "~/utils/forms";
import { logger as appLogger, type Logger } from "~/utils/logger.server";
import { RefusalError } from "~/utils/refusal";

export const BULK_EXPORT_JOB = "exports.bulk";
/** A failed run is tried twice more, 30 s then 60 s later. */
export const BULK_EXPORT_RETRY = { limit: 2, delaySeconds: 30 } as const;
/**
 * One run may take this long. On PostgreSQL it is also how long a run of a
 * killed instance stays "active" before pg-boss gives it to another.
 */
export const BULK_EXPORT_TIMEOUT_SECONDS = 30 * 60;
/** A run started this many times (restarts included) without finishing is failed, not tried again. */
export const BULK_EXPORT_MAX_ATTEMPTS = 5;
/** Files are kept this long, then deleted by `expireBulkExports`. */
export const BULK_EXPORT_KEEP_DAYS = 7;
/** A run still queued or running this long after it was asked for is given up ("stale"). */
const STALE_AFTER_HOURS = 24;

/** What `errors` holds: why items were left out, and why a run failed (codes, never an error's text). */
export interface BulkRunErrors {
  skippedByReason?: Record<string, number>;
  /** Why the run failed for good. */
  failure?: BulkFailure;
  /** Why the last try failed, while the run waits to be tried again. */
  lastFailure?: BulkFailure;
}

// ---------------------------------------------------------------- refusals

export type BulkExportErrorCode =
  "unknown_format" | "unknown_commune" | "unknown_province" | "commune_not_in_province" | "commune_not_covered";

const FIELD_OF: Record<BulkExportErrorCode, string> = {
  unknown_format: "format",
  unknown_commune: "communeCode",
  unknown_province: "provinceCode",
  commune_not_in_province: "communeCode",
  commune_not_covered: "communeCode",
};

/** A bulk export refused: the message is `exports:bulk.errors.<code>`, told at its field too. */
export class BulkExportError extends RefusalError<BulkExportErrorCode> {
  override name = "BulkExportError";
  readonly namespace = "exports";
  constructor(code: BulkExportErrorCode) {
    super(code, { fields: { [FIELD_OF[code]]: `bulk.errors.${code}` } });
  }

  get messageKey(): string {
    return `bulk.errors.${this.code}`;
  }

  /** A scope the asker may not export (an officer's province, or a commune they do not cover). */
  override get httpStatus(): number {
    return this.code === "commune_not_covered" ? 403 : 400;
  }
}

/**
 * Which runs a screen shows and serves: every run (admins: no filter), or
 * only the commune runs of some communes (an officer's, whoever asked for
 * them; never a province run).
 */
export interface BulkRunFilter {
  communes?: readonly string[];
}

const runsOf = (filter: BulkRunFilter | undefined): SQL | undefined =>
  filter?.communes === undefined
    ? undefined
    : filter.communes.length === 0
      ? sql`false`
      : and(eq(exportRuns.scopeKind, "commune"), inArray(exportRuns.scopeCode, [...filter.communes]));

// ---------------------------------------------------------------- the form

export const BULK_EXPORT_FIELDS = ["scopeKind", "provinceCode", "communeCode", "format"] as const;

const CODE = /^\d{1,10}$/;

const BulkExportSchema = z
  .object({
    scopeKind: z.enum(BULK_SCOPE_KINDS, { error: "bulk.errors.scope_required" }),
    provinceCode: z.string().trim(),
    communeCode: z.string().trim(),
    format: z.string().refine(isBulkExportFormat, "bulk.errors.unknown_format"),
  })
  .superRefine((value, context) => {
    // A commune names its province: the province is asked for only with a province scope (officers' form has none).
    if (value.scopeKind === "province" && !CODE.test(value.provinceCode)) {
      context.addIssue({ code: "custom", path: ["provinceCode"], message: "bulk.errors.province_required" });
    }
    if (value.scopeKind === "commune" && !CODE.test(value.communeCode)) {
      context.addIssue({ code: "custom", path: ["communeCode"], message: "bulk.errors.commune_required" });
    }
  })
  .transform((value) => ({
    scope: {
      kind: value.scopeKind,
      code: value.scopeKind === "province" ? value.provinceCode : value.communeCode,
    } satisfies BulkScope,
    /** The province the form showed, when it showed one: a commune outside it is refused. */
    provinceCode: value.provinceCode === "" ? undefined : value.provinceCode,
    format: value.format as BulkExportFormat,
  }));

/** The form: a scope (a whole province, or one commune, of the province chosen when one was) and a format. */
export function parseBulkExportForm(form: FormData | URLSearchParams) {
  const values = formValues(form, BULK_EXPORT_FIELDS);
  return parseForm(BulkExportSchema, values);
}

// ---------------------------------------------------------------- asking for a run

/** Where a run is queued: the job runner, a sender, or nothing (the row waits for the next start with jobs). */
export interface BulkExportQueue {
  enqueue(name: string, payload: unknown): Promise<string>;
}

export interface BulkExportPayload {
  runId: string;
  /** The site's origin when it was asked for, for absolute links (PUBLIC_URL wins). */
  site?: string | null;
}

export type BulkExportRun = typeof exportRuns.$inferSelect;

/**
 * Asks for a bulk export of `scope` in `format`: refused (BulkExportError)
 * for an unknown format, commune or province, or a commune outside
 * `provinceCode` when the form named one; refused (commune_not_covered) for
 * a province or a commune outside `communes` when given. A run of the same scope and format
 * still queued or running is answered instead of a second one.
 */
export async function requestBulkExport(
  db: Database,
  queue: BulkExportQueue | null,
  input: {
    userId: string | null;
    scope: BulkScope;
    format: string;
    /** The province the form showed: a commune of another one is refused. */
    provinceCode?: string;
    /** The only communes the asker may export (an officer's); any scope when absent. */
    communes?: readonly string[];
    site?: string | null;
  },
  { logger = appLogger }: { logger?: Logger } = {},
): Promise<{ run: BulkExportRun; created: boolean }> {
  const { scope, format } = input;
  if (input.communes !== undefined && (scope.kind !== "commune" || !input.communes.includes(scope.code)))
    throw new BulkExportError("commune_not_covered");
  if (!isBulkExportFormat(format)) throw new BulkExportError("unknown_format");
  if (scope.kind === "commune") {
    const commune = await getCommune(db, scope.code);
    if (!commune) throw new BulkExportError("unknown_commune");
    if (input.provinceCode !== undefined && commune.provinceCode !== input.provinceCode)
      throw new BulkExportError("commune_not_in_province");
  } else if (scope.kind === "province") {
    if (!(await getProvince(db, scope.code))) throw new BulkExportError("unknown_province");
  } else {
    throw new BulkExportError("unknown_commune");
  }

  const sameRun = and(
    eq(exportRuns.scopeKind, scope.kind),
    eq(exportRuns.scopeCode, scope.code),
    eq(exportRuns.format, format),
    inArray(exportRuns.status, ["queued", "running"]),
  );
  const [open] = await db.select().from(exportRuns).where(sameRun).limit(1);
  if (open) return { run: open, created: false };

  const [run] = await db
    .insert(exportRuns)
    .values({ requestedByUserId: input.userId, scopeKind: scope.kind, scopeCode: scope.code, format })
    .returning();
  if (queue) {
    try {
      await queue.enqueue(BULK_EXPORT_JOB, { runId: run.id, site: input.site ?? null } satisfies BulkExportPayload);
    } catch (error) {
      // The row is the run's record: the next start of the jobs recovers it.
      logger.warn({ err: error, runId: run.id }, "bulk export not queued: it waits for the jobs' next start");
    }
  }
  return { run, created: true };
}

// ---------------------------------------------------------------- the job

export interface BulkExportDeps {
  writers?: ExportWriters;
  /** Where files go; the app's storage by default. */
  storage?: ObjectStorage;
  /** Progress is written at most this often (ms); at every batch with 0. */
  progressEveryMs?: number;
}

/**
 * The one-off job that builds a run's file: registered with the job runner
 * (app/jobs' registry). Tests and the benchmark make their own with other
 * writers, storage or retry settings.
 */
export function bulkExportJob(
  deps: BulkExportDeps & { retry?: { limit: number; delaySeconds: number }; timeoutSeconds?: number } = {},
) {
  const retry = deps.retry ?? BULK_EXPORT_RETRY;
  return {
    name: BULK_EXPORT_JOB,
    retry,
    timeoutSeconds: deps.timeoutSeconds ?? BULK_EXPORT_TIMEOUT_SECONDS,
    handler: (db: Database, payload: BulkExportPayload, run: { attempt: number; signal: AbortSignal }) =>
      runBulkExport(db, payload, { signal: run.signal, lastTry: run.attempt > retry.limit }, deps),
    recover: (db: Database) => unfinishedBulkExports(db),
  };
}

/** Runs a stopped server left queued or running, oldest first: the job's `recover`. */
export async function unfinishedBulkExports(db: Database): Promise<BulkExportPayload[]> {
  const rows = await db
    .select({ id: exportRuns.id })
    .from(exportRuns)
    .where(inArray(exportRuns.status, ["queued", "running"]))
    .orderBy(asc(exportRuns.createdAt));
  return rows.map((row) => ({ runId: row.id, site: null }));
}

/** The attempt lost the run to a newer one: stop, leave no file. */
class Superseded extends Error {
  override name = "Superseded";
}

/** The runner is stopping (or the run took too long): stop now, the run is tried again. */
class Interrupted extends Error {
  override name = "Interrupted";
}

export type BulkExportResult =
  | { runId: string; skipped: "not_open" | "bad_payload" }
  | { runId: string; attempt: number; superseded: true }
  | { runId: string; attempt: number; failed: BulkFailure }
  | { runId: string; attempt: number; stalls: number; items: number; skipped: number; bytes: number };

/** One try at a run: see the file's comment. Throws when it should be tried again. */
export async function runBulkExport(
  db: Database,
  payload: BulkExportPayload,
  run: { signal: AbortSignal; lastTry: boolean },
  { writers = EXPORT_WRITERS, storage, progressEveryMs = 1000 }: BulkExportDeps = {},
): Promise<BulkExportResult> {
  const runId = String(payload?.runId ?? "");
  if (!isUuid(runId)) return { runId, skipped: "bad_payload" };

  const [claimed] = await db
    .update(exportRuns)
    .set({
      status: "running",
      attempts: sql`${exportRuns.attempts} + 1`,
      startedAt: sql`now()`,
      stallsDone: 0,
      itemsWritten: 0,
      itemsSkipped: 0,
      errors: {},
      fileKey: null,
      fileBytes: null,
      finishedAt: null,
      expiresAt: null,
    })
    .where(and(eq(exportRuns.id, runId), inArray(exportRuns.status, ["queued", "running"])))
    .returning();
  if (!claimed) return { runId, skipped: "not_open" };
  const attempt = claimed.attempts;
  // Every later write holds only while this attempt owns the run.
  const mine = and(eq(exportRuns.id, runId), eq(exportRuns.attempts, attempt), eq(exportRuns.status, "running"));
  const fail = async (failure: BulkFailure): Promise<BulkExportResult> => {
    await db
      .update(exportRuns)
      .set({ status: "failed", errors: { failure } satisfies BulkRunErrors, finishedAt: sql`now()` })
      .where(mine);
    return { runId, attempt, failed: failure };
  };

  if (attempt > BULK_EXPORT_MAX_ATTEMPTS) return fail("too_many_attempts");
  const format = claimed.format;
  const writer = isBulkExportFormat(format) ? writers[format] : undefined;
  if (!writer || !isBulkExportFormat(format)) return fail("no_writer");
  const scope: BulkScope = { kind: claimed.scopeKind === "province" ? "province" : "commune", code: claimed.scopeCode };

  const [{ total }] = await db
    .select({ total: count() })
    .from(stalls)
    .innerJoin(households, eq(households.id, stalls.householdId))
    .where(publishedIn(scope));
  await db.update(exportRuns).set({ stallsTotal: total }).where(mine);

  const stats = emptyStats();
  const context = {
    site: (env().PUBLIC_URL ?? payload.site ?? `http://localhost:${env().PORT}`).replace(/\/+$/, ""),
    today: todayInVietnam(),
  };
  const store = storage ?? appStorage();
  const key = `exports/${runId}/${attempt}/${format}`;

  let lost = false;
  let writtenAt = 0;
  const writeProgress = async (force: boolean) => {
    const now = Date.now();
    if (!force && now - writtenAt < progressEveryMs) return;
    writtenAt = now;
    const rows = await db.update(exportRuns).set(progressOf(stats)).where(mine).returning({ id: exportRuns.id });
    if (rows.length === 0) lost = true;
  };
  const stopIfNeeded = () => {
    if (run.signal.aborted) throw new Interrupted("the run was interrupted");
    if (lost) throw new Superseded("another attempt took the run over");
  };

  let writerFailed = false;
  async function* body(): AsyncGenerator<string | Uint8Array> {
    const chunks = writer!(db, { kind: scope.kind, code: scope.code }, format as BulkExportFormat, context, stats, () =>
      writeProgress(false),
    );
    try {
      for await (const chunk of chunks) {
        stopIfNeeded();
        yield chunk;
      }
    } catch (error) {
      if (!(error instanceof Interrupted || error instanceof Superseded)) writerFailed = true;
      throw error;
    }
    // Before the store makes the file visible: still ours, and the last figures written.
    await writeProgress(true);
    stopIfNeeded();
  }

  let bytes: number;
  try {
    ({ bytes } = await store.putStream(key, body(), bulkExportContentType(format)));
  } catch (error) {
    if (error instanceof Superseded) return { runId, attempt, superseded: true };
    if (error instanceof Interrupted || run.signal.aborted) {
      // Waiting again: a stopped server's next start (or pg-boss's retry) takes it.
      await db.update(exportRuns).set({ status: "queued" }).where(mine);
      throw error;
    }
    const failure: BulkFailure = writerFailed ? "writer_failed" : "storage_failed";
    if (run.lastTry) await fail(failure);
    else {
      await db
        .update(exportRuns)
        .set({ status: "queued", errors: { lastFailure: failure } satisfies BulkRunErrors })
        .where(mine);
    }
    throw error;
  }

  const finished = await db
    .update(exportRuns)
    .set({
      status: "done",
      ...progressOf(stats),
      fileKey: key,
      fileBytes: bytes,
      finishedAt: sql`now()`,
      expiresAt: sql`now() + make_interval(days => ${BULK_EXPORT_KEEP_DAYS})`,
    })
    .where(mine)
    .returning({ id: exportRuns.id });
  if (finished.length === 0) {
    // Lost between the last check and the store's answer: the newer attempt's file is the one.
    await store.delete(key);
    return { runId, attempt, superseded: true };
  }
  // A file of an older attempt that lost the run just as it finished is not this run's.
  for (const other of await store.list(`exports/${runId}/`)) if (other !== key) await store.delete(other);
  return { runId, attempt, stalls: stats.stalls, items: stats.items, skipped: stats.skipped, bytes };
}

function progressOf(stats: ExportStats) {
  return {
    stallsDone: stats.stalls,
    itemsWritten: stats.items,
    itemsSkipped: stats.skipped,
    errors: { skippedByReason: { ...stats.skippedByReason } } satisfies BulkRunErrors,
  };
}

/** Published stalls of the scope (stalls joined with their households). */
export function publishedIn(scope: BulkScope): SQL {
  const place =
    scope.kind === "province" ? eq(households.provinceCode, scope.code) : eq(households.communeCode, scope.code);
  return and(eq(stalls.status, "published"), place)!;
}

// ---------------------------------------------------------------- history, download, expiry

export interface BulkExportRow {
  id: string;
  /** Who asked (the admin's own screen shows it; never logged). */
  requestedByName: string | null;
  createdAt: Date;
  scopeKind: BulkScope["kind"];
  scopeCode: string;
  /** The commune's or province's full name, as the admin-unit tables have it. */
  scopeName: string | null;
  format: string;
  status: BulkRunStatus;
  stallsTotal: number;
  stallsDone: number;
  itemsWritten: number;
  itemsSkipped: number;
  errors: BulkRunErrors;
  attempts: number;
  fileBytes: number | null;
  finishedAt: Date | null;
  expiresAt: Date | null;
  /** A file to download: done and not yet expired. */
  downloadable: boolean;
}

/** The latest runs, newest first; only those of `scope`, and those `filter` lets through, when given. */
export async function listBulkExports(
  db: Database,
  { limit = 20, scope, filter }: { limit?: number; scope?: BulkScope; filter?: BulkRunFilter } = {},
): Promise<BulkExportRow[]> {
  const rows = await db
    .select({
      id: exportRuns.id,
      requestedByName: users.fullName,
      createdAt: exportRuns.createdAt,
      scopeKind: exportRuns.scopeKind,
      scopeCode: exportRuns.scopeCode,
      communeName: communes.fullName,
      provinceName: provinces.fullName,
      format: exportRuns.format,
      status: exportRuns.status,
      stallsTotal: exportRuns.stallsTotal,
      stallsDone: exportRuns.stallsDone,
      itemsWritten: exportRuns.itemsWritten,
      itemsSkipped: exportRuns.itemsSkipped,
      errors: exportRuns.errors,
      attempts: exportRuns.attempts,
      fileBytes: exportRuns.fileBytes,
      finishedAt: exportRuns.finishedAt,
      expiresAt: exportRuns.expiresAt,
      downloadable: sql<boolean>`(${exportRuns.status} = 'done' AND ${exportRuns.expiresAt} > now())`,
    })
    .from(exportRuns)
    .leftJoin(users, eq(users.id, exportRuns.requestedByUserId))
    .leftJoin(communes, and(eq(exportRuns.scopeKind, "commune"), eq(communes.code, exportRuns.scopeCode)))
    .leftJoin(provinces, and(eq(exportRuns.scopeKind, "province"), eq(provinces.code, exportRuns.scopeCode)))
    .where(
      and(
        scope ? and(eq(exportRuns.scopeKind, scope.kind), eq(exportRuns.scopeCode, scope.code)) : undefined,
        runsOf(filter),
      ),
    )
    .orderBy(desc(exportRuns.createdAt), desc(exportRuns.id))
    .limit(Math.min(Math.max(Math.trunc(limit) || 1, 1), 200));
  return rows.map(({ communeName, provinceName, ...row }) => ({
    ...row,
    scopeKind: row.scopeKind === "province" ? "province" : "commune",
    scopeName: communeName ?? provinceName ?? null,
    errors: (row.errors ?? {}) as BulkRunErrors,
    downloadable: Boolean(row.downloadable),
  }));
}

export interface BulkExportFile {
  body: Readable;
  size: number;
  contentType: string;
  /** The name the browser saves it under. */
  fileName: string;
}

/**
 * A finished run's file, streamed from storage; null for an unknown run, one
 * not finished, expired, outside `scope` or `filter` (when given), or whose
 * file is gone.
 */
export async function openBulkExportFile(
  db: Database,
  runId: string,
  { storage, scope, filter }: { storage?: ObjectStorage; scope?: BulkScope; filter?: BulkRunFilter } = {},
): Promise<BulkExportFile | null> {
  if (!isUuid(runId)) return null;
  const [run] = await db
    .select()
    .from(exportRuns)
    .where(
      and(
        eq(exportRuns.id, runId),
        eq(exportRuns.status, "done"),
        sql`${exportRuns.expiresAt} > now()`,
        runsOf(filter),
      ),
    );
  if (!run?.fileKey || !isBulkExportFormat(run.format)) return null;
  if (scope && (run.scopeKind !== scope.kind || run.scopeCode !== scope.code)) return null;
  const object = await (storage ?? appStorage()).get(run.fileKey);
  if (!object) return null;
  return {
    body: object.body,
    size: object.size,
    contentType: bulkExportContentType(run.format),
    fileName: bulkExportFileName(run, todayInVietnam(run.finishedAt ?? run.createdAt)),
  };
}

/**
 * Hourly: files past their expiry are deleted and their runs marked
 * "expired"; runs still queued or running a day after they were asked for
 * are failed ("stale"), so the screen does not wait for them forever.
 */
export async function expireBulkExports(
  db: Database,
  { storage }: { storage?: ObjectStorage } = {},
): Promise<{ expired: number; stale: number }> {
  const store = storage ?? appStorage();
  const due = await db
    .select({ id: exportRuns.id })
    .from(exportRuns)
    .where(and(eq(exportRuns.status, "done"), lte(exportRuns.expiresAt, sql`now()`)));
  let expired = 0;
  for (const { id } of due) {
    // Files first: a row marked expired never points at a file left behind.
    for (const key of await store.list(`exports/${id}/`)) await store.delete(key);
    const rows = await db
      .update(exportRuns)
      .set({ status: "expired", fileKey: null })
      .where(and(eq(exportRuns.id, id), eq(exportRuns.status, "done")))
      .returning({ id: exportRuns.id });
    expired += rows.length;
  }
  const stale = await db
    .update(exportRuns)
    .set({ status: "failed", errors: { failure: "stale" } satisfies BulkRunErrors, finishedAt: sql`now()` })
    .where(
      and(
        inArray(exportRuns.status, ["queued", "running"]),
        sql`${exportRuns.createdAt} < now() - make_interval(hours => ${STALE_AFTER_HOURS})`,
      ),
    )
    .returning({ id: exportRuns.id });
  return { expired, stale: stale.length };
}
