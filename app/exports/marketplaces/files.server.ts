/**
 * The marketplace files for people: per target (TikTok Shop, Shopee, Lazada),
 *
 * - `json`: one document holding, per listing ready for the target, the
 *   product payload its API takes, with the placeholders explained;
 * - `xlsx`: a spreadsheet of our fields under the target's field names, one
 *   row per ready listing, to copy into the marketplace's own upload
 *   template (whose columns are per category and not published), and a
 *   second sheet explaining the placeholders and the steps (ADR 024).
 *
 * Both are streamed from the batches they are given (the keyset reader of
 * the feeds, or anything else yielding ExportListing[]): one batch at a time
 * is held, never the file. Listings not ready for the target are left out
 * and counted by reason (`stats`, filled in as the file is written).
 */
import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";
import type { TFunction } from "i18next";
import { i18nInstance } from "~/i18n/index.server";
import { asTextForPeople } from "~/utils/csv.server";
import { oneLineText, type ExportListing } from "../item";
import { countSkipped, isReady, readinessOf, type ReadinessCode, type SkippedCounts } from "../readiness";
import type { MarketplaceFileKind, MarketplaceTarget } from "../targets";
import { productUrl, type CategoryIds, type PayloadContext, type Site } from "./facts";
import type { MarketplaceFormat, SheetCell } from "./format";
import { lazada } from "./lazada";
import { PLACEHOLDER_NAMES } from "./placeholders";
import { shopee } from "./shopee";
import { tiktok } from "./tiktok";

export const MARKETPLACE_FORMATS: Readonly<Record<MarketplaceTarget, MarketplaceFormat>> = { tiktok, shopee, lazada };

export interface MarketplaceFileOptions {
  target: MarketplaceTarget;
  kind: MarketplaceFileKind;
  site: Site;
  /** yyyy-mm-dd in Vietnam. */
  today: string;
  /** The admin's mapping for this target: our category → the marketplace's id. */
  categoryMap: CategoryIds;
  /** The language of our notes and headings (the marketplaces' own words stay theirs). Vietnamese by default. */
  lng?: string;
  generatedAt?: Date;
}

/** What a file holds, known once it has been read to its end. */
export interface MarketplaceFileStats {
  /** Listings written. */
  written: number;
  /** Listings left out (not ready for the target). */
  left: number;
  /** Why, by readiness code (a listing with two errors counts under both). */
  skipped: SkippedCounts;
}

export const emptyMarketplaceFileStats = (): MarketplaceFileStats => ({ written: 0, left: 0, skipped: {} });

/** The columns after the target's own: ours, the same in every target's sheet. */
const OUR_COLUMNS = ["ourCategory", "productUrl", "warnings"] as const;

/** Steps on the notes sheet, per target (`exports:files.steps.<target>.<n>`). */
const STEP_COUNT = 4;

/** Excel holds at most this many characters in a cell. */
const EXCEL_CELL_MAX = 32_767;

/** Our translations for the files, in `lng` (Vietnamese unless told). */
function filesT(lng = "vi"): TFunction {
  return i18nInstance(lng).getFixedT(lng, "exports");
}

/** The spreadsheet's header row for `target`: its field names, then ours. */
export function marketplaceSheetHeaders(target: MarketplaceTarget, lng?: string): string[] {
  const t = filesT(lng);
  return [
    ...MARKETPLACE_FORMATS[target].columns.map((c) => t(`files.columns.${target}.${c}`)),
    ...OUR_COLUMNS.map((c) => t(`files.columns.ours.${c}`)),
  ];
}

interface ReadyItem {
  item: ExportListing;
  /** Readiness warnings (an expired certificate): written, but said. */
  warnings: ReadinessCode[];
}

/**
 * The listings of `batches` ready for `target`, a batch at a time; the others
 * counted into `stats`. A marketplace title is one line, so readiness judges
 * the title as it will be sent.
 */
async function* readyBatches(
  batches: AsyncIterable<readonly ExportListing[]>,
  target: MarketplaceTarget,
  today: string,
  stats: MarketplaceFileStats,
): AsyncGenerator<ReadyItem[]> {
  for await (const batch of batches) {
    const ready: ReadyItem[] = [];
    for (const item of batch) {
      const problems = readinessOf({ ...item, title: oneLineText(item.title) }, target, today);
      if (isReady(problems)) {
        ready.push({ item, warnings: problems.map((p) => p.code) });
      } else {
        stats.left += 1;
        countSkipped(stats.skipped, problems);
      }
    }
    stats.written += ready.length;
    yield ready;
  }
}

/**
 * The file for `target`, as a Node stream of bytes (pipe it, or hand it to a
 * Response through Readable.toWeb). `stats` is complete when the stream ends.
 * Destroying the stream stops reading `batches` (their iterator is closed).
 */
export function streamMarketplaceFile(
  batches: AsyncIterable<readonly ExportListing[]>,
  options: MarketplaceFileOptions,
  stats: MarketplaceFileStats = emptyMarketplaceFileStats(),
): Readable {
  return options.kind === "json" ? jsonFile(batches, options, stats) : xlsxFile(batches, options, stats);
}

// ---------------------------------------------------------------- JSON

function jsonFile(
  batches: AsyncIterable<readonly ExportListing[]>,
  options: MarketplaceFileOptions,
  stats: MarketplaceFileStats,
): Readable {
  const { target, today, site, categoryMap } = options;
  const format = MARKETPLACE_FORMATS[target];
  const context: PayloadContext = { site, today, categoryMap };
  const t = filesT(options.lng);
  async function* chunks(): AsyncGenerator<Buffer> {
    const head = {
      target,
      api: format.api,
      generatedAt: (options.generatedAt ?? new Date()).toISOString(),
      notes: t("files.notes.json", { target: t(`targets.${target}`), api: format.api }),
      placeholders: Object.fromEntries(
        PLACEHOLDER_NAMES[target].map((name) => [`<<${name}>>`, t(`files.placeholders.${name}`)]),
      ),
    };
    // The head's members, then the items one per line, then the counts known at the end.
    yield Buffer.from(`${JSON.stringify(head).slice(0, -1)},\n"items":[`);
    let first = true;
    for await (const ready of readyBatches(batches, target, today, stats)) {
      if (ready.length === 0) continue;
      const lines = ready.map(({ item }) => JSON.stringify(format.payload(item, context)));
      yield Buffer.from(`${first ? "\n" : ",\n"}${lines.join(",\n")}`);
      first = false;
    }
    yield Buffer.from(
      `\n],\n"written":${stats.written},"left":${stats.left},"skipped":${JSON.stringify(stats.skipped)}}\n`,
    );
  }
  return Readable.from(chunks(), { objectMode: false });
}

// ---------------------------------------------------------------- XLSX

/** A cell of a file for people: text that would run as a formula is neutralised (ADR 017), numbers stay numbers. */
function peopleCell(value: SheetCell): string | number | null {
  if (value === null || typeof value === "number") return value;
  // Cut by code points, so an emoji is never split (the apostrophe may need one more character).
  const text =
    value.length < EXCEL_CELL_MAX
      ? value
      : Array.from(value)
          .slice(0, EXCEL_CELL_MAX - 1)
          .join("");
  return asTextForPeople(text);
}

interface Drainable {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

/**
 * The zip entry's input behind a worksheet. exceljs (4.4) hands the sheet's
 * XML to it 64 KB at a time without waiting for it to be taken, so rows
 * written faster than the archive is compressed and read would pile up
 * there. Not part of exceljs's typed interface: read defensively, and
 * without it only the file's own stream paces the rows.
 */
function sheetInput(sheet: unknown): Drainable | null {
  const pipes = (sheet as { stream?: { pipes?: unknown } }).stream?.pipes;
  const input = Array.isArray(pipes) ? (pipes[0] as Drainable | undefined) : undefined;
  return input && typeof input.once === "function" ? input : null;
}

const needsDrain = (stream: Drainable) => Boolean(stream.writableNeedDrain ?? stream._writableState?.needDrain);

/** The first of these events. */
function firstOf(events: readonly (readonly [Drainable, string])[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const [emitter, event] of events) emitter.off(event, done);
      resolve();
    };
    for (const [emitter, event] of events) emitter.once(event, done);
  });
}

/**
 * Resolves once what was written has room to move on: the reader has taken
 * the file's bytes (`out` not full) and the sheet's XML has gone into the
 * compressor. Resolves at once when the reader is gone (the caller stops).
 */
async function roomIn(out: PassThrough, sheet: unknown): Promise<void> {
  for (;;) {
    if (out.destroyed) return;
    const input = sheetInput(sheet);
    const inputFull = input !== null && needsDrain(input);
    if (!out.writableNeedDrain && !inputFull) return;
    await firstOf([[out, "drain"], [out, "close"], ...(inputFull ? [[input, "drain"] as const] : [])]);
  }
}

const WIDE_COLUMNS = new Set(["description", "item_name", "title", "name", "productUrl"]);

function xlsxFile(
  batches: AsyncIterable<readonly ExportListing[]>,
  options: MarketplaceFileOptions,
  stats: MarketplaceFileStats,
): Readable {
  const { target, today, site, categoryMap } = options;
  const format = MARKETPLACE_FORMATS[target];
  const context: PayloadContext = { site, today, categoryMap };
  const t = filesT(options.lng);
  const out = new PassThrough();
  // Inline strings, no styles: nothing grows with the rows but the rows themselves, streamed out.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  workbook.creator = "Gian Hàng Số";

  const columns = [...format.columns, ...OUR_COLUMNS];
  const ourCells = ({ item, warnings }: ReadyItem): Record<(typeof OUR_COLUMNS)[number], SheetCell> => ({
    ourCategory: t(`listings:categories.${item.category}`, { defaultValue: item.category }),
    productUrl: productUrl(item, site),
    warnings: warnings.length > 0 ? warnings.map((code) => t(`files.problems.${code}`)).join("; ") : null,
  });

  async function write() {
    const sheet = workbook.addWorksheet(t("files.sheets.items"), { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = columns.map((c) => ({ key: c, width: WIDE_COLUMNS.has(c) ? 60 : c.startsWith("image") ? 40 : 18 }));
    sheet.addRow(marketplaceSheetHeaders(target, options.lng).map(peopleCell)).commit();
    for await (const ready of readyBatches(batches, target, today, stats)) {
      for (const entry of ready) {
        const cells: Readonly<Record<string, SheetCell>> = {
          ...format.row(entry.item, format.payload(entry.item, context), context),
          ...ourCells(entry),
        };
        sheet.addRow(columns.map((c) => peopleCell(cells[c] ?? null))).commit();
      }
      await roomIn(out, sheet);
      if (out.destroyed) return; // The reader went away: leaving the loop closes the batches.
    }
    sheet.commit();

    const guide = workbook.addWorksheet(t("files.sheets.guide"));
    guide.columns = [{ width: 34 }, { width: 100 }];
    for (const row of guideRows(t, format, stats, options)) guide.addRow(row.map(peopleCell)).commit();
    guide.commit();
    await workbook.commit();
  }
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

/** The second sheet: what the file is, each placeholder, the steps, and what was left out. */
function guideRows(
  t: TFunction,
  format: MarketplaceFormat,
  stats: MarketplaceFileStats,
  options: MarketplaceFileOptions,
): SheetCell[][] {
  const target = format.target;
  const name = t(`targets.${target}`);
  const skipped = Object.entries(stats.skipped) as [ReadinessCode, number][];
  return [
    [t("files.guide.title", { target: name })],
    [t("files.guide.intro", { target: name, api: format.api })],
    [t("files.guide.generatedAt"), (options.generatedAt ?? new Date()).toISOString()],
    [],
    [t("files.guide.placeholdersHeading"), t("files.guide.placeholdersIntro")],
    ...PLACEHOLDER_NAMES[target].map((p) => [`<<${p}>>`, t(`files.placeholders.${p}`)]),
    [],
    [t("files.guide.stepsHeading")],
    ...Array.from({ length: STEP_COUNT }, (_, i) => [`${i + 1}.`, t(`files.steps.${target}.${i + 1}`)]),
    [],
    [t("files.guide.written"), stats.written],
    [t("files.guide.left"), stats.left],
    ...skipped.map(([code, count]) => [t(`files.problems.${code}`), count]),
  ];
}
