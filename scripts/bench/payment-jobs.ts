/**
 * `npm run bench:payment-jobs`: what a tick of each payment job costs as the
 * payment history grows (ADR 033), on a throwaway PostgreSQL database created
 * next to --database-url (default: $DATABASE_URL when it is postgres://, else
 * the local server) and dropped after.
 *
 * History (scripts/lib/bulk-payments.ts, set-based SQL): 10,000 then
 * 1,000,000 payment attempts over a year, mostly paid, a tenth of the orders
 * cancelled, a tenth refunded in whole or part. Waiting in it, the same
 * handful of work at both sizes (10 of each kind: open payments to ask about,
 * payments at their deadline, unpaid online orders, money held for orders
 * that do not want it, refunds stuck half-way). At each size every job runs
 * with its work to do, each run in a transaction rolled back afterwards, so
 * every run does the same work; the providers are stand-ins in the process
 * that answer at once (VNPay and Stripe: "still open", refunds accepted), so
 * what is timed is the database.
 *
 * Printed per job, and per query the jobs run on a tick (alone): p50/p95 at
 * each size, as a ratio to a primary-key lookup timed in the same run (×pk),
 * and the growth p50(large)/p50(small) (aim ≤ 2); then, as the baseline, the
 * same jobs and queries with migration 0017's indexes dropped (put back before
 * the next size), and the held-money statement before ADR 033.
 *
 * Flags: --database-url postgres://… , --iterations N (20), --baseline-iterations N (5),
 * --sizes 10000,1000000, --work N (10 per kind).
 * A benchmark, not a test: exit code 0 whatever the figures, MISSED next to a
 * missed aim; the last line is JSON.
 */
import { performance } from "node:perf_hooks";
import { sql, TransactionRollbackError, type SQLWrapper } from "drizzle-orm";
import { rowsOf } from "#db/client";
// Types only: the modules themselves are imported once DATABASE_URL points at the scratch database.
import type { RefundInput } from "../../app/payments/core/provider";
import type { PaymentProviders } from "../../app/payments/core/providers.server";
import type { Database } from "../../app/utils/db.server";
import { openScratchPostgres, timeRuns, type Timing } from "../lib/bench-db";
import { heldMoneyBefore033, insertPaymentHistory, insertPaymentWork, olderThan } from "../lib/bulk-payments";
import { flag, numberFlag, printTable } from "./server";

const GROWTH_AIM = 2;
const ITERATIONS = numberFlag("iterations", 20);
const BASELINE_ITERATIONS = numberFlag("baseline-iterations", 5);
const SIZES = (flag("sizes") ?? "10000,1000000").split(",").map(Number);
const WORK = numberFlag("work", 10);
const DATABASE_URL =
  flag("database-url") ??
  (process.env.DATABASE_URL?.startsWith("postgres") ? process.env.DATABASE_URL : undefined) ??
  "postgres://postgres@127.0.0.1:5432/postgres";

/** What migration 0017 added for the jobs: dropped for the baseline. */
const INDEXES_0017 = [
  "orders_cancelled_paid_idx",
  "orders_unpaid_online_idx",
  "payment_attempt_orders_uncredited_held_idx",
  "payment_attempts_online_open_idx",
  "payment_refunds_requested_idx",
];

const scratch = await openScratchPostgres(DATABASE_URL, "payjobs");
// The jobs reach app modules that open the app's database when imported: point them at the scratch one.
process.env.DATABASE_URL = scratch.url;
process.env.LOG_LEVEL ??= "error";
const {
  dueAttemptsQuery,
  expireAbandonedAttempts,
  heldMoneyQuery,
  reconcilePayments,
  stuckAttemptsQuery,
  stuckRefundsQuery,
} = await import("../../app/payments/core/reconcile.server");
const { abandonedOrdersQuery, expiringAttemptsQuery } = await import("../../app/payments/core/attempts.server");
const { staleOrdersQuery } = await import("../../app/orders/orders.server");
const { expireUnconfirmedOrders } = await import("../../app/jobs/orders-expiry.server");
const { createVnpayProvider } = await import("../../app/payments/vnpay/provider.server");
const { createStripeProvider } = await import("../../app/payments/stripe/provider.server");
const { closeDatabase } = await import("../../app/utils/db.server");

/** VNPay and Stripe as the jobs see them, answering at once: every payment still open, every refund made. */
function standInProviders(): PaymentProviders {
  const refund = async (input: RefundInput) => ({ refundRef: `bench-${input.idempotencyKey}` });
  const vnpay = createVnpayProvider({
    tmnCode: "BENCH001",
    hashSecret: "bench-hash-secret",
    payUrl: "http://127.0.0.1:9/pay",
    apiUrl: "http://127.0.0.1:9/api",
  });
  const stripe = createStripeProvider({ secretKey: "sk_test_bench", webhookSecrets: ["whsec_bench"], connect: false });
  return {
    vnpay: { ...vnpay, queryTransaction: async () => ({ status: "pending", notification: null, raw: {} }), refund },
    stripe: {
      ...stripe,
      retrieveSession: async (sessionId: string) => ({
        sessionId,
        status: "open",
        paymentStatus: "unpaid",
        notification: null,
      }),
      refund,
    },
  };
}

const providers = standInProviders();

/** Runs `job` in a transaction that is rolled back, so the next run finds the same work. */
async function rolledBack(db: Database, job: (tx: Database) => Promise<unknown>) {
  try {
    await db.transaction(async (tx) => {
      await job(tx as unknown as Database);
      tx.rollback();
    });
  } catch (error) {
    if (!(error instanceof TransactionRollbackError)) throw error;
  }
}

/** Drops migration 0017's indexes; the function it returns puts them back (and the planner's statistics). */
async function dropIndexes0017(db: Database): Promise<() => Promise<void>> {
  const defs = rowsOf(
    await db.execute(
      sql`SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN (${sql.join(
        INDEXES_0017.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    ),
  );
  if (defs.length !== INDEXES_0017.length) throw new Error("migration 0017's indexes are not all there");
  for (const { indexname } of defs) await db.execute(sql`DROP INDEX ${sql.identifier(String(indexname))}`);
  return async () => {
    for (const { indexdef } of defs) await db.execute(sql.raw(String(indexdef)));
    await db.execute(sql`ANALYZE`);
  };
}

const JOBS: { name: string; run: (db: Database) => Promise<unknown> }[] = [
  { name: "payments.expire-attempts", run: (db) => expireAbandonedAttempts(db, { providers, now: new Date() }) },
  {
    name: "payments.reconcile",
    run: (db) => reconcilePayments(db, { providers, now: new Date(), afterMinutes: 15 }),
  },
  // Its own read is the orders' (still placed past the deadline); then held money by the codes it cancelled.
  { name: "orders.expire-unconfirmed", run: (db) => expireUnconfirmedOrders(db, new Date(), { providers }) },
];

/** Each query the jobs run on a tick, alone (job-plans.db.test.ts explains the same builders). */
const ONLINE: ("vnpay" | "stripe")[] = ["vnpay", "stripe"];
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const QUERIES: { name: string; query: (db: Database) => SQLWrapper }[] = [
  { name: "open attempts to ask about", query: (db) => stuckAttemptsQuery(db, { online: ONLINE, before: ago(15) }) },
  { name: "attempts at their deadline", query: (db) => dueAttemptsQuery(db, { online: ONLINE, now: new Date() }) },
  { name: "attempts to expire", query: (db) => expiringAttemptsQuery(db, new Date()) },
  { name: "abandoned online orders", query: (db) => abandonedOrdersQuery(db, new Date()) },
  { name: "stuck refunds", query: (db) => stuckRefundsQuery(db, { online: ONLINE, before: ago(10) }) },
  { name: "held money, by age", query: () => heldMoneyQuery({ cutoff: ago(10) }) },
  { name: "orders placed past the deadline", query: (db) => staleOrdersQuery(db, ago(24 * 60)) },
];

interface Figures {
  size: number;
  rows: Record<string, number>;
  pk: Timing;
  jobs: Record<string, Timing>;
  queries: Record<string, Timing>;
  jobsWithout: Record<string, Timing>;
  queriesWithout: Record<string, Timing>;
  heldBefore: Timing;
  /** What one run of each job did (the same at every size). */
  did: Record<string, unknown>;
}

async function timeJobsAndQueries(db: Database, iterations: number) {
  const jobs: Record<string, Timing> = {};
  const queries: Record<string, Timing> = {};
  for (const job of JOBS) jobs[job.name] = await timeRuns(() => rolledBack(db, job.run), iterations);
  for (const { name, query } of QUERIES)
    queries[name] = await timeRuns(() => db.execute(sql`${query(db)}`), iterations);
  return { jobs, queries };
}

async function measure(db: Database, size: number): Promise<Figures> {
  const [rows] = rowsOf(
    await db.execute(sql`SELECT (SELECT count(*) FROM payment_attempts)::int AS attempts,
                                (SELECT count(*) FROM payment_attempt_orders)::int AS shares,
                                (SELECT count(*) FROM orders)::int AS orders,
                                (SELECT count(*) FROM payment_refunds)::int AS refunds`),
  );
  const [a] = rowsOf(await db.execute(sql`SELECT id FROM payment_attempts ORDER BY id LIMIT 1`));
  const attemptId = String(a!.id);
  const pk = await timeRuns(() => db.execute(sql`SELECT * FROM payment_attempts WHERE id = ${attemptId}`), ITERATIONS);
  const did: Record<string, unknown> = {};
  for (const job of JOBS) {
    await rolledBack(db, async (tx) => {
      did[job.name] = await job.run(tx);
    });
  }
  const { jobs, queries } = await timeJobsAndQueries(db, ITERATIONS);
  // The baseline: the same jobs and queries without the indexes that serve them, and the statement held money was.
  const restore = await dropIndexes0017(db);
  const without = await timeJobsAndQueries(db, BASELINE_ITERATIONS);
  const cutoff = ago(10);
  const heldBefore = await timeRuns(() => db.execute(heldMoneyBefore033(olderThan(cutoff))), BASELINE_ITERATIONS);
  await restore();
  return {
    size,
    rows: Object.fromEntries(Object.entries(rows!).map(([k, v]) => [k, Number(v)])),
    pk,
    jobs,
    queries,
    jobsWithout: without.jobs,
    queriesWithout: without.queries,
    heldBefore,
    did,
  };
}

async function main() {
  const started = performance.now();
  const { handle, drop, name } = scratch;
  const figures: Figures[] = [];
  try {
    await handle.migrate();
    const db = handle.db as unknown as Database;
    let present = 0;
    for (const [i, size] of SIZES.entries()) {
      const loadStart = performance.now();
      await insertPaymentHistory(db, { count: size - present, batch: `H${i}` });
      if (i === 0) await insertPaymentWork(db, { perKind: WORK, batch: "W" });
      await db.execute(sql`VACUUM ANALYZE`);
      present = size;
      console.error(
        `PostgreSQL (${name}): ${size} attempts of history loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s`,
      );
      figures.push(await measure(db, size));
    }
  } finally {
    await closeDatabase();
    await handle.close();
    await drop();
  }

  const small = figures[0]!;
  const large = figures.at(-1)!;
  const cells = (t: (f: Figures) => Timing, f: Figures) => [
    t(f).p50.toFixed(2),
    t(f).p95.toFixed(2),
    (t(f).p50 / f.pk.p50).toFixed(0),
  ];
  const row = (label: string, pick: (f: Figures) => Timing, aim: boolean) => {
    const growth = pick(large).p50 / pick(small).p50;
    return [
      label,
      ...cells(pick, small),
      ...cells(pick, large),
      `${growth.toFixed(2)}${aim ? (growth <= GROWTH_AIM ? " ok" : " MISSED") : " (info)"}`,
    ];
  };
  console.log(
    `\nPayment jobs on PostgreSQL, ${ITERATIONS} runs each, baselines ${BASELINE_ITERATIONS} (ms; ×pk = p50 / primary-key p50); ` +
      `${small.rows.attempts} → ${large.rows.attempts} attempts, ${small.rows.orders} → ${large.rows.orders} orders, ` +
      `${WORK} rows of each kind of work\n`,
  );
  printTable(
    ["run", `${small.size} p50`, "p95", "×pk", `${large.size} p50`, "p95", "×pk", "growth (aim ≤ 2)"],
    [
      row("primary-key lookup", (f) => f.pk, false),
      ...JOBS.map((job) => row(`job ${job.name}`, (f) => f.jobs[job.name]!, true)),
      ...QUERIES.map(({ name }) => row(`  query: ${name}`, (f) => f.queries[name]!, true)),
    ],
  );
  console.log(`\nBaseline: the same without migration 0017's indexes (${BASELINE_ITERATIONS} runs each)\n`);
  printTable(
    ["run", `${small.size} p50`, "p95", "×pk", `${large.size} p50`, "p95", "×pk", "growth"],
    [
      ...JOBS.map((job) => row(`job ${job.name}`, (f) => f.jobsWithout[job.name]!, false)),
      ...QUERIES.map(({ name }) => row(`  query: ${name}`, (f) => f.queriesWithout[name]!, false)),
      row("  held money, the statement before ADR 033", (f) => f.heldBefore, false),
    ],
  );
  console.log(`\nOne run did: ${JSON.stringify(large.did)}`);
  const growthOf = (pick: (f: Figures) => Timing) => +(pick(large).p50 / pick(small).p50).toFixed(2);
  const growth: Record<string, number> = {};
  for (const job of JOBS) growth[job.name] = growthOf((f) => f.jobs[job.name]!);
  for (const { name } of QUERIES) growth[name] = growthOf((f) => f.queries[name]!);
  console.log(
    JSON.stringify({
      bench: "payment-jobs",
      engine: "postgres",
      iterations: ITERATIONS,
      baselineIterations: BASELINE_ITERATIONS,
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      sizes: figures.map((f) => ({
        attempts: f.rows.attempts,
        rows: f.rows,
        pk: f.pk,
        jobs: f.jobs,
        queries: f.queries,
        jobsWithout0017: f.jobsWithout,
        queriesWithout0017: f.queriesWithout,
        heldBefore033: f.heldBefore,
      })),
      growth,
      growthAim: GROWTH_AIM,
      allWithinAim: Object.values(growth).every((g) => g <= GROWTH_AIM),
    }),
  );
}

await main();
