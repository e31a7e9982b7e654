/**
 * Hand-over (issue 16 item 4): a household an officer registered becomes the
 * farmer's own when the farmer proves the phone and sets a password on their
 * own phone (the ordinary sign-up or forgotten-password flow: the officer never
 * sees nor sets it). From then on the farmer decides what the officers who
 * hold a delegation keep: "edit" (listings and orders; proposed by default),
 * "view", or "none", and changes it from the dashboard at any time.
 *
 * Every change of a delegation is written to the audit trail too (entity
 * household_delegations, the farmer as actor), so admins see who narrowed or
 * revoked what, and when.
 *
 * A lapsed delegation (the officer was deactivated, ADR 026) stays lapsed
 * until the farmer sets a level again while the officer is active: only the
 * farmer grants it back. Nothing here knows about HTTP.
 */
import { and, asc, eq, isNotNull, isNull, ne } from "drizzle-orm";
import { householdDelegations, households, users, type OfficerAccess } from "#db/schema";
import { OFFICER_ACCESS_LEVELS } from "#db/vocabulary";
import type { Database, Tx } from "#db/client";
import { isUuid } from "~/utils/db-errors.server";
import { RefusalError } from "~/utils/refusal";
import { recordChanges, type AuditActor, type AuditChange } from "./audit.server";

/** Where the farmer lands once the password is set: what the officers keep. */
export const HANDOVER_PATH = "/seller/handover";

type HandoverCode = "invalid_access" | "not_found";

export class HandoverError extends RefusalError<HandoverCode> {
  override name = "HandoverError";
  readonly namespace = "acting";
  get messageKey(): string {
    return `access.errors.${this.code}`;
  }
}

/** "edit" | "view" | "none" from a form field, or a refusal nothing changes on. */
export function parseAccess(value: unknown): OfficerAccess {
  if (typeof value === "string" && (OFFICER_ACCESS_LEVELS as readonly string[]).includes(value)) {
    return value as OfficerAccess;
  }
  throw new HandoverError("invalid_access");
}

/**
 * Marks as handed over the households this account owns that someone else
 * (an officer) registered and that were not handed over yet; returns the
 * first one's id, or null when there was nothing to hand over. Called right
 * after the account's password was set on the farmer's phone.
 */
export async function handOverIfDue(db: Database | Tx, ownerUserId: string): Promise<string | null> {
  const rows = await db
    .update(households)
    .set({ handedOverAt: new Date() })
    .where(
      and(
        eq(households.ownerUserId, ownerUserId),
        isNotNull(households.createdByUserId),
        ne(households.createdByUserId, ownerUserId),
        isNull(households.handedOverAt),
      ),
    )
    .returning({ id: households.id });
  return rows[0]?.id ?? null;
}

export interface HouseholdOfficer {
  officerUserId: string;
  name: string;
  access: OfficerAccess;
  lapsed: boolean;
  /** The officer's account was deactivated: no level can be given back until an admin reactivates it. */
  deactivated: boolean;
  grantedAt: Date;
}

/** The officers holding a delegation for the household, active ones first, then by when granted. */
export async function householdOfficers(db: Database | Tx, householdId: string): Promise<HouseholdOfficer[]> {
  if (!isUuid(householdId)) return [];
  const rows = await db
    .select({
      officerUserId: householdDelegations.officerUserId,
      name: users.fullName,
      access: householdDelegations.access,
      lapsedAt: householdDelegations.lapsedAt,
      deactivatedAt: users.deactivatedAt,
      grantedAt: householdDelegations.grantedAt,
    })
    .from(householdDelegations)
    .innerJoin(users, eq(users.id, householdDelegations.officerUserId))
    .where(eq(householdDelegations.householdId, householdId))
    .orderBy(asc(householdDelegations.grantedAt), asc(users.fullName));
  return rows
    .map((r) => ({
      officerUserId: r.officerUserId,
      name: r.name,
      access: r.access,
      lapsed: r.lapsedAt !== null,
      deactivated: r.deactivatedAt !== null,
      grantedAt: r.grantedAt,
    }))
    .sort((a, b) => Number(a.lapsed) - Number(b.lapsed));
}

/**
 * The farmer's choice for the officers of their household: one officer
 * (`officerUserId`), or every officer whose delegation has not lapsed (the
 * hand-over page). Setting a level on a lapsed delegation grants it again,
 * if the officer is active. Recorded in the audit trail; returns how many
 * delegations changed. An unknown officer is refused (not_found), nothing changed.
 */
export async function setOfficerAccess(
  db: Database,
  {
    householdId,
    access,
    officerUserId,
    farmer,
  }: { householdId: string; access: OfficerAccess; officerUserId?: string; farmer: AuditActor },
): Promise<number> {
  if (officerUserId !== undefined && !isUuid(officerUserId)) throw new HandoverError("not_found");
  return db.transaction(async (tx) => {
    const current = (await householdOfficers(tx, householdId)).filter((o) =>
      officerUserId === undefined ? !o.lapsed : o.officerUserId === officerUserId,
    );
    if (officerUserId !== undefined && current.length === 0) throw new HandoverError("not_found");
    const changes: AuditChange[] = [];
    for (const officer of current) {
      // A deactivated officer's lapsed delegation is not granted back (ADR 026).
      if (officer.lapsed && officer.deactivated) continue;
      const regrant = officer.lapsed;
      if (!regrant && officer.access === access) continue;
      await tx
        .update(householdDelegations)
        .set({ access, ...(regrant ? { lapsedAt: null, grantedAt: new Date() } : {}) })
        .where(
          and(
            eq(householdDelegations.householdId, householdId),
            eq(householdDelegations.officerUserId, officer.officerUserId),
          ),
        );
      changes.push({
        entity: "household_delegations",
        entityId: officer.officerUserId,
        label: officer.name,
        action: "update",
        before: { access: officer.access, ...(regrant ? { lapsed: true } : {}) },
        after: { access, ...(regrant ? { lapsed: false } : {}) },
      });
    }
    await recordChanges(tx, { actor: farmer, householdId, changes });
    return changes.length;
  });
}
