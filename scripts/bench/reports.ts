/**
 * `npm run bench:reports`: what the progress dashboards cost as the province
 * grows (ADR 027), on a throwaway PostgreSQL database created next to
 * --database-url (default: $DATABASE_URL when it is postgres://, else the
 * local server) and dropped after.
 *
 * Hải Phòng's 114 communes, 38 officers (3 communes each), then 10,000 and
 * 100,000 households (every onboarding step, 5 orders each on average over the
 * last year: 500,000 at the end, a tenth cancelled, a third paid online; 10 %
 * more on the roster only), all made with set-based SQL. At each size: the
 * rollup's rebuild time, then p50/p95 of the province dashboard
 * (/admin/reports' reads) and of an officer's commune page (/officer/progress'
 * reads) as a ratio to a primary-key lookup timed in the same run, and the
 * growth p50(100k)/p50(10k) (aim ≤ 2: they read the rollups, not the
 * households). The workspace list's first page (read live, one commune) is
 * shown too, for information.
 *
 * Flags: --database-url postgres://… , --iterations N (50), --sizes 10000,100000.
 * A benchmark, not a test: exit code 0 whatever the figures, MISSED next to a
 * missed aim; the last line is JSON.
 */
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { rowsOf } from "#db/client";
// Not the front door: it would open the app's own database (app/utils/db.server.ts) on import.
import { listOfficerHouseholds, rebuildProgressRollups } from "../../app/officers/progress.server";
import { officerProgress, provinceProgress } from "../../app/officers/reports.server";
import type { Database } from "../../app/utils/db.server";
import { openScratchPostgres, timeRuns, type Timing } from "../lib/bench-db";
import { flag, numberFlag, printTable } from "./server";

const GROWTH_AIM = 2;
const ITERATIONS = numberFlag("iterations", 50);
const SIZES = (flag("sizes") ?? "10000,100000").split(",").map(Number);
const ORDERS_PER_HOUSEHOLD = 5;
const PROVINCE = "31";
const DATABASE_URL =
  flag("database-url") ??
  (process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined) ??
  "postgres://postgres@127.0.0.1:5432/postgres";

const time = (run: () => Promise<unknown>) => timeRuns(run, ITERATIONS);
const openScratch = () => openScratchPostgres(DATABASE_URL, "reports");

/** 38 officers, each covering 3 of the province's communes (in code order). */
async function setUp(db: Database): Promise<void> {
  await db.execute(sql`
    INSERT INTO users (phone, full_name, role)
    SELECT '+8470' || lpad(g::text, 7, '0'), 'Cán bộ ' || g, 'officer' FROM generate_series(1, 38) g`);
  await db.execute(sql`
    WITH c AS (SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS n FROM communes WHERE province_code = ${PROVINCE}),
         o AS (SELECT id, row_number() OVER (ORDER BY phone) - 1 AS n FROM users WHERE role = 'officer')
    INSERT INTO officer_communes (officer_user_id, commune_code)
    SELECT o.id, c.code FROM c JOIN o ON o.n = c.n / 3`);
  await db.execute(sql`INSERT INTO checkouts (code) VALUES ('BENCH')`);
}

/** Households from..to (1-based numbers), with their stalls, listings, orders and roster entries. */
async function grow(db: Database, from: number, to: number): Promise<void> {
  // Household n: commune n mod 114; onboarding step n mod 7; step reached 0–29 days ago; made by the commune's officer (4 in 5) or the farmer.
  await db.execute(sql`
    WITH c AS (SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS n FROM communes WHERE province_code = ${PROVINCE}),
         oc AS (SELECT DISTINCT ON (commune_code) commune_code, officer_user_id FROM officer_communes)
    INSERT INTO households (name, created_by_user_id, phone, province_code, commune_code, onboarding_step, step_reached_at, created_at, updated_at)
    SELECT 'Hộ Nguyễn Văn ' || g, CASE WHEN g % 5 <> 0 THEN oc.officer_user_id END, '+8471' || lpad(g::text, 7, '0'),
           ${PROVINCE}, c.code,
           (ARRAY['household','stall','product','payment','delivery','review','done'])[g % 7 + 1]::onboarding_step,
           now() - ((g % 30) || ' days')::interval, now() - ((g % 300) || ' days')::interval, now() - ((g % 60) || ' days')::interval
    FROM generate_series(${from}::int, ${to}::int) g
    JOIN c ON c.n = g % 114
    JOIN oc ON oc.commune_code = c.code`);
  // A stall from the "stall" step on (published at "done"); a listing from "product" on.
  await db.execute(sql`
    INSERT INTO stalls (household_id, slug, name, status, published_at)
    SELECT h.id, 'bench-' || substr(h.phone, 6), 'Gian hàng ' || substr(h.phone, 6),
           CASE WHEN h.onboarding_step = 'done' THEN 'published' ELSE 'draft' END::stall_status,
           CASE WHEN h.onboarding_step = 'done' THEN now() END
    FROM households h
    WHERE h.phone >= ${`+8471${String(from).padStart(7, "0")}`} AND h.phone <= ${`+8471${String(to).padStart(7, "0")}`}
      AND h.onboarding_step <> 'household'`);
  await db.execute(sql`
    INSERT INTO listings (stall_id, slug, title, category, unit, price_dong, status, created_at, updated_at)
    SELECT s.id, 'vai-thieu', 'Vải thiều', 'trai-cay', 'kg', 45000,
           CASE WHEN h.onboarding_step = 'done' THEN 'active' ELSE 'draft' END::listing_status,
           now() - interval '200 days', now() - ((abs(hashtext(s.slug)) % 90) || ' days')::interval
    FROM stalls s JOIN households h ON h.id = s.household_id
    WHERE h.phone >= ${`+8471${String(from).padStart(7, "0")}`} AND h.phone <= ${`+8471${String(to).padStart(7, "0")}`}
      AND h.onboarding_step NOT IN ('household', 'stall')`);
  // Orders: 5 per new household on average, spread over the published stalls, over the last year. The
  // batch's stalls are numbered in a table of their own with a key: the planner knows nothing of a
  // fresh batch (it would guess one row and loop over all of them for every order).
  const orders = (to - from + 1) * ORDERS_PER_HOUSEHOLD;
  await db.execute(sql`DROP TABLE IF EXISTS bench_stalls`);
  await db.execute(sql`
    CREATE TABLE bench_stalls AS
    SELECT (row_number() OVER (ORDER BY s.id) - 1)::int AS n, s.id
    FROM stalls s JOIN households h ON h.id = s.household_id
    WHERE s.status = 'published'
      AND h.phone >= ${`+8471${String(from).padStart(7, "0")}`} AND h.phone <= ${`+8471${String(to).padStart(7, "0")}`}`);
  await db.execute(sql`ALTER TABLE bench_stalls ADD PRIMARY KEY (n)`);
  const [count] = rowsOf(await db.execute(sql`SELECT count(*)::int AS n FROM bench_stalls`));
  await db.execute(sql`
    INSERT INTO orders (code, checkout_id, stall_id, buyer_name, buyer_phone, delivery_method, subtotal_dong, delivery_fee_dong,
                        total_dong, payment_method, payment_status, paid_at, status, created_at)
    SELECT 'B' || ${from}::int || '-' || g, (SELECT id FROM checkouts WHERE code = 'BENCH'), s.id, 'Khách', '+84912345678', 'pickup',
           45000 * (1 + g % 9), 0, 45000 * (1 + g % 9),
           (ARRAY['cod','vietqr','vnpay','cod','stripe','cod'])[g % 6 + 1]::payment_method,
           CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'unpaid' END::order_payment_status,
           CASE WHEN g % 3 = 0 THEN now() - ((g % 365) || ' days')::interval END,
           CASE WHEN g % 10 = 0 THEN 'cancelled' ELSE 'completed' END::order_status,
           now() - ((g % 365) || ' days')::interval
    FROM generate_series(1, ${orders}::int) g
    JOIN bench_stalls s ON s.n = g % ${Number(count!.n)}::int`);
  await db.execute(sql`DROP TABLE bench_stalls`);
  // The roster: 10 % more households, not registered yet.
  await db.execute(sql`
    WITH c AS (SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS n FROM communes WHERE province_code = ${PROVINCE})
    INSERT INTO roster_entries (commune_code, full_name, phone)
    SELECT c.code, 'Hộ Trần Thị ' || g, '+8472' || lpad(g::text, 7, '0')
    FROM generate_series(${Math.floor(from / 10)}::int + 1, ${Math.floor(to / 10)}::int) g JOIN c ON c.n = g % 114`);
}

interface Figures {
  size: number;
  orders: number;
  rebuildMs: number;
  pk: Timing;
  province: Timing;
  commune: Timing;
  workspace: Timing;
}

async function measure(db: Database, size: number): Promise<Figures> {
  const rebuild = await rebuildProgressRollups(db);
  await db.execute(sql`ANALYZE progress_rollups`);
  await db.execute(sql`ANALYZE sales_rollups`);
  const [h] = rowsOf(await db.execute(sql`SELECT id FROM households ORDER BY phone LIMIT 1`));
  const [o] = rowsOf(await db.execute(sql`SELECT id FROM users WHERE role = 'officer' ORDER BY phone LIMIT 1`));
  const [n] = rowsOf(await db.execute(sql`SELECT count(*)::int AS n FROM orders`));
  const householdId = String(h!.id);
  const officerId = String(o!.id);
  const pk = await time(() => db.execute(sql`SELECT * FROM households WHERE id = ${householdId}`));
  const province = await time(() => provinceProgress(db, PROVINCE));
  const commune = await time(() => officerProgress(db, officerId));
  const workspace = await time(() => listOfficerHouseholds(db, officerId, {}));
  return { size, orders: Number(n!.n), rebuildMs: rebuild.ms, pk, province, commune, workspace };
}

async function main() {
  const started = performance.now();
  const { handle, drop, name } = await openScratch();
  const figures: Figures[] = [];
  try {
    await handle.migrate();
    const { db } = handle;
    await setUp(db);
    let present = 0;
    for (const size of SIZES) {
      const loadStart = performance.now();
      await grow(db, present + 1, size);
      await db.execute(sql`ANALYZE`);
      present = size;
      console.error(
        `PostgreSQL (${name}): ${size} households loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
      );
      figures.push(await measure(db, size));
    }
  } finally {
    await handle.close();
    await drop();
  }

  const small = figures[0]!;
  const large = figures.at(-1)!;
  const row = (label: string, pick: (f: Figures) => Timing, aim: boolean) => {
    const growth = pick(large).p50 / pick(small).p50;
    return [
      label,
      pick(small).p50.toFixed(2),
      pick(small).p95.toFixed(2),
      (pick(small).p50 / small.pk.p50).toFixed(1),
      pick(large).p50.toFixed(2),
      pick(large).p95.toFixed(2),
      (pick(large).p50 / large.pk.p50).toFixed(1),
      `${growth.toFixed(2)}${aim ? (growth <= GROWTH_AIM ? " ok" : " MISSED") : " (info)"}`,
    ];
  };
  console.log(
    `\nProgress reports on PostgreSQL, ${ITERATIONS} runs each (ms; ×pk = p50 / primary-key p50); ` +
      `${small.size} → ${large.size} households, ${small.orders} → ${large.orders} orders\n`,
  );
  printTable(
    ["read", `${small.size} p50`, "p95", "×pk", `${large.size} p50`, "p95", "×pk", "growth (aim ≤ 2)"],
    [
      row("primary-key lookup", (f) => f.pk, false),
      row("province dashboard (/admin/reports)", (f) => f.province, true),
      row("commune page (/officer/progress)", (f) => f.commune, true),
      row("workspace list, 1st page (live)", (f) => f.workspace, false),
    ],
  );
  console.log(
    `\nRollup rebuild: ${figures.map((f) => `${f.size} households ${(f.rebuildMs / 1000).toFixed(2)} s`).join("; ")}`,
  );
  const growth = {
    province: +(large.province.p50 / small.province.p50).toFixed(2),
    commune: +(large.commune.p50 / small.commune.p50).toFixed(2),
  };
  console.log(
    JSON.stringify({
      bench: "reports",
      engine: "postgres",
      iterations: ITERATIONS,
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      sizes: figures.map((f) => ({
        households: f.size,
        orders: f.orders,
        rebuildMs: f.rebuildMs,
        pk: f.pk,
        province: { ...f.province, ratioToPk: +(f.province.p50 / f.pk.p50).toFixed(1) },
        commune: { ...f.commune, ratioToPk: +(f.commune.p50 / f.pk.p50).toFixed(1) },
        workspace: { ...f.workspace, ratioToPk: +(f.workspace.p50 / f.pk.p50).toFixed(1) },
      })),
      growth,
      growthAim: GROWTH_AIM,
      allWithinAim: Object.values(growth).every((g) => g <= GROWTH_AIM),
    }),
  );
}

await main();
