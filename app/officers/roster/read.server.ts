/**
 * A commune's roster file → rows (ADR 028). CSV (comma, semicolon or tab;
 * UTF-8, UTF-8 with BOM, UTF-16 with BOM or Windows-1258, through the decoder
 * shared with the bank-statement import) or XLSX (the first sheet, read with
 * exceljs). The old .xls and anything else are refused with what to do.
 * TCVN3/VNI text is refused in both: a CSV by its bytes, an XLSX whose cells
 * were typed with a ".Vn"/VNI font by the same character test on its cells.
 *
 * The header row may sit below a title ("DANH SÁCH HỘ …", "Xã …, ngày …"):
 * the first HEADER_SEARCH_ROWS rows are searched for it. Header cells are
 * compared without diacritics, case or punctuation, in their common variants.
 */
import ExcelJS from "exceljs";
import { foldVietnamese, oneLine } from "~/utils/text";
import {
  containerOf,
  CSV_SEPARATORS,
  decodeTextFile,
  looksLikeLegacyVietnamese,
  parseCsv,
} from "~/utils/text-decoding.server";
import { ROSTER_MAX_BYTES } from "~/utils/upload-limits";

export { ROSTER_MAX_BYTES };
/** A commune's households fit: the largest merged communes have a few thousand. */
export const ROSTER_MAX_ROWS = 10_000;
const HEADER_SEARCH_ROWS = 10;

export type RosterColumn = "name" | "phone" | "commune" | "hamlet" | "district";
export const REQUIRED_COLUMNS: readonly RosterColumn[] = ["name", "phone", "commune"];

/** Header variants per column, folded (see `foldHeader`). */
export const HEADER_VARIANTS: Record<RosterColumn, readonly string[]> = {
  name: [
    "ho ten",
    "ho va ten",
    "ten chu ho",
    "ho ten chu ho",
    "ho va ten chu ho",
    "chu ho",
    "ho ten nguoi dai dien",
    "full name",
    "name",
  ],
  phone: [
    "sdt",
    "so dien thoai",
    "dien thoai",
    "so dt",
    "dt",
    "dtdd",
    "so di dong",
    "di dong",
    "sdt lien he",
    "dien thoai lien he",
    "phone",
    "phone number",
  ],
  commune: [
    "xa",
    "xa/phuong",
    "phuong/xa",
    "xa phuong",
    "phuong xa",
    "ten xa",
    "xa/phuong/thi tran",
    "commune",
    "ward",
  ],
  hamlet: [
    "thon",
    "ap",
    "to",
    "xom",
    "thon/ap",
    "thon/xom",
    "thon/to",
    "ap/thon",
    "to dan pho",
    "khu dan cu",
    "hamlet",
  ],
  district: ["huyen", "quan/huyen", "huyen/quan", "quan huyen", "huyen cu", "quan/huyen cu", "district"],
};

/** "Số điện thoại (*):" → "so dien thoai"; "Xã / Phường" → "xa/phuong". */
export function foldHeader(cell: string): string {
  return foldVietnamese(cell)
    .replace(/\(\s*\*?\s*\)|\*/g, "")
    .replace(/[\s\u00a0]+/g, " ")
    .replace(/\s*[/,\\-]\s*/g, "/")
    .replace(/^[\s:.#]+|[\s:.#]+$/g, "")
    .trim();
}

export function columnOf(cell: string): RosterColumn | null {
  const folded = foldHeader(cell);
  if (!folded) return null;
  for (const column of Object.keys(HEADER_VARIANTS) as RosterColumn[]) {
    if (HEADER_VARIANTS[column].includes(folded)) return column;
  }
  return null;
}

/** One household as written in the file. */
export interface RosterRow {
  /** 1-based row of the file (the spreadsheet's row number, the CSV's record). */
  line: number;
  name: string;
  phone: string;
  commune: string;
  district: string;
  hamlet: string;
}

export type RosterFileProblem =
  | "empty"
  | "too_large"
  /** The old Excel format. */
  | "xls"
  /** A ZIP that is not a workbook exceljs can read, a PDF, a photo… */
  | "unsupported"
  | "legacy_encoding"
  /** No row of the first ones names the required columns (`missing` says which). */
  | "missing_columns"
  | "too_many_rows"
  /** A header but not one household under it. */
  | "no_rows";

export type ReadRoster =
  | { ok: true; rows: RosterRow[]; format: "csv" | "xlsx"; encoding: string | null }
  | { ok: false; problem: RosterFileProblem; missing?: RosterColumn[] };

type Grid = { cells: string[][]; lines: number[] };

/** The header row and the column of each role, or the required columns not found anywhere. */
function findHeader(
  grid: Grid,
): { row: number; index: Partial<Record<RosterColumn, number>> } | { missing: RosterColumn[] } {
  let best: { row: number; index: Partial<Record<RosterColumn, number>>; found: number } | null = null;
  for (let r = 0; r < Math.min(grid.cells.length, HEADER_SEARCH_ROWS); r++) {
    const index: Partial<Record<RosterColumn, number>> = {};
    grid.cells[r].forEach((cell, i) => {
      const column = columnOf(cell);
      if (column && index[column] === undefined) index[column] = i;
    });
    const found = REQUIRED_COLUMNS.filter((c) => index[c] !== undefined).length;
    if (found === REQUIRED_COLUMNS.length) return { row: r, index };
    if (found > 0 && (!best || found > best.found)) best = { row: r, index, found };
  }
  return { missing: REQUIRED_COLUMNS.filter((c) => best?.index[c] === undefined) };
}

function rowsOf(grid: Grid): ReadRoster {
  const header = findHeader(grid);
  if ("missing" in header) return { ok: false, problem: "missing_columns", missing: header.missing };
  const rows: RosterRow[] = [];
  for (let r = header.row + 1; r < grid.cells.length; r++) {
    const cells = grid.cells[r];
    const cell = (column: RosterColumn) => {
      const i = header.index[column];
      return i === undefined ? "" : oneLine(cells[i] ?? "");
    };
    const row: RosterRow = {
      line: grid.lines[r],
      name: cell("name"),
      phone: cell("phone"),
      commune: cell("commune"),
      district: cell("district"),
      hamlet: cell("hamlet"),
    };
    // Blank lines, and a footer ("Tổng: 120 hộ", signatures) with neither a name nor a phone.
    if (!row.name && !row.phone) continue;
    if (rows.length >= ROSTER_MAX_ROWS) return { ok: false, problem: "too_many_rows" };
    rows.push(row);
  }
  if (rows.length === 0) return { ok: false, problem: "no_rows" };
  return { ok: true, rows, format: "csv", encoding: null };
}

function readCsv(bytes: Uint8Array): ReadRoster {
  const decoded = decodeTextFile(bytes, { maxBytes: ROSTER_MAX_BYTES });
  if (!decoded.ok) {
    const problem = decoded.problem;
    if (problem === "ole2") return { ok: false, problem: "xls" };
    if (problem === "zip" || problem === "not_text") return { ok: false, problem: "unsupported" };
    return { ok: false, problem };
  }
  // The separator that finds the most columns names what is missing.
  let closest: RosterColumn[] = [...REQUIRED_COLUMNS];
  for (const separator of CSV_SEPARATORS) {
    const cells = parseCsv(decoded.text, separator);
    const result = rowsOf({ cells, lines: cells.map((_, i) => i + 1) });
    if (result.ok) return { ...result, format: "csv", encoding: decoded.encoding };
    if (result.problem !== "missing_columns") return result;
    if (result.missing && result.missing.length < closest.length) closest = result.missing;
  }
  return { ok: false, problem: "missing_columns", missing: closest };
}

/** A cell's text as the officer sees it; numbers written out in full (a phone typed as a number lost its 0). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  if ("formula" in value || "sharedFormula" in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined || typeof result === "object" ? "" : cellText(result);
  }
  if ("text" in value) return String(value.text);
  return "";
}

async function readXlsx(bytes: Uint8Array): Promise<ReadRoster> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    return { ok: false, problem: "unsupported" };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { ok: false, problem: "no_rows" };
  if (sheet.actualRowCount > ROSTER_MAX_ROWS + HEADER_SEARCH_ROWS + 50) return { ok: false, problem: "too_many_rows" };
  const grid: Grid = { cells: [], lines: [] };
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value).normalize("NFC");
    });
    grid.cells.push(Array.from(cells, (c) => c ?? ""));
    grid.lines.push(rowNumber);
  });
  if (grid.cells.length === 0) return { ok: false, problem: "no_rows" };
  // Cells typed with a TCVN3 (.VnTime) or VNI font hold the same odd characters a CSV would.
  if (looksLikeLegacyVietnamese(grid.cells.map((cells) => cells.join(" ")).join("\n")))
    return { ok: false, problem: "legacy_encoding" };
  const result = rowsOf(grid);
  return result.ok ? { ...result, format: "xlsx", encoding: null } : result;
}

/** The file's households as written, or why the file cannot be read. */
export async function readRoster(bytes: Uint8Array): Promise<ReadRoster> {
  if (bytes.length === 0) return { ok: false, problem: "empty" };
  if (bytes.length > ROSTER_MAX_BYTES) return { ok: false, problem: "too_large" };
  const container = containerOf(bytes);
  if (container === "ole2") return { ok: false, problem: "xls" };
  if (container === "zip") return readXlsx(bytes);
  return readCsv(bytes);
}
