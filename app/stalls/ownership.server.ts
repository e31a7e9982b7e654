/**
 * Which household and stall a signed-in person may act for: the one rule
 * every seller page and the onboarding wizard go through. Today that is the
 * household they own (households.owner_user_id; their oldest, should they own
 * several) and its stall, whatever their role: the ownership row is the
 * authority, not the role name.
 *
 * Later (officer workspace): an extension officer acting for a household of a
 * commune they are assigned to will also pass here, for that household only,
 * with the household's recorded consent and an audit trail ("done by officer
 * X for household Y"). Routes will then say which household from the URL and
 * this module will check the assignment; routes keep calling the same guards.
 */
import { asc, eq } from "drizzle-orm";
import { redirect } from "@remix-run/node";
import { households, stalls, type Household, type Stall } from "#db/schema";
import { requireUser, type SessionUser } from "~/auth/index.server";
import { db } from "~/utils/db.server";
import type { Database } from "#db/client";

/** The household a person may act for and its stall; either is null until the wizard has made it. */
export interface ActingFor {
  household: Household | null;
  stall: Stall | null;
}

/** The household this user may act for (today: their own, the oldest) and its stall (its oldest). */
export async function findActingFor(database: Database, userId: string): Promise<ActingFor> {
  const [household] = await database
    .select()
    .from(households)
    .where(eq(households.ownerUserId, userId))
    .orderBy(asc(households.createdAt), asc(households.id))
    .limit(1);
  if (!household) return { household: null, stall: null };
  const [stall] = await database
    .select()
    .from(stalls)
    .where(eq(stalls.householdId, household.id))
    .orderBy(asc(stalls.createdAt), asc(stalls.id))
    .limit(1);
  return { household, stall: stall ?? null };
}

/** The stall this user may act for, or null (no household yet, or its stall not created yet). */
export async function getSellerStall(database: Database, userId: string): Promise<Stall | null> {
  return (await findActingFor(database, userId)).stall;
}

/**
 * The signed-in person and the household and stall they may act for, for
 * the wizard's first steps (which make them). Anonymous → /login and back.
 */
export async function requireActingHousehold(request: Request): Promise<{ user: SessionUser } & ActingFor> {
  const user = await requireUser(request);
  return { user, ...(await findActingFor(db, user.id)) };
}

/**
 * The signed-in person and the household and stall they may act for, for
 * seller pages.
 * - anonymous → redirect to /login, back here afterwards (requireUser);
 * - signed in without a stall → redirect to `noStallRedirect` when given (the
 *   onboarding wizard), else a thrown 403 Response that the error boundary
 *   shows.
 */
export async function requireActingStall(
  request: Request,
  { noStallRedirect }: { noStallRedirect?: string } = {},
): Promise<{ user: SessionUser; household: Household; stall: Stall }> {
  const { user, household, stall } = await requireActingHousehold(request);
  if (household && stall) return { user, household, stall };
  if (noStallRedirect) throw redirect(noStallRedirect);
  throw new Response("No stall", { status: 403, statusText: "Forbidden" });
}
