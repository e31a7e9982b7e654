/**
 * The ledger (ADR 012): signed entries in integer đồng, per stall, written in
 * the same transaction as the payment, refund or payout they record. What the
 * platform owes each farmer is one query over two kinds:
 *
 *   SUM(amount_dong) WHERE kind IN ('owed_to_farmer', 'paid_out') GROUP BY stall_id
 *
 * owed_to_farmer entries are the change in what the platform owes the farmer
 * (fees.ts says how much for each way of paying); paid_out entries are
 * negative, written when an admin marks a payout paid.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { ledgerEntries, payouts, stalls, type LedgerEntryKind, type MoneyHolder, type Payout } from "#db/schema";
import { PaymentError } from "../core/errors";
import { isUuid } from "~/utils/db-errors.server";
import { rowsOf, type Database, type Tx } from "#db/client";

export interface LedgerLine {
  stallId: string;
  orderId?: string | null;
  attemptId?: string | null;
  refundId?: string | null;
  payoutId?: string | null;
  kind: LedgerEntryKind;
  amountDong: number;
  collectedBy: MoneyHolder;
}

/** Writes the lines, leaving out zero amounts (a 0 % fee writes no fee line). */
export async function postLedger(tx: Tx, lines: LedgerLine[]): Promise<void> {
  const nonZero = lines.filter((l) => l.amountDong !== 0);
  if (nonZero.length > 0) await tx.insert(ledgerEntries).values(nonZero);
}

export interface FarmerBalance {
  stallId: string;
  stallName: string;
  stallSlug: string;
  /** What the platform owes the farmer now (negative: the farmer owes the platform, e.g. fees on cash sales). */
  owedDong: number;
  /** Paid out so far. */
  paidOutDong: number;
  /** Payouts recorded but not marked paid yet. */
  pendingPayoutDong: number;
  /** What a new payout may still be: owed minus pending payouts, never below 0. */
  availableDong: number;
}

/** Every stall with ledger entries or payouts, most owed first: the admins' payouts screen (and its CSV). One query. */
export async function owedToFarmers(
  db: Database | Tx,
  { stallId }: { stallId?: string } = {},
): Promise<FarmerBalance[]> {
  if (stallId !== undefined && !isUuid(stallId)) return [];
  const onlyStall = stallId ? sql`AND s.id = ${stallId}` : sql``;
  const result = await db.execute(sql`
    SELECT s.id AS "stallId", s.name AS "stallName", s.slug AS "stallSlug",
           coalesce(l.owed, 0) AS "owedDong",
           coalesce(l.paid_out, 0) AS "paidOutDong",
           coalesce(p.pending, 0) AS "pendingPayoutDong"
    FROM stalls s
    LEFT JOIN (
      SELECT stall_id,
             sum(amount_dong) FILTER (WHERE kind IN ('owed_to_farmer', 'paid_out')) AS owed,
             -sum(amount_dong) FILTER (WHERE kind = 'paid_out') AS paid_out
      FROM ledger_entries GROUP BY stall_id
    ) l ON l.stall_id = s.id
    LEFT JOIN (
      SELECT stall_id, sum(amount_dong) AS pending FROM payouts WHERE status = 'pending' GROUP BY stall_id
    ) p ON p.stall_id = s.id
    WHERE (l.stall_id IS NOT NULL OR p.stall_id IS NOT NULL) ${onlyStall}
    ORDER BY coalesce(l.owed, 0) DESC, s.name, s.id`);
  return rowsOf(result).map((r) => {
    const owedDong = Number(r.owedDong);
    const pendingPayoutDong = Number(r.pendingPayoutDong);
    return {
      stallId: String(r.stallId),
      stallName: String(r.stallName),
      stallSlug: String(r.stallSlug),
      owedDong,
      paidOutDong: Number(r.paidOutDong),
      pendingPayoutDong,
      availableDong: Math.max(0, owedDong - pendingPayoutDong),
    };
  });
}

/**
 * An admin decides to pay a farmer (a bank transfer made outside the app):
 * a pending payout, at most what is owed and not already in a pending payout.
 * The stall is locked meanwhile, so two admins cannot both pay the same money.
 */
export async function recordPayout(
  db: Database,
  {
    stallId,
    amountDong,
    createdByUserId,
    reference = "",
  }: { stallId: string; amountDong: number; createdByUserId: string | null; reference?: string },
): Promise<Payout> {
  if (!Number.isSafeInteger(amountDong) || amountDong <= 0) throw new PaymentError("invalid_amount");
  if (!isUuid(stallId)) throw new PaymentError("not_found");
  return db.transaction(async (tx) => {
    const [stall] = await tx.select({ id: stalls.id }).from(stalls).where(eq(stalls.id, stallId)).for("update");
    if (!stall) throw new PaymentError("not_found");
    const [balance] = await owedToFarmers(tx, { stallId });
    const availableDong = balance?.availableDong ?? 0;
    if (amountDong > availableDong) throw new PaymentError("over_owed", { availableDong });
    const [payout] = await tx
      .insert(payouts)
      .values({ stallId, amountDong, createdByUserId, reference: reference.trim().slice(0, 200) })
      .returning();
    return payout;
  });
}

/**
 * The transfer went out: the payout is paid and a paid_out entry (negative)
 * lowers what is owed, in one transaction. Marking it again changes nothing.
 */
export async function markPayoutPaid(
  db: Database,
  { payoutId, paidByUserId, reference }: { payoutId: string; paidByUserId: string | null; reference?: string },
): Promise<{ payout: Payout; changed: boolean }> {
  if (!isUuid(payoutId)) throw new PaymentError("not_found");
  return db.transaction(async (tx) => {
    const [paid] = await tx
      .update(payouts)
      .set({
        status: "paid",
        paidAt: new Date(),
        paidByUserId,
        ...(reference !== undefined ? { reference: reference.trim().slice(0, 200) } : {}),
      })
      .where(and(eq(payouts.id, payoutId), eq(payouts.status, "pending")))
      .returning();
    if (!paid) {
      const [existing] = await tx.select().from(payouts).where(eq(payouts.id, payoutId));
      if (!existing) throw new PaymentError("not_found");
      return { payout: existing, changed: false };
    }
    await postLedger(tx, [
      {
        stallId: paid.stallId,
        payoutId: paid.id,
        kind: "paid_out",
        amountDong: -paid.amountDong,
        collectedBy: "platform",
      },
    ]);
    return { payout: paid, changed: true };
  });
}

/** A stall's payouts, newest first. */
export function listPayouts(db: Database, { stallId }: { stallId: string }): Promise<Payout[]> {
  if (!isUuid(stallId)) return Promise.resolve([]);
  return db.select().from(payouts).where(eq(payouts.stallId, stallId)).orderBy(desc(payouts.createdAt));
}
