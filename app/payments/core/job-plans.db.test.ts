/**
 * The payment jobs read only the rows that can matter (ADR 033): every query
 * they run on each tick, explained exactly as the job builds it, over a
 * history of paid, refunded and cancelled orders twenty times larger than the
 * work waiting in it.
 *
 * Why the plans prove something: the history is filled and ANALYZEd first, so
 * the planner chooses as it would in production, with sequential scans
 * allowed. With the statistics of a large table, a plan that reads every row
 * is what it picks when no index serves the query (the last test drops the
 * indexes and sees exactly that), and what it picks here is checked node by
 * node: no Seq Scan of the four tables, and no index read other than the
 * query's own "rows that matter" index or a lookup by key (a primary key, an
 * order's code, an order's or attempt's shares, with its key in the
 * condition). A lookup index read without a condition, or an index that holds
 * history (orders_stall_status_idx walked for a status), fails too: that is a
 * scan under another name.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  heldMoneyBefore033,
  insertPaymentHistory,
  insertPaymentWork,
  olderThan,
} from "../../../scripts/lib/bulk-payments";
import { abandonedOrdersQuery, expiringAttemptsQuery } from "./attempts.server";
import { dueAttemptsQuery, heldMoneyQuery, stuckAttemptsQuery, stuckRefundsQuery } from "./reconcile.server";
import { staleOrdersQuery } from "~/orders/orders.server";
import { db } from "~/utils/db.server";
import { rowsOf } from "#db/client";

const HISTORY = 20_000;
const WORK_PER_KIND = 5;

/** The tables whose history grows for ever: none of them may be read whole. */
const WATCHED = new Set(["payment_attempts", "payment_attempt_orders", "orders", "payment_refunds"]);
/** Indexes that find rows by key: allowed when the key is in the condition. */
const BY_KEY = new Set([
  "payment_attempts_pkey",
  "payment_attempt_orders_pkey",
  "payment_attempt_orders_order_idx",
  "orders_pkey",
  "orders_code_idx",
  "payment_refunds_attempt_n_idx",
]);

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

async function planOf(runner: { execute(query: SQL): Promise<unknown> }, query: SQLWrapper): Promise<PlanNode> {
  const [row] = rowsOf(await runner.execute(sql`EXPLAIN (FORMAT JSON) ${query}`));
  const value = Object.values(row)[0];
  const json = typeof value === "string" ? JSON.parse(value) : value;
  return (json as { Plan: PlanNode }[])[0].Plan;
}

/** What the plan reads that it should not, and the indexes it reads (for the test to name). */
function reads(plan: PlanNode, own: readonly string[]): { wrong: string[]; indexes: string[] } {
  const wrong: string[] = [];
  const indexes: string[] = [];
  const visit = (node: PlanNode) => {
    const type = node["Node Type"];
    const relation = node["Relation Name"];
    const index = node["Index Name"];
    if (type === "Seq Scan" && relation && WATCHED.has(relation)) wrong.push(`Seq Scan on ${relation}`);
    if (index) {
      indexes.push(index);
      if (own.includes(index)) {
        // The query's own index holds only rows that can matter: read whole or in part.
      } else if (BY_KEY.has(index)) {
        if (!node["Index Cond"]) wrong.push(`${type} of all of ${index}`);
      } else {
        wrong.push(`${type} of ${index}`);
      }
    }
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(plan);
  return { wrong, indexes };
}

const ONLINE = ["vnpay", "stripe"] as ("vnpay" | "stripe")[];
const minutesAgo = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000);

interface JobQuery {
  job: string;
  what: string;
  query: (now: Date) => SQLWrapper;
  /** The indexes that hold only what this query is after: it is served by one of them, or by `each`. */
  own: string[];
  each?: boolean;
  /** Found by key (order codes): it may start from an index of its own, or not. */
  optional?: boolean;
}

/** Codes the unconfirmed-orders job passes refundHeldMoney: orders it has just cancelled. */
let justCancelled: string[] = [];

const JOB_QUERIES: JobQuery[] = [
  {
    job: "payments.reconcile",
    what: "open attempts to ask the provider about",
    query: (now) => stuckAttemptsQuery(db, { online: ONLINE, before: minutesAgo(now, 15) }),
    own: ["payment_attempts_online_open_idx"],
  },
  {
    job: "payments.reconcile",
    what: "refunds stuck in 'requested'",
    query: (now) => stuckRefundsQuery(db, { online: ONLINE, before: minutesAgo(now, 10) }),
    own: ["payment_refunds_requested_idx"],
  },
  {
    job: "payments.reconcile",
    what: "money held for orders that do not want it",
    query: (now) => heldMoneyQuery({ cutoff: minutesAgo(now, 10) }),
    // One per branch: shares not credited, orders cancelled.
    own: ["payment_attempt_orders_uncredited_held_idx", "orders_cancelled_paid_idx"],
    each: true,
  },
  {
    job: "payments.expire-attempts",
    what: "open attempts at their deadline, to ask about",
    query: (now) => dueAttemptsQuery(db, { online: ONLINE, now }),
    // Open attempts by deadline, or the open online ones: both hold open attempts only.
    own: ["payment_attempts_open_idx", "payment_attempts_online_open_idx"],
  },
  {
    job: "payments.expire-attempts",
    what: "open attempts past their deadline, to expire",
    query: (now) => expiringAttemptsQuery(db, now),
    own: ["payment_attempts_open_idx"],
  },
  {
    job: "payments.expire-attempts",
    what: "online orders left unpaid",
    query: (now) => abandonedOrdersQuery(db, now),
    own: ["orders_unpaid_online_idx"],
  },
  {
    job: "orders.expire-unconfirmed",
    what: "orders still placed after the deadline",
    query: (now) => staleOrdersQuery(db, minutesAgo(now, 24 * 60)),
    own: ["orders_waiting_phone_idx"],
  },
  {
    job: "orders.expire-unconfirmed",
    what: "money held for the orders it has just cancelled",
    query: () => heldMoneyQuery({ orderCodes: justCancelled }),
    // Found by their codes; either branch may start from its own index instead.
    own: ["payment_attempt_orders_uncredited_held_idx", "orders_cancelled_paid_idx"],
    optional: true,
  },
];

beforeAll(async () => {
  await insertPaymentHistory(db, { count: HISTORY, batch: "H" });
  await insertPaymentWork(db, { perKind: WORK_PER_KIND, batch: "W" });
  await db.execute(sql`ANALYZE`);
  const codes = rowsOf(
    await db.execute(sql`SELECT code FROM orders WHERE status = 'cancelled' ORDER BY updated_at DESC LIMIT 20`),
  );
  justCancelled = codes.map((r) => String(r.code));
});

describe("the payment jobs' queries over a year of history", () => {
  it("hold what the tests assume: mostly settled history, a little work", async () => {
    const [counts] = rowsOf(
      await db.execute(sql`SELECT (SELECT count(*) FROM payment_attempts)::int AS attempts,
                                  (SELECT count(*) FROM orders WHERE status = 'cancelled')::int AS cancelled,
                                  (SELECT count(*) FROM payment_refunds)::int AS refunds`),
    );
    expect(Number(counts.attempts)).toBeGreaterThan(HISTORY * 0.95);
    expect(Number(counts.cancelled)).toBeGreaterThan(HISTORY * 0.15);
    expect(Number(counts.refunds)).toBeGreaterThan(HISTORY * 0.1);
  });

  it.each(JOB_QUERIES.map((q) => [`${q.job}: ${q.what}`, q] as const))(
    "%s reads only rows that can matter",
    async (_name, { query, own, each, optional }) => {
      const plan = await planOf(db, query(new Date()));
      const { wrong, indexes } = reads(plan, own);
      expect(wrong, JSON.stringify(plan, null, 1)).toEqual([]);
      if (each) for (const index of own) expect(indexes).toContain(index);
      else if (!optional) expect(own.filter((index) => indexes.includes(index))).not.toEqual([]);
    },
  );

  it("finds the work among the history: each query returns what is waiting", async () => {
    const now = new Date();
    const count = async (query: SQLWrapper) => rowsOf(await db.execute(sql`${query}`)).length;
    // 5 asked about before their deadline, 5 at it; all 10 are "open for more than 15 minutes".
    expect(await count(stuckAttemptsQuery(db, { online: ONLINE, before: minutesAgo(now, 15) }))).toBe(10);
    expect(await count(dueAttemptsQuery(db, { online: ONLINE, now }))).toBe(5);
    expect(await count(expiringAttemptsQuery(db, now))).toBe(5);
    // The abandoned orders whose attempt already expired; those at their deadline come once it is expired.
    expect(await count(abandonedOrdersQuery(db, now))).toBe(5);
    expect(await count(stuckRefundsQuery(db, { online: ONLINE, before: minutesAgo(now, 10) }))).toBe(5);
    // Held: 5 second payments, 10 cancelled orders (5 partly refunded); not the 5 whose refund the provider refused.
    expect(await count(heldMoneyQuery({ cutoff: minutesAgo(now, 10) }))).toBe(15);
  });

  it("refunds the same shares as the single statement it replaced", async () => {
    // heldMoneyBefore033 (scripts/lib/bulk-payments.ts) is that statement: the OR over two tables.
    const cutoff = minutesAgo(new Date(), 10);
    const held = rowsOf(await db.execute(heldMoneyQuery({ cutoff })));
    expect(held).toHaveLength(15);
    expect(held).toEqual(rowsOf(await db.execute(heldMoneyBefore033(olderThan(cutoff)))));

    const everyHeldOrder = rowsOf(await db.execute(heldMoneyBefore033())).map((r) => String(r.orderCode));
    const codes = [...everyHeldOrder, ...justCancelled];
    const byCode = sql`AND o.code IN (${sql.join(
      codes.map((c) => sql`${c}`),
      sql`, `,
    )})`;
    expect(rowsOf(await db.execute(heldMoneyQuery({ orderCodes: codes })))).toEqual(
      rowsOf(await db.execute(heldMoneyBefore033(byCode))),
    );
  });

  it("would catch a scan: without their indexes the same queries are flagged", async () => {
    const now = new Date();
    for (const { job, what, query, own } of JOB_QUERIES.filter((q) => !q.optional)) {
      let wrong: string[] = [];
      // Dropped inside a transaction that is rolled back: the indexes are back for whatever runs next.
      await expect(
        db.transaction(async (tx) => {
          for (const index of own) await tx.execute(sql`DROP INDEX ${sql.identifier(index)}`);
          wrong = reads(await planOf(tx, query(now)), own).wrong;
          tx.rollback();
        }),
      ).rejects.toThrow(/rollback/i);
      expect(wrong, `${job}: ${what}`).not.toEqual([]);
    }
    const [{ n }] = rowsOf(
      await db.execute(sql`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'orders_unpaid_online_idx'`),
    );
    expect(Number(n)).toBe(1);
  });
});
