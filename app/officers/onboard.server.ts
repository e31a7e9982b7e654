/**
 * Assisted onboarding with consent (ADR 029). An officer registers a
 * household on its behalf: name, commune (one they cover), address, and the
 * phone that becomes the farmer's account. The household agrees by reading
 * back a code sent to that phone, after the officer has shown it the consent
 * statement; that code is the record of consent (household_consents: when,
 * which officer, which wording). Then, in one transaction: the account (no
 * password: the farmer sets one on their own phone at hand-over), the
 * household (onboarding resumes at the stall step), the consent, the
 * officer's "edit" delegation, and the roster entry it came from, if any.
 *
 * One phone is one account (ADR 026): a number with a buyer account becomes
 * that account's household; a number whose account already has a household,
 * or belongs to an officer or admin, is refused.
 */
import { and, eq, inArray } from "drizzle-orm";
import {
  communes,
  householdConsents,
  householdDelegations,
  households,
  officerCommunes,
  rosterEntries,
  users,
} from "#db/schema";
import { isUniqueViolation, isUuid } from "~/utils/db-errors.server";
import { RefusalError } from "~/utils/refusal";
import type { Database, Tx } from "#db/client";
import { CONSENT_STATEMENT_VERSION } from "./consent";
import type { OnboardInput } from "./schemas";
import { recordChanges, snapshotHousehold, diffSnapshots, type AuditActor } from "./audit.server";

type OnboardCode = "phone_has_stall" | "phone_is_staff" | "commune_not_yours" | "roster_not_found";

export class OnboardError extends RefusalError<OnboardCode> {
  override name = "OnboardError";
  readonly namespace = "acting";
  constructor(code: OnboardCode) {
    super(code, {
      fields:
        code === "commune_not_yours" ? { communeCode: `onboard.errors.${code}` } : { phone: `onboard.errors.${code}` },
    });
  }
  get messageKey(): string {
    return `onboard.errors.${this.code}`;
  }
  override get concernsForm(): boolean {
    return false;
  }
}

/** Whether the number may become this household's account: refused if it already runs a stall or is staff. */
async function accountFor(db: Database | Tx, phone: string): Promise<{ id: string } | null> {
  const [account] = await db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(eq(users.phone, phone))
    .limit(1);
  if (!account) return null;
  if (account.role === "officer" || account.role === "admin") throw new OnboardError("phone_is_staff");
  const [owned] = await db
    .select({ id: households.id })
    .from(households)
    .where(eq(households.ownerUserId, account.id))
    .limit(1);
  if (owned) throw new OnboardError("phone_has_stall");
  return account;
}

/** The commune's province, when the officer covers it; else refused. */
async function coveredCommune(db: Database | Tx, officerUserId: string, communeCode: string) {
  const [row] = await db
    .select({ provinceCode: communes.provinceCode })
    .from(officerCommunes)
    .innerJoin(communes, eq(communes.code, officerCommunes.communeCode))
    .where(and(eq(officerCommunes.officerUserId, officerUserId), eq(officerCommunes.communeCode, communeCode)))
    .limit(1);
  if (!row) throw new OnboardError("commune_not_yours");
  return row.provinceCode;
}

/** Checks the form against the database before a code is sent: nothing is written. */
export async function checkOnboarding(db: Database, officerUserId: string, input: OnboardInput): Promise<void> {
  await coveredCommune(db, officerUserId, input.communeCode);
  await accountFor(db, input.phone);
}

/** A roster entry of one of the officer's communes, not yet registered, to prefill the form. */
export async function rosterEntryToOnboard(db: Database, officerUserId: string, rosterEntryId: string) {
  if (!isUuid(rosterEntryId)) return null;
  const [row] = await db
    .select({
      id: rosterEntries.id,
      fullName: rosterEntries.fullName,
      phone: rosterEntries.phone,
      communeCode: rosterEntries.communeCode,
      hamlet: rosterEntries.hamlet,
      householdId: rosterEntries.householdId,
    })
    .from(rosterEntries)
    .innerJoin(
      officerCommunes,
      and(eq(officerCommunes.communeCode, rosterEntries.communeCode), eq(officerCommunes.officerUserId, officerUserId)),
    )
    .where(eq(rosterEntries.id, rosterEntryId))
    .limit(1);
  return row && !row.householdId ? row : null;
}

/**
 * Registers the household once its code was read back (the caller verified
 * it): the account, the household, the consent, the delegation, the roster
 * link, and the trail's first entries. Returns the household's id.
 */
export async function onboardHousehold(
  db: Database,
  { officer, input }: { officer: AuditActor; input: OnboardInput },
): Promise<string> {
  try {
    return await db.transaction(async (tx) => {
      const provinceCode = await coveredCommune(tx, officer.userId, input.communeCode);
      const existing = await accountFor(tx, input.phone);
      let ownerUserId: string;
      if (existing) {
        // A buyer who now sells: the same account, proved again by the code just read back.
        await tx.update(users).set({ role: "farmer", phoneConfirmedAt: new Date() }).where(eq(users.id, existing.id));
        ownerUserId = existing.id;
      } else {
        const [created] = await tx
          .insert(users)
          .values({ phone: input.phone, fullName: input.fullName, role: "farmer", phoneConfirmedAt: new Date() })
          .returning({ id: users.id });
        ownerUserId = created.id;
      }
      const [household] = await tx
        .insert(households)
        .values({
          kind: input.kind,
          name: input.fullName,
          ownerUserId,
          createdByUserId: officer.userId,
          phone: input.phone,
          provinceCode,
          communeCode: input.communeCode,
          addressLine: input.addressLine,
          onboardingStep: "stall",
        })
        .returning({ id: households.id });
      await tx.insert(householdConsents).values({
        householdId: household.id,
        officerUserId: officer.userId,
        phone: input.phone,
        statementVersion: CONSENT_STATEMENT_VERSION,
      });
      await tx.insert(householdDelegations).values({
        householdId: household.id,
        officerUserId: officer.userId,
        access: "edit",
      });
      await tx
        .update(rosterEntries)
        .set({ householdId: household.id })
        .where(inArray(rosterEntries.phone, [input.phone]));
      await recordChanges(tx, {
        actor: officer,
        householdId: household.id,
        changes: diffSnapshots([], await snapshotHousehold(tx, household.id)),
      });
      return household.id;
    });
  } catch (error) {
    // Two officers registering one number at once: the second finds it taken.
    if (isUniqueViolation(error, "users_phone_idx")) throw new OnboardError("phone_has_stall");
    throw error;
  }
}
