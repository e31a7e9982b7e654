/**
 * Progress of the households (ADR 027): the funnel roster → registered →
 * stall created → first product → published → first order → active, per
 * commune, per officer and per province, and orders and sales (GMV, đồng) per
 * month. A job rebuilds two small tables from the whole province
 * (`rebuildProgressRollups`, every 15 minutes); the dashboards read those
 * rows only, so what a dashboard costs does not grow with the households.
 *
 * Also the officer's workspace list (`listOfficerHouseholds`), read live for
 * one page of one officer's communes, and the reminder SMS an officer sends
 * a stuck household (`sendReminder`).
 */
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Database } from "#db/client";
import { ONBOARDING_STEPS_FOR_LIST, type FunnelCounts, type ListStep } from "./progress";
import { smsProvider } from "~/notifications/index.server";
import { isUuid } from "~/utils/db-errors.server";
import { logger } from "~/utils/logger.server";

/** A household is stuck after this many days at one onboarding step without a published stall. */
export const STUCK_DAYS = 7;
/** "Active": an order or a listing change within this many days. */
export const ACTIVE_DAYS = 30;
/** How often the job rebuilds the rollups (minutes): how old a dashboard's numbers can be. */
export const ROLLUP_EVERY_MINUTES = 15;
/** Reminders: one per household per this many days, and this many per officer per day. */
export const REMINDER_HOUSEHOLD_DAYS = 7;
export const REMINDER_OFFICER_PER_DAY = 30;

const DAY_MS = 86_400_000;
const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Payment methods that count as "paying online" (ADR 027: every method but cash). */
export const ONLINE_METHODS = ["vietqr", "vnpay", "stripe"] as const;
const onlineMethods = sql.raw(ONLINE_METHODS.map((m) => `'${m}'`).join(", "));

// ---------------------------------------------------------------- rollups

/**
 * Recomputes progress_rollups and sales_rollups from scratch, each in one
 * statement over the whole data (GROUPING SETS: commune, officer and province
 * in one pass), in one transaction: readers see the old rows or the new, never
 * half. Returns how many rows each table holds.
 */
export async function rebuildProgressRollups(
  db: Database,
  now: Date = new Date(),
): Promise<{ progress: number; sales: number; ms: number }> {
  const started = performance.now();
  const activeSince = new Date(now.getTime() - ACTIVE_DAYS * DAY_MS);
  const stuckBefore = new Date(now.getTime() - STUCK_DAYS * DAY_MS);
  const counts = await db.transaction(async (tx) => {
    await tx.execute(sql`DELETE FROM progress_rollups`);
    await tx.execute(sql`DELETE FROM sales_rollups`);
    const progress = rowsOf(
      await tx.execute(sql`
      WITH st AS (
        SELECT household_id, bool_or(status = 'published') AS published
        FROM stalls GROUP BY household_id
      ), li AS (
        SELECT s.household_id, bool_or(l.updated_at >= ${ts(activeSince)}) AS recent
        FROM listings l JOIN stalls s ON s.id = l.stall_id GROUP BY s.household_id
      ), od AS (
        SELECT s.household_id,
               bool_or(o.created_at >= ${ts(activeSince)}) AS recent,
               bool_or(o.paid_at IS NOT NULL AND o.payment_method IN (${onlineMethods})) AS paid_online
        FROM orders o JOIN stalls s ON s.id = o.stall_id
        WHERE o.status <> 'cancelled'
        GROUP BY s.household_id
      ), units AS (
        SELECT h.commune_code, h.province_code,
               CASE WHEN u.role = 'officer' THEN h.created_by_user_id::text END AS officer,
               1 AS registered,
               (st.household_id IS NOT NULL)::int AS stall_created,
               (li.household_id IS NOT NULL)::int AS first_product,
               coalesce(st.published, false)::int AS published,
               (od.household_id IS NOT NULL)::int AS first_order,
               (coalesce(od.recent, false) OR coalesce(li.recent, false))::int AS active_30d,
               coalesce(od.paid_online, false)::int AS paid_online,
               (NOT coalesce(st.published, false) AND h.step_reached_at < ${ts(stuckBefore)})::int AS stuck
        FROM households h
        LEFT JOIN users u ON u.id = h.created_by_user_id
        LEFT JOIN st ON st.household_id = h.id
        LEFT JOIN li ON li.household_id = h.id
        LEFT JOIN od ON od.household_id = h.id
        UNION ALL
        SELECT r.commune_code, c.province_code, ri.officer_user_id::text, 0, 0, 0, 0, 0, 0, 0, 0
        FROM roster_entries r
        JOIN communes c ON c.code = r.commune_code
        LEFT JOIN roster_imports ri ON ri.id = r.import_id
        WHERE r.household_id IS NULL
      ), grouped AS (
        SELECT CASE WHEN grouping(commune_code) = 0 THEN 'commune'
                    WHEN grouping(officer) = 0 THEN 'officer' ELSE 'province' END AS scope_kind,
               coalesce(commune_code, officer, province_code) AS scope_key,
               count(*)::int AS roster, sum(registered)::int AS registered,
               sum(stall_created)::int AS stall_created, sum(first_product)::int AS first_product,
               sum(published)::int AS published, sum(first_order)::int AS first_order,
               sum(active_30d)::int AS active_30d, sum(paid_online)::int AS paid_online, sum(stuck)::int AS stuck
        FROM units
        GROUP BY GROUPING SETS ((commune_code), (officer), (province_code))
      )
      INSERT INTO progress_rollups (scope_kind, scope_key, roster, registered, stall_created, first_product,
                                    published, first_order, active_30d, paid_online, stuck, computed_at)
      SELECT scope_kind, scope_key, roster, registered, stall_created, first_product,
             published, first_order, active_30d, paid_online, stuck, ${ts(now)}
      FROM grouped WHERE scope_key IS NOT NULL
      RETURNING 1`),
    ).length;
    const sales = rowsOf(
      await tx.execute(sql`
      WITH o AS (
        SELECT h.commune_code, h.province_code,
               CASE WHEN u.role = 'officer' THEN h.created_by_user_id::text END AS officer,
               date_trunc('month', o.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS month,
               o.total_dong
        FROM orders o
        JOIN stalls s ON s.id = o.stall_id
        JOIN households h ON h.id = s.household_id
        LEFT JOIN users u ON u.id = h.created_by_user_id
        WHERE o.status <> 'cancelled'
      ), grouped AS (
        SELECT CASE WHEN grouping(commune_code) = 0 THEN 'commune'
                    WHEN grouping(officer) = 0 THEN 'officer' ELSE 'province' END AS scope_kind,
               coalesce(commune_code, officer, province_code) AS scope_key,
               month, count(*)::int AS orders, sum(total_dong)::bigint AS gmv_dong
        FROM o
        GROUP BY GROUPING SETS ((commune_code, month), (officer, month), (province_code, month))
      )
      INSERT INTO sales_rollups (scope_kind, scope_key, month, orders, gmv_dong, computed_at)
      SELECT scope_kind, scope_key, month, orders, gmv_dong, ${ts(now)}
      FROM grouped WHERE scope_key IS NOT NULL
      RETURNING 1`),
    ).length;
    return { progress, sales };
  });
  return { ...counts, ms: Math.round(performance.now() - started) };
}

/** Rebuilds the rollups when they were never built (a new install, before the job's first run). */
export async function ensureProgressRollups(db: Database): Promise<void> {
  const [row] = rowsOf(await db.execute(sql`SELECT 1 AS one FROM progress_rollups LIMIT 1`));
  if (!row) await rebuildProgressRollups(db);
}

/** The recurring job (app/jobs/registry.server.ts lists it). */
export const progressRollupJob = {
  name: "officers.progress-rollups",
  schedule: { everyMinutes: ROLLUP_EVERY_MINUTES },
  handler: async (db: Database) => {
    const { progress, sales, ms } = await rebuildProgressRollups(db);
    return { progress, sales, ms };
  },
};

// ---------------------------------------------------------------- reading the rollups

export const FUNNEL_KEYS = [
  "roster",
  "registered",
  "stallCreated",
  "firstProduct",
  "published",
  "firstOrder",
  "active30d",
] as const;
export type FunnelKey = (typeof FUNNEL_KEYS)[number];

export type Funnel = FunnelCounts;

export const emptyFunnel = (): Funnel => ({
  roster: 0,
  registered: 0,
  stallCreated: 0,
  firstProduct: 0,
  published: 0,
  firstOrder: 0,
  active30d: 0,
  paidOnline: 0,
  stuck: 0,
});

export interface FunnelRow extends Funnel {
  scopeKind: "commune" | "officer" | "province";
  scopeKey: string;
  /** The commune's, officer's or province's name. */
  name: string;
  computedAt: string | null;
}

export interface MonthPoint {
  /** yyyy-mm */
  month: string;
  orders: number;
  gmvDong: number;
}

const funnelOf = (r: Record<string, unknown>): Funnel => ({
  roster: Number(r.roster ?? 0),
  registered: Number(r.registered ?? 0),
  stallCreated: Number(r.stall_created ?? 0),
  firstProduct: Number(r.first_product ?? 0),
  published: Number(r.published ?? 0),
  firstOrder: Number(r.first_order ?? 0),
  active30d: Number(r.active_30d ?? 0),
  paidOnline: Number(r.paid_online ?? 0),
  stuck: Number(r.stuck ?? 0),
});

export function sumFunnels(rows: readonly Funnel[]): Funnel {
  const total = emptyFunnel();
  for (const r of rows) for (const k of Object.keys(total) as (keyof Funnel)[]) total[k] += r[k];
  return total;
}

const isoText = (v: unknown) =>
  v == null ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();

/** When the rollups were last rebuilt (null: never). One row read. */
export async function rollupsComputedAt(db: Database): Promise<string | null> {
  const [row] = rowsOf(await db.execute(sql`SELECT max(computed_at) AS at FROM progress_rollups`));
  return isoText(row?.at);
}

/** The funnel rows of these communes (every one, zeros where nothing happened yet), in name order. */
export async function communeFunnels(db: Database, communeCodes: readonly string[]): Promise<FunnelRow[]> {
  if (communeCodes.length === 0) return [];
  const codes = sql.join(
    communeCodes.map((c) => sql`${c}`),
    sql`, `,
  );
  const rows = rowsOf(
    await db.execute(sql`
    SELECT c.code AS scope_key, c.name, p.*
    FROM communes c
    LEFT JOIN progress_rollups p ON p.scope_kind = 'commune' AND p.scope_key = c.code
    WHERE c.code IN (${codes})
    ORDER BY c.name, c.code`),
  );
  return rows.map((r) => ({
    scopeKind: "commune",
    scopeKey: String(r.scope_key),
    name: String(r.name),
    computedAt: isoText(r.computed_at),
    ...funnelOf(r),
  }));
}

/** The funnel of the households an officer onboarded. */
export async function officerFunnel(db: Database, officerId: string): Promise<Funnel> {
  const [row] = rowsOf(
    await db.execute(sql`SELECT * FROM progress_rollups WHERE scope_kind = 'officer' AND scope_key = ${officerId}`),
  );
  return row ? funnelOf(row) : emptyFunnel();
}

/** A province's totals, and one row per commune of it that has any household or roster entry. */
export async function provinceReport(
  db: Database,
  provinceCode: string,
): Promise<{ total: Funnel; communes: FunnelRow[]; officers: FunnelRow[] }> {
  const [totalRow] = rowsOf(
    await db.execute(sql`SELECT * FROM progress_rollups WHERE scope_kind = 'province' AND scope_key = ${provinceCode}`),
  );
  const communeRows = rowsOf(
    await db.execute(sql`
    SELECT p.*, c.name
    FROM progress_rollups p
    JOIN communes c ON c.code = p.scope_key
    WHERE p.scope_kind = 'commune' AND c.province_code = ${provinceCode}
    ORDER BY c.name, c.code`),
  );
  // Officers covering a commune of the province, with their own funnel (zeros if none yet).
  const officerRows = rowsOf(
    await db.execute(sql`
    SELECT u.id AS scope_key, u.full_name AS name, p.*
    FROM users u
    LEFT JOIN progress_rollups p ON p.scope_kind = 'officer' AND p.scope_key = u.id::text
    WHERE u.role = 'officer' AND EXISTS (
      SELECT 1 FROM officer_communes oc JOIN communes c ON c.code = oc.commune_code
      WHERE oc.officer_user_id = u.id AND c.province_code = ${provinceCode})
    ORDER BY u.full_name, u.id`),
  );
  const row = (kind: FunnelRow["scopeKind"]) => (r: Record<string, unknown>) => ({
    scopeKind: kind,
    scopeKey: String(r.scope_key),
    name: String(r.name),
    computedAt: isoText(r.computed_at),
    ...funnelOf(r),
  });
  return {
    total: totalRow ? funnelOf(totalRow) : emptyFunnel(),
    communes: communeRows.map(row("commune")),
    officers: officerRows.map(row("officer")),
  };
}

/** Provinces that have any household or roster entry, with their names (the admin's choice of province). */
export async function reportProvinces(db: Database): Promise<{ code: string; name: string; registered: number }[]> {
  const rows = rowsOf(
    await db.execute(sql`
    SELECT p.scope_key AS code, pr.name, p.registered
    FROM progress_rollups p JOIN provinces pr ON pr.code = p.scope_key
    WHERE p.scope_kind = 'province'
    ORDER BY p.registered DESC, pr.name`),
  );
  return rows.map((r) => ({ code: String(r.code), name: String(r.name), registered: Number(r.registered) }));
}

/**
 * Orders and GMV per month for a scope, the last `months` months up to the
 * month of `now` (Vietnam time), months without orders as zeros. Several keys
 * of one kind are summed (an officer's communes).
 */
export async function monthlySales(
  db: Database,
  scopeKind: FunnelRow["scopeKind"],
  scopeKeys: readonly string[],
  { months = 12, now = new Date() }: { months?: number; now?: Date } = {},
): Promise<MonthPoint[]> {
  const series = lastMonths(now, months);
  if (scopeKeys.length === 0) return series.map((month) => ({ month, orders: 0, gmvDong: 0 }));
  const keys = sql.join(
    scopeKeys.map((k) => sql`${k}`),
    sql`, `,
  );
  const rows = rowsOf(
    await db.execute(sql`
    SELECT to_char(month, 'YYYY-MM') AS month, sum(orders)::int AS orders, sum(gmv_dong)::bigint AS gmv
    FROM sales_rollups
    WHERE scope_kind = ${scopeKind} AND scope_key IN (${keys}) AND month >= ${`${series[0]}-01`}::date
    GROUP BY month`),
  );
  const byMonth = new Map(rows.map((r) => [String(r.month), r]));
  return series.map((month) => {
    const r = byMonth.get(month);
    return { month, orders: Number(r?.orders ?? 0), gmvDong: Number(r?.gmv ?? 0) };
  });
}

/** yyyy-mm of the last `count` months ending with now's month, in Vietnam time, oldest first. */
export function lastMonths(now: Date, count: number): string[] {
  const vn = new Date(now.getTime() + 7 * 3_600_000);
  const y = vn.getUTCFullYear();
  const m = vn.getUTCMonth();
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - (count - 1 - i), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

// ---------------------------------------------------------------- the workspace list

export interface WorkspaceFilters {
  q?: string;
  communeCode?: string;
  /** An onboarding step, or "roster" for roster entries not registered yet. */
  step?: ListStep | "";
  stuck?: boolean;
  cursor?: string | null;
}

export interface WorkspaceRow {
  kind: "household" | "roster";
  id: string;
  name: string;
  communeCode: string;
  communeName: string;
  hamlet: string;
  /** The onboarding step, or "roster". */
  step: ListStep;
  stepReachedAt: string | null;
  lastActivityAt: string | null;
  stallStatus: "draft" | "published" | "unpublished" | null;
  activeListings: number;
  orders30d: number;
  stuck: boolean;
  /** The officer may act for it (a delegation, not lapsed, not "none"): its name links to /officer/h/:id. */
  canAct: boolean;
}

export const WORKSPACE_PAGE_SIZE = 25;

const encodeCursor = (name: string, id: string) => Buffer.from(JSON.stringify([name, id])).toString("base64url");
function decodeCursor(cursor: string | null | undefined): [string, string] | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && isUuid(String(v[1])) && v[0].length <= 500)
      return [v[0], String(v[1])];
  } catch {
    // A tampered cursor is the first page.
  }
  return null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * One page of an officer's communes: registered households (with the step
 * reached, stall, listings for sale, orders in the last 30 days, last activity)
 * and roster entries not registered yet (a to-do), in name order. Households
 * that set the officer's access to "none" are left out, as is anything outside
 * the officer's communes.
 */
export async function listOfficerHouseholds(
  db: Database,
  officerId: string,
  filters: WorkspaceFilters = {},
  { now = new Date(), limit = WORKSPACE_PAGE_SIZE }: { now?: Date; limit?: number } = {},
): Promise<{ rows: WorkspaceRow[]; nextCursor: string | null }> {
  const activeSince = new Date(now.getTime() - ACTIVE_DAYS * DAY_MS);
  const stuckBefore = new Date(now.getTime() - STUCK_DAYS * DAY_MS);
  const q = (filters.q ?? "").trim().slice(0, 100);
  const hWhere: SQL[] = [];
  const rWhere: SQL[] = [];
  if (q) {
    const like = sql`('%' || lower(f_unaccent(${escapeLike(q)}::text)) || '%')`;
    hWhere.push(sql`lower(f_unaccent(h.name)) LIKE ${like}`);
    rWhere.push(sql`lower(f_unaccent(r.full_name)) LIKE ${like}`);
  }
  if (filters.communeCode) {
    hWhere.push(sql`h.commune_code = ${filters.communeCode}`);
    rWhere.push(sql`r.commune_code = ${filters.communeCode}`);
  }
  const stuckSql = sql`(h.step_reached_at < ${ts(stuckBefore)} AND NOT EXISTS (
      SELECT 1 FROM stalls s2 WHERE s2.household_id = h.id AND s2.status = 'published'))`;
  if (filters.stuck) hWhere.push(stuckSql);
  const step =
    filters.step && (ONBOARDING_STEPS_FOR_LIST as readonly string[]).includes(filters.step) ? filters.step : "";
  const withHouseholds = step !== "roster";
  const withRoster = !filters.stuck && (step === "" || step === "roster");
  if (step && step !== "roster") hWhere.push(sql`h.onboarding_step = ${step}`);
  const after = decodeCursor(filters.cursor);
  const afterSql = after ? sql`AND (name, id) > (${after[0]}::text, ${after[1]}::uuid)` : sql``;
  const and = (parts: SQL[]) => (parts.length ? sql`AND ${sql.join(parts, sql` AND `)}` : sql``);

  const parts: SQL[] = [];
  if (withHouseholds)
    parts.push(sql`
      SELECT 'household' AS kind, h.id, h.name, h.commune_code, '' AS hamlet, h.onboarding_step::text AS step,
             h.step_reached_at, h.updated_at,
             (d.household_id IS NOT NULL AND d.lapsed_at IS NULL AND d.access <> 'none') AS can_act
      FROM households h
      JOIN officer_communes oc ON oc.commune_code = h.commune_code AND oc.officer_user_id = ${officerId}
      LEFT JOIN household_delegations d ON d.household_id = h.id AND d.officer_user_id = ${officerId}
      WHERE (d.access IS NULL OR d.access <> 'none') ${and(hWhere)}`);
  if (withRoster)
    parts.push(sql`
      SELECT 'roster', r.id, r.full_name, r.commune_code, r.hamlet, 'roster', NULL::timestamptz, r.created_at, false
      FROM roster_entries r
      JOIN officer_communes oc ON oc.commune_code = r.commune_code AND oc.officer_user_id = ${officerId}
      WHERE r.household_id IS NULL ${and(rWhere)}`);
  if (parts.length === 0) return { rows: [], nextCursor: null };

  const rows = rowsOf(
    await db.execute(sql`
    WITH page AS (
      SELECT * FROM (${sql.join(parts, sql` UNION ALL `)}) AS u(kind, id, name, commune_code, hamlet, step,
             step_reached_at, updated_at, can_act)
      WHERE true ${afterSql}
      ORDER BY name, id
      LIMIT ${limit + 1}
    )
    SELECT page.*, c.name AS commune_name, st.status AS stall_status,
           -- Stuck, for this page's rows only: the stall picked below is a published one when there is one.
           (page.kind = 'household' AND page.step_reached_at < ${ts(stuckBefore)}
            AND coalesce(st.status, '') <> 'published') AS stuck,
           coalesce(li.active, 0) AS active_listings, coalesce(od.recent, 0) AS orders_30d,
           to_char(greatest(page.updated_at, st.updated_at, li.last_change, od.last_order) AT TIME ZONE 'UTC',
                   'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_activity,
           to_char(page.step_reached_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS step_at
    FROM page
    JOIN communes c ON c.code = page.commune_code
    LEFT JOIN LATERAL (
      SELECT s.id, s.status::text AS status, s.updated_at FROM stalls s
      WHERE page.kind = 'household' AND s.household_id = page.id
      ORDER BY (s.status = 'published') DESC, s.created_at LIMIT 1
    ) st ON true
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE l.status = 'active')::int AS active, max(l.updated_at) AS last_change
      FROM listings l JOIN stalls s ON s.id = l.stall_id WHERE page.kind = 'household' AND s.household_id = page.id
    ) li ON true
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE o.created_at >= ${ts(activeSince)} AND o.status <> 'cancelled')::int AS recent,
             max(o.created_at) AS last_order
      FROM orders o JOIN stalls s ON s.id = o.stall_id WHERE page.kind = 'household' AND s.household_id = page.id
    ) od ON true
    ORDER BY page.name, page.id`),
  );
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    rows: shown.map((r) => ({
      kind: r.kind === "roster" ? "roster" : "household",
      id: String(r.id),
      name: String(r.name),
      communeCode: String(r.commune_code),
      communeName: String(r.commune_name),
      hamlet: String(r.hamlet ?? ""),
      step: String(r.step) as ListStep,
      stepReachedAt: r.step_at == null ? null : String(r.step_at),
      lastActivityAt: r.kind === "roster" || r.last_activity == null ? null : String(r.last_activity),
      stallStatus: (r.stall_status ?? null) as WorkspaceRow["stallStatus"],
      activeListings: Number(r.active_listings),
      orders30d: Number(r.orders_30d),
      stuck: r.stuck === true || r.stuck === "t",
      canAct: r.can_act === true || r.can_act === "t",
    })),
    nextCursor: more && last ? encodeCursor(String(last.name), String(last.id)) : null,
  };
}

// ---------------------------------------------------------------- reminders

export type ReminderRefusal = "not_found" | "not_stuck" | "too_soon" | "officer_limit" | "no_phone" | "send_failed";

export class ReminderError extends Error {
  constructor(readonly reason: ReminderRefusal) {
    super(`reminder refused: ${reason}`);
    this.name = "ReminderError";
  }
}

/**
 * An SMS reminding a stuck household to finish its stall, from an officer of
 * its commune: at most one per household per 7 days and 30 per officer per
 * day (household_reminders is the count and the log). The text is the
 * caller's (translated); the number is the household's, else its owner's.
 */
export async function sendReminder(
  db: Database,
  officerId: string,
  householdId: string,
  { text, now = new Date() }: { text: string; now?: Date },
): Promise<{ reminderId: string }> {
  if (!isUuid(householdId)) throw new ReminderError("not_found");
  const stuckBefore = new Date(now.getTime() - STUCK_DAYS * DAY_MS);
  const found = await db.transaction(async (tx) => {
    // The household's row locked: two clicks at once send one reminder.
    const [h] = rowsOf(
      await tx.execute(sql`
      SELECT h.id, coalesce(h.phone, u.phone) AS phone,
             (h.step_reached_at < ${ts(stuckBefore)} AND NOT EXISTS (
               SELECT 1 FROM stalls s WHERE s.household_id = h.id AND s.status = 'published')) AS stuck
      FROM households h
      JOIN officer_communes oc ON oc.commune_code = h.commune_code AND oc.officer_user_id = ${officerId}
      LEFT JOIN users u ON u.id = h.owner_user_id
      WHERE h.id = ${householdId} AND NOT EXISTS (
        SELECT 1 FROM household_delegations d
        WHERE d.household_id = h.id AND d.officer_user_id = ${officerId} AND d.access = 'none')
      FOR UPDATE OF h`),
    );
    if (!h) throw new ReminderError("not_found");
    if (!(h.stuck === true || h.stuck === "t")) throw new ReminderError("not_stuck");
    if (!h.phone) throw new ReminderError("no_phone");
    const since = new Date(now.getTime() - REMINDER_HOUSEHOLD_DAYS * DAY_MS);
    const [recent] = rowsOf(
      await tx.execute(
        sql`SELECT count(*)::int AS n FROM household_reminders WHERE household_id = ${householdId} AND sent_at > ${ts(since)}`,
      ),
    );
    if (Number(recent?.n) > 0) throw new ReminderError("too_soon");
    const [mine] = rowsOf(
      await tx.execute(
        sql`SELECT count(*)::int AS n FROM household_reminders WHERE officer_user_id = ${officerId} AND sent_at > ${ts(new Date(now.getTime() - DAY_MS))}`,
      ),
    );
    if (Number(mine?.n) >= REMINDER_OFFICER_PER_DAY) throw new ReminderError("officer_limit");
    const [row] = rowsOf(
      await tx.execute(sql`
      INSERT INTO household_reminders (household_id, officer_user_id, sent_at)
      VALUES (${householdId}, ${officerId}, ${ts(now)}) RETURNING id`),
    );
    return { reminderId: String(row!.id), phone: String(h.phone) };
  });
  try {
    await smsProvider().send(found.phone, text);
  } catch (error) {
    // Not sent: not counted either.
    await db.execute(sql`DELETE FROM household_reminders WHERE id = ${found.reminderId}`);
    logger.warn({ err: error, householdId, officerId }, "reminder SMS not sent");
    throw new ReminderError("send_failed");
  }
  logger.info({ householdId, officerId, reminderId: found.reminderId }, "reminder SMS sent to a stuck household");
  return { reminderId: found.reminderId };
}

/** The communes an officer covers, with their names (the workspace's filter), in name order. */
export async function officerCommuneOptions(
  db: Database,
  officerId: string,
): Promise<{ code: string; name: string }[]> {
  const rows = rowsOf(
    await db.execute(sql`
    SELECT c.code, c.name FROM officer_communes oc JOIN communes c ON c.code = oc.commune_code
    WHERE oc.officer_user_id = ${officerId} ORDER BY c.name, c.code`),
  );
  return rows.map((r) => ({ code: String(r.code), name: String(r.name) }));
}
