/**
 * CSV files, of two kinds (ADR 017):
 *
 * - **for people** (`csvForPeople`): opened by a person in Excel — the admins'
 *   payouts, later the officers' reports. `;`-separated with a UTF-8 byte
 *   order mark, the way Excel on a Vietnamese Windows opens a file by a
 *   double-click. Every text cell is quoted, and one that a spreadsheet would
 *   run as a formula, or turn into a number, starts with an apostrophe
 *   (`asTextForPeople`). Numbers are whole numbers (đồng), written bare, so
 *   Excel sums them.
 * - **for machines** (`csvForMachines`, or `machineCsvWriter` piece by piece
 *   for a streamed file): read by a program — the marketplace feeds. RFC 4180
 *   and nothing more: every text exactly as it is, quoted only when it must be.
 *
 * Both are written by csv-stringify; this module only chooses its options.
 */
import { stringify, type Options } from "csv-stringify/sync";

/** A cell: text, a number, or nothing (an empty cell). */
export type CsvCell = string | number | null | undefined;
export type CsvRow = readonly CsvCell[];

// Excel (and LibreOffice, Google Sheets) run a cell as a formula when its first
// character, after any white space, is one of = + - @; Apple Numbers also takes
// the full-width forms of East Asian keyboards (＝＋－＠), so the test runs on
// the NFKC form, which folds those (and the other compatibility forms of the
// four) into the ASCII ones. A tab or a carriage return at the start
// is refused as well, as OWASP advises (some programs trim them and then run
// what follows).
const FORMULA = /^\s*[=+\-@]/u;
const CONTROL_START = /^[\t\r]/;
// Text of digits only (an account number, a phone number without spaces),
// full-width digits included: Excel would make it a number and drop its
// leading zeros.
const ONLY_DIGITS = /^\d+$/;

/**
 * The text a people file holds for `text`: an apostrophe in front when a
 * spreadsheet would otherwise run it as a formula or read it as a number;
 * otherwise the text as it is. Never applied to numbers.
 */
export function asTextForPeople(text: string): string {
  const folded = text.normalize("NFKC");
  const risky = CONTROL_START.test(text) || FORMULA.test(folded) || ONLY_DIGITS.test(folded);
  return risky ? `'${text}` : text;
}

function checkShape(header: readonly string[], rows: readonly CsvRow[]) {
  for (const [i, row] of rows.entries()) {
    if (row.length !== header.length) {
      throw new Error(`CSV row ${i + 1} has ${row.length} cells for ${header.length} columns`);
    }
  }
}

/**
 * A CSV file for a person to open in Excel: UTF-8 with a byte order mark (no
 * `sep=` line: Excel would then ignore the mark and garble Vietnamese), `;`
 * between cells, CRLF after each line. Text cells are always quoted and go
 * through `asTextForPeople`; numbers must be whole (integer đồng, counts) and
 * are written bare, a minus sign included.
 */
export function csvForPeople(header: readonly string[], rows: readonly CsvRow[]): string {
  checkShape(header, rows);
  return stringify([header, ...rows], {
    bom: true,
    delimiter: ";",
    record_delimiter: "windows",
    quoted_string: true,
    cast: {
      string: asTextForPeople,
      number: (value) => {
        // A fraction would be written 2.5, which a Vietnamese Excel reads as text (its decimal mark is a comma).
        if (!Number.isSafeInteger(value)) throw new Error(`A people CSV holds whole numbers only, got ${value}`);
        return String(value);
      },
    },
  } satisfies Options);
}

export interface MachineCsvOptions {
  delimiter?: "," | "\t";
}

/** The one set of csv-stringify options of machine files: `csvForMachines` and `machineCsvWriter` share it. */
function machineOptions({ delimiter = "," }: MachineCsvOptions): Options {
  return {
    delimiter,
    record_delimiter: "windows",
    cast: {
      number: (value) => {
        if (!Number.isFinite(value)) throw new Error(`A CSV number must be finite, got ${value}`);
        return String(value);
      },
    },
  } satisfies Options;
}

/**
 * A CSV (or, with `delimiter: "\t"`, TSV) file for a program: UTF-8 without a
 * byte order mark, CRLF after each line, every text exactly as given, quoted
 * only when it holds the delimiter, a quote or a line break (RFC 4180).
 */
export function csvForMachines(
  header: readonly string[],
  rows: readonly CsvRow[],
  options: MachineCsvOptions = {},
): string {
  const writer = machineCsvWriter(header, options);
  return writer.header + writer.rows(rows);
}

/**
 * The same machine file written piece by piece, for a file too large to hold
 * (the marketplace feeds, streamed from the database in batches): the header
 * line once, then any number of batches of rows, each checked against the
 * header's width. Concatenated, the pieces are exactly `csvForMachines`.
 */
export interface MachineCsvWriter {
  /** The header line, CRLF included. */
  readonly header: string;
  /** These rows' lines (empty for no rows). */
  rows(rows: readonly CsvRow[]): string;
}

export function machineCsvWriter(header: readonly string[], options: MachineCsvOptions = {}): MachineCsvWriter {
  const stringOptions = machineOptions(options);
  return {
    header: stringify([header], stringOptions),
    rows(rows) {
      checkShape(header, rows);
      return rows.length === 0 ? "" : stringify(rows as CsvRow[], stringOptions);
    },
  };
}
