/**
 * Which household and stall a signed-in person may act for: the one rule
 * every seller page and the onboarding wizard go through.
 *
 * - At /seller and /setup: the household they own (households.owner_user_id;
 *   their oldest, should they own several) and its stall, whatever their
 *   role: the ownership row is the authority, not the role name.
 * - At /officer/h/:householdId/… (the same route modules, mounted again by
 *   remix.config.js): an active extension officer, for that household only,
 *   when it lies in a commune they cover and they hold a delegation for it
 *   that has not lapsed (granted with the household's consent, narrowed or
 *   revoked by the farmer; ADR 029). "view" lets them read, not change:
 *   a state change answers 403. Anything else answers 404, as an unknown
 *   household does.
 *
 * Routes keep calling the same guards; links and redirects go through
 * `actingPath` (app/officers) so an officer stays under the household's URL.
 */
import { and, asc, eq, isNull, ne } from "drizzle-orm";
import { redirect } from "@remix-run/node";
import {
  householdDelegations,
  households,
  officerCommunes,
  stalls,
  users,
  type Household,
  type OfficerAccess,
  type Stall,
} from "#db/schema";
import { requireUser, type SessionUser } from "~/auth/index.server";
import { actingHouseholdIdOf, actingPath } from "~/utils/acting-paths";
import { isUuid } from "~/utils/db-errors.server";
import { db } from "~/utils/db.server";
import type { Database } from "#db/client";

/** The household a person may act for and its stall; either is null until the wizard has made it. */
export interface ActingFor {
  household: Household | null;
  stall: Stall | null;
}

/** Who is acting, as orders and the audit trail record it. */
export interface Actor {
  role: "farmer" | "officer";
  userId: string;
}

/** What the guards give a route: the person, the household and stall, who acts, how far, and where its links go. */
export interface Acting extends ActingFor {
  user: SessionUser;
  actor: Actor;
  /** "edit" for the owner; the delegation's level for an officer. */
  access: Exclude<OfficerAccess, "none">;
  /** The household id in the URL when an officer acts for it, else null (`actingPath(acting.householdIdInUrl, …)`). */
  householdIdInUrl: string | null;
  /** A seller or wizard path as this person reaches it (`/seller/orders` or `/officer/h/<id>/seller/orders`). */
  path: (path: string) => string;
}

const notFound = () => new Response("Not found", { status: 404, statusText: "Not Found" });

async function stallOf(database: Database, household: Household): Promise<Stall | null> {
  const [stall] = await database
    .select()
    .from(stalls)
    .where(eq(stalls.householdId, household.id))
    .orderBy(asc(stalls.createdAt), asc(stalls.id))
    .limit(1);
  return stall ?? null;
}

/** The household this user may act for as its owner (the oldest) and its stall (its oldest). */
export async function findActingFor(database: Database, userId: string): Promise<ActingFor> {
  const [household] = await database
    .select()
    .from(households)
    .where(eq(households.ownerUserId, userId))
    .orderBy(asc(households.createdAt), asc(households.id))
    .limit(1);
  if (!household) return { household: null, stall: null };
  return { household, stall: await stallOf(database, household) };
}

/**
 * The household an officer may act for, with their level, or null: the
 * officer active, the household in one of their communes, a delegation held
 * and not lapsed, not revoked ("none").
 */
export async function findOfficerActingFor(
  database: Database,
  officerUserId: string,
  householdId: string,
): Promise<(ActingFor & { household: Household; access: Exclude<OfficerAccess, "none"> }) | null> {
  if (!isUuid(householdId)) return null;
  const [row] = await database
    .select({ household: households, access: householdDelegations.access })
    .from(households)
    .innerJoin(
      householdDelegations,
      and(
        eq(householdDelegations.householdId, households.id),
        eq(householdDelegations.officerUserId, officerUserId),
        isNull(householdDelegations.lapsedAt),
        ne(householdDelegations.access, "none"),
      ),
    )
    .innerJoin(
      officerCommunes,
      and(eq(officerCommunes.officerUserId, officerUserId), eq(officerCommunes.communeCode, households.communeCode)),
    )
    .innerJoin(users, and(eq(users.id, officerUserId), eq(users.role, "officer"), isNull(users.deactivatedAt)))
    .where(eq(households.id, householdId))
    .limit(1);
  if (!row) return null;
  const access = row.access as Exclude<OfficerAccess, "none">;
  return { household: row.household, stall: await stallOf(database, row.household), access };
}

/** The stall this user may act for as its owner, or null (no household yet, or its stall not created yet). */
export async function getSellerStall(database: Database, userId: string): Promise<Stall | null> {
  return (await findActingFor(database, userId)).stall;
}

const READS = new Set(["GET", "HEAD"]);

/**
 * The signed-in person and the household and stall they may act for, for
 * the wizard's first steps (which make them). Anonymous → /login and back.
 * Under /officer/h/:householdId: the officer's delegation, or 404; a state
 * change with "view" only → 403.
 */
export async function requireActingHousehold(request: Request): Promise<Acting> {
  const user = await requireUser(request);
  const householdIdInUrl = actingHouseholdIdOf(new URL(request.url).pathname);
  const path = (p: string) => actingPath(householdIdInUrl, p);
  if (householdIdInUrl === null) {
    return {
      user,
      ...(await findActingFor(db, user.id)),
      actor: { role: "farmer", userId: user.id },
      access: "edit",
      householdIdInUrl,
      path,
    };
  }
  if (user.role !== "officer") throw notFound();
  const found = await findOfficerActingFor(db, user.id, householdIdInUrl);
  if (!found) throw notFound();
  if (found.access === "view" && !READS.has(request.method)) {
    throw new Response("View only", { status: 403, statusText: "Forbidden" });
  }
  return { user, ...found, actor: { role: "officer", userId: user.id }, householdIdInUrl, path };
}

/**
 * The signed-in person and the household and stall they may act for, for
 * seller pages.
 * - anonymous → redirect to /login, back here afterwards (requireUser);
 * - signed in without a stall → redirect to `noStallRedirect` when given (the
 *   onboarding wizard, under the officer's prefix when acting), else a thrown
 *   403 Response that the error boundary shows.
 */
export async function requireActingStall(
  request: Request,
  { noStallRedirect }: { noStallRedirect?: string } = {},
): Promise<Acting & { household: Household; stall: Stall }> {
  const acting = await requireActingHousehold(request);
  const { household, stall } = acting;
  if (household && stall) return { ...acting, household, stall };
  if (noStallRedirect) throw redirect(acting.path(noStallRedirect));
  throw new Response("No stall", { status: 403, statusText: "Forbidden" });
}
