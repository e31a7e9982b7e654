/**
 * Province admins manage officers (/admin/officers): create an officer's
 * account by phone number, choose the communes they cover, deactivate and
 * reactivate them. One phone is one account (ADR 026):
 *
 *  - a new number gets a users row with role "officer" and no password; the
 *    officer sets one through "prove the phone, then set a password"
 *    (/signup or /password/forgot with that number);
 *  - a buyer's number (or a farmer's that owns no household) becomes an
 *    officer, keeping its password and orders;
 *  - a farmer who owns a household, an admin or an officer already: refused.
 *
 * Deactivating ends the officer's sessions and lapses their delegations, in
 * one transaction; reactivating gives back the sign-in only — delegations stay
 * lapsed until a farmer grants them again. Nothing here knows about HTTP.
 */
import { and, asc, count, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import { communes, householdDelegations, households, officerCommunes, provinces, sessions, users } from "#db/schema";
import { isUuid } from "~/utils/db-errors.server";
import { parseVietnameseMobile } from "~/utils/phone";
import { RefusalError } from "~/utils/refusal";
import { oneLine } from "~/utils/text";
import type { Database, Tx } from "#db/client";

/** More communes than any officer covers; guards the form against a pasted list. */
export const MAX_COMMUNES_PER_OFFICER = 200;
const COMMUNE_CODE = /^\d{1,10}$/;

type Code = "invalid_input" | "not_found" | "conflict";

/**
 * An admin's request about officers refused, nothing changed. Fields and the
 * message are keys in the admin namespace (`officers.errors.*`).
 */
export class OfficerAdminError extends RefusalError<Code> {
  override name = "OfficerAdminError";
  readonly namespace = "admin";

  constructor(code: Code, fields: Record<string, string> = {}) {
    super(code, { fields });
  }

  get messageKey(): string {
    if (this.fields.form) return this.fields.form;
    return this.code === "not_found" ? "officers.errors.notFound" : "officers.errors.invalid";
  }

  override get concernsForm(): boolean {
    return "form" in this.fields || this.code !== "invalid_input";
  }
}

// ---------------------------------------------------------------- input

/** The phone in E.164, or the field's error key. */
function phoneOf(input: string): string {
  if (!input.trim()) throw new OfficerAdminError("invalid_input", { phone: "officers.errors.phone.empty" });
  const parsed = parseVietnameseMobile(input);
  if (!parsed.ok) throw new OfficerAdminError("invalid_input", { phone: `officers.errors.phone.${parsed.problem}` });
  return parsed.e164;
}

function nameOf(input: string): string {
  const name = oneLine(input);
  const problem =
    name.length === 0
      ? "required"
      : name.length < 2
        ? "tooShort"
        : name.length > 100
          ? "tooLong"
          : /\p{L}/u.test(name)
            ? null
            : "invalid";
  if (problem) throw new OfficerAdminError("invalid_input", { fullName: `officers.errors.fullName.${problem}` });
  return name;
}

/** The distinct commune codes, each in the communes table; at least one. */
async function communeCodesOf(db: Database | Tx, input: readonly string[]): Promise<string[]> {
  const codes = [...new Set(input.map((c) => c.trim()).filter(Boolean))];
  const refuse = (key: string) =>
    new OfficerAdminError("invalid_input", { communeCodes: `officers.errors.communes.${key}` });
  if (codes.length === 0) throw refuse("required");
  if (codes.length > MAX_COMMUNES_PER_OFFICER) throw refuse("tooMany");
  if (!codes.every((c) => COMMUNE_CODE.test(c))) throw refuse("unknown");
  const known = await db.select({ code: communes.code }).from(communes).where(inArray(communes.code, codes));
  if (known.length !== codes.length) throw refuse("unknown");
  return codes.sort();
}

// ---------------------------------------------------------------- create

export interface CreateOfficerInput {
  /** As typed: "0903 000 301", "+84903000301"… */
  phone: string;
  fullName: string;
  communeCodes: readonly string[];
  adminUserId: string;
}

export interface CreatedOfficer {
  officerId: string;
  /** "created": a new account without a password; "promoted": a buyer's account, its password kept. */
  outcome: "created" | "promoted";
  /** Whether the officer must still set a password (/signup or /password/forgot with the number). */
  needsPassword: boolean;
}

/** The officer's account for the number, covering the communes (ADR 026). Refusals change nothing. */
export async function createOfficer(db: Database, input: CreateOfficerInput): Promise<CreatedOfficer> {
  const phone = phoneOf(input.phone);
  const fullName = nameOf(input.fullName);
  const codes = await communeCodesOf(db, input.communeCodes);

  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: users.id, role: users.role, hasPassword: sql<boolean>`${users.passwordHash} IS NOT NULL` })
      .from(users)
      .where(eq(users.phone, phone))
      .for("update");

    let created: CreatedOfficer;
    if (!existing) {
      const [row] = await tx
        .insert(users)
        .values({ phone, fullName, role: "officer", passwordHash: null })
        .onConflictDoNothing({ target: users.phone })
        .returning({ id: users.id });
      // Someone signed up with the number this very moment: the admin tries again and sees what it is now.
      if (!row) throw new OfficerAdminError("conflict", { form: "officers.errors.phone.changed" });
      created = { officerId: row.id, outcome: "created", needsPassword: true };
    } else {
      if (existing.role === "officer") {
        throw new OfficerAdminError("invalid_input", { phone: "officers.errors.phone.alreadyOfficer" });
      }
      if (existing.role === "admin")
        throw new OfficerAdminError("invalid_input", { phone: "officers.errors.phone.admin" });
      // An officer acting for their own household would audit themselves.
      const [owned] = await tx.select({ n: count() }).from(households).where(eq(households.ownerUserId, existing.id));
      if (owned.n > 0) throw new OfficerAdminError("invalid_input", { phone: "officers.errors.phone.farmer" });
      await tx.update(users).set({ role: "officer", fullName }).where(eq(users.id, existing.id));
      created = { officerId: existing.id, outcome: "promoted", needsPassword: !existing.hasPassword };
    }
    await tx
      .insert(officerCommunes)
      .values(
        codes.map((communeCode) => ({
          officerUserId: created.officerId,
          communeCode,
          assignedByUserId: input.adminUserId,
        })),
      )
      .onConflictDoNothing();
    return created;
  });
}

// ---------------------------------------------------------------- communes

/** The officer's row, locked, or not_found (a malformed id, another role's id). */
async function lockOfficer(tx: Tx, officerId: string) {
  if (!isUuid(officerId)) throw new OfficerAdminError("not_found");
  const [row] = await tx
    .select({ id: users.id, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(and(eq(users.id, officerId), eq(users.role, "officer")))
    .for("update");
  if (!row) throw new OfficerAdminError("not_found");
  return row;
}

/**
 * The communes the officer covers become exactly these (at least one). The
 * ones kept keep when and by whom they were first assigned.
 */
export async function assignCommunes(
  db: Database,
  officerId: string,
  communeCodes: readonly string[],
  adminUserId: string,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    await lockOfficer(tx, officerId);
    const codes = await communeCodesOf(tx, communeCodes);
    await tx
      .delete(officerCommunes)
      .where(and(eq(officerCommunes.officerUserId, officerId), notInArray(officerCommunes.communeCode, codes)));
    await tx
      .insert(officerCommunes)
      .values(codes.map((communeCode) => ({ officerUserId: officerId, communeCode, assignedByUserId: adminUserId })))
      .onConflictDoNothing();
    return codes;
  });
}

// ---------------------------------------------------------------- deactivate, reactivate

/**
 * The officer can no longer sign in: their sessions end and every delegation
 * they hold lapses, at once. Their communes stay assigned (for a
 * reactivation). Deactivating twice changes nothing more.
 */
export async function deactivateOfficer(db: Database, officerId: string): Promise<{ lapsed: number }> {
  return db.transaction(async (tx) => {
    const officer = await lockOfficer(tx, officerId);
    if (!officer.deactivatedAt)
      await tx
        .update(users)
        .set({ deactivatedAt: sql`now()` })
        .where(eq(users.id, officerId));
    // The sessions table belongs to app/auth; ending them here keeps it one transaction with the rest.
    // (session.server's loadUser refuses a deactivated account anyway.)
    await tx.delete(sessions).where(eq(sessions.userId, officerId));
    const lapsed = await tx
      .update(householdDelegations)
      .set({ lapsedAt: sql`now()` })
      .where(and(eq(householdDelegations.officerUserId, officerId), isNull(householdDelegations.lapsedAt)))
      .returning({ householdId: householdDelegations.householdId });
    return { lapsed: lapsed.length };
  });
}

/** The officer may sign in again. Their delegations stay lapsed: only a farmer grants one again. */
export async function reactivateOfficer(db: Database, officerId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await lockOfficer(tx, officerId);
    await tx.update(users).set({ deactivatedAt: null }).where(eq(users.id, officerId));
  });
}

// ---------------------------------------------------------------- reading

export interface OfficerCommuneSummary {
  code: string;
  fullName: string;
  provinceCode: string;
}

export interface OfficerSummary {
  id: string;
  fullName: string;
  /** E.164. */
  phone: string;
  deactivatedAt: Date | null;
  /** False until the officer set a password (on /signup or /password/forgot). */
  hasPassword: boolean;
  createdAt: Date;
  communes: OfficerCommuneSummary[];
  /** Households whose record the officer created (households.created_by_user_id). */
  householdsOnboarded: number;
  /** Delegations the officer holds now (not lapsed, access other than none). */
  activeDelegations: number;
}

async function communesOf(db: Database, officerIds: string[]): Promise<Map<string, OfficerCommuneSummary[]>> {
  const byOfficer = new Map<string, OfficerCommuneSummary[]>(officerIds.map((id) => [id, []]));
  if (officerIds.length === 0) return byOfficer;
  const rows = await db
    .select({
      officerId: officerCommunes.officerUserId,
      code: communes.code,
      fullName: communes.fullName,
      provinceCode: communes.provinceCode,
    })
    .from(officerCommunes)
    .innerJoin(communes, eq(communes.code, officerCommunes.communeCode))
    .where(inArray(officerCommunes.officerUserId, officerIds))
    .orderBy(asc(communes.name), asc(communes.code));
  for (const { officerId, ...commune } of rows) byOfficer.get(officerId)?.push(commune);
  return byOfficer;
}

const summaryColumns = {
  id: users.id,
  fullName: users.fullName,
  phone: users.phone,
  deactivatedAt: users.deactivatedAt,
  hasPassword: sql<boolean>`${users.passwordHash} IS NOT NULL`,
  createdAt: users.createdAt,
  // Written out in full: drizzle leaves a column unqualified in a select's fields, and a bare "id"
  // inside the subquery would be the household's.
  householdsOnboarded:
    sql<number>`(SELECT count(*) FROM households h WHERE h.created_by_user_id = "users"."id")`.mapWith(Number),
  activeDelegations: sql<number>`(SELECT count(*) FROM household_delegations d
    WHERE d.officer_user_id = "users"."id" AND d.lapsed_at IS NULL AND d.access <> 'none')`.mapWith(Number),
};

/** Every officer: active ones first, then by name; with their communes and households onboarded. */
export async function listOfficers(db: Database): Promise<OfficerSummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(users)
    .where(eq(users.role, "officer"))
    .orderBy(sql`${users.deactivatedAt} IS NOT NULL`, asc(users.fullName), asc(users.id));
  const byOfficer = await communesOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ ...r, communes: byOfficer.get(r.id) ?? [] }));
}

/** One officer, or null for a malformed id, an unknown one or another role's. */
export async function getOfficer(db: Database, officerId: string): Promise<OfficerSummary | null> {
  if (!isUuid(officerId)) return null;
  const [row] = await db
    .select(summaryColumns)
    .from(users)
    .where(and(eq(users.id, officerId), eq(users.role, "officer")));
  if (!row) return null;
  const byOfficer = await communesOf(db, [row.id]);
  return { ...row, communes: byOfficer.get(row.id) ?? [] };
}

/** The province whose communes an admin page lists: the one asked for if it exists, else `fallback`, else the busiest. */
export async function provinceToShow(db: Database, asked: string | null, fallback?: string | null): Promise<string> {
  if (asked && COMMUNE_CODE.test(asked)) {
    const [known] = await db.select({ code: provinces.code }).from(provinces).where(eq(provinces.code, asked));
    if (known) return known.code;
  }
  return fallback ?? (await busiestProvinceCode(db)) ?? "";
}

/**
 * The province the officer pages open on: the one with the most households
 * (the province this deployment serves), else the first by code.
 */
export async function busiestProvinceCode(db: Database): Promise<string | null> {
  const [busiest] = await db
    .select({ code: households.provinceCode, n: count() })
    .from(households)
    .groupBy(households.provinceCode)
    .orderBy(sql`count(*) DESC`, asc(households.provinceCode))
    .limit(1);
  if (busiest) return busiest.code;
  const [first] = await db
    .select({ code: communes.provinceCode })
    .from(communes)
    .orderBy(asc(communes.provinceCode))
    .limit(1);
  return first?.code ?? null;
}
