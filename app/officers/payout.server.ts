/**
 * Where a farmer's money goes is theirs to say (ADR 029). An officer acting
 * for a household may change the VietQR account only with a code sent to the
 * farmer's phone and read back; the code's purpose names the new account, so
 * it agrees to that account and no other. Stripe's payout details are typed
 * at Stripe by the farmer alone: officers cannot start that onboarding.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { users, type Household, type Stall } from "#db/schema";
import { requestAgreementCode, verifyAgreementCode, type AgreementPurpose } from "~/auth/index.server";
import { findBank, type PayoutAccount } from "~/payments";
import type { Database } from "#db/client";

type NewAccount = PayoutAccount;

const purposeFor = (stall: Stall, account: NewAccount): AgreementPurpose =>
  `payout:${createHash("sha256")
    .update([stall.id, account.bankBin, account.accountNumber, account.accountName].join("\u0000"))
    .digest("hex")
    .slice(0, 32)}`;

/** The farmer's phone: their account's (what they sign in with), else the household's. */
async function farmerPhone(db: Database, household: Household): Promise<string | null> {
  if (household.ownerUserId) {
    const [owner] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, household.ownerUserId));
    if (owner) return owner.phone;
  }
  return household.phone;
}

/** "•••678": enough for the officer to say which phone, no more. */
const lastDigits = (phone: string) => `•••${phone.slice(-3)}`;

/** Texts the farmer a code for the new account; what the officer's page says (which phone), or why not. */
export async function askFarmerForPayoutChange(
  db: Database,
  {
    household,
    stall,
    account,
    officerName,
    ip,
    sms,
  }: {
    household: Household;
    stall: Stall;
    account: NewAccount;
    officerName: string;
    ip: string;
    /** acting.json's `sms` texts in Vietnamese (the farmer reads it). */
    sms: (key: string, values: Record<string, unknown>) => string;
  },
) {
  const phone = await farmerPhone(db, household);
  if (!phone) return { ok: false as const, noPhone: true as const };
  const bank = findBank(account.bankBin)?.shortName ?? account.bankBin;
  const sent = await requestAgreementCode(purposeFor(stall, account), {
    phone,
    ip,
    text: (code, minutes) =>
      sms("sms.payoutCode", {
        code,
        minutes,
        officer: officerName,
        bank,
        account: `•••${account.accountNumber.slice(-4)}`,
      }),
  });
  return sent.ok ? { ok: true as const, sentTo: lastDigits(phone) } : { ...sent, sentTo: lastDigits(phone) };
}

/** Whether the farmer's code agrees to exactly this account (spent when right). */
export async function farmerAgreedToPayout(
  db: Database,
  {
    household,
    stall,
    account,
    code,
    ip,
  }: { household: Household; stall: Stall; account: NewAccount; code: string; ip: string },
) {
  const phone = await farmerPhone(db, household);
  if (!phone) return { ok: false as const, reason: "expired" as const };
  return verifyAgreementCode(purposeFor(stall, account), { phone, code, ip });
}
