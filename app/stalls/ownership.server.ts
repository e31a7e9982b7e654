/**
 * Whose stall a signed-in person manages. Today that is the stall of the
 * household they own (households.owner_user_id), whatever their role: the
 * ownership row is the authority, not the role name.
 *
 * Later (officer workspace): an extension officer acting for a household of a
 * commune they are assigned to will also pass here, for that household's stall
 * only, with the household's recorded consent and an audit trail ("done by
 * officer X for household Y"). Routes will then pick the stall from the URL
 * and this module will check the assignment; keep the stall lookup here so
 * routes need not change.
 */
import { asc, eq } from "drizzle-orm";
import { redirect } from "@remix-run/node";
import { households, stalls, type Stall } from "#db/schema";
import { requireUser, type SessionUser } from "~/auth/index.server";
import { db } from "~/utils/db.server";
import type { Database } from "#db/client";

/**
 * The stall of the household this user owns, or null (no household yet, or a
 * household whose stall is not created yet). Should someone own several
 * households, the oldest stall is theirs to manage here.
 */
export async function getSellerStall(database: Database, userId: string): Promise<Stall | null> {
  const [row] = await database
    .select({ stall: stalls })
    .from(stalls)
    .innerJoin(households, eq(households.id, stalls.householdId))
    .where(eq(households.ownerUserId, userId))
    .orderBy(asc(stalls.createdAt), asc(stalls.id))
    .limit(1);
  return row?.stall ?? null;
}

/**
 * The signed-in seller and their stall, for seller routes.
 * - anonymous → redirect to /login, back here afterwards (requireUser);
 * - signed in without a stall → redirect to `noStallRedirect` when given (the
 *   onboarding wizard, once it exists), else a thrown 403 Response that the
 *   error boundary shows. Pages that want to greet such a user with "open your
 *   stall" call getSellerStall themselves instead.
 */
export async function requireSellerStall(
  request: Request,
  { noStallRedirect }: { noStallRedirect?: string } = {},
): Promise<{ user: SessionUser; stall: Stall }> {
  const user = await requireUser(request);
  const stall = await getSellerStall(db, user.id);
  if (stall) return { user, stall };
  if (noStallRedirect) throw redirect(noStallRedirect);
  throw new Response("No stall", { status: 403, statusText: "Forbidden" });
}
