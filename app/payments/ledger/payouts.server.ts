/**
 * The admins' payouts screen and its CSV: what the platform owes each farmer
 * (owedToFarmers, the one ledger query), with what an admin needs to pay
 * them: the household, its commune and phone, and the bank account the farmer
 * gave for VietQR. Bank details are the farmer's: only admins see them here.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import { communes, households, payouts, provinces, stalls, users } from "#db/schema";
import { findBank } from "../vietqr/banks";
import { owedToFarmers, type FarmerBalance } from "./ledger.server";
import { csvForPeople } from "~/utils/csv.server";
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
 * The payouts table as a CSV for an admin to open in Excel (a file for
 * people, ADR 017): amounts are whole đồng that Excel sums; names, phones
 * and accounts are text that it shows and never runs.
 */
export function payoutsCsv(rows: PayoutRow[], headings: Record<PayoutCsvColumn, string>): string {
  return csvForPeople(
    PAYOUT_CSV_COLUMNS.map((c) => headings[c]),
    rows.map((r) => [
      r.stallName,
      r.farmerName,
      r.phone,
      r.bank?.name ?? "",
      r.bank ? `${r.bank.accountNumber} ${r.bank.accountName}`.trim() : "",
      r.owedDong,
      r.paidOutDong,
      r.pendingPayoutDong,
    ]),
  );
}
