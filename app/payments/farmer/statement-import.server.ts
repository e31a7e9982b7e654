/**
 * Bank statement import: the farmer uploads the CSV their bank exports, and
 * every incoming transfer whose memo carries the code of one of this stall's
 * unpaid VietQR orders AND whose amount is exactly that order's total marks
 * the order paid, as if the farmer had pressed "Đã nhận tiền" (markPaidByFarmer,
 * actor the farmer, timeline note "matched from the bank statement").
 * Everything else is listed with the reason it did not match.
 *
 * What is read (documented for farmers in the page's help text):
 * - Encoding: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
 *   text"), otherwise Windows-1258 (Vietnamese Windows exports; it reads
 *   Windows-1252 English exports the same way); TCVN3/VNI refused. The
 *   decoding is shared with the roster import: app/utils/text-decoding.server.ts.
 * - Separator: comma, semicolon or tab, whichever gives a recognisable header.
 * - The header row may follow a few lines of bank preamble (account, period).
 *   Header cells are compared without diacritics or case, and bilingual cells
 *   ("Ngày giao dịch / Transaction Date") count by either half (HEADER_NAMES):
 *   date "Ngày giao dịch", "Ngày GD", "Ngày hạch toán", "Transaction date", "Date"…;
 *   credit "Ghi có", "Số tiền ghi có", "Có", "Credit", "Tiền vào"…, or a signed
 *   amount "Số tiền", "Amount" (negative: money out);
 *   description "Nội dung", "Mô tả", "Diễn giải", "Description", "Details"…
 * - Amounts: whole đồng, "1.500.000", "1,500,000", "1500000", "1.500.000,00",
 *   "1,500,000.00", with or without "VND"/"₫". A credit with a fraction of a
 *   đồng, or a cell that is not a number (formulas included), is listed as
 *   unreadable; nothing in a cell is ever evaluated.
 *
 * Matching: banks keep only letters and digits of a memo, often upper-cased
 * and glued to their own references ("MBVCB.123.ABCD2345.CT TU…"), so the memo
 * is reduced to A–Z0–9 and searched for this stall's order codes (8 characters
 * of an alphabet without 0, 1, I, O). Only this stall's orders are looked at:
 * another stall's code in a memo is simply "no order code here".
 * Importing the same file again changes nothing: those orders are paid
 * already, and the lines say so.
 */
import { and, eq } from "drizzle-orm";
import { orders } from "#db/schema";
import { PaymentError } from "../core/errors";
import { STATEMENT_MAX_BYTES } from "./statement-limits";
import { markPaidByFarmer } from "./money-received.server";
import { CODE_ALPHABET, CODE_LENGTH, SYSTEM_CANCEL_REASONS } from "~/orders";
import type { Database } from "~/utils/db.server";
import { isUuid } from "~/utils/db-errors.server";
import { foldVietnamese } from "~/utils/text";
import {
  CSV_SEPARATORS,
  decodeTextFile,
  parseCsv,
  type TextEncoding,
  type TextFileProblem,
} from "~/utils/text-decoding.server";

/** Bank exports of a few months are a few hundred kilobytes; 2 MB leaves room and bounds the work. */
export { STATEMENT_MAX_BYTES };
/** Lines that did not match are listed up to this many (the count says how many more). */
export const UNMATCHED_SHOWN = 300;
const DESCRIPTION_MAX = 300;
/** The header is looked for in the first rows only (after the bank's preamble). */
const HEADER_SEARCH_ROWS = 40;

export type StatementProblem =
  /** An empty file. */
  | "empty"
  /** Over STATEMENT_MAX_BYTES. */
  | "too_large"
  /** An Excel workbook (.xlsx, .xls): the farmer should export CSV. */
  | "spreadsheet"
  /** Not text (a photo, a PDF, …). */
  | "not_csv"
  /** Text, but no row names an amount (or credit) column and a description column. */
  | "no_columns"
  /** Vietnamese in the old TCVN3 or VNI font encodings: the farmer should save it as Unicode. */
  | "legacy_encoding";

type Role = "date" | "credit" | "debit" | "amount" | "description";

/** Header names per column role, folded (no diacritics, lower case, single spaces). */
export const HEADER_NAMES: Record<Role, readonly string[]> = {
  date: [
    "ngay giao dich",
    "ngay gd",
    "ngay",
    "ngay hach toan",
    "ngay hieu luc",
    "ngay thuc hien",
    "thoi gian",
    "thoi gian giao dich",
    "transaction date",
    "trans date",
    "txn date",
    "posting date",
    "value date",
    "effective date",
    "date",
  ],
  credit: [
    "ghi co",
    "so tien ghi co",
    "so tien co",
    "co",
    "phat sinh co",
    "ps co",
    "tien vao",
    "so tien vao",
    "credit",
    "credit amount",
    "credits",
    "deposit",
    "deposits",
  ],
  debit: [
    "ghi no",
    "so tien ghi no",
    "so tien no",
    "no",
    "phat sinh no",
    "ps no",
    "tien ra",
    "so tien ra",
    "debit",
    "debit amount",
    "debits",
    "withdrawal",
    "withdrawals",
  ],
  amount: ["so tien", "so tien giao dich", "so tien gd", "amount", "transaction amount"],
  description: [
    "noi dung",
    "noi dung giao dich",
    "noi dung chuyen khoan",
    "noi dung chi tiet",
    "mo ta",
    "dien giai",
    "chi tiet giao dich",
    "description",
    "transaction description",
    "transaction details",
    "details",
    "remark",
    "remarks",
    "narrative",
  ],
};

const fold = (s: string) =>
  foldVietnamese(s)
    .replace(/[\s\u00a0]+/g, " ")
    .replace(/^[\s*:.#]+|[\s*:.#]+$/g, "")
    .trim();

/** The roles a header cell names: the whole cell, or either half of "Vietnamese / English". */
function rolesOf(cell: string): Role[] {
  const parts = [cell, ...cell.split(/[/\n|()]/)].map(fold).filter(Boolean);
  return (Object.keys(HEADER_NAMES) as Role[]).filter((role) => parts.some((p) => HEADER_NAMES[role].includes(p)));
}

// ---------------------------------------------------------------- bytes → text

export type StatementEncoding = TextEncoding;

/** The statement's text (the shared decoder: app/utils/text-decoding.server.ts), or why it cannot be read. */
export function decodeStatement(
  bytes: Uint8Array,
): { ok: true; text: string; encoding: StatementEncoding } | { ok: false; problem: StatementProblem } {
  const decoded = decodeTextFile(bytes, { maxBytes: STATEMENT_MAX_BYTES });
  if (decoded.ok) return decoded;
  const problems: Record<TextFileProblem, StatementProblem> = {
    empty: "empty",
    too_large: "too_large",
    zip: "spreadsheet",
    ole2: "spreadsheet",
    not_text: "not_csv",
    legacy_encoding: "legacy_encoding",
  };
  return { ok: false, problem: problems[decoded.problem] };
}

export { parseCsv };

// ---------------------------------------------------------------- amounts

export type StatementAmount = { kind: "empty" } | { kind: "invalid" } | { kind: "value"; dong: number };

/**
 * A statement's amount cell in whole đồng (signed). Thousands grouped by "."
 * or "," (groups of three), an optional decimal part of one or two digits
 * that must be zero, a sign or accounting parentheses, "VND"/"VNĐ"/"₫"/"đ".
 * Anything else (a formula, "1e5", "12,5") is invalid: never evaluated.
 */
export function parseStatementAmount(raw: string): StatementAmount {
  let s = raw
    .normalize("NFKC")
    .replace(/[\s\u00a0]/g, "")
    .replace(/^(vnd|vnđ|₫|đ)|(vnd|vnđ|₫|đ)$/gi, "");
  if (s === "" || s === "-") return { kind: "empty" };
  let negative = false;
  if (/^\(.*\)$/.test(s)) [negative, s] = [true, s.slice(1, -1)];
  if (/^[+-]/.test(s)) [negative, s] = [negative !== s.startsWith("-"), s.slice(1)];
  const m = /^(\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*|\d+)(?:([.,])(\d{1,2}))?$/.exec(s);
  if (!m) return { kind: "invalid" };
  const [, whole, group, decimalSeparator, fraction] = m;
  if (group && decimalSeparator === group) return { kind: "invalid" };
  if (fraction && !/^0+$/.test(fraction)) return { kind: "invalid" };
  const dong = Number(whole.replace(/[.,]/g, ""));
  if (!Number.isSafeInteger(dong)) return { kind: "invalid" };
  return { kind: "value", dong: negative ? -dong : dong };
}

// ---------------------------------------------------------------- rows → credit lines

export interface StatementColumns {
  /** The header cells as written in the file. */
  date: string | null;
  amount: string;
  description: string;
  /** "credit": a column of money in; "signed": one amount column, negative for money out. */
  amountKind: "credit" | "signed";
}

export interface CreditLine {
  /** 1-based row of the file (its CSV record). */
  row: number;
  date: string;
  /** Null: the cell could not be read as whole đồng. */
  amountDong: number | null;
  description: string;
}

export type ReadStatement =
  | { ok: true; lines: CreditLine[]; columns: StatementColumns; encoding: StatementEncoding }
  | { ok: false; problem: StatementProblem };

function findHeader(rows: string[][]) {
  for (let r = 0; r < Math.min(rows.length, HEADER_SEARCH_ROWS); r++) {
    const cells = rows[r];
    const first = (role: Role) => cells.findIndex((cell) => rolesOf(cell).includes(role));
    const description = first("description");
    const credit = first("credit");
    const amount = credit >= 0 ? credit : first("amount");
    if (description < 0 || amount < 0 || description === amount) continue;
    const date = first("date");
    return {
      headerRow: r,
      index: { date, amount, description },
      columns: {
        date: date >= 0 ? cells[date].trim() : null,
        amount: cells[amount].trim(),
        description: cells[description].trim(),
        amountKind: credit >= 0 ? "credit" : "signed",
      } satisfies StatementColumns,
    };
  }
  return null;
}

/** The file's incoming transfers (money out, empty and footer rows left out), or why the file cannot be read. */
export function readStatement(bytes: Uint8Array): ReadStatement {
  const decoded = decodeStatement(bytes);
  if (!decoded.ok) return decoded;
  for (const separator of CSV_SEPARATORS) {
    const rows = parseCsv(decoded.text, separator);
    const header = findHeader(rows);
    if (!header) continue;
    const { index, columns } = header;
    const lines: CreditLine[] = [];
    for (let r = header.headerRow + 1; r < rows.length; r++) {
      const cell = (i: number) => (i >= 0 ? (rows[r][i] ?? "").trim() : "");
      const description = cell(index.description).replace(/\s+/g, " ").slice(0, DESCRIPTION_MAX);
      // Footer rows ("Tổng cộng", balances) and blank lines carry no memo to match.
      if (!description) continue;
      const amount = parseStatementAmount(cell(index.amount));
      if (amount.kind === "empty") continue; // money out, in a credit/debit layout
      if (amount.kind === "value" && amount.dong <= 0) continue; // money out, or nothing
      lines.push({
        row: r + 1,
        date: cell(index.date).slice(0, 40),
        amountDong: amount.kind === "value" ? amount.dong : null,
        description,
      });
    }
    return { ok: true, lines, columns, encoding: decoded.encoding };
  }
  return { ok: false, problem: "no_columns" };
}

// ---------------------------------------------------------------- matching

/** "MBVCB.123.abcd-2345.CT tu…" → "MBVCB123ABCD2345CTTU…": what is left of a memo that a code can hide in. */
export const memoLetters = (memo: string) =>
  foldVietnamese(memo)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "");

const CODE_CHARS = new Set(CODE_ALPHABET);

/** Every substring of the memo that could be an order code, in order of appearance. */
function codesIn(memo: string): string[] {
  const letters = memoLetters(memo);
  const found: string[] = [];
  let run = 0;
  for (let i = 0; i < letters.length; i++) {
    run = CODE_CHARS.has(letters[i]) ? run + 1 : 0;
    if (run >= CODE_LENGTH) found.push(letters.slice(i + 1 - CODE_LENGTH, i + 1));
  }
  return found;
}

export type LineOutcome =
  | "matched"
  /** No code of this stall's VietQR orders in the memo (another stall's code included). */
  | "no_code"
  /** The memo names the order, but the amount is not its total (`expectedDong`). */
  | "amount_differs"
  /** The order was paid before (an earlier import, "Đã nhận tiền", or an earlier line of this file). */
  | "already_paid"
  /** The order was cancelled: the buyer's money should go back to them. */
  | "order_cancelled"
  /** The amount cell is not whole đồng. */
  | "invalid_amount";

export interface ImportedLine extends CreditLine {
  outcome: LineOutcome;
  /** The order the memo names, when it names one of this stall's VietQR orders. */
  orderCode?: string;
  expectedDong?: number;
}

export type ImportResult =
  | {
      ok: true;
      matched: ImportedLine[];
      /** At most UNMATCHED_SHOWN of them. */
      unmatched: ImportedLine[];
      unmatchedCount: number;
      creditLines: number;
      columns: StatementColumns;
      encoding: StatementEncoding;
    }
  | { ok: false; problem: StatementProblem };

interface Candidate {
  id: string;
  code: string;
  totalDong: number;
  live: boolean;
  paid: boolean;
}

/**
 * Reads the statement and marks paid what it proves was received (see the
 * module comment). `stallId` is the farmer's own stall: only its VietQR
 * orders are candidates.
 */
export async function importStatement(
  db: Database,
  {
    bytes,
    stallId,
    actor,
  }: { bytes: Uint8Array; stallId: string; actor: { role: "farmer" | "officer"; userId: string } },
): Promise<ImportResult> {
  const statement = readStatement(bytes);
  if (!statement.ok) return statement;
  if (!isUuid(stallId)) throw new PaymentError("not_found");

  const rows = await db
    .select({
      id: orders.id,
      code: orders.code,
      totalDong: orders.totalDong,
      status: orders.status,
      paymentStatus: orders.paymentStatus,
    })
    .from(orders)
    .where(and(eq(orders.stallId, stallId), eq(orders.paymentMethod, "vietqr")));
  const byCode = new Map<string, Candidate>(
    rows.map((o) => [
      o.code,
      {
        id: o.id,
        code: o.code,
        totalDong: o.totalDong,
        live: o.status !== "cancelled",
        paid: o.paymentStatus !== "unpaid" && o.paymentStatus !== "pending",
      },
    ]),
  );

  const matched: ImportedLine[] = [];
  const unmatched: ImportedLine[] = [];
  let unmatchedCount = 0;
  const miss = (line: ImportedLine) => {
    unmatchedCount += 1;
    if (unmatched.length < UNMATCHED_SHOWN) unmatched.push(line);
  };

  for (const line of statement.lines) {
    const named = [...new Set(codesIn(line.description))].flatMap((c) => byCode.get(c) ?? []);
    if (named.length === 0) {
      miss({ ...line, outcome: line.amountDong === null ? "invalid_amount" : "no_code" });
      continue;
    }
    if (line.amountDong === null) {
      miss({ ...line, outcome: "invalid_amount", orderCode: named[0].code });
      continue;
    }
    const sameAmount = named.filter((o) => o.totalDong === line.amountDong);
    const order = sameAmount.find((o) => o.live && !o.paid) ?? sameAmount.find((o) => o.paid) ?? sameAmount[0];
    if (!order) {
      miss({ ...line, outcome: "amount_differs", orderCode: named[0].code, expectedDong: named[0].totalDong });
      continue;
    }
    if (order.paid) {
      miss({ ...line, outcome: "already_paid", orderCode: order.code });
      continue;
    }
    if (!order.live) {
      miss({ ...line, outcome: "order_cancelled", orderCode: order.code });
      continue;
    }
    try {
      // Checked again under lock: the amount, the order still unpaid and live, this stall's.
      const { changed } = await markPaidByFarmer(db, {
        order: { orderId: order.id },
        stallId,
        actor,
        amountDong: line.amountDong,
        note: SYSTEM_CANCEL_REASONS.bankStatement,
      });
      order.paid = true;
      if (changed) matched.push({ ...line, outcome: "matched", orderCode: order.code });
      else miss({ ...line, outcome: "already_paid", orderCode: order.code });
    } catch (error) {
      if (!(error instanceof PaymentError)) throw error;
      // Changed since we read it (cancelled, paid): say what it is now.
      const outcome: LineOutcome = error.code === "order_cancelled" ? "order_cancelled" : "already_paid";
      if (outcome === "order_cancelled") order.live = false;
      miss({ ...line, outcome, orderCode: order.code });
    }
  }
  return {
    ok: true,
    matched,
    unmatched,
    unmatchedCount,
    creditLines: statement.lines.length,
    columns: statement.columns,
    encoding: statement.encoding,
  };
}
