/**
 * Who is an officer, and which communes they cover. An officer an admin
 * deactivated is no officer: their sessions were ended and they cannot sign
 * in (ADR 026), so `requireOfficer` only has to check the role.
 */
import { asc, eq } from "drizzle-orm";
import { officerCommunes } from "#db/schema";
import { requireRole, type SessionUser } from "~/auth/index.server";
import type { Database } from "#db/client";

/** The signed-in officer; anonymous → /login and back; any other role → 403. */
export const requireOfficer = (request: Request): Promise<SessionUser> => requireRole(request, "officer");

/** The commune codes an officer covers, in code order. */
export async function officerCommuneCodes(db: Database, officerUserId: string): Promise<string[]> {
  const rows = await db
    .select({ code: officerCommunes.communeCode })
    .from(officerCommunes)
    .where(eq(officerCommunes.officerUserId, officerUserId))
    .orderBy(asc(officerCommunes.communeCode));
  return rows.map((r) => r.code);
}
