/**
 * The admins' payouts screen and its CSV: what the platform owes each farmer
 * (owedToFarmers, the one ledger query), with what an admin needs to pay
 * them: the household, its commune and phone, and the bank account the farmer
 * gave for VietQR. Bank details are the farmer's: only admins see them here.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { communes, households, payouts, provinces, stalls, users } from "../../db/schema";
import { findBank } from "./banks";
import { owedToFarmers, type FarmerBalance } from "./ledger.server";
import type { Database } from "~/utils/db.server";
import { formatPhone } from "~/utils/phone";

export interface PendingPayout {
  id: string;
  amountDong: number;
  reference: string;
  createdAt: Date;
}

export interface PayoutRow extends FarmerBalance {
  farmerName: string;
  /** As people read it (0912 345 601); empty when the household has none. */
  phone: string;
  communeName: string;
  provinceName: string;
  bank: { bin: string; name: string; accountNumber: string; accountName: string } | null;
  pendingPayouts: PendingPayout[];
}

/** Every stall the ledger or a payout knows, most owed first, with its pending payouts. */
export async function payoutsOverview(db: Database): Promise<PayoutRow[]> {
  const balances = await owedToFarmers(db);
  if (balances.length === 0) return [];
  const ids = balances.map((b) => b.stallId);
  const [details, pending] = await Promise.all([
    db
      .select({
        stallId: stalls.id,
        farmerName: households.name,
        householdPhone: households.phone,
        ownerPhone: users.phone,
        communeName: communes.name,
        provinceName: provinces.name,
        bankBin: stalls.bankBin,
        bankAccountNumber: stalls.bankAccountNumber,
        bankAccountName: stalls.bankAccountName,
      })
      .from(stalls)
      .innerJoin(households, eq(households.id, stalls.householdId))
      .innerJoin(communes, eq(communes.code, households.communeCode))
      .innerJoin(provinces, eq(provinces.code, households.provinceCode))
      .leftJoin(users, eq(users.id, households.ownerUserId))
      .where(inArray(stalls.id, ids)),
    db
      .select({
        id: payouts.id,
        stallId: payouts.stallId,
        amountDong: payouts.amountDong,
        reference: payouts.reference,
        createdAt: payouts.createdAt,
      })
      .from(payouts)
      .where(and(inArray(payouts.stallId, ids), eq(payouts.status, "pending")))
      .orderBy(asc(payouts.createdAt)),
  ]);
  const byStall = new Map(details.map((d) => [d.stallId, d]));
  return balances.map((balance) => {
    const d = byStall.get(balance.stallId);
    const phone = d?.householdPhone ?? d?.ownerPhone ?? null;
    const hasBank = d?.bankBin && d.bankAccountNumber;
    return {
      ...balance,
      farmerName: d?.farmerName ?? "",
      phone: phone ? formatPhone(phone) : "",
      communeName: d?.communeName ?? "",
      provinceName: d?.provinceName ?? "",
      bank: hasBank
        ? {
            bin: d.bankBin!,
            name: findBank(d.bankBin!)?.shortName ?? d.bankBin!,
            accountNumber: d.bankAccountNumber!,
            accountName: d.bankAccountName ?? "",
          }
        : null,
      pendingPayouts: pending.filter((p) => p.stallId === balance.stallId).map(({ stallId: _stallId, ...p }) => p),
    };
  });
}

// ---------------------------------------------------------------------------
// CSV

/** The CSV's columns, in order; the route passes their headings in the reader's language. */
export const PAYOUT_CSV_COLUMNS = [
  "stall",
  "farmer",
  "phone",
  "bank",
  "account",
  "owed",
  "paidOut",
  "pending",
] as const;
export type PayoutCsvColumn = (typeof PAYOUT_CSV_COLUMNS)[number];

/**
 * The payouts table as CSV for Excel: UTF-8 with a byte order mark (without
 * it Excel reads Vietnamese as mojibake), CRLF lines, amounts as plain
 * integers of đồng. Every text cell goes through csvCell (quoting and
 * formula-injection guard).
 */
export function payoutsCsv(rows: PayoutRow[], headings: Record<PayoutCsvColumn, string>): string {
  const lines = [PAYOUT_CSV_COLUMNS.map((c) => csvCell(headings[c]))];
  for (const r of rows) {
    const account = r.bank ? `${r.bank.accountNumber} ${r.bank.accountName}`.trim() : "";
    lines.push([
      csvCell(r.stallName),
      csvCell(r.farmerName),
      csvCell(r.phone),
      csvCell(r.bank?.name ?? ""),
      csvCell(account),
      String(r.owedDong),
      String(r.paidOutDong),
      String(r.pendingPayoutDong),
    ]);
  }
  return `\uFEFF${lines.map((cells) => cells.join(",")).join("\r\n")}\r\n`;
}

/**
 * One text cell. A spreadsheet runs a cell that starts with = + - @ (or a tab
 * or carriage return before one) as a formula: such a cell gets a leading
 * apostrophe, which Excel and LibreOffice show as text (OWASP's advice).
 * Quotes are doubled and the cell quoted when it holds a comma, quote or line break.
 */
export function csvCell(value: string): string {
  let text = value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
