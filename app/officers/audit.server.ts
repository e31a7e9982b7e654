/**
 * The audit trail of what officers change for a household (ADR 029).
 *
 * Every state change an officer sends under /officer/h/:householdId/… runs
 * between two snapshots of that household's data (its record, stall,
 * listings, photos, certificates and open orders); what differs is written to
 * audit_log, field by field, before → after. Taken around the request rather
 * than in each use case, it covers every screen the officer reaches, those
 * added later included, without anyone remembering to. audit_log itself is
 * append-only (triggers; migration 0014).
 *
 * A household's data is small (its listings, its open orders), so a snapshot
 * is one query of a few dozen rows. A change the farmer makes at the very
 * same moment would be recorded as the officer's: the trail says so (ADR 029).
 */
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { auditLog, users } from "#db/schema";
import { getUser } from "~/auth/index.server";
import { rowsOf, type Database as Db, type Tx } from "#db/client";

/** The app's database or a transaction on it. */
type Database = Db | Tx;
import { actingHouseholdIdOf } from "~/utils/acting-paths";
import { isUuid } from "~/utils/db-errors.server";

/** One row of the household's data as the trail compares it. */
interface Snapshot {
  entity: string;
  entityId: string;
  label: string;
  data: Record<string, unknown>;
}

export interface AuditChange {
  entity: string;
  entityId: string;
  label: string;
  action: "insert" | "update" | "delete";
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Never compared: bookkeeping, and secrets the trail must not copy. */
const IGNORED = new Set(["created_at", "updated_at", "step_reached_at", "feed_token"]);
/** Kept as their last three digits only. */
const MASKED = new Set(["bank_account_number", "phone"]);

const mask = (value: unknown) => (typeof value === "string" && value.length > 3 ? `•••${value.slice(-3)}` : value);

function clean(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (IGNORED.has(key)) continue;
    out[key] = MASKED.has(key) ? mask(value) : value;
  }
  return out;
}

/** The household's data, one row per thing an officer can change. */
export async function snapshotHousehold(db: Database, householdId: string): Promise<Snapshot[]> {
  const rows = rowsOf(
    await db.execute(sql`
      WITH s AS (SELECT * FROM stalls WHERE household_id = ${householdId}),
           l AS (SELECT * FROM listings WHERE stall_id IN (SELECT id FROM s))
      SELECT 'households' AS entity, h.id::text AS entity_id, h.name AS label, to_jsonb(h) AS data
        FROM households h WHERE h.id = ${householdId}
      UNION ALL
      SELECT 'stalls', s.id::text, s.name, to_jsonb(s) FROM s
      UNION ALL
      SELECT 'listings', l.id::text, l.title, to_jsonb(l) FROM l
      UNION ALL
      SELECT 'listing_photos', p.listing_id::text || ':' || p.media_id::text, l.title,
             jsonb_build_object('position', p.position, 'alt', p.alt)
        FROM listing_photos p JOIN l ON l.id = p.listing_id
      UNION ALL
      SELECT 'listing_certifications', c.id::text, l.title, to_jsonb(c) - 'listing_id'
        FROM listing_certifications c JOIN l ON l.id = c.listing_id
      UNION ALL
      SELECT 'orders', o.id::text, o.code,
             jsonb_build_object('status', o.status, 'payment_status', o.payment_status,
                                'paid_at', o.paid_at, 'cancel_reason', o.cancel_reason)
        FROM orders o
       WHERE o.stall_id IN (SELECT id FROM s)
         AND (o.status NOT IN ('completed', 'cancelled') OR o.updated_at > now() - interval '2 days')
    `),
  ) as { entity: string; entity_id: string; label: string | null; data: Record<string, unknown> | string }[];
  return rows.map((r) => ({
    entity: r.entity,
    entityId: r.entity_id,
    label: r.label ?? "",
    data: clean(typeof r.data === "string" ? (JSON.parse(r.data) as Record<string, unknown>) : r.data),
  }));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What changed between two snapshots: new rows, gone rows, and the fields that differ. */
export function diffSnapshots(before: Snapshot[], after: Snapshot[]): AuditChange[] {
  const key = (s: Snapshot) => `${s.entity}:${s.entityId}`;
  const old = new Map(before.map((s) => [key(s), s]));
  const changes: AuditChange[] = [];
  for (const now of after) {
    const was = old.get(key(now));
    old.delete(key(now));
    if (!was) {
      changes.push({ ...pick(now), action: "insert", before: null, after: now.data });
      continue;
    }
    const fields = [...new Set([...Object.keys(was.data), ...Object.keys(now.data)])].filter(
      (f) => !same(was.data[f], now.data[f]),
    );
    if (fields.length === 0) continue;
    changes.push({
      ...pick(now),
      action: "update",
      before: Object.fromEntries(fields.map((f) => [f, was.data[f] ?? null])),
      after: Object.fromEntries(fields.map((f) => [f, now.data[f] ?? null])),
    });
  }
  for (const gone of old.values()) changes.push({ ...pick(gone), action: "delete", before: gone.data, after: null });
  return changes;
}

const pick = ({ entity, entityId, label }: Snapshot) => ({ entity, entityId, label });

export interface AuditActor {
  userId: string;
  name: string;
  role: string;
}

/** Writes changes to the trail (nothing when there are none). */
export async function recordChanges(
  db: Database,
  {
    actor,
    householdId,
    changes,
    requestId,
  }: { actor: AuditActor; householdId: string; changes: AuditChange[]; requestId?: string },
): Promise<void> {
  if (changes.length === 0) return;
  await db.insert(auditLog).values(
    changes.map((c) => ({
      actorUserId: actor.userId,
      actorName: actor.name,
      actorRole: actor.role,
      householdId,
      entity: c.entity,
      entityId: c.entityId,
      action: c.action,
      before: c.before,
      after: c.after,
      label: c.label,
      requestId: requestId ?? null,
    })),
  );
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Runs one request; when it is an officer's state change for a household
 * (/officer/h/:householdId/…), records what it changed. The HTTP layer calls
 * this around every request (entry.server.tsx): anything else passes straight
 * through.
 */
export async function auditingOfficerChanges(
  db: Database,
  request: Request,
  requestId: string,
  run: () => Promise<Response>,
): Promise<Response> {
  if (!WRITES.has(request.method)) return run();
  const householdId = actingHouseholdIdOf(new URL(request.url).pathname);
  if (!householdId || !isUuid(householdId)) return run();
  const user = await getUser(request);
  if (!user || user.role !== "officer") return run();
  const before = await snapshotHousehold(db, householdId);
  const response = await run();
  const changes = diffSnapshots(before, await snapshotHousehold(db, householdId));
  await recordChanges(db, {
    actor: { userId: user.id, name: user.fullName, role: user.role },
    householdId,
    changes,
    requestId,
  });
  return response;
}

export type AuditEntry = typeof auditLog.$inferSelect;

/** The household's trail, newest first, in pages (`before`: the last id of the previous page). */
export async function householdAuditTrail(
  db: Database,
  householdId: string,
  { limit = 50, before }: { limit?: number; before?: number } = {},
): Promise<AuditEntry[]> {
  if (!isUuid(householdId)) return [];
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.householdId, householdId), before ? lt(auditLog.id, before) : undefined))
    .orderBy(desc(auditLog.id))
    .limit(limit);
}

/** The whole province's trail for admins, newest first. */
export async function latestAuditEntries(
  db: Database,
  { limit = 100, before, actorUserId }: { limit?: number; before?: number; actorUserId?: string } = {},
): Promise<(AuditEntry & { actorActive: boolean })[]> {
  const rows = await db
    .select({ entry: auditLog, deactivatedAt: users.deactivatedAt })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(
      and(
        before ? lt(auditLog.id, before) : undefined,
        actorUserId && isUuid(actorUserId) ? eq(auditLog.actorUserId, actorUserId) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.entry, actorActive: r.deactivatedAt === null }));
}
