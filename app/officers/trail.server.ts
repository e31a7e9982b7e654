/**
 * The audit trail as pages to read: a household's (the farmer's dashboard and
 * /seller/trail) and the province's (/admin/audit), newest first, paged by
 * the last id shown (`before`), each entry already in plain words
 * (trail.ts). Reads only; audit_log is written by audit.server.ts.
 */
import type { TFunction } from "i18next";
import { and, asc, eq, inArray } from "drizzle-orm";
import { households, users } from "#db/schema";
import type { Database } from "#db/client";
import { householdAuditTrail, latestAuditEntries, type AuditEntry } from "./audit.server";
import { describeAuditEntry, trailTime } from "./trail";

export interface TrailLine {
  id: number;
  /** The entry's sentences (one per change it records). */
  sentences: string[];
  /** "07/12 10:30". */
  time: string;
  /** ISO, for <time dateTime>. */
  at: string;
  actorUserId: string;
  actorName: string;
}

export interface TrailPage<Line> {
  lines: Line[];
  /** The `before` of the next (older) page, or null on the last one. */
  older: number | null;
}

/** A `before` cursor from a query string, or undefined. */
export function parseBefore(value: string | null): number | undefined {
  if (!value || !/^\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}

function toLine(t: TFunction, lng: string, entry: AuditEntry): TrailLine {
  return {
    id: entry.id,
    sentences: describeAuditEntry(t, entry, lng),
    time: trailTime(entry.at),
    at: new Date(entry.at).toISOString(),
    actorUserId: entry.actorUserId,
    actorName: entry.actorName,
  };
}

/** One page of a household's trail in words. */
export async function householdTrailPage(
  db: Database,
  householdId: string,
  { t, lng, limit = 20, before }: { t: TFunction; lng: string; limit?: number; before?: number },
): Promise<TrailPage<TrailLine>> {
  const rows = await householdAuditTrail(db, householdId, { limit: limit + 1, before });
  const page = rows.slice(0, limit);
  return {
    lines: page.map((e) => toLine(t, lng, e)),
    older: rows.length > limit ? page[page.length - 1].id : null,
  };
}

export interface ProvinceTrailLine extends TrailLine {
  householdId: string;
  /** The household's name now ("" if it is gone: the trail outlives it). */
  householdName: string;
  actorActive: boolean;
}

/** One page of the province's trail, for admins; `officerUserId` narrows it to one officer. */
export async function provinceTrailPage(
  db: Database,
  {
    t,
    lng,
    limit = 50,
    before,
    officerUserId,
  }: { t: TFunction; lng: string; limit?: number; before?: number; officerUserId?: string },
): Promise<TrailPage<ProvinceTrailLine>> {
  const rows = await latestAuditEntries(db, { limit: limit + 1, before, actorUserId: officerUserId });
  const page = rows.slice(0, limit);
  const ids = [...new Set(page.map((e) => e.householdId))];
  const names = new Map(
    ids.length === 0
      ? []
      : (
          await db
            .select({ id: households.id, name: households.name })
            .from(households)
            .where(inArray(households.id, ids))
        ).map((h) => [h.id, h.name]),
  );
  return {
    lines: page.map((e) => ({
      ...toLine(t, lng, e),
      householdId: e.householdId,
      householdName: names.get(e.householdId) ?? "",
      actorActive: e.actorActive,
    })),
    older: rows.length > limit ? page[page.length - 1].id : null,
  };
}

/** Every officer account, for the admin's filter (deactivated ones too: their changes stay). */
export async function officersForTrailFilter(db: Database) {
  return db
    .select({ id: users.id, name: users.fullName })
    .from(users)
    .where(and(eq(users.role, "officer")))
    .orderBy(asc(users.fullName), asc(users.id));
}
