/**
 * A roster import's life (ADR 028): uploaded → a draft (roster_imports with
 * the rows as read, report.state "draft"; nothing on the roster yet) →
 * previewed, commune names mapped, rows corrected, as often as needed →
 * applied all or nothing (roster_entries inserted in one transaction, in
 * batches; report.state "applied" with the outcome of every row) → its
 * report downloaded. Drafts left behind go after a day; roster entries
 * nobody consented for, and the imports' reports, after ROSTER_RETENTION_DAYS.
 */
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { rosterEntries, rosterImports } from "#db/schema";
import { checkRoster, type CheckedRow, type RosterCheck, type RowError } from "./check.server";
import type { RosterRow } from "./read.server";
import { csvForPeople } from "~/utils/csv.server";
import { rowsOf, type Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { oneLine } from "~/utils/text";

/** Rows per INSERT statement. */
export const APPLY_BATCH_ROWS = 500;
/** Unconsented roster entries (and the import reports naming them) are kept this long from their import. */
export const ROSTER_RETENTION_DAYS = 365;
/** A draft nobody applied is dropped after this long. */
export const DRAFT_TTL_HOURS = 24;

interface DraftReport {
  state: "draft";
  format: "csv" | "xlsx";
  rows: RosterRow[];
}

export type RowOutcome = "imported" | RowError;

export interface ReportLine {
  line: number;
  name: string;
  phone: string;
  commune: string;
  hamlet: string;
  /** The commune it went to (imported rows). */
  communeCode: string | null;
  outcome: RowOutcome[];
  /** For "duplicate_in_file": the row that has the phone first. */
  firstLine?: number;
}

interface AppliedReport {
  state: "applied";
  format: "csv" | "xlsx";
  lines: ReportLine[];
}

type Report = DraftReport | AppliedReport;

export interface RosterDraft {
  id: string;
  fileName: string;
  format: "csv" | "xlsx";
  rows: RosterRow[];
  createdAt: Date;
}

export interface AppliedImport {
  id: string;
  fileName: string;
  rowsTotal: number;
  rowsImported: number;
  lines: ReportLine[];
  createdAt: Date;
}

const cleanFileName = (name: string) =>
  oneLine(name)
    .replace(/[^\p{L}\p{N} ._()-]/gu, "_")
    .slice(0, 120) || "roster";

/** Keeps the rows read from a file as the officer's draft; returns its id. */
export async function createDraft(
  db: Database,
  officerUserId: string,
  input: { fileName: string; format: "csv" | "xlsx"; rows: RosterRow[] },
): Promise<string> {
  const report: DraftReport = { state: "draft", format: input.format, rows: input.rows };
  const [row] = await db
    .insert(rosterImports)
    .values({
      officerUserId,
      fileName: cleanFileName(input.fileName),
      rowsTotal: input.rows.length,
      report: report as unknown as Record<string, unknown>,
    })
    .returning({ id: rosterImports.id });
  return row.id;
}

async function importRow(db: Database, officerUserId: string, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select()
    .from(rosterImports)
    .where(and(eq(rosterImports.id, id), eq(rosterImports.officerUserId, officerUserId)));
  return row ?? null;
}

/** The officer's own draft; null for another officer's, an applied one, or none. */
export async function loadDraft(db: Database, officerUserId: string, id: string): Promise<RosterDraft | null> {
  const row = await importRow(db, officerUserId, id);
  const report = row?.report as Report | undefined;
  if (!row || report?.state !== "draft") return null;
  return { id: row.id, fileName: row.fileName, format: report.format, rows: report.rows, createdAt: row.createdAt };
}

/** The officer's own applied import with its report; null otherwise. */
export async function loadAppliedImport(
  db: Database,
  officerUserId: string,
  id: string,
): Promise<AppliedImport | null> {
  const row = await importRow(db, officerUserId, id);
  const report = row?.report as Report | undefined;
  if (!row || report?.state !== "applied") return null;
  return {
    id: row.id,
    fileName: row.fileName,
    rowsTotal: row.rowsTotal,
    rowsImported: row.rowsImported,
    lines: report.lines,
    createdAt: row.createdAt,
  };
}

/** Corrects one row of a draft (the officer fixes a typo instead of editing the file). */
export async function correctDraftRow(
  db: Database,
  officerUserId: string,
  id: string,
  line: number,
  patch: Partial<Pick<RosterRow, "name" | "phone" | "commune" | "hamlet">>,
): Promise<boolean> {
  const draft = await loadDraft(db, officerUserId, id);
  const index = draft?.rows.findIndex((r) => r.line === line) ?? -1;
  if (!draft || index < 0) return false;
  const rows = [...draft.rows];
  const clean = Object.fromEntries(
    Object.entries(patch)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, oneLine(v).slice(0, 300)]),
  );
  rows[index] = { ...rows[index], ...clean };
  const report: DraftReport = { state: "draft", format: draft.format, rows };
  await db
    .update(rosterImports)
    .set({ report: report as unknown as Record<string, unknown> })
    .where(eq(rosterImports.id, id));
  return true;
}

/** Drops a draft (the officer starts over). */
export async function discardDraft(db: Database, officerUserId: string, id: string): Promise<boolean> {
  const draft = await loadDraft(db, officerUserId, id);
  if (!draft) return false;
  await db.delete(rosterImports).where(eq(rosterImports.id, id));
  return true;
}

export type ApplyResult =
  | { ok: true; importId: string; imported: number; skipped: number; check: RosterCheck }
  | { ok: false; problem: "not_found" | "nothing_to_import" };

export interface ApplyOptions {
  /** Called after each batch inside the transaction (tests make it throw to see nothing kept). */
  afterBatch?: (batch: number) => void | Promise<void>;
}

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Puts the draft's good rows on the roster, all or nothing: the rows are
 * checked again (the database may have changed since the preview), then
 * inserted in one transaction, APPLY_BATCH_ROWS per statement, yielding to
 * the event loop between statements. A phone another import took meanwhile
 * is skipped (ON CONFLICT) and reported. Rows with errors are left out and
 * reported with why. Applying the same draft twice imports it once.
 */
export async function applyDraft(
  db: Database,
  officerUserId: string,
  id: string,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const draft = await loadDraft(db, officerUserId, id);
  if (!draft) return { ok: false, problem: "not_found" };
  const check = await checkRoster(db, officerUserId, draft.rows);
  const ready = check.rows.filter((r) => r.errors.length === 0);
  if (ready.length === 0) return { ok: false, problem: "nothing_to_import" };

  const outcome = await db.transaction(async (tx) => {
    // The draft is claimed first: a second "apply" (a double click, a second tab) waits here, then finds it applied.
    const [claimed] = await tx
      .select({ report: rosterImports.report })
      .from(rosterImports)
      .where(eq(rosterImports.id, id))
      .for("update");
    if ((claimed?.report as unknown as Report | undefined)?.state !== "draft") return null;

    const inserted = new Set<string>();
    for (let i = 0, batch = 0; i < ready.length; i += APPLY_BATCH_ROWS, batch++) {
      const values = ready.slice(i, i + APPLY_BATCH_ROWS).map((r) => ({
        commune_code: r.communeCode!,
        full_name: r.name,
        phone: r.e164!,
        hamlet: r.hamlet,
      }));
      // One jsonb parameter per batch rather than five per row: half the time of a VALUES list (ADR 028).
      const result = await tx.execute(sql`
        insert into ${rosterEntries} (import_id, commune_code, full_name, phone, hamlet)
        select ${id}::uuid, x.commune_code, x.full_name, x.phone, x.hamlet
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
          as x(commune_code text, full_name text, phone text, hamlet text)
        on conflict (phone) do nothing
        returning phone`);
      for (const r of rowsOf(result)) inserted.add(String(r.phone));
      await options.afterBatch?.(batch);
      await yieldToOthers();
    }

    const line = (r: CheckedRow): ReportLine => ({
      line: r.line,
      name: r.name,
      phone: r.phone,
      commune: r.commune,
      hamlet: r.hamlet,
      communeCode: r.errors.length === 0 && inserted.has(r.e164!) ? r.communeCode : null,
      outcome: r.errors.length > 0 ? r.errors : inserted.has(r.e164!) ? ["imported"] : ["already_on_roster"],
      ...(r.firstLine !== undefined ? { firstLine: r.firstLine } : {}),
    });
    const lines = check.rows.map(line);
    const report: AppliedReport = { state: "applied", format: draft.format, lines };
    await tx
      .update(rosterImports)
      .set({
        rowsTotal: lines.length,
        rowsImported: inserted.size,
        report: report as unknown as Record<string, unknown>,
      })
      .where(eq(rosterImports.id, id));
    return { imported: inserted.size };
  });
  if (!outcome) return { ok: false, problem: "not_found" };
  return {
    ok: true,
    importId: id,
    imported: outcome.imported,
    skipped: check.rows.length - outcome.imported,
    check,
  };
}

/** The officer's recent applied imports, newest first. */
export async function recentImports(db: Database, officerUserId: string, limit = 10) {
  return db
    .select({
      id: rosterImports.id,
      fileName: rosterImports.fileName,
      rowsTotal: rosterImports.rowsTotal,
      rowsImported: rosterImports.rowsImported,
      createdAt: rosterImports.createdAt,
    })
    .from(rosterImports)
    .where(and(eq(rosterImports.officerUserId, officerUserId), sql`${rosterImports.report}->>'state' = 'applied'`))
    .orderBy(sql`${rosterImports.createdAt} desc`)
    .limit(limit);
}

/**
 * The scheduled clean-up (job "officers.prune-roster", daily): roster entries
 * no household consented for, ROSTER_RETENTION_DAYS after their import; the
 * import records and their reports (names and phones) as old; drafts nobody
 * applied after DRAFT_TTL_HOURS. A consented entry (household_id set) stays:
 * it is the household's own record now.
 */
export async function pruneStaleRosterEntries(
  db: Database,
  now: Date = new Date(),
): Promise<{ entries: number; imports: number; drafts: number }> {
  const cutoff = new Date(now.getTime() - ROSTER_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  const draftCutoff = new Date(now.getTime() - DRAFT_TTL_HOURS * 60 * 60 * 1000);
  const entries = await db
    .delete(rosterEntries)
    .where(and(isNull(rosterEntries.householdId), lt(rosterEntries.createdAt, cutoff)))
    .returning({ id: rosterEntries.id });
  const drafts = await db
    .delete(rosterImports)
    .where(and(sql`${rosterImports.report}->>'state' = 'draft'`, lt(rosterImports.createdAt, draftCutoff)))
    .returning({ id: rosterImports.id });
  const imports = await db
    .delete(rosterImports)
    .where(lt(rosterImports.createdAt, cutoff))
    .returning({ id: rosterImports.id });
  return { entries: entries.length, imports: imports.length, drafts: drafts.length };
}

export const REPORT_COLUMNS = ["line", "name", "phone", "commune", "hamlet", "result"] as const;
export type ReportColumn = (typeof REPORT_COLUMNS)[number];

/** The result report for Excel: one line per row of the file, imported or why not. */
export function rosterReportCsv(
  lines: ReportLine[],
  headings: Record<ReportColumn, string>,
  result: (line: ReportLine) => string,
): string {
  return csvForPeople(
    REPORT_COLUMNS.map((c) => headings[c]),
    lines.map((l) => [l.line, l.name, l.phone, l.commune, l.hamlet, result(l)]),
  );
}
